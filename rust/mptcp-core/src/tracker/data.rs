//! The tracker's side of data-level reassembly: which subflows feed a connection's
//! streams, mappings from DSS and MP_CAPABLE options, payload placement, data ACKs,
//! buffer limits, and the end of the streams. The streams themselves live in
//! [`crate::reassembly`].

use super::state::{sf, ConnStream, SubflowStreams, SIDE_A};
use super::*;
use crate::option::{Capable, Dss};
use crate::reassembly::checksum::ChecksumRun;
use crate::reassembly::mapping::{Mapping, SubflowDir, INFINITE};
use crate::reassembly::DataStream;
use crate::reassembly::{IssueKind, Src};

impl Tracker {
    /// Record the ISN of the packet's direction (SYN or SYN/ACK).
    #[inline]
    pub(super) fn note_isn(&mut self, id: SubflowId, pkt: &PacketInfo<'_>) {
        if let Some(s) = self.subflows.get_mut(id) {
            let (dir, bit) = if pkt.is_orig { (0, sf::ISN_ORIG) } else { (1, sf::ISN_RESP) };
            if !s.has(bit) {
                s.isn[dir] = pkt.seq;
                s.set(bit);
            }
        }
    }

    /// The subflow's payload now feeds its connection's data streams (when reassembly is
    /// on and both ISNs are known). Reported so that Zeek can route the subflow's data.
    pub(super) fn stream_start(&mut self, id: SubflowId, ch: Handle, initial: bool) {
        if !self.cfg.reassemble {
            return;
        }
        let Some(s) = self.subflows.get_mut(id) else { return };
        if !s.has(sf::ISN_ORIG) || !s.has(sf::ISN_RESP) || s.has(sf::STREAM) {
            return;
        }
        let Some(c) = self.conns.get_mut(ch) else { return };
        if c.stream.is_none() {
            if !initial || c.fallback {
                return; // a join of a connection not reassembled (picked up mid-way, or fell back)
            }
            c.stream = Some(Box::default());
        }
        s.set(sf::STREAM);
        s.stream = Some(Box::default());
        super::repeat::forget(s);
        let mptcp_id = c.id;
        self.new_memo_epoch(ch);
        self.events.push(Event::StreamStart { subflow: id, mptcp_id, initial });
    }

    /// The connection fell back to TCP before any mapping: its subflow is plain TCP again.
    fn stream_release(&mut self, id: SubflowId, ch: Handle) {
        let Some(c) = self.conns.get_mut(ch) else { return };
        c.stream = None;
        let mptcp_id = c.id;
        if let Some(s) = self.subflows.get_mut(id) {
            s.bits &= !sf::STREAM;
            s.stream = None;
            super::repeat::forget(s);
        }
        self.new_memo_epoch(ch);
        self.events.push(Event::StreamStop { subflow: id, mptcp_id });
        // A fallback, but not a mid-connection one: no data was exchanged as MPTCP.
        if let Some(s) = self.subflows.get_mut(id) {
            s.fallback.get_or_insert(FallbackReason::NoMapping);
        }
        if let Some(c) = self.conns.get_mut(ch) {
            c.fallback = true;
            if !c.fallback_reported {
                c.fallback_reported = true;
                let reason = FallbackReason::NoMapping;
                let state = self.link_state(id);
                self.events.push(Event::Fallback { subflow: id, mptcp_id: Some(mptcp_id), reason, state });
            }
        }
    }

    /// A DSS option on a reassembled subflow: its mapping, DATA_FIN and data ACK.
    pub(super) fn stream_dss(
        &mut self,
        id: SubflowId,
        ch: Handle,
        sender: usize,
        pkt: &PacketInfo<'_>,
        d: &Dss,
        linux: bool,
    ) {
        let mut remap = false;
        let Tracker { subflows, conns, out, cfg, .. } = self;
        let (Some(s), Some(c)) = (subflows.get_mut(id), conns.get_mut(ch)) else { return };
        let (Some(ss), Some(cs)) = (s.stream.as_mut(), c.stream.as_mut()) else { return };
        out.mptcp_id = c.id;
        out.position_bound = false;
        let window = cfg.reinject_window;
        if let Some(ack) = d.data_ack {
            data_ack(cs, c.idsn[1 - sender], sender, ack, d.data_ack8(), window, out);
        }
        if let (Some(dsn), Some(ssn), Some(dll)) = (d.dsn, d.ssn, d.data_len) {
            let ds = &mut cs.dirs[sender];
            let reference = c.idsn[sender].map_or(dsn, |i| i.wrapping_add(1));
            ds.start_at(reference);
            let dsn = if d.dsn8() { dsn } else { ds.expand_noted(dsn as u32, reference, out) };
            cs.saw_mapping = true;
            out.side = sender as u8;
            let dir = &mut ss.dirs[usize::from(!pkt.is_orig)];
            let fin = d.data_fin();
            let payload = if dll == 0 { INFINITE } else { u32::from(dll) - u32::from(fin) };
            if fin {
                ds.data_fin(dsn.wrapping_add(u64::from(dll)).wrapping_sub(1), window, out);
            }
            if dll == 0 {
                // Fallback: the receiver accepted what it could not check.
                ds.accept_spare(window, out);
            }
            if payload > 0 && dir.add(Mapping { dsn, ssn, len: payload }) {
                if let (Some(sum), true, false) = (d.checksum, c.checksum, payload == INFINITE) {
                    // The previous mapping's check never completed: its bytes go on unchecked.
                    if !dir.held.is_empty() {
                        release_held(dir, &mut cs.dirs[sender], window, out);
                        cs.held_done(sender, window, out);
                    }
                    dir.csum = Some(ChecksumRun::new(dsn, ssn, dll, payload, sum));
                }
                remap = dir.unmapped_bytes > 0;
            }
        }
        super::repeat::remember(s, linux, d, sender, c.checksum, cs, out);
        if remap {
            self.replace_unmapped(id, ch, pkt.is_orig, sender);
        }
        self.take_issues(id);
    }

