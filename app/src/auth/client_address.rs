//! Which client a request comes from, for the per-client limits.
//!
//! The client is the socket's peer address. Only when that peer is a proxy
//! the operator trusts (setting `AGENDA_TRUSTED_PROXIES`) is the
//! `X-Forwarded-For` header read, from its right end: each proxy appends the
//! address it received from, so the rightmost address that is not a trusted
//! proxy is the client; anything left of it may be forged by the client.

use std::net::IpAddr;

/// The proxies whose `X-Forwarded-For` is believed. Empty by default: the
/// header is then ignored, whatever it says.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TrustedProxies(Vec<IpAddr>);

impl TrustedProxies {
    /// Parses a comma-separated list of IP addresses (spaces allowed; an
    /// empty list trusts nobody).
    pub fn parse(list: &str) -> Result<TrustedProxies, String> {
        let mut proxies = Vec::new();
        for item in list.split(',').map(str::trim).filter(|i| !i.is_empty()) {
            let ip: IpAddr = item
                .parse()
                .map_err(|_| format!("{item:?} is not an IP address"))?;
            proxies.push(ip.to_canonical());
        }
        Ok(TrustedProxies(proxies))
    }

    /// Whether `ip` is one of the trusted proxies.
    pub fn trusts(&self, ip: IpAddr) -> bool {
        self.0.contains(&ip.to_canonical())
    }

    /// The client of a request whose socket peer is `peer` and whose
    /// `X-Forwarded-For` header values are `forwarded` (in order).
    pub fn client<'a>(
        &self,
        peer: Option<IpAddr>,
        forwarded: impl IntoIterator<Item = &'a str>,
    ) -> Option<IpAddr> {
        let peer = peer?.to_canonical();
        if !self.trusts(peer) {
            return Some(peer);
        }
        let hops: Vec<&str> = forwarded
            .into_iter()
            .flat_map(|value| value.split(','))
            .map(str::trim)
            .collect();
        let mut client = peer;
        for hop in hops.iter().rev() {
            match hop.parse::<IpAddr>() {
                Ok(ip) => {
                    client = ip.to_canonical();
                    if !self.trusts(client) {
                        break;
                    }
                }
                // Garbage in the chain: the last proxy that spoke is as far
                // as we can believe.
                Err(_) => break,
            }
        }
        Some(client)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(s: &str) -> IpAddr {
        s.parse().expect("ip")
    }

    #[test]
    fn without_trusted_proxies_the_header_is_ignored() {
        let none = TrustedProxies::default();
        assert_eq!(
            none.client(Some(ip("198.51.100.1")), ["203.0.113.9"]),
            Some(ip("198.51.100.1"))
        );
        assert_eq!(none.client(None, ["203.0.113.9"]), None);
    }

    #[test]
    fn behind_a_trusted_proxy_the_rightmost_untrusted_hop_is_the_client() {
        let proxies = TrustedProxies::parse("10.0.0.1, 10.0.0.2").expect("list");
        // The client forged the first entry; the proxies appended the rest.
        assert_eq!(
            proxies.client(Some(ip("10.0.0.1")), ["1.1.1.1, 203.0.113.9", "10.0.0.2"]),
            Some(ip("203.0.113.9"))
        );
        // No header: the proxy itself is all we know.
        assert_eq!(
            proxies.client(Some(ip("10.0.0.1")), []),
            Some(ip("10.0.0.1"))
        );
        // Garbage stops the walk at the last believable hop.
        assert_eq!(
            proxies.client(Some(ip("10.0.0.1")), ["203.0.113.9, nonsense"]),
            Some(ip("10.0.0.1"))
        );
        // A peer that is not a trusted proxy is the client, header or not.
        assert_eq!(
            proxies.client(Some(ip("198.51.100.1")), ["203.0.113.9"]),
            Some(ip("198.51.100.1"))
        );
    }

    #[test]
    fn the_list_names_addresses_only() {
        assert_eq!(TrustedProxies::parse(""), Ok(TrustedProxies::default()));
        assert!(TrustedProxies::parse("10.0.0.1,proxy.local")
            .expect_err("a host name")
            .contains("proxy.local"));
        let mapped = TrustedProxies::parse("::ffff:10.0.0.1").expect("list");
        assert!(mapped.trusts(ip("10.0.0.1")));
    }
}
