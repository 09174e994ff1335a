//! Linking subflows into MPTCP connections, checking the cryptography, detecting abuse.
//!
//! The caller owns one [`Slot`] per TCP connection and hands every packet of that
//! connection to [`Tracker::packet`] until told to stop ([`Verdict::Ignore`]), then calls
//! [`Tracker::remove`] when the TCP connection goes away. The tracker reports through
//! [`Tracker::events`], which the caller drains after each call. Zeek's plugin keeps the
//! slot in the connection's analyzer, so no table lookup happens per packet; the offline
//! runner keeps slots in a map keyed by 4-tuple.

mod data;
mod flood;
mod orient;
mod repeat;
mod slab;
mod state;
pub mod types;

pub use repeat::DssMemo;
pub use types::*;

use crate::crypto;
use crate::decode::{tcp_flags, DecodeContext};
use crate::option::{Join, MptcpOption};
use crate::walk::{mptcp_options, Found};
use flood::FloodTable;
use slab::Slab;
use state::{sf, AddrEntry, Conn, Subflow, SIDE_A, SIDE_B};
use std::collections::{BTreeMap, HashMap, VecDeque};
use std::net::IpAddr;

/// Tunables. Defaults follow the thesis (join flood: 1000 SYNs in 10 s).
#[derive(Clone, Debug)]
pub struct Config {
    /// MP_JOIN SYNs within `join_flood_interval` that make a flood: with a valid token, to
    /// one MPTCP connection; with an invalid one, to one receiver address (tracker/flood.rs).
    pub join_flood_threshold: u32,
    /// Seconds.
    pub join_flood_interval: f64,
    /// Unknown_Join is reported once per receiver address per this many seconds.
    pub unknown_join_interval: f64,
    /// Hard cap on MPTCP connections tracked at once; new ones beyond it are refused (counted).
    pub max_connections: usize,
    /// Hard cap on subflows tracked at once; new ones beyond it are refused (counted).
    pub max_subflows: usize,
    /// Hard cap on subflows whose handshake is not complete; the oldest is evicted (counted).
    pub max_pending: usize,
    /// Hard cap on receivers with an invalid-token join-flood counter; beyond it new
    /// receivers are not counted (counted). Valid-token joins are counted in their
    /// connection's record, which the connection caps bound.
    pub max_flood_receivers: usize,
    /// Option-less packets after which a connection picked up mid-stream is given up.
    pub midstream_give_up: u32,
    /// Data-level reassembly of connections whose handshake was seen.
    pub reassemble: bool,
    /// Bytes a connection may hold out of order (both directions); beyond it the oldest
    /// hole is skipped and reported.
    pub reassembly_buffer: u64,
    /// Delivered bytes remembered per direction to compare later copies with (0: none).
    pub reinject_window: usize,
    /// The caller hands each packet over before Zeek's TCP analyzer has processed it
    /// (Zeek 8.1+'s taps), not after (Zeek 8.0's child packet analyzer): the packet at
    /// which Zeek flips a connection's ends is then handed over the old way round (see
    /// `orient.rs`). The offline runner takes Zeek 8.2's side.
    pub before_tcp_analyzer: bool,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            join_flood_threshold: 1000,
            join_flood_interval: 10.0,
            unknown_join_interval: 10.0,
            max_connections: 1_000_000,
            max_subflows: 2_000_000,
            max_pending: 100_000,
            max_flood_receivers: 100_000,
            midstream_give_up: 32,
            reassemble: true,
            reassembly_buffer: 16 << 20,
            reinject_window: 64 << 10,
            before_tcp_analyzer: true,
        }
    }
}

/// Counters of what the caps cost, so that nothing is dropped silently.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Stats {
    pub connections: u64,
    pub subflows: u64,
    pub pending_evicted: u64,
    pub connections_refused: u64,
    pub subflows_refused: u64,
    pub flood_receivers_dropped: u64,
    pub options_malformed: u64,
}

/// What the caller should do with the connection's next packets.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Verdict {
    /// Keep handing packets.
    Track,
    /// This connection does not use MPTCP (or its state is gone): stop.
    Ignore,
}

/// The caller's per-TCP-connection state: plain data (104 bytes), owned by the caller,
/// all zeros (`Slot::default()`) before the connection's first packet, handed to every
/// call about the connection and changed only by the tracker. Zeek's plugin keeps it in
/// the connection's analyzer (C name `MptcpSlot`).
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Slot {
    /// The subflow handle, 0 when the connection has shown no MPTCP option yet.
    pub subflow: u64,
    /// Option-less packets seen while `subflow` is 0 and no handshake was seen.
    pub misses: u32,
    /// 1 once the tracker said [`Verdict::Ignore`].
    pub ignored: u16,
    /// Whether the tracker reads the packets handed to it the other way round, and until
    /// when (see the tracker's `orient.rs`: a connection begun with its originator's
    /// SYN/ACK).
    pub inverted: u16,
    /// The newest timestamp of a packet [`Tracker::shortcut`] handled (folded into the
    /// connection's state by [`Tracker::remove`]).
    pub shortcut_ts: f64,
    /// The connection the memos belong to, and its memo epoch when they were taken.
    pub memo_conn: u64,
    pub memo_epoch: u64,
    /// Per direction (indexed by `is_orig`: 1 from the originator), the last DSS option when a repeat of it
    /// changes nothing (see `Tracker::shortcut`).
    pub memo: [DssMemo; 2],
}

pub struct Tracker {
    cfg: Config,
    subflows: Slab<Subflow>,
    conns: Slab<Conn>,
    /// Token → connections (and which side owns the token). Keyed by attacker-chosen
    /// values, so std's randomly keyed SipHash.
    tokens: HashMap<u32, Vec<(Handle, u8)>>,
    /// Connections by each address they used or announced, in the order they were
    /// indexed under it (the address test picks the latest): one ordered map by address
    /// and index number, so that adding and removing a connection costs the same however
    /// many connections share an address (a busy server's; a Vec per address made each
    /// new connection scan all of them), and an address of one connection costs one entry.
    addrs: BTreeMap<(IpAddr, u64), Handle>,
    /// The next index number of `addrs`.
    addr_seq: u64,
    pending: VecDeque<Handle>,
    flood: FloodTable,
    unknown_join_last: HashMap<IpAddr, f64>,
    /// Per connection slab index, the connection's memo epoch (see `repeat.rs`), and the
    /// last epoch handed out.
    memo_epochs: Vec<u64>,
    next_epoch: u64,
    next_id: MptcpId,
    events: Vec<Event>,
    /// Zeek flipped the connection's ends at the last packet handed over (orient.rs).
    flipped_at_packet: bool,
    /// Data-level deliveries and issues of the current call.
    out: crate::reassembly::Output,
    stats: Stats,
}

