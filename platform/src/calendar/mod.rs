//! The working-day calendar: the State Council's holidays and 调休 make-up working
//! days, plus a tenant's local adjustments, stored and cached per tenant. The arithmetic
//! is `gongkai_rules::calendar`. Used by item timeliness and the request clock.

pub mod routes;
pub mod service;
pub mod store;

pub use service::CalendarCache;
