//! Rate limits on logging in and on one-time codes, counted in the database (see
//! [`vamyar_store::ratelimit`]) so every server process shares them.
//!
//! # Nobody can lock a real user out
//!
//! A limit keyed by the *account alone* that refuses further attempts would let anyone stop a
//! staff member or an applicant from logging in by failing on purpose from elsewhere. So:
//!
//! - **Login** is limited per client address ([`RateLimits::login_per_ip`]) and per
//!   (username, address) ([`RateLimits::login_per_account_ip`]). Guessing one account's
//!   password from one address is slow; the owner, from another address, is not affected.
//!   A successful login takes its hit back ([`Counted::forgive`]), so an office where many
//!   staff share one address is not stopped by its own colleagues.
//! - **Requesting a code** is limited per address ([`RateLimits::otp_request_per_ip`],
//!   answered with 429). The per-person limit ([`RateLimits::otp_sms_per_recipient`], keyed by
//!   national ID and mobile) only caps how many SMS are *sent*: past it the answer is still
//!   202 and nothing is queued. It must not answer 429, which would let anyone block a
//!   person's login by requesting codes for their national ID, and would tell them which
//!   national IDs exist. It is keyed by the mobile too, so that during online registration a
//!   stranger giving their own mobile cannot use up the real registrant's SMS. It only counts
//!   requests that would send an SMS, so somebody who does not know the registered mobile
//!   cannot use it up at all.
//! - **Verifying a code** is limited per address ([`RateLimits::otp_verify_per_ip`]) and by
//!   each challenge's five attempts. Burning a challenge's attempts only kills that code;
//!   the person asks for a new one, which the attacker cannot read.
//!
//! The client address is the TCP peer (`ConnectInfo`), unless that peer is one of the
//! configured reverse proxies (`[http] trusted_proxies`, CIDRs): then it is read from the
//! `Forwarded` header (RFC 7239), or else `X-Forwarded-For`, walking from the right (the
//! entry the proxy itself appended) past further trusted proxies to the first address that
//! is not one. An untrusted peer's headers are ignored, as anyone can write them. IPv6
//! addresses are counted per /64, the block one subscriber gets.

use std::convert::Infallible;
use std::net::{IpAddr, Ipv6Addr, SocketAddr};

use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::HeaderMap;
use axum::http::header::FORWARDED;
use axum::http::request::Parts;
use chrono::Duration;
use ipnet::IpNet;
use vamyar_store::ratelimit;

use crate::AppState;
use crate::error::AppError;

/// At most `max` attempts per `window_secs` seconds: a token bucket of `max` tokens that
/// refills one token every `window_secs / max` seconds.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Limit {
    /// Attempts allowed per window.
    pub max: u32,
    /// The window's length in seconds.
    pub window_secs: i64,
}

impl Limit {
    /// `max` attempts per `minutes` minutes.
    pub const fn per_minutes(max: u32, minutes: i64) -> Limit {
        Limit {
            max,
            window_secs: minutes * 60,
        }
    }

    fn window(self) -> Duration {
        Duration::seconds(self.window_secs.max(1))
    }
}

/// The limits on authentication and on the public, abusable routes (see the module
/// documentation for why they are keyed so). Configured in `[limits]`.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct RateLimits {
    /// Login attempts per client address.
    pub login_per_ip: Limit,
    /// Login attempts per (username, client address).
    pub login_per_account_ip: Limit,
    /// Code requests per client address (429 past it).
    pub otp_request_per_ip: Limit,
    /// SMS sent per (national ID, mobile) (silently not sent past it).
    pub otp_sms_per_recipient: Limit,
    /// Code verifications per client address.
    pub otp_verify_per_ip: Limit,
    /// SMS codes sent to one mobile, whatever the national ID (silently not sent past it):
    /// stops SMS-bombing a number through unregistered national IDs.
    pub otp_sms_per_mobile: Limit,
    /// SMS codes sent by the whole service (429 past it): a ceiling on the SMS bill.
    pub otp_sms_global: Limit,
    /// Registrations per client address.
    pub register_per_ip: Limit,
    /// Tracking-code look-ups per client address (guessing codes).
    pub track_per_ip: Limit,
    /// Applicant validations per client address.
    pub validate_per_ip: Limit,
    /// Document uploads per client address.
    pub upload_per_ip: Limit,
}

