//! Unit tests of the tracker on hand-built packets.
use super::*;
use crate::crypto;
use crate::reassembly;

fn tuple(a: &str, ap: u16, b: &str, bp: u16) -> FlowTuple {
    FlowTuple { orig_h: a.parse().unwrap(), orig_p: ap, resp_h: b.parse().unwrap(), resp_p: bp }
}

fn pkt(ts: f64, is_orig: bool, flags: u8, options: &[u8]) -> PacketInfo<'_> {
    PacketInfo { ts, is_orig, flags, seq: 0, ack: 0, payload_len: 0, options, payload: &[] }
}

fn cap(len: u8, ver: u8, flags: u8, k1: Option<u64>, k2: Option<u64>) -> Vec<u8> {
    let mut v = vec![30, len, ver, flags];
    if let Some(k) = k1 {
        v.extend_from_slice(&k.to_be_bytes());
    }
    if let Some(k) = k2 {
        v.extend_from_slice(&k.to_be_bytes());
    }
    v
}

const SYN: u8 = tcp_flags::SYN;
const SYNACK: u8 = tcp_flags::SYN | tcp_flags::ACK;
const ACK: u8 = tcp_flags::ACK;

/// A v1 handshake client key ka, server key kb; returns the slot.
fn handshake(t: &mut Tracker, tu: &FlowTuple, ka: u64, kb: u64) -> Slot {
    let mut slot = Slot::default();
    t.packet(&mut slot, tu, &pkt(1.0, true, SYN, &cap(4, 1, 1, None, None)), |_| {});
    t.packet(&mut slot, tu, &pkt(1.1, false, SYNACK, &cap(12, 1, 1, Some(kb), None)), |_| {});
    t.packet(&mut slot, tu, &pkt(1.2, true, ACK, &cap(20, 1, 1, Some(ka), Some(kb))), |_| {});
    slot
}

/// A v1 join on `j` to the server of a connection with client key ka and server key kb,
/// with HMACs that verify; returns its slot.
fn join(t: &mut Tracker, j: &FlowTuple, ka: u64, kb: u64) -> Slot {
    let token_b = crypto::key_hash(1, kb).token;
    let (ra, rb) = (0xaaaa_0001u32, 0xbbbb_0002u32);
    let mut s1 = Slot::default();
    let mut syn = vec![30, 12, 0x10, 3];
    syn.extend_from_slice(&token_b.to_be_bytes());
    syn.extend_from_slice(&ra.to_be_bytes());
    t.packet(&mut s1, j, &pkt(2.0, true, SYN, &syn), |_| {});
    let mut synack = vec![30, 16, 0x10, 0];
    synack.extend_from_slice(&crypto::join_hmac_truncated(1, kb, ka, rb, ra).to_be_bytes());
    synack.extend_from_slice(&rb.to_be_bytes());
    t.packet(&mut s1, j, &pkt(2.1, false, SYNACK, &synack), |_| {});
    let mut ack = vec![30, 24, 0x10, 0];
    ack.extend_from_slice(&crypto::join_hmac(1, ka, kb, ra, rb));
    t.packet(&mut s1, j, &pkt(2.2, true, ACK, &ack), |_| {});
    s1
}

#[test]
fn join_links_by_token_and_verifies() {
    let mut t = Tracker::default();
    let (ka, kb) = (0x1111222233334444u64, 0x5555666677778888u64);
    let tu = tuple("10.0.0.1", 1000, "10.0.0.2", 80);
    let mut s0 = handshake(&mut t, &tu, ka, kb);
    let mut s1 = join(&mut t, &tuple("10.0.1.1", 2000, "10.0.0.2", 80), ka, kb);
    let linked: Vec<_> = t
        .events()
        .iter()
        .filter_map(|e| match e {
            Event::SubflowLinked {
                mptcp_id,
                state: LinkState { initial, link: Some((linked_by, join_auth)), .. },
                ..
            } => Some((*mptcp_id, *initial, *linked_by, *join_auth)),
            _ => None,
        })
        .collect();
    assert_eq!(
        linked,
        vec![(Some(0), true, LinkMethod::Initial, None), (Some(0), false, LinkMethod::Token, Some(JoinAuth::Verified))]
    );
    assert!(!t.events().iter().any(|e| matches!(e, Event::Finding { .. })));
    t.clear_events();
    t.remove(&mut s1);
    t.remove(&mut s0);
    assert_eq!(t.live(), (0, 0));
    let closed: Vec<_> = t
        .events()
        .iter()
        .filter_map(|e| match e {
            Event::ConnClosed { summary, .. } => Some((summary.subflows_attempted, summary.subflows_established)),
            _ => None,
        })
        .collect();
    assert_eq!(closed, vec![(2, 2)]);
}

