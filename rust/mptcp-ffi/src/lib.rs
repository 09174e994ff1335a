//! C ABI of zeek-mptcp's core, for the Zeek plugin. Every `unsafe` of the project
//! lives in this crate.
//!
//! Discipline (after rustls-ffi): one opaque handle (`MptcpTracker`) with explicit
//! create and free; every other value is a plain struct the caller owns; borrowed
//! memory is named as such in each function's comment; functions check their pointers
//! and return an error code instead of crashing. Panics: the static library is built
//! with `panic = "abort"` (workspace release profile), because unwinding into Zeek's
//! C++ frames is undefined behaviour and a panic here would be a bug the fuzzing and
//! property tests exist to rule out; aborting is the honest failure. No allocation
//! happens per packet unless the tracker creates state (a new subflow) or reports an
//! event.
#![allow(clippy::missing_safety_doc)]

pub mod types;

use mptcp_core::fields::OptionFields;
use mptcp_core::reassembly::DeliveryKind;
use mptcp_core::tracker::{Config, Event, FlowTuple, PacketInfo, Segment, Slot, Tracker, Verdict};
pub use types::*;

/// Opaque: the tracker of every MPTCP connection one Zeek process sees.
pub struct MptcpTracker {
    inner: Tracker,
    scratch: Vec<MptcpStr>,
    /// The payload of the last packet, which DATA deliveries may point into.
    payload: *const u8,
    payload_len: usize,
}

impl MptcpTracker {
    fn payload(&self) -> &[u8] {
        if self.payload.is_null() {
            &[]
        } else {
            // The caller keeps the payload alive until it read the deliveries (see MptcpDelivery).
            unsafe { std::slice::from_raw_parts(self.payload, self.payload_len) }
        }
    }

    /// A call that removes state: deliveries it makes own their bytes.
    fn forget_payload(&mut self) {
        self.payload = std::ptr::null();
        self.payload_len = 0;
    }
}

/// Return codes.
pub const MPTCP_OK: i32 = 0;
/// A required pointer was NULL.
pub const MPTCP_ERR_NULL: i32 = -1;
/// Index out of range.
pub const MPTCP_ERR_RANGE: i32 = -2;

/// Verdicts of `mptcp_tracker_packet`.
pub const MPTCP_TRACK: i32 = 0;
/// The connection does not use MPTCP (or its state is gone): stop handing its packets.
pub const MPTCP_IGNORE: i32 = 1;
/// Bit OR-ed into the verdict when events wait to be read (saves a call per packet).
pub const MPTCP_EVENTS: i32 = 2;
/// Bit OR-ed into the verdict (and returned by the removal calls) when reassembled data
/// waits to be read with `mptcp_tracker_delivery`.
pub const MPTCP_DELIVERIES: i32 = 4;
/// Bit OR-ed into the verdict of `mptcp_tracker_segment_report` when it wrote decoded
/// options (`MptcpReport::opts_n`).
pub const MPTCP_OPTIONS: i32 = 8;
/// Bit OR-ed into the verdict when Zeek flips the connection's ends at this packet,
/// after the caller handed it over (`MptcpConfig::before_tcp_analyzer`; a connection
/// begun with its originator's SYN/ACK): the events the caller raises for the packet's
/// options, which Zeek dispatches after it processed the packet, have as sender the
/// other end than the `is_orig` passed.
pub const MPTCP_FLIPPED: i32 = 16;

/// Fill `out` with the default tunables.
#[no_mangle]
pub unsafe extern "C" fn mptcp_config_default(out: *mut MptcpConfig) -> i32 {
    let Some(out) = (unsafe { out.as_mut() }) else { return MPTCP_ERR_NULL };
    let c = Config::default();
    *out = MptcpConfig {
        join_flood_threshold: c.join_flood_threshold,
        join_flood_interval: c.join_flood_interval,
        unknown_join_interval: c.unknown_join_interval,
        max_connections: c.max_connections as u64,
        max_subflows: c.max_subflows as u64,
        max_pending: c.max_pending as u64,
        max_flood_receivers: c.max_flood_receivers as u64,
        midstream_give_up: c.midstream_give_up,
        reassemble: c.reassemble as u8,
        reassembly_buffer: c.reassembly_buffer,
        reinject_window: c.reinject_window as u64,
        before_tcp_analyzer: c.before_tcp_analyzer as u8,
    };
    MPTCP_OK
}

/// Create a tracker. `cfg` may be NULL for the defaults. The caller owns the result
/// and frees it with `mptcp_tracker_free`.
#[no_mangle]
pub unsafe extern "C" fn mptcp_tracker_new(cfg: *const MptcpConfig) -> *mut MptcpTracker {
    let mut c = Config::default();
    if let Some(x) = unsafe { cfg.as_ref() } {
        c.join_flood_threshold = x.join_flood_threshold;
        c.join_flood_interval = x.join_flood_interval;
        c.unknown_join_interval = x.unknown_join_interval;
        c.max_connections = x.max_connections as usize;
        c.max_subflows = x.max_subflows as usize;
        c.max_pending = x.max_pending as usize;
        c.max_flood_receivers = x.max_flood_receivers as usize;
        c.midstream_give_up = x.midstream_give_up;
        c.reassemble = x.reassemble != 0;
        c.reassembly_buffer = x.reassembly_buffer;
        c.reinject_window = x.reinject_window as usize;
        c.before_tcp_analyzer = x.before_tcp_analyzer != 0;
    }
    Box::into_raw(Box::new(MptcpTracker {
        inner: Tracker::new(c),
        scratch: Vec::new(),
        payload: std::ptr::null(),
        payload_len: 0,
    }))
}

