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

/// Write the checksum of the IPv4 header at the start of `ip`.
fn set_ipv4_checksum(ip: &mut [u8]) {
    let len = usize::from(ip[0] & 0xf) * 4;
    let header = &mut ip[..len];
    header[10..12].fill(0);
    let mut sum: u32 = header.chunks(2).map(|w| u32::from(u16::from_be_bytes([w[0], w[1]]))).sum();
    while sum >> 16 != 0 {
        sum = (sum & 0xffff) + (sum >> 16);
    }
    header[10..12].copy_from_slice(&(!(sum as u16)).to_be_bytes());
}

/// An outer IPv4 header (10.99.0.1 to 10.99.0.2, no options, its checksum right) with
/// protocol `proto` around `payload`.
fn outer_ipv4(proto: u8, payload: &[u8]) -> Vec<u8> {
    let len = (20 + payload.len()) as u16;
    let mut h = vec![0x45, 0, (len >> 8) as u8, len as u8, 0, 0, 0x40, 0, 64, proto, 0, 0, 10, 99, 0, 1, 10, 99, 0, 2];
    set_ipv4_checksum(&mut h);
    h.extend_from_slice(payload);
    h
}

fn outer_udp(dport: u16, payload: &[u8]) -> Vec<u8> {
    let mut u = vec![0xc0, 0x00, (dport >> 8) as u8, dport as u8];
    u.extend_from_slice(&((8 + payload.len()) as u16).to_be_bytes());
    u.extend_from_slice(&[0, 0]);
    u.extend_from_slice(payload);
    outer_ipv4(17, &u)
}

/// An Ethernet frame (the inner frame's addresses) around an outer IPv4 packet.
fn in_ethernet(inner: &[u8], ipv4_packet: Vec<u8>) -> Vec<u8> {
    let mut f = inner[..12].to_vec();
    f.extend_from_slice(&[0x08, 0x00]);
    f.extend(ipv4_packet);
    f
}

