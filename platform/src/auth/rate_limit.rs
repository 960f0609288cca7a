//! Login attempts are limited per account and per client address (in-process; a Redis
//! backend comes with multi-replica deployments). Limits fail closed: an exhausted
//! quota refuses the attempt before the password is checked.

use std::net::IpAddr;
use std::num::NonZeroU32;

use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};

use crate::kernel::error::Error;

pub struct LoginLimiter {
    per_account: DefaultKeyedRateLimiter<String>,
    per_address: DefaultKeyedRateLimiter<IpAddr>,
}

fn per_minute(n: u32) -> Quota {
    Quota::per_minute(NonZeroU32::new(n.max(1)).expect("at least one"))
}

impl LoginLimiter {
    pub fn new(per_account_per_minute: u32, per_address_per_minute: u32) -> Self {
        LoginLimiter {
            per_account: RateLimiter::keyed(per_minute(per_account_per_minute)),
            per_address: RateLimiter::keyed(per_minute(per_address_per_minute)),
        }
    }

    /// Counts one attempt; refuses it when either quota is spent.
    pub fn attempt(&self, account: &str, address: IpAddr) -> Result<(), Error> {
        let clock = DefaultClock::default();
        let refused = |not_until: governor::NotUntil<_>| Error::TooManyRequests {
            retry_after_secs: not_until.wait_time_from(clock.now()).as_secs().max(1),
        };
        self.per_address.check_key(&address).map_err(refused)?;
        self.per_account
            .check_key(&account.to_lowercase())
            .map_err(refused)?;
        Ok(())
    }

    /// Forgets keys that have regained their whole quota (a timer calls this).
    pub fn shrink(&self) {
        self.per_account.retain_recent();
        self.per_address.retain_recent();
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
        assert!(limiter.attempt("X@example.org", b).is_ok());
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
