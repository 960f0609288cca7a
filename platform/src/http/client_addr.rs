//! The client's address, for per-address limits: the TCP peer, or, when the peer is one
//! of the configured trusted proxies, the address that proxy reports in the configured
//! header. A header sent by anyone else is ignored: it is the caller's own say-so.

use std::net::{IpAddr, Ipv4Addr, SocketAddr};

use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::request::Parts;
use axum::http::HeaderMap;
use ipnet::IpNet;

use crate::app::AppState;

pub struct ClientAddr(pub IpAddr);

impl FromRequestParts<AppState> for ClientAddr {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let peer = parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map(|ConnectInfo(addr)| addr.ip())
            .unwrap_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED));
        let proxies = state.config.trusted_proxy_nets();
        Ok(ClientAddr(client_addr(
            peer,
            &parts.headers,
            &proxies,
            &state.config.client_ip_header,
        )))
    }
}

/// The peer, unless it is a trusted proxy: then the right-most address of `header` (a
/// comma-separated list, as `X-Forwarded-For`) that is not itself a trusted proxy. A
/// header that cannot be read falls back to the peer.
pub fn client_addr(peer: IpAddr, headers: &HeaderMap, proxies: &[IpNet], header: &str) -> IpAddr {
    let trusted = |ip: &IpAddr| proxies.iter().any(|net| net.contains(ip));
    if !trusted(&peer) {
        return peer;
    }
    let mut hops: Vec<IpAddr> = Vec::new();
    for value in headers.get_all(header) {
        let Ok(text) = value.to_str() else {
            return peer;
        };
        for hop in text.split(',') {
            match hop.trim().parse::<IpAddr>() {
                Ok(ip) => hops.push(ip),
                Err(_) => return peer,
            }
        }
    }
    hops.into_iter()
        .rev()
        .find(|ip| !trusted(ip))
        .unwrap_or(peer)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(value: &str) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert("x-forwarded-for", value.parse().unwrap());
        h
    }

    #[test]
    fn the_header_counts_only_from_a_trusted_proxy() {
        let proxies: Vec<IpNet> = vec!["10.0.0.0/8".parse().unwrap()];
        let ip = |s: &str| s.parse::<IpAddr>().unwrap();
        let forged = headers("203.0.113.9");
        // From anyone else the header is ignored.
        assert_eq!(
            client_addr(ip("198.51.100.7"), &forged, &proxies, "x-forwarded-for"),
            ip("198.51.100.7")
        );
        // From the proxy: the right-most hop that is not a proxy, so a client's own
        // prefix of forged hops does not count.
        let chain = headers("1.2.3.4, 203.0.113.9, 10.1.1.1");
        assert_eq!(
            client_addr(ip("10.0.0.2"), &chain, &proxies, "x-forwarded-for"),
            ip("203.0.113.9")
        );
        // No proxies configured: the peer, always.
        assert_eq!(
            client_addr(ip("10.0.0.2"), &chain, &[], "x-forwarded-for"),
            ip("10.0.0.2")
        );
        // Garbage in the header: the peer.
        assert_eq!(
            client_addr(
                ip("10.0.0.2"),
                &headers("nonsense"),
                &proxies,
                "x-forwarded-for"
            ),
            ip("10.0.0.2")
        );
    }
}