#[test]
fn encapsulations_zeek_follows_give_the_plain_rows() {
    // IPv4 and IPv6 subflows of one connection, so that both ride every tunnel.
    let src = traces_dir().join("v1-mixed-v4v6.pcap");
    let eth = read_pcap(&src);
    let reference = rows_without_frame(&run_runner("plain", std::slice::from_ref(&src), &["--options-log"]));
    let reference_mptcp = std::fs::read_to_string(run_runner("plain-m", &[src], &[]).join("mptcp.log")).unwrap();
    assert_eq!(reference.len(), 165);
    let ip = |f: &[u8]| f[14..].to_vec();
    let ethertype = |f: &[u8]| [f[12], f[13]];
    let ip_proto = |f: &[u8]| if f[12..14] == [0x86, 0xdd] { 41 } else { 4 };
    type Wrap = Box<dyn Fn(&[u8]) -> Vec<u8>>;
    let cases: Vec<(&str, Wrap)> = vec![
        ("ip-in-ip", Box::new(move |f| in_ethernet(f, outer_ipv4(ip_proto(f), &ip(f))))),
        // GRE with key and sequence number, the inner EtherType as protocol.
        (
            "gre",
            Box::new(move |f| {
                let mut g = vec![0x30, 0x00];
                g.extend_from_slice(&ethertype(f));
                g.extend_from_slice(&[0, 0, 0, 7, 0, 0, 0, 1]);
                g.extend(ip(f));
                in_ethernet(f, outer_ipv4(47, &g))
            }),
        ),
        // ERSPAN type II: the whole mirrored frame.
        (
            "erspan",
            Box::new(|f| {
                let mut g = vec![0x10, 0x00, 0x88, 0xbe, 0, 0, 0, 1, 0x10, 0, 0, 1, 0, 0, 0, 0];
                g.extend_from_slice(f);
                in_ethernet(f, outer_ipv4(47, &g))
            }),
        ),
        (
            "vxlan",
            Box::new(|f| {
                let mut v = vec![0x08, 0, 0, 0, 0, 0, 42, 0];
                v.extend_from_slice(f);
                in_ethernet(f, outer_udp(4789, &v))
            }),
        ),
        (
            "geneve",
            Box::new(move |f| {
                let mut g = vec![0x01, 0x00];
                g.extend_from_slice(&ethertype(f));
                g.extend_from_slice(&[0, 0, 42, 0, 1, 2, 3, 4]);
                g.extend(ip(f));
                in_ethernet(f, outer_udp(6081, &g))
            }),
        ),
        // GTPv1 user data with a sequence number (a mobile core's view).
        (
            "gtp",
            Box::new(move |f| {
                let mut g = vec![0x32, 0xff, 0, 0, 0, 0, 0, 9, 0, 1, 0, 0];
                g.extend(ip(f));
                in_ethernet(f, outer_udp(2152, &g))
            }),
        ),
        // IPv6 in Teredo (with an origin indication), IPv4 in AYIYA.
        (
            "teredo-ayiya",
            Box::new(move |f| {
                if ip_proto(f) == 41 {
                    let mut t = vec![0, 0, 1, 2, 3, 4, 5, 6];
                    t.extend(ip(f));
                    in_ethernet(f, outer_udp(3544, &t))
                } else {
                    let mut y = vec![0x20, 0x00, 0x01, 4, 0, 0, 0, 0, 1, 2, 3, 4];
                    y.extend(ip(f));
                    in_ethernet(f, outer_udp(5072, &y))
                }
            }),
        ),
        // What Zeek follows between Ethernet and IP: QinQ tags, an MPLS label stack, a
        // PPPoE session, a VN-Tag (then a VLAN tag, the only thing Zeek reads after one).
        (
            "qinq",
            Box::new(move |f| {
                let mut q = f[..12].to_vec();
                q.extend_from_slice(&[0x88, 0xa8, 0, 10, 0x81, 0x00, 0, 20]);
                q.extend_from_slice(&f[12..]);
                q
            }),
        ),
        (
            "mpls",
            Box::new(move |f| {
                let mut m = f[..12].to_vec();
                m.extend_from_slice(&[0x88, 0x47, 0, 1, 0x00, 64, 0, 2, 0x01, 64]);
                m.extend(ip(f));
                m
            }),
        ),
        (
            "pppoe",
            Box::new(move |f| {
                let body = ip(f);
                let mut p = f[..12].to_vec();
                p.extend_from_slice(&[0x88, 0x64, 0x11, 0, 0, 7]);
                p.extend_from_slice(&((body.len() + 2) as u16).to_be_bytes());
                p.extend_from_slice(if ip_proto(f) == 41 { &[0, 0x57] } else { &[0, 0x21] });
                p.extend(body);
                p
            }),
        ),
        (
            "vntag",
            Box::new(move |f| {
                let mut v = f[..12].to_vec();
                v.extend_from_slice(&[0x89, 0x26, 0, 0, 0, 0, 0x81, 0x00, 0, 5]);
                v.extend_from_slice(&f[12..]);
                v
            }),
        ),
        // Four tunnels deep (Zeek's default Tunnel::max_depth): VXLAN in IP in IP in IP.
        (
            "depth-4",
            Box::new(|f| {
                let mut v = vec![0x08, 0, 0, 0, 0, 0, 42, 0];
                v.extend_from_slice(f);
                let p = outer_ipv4(4, &outer_ipv4(4, &outer_ipv4(4, &outer_udp(4789, &v))));
                in_ethernet(f, p)
            }),
        ),
    ];
    let d = tmp("tunnels");
    for (name, wrap) in &cases {
        let frames: Vec<_> = eth.iter().map(|(s, u, f)| (*s, *u, wrap(f))).collect();
        let p = d.join(format!("{name}.pcap"));
        write_pcap(&p, 1, &frames);
        let rows = rows_without_frame(&run_runner(name, std::slice::from_ref(&p), &["--options-log"]));
        assert_eq!(rows, reference, "{name}");
        let mptcp = std::fs::read_to_string(run_runner(&format!("{name}-m"), &[p], &[]).join("mptcp.log")).unwrap();
        let body = |t: &str| {
            t.lines().filter(|l| !l.starts_with("#open") && !l.starts_with("#close")).collect::<Vec<_>>().join("\n")
        };
        assert_eq!(body(&mptcp), body(&reference_mptcp), "{name}");
    }
}

#[test]
fn tunnels_beyond_zeek_s_depth_give_nothing() {
    let eth = read_pcap(&traces_dir().join("v1-mixed-v4v6.pcap"));
    let d = tmp("deep");
    // Five tunnels: past Zeek's Tunnel::max_depth (4), where Zeek stops too (weird
    // exceeded_tunnel_max_depth). GTP in GTP, which Zeek reads as a regular packet, too.
    let five = |f: &[u8]| {
        let mut v = vec![0x08, 0, 0, 0, 0, 0, 42, 0];
        v.extend_from_slice(f);
        in_ethernet(f, outer_ipv4(4, &outer_ipv4(4, &outer_ipv4(4, &outer_ipv4(4, &outer_udp(4789, &v))))))
    };
    let gtp_in_gtp = |f: &[u8]| {
        let mut g = vec![0x30, 0xff, 0, 0, 0, 0, 0, 9];
        g.extend_from_slice(&f[14..]);
        let mut outer = vec![0x30, 0xff, 0, 0, 0, 0, 0, 9];
        outer.extend(outer_udp(2152, &g));
        in_ethernet(f, outer_udp(2152, &outer))
    };
    for (name, wrap) in [("five", &five as &dyn Fn(&[u8]) -> Vec<u8>), ("gtp-in-gtp", &gtp_in_gtp)] {
        let frames: Vec<_> = eth.iter().map(|(s, u, f)| (*s, *u, wrap(f))).collect();
        let p = d.join(format!("{name}.pcap"));
        write_pcap(&p, 1, &frames);
        assert!(rows_without_frame(&run_runner(name, &[p], &["--options-log"])).is_empty(), "{name}");
    }
}

