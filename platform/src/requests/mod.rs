//! Requests for information (依申请公开): intake, tracking, the staff workflow, e-mail and
//! background jobs over the pure rules of `gongkai_rules::requests` (the request lifecycle,
//! the statutory clock, outcome codes and processing fees).
//!
//! The services take a [`Requests`]: the handles they use (database, calendar, clock,
//! secrets, settings, the submission limiter and the outbox's wake-up call). `app.rs`
//! builds it; only `routes.rs` sees the application state.

pub mod demo;
pub mod document_routes;
pub mod jobs;
pub mod mail;
pub mod model;
pub mod routes;
pub mod service;
pub mod store;
pub mod texts;

use std::net::IpAddr;
use std::sync::Arc;
use std::time::Duration;

use object_store::ObjectStore;
use tokio::sync::Notify;

use crate::calendar::CalendarCache;
use crate::kernel::clock::Clock;
use crate::kernel::config::Config;
use crate::kernel::crypto::Secrets;
use crate::kernel::db::Db;
use crate::kernel::error::Error;
use crate::kernel::limit::AddressLimiter;

pub use gongkai_rules::requests::{deadline, fees, lifecycle, outcome};
pub use jobs::spawn;

/// What the request services use. Cloning shares everything.
#[derive(Clone)]
pub struct Requests {
    pub db: Db,
    pub calendar: CalendarCache,
    /// Today and now (a fixed day in demos and tests).
    pub clock: Clock,
    /// Seals the applicant's data and the outbox; keys the applicant hash.
    pub secrets: Arc<Secrets>,
    pub settings: Arc<Settings>,
    /// Submissions per address and hour.
    submissions: Arc<AddressLimiter>,
    /// Rung by every commit that wrote mail.
    outbox_wake: Arc<Notify>,
    /// Where applicants' documents are kept, sealed (the attachments' object store).
    pub objects: Arc<dyn ObjectStore>,
}

/// The configuration the capability reads.
#[derive(Clone, Debug)]
pub struct Settings {
    /// How often the daily rules are swept.
    pub sweep_every: Duration,
    pub mail: mail::MailSettings,
    /// The base of links in mail (`public_base_url`), without a trailing slash.
    pub public_base_url: String,
}

impl Settings {
    pub fn from_config(config: &Config) -> Settings {
        Settings {
            sweep_every: Duration::from_secs(config.requests_sweep_secs.max(1)),
            mail: mail::MailSettings::from_config(config),
            public_base_url: config.public_base_url(),
        }
    }
}

impl Requests {
    pub fn new(
        db: Db,
        calendar: CalendarCache,
        clock: Clock,
        secrets: Arc<Secrets>,
        config: &Config,
    ) -> Result<Requests, Error> {
        Ok(Requests {
            db,
            calendar,
            clock,
            secrets,
            settings: Arc::new(Settings::from_config(config)),
            submissions: Arc::new(AddressLimiter::per_hour(
                config.request_submissions_per_address_per_hour,
            )),
            outbox_wake: Arc::new(Notify::new()),
            objects: crate::disclosure::attachments::object_store(config)?,
        })
    }

    /// Counts one submission from `address`; refuses it when the quota is spent.
    pub fn admit(&self, address: IpAddr) -> Result<(), Error> {
        self.submissions.admit(address)
    }

    /// Tells the outbox worker that mail is waiting.
    pub fn wake_outbox(&self) {
        self.outbox_wake.notify_one();
    }
}