/// Free a tracker made by `mptcp_tracker_new`. NULL is ignored.
#[no_mangle]
pub unsafe extern "C" fn mptcp_tracker_free(t: *mut MptcpTracker) {
    if !t.is_null() {
        drop(unsafe { Box::from_raw(t) });
    }
}

/// Hand one packet of a TCP connection to the tracker.
///
/// `slot` is the caller's per-connection state (zeroed at connection start). `tuple`
/// is read only when the connection's first MPTCP option creates its state. `pkt` and
/// the option bytes it points to are borrowed for the call. When `opts` is not NULL,
/// up to `opts_cap` decoded options are written there and their number to `*opts_n`
/// (MPTCP options beyond `opts_cap` are still processed, not reported; 40 option
/// bytes hold at most 13). Returns `MPTCP_TRACK` or `MPTCP_IGNORE`, with `MPTCP_EVENTS`
/// OR-ed in when events wait, or a negative error code.
/// Events it raised are read with `mptcp_tracker_event`.
#[no_mangle]
pub unsafe extern "C" fn mptcp_tracker_packet(
    t: *mut MptcpTracker,
    slot: *mut Slot,
    tuple: *const MptcpTuple,
    pkt: *const MptcpPacket,
    opts: *mut MptcpOption,
    opts_cap: usize,
    opts_n: *mut usize,
) -> i32 {
    let (Some(t), Some(slot), Some(tuple), Some(pkt)) =
        (unsafe { t.as_mut() }, unsafe { slot.as_mut() }, unsafe { tuple.as_ref() }, unsafe { pkt.as_ref() })
    else {
        return MPTCP_ERR_NULL;
    };
    let options: &[u8] = if pkt.options.is_null() || pkt.options_len == 0 {
        &[]
    } else {
        unsafe { std::slice::from_raw_parts(pkt.options, pkt.options_len) }
    };
    let payload: &[u8] = if pkt.payload.is_null() {
        &[]
    } else {
        unsafe { std::slice::from_raw_parts(pkt.payload, pkt.payload_caplen) }
    };
    let info = PacketInfo {
        ts: pkt.ts,
        is_orig: pkt.is_orig != 0,
        flags: pkt.flags,
        seq: pkt.seq,
        ack: pkt.ack,
        // Without the payload the core cannot reassemble: it must not mistake the bytes for lost.
        payload_len: if pkt.payload.is_null() { 0 } else { pkt.payload_len },
        options,
        payload,
    };
    let out = if opts.is_null() { &mut [][..] } else { unsafe { std::slice::from_raw_parts_mut(opts, opts_cap) } };
    let verdict = hand_over(t, slot, tuple, &info, out, opts_n, false);
    if verdict & MPTCP_DELIVERIES != 0 {
        t.payload = pkt.payload;
        t.payload_len = payload.len();
    }
    verdict
}

/// [`mptcp_tracker_packet`] for a segment as the packet path has it: the core reads the
/// TCP header itself. The plugin's per-packet call when no per-option event is wanted
/// (else `mptcp_tracker_segment_options`). `tcp` points at the TCP header, with
/// `captured` bytes (header and payload as captured) readable from it, borrowed for the
/// call and, when the tracker reassembles (`MptcpConfig::reassemble`), until the
/// deliveries the call produced were read (DATA deliveries point into it). `tcp_len` is
/// the segment's length on the wire (the IP payload length), `is_orig` whether the
/// connection's originator sent it, `ts` its time (seconds since the epoch). `tuple` is
/// read only when the segment creates the connection's state. The arguments are those
/// of `MptcpSegment` one by one, in the order that keeps the hot ones in registers on
/// x86-64 and AArch64 (`tuple`, which only the general path reads, is the one that may
/// go on the stack). A segment too short to hold a TCP header is skipped (`MPTCP_TRACK`,
/// nothing done). Returns as `mptcp_tracker_packet` does.
#[no_mangle]
pub unsafe extern "C" fn mptcp_tracker_segment(
    t: *mut MptcpTracker,
    slot: *mut Slot,
    tcp: *const u8,
    captured: usize,
    tcp_len: u32,
    is_orig: bool,
    ts: f64,
    tuple: *const MptcpTuple,
) -> i32 {
    // The general path, out of line, is reached by a tail call, so that this function
    // saves no registers for it.
    if unsafe { repeat_shortcut(t, slot, tcp, captured, tcp_len, is_orig, ts) } {
        return MPTCP_TRACK;
    }
    unsafe { segment_quiet_slow(t, slot, tcp, captured, tcp_len, is_orig, ts, tuple) }
}

