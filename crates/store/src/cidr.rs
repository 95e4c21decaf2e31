//! A key's source-address allowlist: at most 20 networks, validated like Python's
//! `ipaddress.ip_network` (strict: no host bits set; a bare address is a /32 or /128).
//! An empty list allows every address. IPv4-mapped IPv6 sources are matched as IPv4.

use std::net::IpAddr;

use ipnet::IpNet;

use crate::error::{Result, StoreError};

/// Networks an allowlist may hold.
pub const MAX_CIDRS: usize = 20;

/// Parses and validates an allowlist.
pub fn parse_allowlist<S: AsRef<str>>(entries: &[S]) -> Result<Vec<IpNet>> {
    if entries.len() > MAX_CIDRS {
        return Err(StoreError::invalid(
            "CIDR allowlist",
            format!("at most {MAX_CIDRS} entries (got {})", entries.len()),
        ));
    }
    let mut nets = Vec::with_capacity(entries.len());
    for entry in entries {
        let net = parse_one(entry.as_ref().trim())?;
        if !nets.contains(&net) {
            nets.push(net);
        }
    }
    Ok(nets)
}

/// One network.
fn parse_one(entry: &str) -> Result<IpNet> {
    let net = match entry.parse::<IpNet>() {
        Ok(net) => net,
        Err(_) => entry
            .parse::<IpAddr>()
            .map(IpNet::from)
            .map_err(|_| StoreError::invalid("CIDR", format!("{entry:?} is not an IP network")))?,
    };
    if net.trunc() != net {
        return Err(StoreError::invalid(
            "CIDR",
            format!(
                "{entry:?} has host bits set (did you mean {}?)",
                net.trunc()
            ),
        ));
    }
    Ok(net)
}

/// Whether `source` may use a key with this allowlist.
pub fn allows(allowlist: &[IpNet], source: IpAddr) -> bool {
    if allowlist.is_empty() {
        return true;
    }
    let source = source.to_canonical();
    allowlist.iter().any(|net| net.contains(&source))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn networks_and_bare_addresses_parse() {
        let nets =
            parse_allowlist(&["10.0.0.0/8", "192.0.2.7", "2001:db8::/32", " 10.0.0.0/8 "]).unwrap();
        let shown: Vec<_> = nets.iter().map(ToString::to_string).collect();
        assert_eq!(shown, ["10.0.0.0/8", "192.0.2.7/32", "2001:db8::/32"]);
    }

    #[test]
    fn invalid_entries_are_refused_with_the_entry_named() {
        for bad in [
            "10.0.0.1/8",
            "10.0.0.0/33",
            "not-an-ip",
            "",
            "10.0.0.0/",
            "::1/129",
        ] {
            let err = parse_allowlist(&[bad]).unwrap_err().to_string();
            assert!(err.contains(&format!("{bad:?}")), "{bad}: {err}");
        }
        let err = parse_allowlist(&["10.0.0.1/8"]).unwrap_err().to_string();
        assert!(err.contains("10.0.0.0/8"), "{err}");
    }

    #[test]
    fn at_most_twenty_entries() {
        let entries: Vec<String> = (0..20).map(|i| format!("10.{i}.0.0/16")).collect();
        assert_eq!(parse_allowlist(&entries).unwrap().len(), 20);
        let mut too_many = entries.clone();
        too_many.push("10.99.0.0/16".into());
        assert!(parse_allowlist(&too_many).is_err());
    }

    #[test]
    fn membership() {
        let nets = parse_allowlist(&["10.0.0.0/8", "2001:db8::/32"]).unwrap();
        assert!(allows(&nets, "10.1.2.3".parse().unwrap()));
        assert!(allows(&nets, "::ffff:10.1.2.3".parse().unwrap()));
        assert!(allows(&nets, "2001:db8::1".parse().unwrap()));
        assert!(!allows(&nets, "11.0.0.1".parse().unwrap()));
        assert!(!allows(&nets, "2001:db9::1".parse().unwrap()));
        assert!(allows(&[], "11.0.0.1".parse().unwrap()));
    }
}