impl Default for RateLimits {
    fn default() -> Self {
        RateLimits {
            login_per_ip: Limit::per_minutes(30, 15),
            login_per_account_ip: Limit::per_minutes(10, 15),
            otp_request_per_ip: Limit::per_minutes(10, 15),
            otp_sms_per_recipient: Limit::per_minutes(3, 15),
            otp_verify_per_ip: Limit::per_minutes(30, 15),
            otp_sms_per_mobile: Limit::per_minutes(5, 60),
            otp_sms_global: Limit::per_minutes(2_000, 60),
            register_per_ip: Limit::per_minutes(20, 60),
            track_per_ip: Limit::per_minutes(30, 15),
            validate_per_ip: Limit::per_minutes(60, 15),
            upload_per_ip: Limit::per_minutes(60, 15),
        }
    }
}

/// The caller's address as the TCP peer; unspecified when the app is served without
/// connection info (then every such caller shares one bucket).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ClientIp(pub IpAddr);

impl ClientIp {
    /// The address as counted: IPv4 as is (also when mapped into IPv6), IPv6 by its /64.
    pub fn key(&self) -> String {
        match self.0 {
            IpAddr::V4(v4) => v4.to_string(),
            IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
                Some(v4) => v4.to_string(),
                None => {
                    let s = v6.segments();
                    let net = Ipv6Addr::new(s[0], s[1], s[2], s[3], 0, 0, 0, 0);
                    format!("{net}/64")
                }
            },
        }
    }
}

impl FromRequestParts<AppState> for ClientIp {
    type Rejection = Infallible;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let peer = parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map(|ConnectInfo(addr)| addr.ip())
            .unwrap_or(IpAddr::from([0, 0, 0, 0]));
        Ok(ClientIp(client_address(
            peer,
            &parts.headers,
            &state.config.trusted_proxies,
        )))
    }
}

fn trusted(ip: IpAddr, proxies: &[IpNet]) -> bool {
    let ip = match ip {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(ip, IpAddr::V4),
        v4 => v4,
    };
    proxies.iter().any(|n| n.contains(&ip))
}

/// One `for=` value of `Forwarded` (quoted, `[v6]:port`, `v4:port`) as an address.
fn forwarded_for(value: &str) -> Option<IpAddr> {
    let v = value.trim().trim_matches('"');
    if let Some(rest) = v.strip_prefix('[') {
        return rest.split(']').next()?.parse().ok();
    }
    v.parse::<IpAddr>()
        .ok()
        .or_else(|| v.parse::<SocketAddr>().ok().map(|s| s.ip()))
}

/// The addresses a proxy chain names, leftmost (the original client) first.
fn chain(headers: &HeaderMap) -> Vec<Option<IpAddr>> {
    let forwarded: Vec<&str> = headers
        .get_all(FORWARDED)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .collect();
    if !forwarded.is_empty() {
        return forwarded
            .iter()
            .flat_map(|h| h.split(','))
            .map(|element| {
                element
                    .split(';')
                    .filter_map(|pair| pair.split_once('='))
                    .find(|(k, _)| k.trim().eq_ignore_ascii_case("for"))
                    .and_then(|(_, v)| forwarded_for(v))
            })
            .collect();
    }
    headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|h| h.split(','))
        .map(forwarded_for)
        .collect()
}

/// The client's address: the peer, or — when the peer is a trusted proxy — the rightmost
/// address of its forwarding header that is not itself a trusted proxy. An unreadable entry
/// stops the walk at the last proxy (never lets a client choose its bucket).
pub fn client_address(peer: IpAddr, headers: &HeaderMap, proxies: &[IpNet]) -> IpAddr {
    if !trusted(peer, proxies) {
        return peer;
    }
    let mut client = peer;
    for hop in chain(headers).into_iter().rev() {
        match hop {
            Some(ip) => {
                client = ip;
                if !trusted(ip, proxies) {
                    break;
                }
            }
            None => break,
        }
    }
    client
}

