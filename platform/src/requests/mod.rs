//! Requests for information (依申请公开): intake, tracking, the staff workflow, e-mail and
//! background jobs over the pure rules of `gongkai_rules::requests` (the request lifecycle,
//! the statutory clock, outcome codes and processing fees).

pub mod demo;
pub mod jobs;
pub mod mail;
pub mod model;
pub mod routes;
pub mod service;
pub mod store;
pub mod texts;

use std::net::IpAddr;
use std::num::NonZeroU32;
use std::sync::Arc;

use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};
use tokio::sync::Notify;

use crate::app::AppState;
use crate::kernel::config::Config;
use crate::kernel::error::Error;

pub use gongkai_rules::requests::{deadline, fees, lifecycle, outcome};
pub use jobs::spawn;

/// What the capability keeps in memory: the submission limiter and the outbox's
/// wake-up call.
#[derive(Clone)]
pub struct RequestsRuntime {
    submissions: Arc<DefaultKeyedRateLimiter<IpAddr>>,
    pub outbox_wake: Arc<Notify>,
}

impl RequestsRuntime {
    pub fn new(config: &Config) -> RequestsRuntime {
        let per_hour = NonZeroU32::new(config.request_submissions_per_address_per_hour.max(1))
            .expect("at least one");
        RequestsRuntime {
            submissions: Arc::new(RateLimiter::keyed(Quota::per_hour(per_hour))),
            outbox_wake: Arc::new(Notify::new()),
        }
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