#[test]
fn bad_join_hmac_is_a_finding() {
    let mut t = Tracker::default();
    let (ka, kb) = (1u64, 2u64);
    let tu = tuple("10.0.0.1", 1000, "10.0.0.2", 80);
    let _s0 = handshake(&mut t, &tu, ka, kb);
    let mut s1 = Slot::default();
    let j = tuple("10.0.1.1", 2000, "10.0.0.2", 80);
    let mut syn = vec![30, 12, 0x10, 3];
    syn.extend_from_slice(&crypto::key_hash(1, kb).token.to_be_bytes());
    syn.extend_from_slice(&7u32.to_be_bytes());
    t.packet(&mut s1, &j, &pkt(2.0, true, SYN, &syn), |_| {});
    let mut synack = vec![30, 16, 0x10, 0];
    synack.extend_from_slice(&0xdeadbeefu64.to_be_bytes());
    synack.extend_from_slice(&9u32.to_be_bytes());
    t.packet(&mut s1, &j, &pkt(2.1, false, SYNACK, &synack), |_| {});
    let kinds: Vec<_> = t
        .events()
        .iter()
        .filter_map(|e| match e {
            Event::Finding { finding, .. } => Some(finding.kind),
            _ => None,
        })
        .collect();
    assert_eq!(kinds, vec![FindingKind::JoinAuthFailure]);
}

#[test]
fn handshake_without_mptcp_answer_is_recorded_not_alarmed() {
    let mut t = Tracker::default();
    let tu = tuple("10.0.0.1", 1000, "10.0.0.2", 80);
    let mut slot = Slot::default();
    t.packet(&mut slot, &tu, &pkt(1.0, true, SYN, &cap(4, 1, 1, None, None)), |_| {});
    t.packet(&mut slot, &tu, &pkt(1.1, false, SYNACK, &[2, 4, 5, 0xb4]), |_| {});
    assert_eq!(
        t.events(),
        &[Event::Fallback {
            subflow: slot.subflow,
            mptcp_id: None,
            reason: FallbackReason::Handshake,
            state: LinkState { fallback: Some(FallbackReason::Handshake), ..Default::default() }
        }]
    );
}

#[test]
fn plain_tcp_is_ignored_at_the_syn() {
    let mut t = Tracker::default();
    let tu = tuple("10.0.0.1", 1000, "10.0.0.2", 80);
    let mut slot = Slot::default();
    assert_eq!(t.packet(&mut slot, &tu, &pkt(1.0, true, SYN, &[2, 4, 5, 0xb4]), |_| {}), Verdict::Ignore);
    assert_eq!(t.live(), (0, 0));
}

#[test]
fn pending_cap_evicts_oldest_and_counts() {
    let cfg = Config { max_pending: 10, ..Config::default() };
    let mut t = Tracker::new(cfg);
    for i in 0..100u16 {
        let mut s = Slot::default();
        let mut syn = vec![30, 12, 0x10, 3];
        syn.extend_from_slice(&[1, 2, 3, 4, 5, 6, 7, 8]);
        t.packet(&mut s, &tuple("10.9.0.1", i, "10.0.0.2", 80), &pkt(i as f64 * 0.001, true, SYN, &syn), |_| {});
    }
    assert_eq!(t.live().0, 10);
    assert_eq!(t.stats().pending_evicted, 90);
}

fn add_addr_v1(id: u8, addr: [u8; 4], hmac: u64) -> Vec<u8> {
    let mut v = vec![30, 16, 0x30, id];
    v.extend_from_slice(&addr);
    v.extend_from_slice(&hmac.to_be_bytes());
    v
}

