//! The repeated-DSS shortcut of the per-packet path, and the ACK-only one.
//!
//! Linux repeats a DSS mapping on every segment it covers, and the data ACK in it only
//! moves when the other direction delivers data; so in a bulk transfer nearly every data
//! segment carries, byte for byte, the DSS option of the segment before it on the same
//! subflow direction. Applying such an option a second time changes nothing: the mapping
//! is already the direction's newest (`SubflowDir::add` ignores it), the data ACK is
//! not above the highest one seen (a maximum), DATA_FIN and fallbacks are excluded from
//! the shortcut. What is left to do for the packet is its timestamp, and its payload when
//! that is to be placed in a stream.
//!
//! The memo of such an option lives in the caller's [`Slot`], not in the tracker: the
//! caller hands the slot over with every packet anyway, so [`Tracker::shortcut`]
//! recognises a repeat without a lookup in the tracker's tables, and keeps the packet's
//! timestamp in the slot too (`Slot::shortcut_ts`, folded into the connection when the
//! slot is removed: a connection's last timestamp is a maximum, so when it is folded
//! does not matter). A memo is the packet's option area apart from the timestamp values:
//! NOP, NOP, the timestamps' kind and length, the DSS option and its NOP/EOL padding.
//!
//! On a subflow without data-level streams a DSS only raises maxima and sets flags, so
//! any repeat changes nothing. On a reassembled subflow the memo is kept only where the
//! argument holds: no DSS checksum in use (a mapping's checksum run and held bytes make
//! a repeat meaningful), no DATA_FIN, no infinite mapping, a data ACK only when it was
//! applied (not before the stream it acknowledges started, nor too far ahead of it: the
//! same ACK may apply later), and 32-bit DSNs and data ACKs read near the streams'
//! positions (within 2^30). A packet whose payload must be placed in a stream is
//! declined by [`Tracker::shortcut`]; [`Tracker::shortcut_data`] then places it as the
//! general path does, without decoding or applying the option again, and settles the
//! memo as the general path settles it.
//!
//! A memo is set only after the full handling of a DSS option on an established subflow
//! of a connection, and it stops counting when anything could have changed what the
//! option means:
//! - any packet of the subflow that takes the general path (SYN, RST, other options)
//!   clears the slot's memos, or replaces its direction's;
//! - per connection, the tracker keeps a memo epoch (`Tracker::memo_epochs`, a number
//!   never used twice) that a memo must match. It changes when the connection starts or
//!   releases its streams, when either stream's position crosses a multiple of 2^29
//!   (so that a memo's 32-bit numbers are never read 2^30 or more from where they were
//!   first read), and when the connection goes away (a stale slot never matches the
//!   connection that reuses its table index).
//!
//! The ACK-only shortcut, for a DSS carrying only a data ACK (`Tracker::packet_ack`),
//! does not rely on the memo: it applies the ACK through the general path's own helpers,
//! and leaves the memo as the general path would.

use super::slab;
use super::state::{ConnStream, Subflow};
use super::*;
use crate::option::Dss;
use crate::reassembly::Output;

/// Longest option area after NOP, NOP and the timestamps option: 40 - 12 bytes.
const MAX_TAIL: usize = 28;

/// NOP, NOP, timestamps kind and length: how Linux starts a data segment's options.
const NOP_NOP_TS: [u8; 4] = [1, 1, 8, 10];

/// [`DssMemo::flags`]: the subflow feeds data-level streams.
const STREAMED: u8 = 1;
/// [`DssMemo::flags`]: the direction had a mapping when the memo was taken.
const MAPPED: u8 = 2;
/// [`DssMemo::flags`]: the option carries only a data ACK (of 4 bytes, or 8 with
/// [`ACK8`]), in the Linux layout: the next pure ACK differs from it in those bytes only.
const ACK_ONLY: u8 = 4;
const ACK8: u8 = 8;
/// [`DssMemo::flags`]: the direction's sender is the connection's side B.
const SENDER_B: u8 = 16;

/// What a subflow direction's last DSS looked like, when applying it again would change
/// nothing (see the tracker's `repeat.rs`). Plain data, part of [`Slot`]; only the
/// tracker reads or writes it.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct DssMemo {
    /// Length of the packet's TCP header, options included (0: no memo; else 36 to 60).
    hdr: u8,
    flags: u8,
    /// The option area from byte 12 on: the DSS option and its padding (28 bytes:
    /// `MAX_TAIL`, spelled out for the C header).
    tail: [u8; 28],
    /// To 32 bytes: a direction's memo is then found with a shift.
    pad: [u8; 2],
}