/// Most MPTCP packets: a DSS option repeating the previous one of its subflow direction,
/// recognised from the slot alone (mptcp-core's tracker/repeat.rs), its time kept in the
/// slot. Only what that needs is checked here (false for NULL pointers: the general path
/// reports them). Safety: as for `mptcp_tracker_segment`.
#[inline(always)]
unsafe fn repeat_shortcut(
    t: *mut MptcpTracker,
    slot: *mut Slot,
    tcp: *const u8,
    captured: usize,
    tcp_len: u32,
    is_orig: bool,
    ts: f64,
) -> bool {
    let (Some(tr), Some(sl), false) = (unsafe { t.as_mut() }, unsafe { slot.as_mut() }, tcp.is_null()) else {
        return false;
    };
    let s = Segment {
        ts,
        is_orig,
        tcp: unsafe { std::slice::from_raw_parts(tcp, captured) },
        tcp_len,
        reassemble: tr.inner.config().reassemble,
    };
    tr.inner.shortcut(sl, &s)
}

/// The segment as `MptcpSegment` for the general path (DSS options reported).
#[inline(always)]
fn segment_struct(
    t: *mut MptcpTracker,
    tcp: *const u8,
    captured: usize,
    tcp_len: u32,
    is_orig: bool,
    ts: f64,
) -> MptcpSegment {
    // (False for a NULL tracker; the general path reports NULL pointers.)
    let reassemble = unsafe { t.as_ref() }.is_some_and(|tr| tr.inner.config().reassemble);
    MptcpSegment { ts, tcp, captured, tcp_len, is_orig: u8::from(is_orig), reassemble: u8::from(reassemble) }
}

/// [`mptcp_tracker_segment`] past the shortcut: the general path without decoded
/// options, taking the same arguments (so that the call is a jump).
/// Safety: as for `mptcp_tracker_segment`.
#[inline(never)]
#[allow(clippy::too_many_arguments)]
unsafe fn segment_quiet_slow(
    t: *mut MptcpTracker,
    slot: *mut Slot,
    tcp: *const u8,
    captured: usize,
    tcp_len: u32,
    is_orig: bool,
    ts: f64,
    tuple: *const MptcpTuple,
) -> i32 {
    let seg = segment_struct(t, tcp, captured, tcp_len, is_orig, ts);
    if let Some(v) = unsafe { try_other_shortcuts(t, slot, &seg) } {
        return v;
    }
    unsafe { segment_slow(t, slot, tuple, &seg, std::ptr::null_mut(), 0, std::ptr::null_mut(), false) }
}

/// [`other_shortcuts`] from the raw pointers (None for NULL ones).
/// Safety: as for `mptcp_tracker_segment`.
#[inline(always)]
unsafe fn try_other_shortcuts(t: *mut MptcpTracker, slot: *mut Slot, seg: &MptcpSegment) -> Option<i32> {
    let (Some(tr), Some(sl), Some(s)) = (unsafe { t.as_mut() }, unsafe { slot.as_mut() }, unsafe { segment(seg) })
    else {
        return None;
    };
    other_shortcuts(tr, sl, &s)
}

/// The shortcuts after the repeat one: the verdict when one took `s`, else None with
/// nothing done.
#[inline(always)]
fn other_shortcuts(tr: &mut MptcpTracker, sl: &mut Slot, s: &Segment<'_>) -> Option<i32> {
    // A packet of a connection the core holds nothing of, without MPTCP: most TCP
    // connections' handshakes.
    if let Some(v) = tr.inner.packet_without_state(sl, s) {
        return Some(results(tr) | verdict_bits(v));
    }
    // A repeat whose payload goes to a stream: placed without decoding the option.
    if tr.inner.shortcut_data(sl, s) {
        return Some(placed(tr, s));
    }
    // The next pure ACK of a subflow direction: its data ACK applied from the slot's memo.
    if tr.inner.shortcut_ack(sl, s) {
        // Its deliveries own their bytes or are gaps: none points into the segment.
        tr.forget_payload();
        return Some(results(tr) | MPTCP_TRACK);
    }
    None
}

/// [`mptcp_tracker_segment`] for a caller that wants the decoded options of the segments
/// the shortcuts do not take: the plugin when per-option events other than `mptcp_dss`
/// and `mptcp_option` have handlers. A segment a shortcut takes carries one MPTCP option,
/// a valid DSS in the Linux layout, and is reported as `mptcp_tracker_segment` reports
/// it; any other goes the general path, which writes its options other than well-formed
/// DSS ones to `report` (as many as fit: malformed options, DSS ones included, are
/// written) and adds `MPTCP_OPTIONS` to the verdict when it wrote any. Arguments as for
/// `mptcp_tracker_segment`, the tuple read from `report`, which only the general path
/// reads (a NULL one is `MPTCP_ERR_NULL` there). (A caller that wants DSS options too
/// uses `mptcp_tracker_segment_options`.)
#[no_mangle]
pub unsafe extern "C" fn mptcp_tracker_segment_report(
    t: *mut MptcpTracker,
    slot: *mut Slot,
    tcp: *const u8,
    captured: usize,
    tcp_len: u32,
    is_orig: bool,
    ts: f64,
    report: *mut MptcpReport,
) -> i32 {
    // As in `mptcp_tracker_segment`: the repeat shortcut inline, the rest out of line.
    if unsafe { repeat_shortcut(t, slot, tcp, captured, tcp_len, is_orig, ts) } {
        return MPTCP_TRACK;
    }
    unsafe { segment_report_slow(t, slot, tcp, captured, tcp_len, is_orig, ts, report) }
}

