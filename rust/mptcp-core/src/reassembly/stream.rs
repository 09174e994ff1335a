//! One direction of an MPTCP connection's data-level byte stream, put back in order.
//!
//! Bytes arrive keyed by their 64-bit data sequence number (DSN), from any subflow, in
//! any order, possibly more than once (reinjection, retransmission). In-order bytes are
//! handed on at once, without a copy when they come straight from the packet; bytes
//! ahead of the next expected DSN wait in `pending`. A copy of bytes already delivered
//! is compared with the delivered bytes still in the history window and flagged when it
//! differs (the first copy seen is the one delivered, as in Zeek's TCP reassembler).

use super::{DeliveryKind, IssueKind, Output, Src};
use std::collections::{BTreeMap, VecDeque};

/// A buffered piece: bytes, or a stretch known to be missing (payload not captured).
#[derive(Debug)]
enum Chunk {
    Bytes(Vec<u8>),
    Missing(u64),
}

impl Chunk {
    fn len(&self) -> u64 {
        match self {
            Chunk::Bytes(b) => b.len() as u64,
            Chunk::Missing(n) => *n,
        }
    }
}

/// Per-direction counters (all in bytes but `inconsistent`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct DirStats {
    pub delivered: u64,
    pub gap: u64,
    pub dup: u64,
    /// Copies whose bytes differed from the first copy.
    pub inconsistent: u64,
}

#[derive(Debug, Default)]
pub struct DataStream {
    /// DSN of stream offset 0 (the IDSN + 1 when known), set by the first data.
    base: Option<u64>,
    /// Next stream offset to deliver (positions below are offsets, not DSNs).
    next: u64,
    pending: BTreeMap<u64, Chunk>,
    /// Bytes held in `pending` (missing stretches cost nothing).
    pub pending_bytes: u64,
    /// Offset of the DATA_FIN, once seen.
    fin: Option<u64>,
    ended: bool,
    /// The last delivered bytes, ending at `next` (cleared at a gap).
    history: VecDeque<u8>,
    /// Copies whose mapping failed its DSS checksum, by stream offset: the receiver dropped them,
    /// so they are used only if no other copy comes (after a fallback the receiver
    /// accepts them, and the sender's infinite mapping continues after them).
    spare: BTreeMap<u64, Vec<u8>>,
    /// Missing bytes just before `next` not yet reported: consecutive holes (a capture
    /// without payload makes one per packet) go out as one gap, before the next data.
    gap_pending: u64,
    /// The highest out-of-window DATA_ACK reported (stream offset; 0: none).
    oow_ack: u64,
    pub stats: DirStats,
}

impl DataStream {
    pub fn base(&self) -> Option<u64> {
        self.base
    }

    /// Next stream offset to deliver.
    pub fn position(&self) -> u64 {
        self.next
    }

    pub fn ended(&self) -> bool {
        self.ended
    }

    /// Start the stream at `dsn` unless it has started already.
    pub fn start_at(&mut self, dsn: u64) {
        if self.base.is_none() {
            self.base = Some(dsn);
            self.next = 0;
        }
    }

    /// The 64-bit DSN whose low 32 bits are `low`, nearest to where the stream is.
    pub fn expand(&self, low: u32, fallback_ref: u64) -> u64 {
        let r = self.base.map_or(fallback_ref, |b| b.wrapping_add(self.next));
        expand32(low, r)
    }

    /// [`DataStream::expand`], noting in `out` a value 2^30 or more from the position:
    /// read again after the stream moved on, the same 32 bits may mean another DSN.
    pub fn expand_noted(&self, low: u32, fallback_ref: u64, out: &mut Output) -> u64 {
        let r = self.base.map_or(fallback_ref, |b| b.wrapping_add(self.next));
        let v = expand32(low, r);
        if v.wrapping_sub(r).wrapping_add(1 << 30) >= 1 << 31 {
            out.position_bound = true;
        }
        v
    }

    /// Stream offset of `dsn` (negative: before the stream's start). Inside, the stream
    /// works in offsets, which do not wrap as 64-bit DSNs may.
    fn rel(&self, dsn: u64) -> i64 {
        dsn.wrapping_sub(self.base.unwrap_or(dsn)) as i64
    }

