//! The crafted reassembly traces (tests/traces/reassembly, made by craft_reassembly.py):
//! each direction's stream, gaps, copies, inconsistent copies and checksum mismatches
//! must equal the oracle the generator wrote (NAME.expect.json, NAME.{client,server}.bin),
//! which verify_reassembly.py checked independently of this code.

mod common;

use common::*;
use serde_json::Value;
use std::path::PathBuf;

fn dir() -> PathBuf {
    traces_dir().join("reassembly")
}

fn names() -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir())
        .unwrap()
        .filter_map(|e| e.unwrap().file_name().into_string().unwrap().strip_suffix(".pcap").map(str::to_string))
        .collect();
    v.sort();
    v
}

#[test]
fn every_crafted_trace_reassembles_as_its_oracle_says() {
    let names = names();
    assert_eq!(names.len(), 9, "{names:?}");
    for name in names {
        let oracle: Value =
            serde_json::from_str(&std::fs::read_to_string(dir().join(format!("{name}.expect.json"))).unwrap()).unwrap();
        let streams = std::env::temp_dir().join(format!("mptcp-pcap-reass-{}-{name}", std::process::id()));
        let _ = std::fs::remove_dir_all(&streams);
        let logs = run_runner(
            &format!("reass-{name}"),
            &[dir().join(format!("{name}.pcap"))],
            &["--streams", streams.to_str().unwrap()],
        );
        let weird = read_zeek_log(&logs.join("weird.log"));
        let conn = read_zeek_log(&logs.join("mptcp_conn.log"));
        assert_eq!(conn.len(), 1, "{name}: one MPTCP connection");
        let (mut gaps, mut dups) = (0u64, 0u64);
        for side in ["client", "server"] {
            let o = &oracle[side];
            let got = std::fs::read(streams.join(format!("mptcp-0.{side}"))).unwrap();
            let want = std::fs::read(dir().join(format!("{name}.{side}.bin"))).unwrap();
            assert_eq!(got.len() as u64, o["bytes"].as_u64().unwrap(), "{name} {side}: stream length");
            assert!(got == want, "{name} {side}: stream bytes differ from the oracle");
            gaps += o["gap_bytes"].as_u64().unwrap();
            dups += o["dup_bytes"].as_u64().unwrap();
            // Inconsistent copies: one weird each, at the copy's range.
            let mut want_inc: Vec<String> = o["inconsistent"]
                .as_array()
                .unwrap()
                .iter()
                .map(|r| format!("mptcp_id=0 from={side} offset={} len={}", r[0], r[1]))
                .collect();
            let mut got_inc: Vec<String> = weird
                .iter()
                .filter(|w| w["name"] == "mptcp_inconsistent_copy" && w["addl"].contains(&format!("from={side}")))
                .map(|w| w["addl"].clone())
                .collect();
            want_inc.sort();
            got_inc.sort();
            assert_eq!(got_inc, want_inc, "{name} {side}: inconsistent copies");
            let bad_sums = weird
                .iter()
                .filter(|w| w["name"] == "mptcp_checksum_mismatch" && w["addl"].contains(&format!("from={side}")))
                .count() as u64;
            assert_eq!(bad_sums, o["checksum_mismatches"].as_u64().unwrap(), "{name} {side}: checksum mismatches");
        }
        assert_eq!(conn[0]["missed_bytes"], gaps.to_string(), "{name}: missed bytes");
        assert_eq!(conn[0]["dup_bytes"], dups.to_string(), "{name}: duplicate bytes");
        let others: Vec<&String> = weird
            .iter()
            .map(|w| &w["name"])
            .filter(|n| *n != "mptcp_inconsistent_copy" && *n != "mptcp_checksum_mismatch")
            .collect();
        assert!(others.is_empty(), "{name}: unexpected weirds {others:?}");
        let _ = std::fs::remove_dir_all(&streams);
    }
}