/// [`mptcp_tracker_segment_report`] past the repeat shortcut.
/// Safety: as for `mptcp_tracker_segment_report`.
#[inline(never)]
#[allow(clippy::too_many_arguments)]
unsafe fn segment_report_slow(
    t: *mut MptcpTracker,
    slot: *mut Slot,
    tcp: *const u8,
    captured: usize,
    tcp_len: u32,
    is_orig: bool,
    ts: f64,
    report: *mut MptcpReport,
) -> i32 {
    let Some(r) = (unsafe { report.as_mut() }) else { return MPTCP_ERR_NULL };
    let seg = segment_struct(t, tcp, captured, tcp_len, is_orig, ts);
    if let Some(v) = unsafe { try_other_shortcuts(t, slot, &seg) } {
        return v;
    }
    r.opts_n = 0;
    r.is_orig = u8::from(is_orig);
    let verdict = unsafe { segment_slow(t, slot, r.tuple, &seg, r.opts, r.opts_cap, &mut r.opts_n, true) };
    if verdict >= 0 && r.opts_n > 0 {
        verdict | MPTCP_OPTIONS
    } else {
        verdict
    }
}

/// The verdict after `Tracker::shortcut_data` placed `s`'s payload: its DATA deliveries
/// point into that payload, as after the general path.
#[inline(never)]
fn placed(t: &mut MptcpTracker, s: &Segment<'_>) -> i32 {
    let r = results(t);
    if r & MPTCP_DELIVERIES != 0 {
        match s.packet() {
            Some(info) => {
                t.payload = info.payload.as_ptr();
                t.payload_len = info.payload.len();
            }
            None => t.forget_payload(),
        }
    }
    r | MPTCP_TRACK
}

/// `MPTCP_EVENTS` and `MPTCP_DELIVERIES` as they wait.
#[inline]
fn results(t: &MptcpTracker) -> i32 {
    let events = if t.inner.events().is_empty() { 0 } else { MPTCP_EVENTS };
    let data = if t.inner.deliveries().is_empty() { 0 } else { MPTCP_DELIVERIES };
    events | data
}

/// [`mptcp_tracker_segment`] that also writes the packet's decoded MPTCP options to
/// `opts`, as [`mptcp_tracker_packet`] does; the segment comes as an `MptcpSegment`
/// (this is the path of per-option events, where the call's arguments cost nothing
/// next to the events). Every option is reported: a caller without use for DSS options
/// calls `mptcp_tracker_segment_report`, which lets the shortcuts take the packets they can.
#[no_mangle]
pub unsafe extern "C" fn mptcp_tracker_segment_options(
    t: *mut MptcpTracker,
    slot: *mut Slot,
    tuple: *const MptcpTuple,
    seg: *const MptcpSegment,
    opts: *mut MptcpOption,
    opts_cap: usize,
    opts_n: *mut usize,
) -> i32 {
    unsafe { segment_slow(t, slot, tuple, seg, opts, opts_cap, opts_n, false) }
}

/// The pointers every segment call needs, or None when one is NULL.
/// Safety: each is NULL or valid for the call (see the calls' comments).
#[inline(always)]
unsafe fn segment_args<'a>(
    t: *mut MptcpTracker,
    slot: *mut Slot,
    tuple: *const MptcpTuple,
    seg: *const MptcpSegment,
) -> Option<(&'a mut MptcpTracker, &'a mut Slot, &'a MptcpTuple, &'a MptcpSegment)> {
    Some((unsafe { t.as_mut() }?, unsafe { slot.as_mut() }?, unsafe { tuple.as_ref() }?, unsafe { seg.as_ref() }?))
}

/// The core's view of a segment, or None when `tcp` is NULL.
/// Safety: `seg.tcp` points to `seg.captured` readable bytes (or is NULL).
#[inline(always)]
unsafe fn segment(seg: &MptcpSegment) -> Option<Segment<'_>> {
    if seg.tcp.is_null() {
        return None;
    }
    Some(Segment {
        ts: seg.ts,
        is_orig: seg.is_orig != 0,
        tcp: unsafe { std::slice::from_raw_parts(seg.tcp, seg.captured) },
        tcp_len: seg.tcp_len,
        reassemble: seg.reassemble != 0,
    })
}

/// The segment calls' general path: every pointer checked, the header read, the packet
/// to the core; with `skip_dss` well-formed DSS options are not written to `opts`.
/// Safety: as for `mptcp_tracker_segment_options`.
#[inline(never)]
#[allow(clippy::too_many_arguments)]
unsafe fn segment_slow(
    t: *mut MptcpTracker,
    slot: *mut Slot,
    tuple: *const MptcpTuple,
    seg: *const MptcpSegment,
    opts: *mut MptcpOption,
    opts_cap: usize,
    opts_n: *mut usize,
    skip_dss: bool,
) -> i32 {
    let Some((t, slot, tuple, seg)) = (unsafe { segment_args(t, slot, tuple, seg) }) else { return MPTCP_ERR_NULL };
    let Some(info) = (unsafe { segment(seg) }).and_then(|s| s.packet()) else { return MPTCP_TRACK };
    let out = if opts.is_null() { &mut [][..] } else { unsafe { std::slice::from_raw_parts_mut(opts, opts_cap) } };
    let verdict = hand_over(t, slot, tuple, &info, out, opts_n, skip_dss);
    if verdict & MPTCP_DELIVERIES != 0 {
        t.payload = info.payload.as_ptr();
        t.payload_len = info.payload.len();
    }
    verdict
}

