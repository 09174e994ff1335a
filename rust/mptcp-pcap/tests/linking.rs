//! Subflow linking, tokens and findings on every bundled trace (and the thesis's own
//! captures when ../shared is beside the repo): grouping equal to tshark's
//! `mptcp.stream`, tokens and IDSNs equal to tshark's `mptcp.expected_*`, and exactly
//! the findings each trace's README states.

mod common;

use common::*;
use mptcp_core::crypto::key_hash;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};

type Tuple = (String, String, String, String);

fn tshark_groups(tsv: &Path) -> (BTreeSet<BTreeSet<Tuple>>, HashMap<Tuple, String>) {
    let rows = read_tsv(tsv);
    // tcp.stream -> (tuple as the first row shows it, mptcp.stream)
    let mut streams: BTreeMap<String, (Tuple, String)> = BTreeMap::new();
    for r in &rows {
        let src = if r["ip.src"].is_empty() { r["ipv6.src"].clone() } else { r["ip.src"].clone() };
        let dst = if r["ip.dst"].is_empty() { r["ipv6.dst"].clone() } else { r["ip.dst"].clone() };
        let norm = |a: &str| a.parse::<std::net::IpAddr>().map(|x| x.to_string()).unwrap_or_default();
        let t = (norm(&src), r["tcp.srcport"].clone(), norm(&dst), r["tcp.dstport"].clone());
        let e = streams.entry(r["tcp.stream"].clone()).or_insert((t, String::new()));
        if !r["mptcp.stream"].is_empty() {
            e.1 = r["mptcp.stream"].clone();
        }
    }
    let mut groups: BTreeMap<String, BTreeSet<Tuple>> = BTreeMap::new();
    let mut of: HashMap<Tuple, String> = HashMap::new();
    for (t, ms) in streams.values() {
        // Orientation-free tuple: sorted endpoints.
        let k = canon(t);
        if !ms.is_empty() {
            groups.entry(ms.clone()).or_default().insert(k.clone());
            of.insert(k, ms.clone());
        }
    }
    (groups.into_values().collect(), of)
}

fn canon(t: &Tuple) -> Tuple {
    let a = (t.0.clone(), t.1.clone());
    let b = (t.2.clone(), t.3.clone());
    if a <= b {
        (a.0, a.1, b.0, b.1)
    } else {
        (b.0, b.1, a.0, a.1)
    }
}

fn our_groups(dir: &Path) -> (BTreeSet<BTreeSet<Tuple>>, Vec<Tuple>) {
    let rows = read_zeek_log(&dir.join("mptcp.log"));
    let mut groups: BTreeMap<String, BTreeSet<Tuple>> = BTreeMap::new();
    let mut unlinked = Vec::new();
    for r in &rows {
        let t =
            canon(&(r["id.orig_h"].clone(), r["id.orig_p"].clone(), r["id.resp_h"].clone(), r["id.resp_p"].clone()));
        if r["mptcp_id"] == "-" {
            unlinked.push(t);
        } else {
            groups.entry(r["mptcp_id"].clone()).or_default().insert(t);
        }
    }
    (groups.into_values().collect(), unlinked)
}

