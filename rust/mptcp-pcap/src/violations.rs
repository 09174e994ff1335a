//! The UDP connections on which Zeek stopped decapsulating a tunnel: its VXLAN, Geneve,
//! Teredo and AYIYA analyzers, on a header they report as a protocol violation, mark the
//! UDP connection (`AnalyzerViolation`), and decapsulate none of its later packets
//! (`AnalyzerViolated`). The mark lasts as long as the connection: a UDP connection ends
//! after Zeek's `udp_inactivity_timeout` (1 minute) without a packet, and a later packet
//! starts a new one, unmarked. The runner keeps only marked connections.

use std::collections::HashMap;
use std::net::IpAddr;

use crate::segment::{ends_key, EndsKey};
use crate::tunnel::UdpTunnel;

/// Zeek's default `udp_inactivity_timeout`, in seconds.
const INACTIVITY: f64 = 60.0;

/// A UDP connection, the same from either end.
type Key = EndsKey;

/// Marked UDP connections.
#[derive(Default)]
pub struct Violations {
    /// The connection's tunnels marked (`bit`), and its last packet's time.
    marked: HashMap<Key, (u8, f64)>,
    /// When marks were last checked against the inactivity timeout.
    swept: f64,
}

fn bit(t: UdpTunnel) -> u8 {
    1 << t as u8
}

impl Violations {
    /// A packet of the UDP connection between `a` and `b` at `ts`, for tunnel `t` (none:
    /// not one that stops): whether Zeek decapsulates it (false: the connection was
    /// marked for `t`). Any packet keeps a marked connection alive, as it keeps Zeek's;
    /// one that had ended is forgotten.
    pub fn allows(&mut self, a: (IpAddr, u16), b: (IpAddr, u16), t: Option<UdpTunnel>, ts: f64) -> bool {
        if self.marked.is_empty() {
            return true;
        }
        if ts - self.swept > INACTIVITY {
            self.marked.retain(|_, (_, last)| ts - *last <= INACTIVITY);
            self.swept = ts;
        }
        let k = ends_key(a, b);
        let Some((bits, last)) = self.marked.get_mut(&k) else { return true };
        if ts - *last > INACTIVITY {
            self.marked.remove(&k);
            return true;
        }
        *last = last.max(ts);
        t.is_none_or(|t| *bits & bit(t) == 0)
    }

    /// Zeek's analyzer of tunnel `t` reported a violation on the connection between `a`
    /// and `b` at `ts`.
    pub fn mark(&mut self, a: (IpAddr, u16), b: (IpAddr, u16), t: UdpTunnel, ts: f64) {
        let e = self.marked.entry(ends_key(a, b)).or_insert((0, ts));
        e.0 |= bit(t);
        e.1 = e.1.max(ts);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_mark_stops_its_tunnel_on_its_connection_until_the_connection_ends() {
        let (a, b, c) = (
            ("10.0.0.1".parse().unwrap(), 4789),
            ("10.0.0.2".parse().unwrap(), 4789),
            ("10.0.0.3".parse().unwrap(), 4789),
        );
        let mut v = Violations::default();
        assert!(v.allows(a, b, Some(UdpTunnel::Vxlan), 1.0));
        v.mark(a, b, UdpTunnel::Vxlan, 1.0);
        // Either direction, the same connection; another connection or tunnel: not marked.
        assert!(!v.allows(b, a, Some(UdpTunnel::Vxlan), 2.0));
        assert!(v.allows(a, c, Some(UdpTunnel::Vxlan), 2.0));
        assert!(v.allows(a, b, Some(UdpTunnel::Geneve), 2.0));
        // Each packet keeps the connection alive, a packet of no tunnel too: 59 s after
        // the last one, still marked.
        assert!(v.allows(a, b, None, 30.0));
        assert!(!v.allows(a, b, Some(UdpTunnel::Vxlan), 61.0));
        assert!(!v.allows(a, b, Some(UdpTunnel::Vxlan), 120.0));
        // More than a minute without a packet: a new connection, unmarked.
        assert!(v.allows(a, b, Some(UdpTunnel::Vxlan), 180.5));
        assert!(v.allows(a, b, Some(UdpTunnel::Vxlan), 181.0));
        assert!(v.marked.is_empty());
    }

    #[test]
    fn ended_connections_are_swept() {
        let mut v = Violations::default();
        for i in 0..100u16 {
            v.mark(("10.0.0.1".parse().unwrap(), i), ("10.0.0.2".parse().unwrap(), 4789), UdpTunnel::Vxlan, 1.0);
        }
        v.mark(("10.0.0.9".parse().unwrap(), 1), ("10.0.0.2".parse().unwrap(), 4789), UdpTunnel::Vxlan, 100.0);
        assert!(v.allows(
            ("10.0.0.8".parse().unwrap(), 1),
            ("10.0.0.2".parse().unwrap(), 4789),
            Some(UdpTunnel::Vxlan),
            100.0
        ));
        assert_eq!(v.marked.len(), 1);
    }
}