impl Default for Tracker {
    fn default() -> Self {
        Tracker::new(Config::default())
    }
}

fn ip_port(a: IpAddr, p: Option<u16>) -> String {
    match (a, p) {
        (IpAddr::V4(a), Some(p)) => format!("{a}:{p}"),
        (IpAddr::V6(a), Some(p)) => format!("[{a}]:{p}"),
        (a, None) => a.to_string(),
    }
}

impl Tracker {
    pub fn new(cfg: Config) -> Self {
        let flood = FloodTable::new(cfg.join_flood_threshold, cfg.join_flood_interval, cfg.max_flood_receivers);
        Tracker {
            cfg,
            subflows: Slab::default(),
            conns: Slab::default(),
            tokens: HashMap::new(),
            addrs: BTreeMap::new(),
            addr_seq: 0,
            pending: VecDeque::new(),
            flood,
            unknown_join_last: HashMap::new(),
            memo_epochs: Vec::new(),
            next_epoch: 0,
            next_id: 0,
            events: Vec::new(),
            flipped_at_packet: false,
            out: Default::default(),
            stats: Stats::default(),
        }
    }

    pub fn config(&self) -> &Config {
        &self.cfg
    }

    /// Events reported since the last [`Tracker::clear_events`].
    pub fn events(&self) -> &[Event] {
        &self.events
    }

    pub fn clear_events(&mut self) {
        self.events.clear();
    }

    pub fn stats(&self) -> Stats {
        let mut s = self.stats;
        s.flood_receivers_dropped = self.flood.dropped;
        s
    }

    /// Subflows and connections tracked now (for leak checks).
    pub fn live(&self) -> (usize, usize) {
        (self.subflows.len(), self.conns.len())
    }