fn check_grouping(name: &str, pcap: PathBuf, tsv: Option<PathBuf>) {
    // tshark reads packets whatever their checksums (the thesis's captures have wrong
    // ones): the runner reads them too (-C), as zeek -C does.
    let out = run_runner(&format!("link-{name}"), std::slice::from_ref(&pcap), &["-C"]);
    let (ours, unlinked) = our_groups(&out);
    let tsv = tsv.unwrap_or_else(|| {
        // The thesis's captures have no reference TSV in the corpus: decode them now.
        let p = out.join("ref.tsv");
        let o = std::process::Command::new("tshark")
            .args(["-n", "-r"])
            .arg(&pcap)
            .args(["-o", "mptcp.analyze_mptcp:TRUE", "-Y", "tcp", "-T", "fields", "-E", "header=y"])
            .args(["-E", "separator=/t", "-E", "occurrence=f"])
            .args(["-e", "frame.number", "-e", "ip.src", "-e", "ipv6.src", "-e", "tcp.srcport", "-e", "ip.dst"])
            .args(["-e", "ipv6.dst", "-e", "tcp.dstport", "-e", "tcp.stream", "-e", "mptcp.stream"])
            .output()
            .expect("tshark");
        std::fs::write(&p, o.stdout).unwrap();
        p
    });
    let (theirs, of) = tshark_groups(&tsv);
    for g in &ours {
        assert!(theirs.contains(g), "{name}: our group {g:?} is not a tshark group");
    }
    for g in &theirs {
        if g.len() > 1 || !unlinked.contains(g.iter().next().unwrap()) {
            assert!(
                ours.contains(g) || g.iter().all(|t| unlinked.contains(t)),
                "{name}: tshark group {g:?} is not ours"
            );
        }
    }
    // A subflow we could not link is alone in tshark's view too (or has no mptcp.stream).
    for t in &unlinked {
        if let Some(ms) = of.get(t) {
            let n = of.values().filter(|v| *v == ms).count();
            assert_eq!(n, 1, "{name}: unlinked {t:?} is in tshark's multi-subflow stream {ms}");
        }
    }
    eprintln!("{name}: {} MPTCP connections, {} unlinked subflows, equal to tshark", ours.len(), unlinked.len());
}

#[test]
fn grouping_equals_tshark() {
    for name in trace_names() {
        let d = traces_dir();
        check_grouping(&name, d.join(format!("{name}.pcap")), Some(d.join(format!("{name}.tshark.tsv"))));
    }
}

#[test]
fn grouping_equals_tshark_on_thesis_captures() {
    let Some(seed) = seed_dir() else {
        eprintln!("SKIPPED: ../shared/traces/seed not present");
        return;
    };
    if std::process::Command::new("tshark").arg("-v").output().is_err() {
        eprintln!("SKIPPED: tshark not installed");
        return;
    }
    for f in ["mp_capable.pcapng", "wrongAdd_Addr.pcap", "mp_key_change.pcap", "mod_tok.pcap"] {
        check_grouping(f, seed.join(f), None);
    }
}

#[test]
fn tokens_and_idsns_equal_tshark() {
    let mut checked = 0;
    for name in trace_names() {
        let rows = read_tsv(&traces_dir().join(format!("{name}.tshark.tsv")));
        for r in &rows {
            let (keys, toks, idsns, vers) = (
                &r["tcp.options.mptcp.sendkey"],
                &r["mptcp.expected_token"],
                &r["mptcp.expected_idsn"],
                &r["tcp.options.mptcp.version"],
            );
            if keys.is_empty() || toks.is_empty() || vers.is_empty() {
                continue;
            }
            if name == "key-change" && !r["tcp.flags.str"].contains('S') {
                // tshark keeps the handshake's token on the rows whose echoed keys changed.
                continue;
            }
            let v: u8 = vers.split(',').next().unwrap().parse().unwrap();
            let key: u64 = keys.split(',').next().unwrap().parse().unwrap();
            let h = key_hash(v, key);
            assert_eq!(h.token.to_string(), toks.split(',').next().unwrap(), "{name} frame {}", r["frame.number"]);
            assert_eq!(h.idsn.to_string(), idsns.split(',').next().unwrap(), "{name} frame {}", r["frame.number"]);
            checked += 1;
        }
        // The connection log's server token is tshark's token of the SYN/ACK's key.
        let out = run_runner(&format!("tok-{name}"), &[traces_dir().join(format!("{name}.pcap"))], &[]);
        for c in read_zeek_log(&out.join("mptcp_conn.log")) {
            if c["resp_token"] == "-" {
                continue;
            }
            let synack = rows.iter().find(|r| {
                r["tcp.flags.str"].contains('S')
                    && r["tcp.flags.str"].contains('A')
                    && r["tcp.dstport"] == c["id.orig_p"]
                    && r["tcp.options.mptcp.subtype"].split(',').any(|s| s == "0")
            });
            if let Some(sa) = synack {
                assert_eq!(c["resp_token"], sa["mptcp.expected_token"], "{name}: server token");
            }
        }
    }
    assert!(checked > 100, "only {checked} keys checked");
}

