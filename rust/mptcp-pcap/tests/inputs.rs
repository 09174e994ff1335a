//! The runner's input handling: other link types give the same rows as Ethernet,
//! pcapng reads like pcap, and bad files fail as promised (one line naming the file and
//! byte offset, exit status 1; a truncated last packet reported, the rest kept).

mod common;

use common::*;
use std::path::{Path, PathBuf};
use std::process::Command;

/// Frames of a classic little-endian microsecond pcap: (ts_sec, ts_usec, data).
fn read_pcap(p: &Path) -> Vec<(u32, u32, Vec<u8>)> {
    let b = std::fs::read(p).unwrap();
    assert_eq!(&b[..4], &[0xd4, 0xc3, 0xb2, 0xa1]);
    let mut out = Vec::new();
    let mut off = 24;
    let u = |o: usize| u32::from_le_bytes([b[o], b[o + 1], b[o + 2], b[o + 3]]);
    while off + 16 <= b.len() {
        let (s, us, cl) = (u(off), u(off + 4), u(off + 8) as usize);
        out.push((s, us, b[off + 16..off + 16 + cl].to_vec()));
        off += 16 + cl;
    }
    out
}

fn write_pcap(p: &Path, linktype: u32, frames: &[(u32, u32, Vec<u8>)]) {
    let mut b = Vec::new();
    b.extend_from_slice(&[0xd4, 0xc3, 0xb2, 0xa1, 2, 0, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 0, 0]);
    b.extend_from_slice(&linktype.to_le_bytes());
    for (s, us, d) in frames {
        for v in [*s, *us, d.len() as u32, d.len() as u32] {
            b.extend_from_slice(&v.to_le_bytes());
        }
        b.extend_from_slice(d);
    }
    std::fs::write(p, b).unwrap();
}

/// Minimal pcapng: section header, one interface (µs resolution), enhanced packet blocks.
fn write_pcapng(p: &Path, linktype: u16, frames: &[(u32, u32, Vec<u8>)]) {
    let mut b = Vec::new();
    let block = |b: &mut Vec<u8>, ty: u32, body: &[u8]| {
        let len = 12 + body.len().div_ceil(4) * 4;
        b.extend_from_slice(&ty.to_le_bytes());
        b.extend_from_slice(&(len as u32).to_le_bytes());
        b.extend_from_slice(body);
        b.resize(b.len() + (len - 12 - body.len()), 0);
        b.extend_from_slice(&(len as u32).to_le_bytes());
    };
    let mut shb = Vec::new();
    shb.extend_from_slice(&0x1a2b3c4du32.to_le_bytes());
    shb.extend_from_slice(&[1, 0, 0, 0]);
    shb.extend_from_slice(&(-1i64).to_le_bytes());
    block(&mut b, 0x0a0d0d0a, &shb);
    let mut idb = Vec::new();
    idb.extend_from_slice(&linktype.to_le_bytes());
    idb.extend_from_slice(&[0, 0]);
    idb.extend_from_slice(&65535u32.to_le_bytes());
    block(&mut b, 1, &idb);
    for (s, us, d) in frames {
        let t = *s as u64 * 1_000_000 + *us as u64;
        let mut epb = Vec::new();
        epb.extend_from_slice(&0u32.to_le_bytes());
        epb.extend_from_slice(&((t >> 32) as u32).to_le_bytes());
        epb.extend_from_slice(&(t as u32).to_le_bytes());
        epb.extend_from_slice(&(d.len() as u32).to_le_bytes());
        epb.extend_from_slice(&(d.len() as u32).to_le_bytes());
        epb.extend_from_slice(d);
        block(&mut b, 6, &epb);
    }
    std::fs::write(p, b).unwrap();
}

fn rows_without_frame(dir: &Path) -> Vec<String> {
    let text = std::fs::read_to_string(dir.join("mptcp_options.log")).unwrap();
    text.lines().filter(|l| !l.starts_with('#')).map(|l| l.split_once('\t').unwrap().1.to_string()).collect()
}

fn tmp(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("mptcp-inputs-{}-{name}", std::process::id()));
    std::fs::create_dir_all(&d).unwrap();
    d
}

