//! Requests for information (依申请公开): the request lifecycle, the statutory clock,
//! outcome codes and processing fees as pure rules; intake, tracking, the staff
//! workflow, e-mail and background jobs over them.

pub mod deadline;
pub mod demo;
pub mod fees;
pub mod jobs;
pub mod lifecycle;
pub mod mail;
pub mod model;
pub mod outcome;
pub mod routes;
pub mod service;
pub mod store;
pub mod texts;

use std::net::IpAddr;
use std::num::NonZeroU32;
use std::sync::{Arc, Mutex};

use chrono::{FixedOffset, NaiveDate, Utc};
use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};
use tokio::sync::Notify;

use crate::app::AppState;
use crate::kernel::config::Config;
use crate::kernel::error::Error;

pub use jobs::spawn;

/// What the capability keeps in memory: the submission limiter, the clock and the
/// outbox's wake-up call.
#[derive(Clone)]
pub struct RequestsRuntime {
    submissions: Arc<DefaultKeyedRateLimiter<IpAddr>>,
    today: Arc<Mutex<Option<NaiveDate>>>,
    pub outbox_wake: Arc<Notify>,
}

impl RequestsRuntime {
    pub fn new(config: &Config) -> RequestsRuntime {
        let per_hour = NonZeroU32::new(config.request_submissions_per_address_per_hour.max(1))
            .expect("at least one");
        RequestsRuntime {
            submissions: Arc::new(RateLimiter::keyed(Quota::per_hour(per_hour))),
            today: Arc::new(Mutex::new(
                config
                    .clock_today
                    .as_deref()
                    .and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok()),
            )),
            outbox_wake: Arc::new(Notify::new()),
        }
    }

    /// Today in China (UTC+8), or the fixed day of a demo or test.
    pub fn today(&self) -> NaiveDate {
        if let Some(day) = *self.today.lock().expect("clock lock") {
            return day;
        }
        let china = FixedOffset::east_opt(8 * 3600).expect("a valid offset");
        Utc::now().with_timezone(&china).date_naive()
    }

    /// Moves the fixed day (tests and demos).
    pub fn set_today(&self, day: NaiveDate) {
        *self.today.lock().expect("clock lock") = Some(day);
    }

    /// Counts one submission from `address`; refuses it when the quota is spent.
    pub fn admit(&self, address: IpAddr) -> Result<(), Error> {
        let clock = DefaultClock::default();
        self.submissions
            .check_key(&address)
            .map_err(|not_until| Error::TooManyRequests {
                retry_after_secs: not_until.wait_time_from(clock.now()).as_secs().max(1),
            })
    }

    pub fn wake_outbox(&self) {
        self.outbox_wake.notify_one();
    }
}

/// The runtime of `state` (shorthand for the jobs).
pub fn runtime(state: &AppState) -> &RequestsRuntime {
    &state.requests
}