    /// MP_CAPABLE with data (v1 lengths 22 and 24): the client's first mapping.
    pub(super) fn stream_capable(&mut self, id: SubflowId, ch: Handle, cap: &Capable) {
        let Tracker { subflows, conns, .. } = self;
        let (Some(s), Some(c)) = (subflows.get_mut(id), conns.get_mut(ch)) else { return };
        let (Some(ss), Some(cs), Some(dll), Some(idsn)) =
            (s.stream.as_mut(), c.stream.as_mut(), cap.data_len, c.idsn[SIDE_A])
        else {
            return;
        };
        let dsn = idsn.wrapping_add(1);
        cs.dirs[SIDE_A].start_at(dsn);
        cs.saw_mapping = true;
        let dir = &mut ss.dirs[0];
        if dll > 0 && dir.add(Mapping { dsn, ssn: 1, len: u32::from(dll) }) {
            if let (Some(sum), true) = (cap.checksum, c.checksum) {
                dir.csum = Some(ChecksumRun::new(dsn, 1, dll, u32::from(dll), sum));
            }
        }
    }

    /// The packet's payload (captured bytes, then what the capture cut off) to the data level.
    #[inline(never)]
    pub(super) fn stream_payload(&mut self, id: SubflowId, pkt: &PacketInfo<'_>) {
        let truncated = pkt.payload.len() < pkt.payload_len as usize;
        let Some(s) = self.subflows.get(id) else { return };
        let Some(ch) = s.conn else { return };
        let dir = usize::from(!pkt.is_orig);
        let sender = if pkt.is_orig { s.orig_side as usize } else { 1 - s.orig_side as usize };
        let initial = s.has(sf::INITIAL);
        let has_mapping = s.stream.as_ref().is_some_and(|ss| ss.dirs[dir].has_mapping());
        let Some(c) = self.conns.get(ch) else { return };
        let Some(cs) = c.stream.as_ref() else { return };
        if !has_mapping && !cs.saw_mapping && initial && c.established == 1 {
            // RFC 8684 3.7: first data without a mapping is a fallback to plain TCP.
            self.stream_release(id, ch);
            return;
        }
        if truncated {
            // A segment the capture cut short is not placed at all, as Zeek's TCP
            // reassembler does (weird truncated_tcp_payload): its bytes become a gap once a
            // DATA_ACK passes them, or when the connection ends.
            return;
        }
        let mut ssn = pkt.seq.wrapping_sub(s.isn[dir]);
        if pkt.flags & crate::decode::tcp_flags::SYN != 0 {
            ssn = ssn.wrapping_add(1);
        }
        let captured = &pkt.payload[..pkt.payload_len as usize];
        let Tracker { subflows, conns, out, cfg, .. } = self;
        let (Some(s), Some(c)) = (subflows.get_mut(id), conns.get_mut(ch)) else { return };
        let (Some(ss), Some(cs)) = (s.stream.as_mut(), c.stream.as_mut()) else { return };
        let (window, limit) = (cfg.reinject_window, cfg.reassembly_buffer);
        out.mptcp_id = c.id;
        out.side = sender as u8;
        let d = &mut ss.dirs[dir];
        let mut hold = false;
        if let Some(run) = d.csum.as_mut() {
            hold = run.contains(ssn);
            let verdict = run.feed(ssn, captured);
            if hold {
                if d.held.is_empty() {
                    cs.holding[sender] += 1;
                }
                d.held.push((ssn, captured.to_vec()));
            }
            // Whether this direction counts among those holding bytes.
            let counted = !d.held.is_empty();
            if let Some(ok) = verdict {
                let (rdsn, rssn, rlen) = (run.dsn, run.ssn, run.payload);
                d.csum = None;
                let ds = &mut cs.dirs[sender];
                if ok {
                    release_held(d, ds, window, out);
                } else {
                    // The receiver drops a mapping whose checksum fails (MP_FAIL): so do we.
                    // Its bytes come again on another subflow, or, after a fallback, a new
                    // (infinite) mapping of the same subflow bytes takes them.
                    d.reject(rssn, rdsn, |dsn, b| ds.add_spare(dsn, b));
                    let off = ds.base().map_or(0, |b| rdsn.wrapping_sub(b));
                    out.issues.push((IssueKind::ChecksumMismatch, sender as u8, off, u64::from(rlen)));
                }
                if counted {
                    cs.held_done(sender, window, out);
                }
            }
        }
        let ds = &mut cs.dirs[sender];
        if !captured.is_empty() && !hold {
            let keep = cs_room(ds.pending_bytes, d.unmapped_bytes, limit);
            d.place(ssn, Src::Packet { bytes: captured, start: 0 }, keep, |dsn, _, piece| {
                ds.add(dsn, piece, window, out)
            });
        }
        // The connection's buffer limit: skip holes until under it, and say so.
        while cs.dirs[0].pending_bytes + cs.dirs[1].pending_bytes > limit {
            let side = usize::from(cs.dirs[1].pending_bytes > cs.dirs[0].pending_bytes);
            out.side = side as u8;
            // Reported as the hole given up: where it starts and how long it is.
            let Some((offset, len)) = cs.dirs[side].skip_hole(window, out) else { break };
            out.issues.push((IssueKind::BufferLimit, side as u8, offset, len));
        }
        self.take_issues(id);
    }

