//! Annual reports (政府信息公开工作年度报告, 国办公开办函〔2021〕30号 format): the figures of
//! tables 2–4 counted from the records in the database, a stored draft per tenant and
//! year whose cells can be adjusted by hand only with a reason, the sections staff write,
//! the cross-checks of `gongkai_rules::annual_report` run before submission, and the
//! records behind every figure.
//!
//! The services take a [`Reports`]: the database and the clock. Only `routes.rs` sees the
//! application state.

pub mod figures;
pub mod model;
pub mod routes;
pub mod service;
pub mod store;

use crate::kernel::clock::Clock;
use crate::kernel::db::Db;

/// What the report services use. Cloning shares everything.
#[derive(Clone)]
pub struct Reports {
    pub db: Db,
    /// Which years have begun; when figures were counted.
    pub clock: Clock,
}
