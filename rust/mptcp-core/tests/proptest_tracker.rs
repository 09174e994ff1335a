//! Property test of the tracker with data-level reassembly on: a real handshake, then
//! arbitrary segments (DSS options with arbitrary flags, sequence numbers, lengths and
//! checksums, arbitrary payload, cut or whole, either direction, on the initial subflow
//! and on a join) must never panic, and removing everything must release all state.
//! The plugin's quiet path (`Tracker::shortcut`, which skips DSS options repeating the
//! previous one of their subflow direction, `Tracker::shortcut_ack` for the next pure
//! ACK, then `Tracker::packet_quiet`) must report
//! exactly what the general path reports, packet by packet, and the shortcut must be
//! taken.

use mptcp_core::tracker::{Config, FlowTuple, PacketInfo, Segment, Slot, Tracker};
use proptest::prelude::*;

fn tuple(a: &str, ap: u16, b: &str, bp: u16) -> FlowTuple {
    FlowTuple { orig_h: a.parse().unwrap(), orig_p: ap, resp_h: b.parse().unwrap(), resp_p: bp }
}

/// NOP NOP TS + a DSS with the given flags and fields (lengths as the flags say).
fn dss(flags: u8, ack: u64, dsn: u64, ssn: u32, dll: u16, csum: Option<u16>) -> Vec<u8> {
    let mut v = vec![1u8, 1, 8, 10, 0, 0, 0, 1, 0, 0, 0, 1, 30, 0, 0x20, flags & 0x1f];
    if flags & 0x01 != 0 {
        if flags & 0x02 != 0 {
            v.extend(ack.to_be_bytes());
        } else {
            v.extend((ack as u32).to_be_bytes());
        }
    }
    if flags & 0x04 != 0 {
        if flags & 0x08 != 0 {
            v.extend(dsn.to_be_bytes());
        } else {
            v.extend((dsn as u32).to_be_bytes());
        }
        v.extend(ssn.to_be_bytes());
        v.extend(dll.to_be_bytes());
        if let Some(c) = csum {
            v.extend(c.to_be_bytes());
        }
    }
    v[13] = (v.len() - 12) as u8;
    while v.len() % 4 != 0 {
        v.push(1);
    }
    v
}

#[derive(Debug, Clone)]
struct Seg {
    join: bool,
    is_orig: bool,
    flags: u8,
    tcp_flags: u8,
    ack: u64,
    /// Acknowledge the other side's stream `ack_rel` bytes on (else `ack` as it is).
    ack_rel: Option<u16>,
    dsn_off: i64,
    ssn: u32,
    dll: u16,
    csum: Option<u16>,
    seq_off: u32,
    payload: Vec<u8>,
    cut: bool,
    /// Send the DSS option of the previous segment of the same subflow direction again.
    repeat: bool,
    /// Send the segment this many times more, each time with the next payload (a bulk
    /// transfer's run of segments under one mapping).
    again: u8,
}

fn seg() -> impl Strategy<Value = Seg> {
    (
        (
            any::<bool>(),
            any::<bool>(),
            // DSS flags: Linux's usual combinations (data ACK with or without a mapping,
            // 4- and 8-byte fields), or anything.
            prop_oneof![Just(0x05u8), Just(0x0f), Just(0x01), Just(0x03), Just(0x07), any::<u8>()],
            prop_oneof![Just(0x10u8), Just(0x18), Just(0x11), Just(0x14), any::<u8>()],
        ),
        (
            (any::<u64>(), prop::option::weighted(0.7, 0u16..6000)),
            prop_oneof![-3000i64..3000, any::<i64>()],
            0u32..4000,
            prop_oneof![0u16..1500, any::<u16>()],
        ),
        (
            prop::option::of(any::<u16>()),
            0u32..4000,
            prop_oneof![1 => Just(Vec::new()), 2 => prop::collection::vec(any::<u8>(), 0..300)],
            any::<bool>(),
        ),
        (prop::bool::weighted(0.6), prop_oneof![2 => Just(0u8), 1 => 1u8..6]),
    )
        .prop_map(
            |(
                (join, is_orig, flags, tcp_flags),
                ((ack, ack_rel), dsn_off, ssn, dll),
                (csum, seq_off, payload, cut),
                (repeat, again),
            )| {
                Seg {
                    join,
                    is_orig,
                    flags,
                    tcp_flags,
                    ack,
                    ack_rel,
                    dsn_off,
                    ssn,
                    dll,
                    csum,
                    seq_off,
                    payload,
                    cut,
                    repeat,
                    again,
                }
            },
        )
}

