//! The small shared kernel every capability stands on: configuration, the clock, database
//! access with the tenant scope, ids and times, secrets, and the error type of the service layer.

pub mod actor;
pub mod clock;
pub mod config;
pub mod crypto;
pub mod db;
pub mod error;
pub mod ids;
pub mod limit;
