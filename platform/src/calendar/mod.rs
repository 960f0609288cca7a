//! The working-day calendar: the State Council's holidays and 调休 make-up working
//! days, plus a tenant's local adjustments. Used by item timeliness and the request clock.

pub mod official;
pub mod routes;
pub mod rules;
pub mod service;
pub mod store;

pub use rules::{Calendar, CalendarError};
pub use service::CalendarCache;