impl DssMemo {
    /// Whether `h`, a TCP header of the remembered length, carries the remembered options,
    /// timestamp values aside: NOP, NOP, the timestamps' kind and length, then the tail.
    /// Tails are 4 to 28 bytes long: two overlapping fixed-size loads from each end cover
    /// any length without a call to memcmp (this runs on nearly every MPTCP packet).
    #[inline(always)]
    fn matches(&self, h: &[u8]) -> bool {
        if h.len() < 36 || word::<4>(h, 20) != NOP_NOP_TS {
            return false;
        }
        let (tail, n) = (&h[32..], h.len() - 32);
        let Some(m) = self.tail.get(..n) else { return false };
        if n >= 16 {
            word::<16>(tail, 0) == word::<16>(m, 0) && word::<16>(tail, n - 16) == word::<16>(m, n - 16)
        } else if n >= 8 {
            word::<8>(tail, 0) == word::<8>(m, 0) && word::<8>(tail, n - 8) == word::<8>(m, n - 8)
        } else {
            word::<4>(tail, 0) == word::<4>(m, 0) && word::<4>(tail, n - 4) == word::<4>(m, n - 4)
        }
    }

    /// The TCP header of `seg` when it has the length this memo remembers and neither
    /// SYN nor RST: what both shortcuts start from. The length is checked first (0
    /// without a memo, else 36 to 60, see `set`), so the header's bytes need no bounds
    /// checks of their own.
    #[inline(always)]
    fn header<'a>(&self, seg: &Segment<'a>) -> Option<&'a [u8]> {
        let hdr = usize::from(self.hdr);
        if hdr < 36 {
            return None;
        }
        let h = seg.tcp.get(..hdr)?;
        (usize::from(h[12] >> 4) * 4 == hdr && h[13] & (tcp_flags::SYN | tcp_flags::RST) == 0).then_some(h)
    }

    /// The TCP header of `seg` when it carries the remembered options (`header`, then
    /// `matches`): what both repeat shortcuts start from; the memo's epoch is theirs to check.
    #[inline(always)]
    fn repeated_by<'a>(&self, seg: &Segment<'a>) -> Option<&'a [u8]> {
        let h = self.header(seg)?;
        self.matches(h).then_some(h)
    }

    /// Remember `options`, a packet's TCP option area, when it fits a memo (none else).
    fn set(&mut self, options: &[u8], flags: u8) {
        let n = options.len().wrapping_sub(12);
        *self = DssMemo::default();
        if (4..=MAX_TAIL).contains(&n) {
            self.tail[..n].copy_from_slice(&options[12..]);
            self.hdr = (20 + options.len()) as u8;
            self.flags = flags;
        }
    }
}

/// The slot's memo of a packet's direction: indexed by `is_orig` as it comes (1 for the
/// originator's), which spares the per-packet path an instruction.
#[inline(always)]
fn memo_dir(is_orig: bool) -> usize {
    usize::from(is_orig)
}

/// The data ACK at `at` in `b`: 8 bytes with `ack8`, else 4.
#[inline(always)]
fn data_ack_at(b: &[u8], at: usize, ack8: bool) -> u64 {
    if ack8 {
        crate::decode::be64(b, at)
    } else {
        u64::from(crate::decode::be32(b, at))
    }
}

/// `N` bytes of `b` from `at` (the caller checked the length).
#[inline(always)]
fn word<const N: usize>(b: &[u8], at: usize) -> [u8; N] {
    let mut w = [0u8; N];
    w.copy_from_slice(&b[at..at + N]);
    w
}

/// What the handling of a packet decided about its subflow's memos (`Subflow::memo_op`),
/// applied to the slot once the packet is handled (`Tracker::settle`).
pub(super) mod memo_op {
    /// Nothing: the slot's memos stay as they are.
    pub const NONE: u8 = 0;
    /// Remember the packet's option area for its direction.
    pub const KEEP: u8 = 1;
    /// Forget both directions' memos.
    pub const FORGET: u8 = 2;
}