/// A hit that was counted and allowed; it may be taken back after a success.
#[derive(Clone, Debug)]
pub struct Counted {
    bucket: String,
    limit: Limit,
}

impl Counted {
    /// Takes the hit back (a successful login or verification). A failure is logged only:
    /// the caller already succeeded.
    pub async fn forgive(self, state: &AppState) {
        if let Err(e) =
            ratelimit::forgive(&state.db, &self.bucket, self.limit.max, self.limit.window()).await
        {
            tracing::warn!(error = %e, "could not take back a rate-limit hit");
        }
    }
}

/// Counts one hit of `name` for `parts`; past the limit → 429 with `Retry-After`.
pub async fn enforce(
    state: &AppState,
    name: &str,
    limit: Limit,
    parts: &[&str],
) -> Result<Counted, AppError> {
    let bucket = ratelimit::bucket(name, parts);
    let d = ratelimit::hit(&state.db, &bucket, limit.max, limit.window()).await?;
    if d.allowed {
        Ok(Counted { bucket, limit })
    } else {
        tracing::info!(limit = name, "rate limit reached");
        metrics::counter!("vamyar_rate_limited_total", "limit" => name.to_string()).increment(1);
        Err(AppError::RateLimited {
            retry_after_secs: d.retry_after_secs,
        })
    }
}

/// Counts one hit of `name` for `parts` and says whether it is within the limit, refusing
/// nothing (for limits that must stay silent).
pub async fn within(
    state: &AppState,
    name: &str,
    limit: Limit,
    parts: &[&str],
) -> Result<bool, AppError> {
    let bucket = ratelimit::bucket(name, parts);
    let d = ratelimit::hit(&state.db, &bucket, limit.max, limit.window()).await?;
    if !d.allowed {
        tracing::info!(limit = name, "rate limit reached (silent)");
        metrics::counter!("vamyar_rate_limited_total", "limit" => name.to_string()).increment(1);
    }
    Ok(d.allowed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ipv6_is_counted_per_64_and_mapped_ipv4_as_ipv4() {
        let a = ClientIp("2001:db8:1:2:aaaa::1".parse().unwrap());
        let b = ClientIp("2001:db8:1:2:bbbb::9".parse().unwrap());
        assert_eq!(a.key(), b.key());
        assert_eq!(a.key(), "2001:db8:1:2::/64");
        let mapped = ClientIp("::ffff:192.0.2.7".parse().unwrap());
        assert_eq!(mapped.key(), "192.0.2.7");
    }

    #[test]
    fn forwarding_headers_count_only_from_trusted_proxies() {
        let proxies: Vec<IpNet> = vec!["10.0.0.0/8".parse().unwrap()];
        let proxy: IpAddr = "10.0.0.5".parse().unwrap();
        let h = |name: &'static str, v: &str| {
            let mut m = HeaderMap::new();
            m.insert(name, v.parse().unwrap());
            m
        };
        let xff = h("x-forwarded-for", "198.51.100.9, 203.0.113.7, 10.0.0.2");
        assert_eq!(
            client_address(proxy, &xff, &proxies),
            "203.0.113.7".parse::<IpAddr>().unwrap(),
            "the client may prepend anything; the rightmost untrusted entry counts"
        );
        let outsider: IpAddr = "192.0.2.1".parse().unwrap();
        assert_eq!(client_address(outsider, &xff, &proxies), outsider);
        let fwd = h(
            "forwarded",
            r#"for=192.0.2.60;proto=https, for="[2001:db8::1]:443""#,
        );
        assert_eq!(
            client_address(proxy, &fwd, &proxies),
            "2001:db8::1".parse::<IpAddr>().unwrap()
        );
        let junk = h("x-forwarded-for", "nonsense");
        assert_eq!(client_address(proxy, &junk, &proxies), proxy);
        assert_eq!(client_address(proxy, &HeaderMap::new(), &proxies), proxy);
    }

    #[test]
    fn defaults_follow_the_design() {
        let d = RateLimits::default();
        assert!(d.login_per_account_ip.max < d.login_per_ip.max);
        assert_eq!(d.otp_sms_per_recipient, Limit::per_minutes(3, 15));
    }
}
