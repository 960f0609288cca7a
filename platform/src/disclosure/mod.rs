//! Proactive disclosure (主动公开): the catalog and its review chains, items with their
//! versions and lifecycle, the confidentiality scan and redaction, index numbers,
//! publication (now or scheduled) and the public read API.
//!
//! The pure rules (lifecycle, scan, index numbers, kinds, catalog tree, Markdown) are in
//! `gongkai_rules::disclosure`; `extract` reads the text of attachments. IO: `store`
//! (SQL), `service` (rules over stored data, one audited transaction per change),
//! `routes` (staff API), `public` and `feeds` (public API), `attachments`, `scheduler`.
//! Everything but `routes` takes [`Disclosure`], the handles the capability uses, never
//! the whole application state.

use std::sync::Arc;

use crate::authz::Authz;
use crate::calendar::CalendarCache;
use crate::kernel::clock::Clock;
use crate::kernel::config::Config;
use crate::kernel::db::Db;
use crate::plugins::Plugins;
use crate::tenancy::TenantDirectory;

pub mod attachments;
pub mod demo;
pub mod extract;
pub mod feeds;
pub mod model;
pub mod plugin_exports;
pub mod plugin_kinds;
pub mod public;
pub mod routes;
pub mod sandbox;
pub mod scheduler;
pub mod service;
pub mod store;

pub use gongkai_rules::disclosure::{
    catalog_tree, field_paths, index_number, kinds, lifecycle, render, scan,
};

/// What the disclosure services use: built from the application state by `routes`
/// (`FromRef`), so the services, the scheduler and the demo depend on these and not on
/// `app`. Cheap to clone (every handle is shared).
#[derive(Clone)]
pub struct Disclosure {
    pub db: Db,
    /// Today and now: deadlines, embargoes, scheduled publication, timestamps.
    pub clock: Clock,
    /// Review roles (who may decide a step) and the overdue list's reach.
    pub authz: Authz,
    /// Working days for publication deadlines.
    pub calendar: CalendarCache,
    /// Portals by slug.
    pub tenants: TenantDirectory,
    /// Published items' public renditions; forgotten when an item's publication changes.
    pub public_items: public::PublicItemCache,
    /// Plugin kinds are validated and exported by the tenant's pinned plugin.
    pub plugins: Plugins,
    /// The object store of attachments and their size limit.
    pub config: Arc<Config>,
    /// Public exports, feeds and downloads per client address.
    pub downloads: Arc<crate::kernel::limit::AddressLimiter>,
}

impl Disclosure {
    /// Today in China, by the platform's clock.
    pub fn today(&self) -> chrono::NaiveDate {
        self.clock.today()
    }

    /// Now by the platform's clock, as stored (RFC 3339 text).
    pub fn now_text(&self) -> String {
        crate::kernel::ids::to_text(self.clock.now())
    }
}