impl Tracker {
    /// The repeated-DSS shortcut: true when `seg` repeats the DSS option remembered in
    /// `slot` for its direction and nothing is left to do with it (no payload to place
    /// in a stream); its timestamp is then kept in the slot. False, with nothing done,
    /// when the packet needs [`Tracker::packet_quiet`]. Reads no table but the memo
    /// epochs: this is nearly every packet of a bulk MPTCP transfer.
    #[inline(always)]
    pub fn shortcut(&self, slot: &mut Slot, seg: &Segment<'_>) -> bool {
        let m = &slot.memo[memo_dir(seg.is_orig)];
        let Some(h) = m.repeated_by(seg) else { return false };
        if m.flags & STREAMED != 0 {
            // A segment the capture cut short is not placed (see `stream_payload`); with a
            // mapping known, nothing else can come of it. A whole payload goes to the stream
            // (`shortcut_data`), as does any payload of a caller that does not reassemble
            // (`seg.reassemble`; such a caller's tracker has no streams, so no memo says
            // STREAMED: not tested here).
            let wire = seg.tcp_len as usize;
            if wire > h.len() && (seg.tcp.len() >= wire || m.flags & MAPPED == 0) {
                return false;
            }
        }
        if !self.memo_current(slot) {
            return false;
        }
        if seg.ts > slot.shortcut_ts {
            slot.shortcut_ts = seg.ts;
        }
        true
    }

    /// The repeated-DSS shortcut for a segment whose payload goes to a stream, the case
    /// [`Tracker::shortcut`] declines: the option repeats the remembered one, so it is not
    /// decoded or applied again, and the payload is placed and the memo settled as the
    /// general path places and settles them (`Tracker::payload`, `Tracker::settle`). False,
    /// with nothing done, for anything else. Events and deliveries it produced wait as
    /// after [`Tracker::packet_quiet`]; DATA deliveries point into the segment's payload.
    #[inline(always)]
    pub fn shortcut_data(&mut self, slot: &mut Slot, seg: &Segment<'_>) -> bool {
        // A whole payload under a mapping (what `shortcut` declines), checked inline: pure
        // ACKs and segments the capture cut come here too, on their way to other paths.
        let m = &slot.memo[memo_dir(seg.is_orig)];
        let hdr = usize::from(m.hdr);
        let wire = (seg.tcp_len as usize).saturating_sub(hdr);
        if m.flags & (STREAMED | MAPPED) != STREAMED | MAPPED
            || !seg.reassemble
            || wire == 0
            || seg.tcp.len().saturating_sub(hdr) < wire
        {
            return false;
        }
        self.place_repeat(slot, seg)
    }

    /// [`Tracker::shortcut_data`] past its first checks.
    #[inline(never)]
    fn place_repeat(&mut self, slot: &mut Slot, seg: &Segment<'_>) -> bool {
        if slot.ignored != 0 || slot.memo[memo_dir(seg.is_orig)].repeated_by(seg).is_none() || !self.memo_current(slot)
        {
            return false;
        }
        let Some(pkt) = seg.packet() else { return false };
        let (id, ch) = (slot.subflow, slot.memo_conn);
        let (Some(s), Some(c)) = (self.subflows.get_mut(id), self.conns.get_mut(ch)) else { return false };
        if pkt.payload_len == 0 {
            return false;
        }
        // What the general path's handling of the repeated option leaves behind: the
        // connection's last timestamp, and the memo to be kept (`dss`, `remember`).
        c.last_ts = c.last_ts.max(pkt.ts);
        memo_set(s);
        if !self.out.deliveries.is_empty() {
            self.out.deliveries.clear();
        }
        self.payload(id, &pkt);
        self.settle(slot, &pkt);
        true
    }

