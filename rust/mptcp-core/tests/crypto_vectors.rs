//! The core's crypto against vectors computed independently by
//! tests/vectors/make_crypto_vectors.py (Python hashlib/hmac).

use mptcp_core::crypto::{add_addr_hmac, join_hmac, join_hmac_truncated, key_hash};
use std::net::IpAddr;

#[test]
fn python_vectors() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../tests/vectors/crypto_vectors.tsv");
    let text = std::fs::read_to_string(path).unwrap();
    let mut n = 0;
    for line in text.lines().skip(1) {
        let c: Vec<&str> = line.split('\t').collect();
        let v: u8 = c[1].parse().unwrap();
        let num = |i: usize| c[i].parse::<u64>().unwrap();
        match c[0] {
            "token" => assert_eq!(key_hash(v, num(2)).token as u64, num(9), "{line}"),
            "idsn" => assert_eq!(key_hash(v, num(2)).idsn, num(9), "{line}"),
            "join_synack" => {
                let (ka, kb, ra, rb) = (num(2), num(3), num(4) as u32, num(5) as u32);
                assert_eq!(join_hmac_truncated(v, kb, ka, rb, ra), num(9), "{line}");
            }
            "join_ack" => {
                let (ka, kb, ra, rb) = (num(2), num(3), num(4) as u32, num(5) as u32);
                let hex: String = join_hmac(v, ka, kb, ra, rb).iter().map(|b| format!("{b:02x}")).collect();
                assert_eq!(hex, c[9], "{line}");
            }
            "add_addr" => {
                let addr: IpAddr = c[7].parse().unwrap();
                let port = (c[8] != "-").then(|| c[8].parse::<u16>().unwrap());
                assert_eq!(add_addr_hmac(num(2), num(3), num(6) as u8, addr, port), num(9), "{line}");
            }
            k => panic!("unknown kind {k}"),
        }
        n += 1;
    }
    assert_eq!(n, 200);
}
