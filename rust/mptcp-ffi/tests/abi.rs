//! The C ABI used as the plugin uses it: create, feed packets through a caller-owned
//! slot, read options and events as C structs, remove, free; NULLs give error codes.

use mptcp_ffi::*;
use std::ptr;

fn addr(a: [u8; 4]) -> MptcpAddr {
    let mut b = [0u8; 16];
    b[..4].copy_from_slice(&a);
    MptcpAddr { bytes: b, is_v6: 0 }
}

fn pkt(ts: f64, is_orig: bool, flags: u8, opts: &[u8]) -> MptcpPacket {
    MptcpPacket {
        ts,
        options: opts.as_ptr(),
        options_len: opts.len(),
        flags,
        is_orig: is_orig as u8,
        seq: 0,
        ack: 0,
        payload_len: 0,
        payload: std::ptr::null(),
        payload_caplen: 0,
    }
}

/// After the last removal: no subflow or connection left, `connections` created.
unsafe fn assert_released(t: *mut MptcpTracker, connections: u64) {
    let mut st = MptcpStats::default();
    unsafe { mptcp_tracker_stats(t, &mut st) };
    assert_eq!((st.live_subflows, st.live_connections, st.connections), (0, 0, connections));
}

fn s(x: MptcpStr) -> String {
    if x.len == 0 {
        return String::new();
    }
    String::from_utf8(unsafe { std::slice::from_raw_parts(x.ptr, x.len) }.to_vec()).unwrap()
}

#[test]
fn handshake_through_the_c_abi() {
    unsafe {
        let t = mptcp_tracker_new(ptr::null());
        assert!(!t.is_null());
        let tuple = MptcpTuple { orig_h: addr([10, 0, 0, 1]), resp_h: addr([10, 0, 0, 2]), orig_p: 1000, resp_p: 80 };
        let mut slot = MptcpSlot::default();
        let mut opts = [MptcpOption::zeroed(); 16];
        let mut n = 0usize;
        // NOP NOP TS, MP_CAPABLE v1 SYN.
        let syn = [1u8, 1, 8, 10, 0, 0, 0, 1, 0, 0, 0, 0, 30, 4, 0x01, 0x01];
        let r = mptcp_tracker_packet(t, &mut slot, &tuple, &pkt(1.0, true, 0x02, &syn), opts.as_mut_ptr(), 16, &mut n);
        assert_eq!((r, n), (MPTCP_TRACK, 1));
        assert_eq!(s(opts[0].subtype), "MP_CAPABLE");
        assert_eq!(opts[0].present, MPTCP_F_VERSION | MPTCP_F_FLAGS);
        assert_eq!((opts[0].version, opts[0].flags, opts[0].len), (1, 1, 4));
        assert_ne!(slot.subflow, 0);
        let mut synack = vec![30u8, 12, 0x01, 0x01];
        synack.extend_from_slice(&0x5555666677778888u64.to_be_bytes());
        mptcp_tracker_packet(
            t,
            &mut slot,
            &tuple,
            &pkt(1.1, false, 0x12, &synack),
            ptr::null_mut(),
            0,
            ptr::null_mut(),
        );
        // Established, linked, and (reassembly on by default) its data streams start.
        assert_eq!(mptcp_tracker_event_count(t), 3);
        let mut e: MptcpEvent = std::mem::zeroed();
        assert_eq!(mptcp_tracker_event(t, 0, &mut e), MPTCP_OK);
        assert_eq!((e.kind, e.has_mptcp_id, e.mptcp_id, e.initial), (MPTCP_EV_SUBFLOW_ESTABLISHED, 1, 0, 1));
        assert_eq!(mptcp_tracker_event(t, 1, &mut e), MPTCP_OK);
        assert_eq!(e.kind, MPTCP_EV_SUBFLOW_LINKED);
        assert_eq!(s(e.linked_by), "initial");
        assert_eq!(mptcp_tracker_event(t, 2, &mut e), MPTCP_OK);
        assert_eq!((e.kind, e.mptcp_id, e.initial), (MPTCP_EV_STREAM_START, 0, 1));
        assert_eq!(mptcp_tracker_event(t, 3, &mut e), MPTCP_ERR_RANGE);
        mptcp_tracker_clear_events(t);
        assert_eq!(mptcp_tracker_remove(t, &mut slot), MPTCP_OK);
        let kinds: Vec<u32> = (0..mptcp_tracker_event_count(t))
            .map(|i| {
                mptcp_tracker_event(t, i, &mut e);
                e.kind
            })
            .collect();
        assert_eq!(kinds, vec![MPTCP_EV_SUBFLOW_DONE, MPTCP_EV_CONN_CLOSED]);
        // The last event read is the connection's summary.
        assert_eq!(s(e.close_reason), "timeout");
        assert_eq!((e.has_resp_token, e.resp_token), (1, mptcp_core::crypto::key_hash(1, 0x5555666677778888).token));
        assert_released(t, 1);
        mptcp_tracker_free(t);
    }
}