    /// The next-ACK shortcut: a pure ACK (no payload) whose options differ from the
    /// remembered ACK-only DSS of its direction in the data ACK's bytes only. Handled as
    /// the general path handles it (`dss_ack`), without reading the TCP header for the
    /// general path, walking the options or looking the subflow up; the memo takes the
    /// new data ACK. False, with nothing done, for anything else. Events and deliveries it
    /// produced wait as after [`Tracker::packet_quiet`].
    pub fn shortcut_ack(&mut self, slot: &mut Slot, seg: &Segment<'_>) -> bool {
        let dir = memo_dir(seg.is_orig);
        let m = &slot.memo[dir];
        if m.flags & ACK_ONLY == 0 {
            return false;
        }
        let Some(h) = m.header(seg) else { return false };
        let hdr = h.len();
        let al = if m.flags & ACK8 != 0 { 8 } else { 4 };
        // The option area from byte 12: kind, length, subtype, flags, data ACK, padding
        // (Linux pads none: the padding compare is nearly always of nothing).
        let n = hdr - 32;
        if n < 4 + al
            || (seg.tcp_len as usize > hdr && seg.reassemble)
            || word::<4>(h, 20) != NOP_NOP_TS
            || word::<4>(h, 32) != word::<4>(&m.tail, 0)
            || (n > 4 + al && h[36 + al..] != m.tail[4 + al..n])
            || !self.memo_current(slot)
        {
            return false;
        }
        let (mflags, dss_flags) = (m.flags, m.tail[3]);
        let ack = data_ack_at(h, 36, al == 8);
        let (id, ch) = (slot.subflow, slot.memo_conn);
        let sender = usize::from(mflags & SENDER_B != 0);
        let Tracker { conns, out, cfg, memo_epochs, next_epoch, .. } = self;
        let Some(c) = conns.get_mut(ch) else { return false };
        if !out.deliveries.is_empty() {
            out.deliveries.clear();
        }
        c.last_ts = c.last_ts.max(seg.ts);
        let keep = apply_data_ack(c, mflags & STREAMED != 0, sender, dss_flags, ack, al == 8, cfg.reinject_window, out);
        // The memo as `dss_ack` leaves it: this option for its direction, under the
        // connection's epoch, when a repeat would change nothing.
        if std::mem::take(&mut out.moved_far) {
            new_epoch(memo_epochs, next_epoch, ch);
            let kept = slot.memo[dir];
            slot.memo = Default::default();
            slot.memo_epoch = memo_epochs[slab::index(ch)];
            if keep {
                slot.memo[dir] = kept;
            }
        }
        if keep {
            // Fixed-size copies: a copy of `al` bytes was a call to memcpy on every ACK.
            let tail = &mut slot.memo[dir].tail;
            if al == 8 {
                tail[4..12].copy_from_slice(&h[36..44]);
            } else {
                tail[4..8].copy_from_slice(&h[36..40]);
            }
        } else {
            slot.memo = Default::default();
        }
        if !self.out.issues.is_empty() {
            self.take_issues(id);
        }
        true
    }

    /// The ACK-only shortcut: a DSS carrying only a data ACK (pure ACKs, whose data ACK
    /// moves on), in the Linux data-segment layout. Handled as the general path handles
    /// it (`dss`, `stream_dss`, the same helpers), without the option walk, the decode
    /// and the repeated lookups. False, with nothing done, for anything else.
    #[inline]
    pub(super) fn packet_ack(&mut self, slot: &mut Slot, pkt: &PacketInfo<'_>) -> bool {
        if slot.ignored != 0 || slot.subflow == 0 || pkt.flags & (tcp_flags::SYN | tcp_flags::RST) != 0 {
            return false;
        }
        let Some(raw) = linux_data_dss(pkt.options) else { return false };
        self.dss_ack(slot, pkt, raw)
    }

    /// Out of line: the callers' frames stay small.
    #[inline(never)]
    fn dss_ack(&mut self, slot: &mut Slot, pkt: &PacketInfo<'_>, raw: &[u8]) -> bool {
        let id = slot.subflow;
        use crate::option::dss_flags as f;
        let flags = raw[3];
        let ack8 = flags & f::DATA_ACK8 != 0;
        if flags & (f::DATA_ACK | f::MAPPING | f::DATA_FIN) != f::DATA_ACK || raw.len() != if ack8 { 12 } else { 8 } {
            return false;
        }
        let ack = data_ack_at(raw, 4, ack8);
        let Tracker { subflows, conns, out, cfg, .. } = self;
        let Some(s) = subflows.get_mut(id) else { return false };
        let Some(ch) = s.conn else { return false };
        let Some(c) = conns.get_mut(ch) else { return false };
        let sender = if pkt.is_orig { s.orig_side as usize } else { 1 - s.orig_side as usize };
        c.last_ts = c.last_ts.max(pkt.ts);
        let keep = apply_data_ack(c, s.stream.is_some(), sender, flags, ack, ack8, cfg.reinject_window, out);
        // The memo as `settle` would set it, without looking the subflow up again.
        if std::mem::take(&mut out.moved_far) {
            new_epoch(&mut self.memo_epochs, &mut self.next_epoch, ch);
        }
        if keep {
            keep_memo(slot, s, ch, &self.memo_epochs, pkt);
        } else {
            slot.memo = Default::default();
        }
        if !self.out.issues.is_empty() {
            self.take_issues(id);
        }
        if pkt.payload_len != 0 {
            self.payload(id, pkt);
            self.settle_far(Some(ch));
        }
        true
    }

