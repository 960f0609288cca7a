//! Annual reports (政府信息公开工作年度报告, 国办公开办函〔2021〕30号 format): the figures of
//! tables 2–4 counted from the records in the database, a stored draft per tenant and
//! year whose cells can be adjusted by hand only with a reason, the sections staff write,
//! the cross-checks of `gongkai_rules::annual_report` run before submission, and the
//! records behind every figure.
//!
//! The services take a [`Reports`]: the database and the clock. Only `routes.rs` sees the
//! application state.

pub mod document;
pub mod downloads;
pub mod figures;
pub mod model;
pub mod publication;
pub mod reminders;
pub mod render;
pub mod routes;
pub mod service;
pub mod statistics;
pub mod store;
pub mod summary;

use crate::disclosure::Disclosure;
use crate::kernel::clock::Clock;
use crate::kernel::db::Db;

/// What the report services use. Cloning shares everything.
#[derive(Clone)]
pub struct Reports {
    pub db: Db,
    /// Which years have begun; when figures were counted.
    pub clock: Clock,
    /// A submitted report is published as an item of the 年度报告 column, through the
    /// disclosure capability's review chain (docs/adr/0015).
    pub disclosure: Disclosure,
}

impl Reports {
    pub fn new(disclosure: Disclosure) -> Reports {
        Reports {
            db: disclosure.db.clone(),
            clock: disclosure.clock.clone(),
            disclosure,
        }
    }
}