    /// Bytes (or a missing stretch) at `dsn`.
    pub fn add(&mut self, dsn: u64, mut src: Src<'_>, window: usize, out: &mut Output) {
        self.start_at(dsn);
        let len = src.len();
        if len == 0 {
            return;
        }
        let d = self.rel(dsn);
        if d < 0 {
            // Before the stream's first byte: nothing of the stream, a copy at most.
            let skip = d.unsigned_abs();
            if skip >= len {
                self.stats.dup += len;
                return;
            }
            self.stats.dup += skip;
            src = src.skip(skip);
        }
        let mut pos = d.max(0) as u64;
        let len = src.len();
        if pos > self.next.saturating_add(MAX_AHEAD) {
            // Farther ahead than any window: a bogus mapping, not data to wait for.
            out.issues.push((IssueKind::OutOfWindow, out.side, pos, len));
            return;
        }
        if before(pos, self.next) || self.ended {
            let behind = if self.ended { len } else { self.next.wrapping_sub(pos).min(len) };
            self.duplicate(pos, src.prefix(behind), out);
            if behind == len {
                return;
            }
            src = src.skip(behind);
            pos = self.next;
        }
        if pos == self.next {
            self.deliver(src, window, out);
            self.drain(window, out);
        } else {
            self.buffer(pos, src, out);
        }
    }

    /// Keep a copy the receiver dropped (its mapping's checksum failed).
    pub fn add_spare(&mut self, dsn: u64, bytes: Vec<u8>) {
        let d = self.rel(dsn);
        if d < 0 || self.base.is_none() {
            return;
        }
        let pos = d as u64;
        if !self.ended && !before(pos.wrapping_add(bytes.len() as u64), self.next) {
            self.spare.insert(pos, bytes);
        }
    }

    /// The connection fell back: the receiver took the copies it could not check.
    pub fn accept_spare(&mut self, window: usize, out: &mut Output) {
        let base = self.base.unwrap_or(0);
        for (pos, bytes) in std::mem::take(&mut self.spare) {
            self.add(base.wrapping_add(pos), Src::Owned(bytes), window, out);
        }
    }

    /// The peer acknowledged data up to `ack` (exclusive): what was never seen below it is a gap.
    pub fn acked(&mut self, ack: u64, window: usize, out: &mut Output) {
        let a = self.rel(ack);
        if self.base.is_none() || self.ended || a <= 0 || !before(self.next, a as u64) {
            return;
        }
        let ack = a as u64;
        if ack > self.next.saturating_add(MAX_AHEAD) {
            out.position_bound = true;
            // Reported once per new highest value: the same ACK repeated on every segment
            // is one problem, not one per packet.
            if self.oow_ack < ack {
                self.oow_ack = ack;
                out.issues.push((IssueKind::OutOfWindow, out.side, ack, 0));
            }
            return;
        }
        let limit = match self.fin {
            Some(f) if !before(f, ack) => return, // the DATA_FIN itself or data before it
            Some(f) => f,
            None => ack,
        };
        // Every hole below the ACK is missing from the capture, not only the first: the
        // receiver has all of it. (So a repeated ACK changes nothing, which the tracker's
        // repeated-DSS shortcut relies on.)
        loop {
            let upto = match self.pending.first_key_value() {
                Some((&k, _)) if before(k, limit) => k,
                _ => limit,
            };
            if before(self.next, upto) {
                self.deliver(Src::Missing(upto.wrapping_sub(self.next)), window, out);
            }
            self.drain(window, out);
            if self.ended || !before(self.next, limit) {
                break;
            }
        }
    }

    /// The DATA_FIN occupies `dsn`.
    pub fn data_fin(&mut self, dsn: u64, window: usize, out: &mut Output) {
        self.start_at(dsn);
        let d = self.rel(dsn);
        if self.fin.is_none() && d >= 0 && (d as u64) <= self.next.saturating_add(MAX_AHEAD) {
            self.fin = Some(d as u64);
        }
        self.drain(window, out);
    }