    /// A new mapping may cover payload that came before it.
    fn replace_unmapped(&mut self, id: SubflowId, ch: Handle, is_orig: bool, sender: usize) {
        let Tracker { subflows, conns, out, cfg, .. } = self;
        let (Some(s), Some(c)) = (subflows.get_mut(id), conns.get_mut(ch)) else { return };
        let (Some(ss), Some(cs)) = (s.stream.as_mut(), c.stream.as_mut()) else { return };
        let d = &mut ss.dirs[usize::from(!is_orig)];
        if d.unmapped_bytes == 0 {
            return;
        }
        let ds = &mut cs.dirs[sender];
        out.side = sender as u8;
        for (ssn, bytes) in d.take_unmapped() {
            let src = Src::Packet { bytes: &bytes, start: 0 };
            d.place(ssn, src, true, |dsn, _, piece| {
                // Out of the buffer, not the packet: the delivery must own its bytes.
                let piece = match piece {
                    Src::Packet { bytes, .. } => Src::Owned(bytes.to_vec()),
                    other => other,
                };
                ds.add(dsn, piece, cfg.reinject_window, out)
            });
        }
    }

    /// Deliver everything buffered (holes as gaps) and end both streams.
    pub(super) fn stream_flush(&mut self, ch: Handle, subflow: SubflowId) {
        let Tracker { conns, out, cfg, .. } = self;
        let Some(c) = conns.get_mut(ch) else { return };
        let Some(cs) = c.stream.as_mut() else { return };
        out.mptcp_id = c.id;
        for side in 0..2 {
            out.side = side as u8;
            cs.dirs[side].flush(cfg.reinject_window, out);
        }
        self.take_issues(subflow);
    }

    /// Flush the streams of the slot's connection now (Zeek: the analyzer that receives
    /// them is going away, with the slot's subflow). The subflow's bytes held for a
    /// checksum that never completed go on unchecked first, as when the subflow ends
    /// (`stream_subflow_done`): flushed before them, they were counted missed at the
    /// flush and duplicate when the subflow ended (30,103 and 27,263 bytes where the
    /// offline runner, which ends the subflow first, counted 2,840 and 0).
    pub fn flush_streams(&mut self, slot: &Slot) {
        let id = slot.subflow;
        let Some(s) = self.subflows.get_mut(id) else { return };
        let Some(ch) = s.conn else { return };
        let o = s.orig_side as usize;
        if let Some(mut streams) = s.stream.take() {
            self.release_subflow_held(Some(ch), &mut streams, [o, 1 - o]);
            if let Some(s) = self.subflows.get_mut(id) {
                s.stream = Some(streams);
            }
        }
        self.stream_flush(ch, id);
        self.settle_far(Some(ch));
    }

