//! Login attempts are limited per account and per client address (in-process; a Redis
//! backend comes with multi-replica deployments). Limits fail closed: an exhausted
//! quota refuses the attempt before the password is checked.

use std::net::IpAddr;
use std::num::NonZeroU32;

use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};

use crate::kernel::error::Error;
use crate::kernel::limit::AddressLimiter;

pub struct LoginLimiter {
    per_account: DefaultKeyedRateLimiter<String>,
    per_address: AddressLimiter,
}

impl LoginLimiter {
    pub fn new(per_account_per_minute: u32, per_address_per_minute: u32) -> Self {
        let per_account = NonZeroU32::new(per_account_per_minute.max(1)).expect("at least one");
        LoginLimiter {
            per_account: RateLimiter::keyed(Quota::per_minute(per_account)),
            per_address: AddressLimiter::per_minute(per_address_per_minute),
        }
    }

    /// Counts one attempt; refuses it when either quota is spent. `account` is the
    /// address in its one normal form (`users::store::normalize_email`), the same the
    /// lookup uses, so that no other spelling gets a fresh budget.
    pub fn attempt(&self, account: &str, address: IpAddr) -> Result<(), Error> {
        self.per_address.admit(address)?;
        let clock = DefaultClock::default();
        self.per_account
            .check_key(&account.to_string())
            .map_err(|not_until| Error::TooManyRequests {
                retry_after_secs: not_until.wait_time_from(clock.now()).as_secs().max(1),
            })?;
        Ok(())
    }

    /// Forgets keys that have regained their whole quota (a timer calls this).
    pub fn shrink(&self) {
        self.per_account.retain_recent();
        self.per_address.shrink();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn per_account_and_per_address() {
        let limiter = LoginLimiter::new(2, 3);
        let a: IpAddr = "127.0.0.1".parse().unwrap();
        let b: IpAddr = "127.0.0.2".parse().unwrap();
        assert!(limiter.attempt("x@example.org", a).is_ok());
        assert!(limiter.attempt("x@example.org", b).is_ok());
        // The account's quota of two is spent, from any address.
        assert!(matches!(
            limiter.attempt("x@example.org", b),
            Err(Error::TooManyRequests { .. })
        ));
        // Address a has two of three left; every attempt counts, refused or not.
        assert!(limiter.attempt("y@example.org", a).is_ok());
        assert!(limiter.attempt("z@example.org", a).is_ok());
        assert!(limiter.attempt("w@example.org", a).is_err());
    }
}
