//! MPTCP's cryptography: key → token and IDSN, the MP_JOIN HMACs and the v1 ADD_ADDR
//! HMAC. SHA-1 for v0 (RFC 6824), SHA-256 for v1 (RFC 8684). Keys and nonces are hashed
//! as their big-endian (network order) bytes; the thesis this package descends from
//! hashed the key's little-endian bytes, which gives wrong tokens.

use hmac::{Hmac, Mac};
use sha1::{Digest, Sha1};
use sha2::Sha256;
use std::net::IpAddr;

/// Token (most significant 32 bits of H(key)) and IDSN (least significant 64 bits).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct KeyHash {
    pub token: u32,
    pub idsn: u64,
}

/// Token and IDSN of `key` for MPTCP `version` (0: SHA-1, otherwise SHA-256).
pub fn key_hash(version: u8, key: u64) -> KeyHash {
    let kb = key.to_be_bytes();
    let (token, idsn) = if version == 0 {
        let h = Sha1::digest(kb);
        (be32(&h[0..4]), be64(&h[12..20]))
    } else {
        let h = Sha256::digest(kb);
        (be32(&h[0..4]), be64(&h[24..32]))
    };
    KeyHash { token, idsn }
}

fn be32(b: &[u8]) -> u32 {
    u32::from_be_bytes([b[0], b[1], b[2], b[3]])
}
fn be64(b: &[u8]) -> u64 {
    let mut a = [0u8; 8];
    a.copy_from_slice(&b[..8]);
    u64::from_be_bytes(a)
}

/// HMAC(key = key1 || key2, msg) with SHA-1 (v0) or SHA-256 (v1); the first 20 bytes
/// are returned (all of SHA-1, the leftmost 160 bits of SHA-256), plus the full tag
/// length for callers that need SHA-256's rightmost bits.
fn hmac(version: u8, key1: u64, key2: u64, msg: &[u8], out: &mut [u8; 32]) -> usize {
    let mut key = [0u8; 16];
    key[..8].copy_from_slice(&key1.to_be_bytes());
    key[8..].copy_from_slice(&key2.to_be_bytes());
    if version == 0 {
        // new_from_slice accepts any key length for HMAC; it cannot fail here.
        let Ok(mut m) = Hmac::<Sha1>::new_from_slice(&key) else {
            return 0;
        };
        m.update(msg);
        out[..20].copy_from_slice(&m.finalize().into_bytes());
        20
    } else {
        let Ok(mut m) = Hmac::<Sha256>::new_from_slice(&key) else {
            return 0;
        };
        m.update(msg);
        out.copy_from_slice(&m.finalize().into_bytes());
        32
    }
}

/// The MP_JOIN HMAC a host sends: HMAC(key = own key || peer key, msg = own nonce ||
/// peer nonce). The SYN/ACK carries the leftmost 64 bits of the responder's, the third
/// ACK the leftmost 160 bits of the initiator's.
pub fn join_hmac(version: u8, own_key: u64, peer_key: u64, own_nonce: u32, peer_nonce: u32) -> [u8; 20] {
    let mut msg = [0u8; 8];
    msg[..4].copy_from_slice(&own_nonce.to_be_bytes());
    msg[4..].copy_from_slice(&peer_nonce.to_be_bytes());
    let mut out = [0u8; 32];
    hmac(version, own_key, peer_key, &msg, &mut out);
    let mut r = [0u8; 20];
    r.copy_from_slice(&out[..20]);
    r
}

/// The leftmost 64 bits of [`join_hmac`], as carried in the MP_JOIN SYN/ACK.
pub fn join_hmac_truncated(version: u8, own_key: u64, peer_key: u64, own_nonce: u32, peer_nonce: u32) -> u64 {
    be64(&join_hmac(version, own_key, peer_key, own_nonce, peer_nonce)[..8])
}

