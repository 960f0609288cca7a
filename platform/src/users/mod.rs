//! User accounts (global) and their memberships: roles held in tenants.

pub mod routes;
pub mod service;
pub mod store;

pub use store::User;
