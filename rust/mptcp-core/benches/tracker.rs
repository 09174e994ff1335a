//! Per-packet cost of the tracker on an established subflow (walk + decode + DSS state),
//! the path every MPTCP data segment takes in Zeek (cargo bench --bench tracker).

use criterion::{black_box, criterion_group, criterion_main, Criterion, Throughput};
use mptcp_core::tracker::{FlowTuple, PacketInfo, Segment, Slot, Tracker};

fn cap(len: u8, k1: Option<u64>, k2: Option<u64>) -> Vec<u8> {
    let mut v = vec![30, len, 1, 1];
    for k in [k1, k2].into_iter().flatten() {
        v.extend_from_slice(&k.to_be_bytes());
    }
    v
}

fn bench(c: &mut Criterion) {
    let tu = FlowTuple {
        orig_h: "10.0.0.1".parse().unwrap(),
        orig_p: 1000,
        resp_h: "10.0.0.2".parse().unwrap(),
        resp_p: 80,
    };
    let mut t = Tracker::default();
    let mut s = Slot::default();
    let p = |ts, o, f, opts: &[u8]| PacketInfo {
        ts,
        is_orig: o,
        flags: f,
        seq: 0,
        ack: 0,
        payload_len: 0,
        options: unsafe_static(opts),
        payload: &[],
    };
    t.packet(&mut s, &tu, &p(1.0, true, 0x02, &cap(4, None, None)), |_| {});
    t.packet(&mut s, &tu, &p(1.1, false, 0x12, &cap(12, Some(7), None)), |_| {});
    t.packet(&mut s, &tu, &p(1.2, true, 0x10, &cap(20, Some(9), Some(7))), |_| {});
    t.clear_events();
    // NOP, NOP, TS, then DSS len 26 (A, a, M, m): what Linux puts on every data segment.
    let mut data = vec![1, 1, 8, 10, 0, 0, 0, 1, 0, 0, 0, 2, 30, 26, 0x20, 0x0f];
    data.extend_from_slice(&[0, 0, 0, 0, 0, 0, 0, 5, 0, 0, 0, 0, 0, 0, 0, 9, 0, 0, 0, 1, 5, 0xb4]);
    let mut g = c.benchmark_group("tracker");
    g.throughput(Throughput::Elements(1));
    let segment = data_segment(&data);
    g.bench_function("established subflow, NOP NOP TS + DSS 26", |b| {
        b.iter(|| black_box(t.packet(&mut s, &tu, black_box(&segment), |_| {})))
    });
    // What the Zeek plugin calls first when no per-option event is handled: the same
    // segment again, as bytes, takes the repeated-DSS shortcut (tracker/repeat.rs).
    let mut bytes = vec![0u8; 20];
    bytes[13] = 0x10;
    bytes.extend_from_slice(&data);
    bytes.resize(20 + data.len().div_ceil(4) * 4, 1); // NOP padding, as Linux pads
    bytes[12] = ((bytes.len() / 4) as u8) << 4;
    let seg = Segment { ts: 2.0, is_orig: true, tcp: &bytes, tcp_len: (bytes.len() + 1400) as u32, reassemble: true };
    t.packet_quiet(&mut s, || tu, &seg.packet().unwrap());
    assert!(t.shortcut(&mut s, &seg), "the bench's repeat does not take the shortcut");
    g.bench_function("established subflow, repeated DSS 26, shortcut", |b| {
        b.iter(|| black_box(t.shortcut(black_box(&mut s), black_box(&seg))))
    });
    let plain = [1u8, 1, 8, 10, 0, 0, 0, 1, 0, 0, 0, 2];
    g.bench_function("no MPTCP state, NOP NOP TS (mid-stream check)", |b| {
        let pkt = data_segment(&plain);
        b.iter(|| {
            let mut s2 = Slot::default();
            black_box(t.packet(&mut s2, &tu, black_box(&pkt), |_| {}))
        })
    });
    g.finish();
}

/// A 1400-byte data segment from the originator, headers only, with these options.
fn data_segment(options: &[u8]) -> PacketInfo<'_> {
    PacketInfo { ts: 2.0, is_orig: true, flags: 0x10, seq: 1, ack: 1, payload_len: 1400, options, payload: &[] }
}

// The closure above builds PacketInfo from short-lived vectors; leak them (bench only).
fn unsafe_static(v: &[u8]) -> &'static [u8] {
    Box::leak(v.to_vec().into_boxed_slice())
}

criterion_group!(benches, bench);
criterion_main!(benches);