    /// Hand one packet of the TCP connection `tuple` to the tracker. `on_option` sees
    /// every MPTCP option of the packet, decoded (for per-option events and logs).
    pub fn packet(
        &mut self,
        slot: &mut Slot,
        tuple: &FlowTuple,
        pkt: &PacketInfo<'_>,
        on_option: impl FnMut(&Found<'_>),
    ) -> Verdict {
        self.packet_with(slot, || *tuple, pkt, on_option)
    }

    /// [`Tracker::packet`] with the connection's tuple made only when needed (when this
    /// packet creates the subflow's state): the general path, then the slot's memos as
    /// the handling decided.
    #[inline(always)]
    pub fn packet_with(
        &mut self,
        slot: &mut Slot,
        tuple: impl FnOnce() -> FlowTuple,
        pkt: &PacketInfo<'_>,
        on_option: impl FnMut(&Found<'_>),
    ) -> Verdict {
        // Nearly always nothing to orient: the subflow's state exists and is read as handed.
        let oriented = if slot.inverted == orient::NONE && slot.subflow != 0 {
            self.flipped_at_packet = false;
            None
        } else {
            self.orient(slot, pkt)
        };
        let pkt = oriented.as_ref().unwrap_or(pkt);
        let inverted = slot.inverted != orient::NONE;
        let tuple = move || if inverted { tuple().swapped() } else { tuple() };
        let verdict = self.packet_general(slot, tuple, pkt, on_option);
        if slot.subflow != 0 {
            self.settle(slot, pkt);
        }
        orient::keep_no_memo(slot);
        verdict
    }

    /// [`Tracker::packet_with`] for a caller that does not want the decoded options: the
    /// per-packet path of the Zeek plugin when no per-option event has a handler, after
    /// [`Tracker::shortcut`] declined the packet. Same state, events and deliveries; a DSS
    /// option carrying only a data ACK is applied without the option walk (see
    /// `repeat.rs`).
    #[inline]
    pub fn packet_quiet(
        &mut self,
        slot: &mut Slot,
        tuple: impl FnOnce() -> FlowTuple,
        pkt: &PacketInfo<'_>,
    ) -> Verdict {
        // (A slot read the other way round takes `packet_with`, which orients the packet.)
        self.flipped_at_packet = false;
        if slot.inverted == orient::NONE && self.packet_ack(slot, pkt) {
            return Verdict::Track;
        }
        self.packet_with(slot, tuple, pkt, |_| {})
    }

    /// A packet of a TCP connection the core holds no state for, without an MPTCP option
    /// (a plain TCP handshake, or a connection picked up mid-stream): the verdict
    /// [`Tracker::packet_quiet`] gives it, and the same change to `slot`, without the
    /// general path's setup (nearly every TCP connection a sensor sees has only such
    /// packets before it is dropped). None, with nothing done: the packet needs the
    /// general path.
    #[inline]
    pub fn packet_without_state(&mut self, slot: &mut Slot, seg: &Segment<'_>) -> Option<Verdict> {
        // (Orienting such a packet changes nothing: see `orient`.)
        if slot.subflow != 0 || slot.inverted != orient::NONE {
            return None;
        }
        let pkt = seg.packet()?;
        if crate::walk::has_mptcp(pkt.options) {
            return None;
        }
        self.flipped_at_packet = false;
        Some(self.without_mptcp(slot, pkt.flags))
    }

    /// Whether the core gives a TCP connection up at its first packet `seg`, holding
    /// nothing of it and reporting nothing: what [`Tracker::packet_without_state`]
    /// decides for a fresh slot (a SYN or SYN/ACK without an MPTCP option). The plugin
    /// asks before it attaches anything to a new connection, so that most TCP
    /// connections never reach the core again. The tracker is left as it was.
    pub fn gives_up_at_first(&mut self, seg: &Segment<'_>) -> bool {
        let flipped = self.flipped_at_packet;
        let gives_up = matches!(self.packet_without_state(&mut Slot::default(), seg), Some(Verdict::Ignore));
        self.flipped_at_packet = flipped;
        gives_up
    }

    /// A packet without an MPTCP option on a connection without state: a handshake
    /// without MPTCP is plain TCP for good; mid-stream, give up after a while.
    #[inline(always)]
    fn without_mptcp(&mut self, slot: &mut Slot, flags: u8) -> Verdict {
        if slot.ignored != 0 {
            return Verdict::Ignore;
        }
        slot.misses += 1;
        if flags & tcp_flags::SYN != 0 || slot.misses >= self.cfg.midstream_give_up {
            slot.ignored = 1;
            return Verdict::Ignore;
        }
        Verdict::Track
    }

    #[inline(always)]
    fn packet_general(
        &mut self,
        slot: &mut Slot,
        tuple: impl FnOnce() -> FlowTuple,
        pkt: &PacketInfo<'_>,
        mut on_option: impl FnMut(&Found<'_>),
    ) -> Verdict {
        if slot.ignored != 0 {
            return Verdict::Ignore;
        }
        let syn = pkt.flags & tcp_flags::SYN != 0;
        if slot.subflow == 0 {
            if !crate::walk::has_mptcp(pkt.options) {
                return self.without_mptcp(slot, pkt.flags);
            }
            if self.subflows.len() >= self.cfg.max_subflows {
                self.stats.subflows_refused += 1;
                slot.ignored = 1;
                return Verdict::Ignore;
            }
            slot.subflow = self.subflows.insert(Subflow::new(tuple(), pkt.ts));
            self.stats.subflows += 1;
            self.pending.push_back(slot.subflow);
            self.evict_pending();
        }
        let id = slot.subflow;
        // Fast path: a data segment as Linux sends it on an established subflow (NOP,
        // NOP, timestamps, one DSS, padding; no SYN, no RST). Same result as the walk
        // below, without its generality: this is nearly every MPTCP packet.
        if pkt.flags & (tcp_flags::SYN | tcp_flags::RST) == 0 {
            if let Some(raw) = linux_data_dss(pkt.options) {
                let result = crate::decode::decode_dss(raw);
                on_option(&Found { offset: 12, raw, result: result.map(MptcpOption::Dss) });
                let live = match result {
                    Ok(d) => self.dss(id, pkt, &d, true),
                    Err(_) => {
                        self.stats.options_malformed += 1;
                        self.subflows.get(id).is_some()
                    }
                };
                if !live {
                    slot.ignored = 1;
                    return Verdict::Ignore;
                }
                if pkt.payload_len != 0 {
                    self.payload(id, pkt);
                }
                return Verdict::Track;
            }
        }
        let Some(s) = self.subflows.get(id) else {
            // Evicted by a cap: its row was written then; do not start over.
            slot.ignored = 1;
            return Verdict::Ignore;
        };
        let version = s.conn.and_then(|c| self.conns.get(c)).map(|c| c.version).or(s.version);
        let ctx = DecodeContext { version, tcp_flags: Some(pkt.flags) };
        // A packet of the subflow took the general path: no shortcut until its next DSS.
        if let Some(s) = self.subflows.get_mut(id) {
            repeat::forget(s);
        }
        if syn {
            self.note_isn(id, pkt);
        }
        let mut saw_capable = false;
        for found in mptcp_options(pkt.options, ctx) {
            on_option(&found);
            match found.result {
                Ok(opt) => {
                    saw_capable |= matches!(opt, MptcpOption::Capable(_));
                    self.option(id, pkt, &opt);
                }
                Err(_) => self.stats.options_malformed += 1,
            }
        }
        if self.tcp_flags(id, pkt, saw_capable) {
            // The peer answered without MPTCP: plain TCP from here on. The subflow's
            // state stays until `remove` so that its row is written.
            slot.ignored = 1;
            return Verdict::Ignore;
        }
        if pkt.payload_len != 0 {
            self.payload(id, pkt);
        }
        Verdict::Track
    }

    /// The packet's payload to the data level, if its subflow feeds a stream.
    #[inline(always)]
    fn payload(&mut self, id: SubflowId, pkt: &PacketInfo<'_>) {
        if self.subflows.get(id).is_some_and(|s| s.has(sf::STREAM)) {
            self.stream_payload(id, pkt);
        }
    }

    fn evict_pending(&mut self) {
        while self.pending.len() > self.cfg.max_pending {
            let Some(h) = self.pending.pop_front() else { break };
            let still_pending = self.subflows.get(h).is_some_and(|s| !s.has(sf::ESTABLISHED));
            if still_pending {
                self.stats.pending_evicted += 1;
                self.finish_subflow(h);
            }
        }
        // Drop handles of subflows that completed or went away, so the queue stays short.
        while let Some(&h) = self.pending.front() {
            if self.subflows.get(h).is_some_and(|s| !s.has(sf::ESTABLISHED)) {
                break;
            }
            self.pending.pop_front();
        }
    }

    /// The TCP connection is gone: release its state and report its final facts.
    pub fn remove(&mut self, slot: &mut Slot) {
        if slot.subflow != 0 {
            let ts = slot.shortcut_ts;
            if let Some(c) = self.subflows.get(slot.subflow).and_then(|s| s.conn).and_then(|c| self.conns.get_mut(c)) {
                c.last_ts = c.last_ts.max(ts);
            }
            self.finish_subflow(slot.subflow);
        }
        *slot = Slot { ignored: 1, ..Slot::default() };
    }

    /// Release every subflow (end of input), oldest first. A caller of
    /// [`Tracker::shortcut`] removes its slots first ([`Tracker::remove`]): a connection's
    /// duration counts the timestamps the shortcut kept in them.
    pub fn remove_all(&mut self) {
        let mut hs: Vec<(f64, Handle)> =
            self.subflows.handles().map(|h| (self.subflows.get(h).map_or(0.0, |s| s.ts), h)).collect();
        hs.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
        for (_, h) in hs {
            self.finish_subflow(h);
        }
    }

    /// Join-flood counting of one MP_JOIN SYN to `dst` (tracker/flood.rs): with a valid
    /// token, in the window of the connection and receiving side `valid` names; else in
    /// `dst`'s window.
    fn count_join_syn(&mut self, id: SubflowId, dst: IpAddr, valid: Option<(Handle, u8)>, ts: f64) {
        let (threshold, interval) = (self.cfg.join_flood_threshold, self.cfg.join_flood_interval);
        let (n, mptcp_id, token) = match valid {
            Some((ch, side)) => {
                let Some(c) = self.conns.get_mut(ch) else { return };
                (c.joins.count(ts, threshold, interval), Some(c.id), c.tokens[usize::from(side)].unwrap_or(0))
            }
            None => (self.flood.count(dst, ts), None, 0),
        };
        let Some(n) = n else { return };
        let (msg, sub, identifier) = match mptcp_id {
            Some(m) => (
                format!(
                    "{n} MP_JOIN SYNs with token 0x{token:08x} (MPTCP connection {m}) to {dst} within {interval} s"
                ),
                format!("valid-token joins to one connection; threshold {threshold}"),
                format!("{dst}-valid-{m}"),
            ),
            None => (
                format!("{n} MP_JOIN SYNs with invalid tokens to {dst} within {interval} s"),
                format!("invalid-token joins; threshold {threshold}"),
                format!("{dst}-invalid"),
            ),
        };
        let finding = Finding {
            kind: FindingKind::JoinFlood,
            mptcp_id,
            src: None,
            dst: Some(dst),
            n: Some(u64::from(n)),
            msg,
            sub,
            identifier: Some(identifier),
        };
        self.push_finding(id, finding);
    }

    fn push_finding(&mut self, subflow: SubflowId, finding: Finding) {
        self.events.push(Event::Finding { subflow, finding });
    }

    fn report_link(&mut self, id: SubflowId) {
        let Some(s) = self.subflows.get_mut(id) else { return };
        if s.has(sf::LINK_REPORTED) {
            return;
        }
        s.set(sf::LINK_REPORTED);
        let mptcp_id = s.conn.and_then(|c| self.conns.get(c)).map(|c| c.id);
        // The link the event reports is the one its state now holds (LINK_REPORTED is set).
        let state = self.link_state(id);
        self.events.push(Event::SubflowLinked { subflow: id, mptcp_id, state });
    }

    /// The subflow's state as its link events carry it (`LinkState`), as it is now.
    fn link_state(&self, id: SubflowId) -> LinkState {
        let Some(s) = self.subflows.get(id) else { return LinkState::default() };
        let initial = s.has(sf::INITIAL);
        LinkState {
            initial,
            established: s.has(sf::ESTABLISHED),
            link: s.has(sf::LINK_REPORTED).then(|| (s.linked_by, (!initial).then(|| s.join_auth()))),
            fallback: s.fallback,
        }
    }

    fn finish_subflow(&mut self, id: SubflowId) {
        // A join whose link was not reported yet (no third ACK seen): final now.
        if self.subflows.get(id).is_some_and(|s| s.has(sf::JOIN_SYN) || s.synack_hmac().is_some()) {
            self.report_link(id);
        }
        let Some(mut s) = self.subflows.remove(id) else { return };
        if let Some(streams) = s.stream.as_mut() {
            let o = s.orig_side as usize;
            self.stream_subflow_done(id, s.conn, streams, [o, 1 - o]);
            self.settle_far(s.conn);
        }
        let conn = s.conn.and_then(|c| self.conns.get(c).map(|x| (c, x)));
        let summary = SubflowSummary {
            ts: s.ts,
            tuple: s.tuple,
            mptcp_id: conn.map(|(_, c)| c.id),
            initial: s.has(sf::INITIAL) || s.has(sf::CAP_SYN),
            version: conn.map(|(_, c)| c.version).or(s.version),
            established: s.has(sf::ESTABLISHED),
            linked_by: s.linked_by,
            join_auth: (s.has(sf::JOIN_SYN) || s.synack_hmac().is_some()).then(|| s.join_auth()),
            token: s
                .token()
                .or_else(|| conn.and_then(|(_, c)| if s.has(sf::INITIAL) { c.tokens[SIDE_B] } else { None })),
            addr_id: s.addr_id,
            backup: s.has(sf::BACKUP),
            fallback: s.fallback,
            tcprst_reason: s.tcprst_reason,
            fastclose: s.has(sf::FASTCLOSE),
            reset: s.has(sf::RESET),
            dss: s.dss.as_deref().map(state::LoneDss::facts),
        };
        self.events.push(Event::SubflowDone { subflow: id, summary });
        if let Some(ch) = s.conn {
            let done = match self.conns.get_mut(ch) {
                Some(c) => {
                    c.live_subflows = c.live_subflows.saturating_sub(1);
                    if s.has(sf::RESET) {
                        c.resets += 1;
                    }
                    c.live_subflows == 0
                }
                None => false,
            };
            if done {
                self.close_conn(ch, id, None);
            }
        }
    }

    fn close_conn(&mut self, ch: Handle, subflow: SubflowId, reason: Option<CloseReason>) {
        self.stream_flush(ch, subflow);
        // The connection's memos end with it: its epoch is renewed below, whether or not
        // the flush moved a stream far.
        self.out.moved_far = false;
        let Some(c) = self.conns.remove(ch) else { return };
        self.new_memo_epoch(ch);
        let stream_totals = c.stream.as_ref().map(|cs| cs.totals());
        for t in c.tokens.iter().flatten() {
            if let Some(v) = self.tokens.get_mut(t) {
                v.retain(|(h, _)| *h != ch);
                if v.is_empty() {
                    self.tokens.remove(t);
                }
            }
        }
        // Every address the connection was indexed under, those a REMOVE_ADDR took from
        // `c.addrs` too.
        for &key in &c.indexed {
            self.addrs.remove(&key);
        }
        let summary = ConnSummary {
            mptcp_id: c.id,
            ts: c.ts,
            duration: (c.last_ts - c.ts).max(0.0),
            tuple: c.tuple,
            version: c.version,
            checksum: c.checksum,
            orig_token: c.tokens[SIDE_A],
            resp_token: c.tokens[SIDE_B],
            subflows_attempted: c.attempted,
            subflows_established: c.established,
            addrs_advertised: c.advertised.clone(),
            addrs_removed: c.removed,
            close_reason: reason.unwrap_or_else(|| c.close_reason()),
            orig_bytes: c.bytes_from(SIDE_A),
            resp_bytes: c.bytes_from(SIDE_B),
            missed_bytes: stream_totals.map(|t| t.0),
            dup_bytes: stream_totals.map(|t| t.1),
            facts: c.facts(),
        };
        self.events.push(Event::ConnClosed { subflow, summary });
    }

    /// Index connection `ch` under `addr` (once: a later call keeps its place).
    fn index_addr(&mut self, ch: Handle, addr: IpAddr) {
        let Some(c) = self.conns.get_mut(ch) else { return };
        if c.indexed.iter().any(|(a, _)| *a == addr) {
            return;
        }
        let n = self.addr_seq;
        self.addr_seq += 1;
        c.indexed.push((addr, n));
        self.addrs.insert((addr, n), ch);
    }

    fn set_key(&mut self, ch: Handle, side: usize, key: u64) {
        let Some(c) = self.conns.get_mut(ch) else { return };
        if c.keys[side].is_some() {
            return;
        }
        let kh = crypto::key_hash(c.version, key);
        c.keys[side] = Some(key);
        c.tokens[side] = Some(kh.token);
        c.idsn[side] = Some(kh.idsn);
        let v = self.tokens.entry(kh.token).or_default();
        if !v.iter().any(|(h, _)| *h == ch) {
            v.push((ch, side as u8));
        }
    }

    /// Create the connection for an initial subflow (once).
    fn ensure_conn(&mut self, id: SubflowId, version: u8, ts: f64) -> Option<Handle> {
        let s = self.subflows.get(id)?;
        if let Some(c) = s.conn {
            return Some(c);
        }
        if self.conns.len() >= self.cfg.max_connections {
            self.stats.connections_refused += 1;
            return None;
        }
        let tuple = s.tuple;
        let cap_flags = s.cap_flags;
        let mut conn = Conn::new(self.next_id, s.ts.min(ts), tuple, version);
        conn.checksum = cap_flags & crate::option::capable_flags::CHECKSUM != 0;
        conn.live_subflows = 1;
        conn.attempted = 1;
        self.next_id += 1;
        self.stats.connections += 1;
        let ch = self.conns.insert(conn);
        self.new_memo_epoch(ch);
        self.index_addr(ch, tuple.orig_h);
        self.index_addr(ch, tuple.resp_h);
        if let Some(s) = self.subflows.get_mut(id) {
            s.conn = Some(ch);
            s.set(sf::INITIAL);
            s.linked_by = LinkMethod::Initial;
            s.orig_side = SIDE_A as u8;
        }
        Some(ch)
    }

    fn option(&mut self, id: SubflowId, pkt: &PacketInfo<'_>, opt: &MptcpOption<'_>) {
        let Some(s) = self.subflows.get_mut(id) else { return };
        let conn = s.conn;
        if let Some(c) = conn.and_then(|c| self.conns.get_mut(c)) {
            c.last_ts = c.last_ts.max(pkt.ts);
        }
        // Which side of the connection sent this packet.
        let sender = if pkt.is_orig { s.orig_side as usize } else { 1 - s.orig_side as usize };
        match opt {
            MptcpOption::Capable(cap) => self.capable(id, pkt, cap),
            MptcpOption::Join(j) => self.join(id, pkt, j),
            MptcpOption::Dss(d) => {
                self.dss(id, pkt, d, false);
            }
            MptcpOption::AddAddr(a) => {
                if a.echo {
                    return;
                }
                if let Some(ch) = conn {
                    self.add_addr(id, ch, sender, pkt, a);
                }
            }
            MptcpOption::RemoveAddr(r) => {
                let Some(c) = conn.and_then(|c| self.conns.get_mut(c)) else { return };
                for rid in r.addr_ids {
                    c.removed += 1;
                    c.addrs[sender].retain(|e| e.id != *rid);
                }
            }
            MptcpOption::Prio(p) => {
                if p.backup {
                    s.set(sf::BACKUP);
                } else {
                    s.bits &= !sf::BACKUP;
                }
            }
            MptcpOption::Fail(_) => {
                if let Some(ch) = conn {
                    self.fallback(id, ch, FallbackReason::MpFail);
                }
            }
            MptcpOption::FastClose(_) => {
                s.set(sf::FASTCLOSE);
                if let Some(c) = conn.and_then(|c| self.conns.get_mut(c)) {
                    c.fastclose = true;
                }
            }
            MptcpOption::TcpRst(r) => {
                s.tcprst_reason = Some(r.reason);
                if let Some(c) = conn.and_then(|c| self.conns.get_mut(c)) {
                    c.tcprst = true;
                }
            }
            MptcpOption::Experimental(_) => {}
        }
    }

    /// DSS: data-level state of the connection (DATA_FIN, data ACKs) and fallback signs.
    #[inline(always)]
    /// Returns whether the subflow's state exists.
    /// `linux`: the packet carries nothing else that could change the state (the Linux
    /// data-segment layout), so that the option may be remembered for the repeated-DSS
    /// shortcut; otherwise the subflow's memos are forgotten.
    fn dss(&mut self, id: SubflowId, pkt: &PacketInfo<'_>, d: &crate::option::Dss, linux: bool) -> bool {
        let Some(s) = self.subflows.get_mut(id) else { return false };
        let Some(ch) = s.conn else {
            lone_dss(s, pkt, d);
            return true;
        };
        let sender = if pkt.is_orig { s.orig_side as usize } else { 1 - s.orig_side as usize };
        let Some(c) = self.conns.get_mut(ch) else { return true };
        c.last_ts = c.last_ts.max(pkt.ts);
        if d.data_fin() {
            c.data_fin[sender] = true;
        }
        if let (Some(a), true) = (d.data_ack, d.data_ack8()) {
            c.data_ack[sender] = Some(c.data_ack[sender].map_or(a, |x| x.max(a)));
        }
        let streamed = c.stream.is_some();
        if d.infinite_mapping() {
            self.fallback(id, ch, FallbackReason::InfiniteMapping);
        } else if d.dsn.is_some() && d.checksum.is_none() && c.checksum {
            self.fallback(id, ch, FallbackReason::ChecksumMissing);
        }
        let Some(s) = self.subflows.get_mut(id) else { return true };
        if streamed && s.stream.is_some() {
            // The streams decide whether a repeat would change nothing.
            self.stream_dss(id, ch, sender, pkt, d, linux);
        } else {
            // Without streams a DSS only raises maxima and sets flags: a repeat changes
            // nothing (a fallback is reported once).
            if linux {
                repeat::memo_set(s);
            } else {
                repeat::forget(s);
            }
        }
        true
    }

    fn fallback(&mut self, id: SubflowId, ch: Handle, reason: FallbackReason) {
        let Some(c) = self.conns.get_mut(ch) else { return };
        c.fallback = true;
        if let Some(s) = self.subflows.get_mut(id) {
            s.fallback.get_or_insert(reason);
        }
        if c.fallback_reported {
            return;
        }
        c.fallback_reported = true;
        let (mptcp_id, t) = (c.id, c.tuple);
        let state = self.link_state(id);
        self.events.push(Event::Fallback { subflow: id, mptcp_id: Some(mptcp_id), reason, state });
        let what = match reason {
            FallbackReason::InfiniteMapping => "an infinite mapping (DSS data-level length 0)",
            FallbackReason::MpFail => "MP_FAIL (a DSS checksum failed: something on the path changed the payload)",
            FallbackReason::ChecksumMissing => "a mapping without the DSS checksum both hosts agreed on",
            FallbackReason::Handshake => "a handshake without MP_CAPABLE",
            FallbackReason::NoMapping => "first data without a DSS mapping",
        };
        let f = Finding {
            kind: FindingKind::Fallback,
            mptcp_id: Some(mptcp_id),
            src: Some(t.orig_h),
            dst: Some(t.resp_h),
            n: None,
            msg: format!("MPTCP connection {mptcp_id} fell back to TCP mid-connection: {what}"),
            sub: reason.name().to_string(),
            identifier: None,
        };
        self.push_finding(id, f);
    }

    fn capable(&mut self, id: SubflowId, pkt: &PacketInfo<'_>, cap: &crate::option::Capable) {
        let syn = pkt.flags & tcp_flags::SYN != 0;
        let ack = pkt.flags & tcp_flags::ACK != 0;
        let Some(s) = self.subflows.get_mut(id) else { return };
        s.set(sf::CAP_OR_JOIN);
        if s.version.is_none() {
            s.version = Some(cap.version);
        }
        if syn && !ack {
            s.set(sf::CAP_SYN);
            s.cap_flags |= cap.flags;
            if let Some(k) = cap.sender_key {
                s.first64(state::hv::SYN_KEY, k);
            }
            return;
        }
        if syn && ack {
            s.cap_flags |= cap.flags;
            if let Some(k) = cap.sender_key {
                s.first64(state::hv::SYNACK_KEY, k);
            }
            let first = !s.has(sf::ESTABLISHED);
            s.set(sf::ESTABLISHED);
            let (syn_key, synack_key) = (s.syn_key(), s.synack_key());
            let Some(ch) = self.ensure_conn(id, cap.version, pkt.ts) else { return };
            if let Some(c) = self.conns.get_mut(ch) {
                c.checksum |= cap.flags & crate::option::capable_flags::CHECKSUM != 0;
                if first {
                    c.established += 1;
                }
            }
            if let Some(k) = syn_key {
                self.set_key(ch, SIDE_A, k);
            }
            if let Some(k) = synack_key {
                self.set_key(ch, SIDE_B, k);
            }
            if first {
                let mptcp_id = self.conns.get(ch).map(|c| c.id);
                let state = self.link_state(id);
                self.events.push(Event::SubflowEstablished { subflow: id, mptcp_id, state });
                self.report_link(id);
                self.stream_start(id, ch, true);
            }
            return;
        }
        // Third ACK (20) or first data (22/24): both keys echoed.
        if !pkt.is_orig || cap.receiver_key.is_none() {
            return;
        }
        let (Some(ka), Some(kb)) = (cap.sender_key, cap.receiver_key) else { return };
        let (syn_key, synack_key, reported) = (s.syn_key(), s.synack_key(), s.has(sf::KEY_CHANGE_REPORTED));
        let was_established = s.has(sf::ESTABLISHED);
        let mut changes = Vec::new();
        if let Some(k) = syn_key.filter(|k| *k != ka) {
            changes.push(("sender (client) key", k, ka));
        }
        if let Some(k) = synack_key.filter(|k| *k != kb) {
            changes.push(("receiver (server) key", k, kb));
        }
        if !changes.is_empty() && !reported {
            s.set(sf::KEY_CHANGE_REPORTED);
        }
        let tuple = s.tuple;
        if !was_established {
            // SYN/ACK not seen: the connection starts here, with the keys of this ACK.
            s.set(sf::ESTABLISHED);
        }
        let Some(ch) = self.ensure_conn(id, cap.version, pkt.ts) else { return };
        if !was_established {
            if let Some(c) = self.conns.get_mut(ch) {
                c.established += 1;
            }
            let mptcp_id = self.conns.get(ch).map(|c| c.id);
            let state = self.link_state(id);
            self.events.push(Event::SubflowEstablished { subflow: id, mptcp_id, state });
            self.report_link(id);
        }
        // Keys seen in the handshake win; the echo fills in what was not seen (v1's client key).
        self.set_key(ch, SIDE_A, ka);
        self.set_key(ch, SIDE_B, kb);
        if cap.data_len.is_some() {
            self.stream_capable(id, ch, cap);
        }
        if !changes.is_empty() && !reported {
            let mptcp_id = self.conns.get(ch).map(|c| c.id);
            let what: Vec<String> = changes
                .iter()
                .map(|(w, old, new)| format!("{w} {} -> {}", types::hex8(*old), types::hex8(*new)))
                .collect();
            let f = Finding {
                kind: FindingKind::KeyChange,
                mptcp_id,
                src: Some(tuple.orig_h),
                dst: Some(tuple.resp_h),
                n: Some(changes.len() as u64),
                msg: format!(
                    "MP_CAPABLE keys in the third ACK differ from the handshake's on MPTCP connection {}: {}",
                    mptcp_id.unwrap_or(0),
                    what.join(", ")
                ),
                sub: format!(
                    "SYN key {}, SYN/ACK key {}, ACK keys {} / {}",
                    syn_key.map_or("-".into(), types::hex8),
                    synack_key.map_or("-".into(), types::hex8),
                    types::hex8(ka),
                    types::hex8(kb)
                ),
                identifier: None,
            };
            self.push_finding(id, f);
        }
    }

    fn join(&mut self, id: SubflowId, pkt: &PacketInfo<'_>, j: &Join) {
        let Some(s) = self.subflows.get_mut(id) else { return };
        s.set(sf::CAP_OR_JOIN);
        match *j {
            Join::Syn { backup, addr_id, token, nonce } => {
                if s.has(sf::JOIN_SYN) || !pkt.is_orig {
                    return; // retransmitted SYN
                }
                s.set(sf::JOIN_SYN);
                s.set32(state::hv::TOKEN, token, false);
                s.set32(state::hv::NONCE_ORIG, nonce, false);
                s.addr_id = Some(addr_id);
                if backup {
                    s.set(sf::BACKUP);
                }
                let tuple = s.tuple;
                self.link_join(id, tuple, token, pkt.ts);
            }
            Join::SynAck { backup: _, addr_id: _, hmac, nonce } => {
                s.set32(state::hv::NONCE_RESP, nonce, true);
                s.first64(state::hv::SYNACK_HMAC, hmac);
                let first = !s.has(sf::ESTABLISHED);
                s.set(sf::ESTABLISHED);
                let conn = s.conn;
                if first {
                    if let Some(c) = conn.and_then(|c| self.conns.get_mut(c)) {
                        c.established += 1;
                    }
                    let mptcp_id = conn.and_then(|c| self.conns.get(c)).map(|c| c.id);
                    let state = self.link_state(id);
                    self.events.push(Event::SubflowEstablished { subflow: id, mptcp_id, state });
                    if let Some(ch) = conn {
                        self.stream_start(id, ch, false);
                    }
                }
                self.check_join_hmac(id);
            }
            Join::Ack { hmac } => {
                if !pkt.is_orig || s.ack_ok.is_some() {
                    return;
                }
                self.check_join_hmac_ack(id, &hmac);
                self.report_link(id);
            }
        }
    }

    /// Keys of the join's (initiator, responder) and its version, if known.
    fn join_keys(&self, id: SubflowId) -> Option<(u8, u64, u64, &Subflow)> {
        let s = self.subflows.get(id)?;
        if s.linked_by != LinkMethod::Token && s.linked_by != LinkMethod::Address {
            return None;
        }
        let c = self.conns.get(s.conn?)?;
        let oi = s.orig_side as usize;
        Some((c.version, c.keys[oi]?, c.keys[1 - oi]?, s))
    }

    fn check_join_hmac(&mut self, id: SubflowId) {
        let Some((ver, ka, kb, s)) = self.join_keys(id) else { return };
        let (Some(ra), Some(rb), Some(got)) = (s.nonce_orig(), s.nonce_resp(), s.synack_hmac()) else { return };
        let want = crypto::join_hmac_truncated(ver, kb, ka, rb, ra);
        let ok = want == got;
        if let Some(s) = self.subflows.get_mut(id) {
            s.synack_ok = Some(ok);
        }
        if !ok {
            self.auth_failure(id, "SYN/ACK", format!("{got:016x}"), format!("{want:016x}"));
            self.report_link(id);
        }
    }

    fn check_join_hmac_ack(&mut self, id: SubflowId, got: &[u8; 20]) {
        let Some((ver, ka, kb, s)) = self.join_keys(id) else { return };
        let (Some(ra), Some(rb)) = (s.nonce_orig(), s.nonce_resp()) else { return };
        let want = crypto::join_hmac(ver, ka, kb, ra, rb);
        let ok = want == *got;
        if let Some(s) = self.subflows.get_mut(id) {
            s.ack_ok = Some(ok);
        }
        if !ok {
            let hex = |b: &[u8]| b.iter().map(|x| format!("{x:02x}")).collect::<String>();
            self.auth_failure(id, "third ACK", hex(got), hex(&want));
        }
    }

    fn auth_failure(&mut self, id: SubflowId, stage: &str, got: String, want: String) {
        let Some(s) = self.subflows.get(id) else { return };
        let t = s.tuple;
        let mptcp_id = s.conn.and_then(|c| self.conns.get(c)).map(|c| c.id);
        let f = Finding {
            kind: FindingKind::JoinAuthFailure,
            mptcp_id,
            src: Some(t.orig_h),
            dst: Some(t.resp_h),
            n: None,
            msg: format!(
                "MP_JOIN {stage} HMAC does not match the keys of MPTCP connection {}: got {got}, expected {want}",
                mptcp_id.unwrap_or(0)
            ),
            sub: format!("token {}", s.token().map_or("-".into(), |t| format!("0x{t:08x}"))),
            identifier: None,
        };
        self.push_finding(id, f);
    }

    fn link_join(&mut self, id: SubflowId, tuple: FlowTuple, token: u32, ts: f64) {
        let dst = tuple.resp_h;
        // 1. By token; two connections with one token (different hosts): the one whose
        //    receiving side uses or announced the join's destination.
        let mut found: Option<(Handle, u8)> = None;
        if let Some(cands) = self.tokens.get(&token) {
            found = cands
                .iter()
                .copied()
                .find(|(h, side)| self.conns.get(*h).is_some_and(|c| c.side_has_addr(*side as usize, dst)))
                .or_else(|| cands.last().copied());
        }
        let mut method = LinkMethod::Token;
        let mut unknown_reason = "";
        if found.is_none() {
            // 2. The thesis's address test, only where no handshake was seen at the
            //    destination: a seen handshake means its tokens are known, and this is not one.
            let mut handshake_seen = false;
            for h in self.addrs.range((dst, 0)..=(dst, u64::MAX)).rev().map(|(_, h)| h) {
                let Some(c) = self.conns.get(*h) else { continue };
                let side = if c.side_has_addr(SIDE_B, dst) { SIDE_B } else { SIDE_A };
                if c.keys[side].is_some() {
                    handshake_seen = true;
                    continue;
                }
                if found.is_none() {
                    found = Some((*h, side as u8));
                }
            }
            if handshake_seen {
                found = None;
                unknown_reason = "the MPTCP handshake at this address was seen and none of its tokens match";
            } else if found.is_none() {
                unknown_reason = "no MPTCP connection is known at this address";
            }
            method = LinkMethod::Address;
        }
        let valid = found.filter(|_| method == LinkMethod::Token);
        self.count_join_syn(id, dst, valid, ts);
        let Some((ch, recv_side)) = found else {
            if let Some(s) = self.subflows.get_mut(id) {
                s.linked_by = LinkMethod::None;
            }
            let last = self.unknown_join_last.get(&dst).copied();
            if last.is_none_or(|t| ts - t >= self.cfg.unknown_join_interval) {
                if self.unknown_join_last.len() >= self.cfg.max_flood_receivers {
                    self.unknown_join_last.retain(|_, t| ts - *t < self.cfg.unknown_join_interval);
                }
                self.unknown_join_last.insert(dst, ts);
                let f = Finding {
                    kind: FindingKind::UnknownJoin,
                    mptcp_id: None,
                    src: Some(tuple.orig_h),
                    dst: Some(dst),
                    n: None,
                    msg: format!(
                        "MP_JOIN from {} to {} with token 0x{token:08x} matches no known MPTCP connection",
                        ip_port(tuple.orig_h, Some(tuple.orig_p)),
                        ip_port(dst, Some(tuple.resp_p)),
                    ),
                    sub: unknown_reason.to_string(),
                    identifier: None,
                };
                self.push_finding(id, f);
            }
            return;
        };
        if let Some(c) = self.conns.get_mut(ch) {
            c.attempted += 1;
            c.live_subflows += 1;
            let os = 1 - recv_side as usize;
            if !c.used[os].contains(&tuple.orig_h) {
                c.used[os].push(tuple.orig_h);
            }
            if !c.used[recv_side as usize].contains(&dst) {
                c.used[recv_side as usize].push(dst);
            }
        }
        self.index_addr(ch, tuple.orig_h);
        self.index_addr(ch, dst);
        if let Some(s) = self.subflows.get_mut(id) {
            s.conn = Some(ch);
            s.linked_by = method;
            s.orig_side = 1 - recv_side;
        }
    }

    fn add_addr(&mut self, id: SubflowId, ch: Handle, sender: usize, pkt: &PacketInfo<'_>, a: &crate::option::AddAddr) {
        // The advertiser and its peer, as this subflow's packet shows them.
        let Some(t) = self.subflows.get(id).map(|s| s.tuple) else { return };
        let (src, dst) = if pkt.is_orig { (t.orig_h, t.resp_h) } else { (t.resp_h, t.orig_h) };
        let Some(c) = self.conns.get_mut(ch) else { return };
        let mptcp_id = c.id;
        let (keys, version) = (c.keys, c.version);
        let new = AddrEntry { id: a.addr_id, addr: a.addr, port: a.port };
        let mut finding = None;
        match c.addrs[sender].iter_mut().find(|e| e.id == a.addr_id) {
            Some(e) if e.addr == a.addr && e.port == a.port => {
                finding = Some(Finding {
                    kind: FindingKind::DuplicateAddAddr,
                    mptcp_id: Some(mptcp_id),
                    src: None,
                    dst: None,
                    n: Some(a.addr_id as u64),
                    msg: format!(
                        "address ID {} re-advertised with the same address {} on MPTCP connection {mptcp_id}",
                        a.addr_id,
                        ip_port(a.addr, a.port)
                    ),
                    sub: "benign duplicate".into(),
                    identifier: None,
                });
            }
            Some(e) if e.addr == a.addr => {
                e.port = a.port; // a port change is allowed
            }
            Some(e) => {
                let old = *e;
                *e = new;
                finding = Some(Finding {
                    kind: FindingKind::AddressIdClash,
                    mptcp_id: Some(mptcp_id),
                    src: None,
                    dst: None,
                    n: Some(a.addr_id as u64),
                    msg: format!(
                        "address ID {} re-advertised as {} on MPTCP connection {mptcp_id}, already bound to {}",
                        a.addr_id,
                        ip_port(a.addr, a.port),
                        ip_port(old.addr, old.port)
                    ),
                    sub: format!("old {}, new {}", ip_port(old.addr, old.port), ip_port(a.addr, a.port)),
                    identifier: None,
                });
                c.advertised.push(ip_port(a.addr, a.port));
            }
            None => {
                if c.addrs[sender].len() < 256 {
                    c.addrs[sender].push(new);
                }
                c.advertised.push(ip_port(a.addr, a.port));
            }
        }
        self.index_addr(ch, a.addr);
        if let Some(mut f) = finding {
            (f.src, f.dst) = (Some(src), Some(dst));
            self.push_finding(id, f);
        }
        // v1 announcements carry an HMAC over (id, address, port) with the sender's key first.
        if let (Some(got), 1, Some(ks), Some(kr)) = (a.hmac, version, keys[sender], keys[1 - sender]) {
            let want = crypto::add_addr_hmac(ks, kr, a.addr_id, a.addr, a.port);
            if want != got {
                let f = Finding {
                    kind: FindingKind::ForgedAddAddr,
                    mptcp_id: Some(mptcp_id),
                    src: Some(src),
                    dst: Some(dst),
                    n: Some(a.addr_id as u64),
                    msg: format!(
                        "ADD_ADDR id {} {} on MPTCP connection {mptcp_id} carries HMAC {got:016x}, the keys give {want:016x}",
                        a.addr_id,
                        ip_port(a.addr, a.port)
                    ),
                    sub: format!("sender key {}, receiver key {}", types::hex8(ks), types::hex8(kr)),
                    identifier: None,
                };
                self.push_finding(id, f);
            }
        }
    }

    /// Returns true when the handshake fell back to plain TCP with this packet.
    fn tcp_flags(&mut self, id: SubflowId, pkt: &PacketInfo<'_>, saw_capable: bool) -> bool {
        let Some(s) = self.subflows.get_mut(id) else { return false };
        if pkt.flags & tcp_flags::RST != 0 {
            s.set(sf::RESET);
        }
        let synack = pkt.flags & (tcp_flags::SYN | tcp_flags::ACK) == (tcp_flags::SYN | tcp_flags::ACK);
        if synack
            && !pkt.is_orig
            && s.has(sf::CAP_SYN)
            && !saw_capable
            && !s.has(sf::ESTABLISHED)
            && s.fallback.is_none()
        {
            // The peer answered without MP_CAPABLE: plain TCP (benign; recorded, not alarmed).
            s.fallback = Some(FallbackReason::Handshake);
            let state = self.link_state(id);
            self.events.push(Event::Fallback { subflow: id, mptcp_id: None, reason: FallbackReason::Handshake, state });
            return true;
        }
        false
    }
}

/// The DSS option of an option area laid out as Linux lays out data segments: NOP, NOP,
/// timestamps (10), one MPTCP option of subtype DSS, then only NOP/EOL padding.
#[inline(always)]
fn linux_data_dss(o: &[u8]) -> Option<&[u8]> {
    if o.len() < 16 || o[..4] != [1, 1, 8, 10] || o[12] != crate::walk::KIND_MPTCP || o[14] >> 4 != 2 {
        return None;
    }
    let end = 12 + o[13] as usize;
    if o[13] < 4 || end > o.len() || o[end..].iter().any(|&b| b > 1) {
        return None;
    }
    Some(&o[12..end])
}

#[cfg(test)]
mod tests;

/// A DSS option on subflow `s`, which no connection claims: what it said is kept for the
/// subflow's summary (`SubflowSummary::dss`), as the connection would have kept it.
fn lone_dss(s: &mut state::Subflow, pkt: &PacketInfo<'_>, d: &crate::option::Dss) {
    use state::lone as L;
    let f = s.dss.get_or_insert_with(Box::default);
    let dir = usize::from(!pkt.is_orig);
    f.last_ts = f.last_ts.max(pkt.ts);
    if d.data_fin() {
        f.bits |= L::FIN[dir];
    }
    if let (Some(a), true) = (d.data_ack, d.data_ack8()) {
        if f.bits & L::ACK[dir] == 0 || a > f.data_ack[dir] {
            f.data_ack[dir] = a;
        }
        f.bits |= L::ACK[dir];
    }
    if d.infinite_mapping() {
        if f.bits & L::INFINITE == 0 {
            f.infinite_ts = pkt.ts;
            f.bits |= L::INFINITE;
        }
    } else if d.dsn.is_some() && d.checksum.is_none() && f.bits & L::NO_CHECKSUM == 0 {
        f.no_checksum_ts = pkt.ts;
        f.bits |= L::NO_CHECKSUM;
    }
}
