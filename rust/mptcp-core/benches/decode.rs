//! Decoding cost of MPTCP options, per option and per packet, on realistic option areas.
//!
//! "Per packet" is the walk of the packet's whole TCP option area with `mptcp_options`
//! plus the decode of every MPTCP option in it, reading every decoded value (the input
//! and the result go through `black_box`). Run with `cargo bench -p mptcp-core --bench decode`.
//!
//! Groups: `option/<packet>` decodes the packet's first MPTCP option alone with
//! `decode_option`; `packet/<packet>` walks and decodes the whole option area;
//! `mix/100_packets` runs 100 packets (70 % DSS 26 data, 15 % pure data ACKs, 4 %
//! checksummed data, 7 handshake / ADD_ADDR packets, 4 % without MPTCP) per iteration.
//!
//! Figures of 2026-11 (AMD EPYC, 2 vCPUs shared with a concurrent C++ build, so
//! noisy; criterion's estimate, then the best of 2000 batches of 5000 iterations):
//!
//! | packet                               | criterion | best    |
//! |--------------------------------------|-----------|---------|
//! | NOP,NOP,TS + DSS 26 (Linux data)     | 27.7 ns   | 24.4 ns |
//! | NOP,NOP,TS + DSS 12 (data ACK)       | 28.2 ns   | 23.7 ns |
//! | NOP,NOP,TS + DSS 28 (checksum)       | 35.9 ns   | 26.0 ns |
//! | SYN options + MP_CAPABLE 4           | 41.7 ns   | 24.3 ns |
//! | SYN/ACK options + MP_CAPABLE 12      | 32.4 ns   | 24.8 ns |
//! | NOP,NOP,TS + MP_CAPABLE 20           | 29.2 ns   | 22.0 ns |
//! | SYN options + MP_JOIN 12             | 33.0 ns   | 21.8 ns |
//! | SYN/ACK options + MP_JOIN 16         | 25.5 ns   | 22.3 ns |
//! | NOP,NOP,TS + MP_JOIN 24              | 31.2 ns   | 26.3 ns |
//! | NOP,NOP,TS + DSS 12 + ADD_ADDR 16    | 70.7 ns   | 58.1 ns |
//! | NOP,NOP,TS only (no MPTCP)           | 2.9 ns    | 2.2 ns  |
//! | mix, per packet                      | 31.8 ns   |         |
//!
//! Most of the per-packet time above the decode itself is the ~56-byte
//! `Result<MptcpOption, OptionError>` (80-byte `Found`) going through memory between
//! the out-of-line `MptcpOptions::next` / `decode_option` and the caller: narrow stores
//! read back by 16-byte loads stall store-to-load forwarding.