fn handshake(t: &mut Tracker, slot: &mut Slot, tu: &FlowTuple, opts: [&[u8]; 3]) {
    let p = |ts, is_orig, flags, seq, options| PacketInfo {
        ts,
        is_orig,
        flags,
        seq,
        ack: 0,
        payload_len: 0,
        options,
        payload: &[],
    };
    t.packet(slot, tu, &p(1.0, true, 0x02, 1000, opts[0]), |_| {});
    t.packet(slot, tu, &p(1.1, false, 0x12, 5000, opts[1]), |_| {});
    t.packet(slot, tu, &p(1.2, true, 0x10, 1001, opts[2]), |_| {});
}

/// A TCP segment's bytes: header (sequence number `seq`, flags), options, payload.
fn tcp_bytes(seq: u32, flags: u8, options: &[u8], payload: &[u8]) -> Vec<u8> {
    let mut b = vec![0u8; 20];
    b[4..8].copy_from_slice(&seq.to_be_bytes());
    b[12] = (((20 + options.len()) / 4) as u8) << 4;
    b[13] = flags;
    b.extend_from_slice(options);
    b.extend_from_slice(payload);
    b
}

/// Runs the handshakes and `segs` through a tracker (general or quiet path) and returns
/// what it reported, packet by packet: events and deliveries with their bytes; and how
/// many packets the three shortcuts took (repeats, repeats with payload placed, next
/// ACKs). The quiet path tries them in the plugin's order.
fn run(segs: &[Seg], checksum: bool, buffer: u64, reassemble: bool, quiet: bool) -> (Vec<String>, [usize; 3]) {
    let cfg = Config { reassemble, reassembly_buffer: buffer, reinject_window: 256, ..Config::default() };
    let mut t = Tracker::new(cfg);
    let (ka, kb) = (0x1111_2222_3333_4444u64, 0x5555_6666_7777_8888u64);
    let f = if checksum { 0x81 } else { 0x01 };
    let cap = |len: u8, k1: Option<u64>, k2: Option<u64>| {
        let mut v = vec![30, len, 0x01, f];
        v.extend(k1.map(u64::to_be_bytes).into_iter().flatten());
        v.extend(k2.map(u64::to_be_bytes).into_iter().flatten());
        v
    };
    let (c0, c1, c2) = (cap(4, None, None), cap(12, Some(kb), None), cap(20, Some(ka), Some(kb)));
    let tu0 = tuple("10.0.0.1", 1000, "10.0.0.2", 80);
    let mut s0 = Slot::default();
    handshake(&mut t, &mut s0, &tu0, [&c0, &c1, &c2]);
    // A join by token (HMACs not checked here: linking is what matters).
    let token = mptcp_core::crypto::key_hash(1, kb).token;
    let mut js = vec![30, 12, 0x10, 1];
    js.extend(token.to_be_bytes());
    js.extend(7u32.to_be_bytes());
    let mut jsa = vec![30, 16, 0x10, 1];
    jsa.extend(0u64.to_be_bytes());
    jsa.extend(9u32.to_be_bytes());
    let mut ja = vec![30, 24, 0x10, 0];
    ja.extend([0u8; 20]);
    let tu1 = tuple("10.0.1.1", 2000, "10.0.0.2", 80);
    let mut s1 = Slot::default();
    handshake(&mut t, &mut s1, &tu1, [&js, &jsa, &ja]);
    let idsn_b = mptcp_core::crypto::key_hash(1, kb).idsn;
    let idsn_a = mptcp_core::crypto::key_hash(1, ka).idsn;
    let mut report = vec![format!("{:?}", t.events())];
    t.clear_events();
    // The last DSS option per (subflow, direction), for repeats.
    let mut last: [Option<Vec<u8>>; 4] = Default::default();
    let (mut shortcuts, mut data_shortcuts, mut ack_shortcuts) = (0, 0, 0);
    for (i, g) in segs.iter().enumerate() {
        let which = usize::from(g.join) * 2 + usize::from(g.is_orig);
        // The originators (10.0.0.1, 10.0.1.1) are side A. Mappings near the sender's
        // stream or far from it (dsn_off); data ACKs near the other side's stream or
        // anywhere.
        let (own, other) = if g.is_orig { (idsn_a, idsn_b) } else { (idsn_b, idsn_a) };
        let ack = g.ack_rel.map_or(g.ack, |k| other.wrapping_add(1 + u64::from(k)));
        let fresh = dss(g.flags, ack, own.wrapping_add(g.dsn_off as u64), g.ssn, g.dll, g.csum);
        let opts = match (&last[which], g.repeat) {
            (Some(prev), true) => prev.clone(),
            _ => fresh,
        };
        last[which] = Some(opts.clone());
        let base = if g.is_orig { 1001u32 } else { 5001 };
        let cut = if g.cut { &g.payload[..g.payload.len() / 2] } else { &g.payload[..] };
        for k in 0..=u32::from(g.again) {
            let seq = base.wrapping_add(g.seq_off).wrapping_add(k * g.payload.len() as u32);
            // A run of pure ACKs acknowledges more each time: a DSS carrying only a data
            // ACK moves it on by 700 bytes per segment of the run.
            let mut opts = opts.clone();
            if k > 0 && opts[15] & 0x15 == 0x01 {
                let at = 16;
                if opts[15] & 0x02 != 0 {
                    let a = u64::from_be_bytes(opts[at..at + 8].try_into().unwrap()).wrapping_add(700 * u64::from(k));
                    opts[at..at + 8].copy_from_slice(&a.to_be_bytes());
                } else {
                    let a = u32::from_be_bytes(opts[at..at + 4].try_into().unwrap()).wrapping_add(700 * k);
                    opts[at..at + 4].copy_from_slice(&a.to_be_bytes());
                }
            }
            let tcp = tcp_bytes(seq, g.tcp_flags, &opts, cut);
            let seg = Segment {
                ts: 2.0 + report.len() as f64 * 0.001,
                is_orig: g.is_orig,
                tcp: &tcp,
                tcp_len: (20 + opts.len() + g.payload.len()) as u32,
                reassemble: true,
            };
            let p = seg.packet().expect("a whole TCP header");
            assert_eq!((p.options, p.payload, p.payload_len), (&opts[..], cut, g.payload.len() as u32));
            let (slot, tu) = if g.join { (&mut s1, &tu1) } else { (&mut s0, &tu0) };
            let verdict = if !quiet {
                t.packet(slot, tu, &p, |_| {})
            } else if t.shortcut(slot, &seg) {
                shortcuts += 1;
                mptcp_core::tracker::Verdict::Track
            } else if t.shortcut_data(slot, &seg) {
                data_shortcuts += 1;
                mptcp_core::tracker::Verdict::Track
            } else if t.shortcut_ack(slot, &seg) {
                ack_shortcuts += 1;
                mptcp_core::tracker::Verdict::Track
            } else {
                t.packet_quiet(slot, || *tu, &p)
            };
            let mut line = format!("{i}.{k}: {verdict:?} {:?}", t.events());
            for d in t.deliveries() {
                line += &format!(" [{} {} {} {:?} {:?}]", d.mptcp_id, d.side, d.offset, d.kind, d.bytes(cut));
            }
            report.push(line);
            t.clear_deliveries();
            t.clear_events();
        }
    }
    t.remove(&mut s1);
    t.remove(&mut s0);
    t.remove_all();
    report.push(format!("{:?} {:?}", t.events(), t.live()));
    (report, [shortcuts, data_shortcuts, ack_shortcuts])
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]
    #[test]
    fn arbitrary_segments_after_a_handshake_never_panic(segs in prop::collection::vec(seg(), 1..60),
                                                         checksum in any::<bool>(), buffer in 0u64..5000) {
        let (report, _) = run(&segs, checksum, buffer, true, false);
        prop_assert!(report.last().unwrap().ends_with("(0, 0)"), "state left: {}", report.last().unwrap());
    }

    #[test]
    fn the_quiet_path_reports_what_the_general_path_reports(segs in prop::collection::vec(seg(), 1..80),
                                                            checksum in any::<bool>(), buffer in 0u64..5000,
                                                            reassemble in prop::bool::weighted(0.8)) {
        let (general, _) = run(&segs, checksum, buffer, reassemble, false);
        let (quiet, n) = run(&segs, checksum, buffer, reassemble, true);
        prop_assert_eq!(general, quiet);
        let _ = n;
    }
}