    /// The subflow ends: bytes held for a checksum that never completed go on unchecked;
    /// payload that never got a mapping is reported.
    pub(super) fn stream_subflow_done(
        &mut self,
        id: SubflowId,
        ch: Option<Handle>,
        streams: &mut SubflowStreams,
        sender_of: [usize; 2],
    ) {
        self.release_subflow_held(ch, streams, sender_of);
        for (dir, d) in streams.dirs.iter().enumerate() {
            if d.unmapped_bytes > 0 {
                self.out.issues.push((IssueKind::Unmapped, sender_of[dir] as u8, 0, d.unmapped_bytes));
            }
        }
        self.take_issues(id);
    }

    /// A subflow's bytes held for a checksum that never completed, to connection `ch`'s
    /// streams unchecked (`sender_of`: the side sending each of the subflow's directions).
    fn release_subflow_held(&mut self, ch: Option<Handle>, streams: &mut SubflowStreams, sender_of: [usize; 2]) {
        if let Some(cs) = ch.and_then(|ch| self.conns.get_mut(ch)).and_then(|c| {
            self.out.mptcp_id = c.id;
            c.stream.as_mut()
        }) {
            for (dir, d) in streams.dirs.iter_mut().enumerate() {
                if d.held.is_empty() {
                    continue;
                }
                self.out.side = sender_of[dir] as u8;
                release_held(d, &mut cs.dirs[sender_of[dir]], self.cfg.reinject_window, &mut self.out);
                cs.held_done(sender_of[dir], self.cfg.reinject_window, &mut self.out);
            }
        }
    }

    #[inline]
    pub(super) fn take_issues(&mut self, subflow: SubflowId) {
        if !self.out.issues.is_empty() {
            self.issue_events(subflow);
        }
    }

    #[cold]
    fn issue_events(&mut self, subflow: SubflowId) {
        let mptcp_id = self.out.mptcp_id;
        for (kind, side, offset, len) in self.out.issues.drain(..) {
            let from = if side == 0 { "client" } else { "server" };
            let addl = format!("mptcp_id={mptcp_id} from={from} offset={offset} len={len}");
            self.events.push(Event::StreamIssue { subflow, mptcp_id, kind, side, offset, len, addl });
        }
    }

    /// Data-level pieces for the caller since the last [`Tracker::clear_deliveries`].
    pub fn deliveries(&self) -> &[crate::reassembly::Delivery] {
        &self.out.deliveries
    }

    pub fn clear_deliveries(&mut self) {
        self.out.deliveries.clear();
    }
}

/// A data ACK from side `sender` (`ack8`: sent as 64 bits) to the stream it acknowledges;
/// `idsn`: that stream's IDSN when known.
#[inline]
pub(super) fn data_ack(
    cs: &mut ConnStream,
    idsn: Option<u64>,
    sender: usize,
    ack: u64,
    ack8: bool,
    window: usize,
    out: &mut crate::reassembly::Output,
) {
    let Some(start) = idsn.map(|i| i.wrapping_add(1)).or(cs.dirs[1 - sender].base()) else { return };
    let ds = &mut cs.dirs[1 - sender];
    // The acknowledged stream starts where its IDSN says, data or not: an ACK past its
    // start before any of its data was seen acknowledges bytes the capture lacks.
    ds.start_at(start);
    let ack = if ack8 { ack } else { ds.expand_noted(ack as u32, start, out) };
    out.side = (1 - sender) as u8;
    if cs.holding[1 - sender] > 0 {
        let a = &mut cs.deferred_ack[1 - sender];
        *a = Some(a.map_or(ack, |x| x.max(ack)));
    } else {
        ds.acked(ack, window, out);
    }
}

/// Place the bytes held for a checksum (verified, or never to be).
fn release_held(d: &mut SubflowDir, ds: &mut DataStream, window: usize, out: &mut crate::reassembly::Output) {
    for (ssn, bytes) in std::mem::take(&mut d.held) {
        d.place(ssn, Src::Owned(bytes), true, |dsn, _, piece| ds.add(dsn, piece, window, out));
    }
}

/// Whether payload without a mapping may wait (it counts against the buffer limit).
fn cs_room(pending: u64, unmapped: u64, limit: u64) -> bool {
    pending + unmapped < limit
}

impl ConnStream {
    /// A subflow direction of `side` stopped holding bytes; with none holding any more,
    /// the DATA_ACK deferred meanwhile takes effect.
    pub fn held_done(&mut self, side: usize, window: usize, out: &mut crate::reassembly::Output) {
        self.holding[side] = self.holding[side].saturating_sub(1);
        if self.holding[side] == 0 {
            if let Some(ack) = self.deferred_ack[side].take() {
                out.side = side as u8;
                self.dirs[side].acked(ack, window, out);
            }
        }
    }

    /// The stream statistics of both directions, for the connection's summary.
    pub fn totals(&self) -> (u64, u64) {
        let (a, b) = (&self.dirs[0].stats, &self.dirs[1].stats);
        (a.gap + b.gap, a.dup + b.dup)
    }
}