#[test]
fn null_pointers_are_errors_not_crashes() {
    unsafe {
        let mut slot = MptcpSlot::default();
        assert_eq!(
            mptcp_tracker_packet(
                ptr::null_mut(),
                &mut slot,
                ptr::null(),
                ptr::null(),
                ptr::null_mut(),
                0,
                ptr::null_mut()
            ),
            MPTCP_ERR_NULL
        );
        assert_eq!(mptcp_tracker_remove(ptr::null_mut(), ptr::null_mut()), MPTCP_ERR_NULL);
        assert_eq!(mptcp_tracker_event_count(ptr::null()), 0);
        mptcp_tracker_free(ptr::null_mut());
        assert_eq!(mptcp_has_option(ptr::null(), 3), 0);
        assert_eq!(mptcp_tracker_gives_up_at_first(ptr::null_mut(), ptr::null(), 0, 0, ptr::null(), ptr::null()), 0);
        let mut tok = 0u32;
        mptcp_key_hash(0, 0x9c9eabd1e46a33b2, &mut tok, ptr::null_mut());
        assert_eq!(tok, 2945910507);
    }
}

/// A TCP segment as the packet path has it: a 20-byte header (data offset from the
/// options, padded with EOL to 4 bytes), the options, `payload` zero bytes.
fn segment(flags: u8, opts: &[u8], payload: usize) -> Vec<u8> {
    let mut o = opts.to_vec();
    while !o.len().is_multiple_of(4) {
        o.push(0);
    }
    let mut b = vec![
        0x03,
        0xe8,
        0x00,
        0x50,
        0,
        0,
        0,
        1,
        0,
        0,
        0,
        1,
        ((20 + o.len()) / 4 * 16) as u8,
        flags,
        0xff,
        0xff,
        0,
        0,
        0,
        0,
    ];
    b.extend_from_slice(&o);
    b.resize(b.len() + payload, 0);
    b
}

const KEY_A: u64 = 0x1111222233334444;
const KEY_B: u64 = 0x5555666677778888;

/// MP_CAPABLE v1 as segments: SYN, SYN/ACK with the responder's key, third ACK with both.
fn v1_handshake() -> [Vec<u8>; 3] {
    let mut synack = vec![30u8, 12, 0x01, 0x01];
    synack.extend_from_slice(&KEY_B.to_be_bytes());
    let mut ack = vec![30u8, 20, 0x01, 0x01];
    ack.extend_from_slice(&KEY_A.to_be_bytes());
    ack.extend_from_slice(&KEY_B.to_be_bytes());
    [segment(0x02, &[30, 4, 0x01, 0x01], 0), segment(0x12, &synack, 0), segment(0x10, &ack, 0)]
}

/// The originator's pure ACK as Linux sends it: NOP NOP TS, then a DSS with a 4-byte data
/// ACK of the responder's first byte.
fn dss_ack() -> Vec<u8> {
    let ack_b = (mptcp_core::crypto::key_hash(1, KEY_B).idsn as u32).wrapping_add(1);
    let mut dss = vec![1u8, 1, 8, 10, 0, 0, 0, 9, 0, 0, 0, 7, 30, 8, 0x20, 0x01];
    dss.extend_from_slice(&ack_b.to_be_bytes());
    segment(0x10, &dss, 0)
}

