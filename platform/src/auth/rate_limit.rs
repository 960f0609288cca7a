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

    /// Counts one attempt; refuses it when either quota is spent. `account` is the
    /// address in its one normal form (`users::store::normalize_email`), the same the
    /// lookup uses, so that no other spelling gets a fresh budget.
    pub fn attempt(&self, account: &str, address: IpAddr) -> Result<(), Error> {
        let clock = DefaultClock::default();
        let refused = |not_until: governor::NotUntil<_>| Error::TooManyRequests {
            retry_after_secs: not_until.wait_time_from(clock.now()).as_secs().max(1),
        };
        self.per_address
            .check_key(&address_key(address))
            .map_err(refused)?;
        self.per_account
            .check_key(&account.to_string())
            .map_err(refused)?;
        Ok(())
    }

    /// Forgets keys that have regained their whole quota (a timer calls this).
    pub fn shrink(&self) {
        self.per_account.retain_recent();
        self.per_address.retain_recent();
    }
}

/// What one client is, for the per-address limit: an IPv4 address, or the /64 network of
/// an IPv6 address (one subscriber commonly holds a whole /64 and can pick any address
/// in it). IPv4-mapped IPv6 addresses count as their IPv4 address.
pub fn address_key(address: IpAddr) -> IpAddr {
    match address {
        IpAddr::V4(_) => address,
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => IpAddr::V4(v4),
            None => {
                let segments = v6.segments();
                IpAddr::V6(std::net::Ipv6Addr::new(
                    segments[0],
                    segments[1],
                    segments[2],
                    segments[3],
                    0,
                    0,
                    0,
                    0,
                ))
            }
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ipv6_addresses_of_one_64_share_a_budget() {
        let limiter = LoginLimiter::new(100, 2);
        let one: IpAddr = "2001:db8:1:2::1".parse().unwrap();
        let two: IpAddr = "2001:db8:1:2:ffff:ffff:ffff:fffe".parse().unwrap();
        let other: IpAddr = "2001:db8:1:3::1".parse().unwrap();
        assert!(limiter.attempt("a@x.cn", one).is_ok());
        assert!(limiter.attempt("b@x.cn", two).is_ok());
        assert!(limiter.attempt("c@x.cn", one).is_err());
        assert!(limiter
            .attempt("c@x.cn", "2001:db8:1:2::99".parse().unwrap())
            .is_err());
        assert!(limiter.attempt("d@x.cn", other).is_ok());
        let mapped: IpAddr = "::ffff:10.0.0.1".parse().unwrap();
        assert_eq!(address_key(mapped), "10.0.0.1".parse::<IpAddr>().unwrap());
    }

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
