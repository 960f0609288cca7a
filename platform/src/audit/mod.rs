//! The audit log: every state change appends an entry to its tenant's hash chain,
//! `hash = sha256(prev_hash ‖ canonical entry)`. No code path updates or deletes
//! entries (database triggers refuse it); `verify` recomputes a chain and names the
//! first broken entry.

pub mod chain;
pub mod routes;
pub mod store;

pub use store::{append, verify_all, verify_tenant};