    /// After a packet of the slot's subflow was handled: a stream that moved far ends the
    /// connection's memos, and the slot's memos follow what the handling decided.
    pub(super) fn settle(&mut self, slot: &mut Slot, pkt: &PacketInfo<'_>) {
        let Tracker { subflows, memo_epochs, next_epoch, out, .. } = self;
        let Some(s) = subflows.get_mut(slot.subflow) else { return };
        let op = std::mem::replace(&mut s.memo_op, memo_op::NONE);
        if std::mem::take(&mut out.moved_far) {
            if let Some(ch) = s.conn {
                new_epoch(memo_epochs, next_epoch, ch);
            }
        }
        match (op, s.conn) {
            (memo_op::KEEP, Some(ch)) => keep_memo(slot, s, ch, memo_epochs, pkt),
            (memo_op::KEEP | memo_op::FORGET, _) => slot.memo = Default::default(),
            _ => {}
        }
    }

    /// After work on connection `ch`'s streams: if a position moved far, the connection's
    /// memos stop counting.
    pub(super) fn settle_far(&mut self, ch: Option<Handle>) {
        if std::mem::take(&mut self.out.moved_far) {
            if let Some(ch) = ch {
                self.new_memo_epoch(ch);
            }
        }
    }

    /// Whether the slot's memos were taken under their connection's current epoch.
    #[inline(always)]
    fn memo_current(&self, slot: &Slot) -> bool {
        self.memo_epochs.get(slab::index(slot.memo_conn)) == Some(&slot.memo_epoch)
    }

    /// The connection's memos stop counting.
    pub(super) fn new_memo_epoch(&mut self, ch: Handle) {
        new_epoch(&mut self.memo_epochs, &mut self.next_epoch, ch);
    }
}

/// Remember the option area of `pkt`, a packet of subflow `s` of connection `ch`, in the
/// slot for its direction.
fn keep_memo(slot: &mut Slot, s: &Subflow, ch: Handle, epochs: &[u64], pkt: &PacketInfo<'_>) {
    if !s.has(sf::ESTABLISHED) {
        // Only established subflows: one that is still pending may be evicted without its
        // slot, whose timestamp would then be lost.
        slot.memo = Default::default();
        return;
    }
    let dir = memo_dir(pkt.is_orig);
    let mut flags = 0;
    if let Some(ss) = s.stream.as_deref() {
        flags |= STREAMED;
        // The stream's directions keep their own order (0: from the originator).
        if ss.dirs[usize::from(!pkt.is_orig)].has_mapping() {
            flags |= MAPPED;
        }
    }
    if (s.orig_side == 1) == pkt.is_orig {
        flags |= SENDER_B;
    }
    if let Some(raw) = linux_data_dss(pkt.options) {
        use crate::option::dss_flags as f;
        if raw[3] & (f::DATA_ACK | f::MAPPING | f::DATA_FIN) == f::DATA_ACK {
            match (raw.len(), raw[3] & f::DATA_ACK8 != 0) {
                (8, false) => flags |= ACK_ONLY,
                (12, true) => flags |= ACK_ONLY | ACK8,
                _ => {}
            }
        }
    }
    let epoch = epochs.get(slab::index(ch)).copied().unwrap_or(0);
    if slot.memo_conn != ch || slot.memo_epoch != epoch {
        slot.memo = Default::default();
        slot.memo_conn = ch;
        slot.memo_epoch = epoch;
    }
    slot.memo[dir].set(pkt.options, flags);
}

/// A new memo epoch for connection `ch`, never used before.
fn new_epoch(epochs: &mut Vec<u64>, next: &mut u64, ch: Handle) {
    let i = slab::index(ch);
    if epochs.len() <= i {
        epochs.resize(i + 1, 0);
    }
    *next += 1;
    epochs[i] = *next;
}

