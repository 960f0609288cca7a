//! Budgets per client address (in-process, per replica; the multi-replica issue moves
//! them to Redis): sign-in attempts, request submissions, tracking lookups, public plugin
//! actions, public exports and downloads. One client is an IPv4 address or an IPv6 /64.
//! Limits fail closed: a spent budget refuses the request (429 with `Retry-After`).

use std::net::IpAddr;
use std::num::NonZeroU32;

use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};

use crate::kernel::error::Error;

pub struct AddressLimiter(DefaultKeyedRateLimiter<IpAddr>);

fn at_least_one(n: u32) -> NonZeroU32 {
    NonZeroU32::new(n.max(1)).expect("at least one")
}

impl AddressLimiter {
    pub fn per_minute(n: u32) -> AddressLimiter {
        AddressLimiter(RateLimiter::keyed(Quota::per_minute(at_least_one(n))))
    }

    pub fn per_hour(n: u32) -> AddressLimiter {
        AddressLimiter(RateLimiter::keyed(Quota::per_hour(at_least_one(n))))
    }

    /// Counts one request from `address`; refuses it when the budget is spent.
    pub fn admit(&self, address: IpAddr) -> Result<(), Error> {
        let clock = DefaultClock::default();
        self.0
            .check_key(&address_key(address))
            .map_err(|not_until| Error::TooManyRequests {
                retry_after_secs: not_until.wait_time_from(clock.now()).as_secs().max(1),
            })
    }

    /// Forgets clients that have regained their whole budget (a timer calls this).
    pub fn shrink(&self) {
        self.0.retain_recent();
    }
}

impl std::fmt::Debug for AddressLimiter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("AddressLimiter(..)")
    }
}

/// What one client is: an IPv4 address, or the /64 network of an IPv6 address (one
/// subscriber commonly holds a whole /64 and can pick any address in it). IPv4-mapped
/// IPv6 addresses count as their IPv4 address.
pub fn address_key(address: IpAddr) -> IpAddr {
    match address {
        IpAddr::V4(_) => address,
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => IpAddr::V4(v4),
            None => {
                let s = v6.segments();
                IpAddr::V6(std::net::Ipv6Addr::new(s[0], s[1], s[2], s[3], 0, 0, 0, 0))
            }
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ipv6_addresses_of_one_64_share_a_budget() {
        let limiter = AddressLimiter::per_minute(2);
        let one: IpAddr = "2001:db8:1:2::1".parse().unwrap();
        let two: IpAddr = "2001:db8:1:2:ffff:ffff:ffff:fffe".parse().unwrap();
        let other: IpAddr = "2001:db8:1:3::1".parse().unwrap();
        assert!(limiter.admit(one).is_ok());
        assert!(limiter.admit(two).is_ok());
        assert!(matches!(
            limiter.admit("2001:db8:1:2::99".parse().unwrap()),
            Err(Error::TooManyRequests { .. })
        ));
        assert!(limiter.admit(other).is_ok());
        let mapped: IpAddr = "::ffff:10.0.0.1".parse().unwrap();
        assert_eq!(address_key(mapped), "10.0.0.1".parse::<IpAddr>().unwrap());
    }
}