/// The packet to the core; decoded options to `opts` when it has room for any.
#[inline(always)]
fn hand_over(
    t: &mut MptcpTracker,
    slot: &mut Slot,
    tuple: &MptcpTuple,
    info: &PacketInfo<'_>,
    opts: &mut [MptcpOption],
    opts_n: *mut usize,
    skip_dss: bool,
) -> i32 {
    // Deliveries of the previous packet were read by now (they borrow its payload).
    if !t.inner.deliveries().is_empty() {
        t.inner.clear_deliveries();
    }
    // The core asks for the tuple only when this packet creates the subflow's state.
    let make_tuple = || FlowTuple {
        orig_h: tuple.orig_h.to_ip(),
        orig_p: tuple.orig_p,
        resp_h: tuple.resp_h.to_ip(),
        resp_p: tuple.resp_p,
    };
    let mut n = 0usize;
    let verdict = if opts.is_empty() {
        // No per-option event wanted: repeated DSS options need not be decoded again.
        t.inner.packet_quiet(slot, make_tuple, info)
    } else {
        t.inner.packet_with(slot, make_tuple, info, |found| {
            // A well-formed DSS is not written for a caller without DSS handlers (encoding
            // it cost each new mapping hundreds of instructions); a malformed one is.
            if skip_dss && matches!(found.result, Ok(mptcp_core::option::MptcpOption::Dss(_))) {
                return;
            }
            if n < opts.len() {
                opts[n] = MptcpOption::from_fields(&OptionFields::from_found(found));
                n += 1;
            }
        })
    };
    if let Some(p) = unsafe { opts_n.as_mut() } {
        *p = n;
    }
    let flipped = if t.inner.ends_flipped() { MPTCP_FLIPPED } else { 0 };
    results(t) | flipped | verdict_bits(verdict)
}

/// The verdict's bit of a segment call's result.
#[inline(always)]
fn verdict_bits(v: Verdict) -> i32 {
    match v {
        Verdict::Track => MPTCP_TRACK,
        Verdict::Ignore => MPTCP_IGNORE,
    }
}

/// The TCP connection is gone: release its state (events report its final facts).
#[no_mangle]
pub unsafe extern "C" fn mptcp_tracker_remove(t: *mut MptcpTracker, slot: *mut Slot) -> i32 {
    let (Some(t), Some(slot)) = (unsafe { t.as_mut() }, unsafe { slot.as_mut() }) else { return MPTCP_ERR_NULL };
    t.forget_payload();
    t.inner.clear_deliveries();
    t.inner.remove(slot);
    if t.inner.deliveries().is_empty() {
        MPTCP_OK
    } else {
        MPTCP_DELIVERIES
    }
}

/// Deliver now everything the connection of `slot`'s subflow holds out of order (holes
/// become gaps) and end its streams: the receiver of the streams is going away.
/// Returns `MPTCP_DELIVERIES` when deliveries wait, else `MPTCP_OK`.
#[no_mangle]
pub unsafe extern "C" fn mptcp_tracker_flush_streams(t: *mut MptcpTracker, slot: *const Slot) -> i32 {
    let (Some(t), Some(slot)) = (unsafe { t.as_mut() }, unsafe { slot.as_ref() }) else { return MPTCP_ERR_NULL };
    t.forget_payload();
    t.inner.clear_deliveries();
    t.inner.flush_streams(slot);
    if t.inner.deliveries().is_empty() {
        MPTCP_OK
    } else {
        MPTCP_DELIVERIES
    }
}

/// Number of deliveries waiting.
#[no_mangle]
pub unsafe extern "C" fn mptcp_tracker_delivery_count(t: *const MptcpTracker) -> usize {
    unsafe { t.as_ref() }.map_or(0, |t| t.inner.deliveries().len())
}

/// Read delivery `i` (0-based, in stream order per direction) into `out`. Borrowing
/// rules: see `MptcpDelivery`.
#[no_mangle]
pub unsafe extern "C" fn mptcp_tracker_delivery(t: *const MptcpTracker, i: usize, out: *mut MptcpDelivery) -> i32 {
    let (Some(t), Some(out)) = (unsafe { t.as_ref() }, unsafe { out.as_mut() }) else { return MPTCP_ERR_NULL };
    let Some(d) = t.inner.deliveries().get(i) else { return MPTCP_ERR_RANGE };
    let (kind, data, len) = match &d.kind {
        DeliveryKind::Gap(n) => (MPTCP_GAP, std::ptr::null(), *n),
        DeliveryKind::End => (MPTCP_END, std::ptr::null(), 0),
        _ => {
            let b = d.bytes(t.payload());
            (MPTCP_DATA, b.as_ptr(), b.len() as u64)
        }
    };
    *out = MptcpDelivery { mptcp_id: d.mptcp_id, side: d.side, kind, offset: d.offset, data, len };
    MPTCP_OK
}

/// Forget the waiting deliveries (their data pointers become invalid).
#[no_mangle]
pub unsafe extern "C" fn mptcp_tracker_clear_deliveries(t: *mut MptcpTracker) {
    if let Some(t) = unsafe { t.as_mut() } {
        t.inner.clear_deliveries();
    }
}