/// An ACK-only DSS option (`flags`, data ACK `ack`) from side `sender` of connection `c`,
/// applied as the general path applies it (`Tracker::dss`, `stream_dss`); `streamed`:
/// the subflow feeds the connection's streams. Returns whether handling it again would
/// change nothing.
#[allow(clippy::too_many_arguments)]
#[inline]
fn apply_data_ack(
    c: &mut super::state::Conn,
    streamed: bool,
    sender: usize,
    flags: u8,
    ack: u64,
    ack8: bool,
    window: usize,
    out: &mut Output,
) -> bool {
    if ack8 {
        c.data_ack[sender] = Some(c.data_ack[sender].map_or(ack, |x| x.max(ack)));
    }
    match (streamed, c.stream.as_deref_mut()) {
        (true, Some(cs)) => {
            out.mptcp_id = c.id;
            out.position_bound = false;
            super::data::data_ack(cs, c.idsn[1 - sender], sender, ack, ack8, window, out);
            let d = Dss { flags, data_ack: Some(ack), dsn: None, ssn: None, data_len: None, checksum: None };
            repeatable(&d, sender, c.checksum, cs, out)
        }
        _ => true,
    }
}

/// After the general handling of DSS option `d` (from side `sender`) on a reassembled
/// subflow: remember it when handling it again would change nothing (see the module's
/// comment), forget the subflow's memos otherwise. `linux`: the packet carried nothing
/// else (the Linux data-segment layout); `checksum`: the connection uses DSS checksums;
/// `out`: the streams' report of that handling.
#[allow(clippy::too_many_arguments)]
#[inline]
pub(super) fn remember(
    s: &mut Subflow,
    linux: bool,
    d: &Dss,
    sender: usize,
    checksum: bool,
    cs: &ConnStream,
    out: &Output,
) {
    if linux && repeatable(d, sender, checksum, cs, out) {
        memo_set(s);
    } else {
        forget(s);
    }
}

/// Whether handling DSS option `d` again would change nothing (see the module's comment;
/// arguments as for `remember`).
fn repeatable(d: &Dss, sender: usize, checksum: bool, cs: &ConnStream, out: &Output) -> bool {
    let acked_started = d.data_ack.is_none() || cs.dirs[1 - sender].base().is_some();
    d.checksum.is_none()
        && !d.data_fin()
        && !d.infinite_mapping()
        && !checksum
        && cs.holding == [0, 0]
        && !out.position_bound
        && acked_started
}

/// Remember the packet's option area for its direction once the packet is handled.
pub(super) fn memo_set(s: &mut Subflow) {
    s.memo_op = memo_op::KEEP;
}

/// No shortcut for the subflow until its next DSS.
pub(super) fn forget(s: &mut Subflow) {
    s.memo_op = memo_op::FORGET;
}

#[cfg(test)]
mod tests {
    use super::DssMemo;

    #[test]
    fn a_memo_matches_its_own_bytes_only_at_every_tail_length() {
        for n in [4usize, 8, 12, 16, 20, 22, 24, 26, 28] {
            let mut options = vec![1u8, 1, 8, 10, 0, 0, 0, 1, 0, 0, 0, 2];
            options.extend((0..n as u8).map(|i| i.wrapping_mul(37).wrapping_add(5)));
            // A TCP header with these options (only the options are compared).
            let header = |o: &[u8]| [&[0u8; 20][..], o].concat();
            let mut m = DssMemo::default();
            assert!(!m.matches(&header(&options)), "an empty memo matched {n} bytes");
            m.set(&options, 0);
            assert_eq!(m.hdr as usize, 32 + n);
            assert!(m.matches(&header(&options)), "{n} bytes");
            let mut other_ts = options.clone();
            other_ts[4..12].copy_from_slice(&[9; 8]);
            assert!(m.matches(&header(&other_ts)), "other timestamp values, {n} bytes");
            for i in (0..4).chain(12..12 + n) {
                let mut other = options.clone();
                other[i] ^= 0x40;
                assert!(!m.matches(&header(&other)), "byte {i} of {n} changed");
            }
        }
        // An option area too long (or too short) for a memo leaves none.
        let mut m = DssMemo::default();
        m.set(&[1u8; 44], 0);
        assert_eq!(m, DssMemo::default());
        m.set(&[1u8; 14], 0);
        assert_eq!(m, DssMemo::default());
    }
}