#[test]
fn forged_add_addr_is_detected_and_a_valid_one_is_not() {
    let mut t = Tracker::default();
    let (ka, kb) = (0x1111222233334444u64, 0x5555666677778888u64);
    let tu = tuple("10.0.0.1", 1000, "10.0.0.2", 80);
    let mut s = handshake(&mut t, &tu, ka, kb);
    t.clear_events();
    // The server (side B) announces 10.0.9.9 id 4: HMAC with its key first.
    let addr: std::net::IpAddr = "10.0.9.9".parse().unwrap();
    let good = crypto::add_addr_hmac(kb, ka, 4, addr, None);
    t.packet(&mut s, &tu, &pkt(2.0, false, ACK, &add_addr_v1(4, [10, 0, 9, 9], good)), |_| {});
    assert!(t.events().is_empty(), "{:?}", t.events());
    t.packet(&mut s, &tu, &pkt(2.1, false, ACK, &add_addr_v1(5, [10, 0, 9, 8], good)), |_| {});
    let f: Vec<_> = t
        .events()
        .iter()
        .filter_map(|e| match e {
            Event::Finding { finding, .. } => Some((finding.kind, finding.src, finding.n)),
            _ => None,
        })
        .collect();
    assert_eq!(f, vec![(FindingKind::ForgedAddAddr, Some("10.0.0.2".parse().unwrap()), Some(5))]);
}

#[test]
fn first_data_without_a_mapping_gives_the_subflow_back_to_tcp() {
    // RFC 8684 3.7: MP_CAPABLE handshake, then data without DSS (a middlebox strips
    // options): the connection falls back; its stream stops before carrying anything.
    let mut t = Tracker::default();
    let tu = tuple("10.0.0.1", 1000, "10.0.0.2", 80);
    let mut slot = handshake(&mut t, &tu, 1, 2);
    assert!(t.events().iter().any(|e| matches!(e, Event::StreamStart { initial: true, mptcp_id: 0, .. })));
    t.clear_events();
    let data = [1u8, 1, 8, 10, 0, 0, 0, 1, 0, 0, 0, 1];
    let p = PacketInfo {
        ts: 1.3,
        is_orig: true,
        flags: ACK,
        seq: 1,
        ack: 1,
        payload_len: 4,
        options: &data,
        payload: b"GET ",
    };
    t.packet(&mut slot, &tu, &p, |_| {});
    let ev = t.events().to_vec();
    assert!(ev.iter().any(|e| matches!(e, Event::StreamStop { mptcp_id: 0, .. })), "{ev:?}");
    assert!(ev.iter().any(|e| matches!(e, Event::Fallback { reason: FallbackReason::NoMapping, .. })), "{ev:?}");
    // A fallback at the first data is not the mid-connection kind: no finding.
    assert!(!ev.iter().any(|e| matches!(e, Event::Finding { .. })), "{ev:?}");
    assert!(t.deliveries().is_empty());
}

#[test]
fn payload_is_placed_by_its_mapping_and_cut_segments_become_a_gap() {
    // ISNs: client 1000, server 5000 (seq of SYN / SYN-ACK). Server data: DSS mapping
    // DSN = IDSN(kb) + 1, SSN 1, length 6, over two segments of 3 bytes; the first segment
    // arrives cut short by the capture, so it becomes a gap at the end.
    let mut t = Tracker::default();
    let tu = tuple("10.0.0.1", 1000, "10.0.0.2", 80);
    let (ka, kb) = (0x1111u64, 0x2222u64);
    let mut slot = Slot::default();
    let mut p = pkt(1.0, true, SYN, &[]);
    let syn = cap(4, 1, 1, None, None);
    p.options = &syn;
    p.seq = 1000;
    t.packet(&mut slot, &tu, &p, |_| {});
    let synack = cap(12, 1, 1, Some(kb), None);
    let p = PacketInfo {
        ts: 1.1,
        is_orig: false,
        flags: SYNACK,
        seq: 5000,
        ack: 1001,
        payload_len: 0,
        options: &synack,
        payload: &[],
    };
    t.packet(&mut slot, &tu, &p, |_| {});
    let ack3 = cap(20, 1, 1, Some(ka), Some(kb));
    t.packet(&mut slot, &tu, &pkt(1.2, true, ACK, &ack3), |_| {});
    let idsn = crypto::key_hash(1, kb).idsn;
    // DSS: flags M (4) | dsn8 (8): DSN 8 bytes, SSN 4, length 2 (no checksum).
    let mut dss = vec![1u8, 1, 8, 10, 0, 0, 0, 1, 0, 0, 0, 1, 30, 18, 0x20, 0x0c];
    dss.extend_from_slice(&(idsn + 1).to_be_bytes());
    dss.extend_from_slice(&1u32.to_be_bytes());
    dss.extend_from_slice(&6u16.to_be_bytes());
    let cut = PacketInfo {
        ts: 1.3,
        is_orig: false,
        flags: ACK,
        seq: 5001,
        ack: 1001,
        payload_len: 3,
        options: &dss,
        payload: b"ab",
    };
    t.packet(&mut slot, &tu, &cut, |_| {});
    assert!(t.deliveries().is_empty());
    let whole = PacketInfo {
        ts: 1.4,
        is_orig: false,
        flags: ACK,
        seq: 5004,
        ack: 1001,
        payload_len: 3,
        options: &dss,
        payload: b"def",
    };
    t.packet(&mut slot, &tu, &whole, |_| {});
    assert!(t.deliveries().is_empty(), "waits behind the cut segment");
    t.remove(&mut slot);
    let d: Vec<(u8, u64, reassembly::DeliveryKind)> =
        t.deliveries().iter().map(|d| (d.side, d.offset, d.kind.clone())).collect();
    use reassembly::DeliveryKind::*;
    // The client sent no data: its direction never started, so it has no end either.
    assert_eq!(d, [(1, 0, Gap(3)), (1, 3, Owned(b"def".to_vec())), (1, 6, End)]);
}