/// Release every subflow still tracked (shutdown), reporting their final facts.
#[no_mangle]
pub unsafe extern "C" fn mptcp_tracker_remove_all(t: *mut MptcpTracker) -> i32 {
    let Some(t) = (unsafe { t.as_mut() }) else { return MPTCP_ERR_NULL };
    t.forget_payload();
    t.inner.clear_deliveries();
    t.inner.remove_all();
    if t.inner.deliveries().is_empty() {
        MPTCP_OK
    } else {
        MPTCP_DELIVERIES
    }
}

/// Number of events waiting.
#[no_mangle]
pub unsafe extern "C" fn mptcp_tracker_event_count(t: *const MptcpTracker) -> usize {
    unsafe { t.as_ref() }.map_or(0, |t| t.inner.events().len())
}

/// Forget the waiting events (their strings become invalid).
#[no_mangle]
pub unsafe extern "C" fn mptcp_tracker_clear_events(t: *mut MptcpTracker) {
    if let Some(t) = unsafe { t.as_mut() } {
        t.inner.clear_events();
    }
}

fn tuple_c(t: &FlowTuple) -> MptcpTuple {
    MptcpTuple {
        orig_h: MptcpAddr::from_ip(t.orig_h),
        resp_h: MptcpAddr::from_ip(t.resp_h),
        orig_p: t.orig_p,
        resp_p: t.resp_p,
    }
}

/// Facts present, with DATA_FIN and the highest 64-bit data ACK per direction (a
/// subflow's DSS facts) or per side (a connection's): the part both kinds share.
fn ack_facts(data_fin: [bool; 2], data_ack: [Option<u64>; 2]) -> MptcpFacts {
    MptcpFacts {
        present: 1,
        data_fin: data_fin.map(u8::from),
        has_data_ack: data_ack.map(|a| u8::from(a.is_some())),
        data_ack: data_ack.map(|a| a.unwrap_or(0)),
        ..MptcpFacts::default()
    }
}

fn empty_event(kind: u32, subflow: u64) -> MptcpEvent {
    MptcpEvent {
        kind,
        subflow,
        has_mptcp_id: 0,
        mptcp_id: 0,
        initial: 0,
        linked_by: MptcpStr::EMPTY,
        join_auth: MptcpStr::EMPTY,
        fallback: MptcpStr::EMPTY,
        note: MptcpStr::EMPTY,
        msg: MptcpStr::EMPTY,
        sub: MptcpStr::EMPTY,
        identifier: MptcpStr::EMPTY,
        has_src: 0,
        src: MptcpAddr::default(),
        has_dst: 0,
        dst: MptcpAddr::default(),
        has_n: 0,
        n: 0,
        ts: 0.0,
        tuple: MptcpTuple::default(),
        has_version: 0,
        version: 0,
        established: 0,
        has_token: 0,
        token: 0,
        has_addr_id: 0,
        addr_id: 0,
        backup: 0,
        has_tcprst_reason: 0,
        tcprst_reason: 0,
        fastclose: 0,
        reset: 0,
        duration: 0.0,
        checksum: 0,
        has_orig_token: 0,
        orig_token: 0,
        has_resp_token: 0,
        resp_token: 0,
        subflows_attempted: 0,
        subflows_established: 0,
        addrs_advertised: std::ptr::null(),
        addrs_advertised_len: 0,
        addrs_removed: 0,
        close_reason: MptcpStr::EMPTY,
        has_orig_bytes: 0,
        orig_bytes: 0,
        has_resp_bytes: 0,
        resp_bytes: 0,
        has_missed_bytes: 0,
        missed_bytes: 0,
        has_dup_bytes: 0,
        dup_bytes: 0,
        side: 0,
        offset: 0,
        facts: MptcpFacts::default(),
    }
}

/// The subflow's state a link event carries (`LinkState`) into its fields: `initial`,
/// `established`, `linked_by` and `join_auth` (once the link was reported), `fallback`.
fn link_state(st: &mptcp_core::tracker::LinkState, e: &mut MptcpEvent) {
    e.initial = u8::from(st.initial);
    e.established = u8::from(st.established);
    if let Some((by, auth)) = st.link {
        e.linked_by = MptcpStr::from(by.name());
        e.join_auth = auth.map_or(MptcpStr::EMPTY, |j| MptcpStr::from(j.name()));
    }
    if let Some(f) = st.fallback {
        e.fallback = MptcpStr::from(f.name());
    }
}

fn set<T: Copy + Default>(v: Option<T>, has: &mut u8, out: &mut T) {
    if let Some(x) = v {
        *has = 1;
        *out = x;
    }
}