fn notices(dir: &Path) -> BTreeMap<String, usize> {
    let mut m = BTreeMap::new();
    for r in read_zeek_log(&dir.join("notice.log")) {
        *m.entry(r["note"].clone()).or_insert(0) += 1;
    }
    m
}

fn expect(name: &str, pcap: PathBuf, want: &[(&str, usize)]) {
    // As the thesis read its captures: whatever their checksums (-C).
    let out = run_runner(&format!("find-{name}"), &[pcap], &["-C"]);
    let got = notices(&out);
    let want: BTreeMap<String, usize> = want.iter().map(|(k, v)| (format!("MPTCP::{k}"), *v)).collect();
    assert_eq!(got, want, "{name}: notices");
}

#[test]
fn crafted_traces_yield_their_readme_findings() {
    let d = traces_dir();
    let p = |n: &str| d.join(format!("{n}.pcap"));
    expect("dup-addr-id-conflict", p("dup-addr-id-conflict"), &[("Address_ID_Clash", 1)]);
    expect("dup-addr-id-benign", p("dup-addr-id-benign"), &[("Duplicate_Add_Addr", 2)]);
    expect("key-change", p("key-change"), &[("Key_Change", 2)]);
    expect("join-flood-valid-token", p("join-flood-valid-token"), &[("Join_Flood", 1)]);
    // Unknown_Join is raised once per receiver and interval; the flood notice counts the rest.
    expect("join-flood-invalid-token", p("join-flood-invalid-token"), &[("Join_Flood", 1), ("Unknown_Join", 1)]);
    expect("unknown-join", p("unknown-join"), &[("Unknown_Join", 1)]);
    expect("bad-options", p("bad-options"), &[]);
    // The crafted v0 connection carries an MP_FAIL: a mid-connection fallback.
    expect("v0-handshake", p("v0-handshake"), &[("Fallback", 1)]);
}

#[test]
fn kernel_traces_raise_no_notice_and_every_join_verifies() {
    let d = traces_dir();
    for name in trace_names() {
        if !(name.starts_with("v1-") || name == "fallback" || name == "many-conns" || name == "http-split") {
            continue;
        }
        let out = run_runner(&format!("kern-{name}"), &[d.join(format!("{name}.pcap"))], &[]);
        let n = notices(&out);
        if name == "v1-mpfail" {
            // A bridge flipped payload bits: MP_FAIL on both connections.
            assert_eq!(n, BTreeMap::from([("MPTCP::Fallback".to_string(), 2)]), "{name}");
        } else {
            assert!(n.keys().all(|k| k == "MPTCP::Duplicate_Add_Addr"), "{name}: {n:?}");
        }
        for r in read_zeek_log(&out.join("mptcp.log")) {
            if r["initial"] == "F" {
                assert_eq!(r["linked_by"], "token", "{name}: {r:?}");
                assert_eq!(r["join_auth"], "verified", "{name}: {r:?}");
            }
        }
    }
}

#[test]
fn thesis_captures_yield_the_thesis_results() {
    let Some(seed) = seed_dir() else {
        eprintln!("SKIPPED: ../shared/traces/seed not present");
        return;
    };
    expect("wrongAdd_Addr", seed.join("wrongAdd_Addr.pcap"), &[("Address_ID_Clash", 1)]);
    expect("mp_key_change", seed.join("mp_key_change.pcap"), &[("Key_Change", 1)]);
    // 10,000 join SYNs with no handshake in the capture: one flood, one unknown join.
    expect("flood", seed.join("flood.pcap"), &[("Join_Flood", 1), ("Unknown_Join", 1)]);
    // Its join token was computed over the key's little-endian bytes: found nowhere.
    expect("mod_tok", seed.join("mod_tok.pcap"), &[("Unknown_Join", 1)]);
    expect("mp_capable", seed.join("mp_capable.pcapng"), &[]);
}