use criterion::{black_box, criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use mptcp_core::*;
use std::net::IpAddr;
use std::time::Duration;

const SYN: u8 = tcp_flags::SYN;
const SYNACK: u8 = tcp_flags::SYN | tcp_flags::ACK;
const ACK: u8 = tcp_flags::ACK;

/// NOP, NOP, timestamps: what Linux puts first on every established-state segment.
const NOP_NOP_TS: [u8; 12] = [1, 1, 8, 10, 0x8a, 0x3c, 0x11, 0x02, 0x00, 0x4f, 0x21, 0x9d];
/// MSS 1460, SACK permitted, timestamps, NOP, window scale 7: a Linux SYN and SYN/ACK.
const SYN_OPTS: [u8; 20] = [2, 4, 0x05, 0xb4, 4, 2, 8, 10, 0x8a, 0x3c, 0x11, 0x02, 0, 0, 0, 0, 1, 3, 3, 7];

const KEY_A: [u8; 8] = [0x1a, 0x2b, 0x3c, 0x4d, 0x5e, 0x6f, 0x70, 0x81];
const KEY_B: [u8; 8] = [0x92, 0xa3, 0xb4, 0xc5, 0xd6, 0xe7, 0xf8, 0x09];

fn cat(parts: &[&[u8]]) -> Vec<u8> {
    parts.concat()
}

/// DSS with A, a, M, m (8-byte data ACK and DSN), with or without the checksum.
fn dss_26_or_28(checksum: bool) -> Vec<u8> {
    let mut v = vec![30, 26, 0x20, 0x0f];
    v.extend_from_slice(&0x0000_0001_5eed_1234u64.to_be_bytes());
    v.extend_from_slice(&0x0000_0002_0bad_cafeu64.to_be_bytes());
    v.extend_from_slice(&0x0001_0001u32.to_be_bytes());
    v.extend_from_slice(&1428u16.to_be_bytes());
    if checksum {
        v.extend_from_slice(&0x3c5au16.to_be_bytes());
        v[1] = 28;
    }
    v
}

/// DSS with A, a: a pure 8-byte data ACK.
fn dss_12() -> Vec<u8> {
    let mut v = vec![30, 12, 0x20, 0x03];
    v.extend_from_slice(&0x0000_0001_5eed_1234u64.to_be_bytes());
    v
}

struct Packet {
    name: &'static str,
    area: Vec<u8>,
    ctx: DecodeContext,
}

fn ctx(version: Option<u8>, tcp: u8) -> DecodeContext {
    DecodeContext { version, tcp_flags: Some(tcp) }
}

fn packets() -> Vec<Packet> {
    let cap4 = [30, 4, 0x01, 0x81];
    let cap12 = cat(&[&[30, 12, 0x01, 0x81], &KEY_B]);
    let cap20 = cat(&[&[30, 20, 0x01, 0x81], &KEY_A, &KEY_B]);
    let join12 = [30, 12, 0x10, 0x02, 0xde, 0xad, 0xbe, 0xef, 0x12, 0x34, 0x56, 0x78];
    let join16 = cat(&[&[30, 16, 0x10, 0x02], &KEY_A, &[0xca, 0xfe, 0xba, 0xbe]]);
    let join24 = cat(&[&[30, 24, 0x10, 0x00], &KEY_A, &KEY_B, &[1, 2, 3, 4]]);
    let add_addr = cat(&[&[30, 16, 0x30, 0x02, 10, 0, 0, 2], &KEY_A]);
    let v1 = Some(1);
    vec![
        // (a) data segments as Linux sends them.
        Packet { name: "data_ts_dss26", area: cat(&[&NOP_NOP_TS, &dss_26_or_28(false)]), ctx: ctx(v1, ACK) },
        Packet { name: "data_ts_dss12_ack", area: cat(&[&NOP_NOP_TS, &dss_12()]), ctx: ctx(v1, ACK) },
        Packet { name: "data_ts_dss28_csum", area: cat(&[&NOP_NOP_TS, &dss_26_or_28(true)]), ctx: ctx(v1, ACK) },
        // (b) handshakes.
        Packet { name: "syn_capable4", area: cat(&[&SYN_OPTS, &cap4]), ctx: ctx(None, SYN) },
        Packet { name: "synack_capable12", area: cat(&[&SYN_OPTS, &cap12]), ctx: ctx(None, SYNACK) },
        Packet { name: "ack_capable20", area: cat(&[&NOP_NOP_TS, &cap20]), ctx: ctx(None, ACK) },
        Packet { name: "syn_join12", area: cat(&[&SYN_OPTS, &join12]), ctx: ctx(v1, SYN) },
        Packet { name: "synack_join16", area: cat(&[&SYN_OPTS, &join16]), ctx: ctx(v1, SYNACK) },
        Packet { name: "ack_join24", area: cat(&[&NOP_NOP_TS, &join24]), ctx: ctx(v1, ACK) },
        // Used by the mix only: a data ACK carrying an ADD_ADDR, and a plain TCP segment.
        Packet { name: "ack_dss12_add_addr16", area: cat(&[&NOP_NOP_TS, &dss_12(), &add_addr]), ctx: ctx(v1, ACK) },
        Packet { name: "no_mptcp", area: NOP_NOP_TS.to_vec(), ctx: ctx(v1, ACK) },
    ]
}

/// Read every value of a decoded option into one number.
#[inline(always)]
fn touch(o: &MptcpOption<'_>) -> u64 {
    match *o {
        MptcpOption::Dss(d) => {
            d.flags as u64
                ^ d.data_ack.unwrap_or(0)
                ^ d.dsn.unwrap_or(0)
                ^ d.ssn.unwrap_or(0) as u64
                ^ d.data_len.unwrap_or(0) as u64
                ^ d.checksum.unwrap_or(0) as u64
        }
        MptcpOption::Capable(c) => {
            c.version as u64
                ^ c.flags as u64
                ^ c.sender_key.unwrap_or(0)
                ^ c.receiver_key.unwrap_or(0)
                ^ c.data_len.unwrap_or(0) as u64
                ^ c.checksum.unwrap_or(0) as u64
        }
        MptcpOption::Join(Join::Syn { backup, addr_id, token, nonce }) => {
            backup as u64 ^ addr_id as u64 ^ token as u64 ^ nonce as u64
        }
        MptcpOption::Join(Join::SynAck { backup, addr_id, hmac, nonce }) => {
            backup as u64 ^ addr_id as u64 ^ hmac ^ nonce as u64
        }
        MptcpOption::Join(Join::Ack { hmac }) => {
            let mut a = [0u8; 8];
            a.copy_from_slice(&hmac[..8]);
            u64::from_ne_bytes(a) ^ hmac[19] as u64
        }
        MptcpOption::AddAddr(a) => {
            let addr = match a.addr {
                IpAddr::V4(x) => u32::from(x) as u64,
                IpAddr::V6(x) => u128::from(x) as u64,
            };
            a.version as u64
                ^ a.flags as u64
                ^ a.echo as u64
                ^ a.addr_id as u64
                ^ addr
                ^ a.port.unwrap_or(0) as u64
                ^ a.hmac.unwrap_or(0)
        }
        MptcpOption::RemoveAddr(r) => r.addr_ids.len() as u64,
        MptcpOption::Prio(p) => p.backup as u64 ^ p.addr_id.unwrap_or(0) as u64,
        MptcpOption::Fail(f) => f.dsn,
        MptcpOption::FastClose(f) => f.receiver_key,
        MptcpOption::TcpRst(t) => t.flags as u64 ^ t.reason as u64,
        MptcpOption::Experimental(e) => e.nibble as u64 ^ e.data.len() as u64,
    }
}

/// One packet: walk the option area, decode every MPTCP option, read every value.
#[inline(always)]
fn per_packet(area: &[u8], ctx: DecodeContext) -> u64 {
    let mut acc = 0u64;
    for f in mptcp_options(black_box(area), black_box(ctx)) {
        acc = acc.wrapping_add(match f.result {
            Ok(ref o) => touch(o),
            Err(e) => e.kind as u64,
        });
    }
    acc
}

fn bench_per_option(c: &mut Criterion) {
    let mut g = c.benchmark_group("option");
    g.throughput(Throughput::Elements(1));
    for p in packets() {
        if p.name == "no_mptcp" {
            continue;
        }
        // The MPTCP option alone (its bytes from the packet), decoded directly.
        let found = mptcp_options(&p.area, p.ctx).next().unwrap();
        let raw = found.raw.to_vec();
        let ctx = p.ctx;
        g.bench_with_input(BenchmarkId::from_parameter(p.name), &raw, |b, raw| {
            b.iter(|| match decode_option(black_box(raw), black_box(&ctx)) {
                Ok(o) => touch(&o),
                Err(e) => e.kind as u64,
            })
        });
    }
    g.finish();
}

fn bench_per_packet(c: &mut Criterion) {
    let mut g = c.benchmark_group("packet");
    g.throughput(Throughput::Elements(1));
    for p in packets() {
        let ctx = p.ctx;
        g.bench_with_input(BenchmarkId::from_parameter(p.name), &p.area, |b, area| b.iter(|| per_packet(area, ctx)));
    }
    g.finish();
}

/// A mix of 100 packets in the proportions of a bulk transfer with a few new subflows:
/// mostly DSS 26 data, some pure data ACKs, checksummed data, handshakes, an ADD_ADDR
/// and plain TCP segments without MPTCP options.
fn bench_mix(c: &mut Criterion) {
    let all = packets();
    let by = |n: &str| all.iter().find(|p| p.name == n).unwrap();
    let weights: [(&str, usize); 11] = [
        ("data_ts_dss26", 70),
        ("data_ts_dss12_ack", 15),
        ("data_ts_dss28_csum", 4),
        ("syn_capable4", 1),
        ("synack_capable12", 1),
        ("ack_capable20", 1),
        ("syn_join12", 1),
        ("synack_join16", 1),
        ("ack_join24", 1),
        ("ack_dss12_add_addr16", 1),
        ("no_mptcp", 4),
    ];
    // Interleave deterministically so that the branch predictor sees a varied stream.
    let mut mix: Vec<&Packet> = Vec::new();
    let mut left: Vec<(usize, &Packet)> = weights.iter().map(|(n, w)| (*w, by(n))).collect();
    let mut i = 0usize;
    while left.iter().any(|(w, _)| *w > 0) {
        let k = (i * 7) % left.len();
        i += 1;
        if left[k].0 > 0 {
            left[k].0 -= 1;
            mix.push(left[k].1);
        }
    }
    assert_eq!(mix.len(), 100);
    let mut g = c.benchmark_group("mix");
    g.throughput(Throughput::Elements(mix.len() as u64));
    g.bench_function("100_packets", |b| {
        b.iter(|| {
            let mut acc = 0u64;
            for p in &mix {
                acc = acc.wrapping_add(per_packet(&p.area, p.ctx));
            }
            acc
        })
    });
    g.finish();
}

fn config() -> Criterion {
    Criterion::default().warm_up_time(Duration::from_secs(1)).measurement_time(Duration::from_secs(3)).sample_size(60)
}

criterion_group! {
    name = benches;
    config = config();
    targets = bench_per_option, bench_per_packet, bench_mix
}
criterion_main!(benches);