/// Read event `i` (0-based, in order) into `out`. Borrowing rules: see `MptcpEvent`.
#[no_mangle]
pub unsafe extern "C" fn mptcp_tracker_event(t: *mut MptcpTracker, i: usize, out: *mut MptcpEvent) -> i32 {
    let (Some(t), Some(out)) = (unsafe { t.as_mut() }, unsafe { out.as_mut() }) else { return MPTCP_ERR_NULL };
    let Some(ev) = t.inner.events().get(i) else { return MPTCP_ERR_RANGE };
    let mut e;
    match ev {
        Event::SubflowEstablished { subflow, mptcp_id, state } => {
            e = empty_event(MPTCP_EV_SUBFLOW_ESTABLISHED, *subflow);
            set(*mptcp_id, &mut e.has_mptcp_id, &mut e.mptcp_id);
            // (`state.established` is set: the core sets it before it raises the event.)
            link_state(state, &mut e);
        }
        Event::SubflowLinked { subflow, mptcp_id, state } => {
            e = empty_event(MPTCP_EV_SUBFLOW_LINKED, *subflow);
            set(*mptcp_id, &mut e.has_mptcp_id, &mut e.mptcp_id);
            link_state(state, &mut e);
        }
        Event::Fallback { subflow, mptcp_id, reason, state } => {
            e = empty_event(MPTCP_EV_FALLBACK, *subflow);
            set(*mptcp_id, &mut e.has_mptcp_id, &mut e.mptcp_id);
            link_state(state, &mut e);
            // The event's own news (the subflow's state says the same once it is set).
            e.fallback = MptcpStr::from(reason.name());
        }
        Event::Finding { subflow, finding: f } => {
            e = empty_event(MPTCP_EV_FINDING, *subflow);
            set(f.mptcp_id, &mut e.has_mptcp_id, &mut e.mptcp_id);
            e.note = MptcpStr::from(f.kind.name());
            e.msg = MptcpStr::from(&f.msg);
            e.sub = MptcpStr::from(&f.sub);
            e.identifier = f.identifier.as_deref().map_or(MptcpStr::EMPTY, MptcpStr::from);
            set(f.src.map(MptcpAddr::from_ip), &mut e.has_src, &mut e.src);
            set(f.dst.map(MptcpAddr::from_ip), &mut e.has_dst, &mut e.dst);
            set(f.n, &mut e.has_n, &mut e.n);
        }
        Event::SubflowDone { subflow, summary: s } => {
            e = empty_event(MPTCP_EV_SUBFLOW_DONE, *subflow);
            set(s.mptcp_id, &mut e.has_mptcp_id, &mut e.mptcp_id);
            e.initial = s.initial as u8;
            e.ts = s.ts;
            e.tuple = tuple_c(&s.tuple);
            set(s.version, &mut e.has_version, &mut e.version);
            e.established = s.established as u8;
            e.linked_by = MptcpStr::from(s.linked_by.name());
            e.join_auth = s.join_auth.map_or(MptcpStr::EMPTY, |j| MptcpStr::from(j.name()));
            set(s.token, &mut e.has_token, &mut e.token);
            set(s.addr_id, &mut e.has_addr_id, &mut e.addr_id);
            e.backup = s.backup as u8;
            e.fallback = s.fallback.map_or(MptcpStr::EMPTY, |f| MptcpStr::from(f.name()));
            set(s.tcprst_reason, &mut e.has_tcprst_reason, &mut e.tcprst_reason);
            e.fastclose = s.fastclose as u8;
            e.reset = s.reset as u8;
            if let Some(d) = &s.dss {
                e.facts = MptcpFacts {
                    last_ts: d.last_ts,
                    has_infinite_ts: u8::from(d.infinite_ts.is_some()),
                    infinite_ts: d.infinite_ts.unwrap_or(0.0),
                    has_no_checksum_ts: u8::from(d.no_checksum_ts.is_some()),
                    no_checksum_ts: d.no_checksum_ts.unwrap_or(0.0),
                    ..ack_facts(d.data_fin, d.data_ack)
                };
            }
        }
        Event::ConnClosed { subflow, summary: s } => {
            e = empty_event(MPTCP_EV_CONN_CLOSED, *subflow);
            e.has_mptcp_id = 1;
            e.mptcp_id = s.mptcp_id;
            e.ts = s.ts;
            e.duration = s.duration;
            e.tuple = tuple_c(&s.tuple);
            e.has_version = 1;
            e.version = s.version;
            e.checksum = s.checksum as u8;
            set(s.orig_token, &mut e.has_orig_token, &mut e.orig_token);
            set(s.resp_token, &mut e.has_resp_token, &mut e.resp_token);
            e.subflows_attempted = s.subflows_attempted;
            e.subflows_established = s.subflows_established;
            t.scratch.clear();
            t.scratch.extend(s.addrs_advertised.iter().map(|a| MptcpStr::from(a)));
            e.addrs_advertised = t.scratch.as_ptr();
            e.addrs_advertised_len = t.scratch.len();
            e.addrs_removed = s.addrs_removed;
            e.close_reason = MptcpStr::from(s.close_reason.name());
            set(s.orig_bytes, &mut e.has_orig_bytes, &mut e.orig_bytes);
            set(s.resp_bytes, &mut e.has_resp_bytes, &mut e.resp_bytes);
            set(s.missed_bytes, &mut e.has_missed_bytes, &mut e.missed_bytes);
            set(s.dup_bytes, &mut e.has_dup_bytes, &mut e.dup_bytes);
            let f = &s.facts;
            e.facts = MptcpFacts {
                resets: f.resets,
                fastclose: u8::from(f.fastclose),
                tcprst: u8::from(f.tcprst),
                fallback: u8::from(f.fallback),
                ..ack_facts(f.data_fin, f.data_ack)
            };
        }
        Event::StreamStart { subflow, mptcp_id, initial } => {
            e = empty_event(MPTCP_EV_STREAM_START, *subflow);
            set(Some(*mptcp_id), &mut e.has_mptcp_id, &mut e.mptcp_id);
            e.initial = *initial as u8;
        }
        Event::StreamStop { subflow, mptcp_id } => {
            e = empty_event(MPTCP_EV_STREAM_STOP, *subflow);
            set(Some(*mptcp_id), &mut e.has_mptcp_id, &mut e.mptcp_id);
        }
        Event::StreamIssue { subflow, mptcp_id, kind, side, offset, len, addl } => {
            e = empty_event(MPTCP_EV_STREAM_ISSUE, *subflow);
            e.msg = MptcpStr::from(addl);
            set(Some(*mptcp_id), &mut e.has_mptcp_id, &mut e.mptcp_id);
            e.note = MptcpStr::from(kind.name());
            e.side = *side;
            e.offset = *offset;
            set(Some(*len), &mut e.has_n, &mut e.n);
        }
    }
    *out = e;
    MPTCP_OK
}

