//! The network guard: which addresses a fetch may connect to.
//!
//! Assay runs as a service that fetches user-supplied targets, so it must not be an SSRF
//! tool. Unless the operator allows it (`--allow-private-network`), a connection to a
//! loopback, private, shared (CGNAT), link-local, cloud-metadata, multicast, reserved or
//! unspecified address is refused. The check happens when a host name is resolved for a
//! connection (the HTTP client's resolver), so a name that rebinds to a private address
//! between a check and the connection cannot slip through; IPv4-mapped, NAT64 and 6to4
//! IPv6 addresses are judged by the IPv4 address inside them.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr, ToSocketAddrs};

use crate::SourceError;

/// Why an address is refused, or `None` when it is a public address.
pub fn classify(ip: IpAddr) -> Option<&'static str> {
    match ip {
        IpAddr::V4(v4) => classify_v4(v4),
        IpAddr::V6(v6) => classify_v6(v6),
    }
}

fn classify_v4(ip: Ipv4Addr) -> Option<&'static str> {
    let [a, b, c, d] = ip.octets();
    Some(match (a, b, c, d) {
        (169, 254, 169, 254) | (169, 254, 170, 2) | (100, 100, 100, 200) => "metadata",
        (127, ..) => "loopback",
        (10, ..) | (192, 168, ..) => "private",
        (172, b, ..) if (16..=31).contains(&b) => "private",
        (100, b, ..) if (64..=127).contains(&b) => "shared (CGNAT)",
        (169, 254, ..) => "link-local",
        (0, ..) => "unspecified",
        (192, 0, 0, _) => "reserved",
        (198, b, ..) if b == 18 || b == 19 => "benchmarking",
        (a, ..) if (224..=239).contains(&a) => "multicast",
        (a, ..) if a >= 240 => "reserved",
        _ => return None,
    })
}

fn classify_v6(ip: Ipv6Addr) -> Option<&'static str> {
    if let Some(v4) = ip.to_ipv4_mapped() {
        return classify_v4(v4);
    }
    let segments = ip.segments();
    let embedded = |hi: u16, lo: u16| Ipv4Addr::from((u32::from(hi) << 16) | u32::from(lo));
    match segments {
        [0, 0, 0, 0, 0, 0, 0, 0] => Some("unspecified"),
        [0, 0, 0, 0, 0, 0, 0, 1] => Some("loopback"),
        // NAT64 (64:ff9b::/96) and 6to4 (2002::/16) carry an IPv4 address.
        [0x64, 0xff9b, 0, 0, 0, 0, hi, lo] => classify_v4(embedded(hi, lo)),
        [0x2002, hi, lo, ..] => classify_v4(embedded(hi, lo)),
        [0xfd00, 0x0ec2, ..] => Some("metadata"),
        [s, ..] if s & 0xfe00 == 0xfc00 => Some("private"),
        [s, ..] if s & 0xffc0 == 0xfe80 => Some("link-local"),
        [s, ..] if s & 0xffc0 == 0xfec0 => Some("site-local"),
        [s, ..] if s & 0xff00 == 0xff00 => Some("multicast"),
        // IPv4-compatible (deprecated) ::a.b.c.d.
        [0, 0, 0, 0, 0, 0, hi, lo] => classify_v4(embedded(hi, lo)),
        _ => None,
    }
}

/// Resolves `host:port` and keeps the addresses the policy allows. Fails when the host
/// does not resolve, or resolves only to refused addresses (naming the first one).
pub fn resolve_allowed(
    host: &str,
    port: u16,
    allow_private: bool,
) -> Result<Vec<SocketAddr>, SourceError> {
    let host_only = host.trim_start_matches('[').trim_end_matches(']');
    let addrs: Vec<SocketAddr> = match host_only.parse::<IpAddr>() {
        Ok(ip) => vec![SocketAddr::new(ip, port)],
        Err(_) => (host_only, port)
            .to_socket_addrs()
            .map_err(|e| SourceError::Network {
                what: host_only.to_string(),
                reason: format!("cannot resolve host: {e}"),
            })?
            .collect(),
    };
    if allow_private {
        return Ok(addrs);
    }
    let mut refused = None;
    let allowed: Vec<SocketAddr> = addrs
        .into_iter()
        .filter(|addr| match classify(addr.ip()) {
            Some(class) => {
                refused.get_or_insert((addr.ip(), class));
                false
            }
            None => true,
        })
        .collect();
    match (allowed.is_empty(), refused) {
        (true, Some((ip, class))) => Err(SourceError::PrivateNetwork {
            host: host_only.to_string(),
            address: ip.to_string(),
            class,
        }),
        (true, None) => Err(SourceError::Network {
            what: host_only.to_string(),
            reason: "the host has no addresses".into(),
        }),
        _ => Ok(allowed),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn class(s: &str) -> Option<&'static str> {
        classify(s.parse().unwrap())
    }

    #[test]
    fn refuses_internal_addresses() {
        for (addr, expected) in [
            ("127.0.0.1", "loopback"),
            ("10.1.2.3", "private"),
            ("172.31.255.255", "private"),
            ("192.168.0.1", "private"),
            ("169.254.169.254", "metadata"),
            ("169.254.1.1", "link-local"),
            ("100.64.0.1", "shared (CGNAT)"),
            ("0.0.0.0", "unspecified"),
            ("::1", "loopback"),
            ("::ffff:127.0.0.1", "loopback"),
            ("::ffff:169.254.169.254", "metadata"),
            ("64:ff9b::a00:1", "private"),
            ("2002:c0a8:0101::1", "private"),
            ("fd00:ec2::254", "metadata"),
            ("fc00::1", "private"),
            ("fe80::1", "link-local"),
            ("ff02::1", "multicast"),
        ] {
            assert_eq!(class(addr), Some(expected), "{addr}");
        }
    }

    #[test]
    fn allows_public_addresses() {
        for addr in [
            "93.184.216.34",
            "172.32.0.1",
            "203.0.113.80",
            "2606:4700::1111",
        ] {
            assert_eq!(class(addr), None, "{addr}");
        }
    }

    #[test]
    fn literal_loopback_is_refused_unless_allowed() {
        let error = resolve_allowed("127.0.0.1", 80, false).unwrap_err();
        assert_eq!(error.code(), "PRIVATE_NETWORK_REFUSED");
        assert!(error.to_string().contains("--allow-private-network"));
        assert_eq!(resolve_allowed("127.0.0.1", 80, true).unwrap().len(), 1);
        assert!(resolve_allowed("localhost", 80, false).is_err());
    }
}