/// DSS options (v1): flags, then data ACK (4 or 8 bytes), then a mapping.
fn dss(flags: u8, ack: Option<&[u8]>, map: Option<(u64, u32, u16)>) -> Vec<u8> {
    let mut v = vec![30, 0, 0x20, flags];
    if let Some(a) = ack {
        v.extend_from_slice(a);
    }
    if let Some((dsn, ssn, len)) = map {
        if flags & 0x08 != 0 {
            v.extend_from_slice(&dsn.to_be_bytes());
        } else {
            v.extend_from_slice(&(dsn as u32).to_be_bytes());
        }
        v.extend_from_slice(&ssn.to_be_bytes());
        v.extend_from_slice(&len.to_be_bytes());
    }
    v[1] = v.len() as u8;
    v
}

#[test]
fn a_join_no_connection_claims_keeps_what_its_dss_options_said() {
    // In a Zeek cluster the handshake may be another worker's: the join's summary carries
    // what its DSS options said, for the node that knows the connection to fold in.
    let mut t = Tracker::default();
    let j = tuple("10.0.1.1", 2000, "10.0.0.2", 80);
    let mut s = Slot::default();
    let mut syn = vec![30, 12, 0x10, 3];
    syn.extend_from_slice(&0x0bad_cafeu32.to_be_bytes());
    syn.extend_from_slice(&7u32.to_be_bytes());
    t.packet(&mut s, &j, &pkt(2.0, true, SYN, &syn), |_| {});
    let mut synack = vec![30, 16, 0x10, 0];
    synack.extend_from_slice(&[0x11; 8]);
    synack.extend_from_slice(&9u32.to_be_bytes());
    t.packet(&mut s, &j, &pkt(2.1, false, SYNACK, &synack), |_| {});
    let mut ack = vec![30, 24, 0x10, 0];
    ack.extend_from_slice(&[0x22; 20]);
    t.packet(&mut s, &j, &pkt(2.2, true, ACK, &ack), |_| {});
    // Orig: 64-bit data ACKs 500 then 400 (the highest stays), a mapping without checksum.
    let a500 = 500u64.to_be_bytes();
    let a400 = 400u64.to_be_bytes();
    t.packet(&mut s, &j, &pkt(3.0, true, ACK, &dss(0x03 | 0x04, Some(&a500), Some((10, 1, 100)))), |_| {});
    t.packet(&mut s, &j, &pkt(3.5, true, ACK, &dss(0x03, Some(&a400), None)), |_| {});
    // Resp: 32-bit data ACK (not kept), an infinite mapping, then a DATA_FIN.
    t.packet(&mut s, &j, &pkt(4.0, false, ACK, &dss(0x01 | 0x04, Some(&[0, 0, 0, 9]), Some((20, 0, 0)))), |_| {});
    t.packet(
        &mut s,
        &j,
        &pkt(4.5, false, ACK, &dss(0x01 | 0x04 | 0x10, Some(&[0, 0, 0, 9]), Some((30, 5, 1)))),
        |_| {},
    );
    t.clear_events();
    t.remove(&mut s);
    let done: Vec<_> = t
        .events()
        .iter()
        .filter_map(|e| match e {
            Event::SubflowDone { summary, .. } => Some((summary.mptcp_id, summary.linked_by, summary.dss)),
            _ => None,
        })
        .collect();
    let want = DssFacts {
        last_ts: 4.5,
        data_fin: [false, true],
        data_ack: [Some(500), None],
        infinite_ts: Some(4.0),
        no_checksum_ts: Some(3.0),
    };
    assert_eq!(done, vec![(None, LinkMethod::None, Some(want))]);
}