/// `ipv4_packet` (an IPv4 packet without options) as IPv4 fragments carrying `size`
/// bytes of payload each (a multiple of 8), with identification `id`.
fn ipv4_fragments(ipv4_packet: &[u8], size: usize, id: u16) -> Vec<Vec<u8>> {
    let payload = &ipv4_packet[20..];
    (0..payload.len())
        .step_by(size)
        .map(|off| {
            let piece = &payload[off..(off + size).min(payload.len())];
            let mut h = ipv4_packet[..20].to_vec();
            h[2..4].copy_from_slice(&((20 + piece.len()) as u16).to_be_bytes());
            h[4..6].copy_from_slice(&id.to_be_bytes());
            let more = if off + size < payload.len() { 0x2000 } else { 0 };
            h[6..8].copy_from_slice(&(more | (off / 8) as u16).to_be_bytes());
            set_ipv4_checksum(&mut h);
            h.extend_from_slice(piece);
            h
        })
        .collect()
}

#[test]
fn ip_fragments_are_put_together_as_zeek_does() {
    // The kernel trace cut into 32-byte IPv4 and IPv6 fragments, every other packet's
    // last first (traces/extra/fragment.py): the same rows as the trace itself, the
    // frame column aside (a reassembled packet's frame is the one that completed it).
    let plain =
        rows_without_frame(&run_runner("unfragmented", &[traces_dir().join("v1-mixed-v4v6.pcap")], &["--options-log"]));
    let fragmented = traces_dir().join("extra/v1-mixed-v4v6-fragments.pcap");
    assert_eq!(read_pcap(&fragmented).len(), 3487);
    assert_eq!(rows_without_frame(&run_runner("fragmented", &[fragmented], &["--options-log"])), plain);

    // VXLAN packets fragmented on the outer IPv4 layer (a tunnel over a path with a
    // smaller MTU): put together, then decapsulated.
    let eth = read_pcap(&traces_dir().join("v1-mixed-v4v6.pcap"));
    let mut frames = Vec::new();
    for (n, (s, u, f)) in eth.iter().enumerate() {
        let mut v = vec![0x08, 0, 0, 0, 0, 0, 42, 0];
        v.extend_from_slice(f);
        let outer = outer_udp(4789, &v);
        let mut pieces = ipv4_fragments(&outer, 512, n as u16);
        if n % 3 == 0 {
            pieces.reverse();
        }
        frames.extend(pieces.into_iter().map(|p| (*s, *u, in_ethernet(f, p))));
    }
    assert!(frames.len() > eth.len() + 50);
    let d = tmp("vxlan-fragments");
    let p = d.join("vxlan-fragments.pcap");
    write_pcap(&p, 1, &frames);
    assert_eq!(rows_without_frame(&run_runner("vxlan-fragments", &[p], &["--options-log"])), plain);
}

#[test]
fn ip_fragments_wait_five_minutes_at_most() {
    // The SYN cut into 8-byte fragments, its last one 301 s after the others: past
    // Zeek's frag_timeout, so its MP_CAPABLE is never seen; 299 s after, it is.
    let eth = read_pcap(&traces_dir().join("v1-basic.pcap"));
    let (s, u, syn) = &eth[0];
    assert_eq!(syn[14] >> 4, 4);
    for (gap, rows) in [(299u32, 1usize), (301, 0)] {
        let pieces = ipv4_fragments(&syn[14..], 8, 7);
        let last = pieces.len() - 1;
        assert!(last >= 2);
        let frames: Vec<_> = pieces
            .iter()
            .enumerate()
            .map(|(i, p)| (s + if i == last { gap } else { 0 }, *u, in_ethernet(syn, p.clone())))
            .collect();
        let d = tmp(&format!("timeout-{gap}"));
        let p = d.join("syn.pcap");
        write_pcap(&p, 1, &frames);
        assert_eq!(
            rows_without_frame(&run_runner(&format!("timeout-{gap}"), &[p], &["--options-log"])).len(),
            rows,
            "{gap}"
        );
    }
}
