//! The repeated-DSS shortcut of the per-packet path.
//!
//! Linux repeats a DSS mapping on every segment it covers, and the data ACK in it only
//! moves when the other direction delivers data; so in a bulk transfer nearly every data
//! segment carries, byte for byte, the DSS option of the segment before it on the same
//! subflow direction. Applying such an option a second time changes nothing: the mapping
//! is already the direction's newest (`SubflowDir::add` ignores it), the data ACK is
//! not above the highest one seen (a maximum), DATA_FIN and fallbacks are excluded from
//! the shortcut. What is left to do for the packet is its timestamp and its payload.
//!
//! On a subflow without data-level streams a DSS only raises maxima and sets flags, so
//! any repeat changes nothing. On a reassembled subflow the memo is kept only where the
//! argument holds: no DSS checksum in use (a mapping's checksum run and held bytes make
//! a repeat meaningful), no DATA_FIN, no infinite mapping, a data ACK only when it was
//! applied (not before the stream it acknowledges started, nor too far ahead of it: the
//! same ACK may apply later). 32-bit DSNs and data ACKs are read relative to where the
//! streams are: the memo is kept only when they were within 2^30 of the position, holds
//! both streams' positions, and is not used once either moved 2^30 bytes on (so the same
//! 32 bits still mean the same DSN). It is set after the full handling of a DSS option
//! and cleared by any packet of the subflow that takes the general path (SYN, RST, other
//! options), so that a shortcut is never taken across a change the general path made.
//!
//! The second shortcut, for a DSS carrying only a data ACK (`Tracker::dss_ack`), does not
//! rely on the memo: it applies the ACK through the general path's own helpers, and
//! leaves the memo as the general path would.

use super::state::{ConnStream, Subflow};
use super::*;
use crate::option::Dss;
use crate::reassembly::Output;

/// Longest DSS option: 4-byte header, 8-byte data ACK, 8-byte DSN, SSN, length, checksum.
const MAX_DSS: usize = 28;

/// The raw bytes of the last DSS option a direction of a subflow sent, when applying it
/// again would change nothing.
#[derive(Debug, Default, Clone, Copy)]
pub struct DssMemo {
    len: u8,
    raw: [u8; MAX_DSS],
    /// Both streams' positions when the option was handled.
    at: [u64; 2],
}

/// How far a stream may move before a memo no longer stands for its 32-bit fields.
const DRIFT: u64 = 1 << 30;

impl DssMemo {
    /// Whether `raw` is the remembered option. DSS options are 4 to 28 bytes long: two
    /// overlapping fixed-size loads from each end cover any length without a call to
    /// memcmp (this runs on nearly every MPTCP packet).
    #[inline(always)]
    pub fn matches(&self, raw: &[u8]) -> bool {
        let n = raw.len();
        if self.len as usize != n || n < 4 {
            return false;
        }
        let m = &self.raw[..n];
        if n >= 16 {
            word::<16>(raw, 0) == word::<16>(m, 0) && word::<16>(raw, n - 16) == word::<16>(m, n - 16)
        } else if n >= 8 {
            word::<8>(raw, 0) == word::<8>(m, 0) && word::<8>(raw, n - 8) == word::<8>(m, n - 8)
        } else {
            word::<4>(raw, 0) == word::<4>(m, 0) && word::<4>(raw, n - 4) == word::<4>(m, n - 4)
        }
    }

    pub(super) fn set(&mut self, raw: &[u8], at: [u64; 2]) {
        if raw.len() <= MAX_DSS {
            self.raw[..raw.len()].copy_from_slice(raw);
            self.len = raw.len() as u8;
            self.at = at;
        } else {
            self.len = 0;
        }
    }

    pub(super) fn clear(&mut self) {
        self.len = 0;
    }
}

/// `N` bytes of `b` from `at` (the caller checked the length).
#[inline(always)]
fn word<const N: usize>(b: &[u8], at: usize) -> [u8; N] {
    let mut w = [0u8; N];
    w.copy_from_slice(&b[at..at + N]);
    w
}

impl Tracker {
    /// The shortcut: true when `raw` repeats the memo of the packet's subflow direction
    /// and the packet has been handled (timestamp and payload).
    #[inline(always)]
    pub(super) fn dss_repeat(&mut self, id: SubflowId, pkt: &PacketInfo<'_>, raw: &[u8]) -> bool {
        let Some(s) = self.subflows.get(id) else { return false };
        let Some(memo) = s.memo.as_deref() else { return false };
        let dir = usize::from(!pkt.is_orig);
        if !memo[dir].matches(raw) {
            return false;
        }
        // A memo is set only on a subflow of a connection.
        let Some(ch) = s.conn else { return false };
        let at = memo[dir].at;
        // A segment the capture cut short is not placed (see `stream_payload`); with a
        // mapping known, nothing else can come of it. Without streams, payload is not used.
        let payload = match s.stream.as_deref() {
            Some(ss) => {
                pkt.payload_len != 0 && (pkt.payload.len() >= pkt.payload_len as usize || !ss.dirs[dir].has_mapping())
            }
            None => false,
        };
        let streamed = s.stream.is_some();
        let Some(c) = self.conns.get_mut(ch) else { return false };
        if streamed {
            let Some(cs) = c.stream.as_deref() else { return false };
            if cs.dirs[0].position().wrapping_sub(at[0]) >= DRIFT || cs.dirs[1].position().wrapping_sub(at[1]) >= DRIFT
            {
                return false;
            }
        }
        c.last_ts = pkt.ts;
        if payload {
            self.stream_payload(id, pkt);
        }
        true
    }