/// The differential test above proves nothing if the shortcut is never taken: the same
/// property over 100 cases, counting the packets the shortcut took.
#[test]
fn the_differential_test_takes_the_shortcut() {
    use proptest::test_runner::{Config as RunnerConfig, TestRunner};
    let mut runner = TestRunner::new(RunnerConfig { cases: 100, ..RunnerConfig::default() });
    let taken = [(); 3].map(|_| std::sync::atomic::AtomicUsize::new(0));
    runner
        .run(&prop::collection::vec(seg(), 1..80), |segs| {
            let (general, _) = run(&segs, false, 4000, true, false);
            let (quiet, n) = run(&segs, false, 4000, true, true);
            prop_assert_eq!(general, quiet);
            for (x, k) in taken.iter().zip(n) {
                x.fetch_add(k, std::sync::atomic::Ordering::Relaxed);
            }
            Ok(())
        })
        .unwrap();
    let [n, d, a] = taken.map(|x| x.into_inner());
    eprintln!("the shortcuts took {n} repeats, {d} repeats with payload and {a} next ACKs in 100 cases");
    assert!(n >= 300, "the repeat shortcut was taken {n} times in 100 cases");
    assert!(d >= 50, "the payload shortcut was taken {d} times in 100 cases");
    assert!(a >= 50, "the next-ACK shortcut was taken {a} times in 100 cases");
}