/// `seg` with its TCP checksum set for a segment from `a` to `b` (IPv4 or IPv6).
fn with_checksum(mut seg: Vec<u8>, a: &MptcpAddr, b: &MptcpAddr) -> Vec<u8> {
    seg[16..18].copy_from_slice(&[0, 0]);
    let n = if a.is_v6 != 0 { 16 } else { 4 };
    let mut sum: u32 = 6 + seg.len() as u32;
    for w in a.bytes[..n].chunks(2).chain(b.bytes[..n].chunks(2)).chain(seg.chunks(2)) {
        sum += u32::from(w[0]) << 8 | u32::from(*w.get(1).unwrap_or(&0));
    }
    while sum >> 16 != 0 {
        sum = (sum & 0xffff) + (sum >> 16);
    }
    seg[16..18].copy_from_slice(&(!(sum as u16)).to_be_bytes());
    seg
}

#[test]
fn a_plain_syn_is_given_up_at_and_nothing_else_is() {
    unsafe {
        let t = mptcp_tracker_new(ptr::null());
        let (a, b) = (addr([10, 0, 0, 1]), addr([10, 0, 0, 2]));
        let ask = |seg: &[u8]| mptcp_tracker_gives_up_at_first(t, seg.as_ptr(), seg.len(), seg.len() as u32, &a, &b);
        // A Linux SYN without MPTCP (MSS, SACK permitted, timestamps, NOP, window scale),
        // and a SYN/ACK without it: given up at, the addresses either way round.
        let plain = [2u8, 4, 5, 0xb4, 4, 2, 8, 10, 0, 0, 0, 1, 0, 0, 0, 0, 1, 3, 3, 7];
        let syn = with_checksum(segment(0x02, &plain, 0), &a, &b);
        assert_eq!(ask(&syn), 1);
        assert_eq!(mptcp_tracker_gives_up_at_first(t, syn.as_ptr(), syn.len(), syn.len() as u32, &b, &a), 1);
        assert_eq!(ask(&with_checksum(segment(0x12, &plain, 0), &a, &b)), 1);
        // The same SYN with a wrong checksum, or cut short by the capture: not.
        let mut bad = syn.clone();
        bad[17] ^= 1;
        assert_eq!(ask(&bad), 0);
        assert_eq!(mptcp_tracker_gives_up_at_first(t, syn.as_ptr(), syn.len() - 4, syn.len() as u32, &a, &b), 0);
        // Over IPv6.
        let mut a6 = MptcpAddr { is_v6: 1, ..Default::default() };
        a6.bytes[0] = 0xfd;
        a6.bytes[15] = 1;
        let mut b6 = a6;
        b6.bytes[15] = 2;
        let syn6 = with_checksum(segment(0x02, &plain, 0), &a6, &b6);
        assert_eq!(mptcp_tracker_gives_up_at_first(t, syn6.as_ptr(), syn6.len(), syn6.len() as u32, &a6, &b6), 1);
        assert_eq!(ask(&syn6), 0);
        // An MP_CAPABLE SYN, a join's SYN, a mid-stream packet, a header cut short: not.
        let [cap, _, _] = v1_handshake();
        assert_eq!(ask(&with_checksum(cap, &a, &b)), 0);
        assert_eq!(ask(&with_checksum(segment(0x02, &[30, 12, 0x10, 0, 0, 0, 0, 1, 0, 0, 0, 2], 0), &a, &b)), 0);
        assert_eq!(ask(&with_checksum(segment(0x10, &plain, 100), &a, &b)), 0);
        assert_eq!(ask(&syn[..19]), 0);
        // Asking changed nothing.
        let mut st = MptcpStats::default();
        assert_eq!(mptcp_tracker_stats(t, &mut st), MPTCP_OK);
        assert_eq!((st.subflows, st.connections), (0, 0));
        mptcp_tracker_free(t);
    }
}