#[test]
fn a_connection_summary_carries_the_facts_of_its_close_reason() {
    let mut t = Tracker::default();
    let (ka, kb) = (0x1111222233334444u64, 0x5555666677778888u64);
    let tu = tuple("10.0.0.1", 1000, "10.0.0.2", 80);
    let mut s0 = handshake(&mut t, &tu, ka, kb);
    // Side A: DATA_FIN with a 64-bit data ACK 77; side B: a 64-bit data ACK 99, then 98.
    let a77 = 77u64.to_be_bytes();
    t.packet(&mut s0, &tu, &pkt(2.0, true, ACK, &dss(0x03 | 0x04 | 0x10, Some(&a77), Some((5, 1, 1)))), |_| {});
    t.packet(&mut s0, &tu, &pkt(2.1, false, ACK, &dss(0x03, Some(&99u64.to_be_bytes()), None)), |_| {});
    t.packet(&mut s0, &tu, &pkt(2.2, false, ACK, &dss(0x03, Some(&98u64.to_be_bytes()), None)), |_| {});
    t.packet(&mut s0, &tu, &pkt(2.3, false, tcp_flags::RST | ACK, &[]), |_| {});
    t.clear_events();
    t.remove(&mut s0);
    let closed: Vec<_> = t
        .events()
        .iter()
        .filter_map(|e| match e {
            Event::ConnClosed { summary, .. } => Some((summary.close_reason, summary.facts)),
            Event::SubflowDone { summary, .. } => {
                assert_eq!(summary.dss, None, "a subflow of a connection keeps no facts of its own");
                None
            }
            _ => None,
        })
        .collect();
    let want = ConnFacts {
        data_fin: [true, false],
        data_ack: [Some(77), Some(99)],
        resets: 1,
        fastclose: false,
        tcprst: false,
        fallback: false,
    };
    assert_eq!(closed, vec![(CloseReason::Reset, want)]);
}

/// A captured TCP segment: a 20-byte header (ACK, `seq`), `options`, then `captured`
/// bytes of payload.
fn tcp_segment(seq: u32, options: &[u8], captured: usize) -> Vec<u8> {
    let mut b = vec![0u8; 20];
    b[4..8].copy_from_slice(&seq.to_be_bytes());
    b[12] = (((20 + options.len()) / 4) as u8) << 4;
    b[13] = ACK;
    b.extend_from_slice(options);
    b.resize(b.len() + captured, b'a');
    b
}

