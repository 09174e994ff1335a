//! `--streams DIR`: the reassembled bytes of each MPTCP connection, checked against what
//! the trace's README and Zeek's files.log say they are.

mod common;

use common::*;
use sha1::{Digest, Sha1};

/// A fresh folder for stream files (the runner creates it).
fn streams_dir(name: &str) -> String {
    let d = std::env::temp_dir().join(format!("mptcp-pcap-streams-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    d.to_string_lossy().into_owned()
}

#[test]
fn http_split_streams_hold_the_request_and_the_whole_body() {
    let s = streams_dir("http-split");
    let dir = run_runner("streams-http-split", &[traces_dir().join("http-split.pcap")], &["--streams", &s]);
    let client = std::fs::read(format!("{s}/mptcp-0.client")).unwrap();
    let server = std::fs::read(format!("{s}/mptcp-0.server")).unwrap();
    assert_eq!(
        String::from_utf8_lossy(&client),
        "GET /obj/1048576.bin HTTP/1.1\r\nHost: server.mptcp.test\r\nUser-Agent: mptcp-trace/1.0\r\nAccept: */*\r\n\r\n"
    );
    let head_end = server.windows(4).position(|w| w == b"\r\n\r\n").unwrap() + 4;
    assert!(server.starts_with(b"HTTP/1.1 200 OK\r\n"));
    let body = &server[head_end..];
    assert_eq!(body.len(), 1_048_576);
    // Zeek's files.log SHA-1 of the body (reassembly-http-split btest), whose MD5 there is
    // the 36afb3bce664187c90cdc075f2f6596e.
    let sha: String = Sha1::digest(body).iter().map(|b| format!("{b:02x}")).collect();
    assert_eq!(sha, "93693792284d837ebfd878f3e51eda377b9f57e1");
    // Nothing missed or duplicated on this clean capture.
    let conn = read_zeek_log(&dir.join("mptcp_conn.log"));
    assert_eq!((conn[0]["missed_bytes"].as_str(), conn[0]["dup_bytes"].as_str()), ("0", "0"));
}

#[test]
fn a_capture_cut_short_gives_holes_of_the_right_size() {
    // v1-multi-subflow was captured with snaplen 200: the 400 KB response is mostly cut off.
    let s = streams_dir("headers-only");
    let dir = run_runner("streams-headers-only", &[traces_dir().join("v1-multi-subflow.pcap")], &["--streams", &s]);
    let server = std::fs::metadata(format!("{s}/mptcp-0.server")).unwrap().len();
    let conn = read_zeek_log(&dir.join("mptcp_conn.log"));
    let resp_bytes: u64 = conn[0]["resp_bytes"].parse().unwrap();
    // The file spans the whole acknowledged response (holes as zeros) ...
    assert_eq!(server, resp_bytes);
    // ... and, as in Zeek's TCP reassembler, a segment the capture cut short is not used
    // at all: every response segment was cut, so all of it is missed.
    let missed: u64 = conn[0]["missed_bytes"].parse().unwrap();
    assert_eq!(missed, resp_bytes);
}