#[test]
fn link_types_and_pcapng_give_the_ethernet_rows() {
    let src = traces_dir().join("v1-ipv6.pcap");
    let eth = read_pcap(&src);
    let reference = rows_without_frame(&run_runner("eth", std::slice::from_ref(&src), &["--options-log"]));
    assert!(reference.len() > 100);
    let ip_frames: Vec<_> = eth.iter().map(|(s, u, d)| (*s, *u, d[14..].to_vec())).collect();
    let ethertype = |d: &[u8]| [d[12], d[13]];
    let d = tmp("links");
    // Linux cooked SLL (113): 16-byte header, protocol at 14.
    let sll: Vec<_> = eth
        .iter()
        .map(|(s, u, f)| {
            let mut h = vec![0, 0, 0, 1, 0, 6, 1, 2, 3, 4, 5, 6, 0, 0];
            h.extend_from_slice(&ethertype(f));
            h.extend_from_slice(&f[14..]);
            (*s, *u, h)
        })
        .collect();
    // SLL2 (276): 20-byte header, protocol first.
    let sll2: Vec<_> = eth
        .iter()
        .map(|(s, u, f)| {
            let mut h = ethertype(f).to_vec();
            h.extend_from_slice(&[0, 0, 0, 0, 0, 1, 0, 1, 0, 6, 1, 2, 3, 4, 5, 6, 0, 0]);
            h.extend_from_slice(&f[14..]);
            (*s, *u, h)
        })
        .collect();
    // 802.1Q inside Ethernet.
    let vlan: Vec<_> = eth
        .iter()
        .map(|(s, u, f)| {
            let mut h = f[..12].to_vec();
            h.extend_from_slice(&[0x81, 0x00, 0x00, 0x2a]);
            h.extend_from_slice(&f[12..]);
            (*s, *u, h)
        })
        .collect();
    let cases: Vec<(&str, PathBuf)> = vec![
        ("raw", {
            let p = d.join("raw.pcap");
            write_pcap(&p, 101, &ip_frames);
            p
        }),
        ("sll", {
            let p = d.join("sll.pcap");
            write_pcap(&p, 113, &sll);
            p
        }),
        ("sll2", {
            let p = d.join("sll2.pcap");
            write_pcap(&p, 276, &sll2);
            p
        }),
        ("vlan", {
            let p = d.join("vlan.pcap");
            write_pcap(&p, 1, &vlan);
            p
        }),
        ("pcapng", {
            let p = d.join("eth.pcapng");
            write_pcapng(&p, 1, &eth);
            p
        }),
    ];
    for (name, p) in cases {
        let rows = rows_without_frame(&run_runner(name, &[p], &["--options-log"]));
        assert_eq!(rows, reference, "{name}");
    }
}

#[test]
fn corrupt_file_names_file_and_offset_and_exits_1() {
    let d = tmp("corrupt");
    let p = d.join("junk.pcap");
    std::fs::write(&p, b"this is not a capture file at all, not even close........").unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_mptcp-pcap")).arg("--logdir").arg(&d).arg(&p).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains("junk.pcap") && err.contains("byte offset 0"), "{err}");
}

#[test]
fn truncated_last_packet_is_reported_and_the_rest_kept() {
    let src = std::fs::read(traces_dir().join("v1-basic.pcap")).unwrap();
    let d = tmp("trunc");
    let p = d.join("cut.pcap");
    std::fs::write(&p, &src[..src.len() - 30]).unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_mptcp-pcap"))
        .arg("--options-log")
        .arg("--logdir")
        .arg(&d)
        .arg(&p)
        .output()
        .unwrap();
    assert!(out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("last packet truncated at byte offset"), "{err}");
    let full = rows_without_frame(&run_runner("full", &[traces_dir().join("v1-basic.pcap")], &["--options-log"]));
    let cut = rows_without_frame(&d);
    assert_eq!(cut[..], full[..cut.len()]);
    assert!(cut.len() >= full.len() - 2, "{} of {}", cut.len(), full.len());
}

#[test]
fn unknown_link_type_is_reported_once() {
    let eth = read_pcap(&traces_dir().join("v1-basic.pcap"));
    let d = tmp("unknown");
    let p = d.join("x.pcap");
    write_pcap(&p, 147, &eth);
    let out = Command::new(env!("CARGO_BIN_EXE_mptcp-pcap")).arg("--logdir").arg(&d).arg(&p).output().unwrap();
    assert!(out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(err.matches("link type 147 is not supported").count(), 1, "{err}");
}
