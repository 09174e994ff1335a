//! Fuzz the tracker with data-level reassembly on: the input is a sequence of segments
//! on three TCP connections that share addresses (so joins can link), each with
//! arbitrary TCP flags, sequence number, option bytes and payload (whole or cut). The
//! tracker must not panic, its deliveries must lie within the payload handed in, and
//! removing everything must release all state. Each segment goes through the general
//! path or the plugin's quiet path (the repeated-DSS shortcuts on the segment's bytes:
//! repeat, repeat with payload, next ACK; then `packet_quiet`), as a flag says.
#![no_main]

use libfuzzer_sys::fuzz_target;
use mptcp_core::tracker::{Config, FlowTuple, Segment, Slot, Tracker};

fuzz_target!(|data: &[u8]| {
    let cfg = Config { reassembly_buffer: 4096, reinject_window: 512, ..Config::default() };
    let mut t = Tracker::new(cfg);
    let tuples = [
        FlowTuple { orig_h: "10.0.0.1".parse().unwrap(), orig_p: 1000, resp_h: "10.0.0.2".parse().unwrap(), resp_p: 80 },
        FlowTuple { orig_h: "10.0.1.1".parse().unwrap(), orig_p: 2000, resp_h: "10.0.0.2".parse().unwrap(), resp_p: 80 },
        FlowTuple { orig_h: "10.0.2.1".parse().unwrap(), orig_p: 3000, resp_h: "10.0.1.2".parse().unwrap(), resp_p: 443 },
    ];
    let mut slots = [Slot::default(); 3];
    let mut rest = data;
    let mut ts = 1.0;
    // Segment header: conn/dir (1), TCP flags (1), seq (4), option length (1), payload
    // length (1), flags (1: bit 0 captured, bit 1 quiet path); then the options and the payload.
    while rest.len() >= 9 {
        let (h, tail) = rest.split_at(9);
        let conn = (h[0] % 3) as usize;
        let is_orig = h[0] & 0x80 != 0;
        let seq = u32::from_be_bytes([h[2], h[3], h[4], h[5]]);
        let opt_len = (h[6] as usize % 41).min(tail.len());
        let (opts, tail) = tail.split_at(opt_len);
        let pay_len = (h[7] as usize).min(tail.len());
        let (payload, tail) = tail.split_at(pay_len);
        let captured = if h[8] & 1 == 1 { &payload[..payload.len() / 2] } else { payload };
        rest = tail;
        ts += 0.001;
        // The segment's bytes as a packet path has them: header, options padded with EOL
        // to the header length, captured payload.
        let mut tcp = vec![0u8; 20];
        tcp[4..8].copy_from_slice(&seq.to_be_bytes());
        tcp[12] = (((20 + opts.len()).div_ceil(4)) as u8) << 4;
        tcp[13] = h[1];
        tcp.extend_from_slice(opts);
        tcp.resize(20 + opts.len().div_ceil(4) * 4, 0);
        let hdr = tcp.len();
        tcp.extend_from_slice(captured);
        let seg = Segment { ts, is_orig, tcp: &tcp, tcp_len: (hdr + payload.len()) as u32, reassemble: true };
        let Some(p) = seg.packet() else { continue };
        let captured = p.payload;
        if h[8] & 2 != 0 {
            let s = &mut slots[conn];
            if !t.shortcut(s, &seg) && !t.shortcut_data(s, &seg) && !t.shortcut_ack(s, &seg) {
                t.packet_quiet(s, || tuples[conn], &p);
            }
        } else {
            t.packet(&mut slots[conn], &tuples[conn], &p, |_| {});
        }
        for d in t.deliveries() {
            let b = d.bytes(captured);
            assert!(b.len() <= captured.len() || matches!(d.kind, mptcp_core::reassembly::DeliveryKind::Owned(_)));
        }
        t.clear_deliveries();
        t.clear_events();
    }
    for s in slots.iter_mut() {
        t.remove(s);
    }
    t.remove_all();
    assert_eq!(t.live(), (0, 0));
});
