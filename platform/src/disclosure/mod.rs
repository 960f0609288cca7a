//! Proactive disclosure (主动公开): the catalog and its review chains, items with their
//! versions and lifecycle, the confidentiality scan and redaction, index numbers,
//! publication (now or scheduled) and the public read API.
//!
//! The pure rules (lifecycle, scan, index numbers, kinds, catalog tree, Markdown) are in
//! `gongkai_rules::disclosure`; `extract` reads the text of attachments. IO: `store` (SQL),
//! `service` (rules over stored data, one audited transaction per change), `routes` (staff
//! API), `public` (public API), `attachments`, `scheduler`.

pub mod attachments;
pub mod demo;
pub mod extract;
pub mod model;
pub mod plugin_kinds;
pub mod public;
pub mod routes;
pub mod scheduler;
pub mod service;
pub mod store;

pub use gongkai_rules::disclosure::{catalog_tree, index_number, kinds, lifecycle, render, scan};