    /// The other half of a bulk transfer's packets: a DSS carrying only a data ACK (pure
    /// ACKs, whose data ACK moves on). Handled as the general path handles it (`dss`,
    /// `stream_dss`, the same helpers), without the option walk, the decode and the
    /// repeated lookups. False, with nothing done, for anything else. Out of line: the
    /// repeat is the hotter path and keeps its registers.
    #[inline(never)]
    pub(super) fn dss_ack(&mut self, id: SubflowId, pkt: &PacketInfo<'_>, raw: &[u8]) -> bool {
        use crate::option::dss_flags as f;
        let flags = raw[3];
        let ack8 = flags & f::DATA_ACK8 != 0;
        if flags & (f::DATA_ACK | f::MAPPING | f::DATA_FIN) != f::DATA_ACK || raw.len() != if ack8 { 12 } else { 8 } {
            return false;
        }
        let ack = if ack8 {
            u64::from_be_bytes([raw[4], raw[5], raw[6], raw[7], raw[8], raw[9], raw[10], raw[11]])
        } else {
            u64::from(u32::from_be_bytes([raw[4], raw[5], raw[6], raw[7]]))
        };
        let Tracker { subflows, conns, out, cfg, .. } = self;
        let Some(s) = subflows.get_mut(id) else { return false };
        let Some(ch) = s.conn else { return false };
        let Some(c) = conns.get_mut(ch) else { return false };
        let sender = if pkt.is_orig { s.orig_side as usize } else { 1 - s.orig_side as usize };
        c.last_ts = pkt.ts;
        if ack8 {
            c.data_ack[sender] = Some(c.data_ack[sender].map_or(ack, |x| x.max(ack)));
        }
        match (s.stream.is_some(), c.stream.as_deref_mut()) {
            (true, Some(cs)) => {
                out.mptcp_id = c.id;
                out.position_bound = false;
                super::data::data_ack(cs, c.idsn[1 - sender], sender, ack, ack8, cfg.reinject_window, out);
                let d = Dss { flags, data_ack: Some(ack), dsn: None, ssn: None, data_len: None, checksum: None };
                remember(s, Some(raw), pkt.is_orig, &d, sender, c.checksum, cs, out);
            }
            _ => memo_set(s, pkt.is_orig, raw, [0, 0]),
        }
        if !self.out.issues.is_empty() {
            self.take_issues(id);
        }
        if pkt.payload_len != 0 {
            self.payload(id, pkt);
        }
        true
    }

    /// A packet of the subflow took the general path: no shortcut until the next DSS.
    #[inline]
    pub(super) fn forget_dss(&mut self, id: SubflowId) {
        if let Some(s) = self.subflows.get_mut(id) {
            forget(s);
        }
    }
}

/// After the general handling of DSS option `d` (from side `sender`, in `raw` when the
/// packet carried nothing else) on a reassembled subflow: remember it when handling it
/// again would change nothing (see the module's comment), forget the subflow's memo
/// otherwise. `checksum`: the connection uses DSS checksums; `out`: the streams' report
/// of that handling.
#[allow(clippy::too_many_arguments)]
#[inline]
pub(super) fn remember(
    s: &mut Subflow,
    raw: Option<&[u8]>,
    is_orig: bool,
    d: &Dss,
    sender: usize,
    checksum: bool,
    cs: &ConnStream,
    out: &Output,
) {
    let acked_started = d.data_ack.is_none() || cs.dirs[1 - sender].base().is_some();
    let repeatable = d.checksum.is_none()
        && !d.data_fin()
        && !d.infinite_mapping()
        && !checksum
        && cs.holding == [0, 0]
        && !out.position_bound
        && acked_started;
    match raw {
        Some(raw) if repeatable => memo_set(s, is_orig, raw, [cs.dirs[0].position(), cs.dirs[1].position()]),
        _ => forget(s),
    }
}

/// Remember `raw` for the subflow direction of `is_orig` (`at`: both streams' positions,
/// zeros without streams).
pub(super) fn memo_set(s: &mut Subflow, is_orig: bool, raw: &[u8], at: [u64; 2]) {
    s.memo.get_or_insert_with(Default::default)[usize::from(!is_orig)].set(raw, at);
}

/// No shortcut for the subflow until its next DSS.
pub(super) fn forget(s: &mut Subflow) {
    if let Some(m) = s.memo.as_deref_mut() {
        m[0].clear();
        m[1].clear();
    }
}

#[cfg(test)]
mod tests {
    use super::DssMemo;

    #[test]
    fn a_memo_matches_its_own_bytes_only_at_every_dss_length() {
        for n in [4usize, 8, 12, 16, 20, 22, 24, 26, 28] {
            let raw: Vec<u8> = (0..n as u8).map(|i| i.wrapping_mul(37).wrapping_add(5)).collect();
            let mut m = DssMemo::default();
            assert!(!m.matches(&raw), "an empty memo matched {n} bytes");
            m.set(&raw, [0, 0]);
            assert!(m.matches(&raw), "{n} bytes");
            assert!(!m.matches(&raw[..n - 2]), "a prefix of {n} bytes");
            for i in 0..n {
                let mut other = raw.clone();
                other[i] ^= 0x40;
                assert!(!m.matches(&other), "byte {i} of {n} changed");
            }
            m.clear();
            assert!(!m.matches(&raw));
        }
    }
}