#[test]
fn segments_through_the_c_abi() {
    unsafe {
        let t = mptcp_tracker_new(ptr::null());
        let tuple = MptcpTuple { orig_h: addr([10, 0, 0, 1]), resp_h: addr([10, 0, 0, 2]), orig_p: 1000, resp_p: 80 };
        let mut slot = MptcpSlot::default();
        let hand = |slot: &mut MptcpSlot, b: &[u8], is_orig: bool, ts: f64| {
            mptcp_tracker_segment(t, slot, b.as_ptr(), b.len(), b.len() as u32, is_orig, ts, &tuple)
        };
        let [syn, synack, ack] = v1_handshake();
        assert_eq!(hand(&mut slot, &syn, true, 1.0), MPTCP_TRACK);
        assert_ne!(slot.subflow, 0);
        assert_eq!(hand(&mut slot, &synack, false, 1.1), MPTCP_TRACK | MPTCP_EVENTS);
        assert_eq!(mptcp_tracker_event_count(t), 3);
        mptcp_tracker_clear_events(t);
        assert_eq!(hand(&mut slot, &ack, true, 1.2), MPTCP_TRACK);
        let dss = dss_ack();
        assert_eq!(hand(&mut slot, &dss, true, 1.3), MPTCP_TRACK);
        assert_eq!(slot.shortcut_ts, 0.0);
        // Its repeat takes the shortcut: only the slot notes it (its timestamp).
        assert_eq!(hand(&mut slot, &dss, true, 1.4), MPTCP_TRACK);
        assert_eq!(slot.shortcut_ts, 1.4);
        // Too short for a TCP header: skipped, nothing done.
        assert_eq!(hand(&mut slot, &[0u8; 12], true, 1.5), MPTCP_TRACK);
        assert_eq!(slot.shortcut_ts, 1.4);
        let b = &dss;
        assert_eq!(
            mptcp_tracker_segment(ptr::null_mut(), &mut slot, b.as_ptr(), b.len(), 40, true, 2.0, &tuple),
            MPTCP_ERR_NULL
        );
        assert_eq!(
            mptcp_tracker_segment(t, ptr::null_mut(), b.as_ptr(), b.len(), 40, true, 2.0, &tuple),
            MPTCP_ERR_NULL
        );
        assert_eq!(mptcp_tracker_remove(t, &mut slot), MPTCP_DELIVERIES);
        let ds: Vec<(u8, u8, u64)> = (0..mptcp_tracker_delivery_count(t))
            .map(|i| {
                let mut d: MptcpDelivery = std::mem::zeroed();
                assert_eq!(mptcp_tracker_delivery(t, i, &mut d), MPTCP_OK);
                (d.side, d.kind, d.len)
            })
            .collect();
        // The streams end at the removal: the responder's, whose position the data ACK
        // fixed, with an END (nothing placed the originator's: no mapping, no data ACK).
        assert_eq!(ds, vec![(1, MPTCP_END, 0)]);
        assert_released(t, 1);
        mptcp_tracker_free(t);
    }
}

