//! Proactive disclosure (主动公开): the catalog and its review chains, items with their
//! versions and lifecycle, the confidentiality scan and redaction, index numbers,
//! publication (now or scheduled) and the public read API.
//!
//! Pure rules: `lifecycle`, `scan`, `index_number`, `kinds`, `render`, `catalog_tree`,
//! `extract` (text of attachments). IO: `store` (SQL), `service` (rules over stored
//! data, one audited transaction per change), `routes` (staff API), `public` (public
//! API), `attachments`, `scheduler`.

pub mod attachments;
pub mod catalog_tree;
pub mod demo;
pub mod extract;
pub mod index_number;
pub mod kinds;
pub mod lifecycle;
pub mod model;
pub mod plugin_kinds;
pub mod public;
pub mod render;
pub mod routes;
pub mod scan;
pub mod scheduler;
pub mod service;
pub mod store;