    /// Free buffer space: skip the hole before the first buffered piece and deliver
    /// what follows it. Returns the hole's stream offset and size, `None` when nothing
    /// is buffered.
    pub fn skip_hole(&mut self, window: usize, out: &mut Output) -> Option<(u64, u64)> {
        let (&k, _) = self.pending.first_key_value()?;
        let hole = (self.next, k.wrapping_sub(self.next));
        if before(self.next, k) {
            self.deliver(Src::Missing(hole.1), window, out);
        }
        self.drain(window, out);
        Some(hole)
    }

    /// The connection is over: deliver everything buffered, holes as gaps, then the end.
    pub fn flush(&mut self, window: usize, out: &mut Output) {
        while self.skip_hole(window, out).is_some() {}
        // Bytes before a DATA_FIN that never came: a gap up to it.
        if let Some(f) = self.fin.filter(|&f| !self.ended && before(self.next, f)) {
            self.deliver(Src::Missing(f.wrapping_sub(self.next)), window, out);
            self.drain(window, out);
        }
        if self.base.is_some() && !self.ended {
            self.ended = true;
            self.push(self.next, DeliveryKind::End, out);
        }
    }

    /// Hand on a piece starting at `pos`, after the gap that precedes it, if any.
    fn push(&mut self, pos: u64, kind: DeliveryKind, out: &mut Output) {
        if self.gap_pending > 0 {
            let g = std::mem::take(&mut self.gap_pending);
            out.push(pos.wrapping_sub(g), DeliveryKind::Gap(g));
        }
        out.push(pos, kind);
    }

    fn deliver(&mut self, src: Src<'_>, window: usize, out: &mut Output) {
        let (at, len) = (self.next, src.len());
        match src {
            Src::Missing(n) if !self.spare.is_empty() => {
                // A hole where a dropped copy lies: that copy is all there is.
                self.spare.retain(|&d, b| !before(d.wrapping_add(b.len() as u64), at));
                match self.spare.remove(&at) {
                    Some(mut b) => {
                        let k = (b.len() as u64).min(n);
                        b.truncate(k as usize);
                        self.deliver(Src::Owned(b), window, out);
                        if n > k {
                            self.deliver(Src::Missing(n - k), window, out);
                        }
                    }
                    None => {
                        let spare = std::mem::take(&mut self.spare);
                        self.deliver(Src::Missing(n), window, out);
                        self.spare = spare;
                    }
                }
                return;
            }
            Src::Missing(n) => {
                self.stats.gap += n;
                self.gap_pending += n;
                self.history.clear();
            }
            Src::Packet { bytes, start } => {
                remember(&mut self.history, bytes, window);
                self.stats.delivered += len;
                self.push(at, DeliveryKind::Packet { start, len: len as u32 }, out);
            }
            Src::Owned(bytes) => {
                remember(&mut self.history, &bytes, window);
                self.stats.delivered += len;
                self.push(at, DeliveryKind::Owned(bytes), out);
            }
        }
        let next = self.next.wrapping_add(len);
        // Every 2^29 bytes: a 32-bit number read before may mean another DSN by 2^30.
        if (next ^ self.next) >> 29 != 0 {
            out.moved_far = true;
        }
        self.next = next;
    }

    fn drain(&mut self, window: usize, out: &mut Output) {
        while let Some(entry) = self.pending.first_entry() {
            let k = *entry.key();
            if before(self.next, k) {
                break;
            }
            let chunk = entry.remove();
            let len = chunk.len();
            if let Chunk::Bytes(b) = &chunk {
                self.pending_bytes -= b.len() as u64;
            }
            let behind = self.next.wrapping_sub(k).min(len);
            let src = match chunk {
                Chunk::Bytes(b) => Src::Owned(b),
                Chunk::Missing(n) => Src::Missing(n),
            };
            if behind > 0 {
                self.duplicate(k, src.prefix(behind), out);
            }
            if behind < len {
                self.deliver(src.skip(behind), window, out);
            }
        }
        if self.fin == Some(self.next) && !self.ended {
            self.ended = true;
            self.push(self.next, DeliveryKind::End, out);
        }
    }