/// The v1 ADD_ADDR HMAC (RFC 8684 §3.4.1): HMAC-SHA256(key = sender's key || receiver's
/// key, msg = address id || address || port (0 when absent)), rightmost 64 bits.
pub fn add_addr_hmac(sender_key: u64, receiver_key: u64, addr_id: u8, addr: IpAddr, port: Option<u16>) -> u64 {
    let mut msg = [0u8; 19];
    msg[0] = addr_id;
    let n = match addr {
        IpAddr::V4(a) => {
            msg[1..5].copy_from_slice(&a.octets());
            5
        }
        IpAddr::V6(a) => {
            msg[1..17].copy_from_slice(&a.octets());
            17
        }
    };
    msg[n..n + 2].copy_from_slice(&port.unwrap_or(0).to_be_bytes());
    let mut out = [0u8; 32];
    hmac(1, sender_key, receiver_key, &msg[..n + 2], &mut out);
    be64(&out[24..32])
}

#[cfg(test)]
mod tests {
    use super::*;

    // Vectors from ../shared/reference/mptcp-test-vectors.md (python hashlib, cross-checked
    // with tshark's mptcp.expected_token / expected_idsn).
    #[test]
    fn token_and_idsn_vectors() {
        let v = [
            (0, 0x9c9eabd1e46a33b2u64, 2945910507u32, 10975753215851282121u64),
            (0, 0x967d2770b6960552, 3833528642, 16464867208451421327),
            (0, 0x9b59be3d695e66a7, 3554470991, 7512766147283988405),
            (0, 0xd005b1ab34bad344, 528961146, 8158535551756803168),
            (1, 0x29a6c86981ad933c, 2740809090, 11713449205243392241),
            (1, 0x1fdb5df328bc3def, 597671344, 14413541604287230029),
            (1, 0x73bb150358a0aecb, 1597986193, 12148165319181844525),
            (1, 0x8f0c7c64a6a32ac1, 773504493, 17186763219675866564),
            (0, 7198354193151140632, 810297338, 10479729212321368921),
            (0, 7718901892681671590, 3605989911, 5815620273863870161),
        ];
        for (ver, key, token, idsn) in v {
            assert_eq!(key_hash(ver, key), KeyHash { token, idsn }, "key {key:#x}");
        }
    }

    #[test]
    fn thesis_byte_order_bug_gives_other_tokens() {
        // The thesis hashed the little-endian bytes: its token for this key was 194572327.
        let key: u64 = 7198354193151140632;
        let h = Sha1::digest(key.to_le_bytes());
        assert_eq!(be32(&h[0..4]), 194572327);
        assert_ne!(key_hash(0, key).token, 194572327);
    }

    #[test]
    fn join_hmac_v0_vector() {
        // tcpdump mptcp-v0 frames 8/9/10: A = client (key 0x9c9eabd1e46a33b2), B = server.
        let (ka, kb) = (0x9c9eabd1e46a33b2u64, 0x967d2770b6960552u64);
        let (ra, rb) = (0x1b665a18u32, 0x33abe9d5u32);
        assert_eq!(join_hmac_truncated(0, kb, ka, rb, ra), 0x5ab680c7884af03d);
        let a = join_hmac(0, ka, kb, ra, rb);
        let hex: String = a.iter().map(|b| format!("{b:02x}")).collect();
        assert_eq!(hex, "cb7b87f5e5f0502f43b535fb70ef6607df2e6c7a");
    }

    #[test]
    fn add_addr_hmac_rfc_vs_early_linux() {
        // tcpdump mptcp-aa-v1 frame 13: early-2020 Linux sent the LEFTMOST 64 bits
        // (0x669928744366716c); an RFC-correct verifier must report a mismatch.
        let (ks, kc) = (0x73bb150358a0aecbu64, 0x8f0c7c64a6a32ac1u64);
        let addr: IpAddr = "192.168.136.225".parse().unwrap();
        let mut out = [0u8; 32];
        hmac(1, ks, kc, &[1, 0xc0, 0xa8, 0x88, 0xe1, 0, 0], &mut out);
        assert_eq!(be64(&out[..8]), 0x669928744366716c);
        assert_eq!(add_addr_hmac(ks, kc, 1, addr, None), be64(&out[24..32]));
        assert_ne!(add_addr_hmac(ks, kc, 1, addr, None), 0x669928744366716c);
    }
}