/// Counters of what the tracker holds and what its caps cost.
#[no_mangle]
pub unsafe extern "C" fn mptcp_tracker_stats(t: *const MptcpTracker, out: *mut MptcpStats) -> i32 {
    let (Some(t), Some(out)) = (unsafe { t.as_ref() }, unsafe { out.as_mut() }) else { return MPTCP_ERR_NULL };
    let s = t.inner.stats();
    let (ls, lc) = t.inner.live();
    *out = MptcpStats {
        connections: s.connections,
        subflows: s.subflows,
        live_subflows: ls as u64,
        live_connections: lc as u64,
        pending_evicted: s.pending_evicted,
        connections_refused: s.connections_refused,
        subflows_refused: s.subflows_refused,
        flood_receivers_dropped: s.flood_receivers_dropped,
        options_malformed: s.options_malformed,
    };
    MPTCP_OK
}

/// Token and IDSN of `key` for MPTCP `version` (0: SHA-1, else SHA-256).
#[no_mangle]
pub unsafe extern "C" fn mptcp_key_hash(version: u8, key: u64, token: *mut u32, idsn: *mut u64) -> i32 {
    let h = mptcp_core::crypto::key_hash(version, key);
    if let Some(t) = unsafe { token.as_mut() } {
        *t = h.token;
    }
    if let Some(i) = unsafe { idsn.as_mut() } {
        *i = h.idsn;
    }
    MPTCP_OK
}

/// The MP_JOIN HMAC a host sends (own key and nonce first), 20 bytes into `out`.
#[no_mangle]
pub unsafe extern "C" fn mptcp_join_hmac(
    version: u8,
    own_key: u64,
    peer_key: u64,
    own_nonce: u32,
    peer_nonce: u32,
    out: *mut u8,
) -> i32 {
    if out.is_null() {
        return MPTCP_ERR_NULL;
    }
    let h = mptcp_core::crypto::join_hmac(version, own_key, peer_key, own_nonce, peer_nonce);
    unsafe { std::ptr::copy_nonoverlapping(h.as_ptr(), out, 20) };
    MPTCP_OK
}

/// Whether the tracker gives a TCP connection up at its first segment and would hold
/// nothing of it, the segment being one Zeek's TCP analyzer takes: 1 for a SYN or
/// SYN/ACK without an MPTCP option whose TCP checksum verifies, else 0 (also for NULL
/// pointers). `tcp` points at the TCP header of a segment of `captured` bytes (header
/// and payload), `tcp_len` long on the wire (the checksum needs the whole segment:
/// `captured` below `tcp_len` gives 0); `a` and `b` are its IP addresses, either way
/// round (the checksum's pseudo-header sum does not depend on the order). A segment
/// whose checksum does not verify decides nothing: Zeek skips it (unless run with -C)
/// and the connection's next packet may still carry MPTCP. The tracker is left as it
/// was. The plugin asks this of a new connection's first packet and then attaches
/// nothing to it. The caller keeps ownership of every pointer, read only during the
/// call.
#[no_mangle]
pub unsafe extern "C" fn mptcp_tracker_gives_up_at_first(
    t: *mut MptcpTracker,
    tcp: *const u8,
    captured: usize,
    tcp_len: u32,
    a: *const MptcpAddr,
    b: *const MptcpAddr,
) -> u8 {
    let (Some(tr), false, Some(a), Some(b)) =
        (unsafe { t.as_mut() }, tcp.is_null(), unsafe { a.as_ref() }, unsafe { b.as_ref() })
    else {
        return 0;
    };
    let bytes = unsafe { std::slice::from_raw_parts(tcp, captured) };
    let seg = Segment { ts: 0.0, is_orig: true, tcp: bytes, tcp_len, reassemble: tr.inner.config().reassemble };
    // The cheap test first: an MPTCP SYN (or any other packet) needs no checksum.
    let gives_up = captured == tcp_len as usize
        && tr.inner.gives_up_at_first(&seg)
        && mptcp_core::inet_checksum::transport_ok(a.to_ip(), b.to_ip(), 6, bytes);
    u8::from(gives_up)
}

/// Whether TCP option bytes carry an MPTCP option (kind 30).
#[no_mangle]
pub unsafe extern "C" fn mptcp_has_option(options: *const u8, len: usize) -> u8 {
    if options.is_null() {
        return 0;
    }
    mptcp_core::walk::has_mptcp(unsafe { std::slice::from_raw_parts(options, len) }) as u8
}
