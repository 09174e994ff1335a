//! IP fragments, put back together as Zeek does before any analysis (its
//! `FragReassembler`): a TCP segment or a tunnel's packet cut into IPv4 or IPv6 fragments
//! reaches the analysis whole, once its last missing piece arrives. Pieces wait at most
//! Zeek's default `frag_timeout` (5 minutes) of trace time. The reassembly itself is
//! etherparse's (`IpDefragPool`); fragments that contradict each other are dropped,
//! the packet with them.

use etherparse::defrag::IpDefragPool;
use etherparse::SlicedPacket;

/// Zeek's default `frag_timeout`, in seconds.
const TIMEOUT: f64 = 300.0;

/// What became of a fragment.
pub enum Fragment<'a> {
    /// It completed its packet: the IP protocol and payload of the whole packet.
    Whole(u8, &'a [u8]),
    /// Its packet still misses pieces (kept), or it could not be used: contradicting
    /// the pieces before it, or cut short by the capture (not kept).
    Held,
}

/// Fragments waiting for the rest of their packets, across the frames of a run.
#[derive(Default)]
pub struct Fragments {
    pool: IpDefragPool<f64, usize>,
    /// The last packet put back together (its IP payload).
    whole: Vec<u8>,
    /// When waiting pieces were last checked against the timeout.
    swept: f64,
}

impl Fragments {
    /// Add `ip`, a whole IP packet (header and payload as the header's length says) that
    /// is a fragment, seen at `ts`; `layer` tells tunnel depths apart (a fragment inside
    /// a tunnel never completes a packet outside it).
    pub fn add(&mut self, ip: &[u8], ts: f64, layer: usize) -> Fragment<'_> {
        if ts - self.swept > TIMEOUT / 10.0 {
            self.pool.retain(|&t| ts - t < TIMEOUT);
            self.swept = ts;
        }
        let Ok(sliced) = SlicedPacket::from_ip(ip) else { return Fragment::Held };
        match self.pool.process_sliced_packet(&sliced, ts, layer) {
            Ok(Some(whole)) => {
                let proto = whole.ip_number.0;
                self.whole = whole.payload;
                Fragment::Whole(proto, &self.whole)
            }
            Ok(None) | Err(_) => Fragment::Held,
        }
    }
}

/// Tunneled packets cut into fragments of any size, in any order, any byte of one
/// fragment changed: decoding never panics, and untouched packets come out whole, once.
#[cfg(test)]
mod prop {
    use crate::segment::tcp_segment;
    use crate::tunnel::tests_support::*;
    use pcap_parser::Linktype;
    use proptest::prelude::*;

    /// `ip` (an IPv4 packet without options) as fragments of `size` payload bytes.
    fn fragments(ip: &[u8], size: usize, id: u16) -> Vec<Vec<u8>> {
        let payload = &ip[20..];
        (0..payload.len())
            .step_by(size)
            .map(|off| {
                let piece = &payload[off..(off + size).min(payload.len())];
                let mut h = ip[..20].to_vec();
                h[2..4].copy_from_slice(&((20 + piece.len()) as u16).to_be_bytes());
                h[4..6].copy_from_slice(&id.to_be_bytes());
                let more = if off + size < payload.len() { 0x2000u16 } else { 0 };
                h[6..8].copy_from_slice(&(more | (off / 8) as u16).to_be_bytes());
                h.extend_from_slice(piece);
                ethernet(0x0800, &h)
            })
            .collect()
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(3000))]

        #[test]
        fn fragmented_tunnels(kind in 0..TUNNELS, nest in 0..2usize, size8 in 1..12usize,
                              order in any::<prop::sample::Index>(), inner_too in any::<bool>(),
                              change in any::<Option<(prop::sample::Index, prop::sample::Index, u8)>>()) {
            let mut ip = tcp_in_ipv4();
            for _ in 0..=nest {
                ip = wrap(kind, &ip);
            }
            let mut frames: Vec<Vec<u8>> = if inner_too {
                // Fragments inside fragments: the inner ones are not put together (one
                // packet per frame), as documented.
                let inner = fragments(&ip, 8 * size8, 2);
                inner.iter().flat_map(|f| fragments(&wrap(0, &f[14..]), 8 * size8, 1)).collect()
            } else {
                fragments(&ip, 8 * size8, 1)
            };
            let n = frames.len();
            frames.rotate_left(order.index(n));
            if let Some((which, at, byte)) = change {
                let f = &mut frames[which.index(n)];
                let i = at.index(f.len());
                f[i] = byte;
            }
            let mut pool = crate::fragments::Fragments::default();
            let mut found = 0;
            for f in &frames {
                if let Ok(seg) = tcp_segment(Linktype::ETHERNET, f, f.len() as u32, 0.0, &mut pool, &mut Default::default(), false) {
                    if seg.sport == 1234 {
                        found += 1;
                    }
                }
            }
            let single = frames.len() == 1; // not fragmented at all
            if change.is_none() && !(kind == GTP && nest > 0) && (!inner_too || single) {
                prop_assert_eq!(found, 1);
            }
        }
    }
}