    /// Keep out-of-order bytes, trimmed against what is already buffered.
    fn buffer(&mut self, pos: u64, src: Src<'_>, out: &mut Output) {
        let end = pos.wrapping_add(src.len());
        // Buffered pieces overlapping [pos, end), in order.
        let mut overlaps: Vec<(u64, u64)> = Vec::new();
        if let Some((&k, c)) = self.pending.range(..pos).next_back() {
            if before(pos, k.wrapping_add(c.len())) {
                overlaps.push((k, c.len()));
            }
        }
        overlaps.extend(self.pending.range(pos..end).map(|(&k, c)| (k, c.len())));
        let mut cur = pos;
        for (k, klen) in overlaps {
            let kend = k.wrapping_add(klen);
            if before(cur, k) {
                let piece = src.range(cur.wrapping_sub(pos), k.wrapping_sub(pos));
                self.insert(cur, piece);
                cur = k;
            }
            let oend = if before(kend, end) { kend } else { end };
            if before(cur, oend) {
                let new = src.range(cur.wrapping_sub(pos), oend.wrapping_sub(pos));
                let differs = match (self.pending.get(&k), new.bytes()) {
                    (Some(Chunk::Bytes(old)), Some(nb)) => {
                        let a = cur.wrapping_sub(k) as usize;
                        old[a..a + nb.len()] != *nb
                    }
                    _ => false,
                };
                self.count_dup(cur, oend.wrapping_sub(cur), differs, out);
                cur = oend;
            }
        }
        if before(cur, end) {
            let piece = src.range(cur.wrapping_sub(pos), end.wrapping_sub(pos));
            self.insert(cur, piece);
        }
    }

    fn insert(&mut self, pos: u64, src: Src<'_>) {
        let chunk = match src {
            Src::Missing(n) => Chunk::Missing(n),
            Src::Packet { bytes, .. } => Chunk::Bytes(bytes.to_vec()),
            Src::Owned(b) => Chunk::Bytes(b),
        };
        if let Chunk::Bytes(b) = &chunk {
            self.pending_bytes += b.len() as u64;
        }
        self.pending.insert(pos, chunk);
    }

    /// A copy of bytes before `next`: compare it with the delivered bytes still remembered.
    fn duplicate(&mut self, pos: u64, src: Src<'_>, out: &mut Output) {
        let len = src.len();
        let differs = match src.bytes() {
            Some(b) => {
                let hist_start = self.next.wrapping_sub(self.history.len() as u64);
                let from = if before(pos, hist_start) { hist_start } else { pos };
                let to = pos.wrapping_add(len).min(self.next);
                if before(from, to) {
                    let h0 = from.wrapping_sub(hist_start) as usize;
                    let b0 = from.wrapping_sub(pos) as usize;
                    let n = to.wrapping_sub(from) as usize;
                    !self.history.range(h0..h0 + n).eq(b[b0..b0 + n].iter())
                } else {
                    false
                }
            }
            None => false,
        };
        self.count_dup(pos, len, differs, out);
    }

    fn count_dup(&mut self, pos: u64, len: u64, differs: bool, out: &mut Output) {
        self.stats.dup += len;
        if differs {
            self.stats.inconsistent += 1;
            out.issues.push((IssueKind::InconsistentCopy, out.side, pos, len));
        }
    }
}

/// How far ahead of the next expected byte data, a DATA_ACK or a DATA_FIN may lie (more
/// than any receive window): beyond it they are reported, not believed, so that one
/// forged mapping cannot make a gap of exabytes.
pub const MAX_AHEAD: u64 = 1 << 30;

/// `a` comes before `b` in 64-bit sequence space.
fn before(a: u64, b: u64) -> bool {
    (a.wrapping_sub(b) as i64) < 0
}

/// The 64-bit value with low 32 bits `low` nearest to `r`.
pub fn expand32(low: u32, r: u64) -> u64 {
    let v = (r & !0xffff_ffff) | u64::from(low);
    let d = v.wrapping_sub(r) as i64;
    if d > i64::from(i32::MAX) {
        v.wrapping_sub(1 << 32)
    } else if d < i64::from(i32::MIN) {
        v.wrapping_add(1 << 32)
    } else {
        v
    }
}

fn remember(history: &mut VecDeque<u8>, bytes: &[u8], window: usize) {
    if window == 0 {
        return;
    }
    if bytes.len() >= window {
        history.clear();
        history.extend(&bytes[bytes.len() - window..]);
        return;
    }
    let over = (history.len() + bytes.len()).saturating_sub(window);
    history.drain(..over);
    history.extend(bytes);
}
