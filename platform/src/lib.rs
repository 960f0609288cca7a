//! Gongkai (公开): one hosted platform that many government agencies share to publish
//! information and to answer requests for information, on time and by the rules.
//!
//! Organised by capability; each folder owns its model, storage, services and routes over
//! the small shared `kernel`. The pure domain rules they apply live in the `gongkai_rules`
//! crate (`platform/rules`), which knows no database, HTTP or wasm.

pub mod app;
pub mod audit;
pub mod auth;
pub mod authz;
pub mod calendar;
pub mod console;
pub mod disclosure;
pub mod http;
pub mod kernel;
pub mod plugins;
pub mod portal;
pub mod reports;
pub mod requests;
pub mod sealing;
pub mod search;
pub mod tenancy;
pub mod users;
pub mod web;