#[test]
fn the_repeat_shortcut_takes_cut_repeats_under_a_mapping_from_either_side() {
    // A bulk transfer captured with headers only, as the bench traces are: the segments
    // after a mapping's first repeat its DSS byte for byte and carry cut payload, which
    // nothing can place. The shortcut must take them in whichever direction data flows
    // (it once looked the mapping up in the other direction and declined them all).
    let (ka, kb) = (0x1111u64, 0x2222u64);
    for data_from_orig in [false, true] {
        let mut t = Tracker::default();
        let tu = tuple("10.0.0.1", 1000, "10.0.0.2", 80);
        let mut slot = Slot::default();
        let hs = [(true, SYN, 1000u32, cap(4, 1, 1, None, None)), (false, SYNACK, 5000, cap(12, 1, 1, Some(kb), None))];
        for (i, (is_orig, flags, seq, opts)) in hs.iter().enumerate() {
            let p = PacketInfo { seq: *seq, ..pkt(1.0 + i as f64 / 10.0, *is_orig, *flags, opts) };
            t.packet(&mut slot, &tu, &p, |_| {});
        }
        t.packet(&mut slot, &tu, &pkt(1.2, true, ACK, &cap(20, 1, 1, Some(ka), Some(kb))), |_| {});
        let (key, isn) = if data_from_orig { (ka, 1000u32) } else { (kb, 5000) };
        let idsn = crypto::key_hash(1, key).idsn;
        // NOP, NOP, timestamps, DSS (mapping of 2,800 bytes, 8-byte DSN), two padding NOPs.
        let mut opts = vec![1u8, 1, 8, 10, 0, 0, 0, 1, 0, 0, 0, 1];
        opts.extend(dss(0x0c, None, Some((idsn + 1, 1, 2800))));
        opts.extend([1, 1]);
        let wire = (20 + opts.len() + 1400) as u32;
        let first = tcp_segment(isn + 1, &opts, 1400);
        let seg = Segment { ts: 1.3, is_orig: data_from_orig, tcp: &first, tcp_len: wire, reassemble: true };
        assert!(!t.shortcut(&mut slot, &seg), "a mapping's first segment is new");
        t.packet_quiet(&mut slot, || tu, &seg.packet().unwrap());
        let cut = tcp_segment(isn + 1401, &opts, 40);
        let seg = Segment { ts: 1.4, is_orig: data_from_orig, tcp: &cut, tcp_len: wire, reassemble: true };
        assert!(t.shortcut(&mut slot, &seg), "data from the originator: {data_from_orig}");
        assert_eq!(slot.shortcut_ts, 1.4);
        // Whole, the same segment's payload must be placed: not this shortcut's to take.
        let whole = tcp_segment(isn + 1401, &opts, 1400);
        let seg = Segment { ts: 1.5, is_orig: data_from_orig, tcp: &whole, tcp_len: wire, reassemble: true };
        assert!(!t.shortcut(&mut slot, &seg));
        t.remove(&mut slot);
    }
}

/// A connection begun with its originator's SYN/ACK (Zeek's view before it flips the
/// ends, orient.rs): the client's key from the third ACK and the server's from the
/// SYN/ACK land where a join's verification needs them, however the caller sees the
/// packet at which Zeek flips (`before_tcp_analyzer`).
#[test]
fn a_connection_begun_with_its_originators_syn_ack_is_read_as_zeek_flips_it() {
    let (ka, kb) = (0x1111222233334444u64, 0x5555666677778888u64);
    for before in [true, false] {
        let mut t = Tracker::new(Config { before_tcp_analyzer: before, ..Config::default() });
        // Zeek's tuple while the SYN/ACK's sender is its originator.
        let zeek = tuple("10.0.0.2", 5201, "10.0.0.1", 1000);
        let mut slot = Slot::default();
        t.packet(&mut slot, &zeek, &pkt(1.1, true, SYNACK, &cap(12, 1, 1, Some(kb), None)), |_| {});
        assert_eq!(slot.inverted, 1, "read the other way round until Zeek flips");
        assert!(!t.ends_flipped());
        // The client's third ACK: Zeek flips at it, after a tap sees it (still its
        // responder then), before a child analyzer does (its originator by then).
        t.packet(&mut slot, &zeek, &pkt(1.2, !before, ACK, &cap(20, 1, 1, Some(ka), Some(kb))), |_| {});
        assert_eq!(slot.inverted, 0);
        assert_eq!(t.ends_flipped(), before);
        // From then on Zeek's ends are the core's.
        t.packet(&mut slot, &zeek.swapped(), &pkt(1.3, true, ACK, &[1, 1, 8, 10, 0, 0, 0, 1, 0, 0, 0, 2]), |_| {});
        assert!(!t.ends_flipped());
        // A join to the server's token verifies: each key is its own end's.
        join(&mut t, &tuple("10.0.1.1", 2000, "10.0.0.2", 5201), ka, kb);
        let auth: Vec<_> = t
            .events()
            .iter()
            .filter_map(|e| match e {
                Event::SubflowLinked {
                    state: LinkState { initial: false, link: Some((_, join_auth)), .. }, ..
                } => Some(*join_auth),
                _ => None,
            })
            .collect();
        assert_eq!(auth, vec![Some(JoinAuth::Verified)], "before_tcp_analyzer {before}");
        // The subflow's endpoints are Zeek's after the flip.
        t.clear_events();
        t.remove(&mut slot);
        let ends: Vec<_> = t
            .events()
            .iter()
            .filter_map(|e| match e {
                Event::SubflowDone { summary, .. } => Some(summary.tuple),
                _ => None,
            })
            .collect();
        assert_eq!(ends, vec![zeek.swapped()]);
    }
}