/// `mptcp_tracker_segment_report`: the shortcuts take what they take and report nothing;
/// every other segment reports its options, with `MPTCP_OPTIONS` in the verdict.
#[test]
fn segment_report_reports_what_the_shortcuts_do_not_take() {
    unsafe {
        let t = mptcp_tracker_new(ptr::null());
        let tuple = MptcpTuple { orig_h: addr([10, 0, 0, 1]), resp_h: addr([10, 0, 0, 2]), orig_p: 1000, resp_p: 80 };
        let mut slot = MptcpSlot::default();
        let mut opts = [MptcpOption::zeroed(); 16];
        let mut report = MptcpReport { tuple: &tuple, opts: opts.as_mut_ptr(), opts_cap: 16, opts_n: 99, is_orig: 9 };
        let hand = |slot: &mut MptcpSlot, b: &[u8], is_orig: bool, ts: f64, report: &mut MptcpReport| {
            let r = mptcp_tracker_segment_report(t, slot, b.as_ptr(), b.len(), b.len() as u32, is_orig, ts, report);
            mptcp_tracker_clear_events(t);
            r
        };
        let [syn, synack, ack] = v1_handshake();
        // The handshake: each packet reports its MP_CAPABLE, with its direction.
        assert_eq!(hand(&mut slot, &syn, true, 1.0, &mut report), MPTCP_TRACK | MPTCP_OPTIONS);
        assert_eq!((report.opts_n, report.is_orig, opts[0].subtype_raw), (1, 1, 0));
        assert_ne!(slot.subflow, 0);
        assert_eq!(hand(&mut slot, &synack, false, 1.1, &mut report) & MPTCP_OPTIONS, MPTCP_OPTIONS);
        assert_eq!((report.opts_n, report.is_orig), (1, 0));
        hand(&mut slot, &ack, true, 1.2, &mut report);
        let dss = dss_ack();
        // A first DSS takes the general path, which reports no well-formed DSS (the caller
        // has no DSS handlers; a malformed one is reported, below).
        assert_eq!(hand(&mut slot, &dss, true, 1.3, &mut report), MPTCP_TRACK);
        assert_eq!(report.opts_n, 0);
        assert_eq!(slot.shortcut_ts, 0.0);
        // Its repeat: taken by the shortcut (the slot keeps its time), nothing reported.
        report.opts_n = 77;
        assert_eq!(hand(&mut slot, &dss, true, 1.4, &mut report), MPTCP_TRACK);
        assert_eq!((report.opts_n, slot.shortcut_ts), (77, 1.4));
        // `report` is read only on the general path: a NULL one is an error there alone.
        let b = &dss;
        assert_eq!(
            mptcp_tracker_segment_report(t, &mut slot, b.as_ptr(), 40, 40, true, 2.0, ptr::null_mut()),
            MPTCP_TRACK
        );
        let a = &ack;
        assert_eq!(
            mptcp_tracker_segment_report(t, &mut slot, a.as_ptr(), a.len(), 40, true, 2.1, ptr::null_mut()),
            MPTCP_ERR_NULL
        );
        assert_eq!(
            mptcp_tracker_segment_report(ptr::null_mut(), &mut slot, b.as_ptr(), 40, 40, true, 2.2, &mut report),
            MPTCP_ERR_NULL
        );
        assert_eq!(
            mptcp_tracker_segment_report(t, ptr::null_mut(), b.as_ptr(), 40, 40, true, 2.2, &mut report),
            MPTCP_ERR_NULL
        );
        // A malformed DSS (length 7: its 4-byte data ACK does not fit) is reported.
        let bad = segment(0x10, &[30, 7, 0x20, 0x01, 0, 0, 0], 0);
        assert_eq!(hand(&mut slot, &bad, true, 2.3, &mut report), MPTCP_TRACK | MPTCP_OPTIONS);
        assert_eq!((report.opts_n, opts[0].subtype_raw, opts[0].present & MPTCP_F_ERROR), (1, 2, MPTCP_F_ERROR));
        mptcp_tracker_remove(t, &mut slot);
        mptcp_tracker_clear_events(t);
        mptcp_tracker_clear_deliveries(t);
        assert_released(t, 1);
        mptcp_tracker_free(t);
    }
}

/// `mptcp_tracker_segment_options` reports every option, a repeated DSS included (no
/// shortcut takes it: the caller wants DSS events); what a caller without DSS events
/// gets is `segment_report_reports_what_the_shortcuts_do_not_take`.
#[test]
fn segment_options_reports_every_option() {
    unsafe {
        let t = mptcp_tracker_new(ptr::null());
        let tuple = MptcpTuple { orig_h: addr([10, 0, 0, 1]), resp_h: addr([10, 0, 0, 2]), orig_p: 1000, resp_p: 80 };
        let mut slot = MptcpSlot::default();
        let mut opts = [MptcpOption::zeroed(); 16];
        let mut n = 99usize;
        let mut hand = |slot: &mut MptcpSlot, b: &[u8], is_orig: bool, ts: f64, n: &mut usize| {
            let seg = MptcpSegment {
                ts,
                tcp: b.as_ptr(),
                captured: b.len(),
                tcp_len: b.len() as u32,
                is_orig: is_orig as u8,
                reassemble: 1,
            };
            let r = mptcp_tracker_segment_options(t, slot, &tuple, &seg, opts.as_mut_ptr(), 16, n);
            mptcp_tracker_clear_events(t);
            r
        };
        let [syn, synack, ack] = v1_handshake();
        for (b, is_orig, ts) in [(&syn, true, 1.0), (&synack, false, 1.1), (&ack, true, 1.2)] {
            hand(&mut slot, b, is_orig, ts, &mut n);
            assert_eq!(n, 1);
        }
        let dss = dss_ack();
        // The first DSS takes the general path: reported.
        assert_eq!(hand(&mut slot, &dss, true, 1.3, &mut n), MPTCP_TRACK);
        assert_eq!(n, 1);
        // Its repeat: the general path again, reported (the slot keeps no shortcut time).
        n = 99;
        assert_eq!(hand(&mut slot, &dss, true, 1.4, &mut n), MPTCP_TRACK);
        assert_eq!((n, slot.shortcut_ts), (1, 0.0));
        mptcp_tracker_remove(t, &mut slot);
        mptcp_tracker_free(t);
    }
}
