//! Who is asking, behind a reverse proxy. Yui speaks plain HTTP; HTTPS ends at a proxy (nginx,
//! Caddy), so every TCP peer would be the proxy, and the rate limits would count the whole town
//! as one visitor. From a peer listed in `server.trusted_proxies` the client's address comes
//! from `Forwarded` (RFC 7239) or else `X-Forwarded-For`: the rightmost address that is not
//! itself a trusted proxy (everything left of it could have been written by the client). From
//! any other peer those headers are ignored: anyone can send them.

use crate::state::AppState;
use actix_web::http::header::HeaderMap;
use actix_web::{web, HttpRequest};
use ipnet::IpNet;
use std::net::IpAddr;

/// The client's address, as the rate limits and the logs count it.
pub fn address(req: &HttpRequest) -> Option<IpAddr> {
    let peer = req.peer_addr()?.ip();
    let trusted = req.app_data::<web::Data<AppState>>().map_or(&[][..], |s| &s.settings.trusted_proxies[..]);
    Some(behind(peer, req.headers(), trusted))
}

fn is_trusted(ip: IpAddr, trusted: &[IpNet]) -> bool {
    // An IPv4 peer may arrive as ::ffff:a.b.c.d on a dual-stack socket.
    let ip = match ip {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(ip, IpAddr::V4),
        v4 => v4,
    };
    trusted.iter().any(|net| net.contains(&ip))
}

/// The client behind `peer`: see the module's comment.
pub fn behind(peer: IpAddr, headers: &HeaderMap, trusted: &[IpNet]) -> IpAddr {
    if !is_trusted(peer, trusted) {
        return peer;
    }
    let forwarded = forwarded_pairs(headers, "for");
    let hops: Vec<Option<IpAddr>> = if forwarded.is_empty() {
        headers
            .get_all("x-forwarded-for")
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(','))
            .map(|hop| parse_hop(hop.trim()))
            .collect()
    } else {
        forwarded.iter().map(|hop| parse_hop(hop)).collect()
    };
    for hop in hops.iter().rev() {
        match hop {
            Some(ip) if is_trusted(*ip, trusted) => continue,
            Some(ip) => return *ip,
            // 「unknown」 or an obfuscated name: nothing to the left of it can be believed, and it
            // names nobody to count; the proxy's own address stands in.
            None => return peer,
        }
    }
    // Every hop is a trusted proxy: the leftmost one is the client as far as anyone knows.
    hops.first().copied().flatten().unwrap_or(peer)
}

/// The values of `key` in every `Forwarded` element, in order (`for=192.0.2.1;proto=https`).
fn forwarded_pairs(headers: &HeaderMap, key: &str) -> Vec<String> {
    headers
        .get_all("forwarded")
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .flat_map(|element| element.split(';'))
        .filter_map(|pair| {
            let (k, v) = pair.split_once('=')?;
            k.trim().eq_ignore_ascii_case(key).then(|| v.trim().trim_matches('"').to_owned())
        })
        .collect()
}

/// `192.0.2.1`, `192.0.2.1:4711`, `[2001:db8::1]:4711` or `2001:db8::1`.
fn parse_hop(hop: &str) -> Option<IpAddr> {
    if let Ok(ip) = hop.parse() {
        return Some(ip);
    }
    if let Some(rest) = hop.strip_prefix('[') {
        return rest.split(']').next()?.parse().ok();
    }
    hop.rsplit_once(':').and_then(|(ip, _port)| ip.parse().ok())
}

/// `server.trusted_proxies`: addresses or CIDR ranges.
pub fn parse_trusted(list: &[String]) -> Result<Vec<IpNet>, String> {
    list.iter()
        .map(|s| {
            let s = s.trim();
            s.parse::<IpNet>()
                .or_else(|_| s.parse::<IpAddr>().map(IpNet::from))
                .map_err(|_| format!("{s:?} is not an address or a CIDR range (such as 10.0.0.0/8)"))
        })
        .collect()
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use actix_web::http::header::{HeaderName, HeaderValue};

    fn headers(pairs: &[(&str, &str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.append(HeaderName::from_bytes(k.as_bytes()).unwrap(), HeaderValue::from_str(v).unwrap());
        }
        h
    }

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    #[test]
    fn headers_count_only_from_a_trusted_proxy() {
        let trusted = parse_trusted(&["10.0.0.0/8".into(), "127.0.0.1".into()]).unwrap();
        let spoofed = headers(&[("x-forwarded-for", "198.51.100.7")]);
        assert_eq!(behind(ip("203.0.113.9"), &spoofed, &trusted), ip("203.0.113.9"), "a stranger's header is ignored");
        assert_eq!(behind(ip("10.1.2.3"), &spoofed, &trusted), ip("198.51.100.7"));
        assert_eq!(behind(ip("::ffff:127.0.0.1"), &spoofed, &trusted), ip("198.51.100.7"), "v4-mapped peer");
        assert_eq!(behind(ip("10.1.2.3"), &headers(&[]), &trusted), ip("10.1.2.3"), "no header: the peer");
    }

    #[test]
    fn the_rightmost_untrusted_hop_is_the_client() {
        let trusted = parse_trusted(&["10.0.0.0/8".into()]).unwrap();
        // The client wrote 1.1.1.1 itself; our proxies appended the real address and each other.
        let h = headers(&[("x-forwarded-for", "1.1.1.1, 198.51.100.7"), ("x-forwarded-for", "10.0.0.5")]);
        assert_eq!(behind(ip("10.0.0.6"), &h, &trusted), ip("198.51.100.7"));
        let h = headers(&[("forwarded", r#"for=1.1.1.1, for="[2001:db8::7]:4711";proto=https, for=10.0.0.5"#)]);
        assert_eq!(behind(ip("10.0.0.6"), &h, &trusted), ip("2001:db8::7"), "Forwarded wins");
        let h = headers(&[("forwarded", "for=unknown")]);
        assert_eq!(behind(ip("10.0.0.6"), &h, &trusted), ip("10.0.0.6"), "an unknown hop: the proxy");
        let h = headers(&[("x-forwarded-for", "10.0.0.9, 10.0.0.5")]);
        assert_eq!(behind(ip("10.0.0.6"), &h, &trusted), ip("10.0.0.9"), "all trusted: the leftmost");
        let h = headers(&[("x-forwarded-for", "198.51.100.7:5555")]);
        assert_eq!(behind(ip("10.0.0.6"), &h, &trusted), ip("198.51.100.7"), "with a port");
    }

    #[test]
    fn bad_ranges_are_named() {
        let err = parse_trusted(&["10.0.0.0/33".into()]).unwrap_err();
        assert!(err.contains("10.0.0.0/33"), "{err}");
        assert!(parse_trusted(&["proxy.local".into()]).is_err());
        assert_eq!(parse_trusted(&["::1".into(), "192.168.0.0/16".into()]).unwrap().len(), 2);
    }
}