/// A SYN/ACK from Zeek's originator followed by a RST: Zeek's history moves on and it
/// never flips, so the core reads the connection the other way round for good, and
/// keeps no repeat memo for it (the shortcuts read the direction as handed).
#[test]
fn a_syn_ack_that_zeek_never_flips_is_read_the_other_way_round_for_good() {
    let mut t = Tracker::default();
    let zeek = tuple("10.0.0.2", 5201, "10.0.0.1", 1000);
    let mut slot = Slot::default();
    t.packet(&mut slot, &zeek, &pkt(1.1, true, SYNACK, &cap(12, 1, 1, Some(7), None)), |_| {});
    t.packet(&mut slot, &zeek, &pkt(1.2, false, tcp_flags::RST, &[]), |_| {});
    assert_eq!(slot.inverted, 2);
    let dss = [1, 1, 8, 10, 0, 0, 0, 1, 0, 0, 0, 2, 30, 8, 0x20, 1, 0, 0, 0, 9];
    t.packet(&mut slot, &zeek, &pkt(1.3, false, ACK, &dss), |_| {});
    assert_eq!(slot.memo, [DssMemo::default(); 2]);
    assert!(!t.ends_flipped());
    // A plain TCP connection begun with a SYN/ACK is none of the core's business.
    let mut plain = Slot::default();
    t.packet(&mut plain, &zeek, &pkt(1.0, true, SYNACK, &[2, 4, 5, 180]), |_| {});
    assert_eq!(plain.inverted, 0);
    // Nor is a SYN/ACK after packets without MPTCP options: Zeek's history moved on.
    let mut late = Slot::default();
    t.packet(&mut late, &zeek, &pkt(1.0, true, ACK, &[]), |_| {});
    t.packet(&mut late, &zeek, &pkt(1.1, true, SYNACK, &cap(12, 1, 1, Some(7), None)), |_| {});
    assert_eq!(late.inverted, 0);
}

#[test]
fn the_address_index_releases_every_address_a_connection_was_indexed_under() {
    let mut t = Tracker::default();
    let (ka, kb) = (0x1111222233334444u64, 0x5555666677778888u64);
    // 300 connections to one server address: each is indexed under both ends' addresses.
    let mut slots: Vec<(Slot, FlowTuple)> = (0..300u16)
        .map(|i| {
            let tu = tuple("10.0.0.1", 1000 + i, "10.0.0.2", 80);
            (handshake(&mut t, &tu, ka + u64::from(i), kb + u64::from(i)), tu)
        })
        .collect();
    let at = |t: &Tracker, a: &str| {
        let a: std::net::IpAddr = a.parse().unwrap();
        t.addrs.range((a, 0)..=(a, u64::MAX)).count()
    };
    assert_eq!(at(&t, "10.0.0.2"), 300);
    // The last server announces 10.0.9.9 and removes it again: the index keeps it until the
    // connection goes (the address test still finds the connection there), then drops it.
    let (s, tu) = slots.last_mut().unwrap();
    let rm = [30u8, 4, 0x40, 4];
    t.packet(s, tu, &pkt(2.0, false, ACK, &add_addr_v1(4, [10, 0, 9, 9], 0)), |_| {});
    t.packet(s, tu, &pkt(2.1, false, ACK, &rm), |_| {});
    let ch = t.subflows.get(s.subflow).and_then(|sf| sf.conn).unwrap();
    let c = t.conns.get(ch).unwrap();
    assert_eq!((c.removed, c.side_has_addr(SIDE_B, "10.0.9.9".parse().unwrap())), (1, false));
    assert_eq!(at(&t, "10.0.9.9"), 1);
    for (s, _) in &mut slots {
        t.remove(s);
    }
    assert_eq!(t.live(), (0, 0));
    assert!(t.addrs.is_empty(), "left in the address index: {:?}", t.addrs);
}

/// An MP_JOIN SYN on `j` with `token`; returns its slot.
fn join_syn(t: &mut Tracker, j: &FlowTuple, token: u32, ts: f64) -> Slot {
    let mut s = Slot::default();
    let mut syn = vec![30, 12, 0x10, 3];
    syn.extend_from_slice(&token.to_be_bytes());
    syn.extend_from_slice(&0xaaaa_0001u32.to_be_bytes());
    t.packet(&mut s, j, &pkt(ts, true, SYN, &syn), |_| {});
    s
}