/// A packet of a TCP connection the tracker holds nothing of: arbitrary TCP flags, and
/// options that are Linux's usual handshake options, MPTCP ones (an MP_CAPABLE SYN, a
/// DSS) or arbitrary bytes.
fn stateless_packet() -> impl Strategy<Value = (u8, Vec<u8>, bool)> {
    let options = prop_oneof![
        // MSS, SACK permitted, timestamps, NOP, window scale: a plain TCP SYN.
        Just(vec![2u8, 4, 5, 0xb4, 4, 2, 8, 10, 0, 0, 0, 1, 0, 0, 0, 0, 1, 3, 3, 7]),
        Just(vec![1u8, 1, 8, 10, 0, 0, 0, 1, 0, 0, 0, 1]),
        Just(vec![30u8, 4, 0x10, 0x01]),
        Just(dss(0x05, 7, 9, 1, 100, None)),
        prop::collection::vec(any::<u8>(), 0..40).prop_map(|mut v| {
            v.truncate(v.len() / 4 * 4);
            v
        }),
    ];
    (prop_oneof![Just(0x02u8), Just(0x12), Just(0x10), Just(0x18), Just(0x04), any::<u8>()], options, any::<bool>())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]
    /// `Tracker::packet_without_state`, which the plugin tries before the general path,
    /// gives a packet of a connection without state the verdict, events and slot that
    /// `Tracker::packet_quiet` gives it, or declines it.
    #[test]
    fn packets_without_state_get_the_general_paths_verdict(pkts in prop::collection::vec(stateless_packet(), 1..40)) {
        let tu = tuple("10.0.0.1", 40000, "10.0.0.2", 80);
        let (mut general, mut quiet) = (Tracker::new(Config::default()), Tracker::new(Config::default()));
        let (mut sg, mut sq) = (Slot::default(), Slot::default());
        let mut taken = 0;
        for (i, (flags, opts, is_orig)) in pkts.iter().enumerate() {
            let tcp = tcp_bytes(1000 + i as u32, *flags, opts, b"");
            let seg = Segment { ts: 1.0 + i as f64, is_orig: *is_orig, tcp: &tcp, tcp_len: tcp.len() as u32, reassemble: true };
            let p = seg.packet().expect("a whole TCP header");
            let want = general.packet_quiet(&mut sg, || tu, &p);
            let got = match quiet.packet_without_state(&mut sq, &seg) {
                Some(v) => {
                    taken += 1;
                    v
                }
                None => quiet.packet_quiet(&mut sq, || tu, &p),
            };
            prop_assert_eq!(want, got, "packet {}", i);
            prop_assert_eq!(sg, sq, "packet {}", i);
            prop_assert_eq!(general.events(), quiet.events(), "packet {}", i);
            prop_assert_eq!(general.ends_flipped(), quiet.ends_flipped());
            general.clear_events();
            quiet.clear_events();
        }
        // Only packets without an MPTCP option may be taken, and the first of them is.
        prop_assert!(mptcp_core::walk::has_mptcp(&pkts[0].1) || taken > 0);
    }

    /// `Tracker::gives_up_at_first`, which the plugin asks before it attaches anything to
    /// a new connection: true exactly when `Tracker::packet_quiet` gives the connection's
    /// first packet the verdict Ignore with no event and no state, and it changes nothing.
    #[test]
    fn a_connection_given_up_at_its_first_packet_is_one_the_general_path_ignores(
        (flags, opts, is_orig) in stateless_packet(),
        captured in 20usize..80,
    ) {
        let tu = tuple("10.0.0.1", 40000, "10.0.0.2", 80);
        let tcp = tcp_bytes(1000, flags, &opts, b"");
        let tcp = &tcp[..captured.min(tcp.len())];
        let seg = Segment { ts: 1.0, is_orig, tcp, tcp_len: tcp.len() as u32, reassemble: true };
        let (mut general, mut asked) = (Tracker::new(Config::default()), Tracker::new(Config::default()));
        let mut slot = Slot::default();
        let gives_up = asked.gives_up_at_first(&seg);
        prop_assert_eq!(asked.events(), &[]);
        prop_assert_eq!(asked.live(), (0, 0));
        prop_assert_eq!(asked.stats(), general.stats());
        let Some(p) = seg.packet() else {
            prop_assert!(!gives_up);
            return Ok(());
        };
        let verdict = general.packet_quiet(&mut slot, || tu, &p);
        let ignored = verdict == mptcp_core::tracker::Verdict::Ignore && general.events().is_empty() && general.live() == (0, 0);
        prop_assert_eq!(gives_up, ignored, "flags {:#x}", flags);
    }
}