/// The join floods found so far: (MPTCP connection, count, identifier).
fn floods(t: &Tracker) -> Vec<(Option<MptcpId>, Option<u64>, Option<String>)> {
    t.events()
        .iter()
        .filter_map(|e| match e {
            Event::Finding { finding: f, .. } if f.kind == FindingKind::JoinFlood => {
                Some((f.mptcp_id, f.n, f.identifier.clone()))
            }
            _ => None,
        })
        .collect()
}

#[test]
fn valid_token_joins_flood_one_connection_not_a_busy_server() {
    let cfg = Config { join_flood_threshold: 5, ..Config::default() };
    let mut t = Tracker::new(cfg);
    let (ka, kb) = (0x1111222233334444u64, 0x5555666677778888u64);
    // Twenty connections to one server, each joined once, all within the interval: a
    // busy server, no flood (the joins were counted per receiver before, and flooded).
    for i in 0..20u16 {
        let (ka, kb) = (ka + u64::from(i), kb + u64::from(i));
        handshake(&mut t, &tuple("10.0.0.1", 1000 + i, "10.0.0.2", 80), ka, kb);
        join(&mut t, &tuple("10.0.1.1", 3000 + i, "10.0.0.2", 80), ka, kb);
    }
    assert_eq!(floods(&t), vec![]);
    assert!(!t.events().iter().any(|e| matches!(e, Event::Finding { .. })));
    // Five more join SYNs with connection 7's token: the fifth join to it floods, once.
    let token = crypto::key_hash(1, kb + 7).token;
    for i in 0..7u16 {
        join_syn(&mut t, &tuple("10.0.2.1", 4000 + i, "10.0.0.2", 80), token, 3.0);
    }
    assert_eq!(floods(&t), vec![(Some(7), Some(5), Some("10.0.0.2-valid-7".to_string()))]);
    // Invalid tokens are counted per receiver address: five of them from five hosts flood.
    t.clear_events();
    for i in 0..5u8 {
        join_syn(&mut t, &tuple(&format!("10.0.3.{i}"), 5000, "10.0.0.2", 80), 0xdead_beef, 3.5);
    }
    assert_eq!(floods(&t), vec![(None, Some(5), Some("10.0.0.2-invalid".to_string()))]);
    // After the interval, connection 7's window starts again.
    t.clear_events();
    for i in 0..5u16 {
        join_syn(&mut t, &tuple("10.0.2.1", 4100 + i, "10.0.0.2", 80), token, 14.0);
    }
    assert_eq!(floods(&t), vec![(Some(7), Some(5), Some("10.0.0.2-valid-7".to_string()))]);
}

#[test]
fn link_events_carry_the_subflow_state() {
    // Each link event carries the subflow's whole state when it is raised, so that the
    // latest one can stand for the subflow (the Zeek package's c$mptcp).
    let mut t = Tracker::default();
    let (ka, kb) = (0x1111222233334444u64, 0x5555666677778888u64);
    let tu = tuple("10.0.0.1", 1000, "10.0.0.2", 80);
    let mut s0 = handshake(&mut t, &tu, ka, kb);
    let _s1 = join(&mut t, &tuple("10.0.1.1", 2000, "10.0.0.2", 80), ka, kb);
    // An infinite mapping (DSS data-level length 0) on the initial subflow: fallback.
    let dss = [30, 14, 0x20, 0x04, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0];
    t.packet(&mut s0, &tu, &pkt(3.0, true, ACK, &dss), |_| {});
    let states: Vec<_> = t
        .events()
        .iter()
        .filter_map(|e| match e {
            Event::SubflowEstablished { state, .. } => Some(("established", *state)),
            Event::SubflowLinked { state, .. } => Some(("linked", *state)),
            Event::Fallback { state, .. } => Some(("fallback", *state)),
            _ => None,
        })
        .collect();
    let st = |initial, link, fallback| LinkState { initial, established: true, link, fallback };
    let initial_link = Some((LinkMethod::Initial, None));
    let join_link = Some((LinkMethod::Token, Some(JoinAuth::Verified)));
    assert_eq!(
        states,
        vec![
            ("established", st(true, None, None)),
            ("linked", st(true, initial_link, None)),
            ("established", st(false, None, None)),
            ("linked", st(false, join_link, None)),
            ("fallback", st(true, initial_link, Some(FallbackReason::InfiniteMapping))),
        ]
    );
}
