//! Hand-built byte vectors for every MPTCP option subtype and every length, valid and
//! invalid, decoded both directly (`decode_option`) and through the option walker
//! (`mptcp_options`). Every decoded field is asserted, and every error is compared as a
//! whole `OptionError` (kind, subtype, length byte, available bytes).
//!
//! Layouts: RFC 6824 (v0) §3 and RFC 8684 (v1) §3.

use mptcp_core::decode::decode_add_addr;
use mptcp_core::*;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

const SYN: u8 = tcp_flags::SYN;
const SYNACK: u8 = tcp_flags::SYN | tcp_flags::ACK;
const ACK: u8 = tcp_flags::ACK;
/// A TCP flag bit that does not matter to the decoder.
const ECE: u8 = 0x40;

fn ctx(version: Option<u8>, tcp: Option<u8>) -> DecodeContext {
    DecodeContext { version, tcp_flags: tcp }
}

fn err(kind: ErrorKind, subtype: Option<u8>, len: u8) -> OptionError {
    OptionError { kind, subtype, len, available: 0 }
}

/// Decode `b` (one whole option whose length byte equals its size) directly and through
/// the walker, check that both agree, and return the result.
fn dec_ctx(b: &[u8], c: DecodeContext) -> Result<MptcpOption<'_>, OptionError> {
    assert_eq!(b[0], KIND_MPTCP, "test vector must start with kind 30");
    assert_eq!(b[1] as usize, b.len(), "test vector length byte must match its size");
    let direct = decode_option(b, &c);
    let found: Vec<Found<'_>> = mptcp_options(b, c).collect();
    assert_eq!(found.len(), 1, "walker must yield exactly one option");
    assert_eq!(found[0].offset, 0);
    assert_eq!(found[0].raw, b);
    assert_eq!(found[0].result, direct, "walker and direct decode disagree");
    direct
}

fn dec(b: &[u8]) -> Result<MptcpOption<'_>, OptionError> {
    dec_ctx(b, DecodeContext::default())
}

/// An option of kind 30 with the given length, byte 2 and byte 3, padded with `fill`.
fn opt(len: u8, b2: u8, b3: u8, fill: u8) -> Vec<u8> {
    let mut v = vec![fill; len as usize];
    v[0] = 30;
    if len > 1 {
        v[1] = len;
    }
    if len > 2 {
        v[2] = b2;
    }
    if len > 3 {
        v[3] = b3;
    }
    v
}

const KEY_A: u64 = 0x0123_4567_89ab_cdef;
const KEY_B: u64 = 0xfedc_ba98_7654_3210;

// ---------------------------------------------------------------- constants and names

#[test]
fn flag_constants_match_the_rfcs() {
    assert_eq!(capable_flags::CHECKSUM, 0x80);
    assert_eq!(capable_flags::EXTENSIBILITY, 0x40);
    assert_eq!(capable_flags::NO_MORE_SUBFLOWS, 0x20);
    assert_eq!(capable_flags::HMAC, 0x01);
    assert_eq!(dss_flags::DATA_ACK, 0x01);
    assert_eq!(dss_flags::DATA_ACK8, 0x02);
    assert_eq!(dss_flags::MAPPING, 0x04);
    assert_eq!(dss_flags::DSN8, 0x08);
    assert_eq!(dss_flags::DATA_FIN, 0x10);
    assert_eq!(tcprst_flags::U, 0x8);
    assert_eq!(tcprst_flags::V, 0x4);
    assert_eq!(tcprst_flags::W, 0x2);
    assert_eq!(tcprst_flags::T, 0x1);
    assert_eq!(tcp_flags::FIN, 0x01);
    assert_eq!(tcp_flags::SYN, 0x02);
    assert_eq!(tcp_flags::RST, 0x04);
    assert_eq!(tcp_flags::PSH, 0x08);
    assert_eq!(tcp_flags::ACK, 0x10);
    assert_eq!(KIND_MPTCP, 30);
}

#[test]
fn subtype_nibbles_and_names() {
    let table = [
        (0u8, Some(Subtype::Capable), "MP_CAPABLE"),
        (1, Some(Subtype::Join), "MP_JOIN"),
        (2, Some(Subtype::Dss), "DSS"),
        (3, Some(Subtype::AddAddr), "ADD_ADDR"),
        (4, Some(Subtype::RemoveAddr), "REMOVE_ADDR"),
        (5, Some(Subtype::Prio), "MP_PRIO"),
        (6, Some(Subtype::Fail), "MP_FAIL"),
        (7, Some(Subtype::FastClose), "MP_FASTCLOSE"),
        (8, Some(Subtype::TcpRst), "MP_TCPRST"),
        (0xf, Some(Subtype::Experimental), "MP_EXPERIMENTAL"),
    ];
    for (n, st, name) in table {
        assert_eq!(Subtype::from_nibble(n), st);
        assert_eq!(st.unwrap().name(), name);
        assert_eq!(st.unwrap() as u8, n);
    }
    for n in 9..=0xe {
        assert_eq!(Subtype::from_nibble(n), None);
    }
    for n in 0x10..=0xff {
        assert_eq!(Subtype::from_nibble(n), None, "nibble {n:#x}");
    }
}

#[test]
fn error_kind_codes_and_names() {
    let table = [
        (ErrorKind::BadLength, 1u8, "bad_length"),
        (ErrorKind::LengthMismatch, 2, "length_mismatch"),
        (ErrorKind::UnknownSubtype, 3, "unknown_subtype"),
        (ErrorKind::NoSubtype, 4, "no_subtype"),
        (ErrorKind::LengthTooSmall, 5, "length_too_small"),
        (ErrorKind::Overrun, 6, "overrun"),
        (ErrorKind::MissingLength, 7, "missing_length"),
        (ErrorKind::BadAddress, 8, "bad_address"),
    ];
    for (k, code, name) in table {
        assert_eq!(k as u8, code);
        assert_eq!(k.name(), name);
    }
}

// ---------------------------------------------------------------- MP_CAPABLE

fn capable(b: &[u8], c: DecodeContext) -> Result<Capable, OptionError> {
    match dec_ctx(b, c)? {
        MptcpOption::Capable(x) => Ok(x),
        other => panic!("expected MP_CAPABLE, got {other:?}"),
    }
}

const CAP_V0_SYN: [u8; 12] = [30, 12, 0x00, 0x81, 0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef];
const CAP_V0_ACK: [u8; 20] = [
    30, 20, 0x00, 0x81, 0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef, 0xfe, 0xdc, 0xba, 0x98, 0x76, 0x54, 0x32, 0x10,
];
const CAP_V1_SYN: [u8; 4] = [30, 4, 0x01, 0x81];
const CAP_V1_SYNACK: [u8; 12] = [30, 12, 0x01, 0x01, 0xfe, 0xdc, 0xba, 0x98, 0x76, 0x54, 0x32, 0x10];
const CAP_V1_ACK: [u8; 20] = [
    30, 20, 0x01, 0x21, 0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef, 0xfe, 0xdc, 0xba, 0x98, 0x76, 0x54, 0x32, 0x10,
];
const CAP_V1_DATA: [u8; 22] = [
    30, 22, 0x01, 0x01, 0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef, 0xfe, 0xdc, 0xba, 0x98, 0x76, 0x54, 0x32, 0x10,
    0x05, 0xdc,
];
const CAP_V1_DATA_CSUM: [u8; 24] = [
    30, 24, 0x01, 0x81, 0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef, 0xfe, 0xdc, 0xba, 0x98, 0x76, 0x54, 0x32, 0x10,
    0x00, 0x64, 0xbe, 0xef,
];

#[test]
fn capable_v0_syn_12() {
    let c = capable(&CAP_V0_SYN, DecodeContext::default()).unwrap();
    assert_eq!(
        c,
        Capable {
            version: 0,
            flags: 0x81,
            sender_key: Some(KEY_A),
            receiver_key: None,
            data_len: None,
            checksum: None,
        }
    );
}

#[test]
fn capable_v0_ack_20() {
    let c = capable(&CAP_V0_ACK, DecodeContext::default()).unwrap();
    assert_eq!(
        c,
        Capable {
            version: 0,
            flags: 0x81,
            sender_key: Some(KEY_A),
            receiver_key: Some(KEY_B),
            data_len: None,
            checksum: None,
        }
    );
}

#[test]
fn capable_v1_syn_4() {
    let c = capable(&CAP_V1_SYN, DecodeContext::default()).unwrap();
    assert_eq!(
        c,
        Capable { version: 1, flags: 0x81, sender_key: None, receiver_key: None, data_len: None, checksum: None }
    );
}

#[test]
fn capable_v1_synack_12() {
    let c = capable(&CAP_V1_SYNACK, DecodeContext::default()).unwrap();
    assert_eq!(
        c,
        Capable {
            version: 1,
            flags: 0x01,
            sender_key: Some(KEY_B),
            receiver_key: None,
            data_len: None,
            checksum: None,
        }
    );
}

#[test]
fn capable_v1_ack_20() {
    let c = capable(&CAP_V1_ACK, DecodeContext::default()).unwrap();
    assert_eq!(
        c,
        Capable {
            version: 1,
            flags: 0x21,
            sender_key: Some(KEY_A),
            receiver_key: Some(KEY_B),
            data_len: None,
            checksum: None,
        }
    );
}

#[test]
fn capable_v1_first_data_22() {
    let c = capable(&CAP_V1_DATA, DecodeContext::default()).unwrap();
    assert_eq!(
        c,
        Capable {
            version: 1,
            flags: 0x01,
            sender_key: Some(KEY_A),
            receiver_key: Some(KEY_B),
            data_len: Some(1500),
            checksum: None,
        }
    );
}

#[test]
fn capable_v1_first_data_with_checksum_24() {
    let c = capable(&CAP_V1_DATA_CSUM, DecodeContext::default()).unwrap();
    assert_eq!(
        c,
        Capable {
            version: 1,
            flags: 0x81,
            sender_key: Some(KEY_A),
            receiver_key: Some(KEY_B),
            data_len: Some(100),
            checksum: Some(0xbeef),
        }
    );
}

#[test]
fn capable_flags_a_b_c_h_each_and_together() {
    use capable_flags::*;
    for flags in [
        0x00,
        CHECKSUM,
        EXTENSIBILITY,
        NO_MORE_SUBFLOWS,
        HMAC,
        CHECKSUM | HMAC,
        CHECKSUM | NO_MORE_SUBFLOWS | HMAC,
        0xff,
    ] {
        // v1 SYN: flags only.
        let b = [30, 4, 0x01, flags];
        let c = capable(&b, ctx(None, Some(SYN))).unwrap();
        assert_eq!(c.flags, flags);
        assert_eq!(c.version, 1);
        assert_eq!(c.flags & CHECKSUM != 0, flags & 0x80 != 0, "A");
        assert_eq!(c.flags & EXTENSIBILITY != 0, flags & 0x40 != 0, "B");
        assert_eq!(c.flags & NO_MORE_SUBFLOWS != 0, flags & 0x20 != 0, "C");
        assert_eq!(c.flags & HMAC != 0, flags & 0x01 != 0, "H");
        // v0 SYN: flags and key.
        let mut b = CAP_V0_SYN;
        b[3] = flags;
        let c = capable(&b, ctx(None, Some(SYN))).unwrap();
        assert_eq!(c.flags, flags);
        assert_eq!(c.version, 0);
        assert_eq!(c.sender_key, Some(KEY_A));
    }
}

#[test]
fn capable_higher_version_uses_v1_layout() {
    // Versions above 1 are not defined; the decoder reads them with the v1 lengths.
    let b = [30, 4, 0x02, 0x81];
    let c = capable(&b, DecodeContext::default()).unwrap();
    assert_eq!(c.version, 2);
    assert_eq!(c.flags, 0x81);
    assert_eq!(c.sender_key, None);
    // Length 4 is a v1-only length: version 0 rejects it.
    let b = [30, 4, 0x00, 0x81];
    assert_eq!(capable(&b, DecodeContext::default()), Err(err(ErrorKind::BadLength, Some(0), 4)));
}

#[test]
fn capable_lengths_versus_tcp_flags() {
    // (vector, ok under SYN, ok under SYN/ACK, ok under ACK)
    let table: [(&[u8], bool, bool, bool); 7] = [
        (&CAP_V0_SYN, true, true, false),
        (&CAP_V0_ACK, false, false, true),
        (&CAP_V1_SYN, true, false, false),
        (&CAP_V1_SYNACK, false, true, false),
        (&CAP_V1_ACK, false, false, true),
        (&CAP_V1_DATA, false, false, true),
        (&CAP_V1_DATA_CSUM, false, false, true),
    ];
    for (b, syn_ok, synack_ok, ack_ok) in table {
        let len = b.len() as u8;
        let unchecked = capable(b, ctx(None, None)).unwrap();
        for (flags, ok) in
            [(SYN, syn_ok), (SYNACK, synack_ok), (ACK, ack_ok), (ACK | tcp_flags::PSH, ack_ok), (SYN | ECE, syn_ok)]
        {
            for version in [None, Some(0), Some(1)] {
                let r = capable(b, ctx(version, Some(flags)));
                if ok {
                    assert_eq!(r, Ok(unchecked), "len {len} flags {flags:#x}");
                } else {
                    assert_eq!(r, Err(err(ErrorKind::LengthMismatch, Some(0), len)), "len {len} flags {flags:#x}");
                }
            }
        }
    }
}

#[test]
fn capable_bad_lengths() {
    for version in [0u8, 1] {
        let valid: &[u8] = if version == 0 { &[12, 20] } else { &[4, 12, 20, 22, 24] };
        for len in 3..=40u8 {
            if valid.contains(&len) {
                continue;
            }
            let b = opt(len, version, 0x81, 0xa5);
            for tcp in [None, Some(SYN), Some(SYNACK), Some(ACK)] {
                // A bad length is reported as such, even when the TCP flags also disagree.
                assert_eq!(
                    dec_ctx(&b, ctx(None, tcp)),
                    Err(err(ErrorKind::BadLength, Some(0), len)),
                    "v{version} len {len} tcp {tcp:?}"
                );
            }
        }
    }
}

// ---------------------------------------------------------------- MP_JOIN

const JOIN_SYN: [u8; 12] = [30, 12, 0x11, 0x03, 0xde, 0xad, 0xbe, 0xef, 0x12, 0x34, 0x56, 0x78];
const JOIN_SYNACK: [u8; 16] =
    [30, 16, 0x10, 0x07, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0xca, 0xfe, 0xba, 0xbe];
const JOIN_ACK: [u8; 24] = [
    30, 24, 0x10, 0x00, 0xa0, 0xa1, 0xa2, 0xa3, 0xa4, 0xa5, 0xa6, 0xa7, 0xa8, 0xa9, 0xaa, 0xab, 0xac, 0xad, 0xae, 0xaf,
    0xb0, 0xb1, 0xb2, 0xb3,
];

fn join(b: &[u8], c: DecodeContext) -> Result<Join, OptionError> {
    match dec_ctx(b, c)? {
        MptcpOption::Join(x) => Ok(x),
        other => panic!("expected MP_JOIN, got {other:?}"),
    }
}

#[test]
fn join_syn_12() {
    assert_eq!(
        join(&JOIN_SYN, DecodeContext::default()),
        Ok(Join::Syn { backup: true, addr_id: 3, token: 0xdead_beef, nonce: 0x1234_5678 })
    );
    let mut b = JOIN_SYN;
    b[2] = 0x10;
    b[3] = 0xff;
    assert_eq!(
        join(&b, ctx(None, Some(SYN))),
        Ok(Join::Syn { backup: false, addr_id: 255, token: 0xdead_beef, nonce: 0x1234_5678 })
    );
    // Reserved bits next to B do not change B.
    b[2] = 0x1e;
    assert!(matches!(join(&b, ctx(None, Some(SYN))), Ok(Join::Syn { backup: false, .. })));
    b[2] = 0x1f;
    assert!(matches!(join(&b, ctx(None, Some(SYN))), Ok(Join::Syn { backup: true, .. })));
}

#[test]
fn join_synack_16() {
    assert_eq!(
        join(&JOIN_SYNACK, DecodeContext::default()),
        Ok(Join::SynAck { backup: false, addr_id: 7, hmac: 0x0102_0304_0506_0708, nonce: 0xcafe_babe })
    );
    let mut b = JOIN_SYNACK;
    b[2] = 0x11;
    assert_eq!(
        join(&b, ctx(Some(1), Some(SYNACK))),
        Ok(Join::SynAck { backup: true, addr_id: 7, hmac: 0x0102_0304_0506_0708, nonce: 0xcafe_babe })
    );
}

#[test]
fn join_ack_24() {
    let mut hmac = [0u8; 20];
    for (i, h) in hmac.iter_mut().enumerate() {
        *h = 0xa0 + i as u8;
    }
    assert_eq!(join(&JOIN_ACK, DecodeContext::default()), Ok(Join::Ack { hmac }));
    assert_eq!(join(&JOIN_ACK, ctx(Some(0), Some(ACK))), Ok(Join::Ack { hmac }));
}

#[test]
fn join_lengths_versus_tcp_flags() {
    let table: [(&[u8], bool, bool, bool); 3] =
        [(&JOIN_SYN, true, false, false), (&JOIN_SYNACK, false, true, false), (&JOIN_ACK, false, false, true)];
    for (b, syn_ok, synack_ok, ack_ok) in table {
        let len = b.len() as u8;
        let unchecked = join(b, ctx(None, None)).unwrap();
        for (flags, ok) in [(SYN, syn_ok), (SYNACK, synack_ok), (ACK, ack_ok)] {
            let r = join(b, ctx(None, Some(flags)));
            if ok {
                assert_eq!(r, Ok(unchecked));
            } else {
                assert_eq!(r, Err(err(ErrorKind::LengthMismatch, Some(1), len)), "len {len} flags {flags:#x}");
            }
        }
    }
}

#[test]
fn join_bad_lengths() {
    for len in 3..=40u8 {
        if matches!(len, 12 | 16 | 24) {
            continue;
        }
        let b = opt(len, 0x11, 0x01, 0x5a);
        for tcp in [None, Some(SYN), Some(SYNACK), Some(ACK)] {
            assert_eq!(dec_ctx(&b, ctx(None, tcp)), Err(err(ErrorKind::BadLength, Some(1), len)), "len {len}");
        }
    }
}

// ---------------------------------------------------------------- DSS

const DATA_ACK8: u64 = 0x1122_3344_5566_7788;
const DATA_ACK4: u32 = 0x1122_3344;
const DSN8: u64 = 0x99aa_bbcc_ddee_ff00;
const DSN4: u32 = 0x99aa_bbcc;
const SSN: u32 = 0x0a0b_0c0d;
const DLEN: u16 = 1460;
const CSUM: u16 = 0xc0de;

/// DSS lengths without checksum, worked out by hand from RFC 8684 §3.3, indexed by the
/// A (1), a (2), M (4), m (8) bits: `a` counts only with A, `m` only with M.
const DSS_LEN: [usize; 16] = [
    4,  // -
    8,  // A
    4,  // a (ignored without A)
    12, // A a
    14, // M
    18, // A M
    14, // a M
    22, // A a M
    4,  // m (ignored without M)
    8,  // A m
    4,  // a m
    12, // A a m
    18, // M m
    22, // A M m
    18, // a M m
    26, // A a M m
];

/// A DSS option with the given flags, carrying the constants above.
fn dss_bytes(flags: u8, checksum: bool) -> Vec<u8> {
    let mut v = vec![30, 0, 0x20, flags];
    if flags & 1 != 0 {
        if flags & 2 != 0 {
            v.extend_from_slice(&DATA_ACK8.to_be_bytes());
        } else {
            v.extend_from_slice(&DATA_ACK4.to_be_bytes());
        }
    }
    if flags & 4 != 0 {
        if flags & 8 != 0 {
            v.extend_from_slice(&DSN8.to_be_bytes());
        } else {
            v.extend_from_slice(&DSN4.to_be_bytes());
        }
        v.extend_from_slice(&SSN.to_be_bytes());
        v.extend_from_slice(&DLEN.to_be_bytes());
        if checksum {
            v.extend_from_slice(&CSUM.to_be_bytes());
        }
    }
    v[1] = v.len() as u8;
    v
}

fn dss(b: &[u8]) -> Result<Dss, OptionError> {
    match dec(b)? {
        MptcpOption::Dss(x) => Ok(x),
        other => panic!("expected DSS, got {other:?}"),
    }
}

#[test]
fn dss_linux_data_26() {
    // A, a, M, m: 8-byte data ACK and DSN, no checksum: what Linux sends on data.
    let b = [
        30, 26, 0x20, 0x0f, // kind, len, subtype, flags
        0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88, // data ACK
        0x99, 0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff, 0x00, // DSN
        0x0a, 0x0b, 0x0c, 0x0d, // SSN
        0x05, 0xb4, // data-level length
    ];
    let d = dss(&b).unwrap();
    assert_eq!(
        d,
        Dss {
            flags: 0x0f,
            data_ack: Some(DATA_ACK8),
            dsn: Some(DSN8),
            ssn: Some(SSN),
            data_len: Some(1460),
            checksum: None,
        }
    );
    assert!(d.data_ack8() && d.dsn8() && !d.data_fin() && !d.infinite_mapping());
}

#[test]
fn dss_pure_data_ack_12_and_8() {
    let b = [30, 12, 0x20, 0x03, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88];
    assert_eq!(
        dss(&b),
        Ok(Dss { flags: 0x03, data_ack: Some(DATA_ACK8), dsn: None, ssn: None, data_len: None, checksum: None })
    );
    let b = [30, 8, 0x20, 0x01, 0x11, 0x22, 0x33, 0x44];
    let d = dss(&b).unwrap();
    assert_eq!(
        d,
        Dss { flags: 0x01, data_ack: Some(0x1122_3344), dsn: None, ssn: None, data_len: None, checksum: None }
    );
    assert!(!d.data_ack8() && !d.dsn8() && !d.infinite_mapping());
}

#[test]
fn dss_with_checksum_28() {
    let b = [
        30, 28, 0x20, 0x0f, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88, 0x99, 0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff,
        0x00, 0x0a, 0x0b, 0x0c, 0x0d, 0x05, 0xb4, 0xc0, 0xde,
    ];
    assert_eq!(
        dss(&b),
        Ok(Dss {
            flags: 0x0f,
            data_ack: Some(DATA_ACK8),
            dsn: Some(DSN8),
            ssn: Some(SSN),
            data_len: Some(1460),
            checksum: Some(0xc0de),
        })
    );
}

#[test]
fn dss_4_byte_ack_and_dsn_18() {
    // A, M: 4-byte data ACK, 4-byte DSN: the values are not expanded.
    let b = [30, 18, 0x20, 0x05, 0xff, 0xff, 0xff, 0xfe, 0x80, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x00, 0x10];
    assert_eq!(
        dss(&b),
        Ok(Dss {
            flags: 0x05,
            data_ack: Some(0xffff_fffe),
            dsn: Some(0x8000_0001),
            ssn: Some(1),
            data_len: Some(16),
            checksum: None,
        })
    );
}

#[test]
fn dss_data_fin_alone_4() {
    // F without A or M: length 4.
    let b = [30, 4, 0x20, 0x10];
    let d = dss(&b).unwrap();
    assert_eq!(d, Dss { flags: 0x10, data_ack: None, dsn: None, ssn: None, data_len: None, checksum: None });
    assert!(d.data_fin());
}

#[test]
fn dss_every_flag_combination_with_and_without_checksum() {
    for flags in 0u8..0x20 {
        for checksum in [false, true] {
            let mapping = flags & 4 != 0;
            if checksum && !mapping {
                continue; // the checksum belongs to the mapping
            }
            let b = dss_bytes(flags, checksum);
            let want_len = DSS_LEN[(flags & 0x0f) as usize] + if checksum { 2 } else { 0 };
            assert_eq!(b.len(), want_len, "flags {flags:#x}");
            assert_eq!(mptcp_core::decode::dss_expected_len(flags), DSS_LEN[(flags & 0x0f) as usize]);
            let d = dss(&b).unwrap_or_else(|e| panic!("flags {flags:#x} csum {checksum}: {e}"));
            let a = flags & 1 != 0;
            let a8 = flags & 2 != 0;
            let m8 = flags & 8 != 0;
            let want = Dss {
                flags,
                data_ack: a.then_some(if a8 { DATA_ACK8 } else { DATA_ACK4 as u64 }),
                dsn: mapping.then_some(if m8 { DSN8 } else { DSN4 as u64 }),
                ssn: mapping.then_some(SSN),
                data_len: mapping.then_some(DLEN),
                checksum: checksum.then_some(CSUM),
            };
            assert_eq!(d, want, "flags {flags:#x} csum {checksum}");
            assert_eq!(d.data_fin(), flags & 0x10 != 0);
            assert_eq!(d.data_ack8(), a8);
            assert_eq!(d.dsn8(), m8);
            assert!(!d.infinite_mapping());
        }
    }
}

#[test]
fn dss_reserved_flag_bits_are_kept_and_ignored() {
    // The top three bits of the flags byte and the low nibble of byte 2 are reserved.
    let mut b = dss_bytes(0x0f, false);
    b[2] = 0x2f;
    b[3] = 0xef;
    let d = dss(&b).unwrap();
    assert_eq!(d.flags, 0xef);
    assert_eq!(d.data_ack, Some(DATA_ACK8));
    assert_eq!(d.dsn, Some(DSN8));
    assert_eq!(d.ssn, Some(SSN));
    assert_eq!(d.data_len, Some(DLEN));
    assert_eq!(d.checksum, None);
}

#[test]
fn dss_lengths_that_do_not_match_the_flags() {
    for flags in 0u8..0x20 {
        let base = DSS_LEN[(flags & 0x0f) as usize];
        let mapping = flags & 4 != 0;
        for len in 4..=40u8 {
            let l = len as usize;
            if l == base || (mapping && l == base + 2) {
                continue;
            }
            let b = opt(len, 0x20, flags, 0x77);
            assert_eq!(dss(&b), Err(err(ErrorKind::LengthMismatch, Some(2), len)), "flags {flags:#x} len {len}");
        }
    }
    // A checksum without a mapping does not exist: A only, 8 + 2.
    let b = opt(10, 0x20, 0x01, 0);
    assert_eq!(dss(&b), Err(err(ErrorKind::LengthMismatch, Some(2), 10)));
    // Length 3 cannot even hold the flags.
    assert_eq!(dss(&[30, 3, 0x20]), Err(err(ErrorKind::BadLength, Some(2), 3)));
}

#[test]
fn dss_infinite_mapping() {
    // M only, 4-byte DSN, data-level length 0 (RFC 8684 §3.7: SSN 0 too).
    let b = [30, 14, 0x20, 0x04, 0x00, 0x00, 0x10, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00];
    let d = dss(&b).unwrap();
    assert_eq!(
        d,
        Dss { flags: 0x04, data_ack: None, dsn: Some(0x1000), ssn: Some(0), data_len: Some(0), checksum: None }
    );
    assert!(d.infinite_mapping());
    // With 8-byte ack and DSN and a checksum (length 28).
    let b = [30, 28, 0x20, 0x0f, 0, 0, 0, 0, 0, 0, 0, 9, 0, 0, 0, 0, 0, 0, 0x20, 0, 0, 0, 0, 0, 0, 0, 0xab, 0xcd];
    let d = dss(&b).unwrap();
    assert_eq!(d.data_ack, Some(9));
    assert_eq!(d.dsn, Some(0x2000));
    assert_eq!(d.ssn, Some(0));
    assert_eq!(d.data_len, Some(0));
    assert_eq!(d.checksum, Some(0xabcd));
    assert!(d.infinite_mapping());
    // Data-level length 1 is an ordinary mapping.
    let mut b2 = b;
    b2[25] = 1;
    assert!(!dss(&b2).unwrap().infinite_mapping());
    // No mapping: never infinite.
    assert!(!dss(&[30, 4, 0x20, 0x00]).unwrap().infinite_mapping());
}

// ---------------------------------------------------------------- ADD_ADDR

const V4: Ipv4Addr = Ipv4Addr::new(192, 0, 2, 1);
const V6: Ipv6Addr = Ipv6Addr::new(0x2001, 0xdb8, 0, 0, 0, 0, 0xab, 0xcd01);
const V6_BYTES: [u8; 16] = [0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xab, 0xcd, 0x01];
const HMAC64: u64 = 0x0f1e_2d3c_4b5a_6978;

fn add_addr(b: &[u8], c: DecodeContext) -> Result<AddAddr, OptionError> {
    let r = match dec_ctx(b, c)? {
        MptcpOption::AddAddr(x) => x,
        other => panic!("expected ADD_ADDR, got {other:?}"),
    };
    assert_eq!(decode_add_addr(b, &c), Ok(r));
    Ok(r)
}

/// An ADD_ADDR: byte 2 nibble, addr id, address bytes, port, HMAC.
fn add_addr_bytes(nibble: u8, id: u8, addr: &[u8], port: Option<u16>, hmac: Option<u64>) -> Vec<u8> {
    let mut v = vec![30, 0, 0x30 | nibble, id];
    v.extend_from_slice(addr);
    if let Some(p) = port {
        v.extend_from_slice(&p.to_be_bytes());
    }
    if let Some(h) = hmac {
        v.extend_from_slice(&h.to_be_bytes());
    }
    v[1] = v.len() as u8;
    v
}

#[test]
fn add_addr_v0_hand_vectors() {
    let v4 = [30, 8, 0x34, 0x02, 192, 0, 2, 1];
    let v4p = [30, 10, 0x34, 0x02, 192, 0, 2, 1, 0x1f, 0x90];
    let mut v6 = vec![30, 20, 0x36, 0x05];
    v6.extend_from_slice(&V6_BYTES);
    let mut v6p = v6.clone();
    v6p[1] = 22;
    v6p.extend_from_slice(&[0x01, 0xbb]);
    type Row<'a> = (&'a [u8], u8, u8, IpAddr, Option<u16>);
    let table: [Row<'_>; 4] = [
        (&v4, 4, 2, IpAddr::V4(V4), None),
        (&v4p, 4, 2, IpAddr::V4(V4), Some(8080)),
        (&v6, 6, 5, IpAddr::V6(V6), None),
        (&v6p, 6, 5, IpAddr::V6(V6), Some(443)),
    ];
    for (b, nibble, id, addr, port) in table {
        let want = AddAddr { version: 0, flags: nibble, echo: false, addr_id: id, addr, port, hmac: None };
        // Known v0, and unknown (nibble 4 / 6 at a short length is read as v0).
        assert_eq!(add_addr(b, ctx(Some(0), None)), Ok(want), "{b:?}");
        assert_eq!(add_addr(b, ctx(None, None)), Ok(want), "{b:?}");
        // TCP flags do not matter to ADD_ADDR.
        assert_eq!(add_addr(b, ctx(Some(0), Some(SYN))), Ok(want));
    }
}

#[test]
fn add_addr_v0_invalid() {
    let v4 = [192, 0, 2, 1];
    // IP version 4 with the IPv6 lengths, and 6 with the IPv4 lengths.
    for (nibble, addr, port) in
        [(4u8, &V6_BYTES[..], None), (4, &V6_BYTES[..], Some(1)), (6, &v4[..], None), (6, &v4[..], Some(1))]
    {
        let b = add_addr_bytes(nibble, 1, addr, port, None);
        let len = b.len() as u8;
        for version in [Some(0), None] {
            assert_eq!(
                add_addr(&b, ctx(version, None)),
                Err(err(ErrorKind::LengthMismatch, Some(3), len)),
                "nibble {nibble} len {len} version {version:?}"
            );
        }
    }
    // Known v0, the v1-only lengths: nibble 4 / 6 mismatch, anything else is no IP version.
    for (nibble, want) in [
        (4u8, ErrorKind::LengthMismatch),
        (6, ErrorKind::LengthMismatch),
        (0, ErrorKind::BadAddress),
        (1, ErrorKind::BadAddress),
    ] {
        let b = add_addr_bytes(nibble, 1, &v4, None, Some(HMAC64));
        assert_eq!(add_addr(&b, ctx(Some(0), None)), Err(err(want, Some(3), 16)), "nibble {nibble}");
    }
    // Known v0, IP-version nibbles other than 4 and 6.
    for nibble in (0..16u8).filter(|n| *n != 4 && *n != 6) {
        for (addr, port) in [(&v4[..], None), (&v4[..], Some(80)), (&V6_BYTES[..], None)] {
            let b = add_addr_bytes(nibble, 1, addr, port, None);
            let len = b.len() as u8;
            assert_eq!(
                add_addr(&b, ctx(Some(0), None)),
                Err(err(ErrorKind::BadAddress, Some(3), len)),
                "nibble {nibble} len {len}"
            );
        }
    }
}

#[test]
fn add_addr_bad_lengths() {
    for len in 3..=40u8 {
        if matches!(len, 8 | 10 | 16 | 18 | 20 | 22 | 28 | 30) {
            continue;
        }
        for nibble in [0u8, 1, 4, 6] {
            let b = opt(len, 0x30 | nibble, 1, 0x42);
            for version in [None, Some(0), Some(1)] {
                assert_eq!(
                    add_addr(&b, ctx(version, None)),
                    Err(err(ErrorKind::BadLength, Some(3), len)),
                    "len {len} nibble {nibble} version {version:?}"
                );
            }
        }
    }
}

#[test]
fn add_addr_v1_announcements_carry_hmac() {
    let v4 = [10, 0, 0, 1];
    let a4 = IpAddr::V4(Ipv4Addr::new(10, 0, 0, 1));
    let a6 = IpAddr::V6(V6);
    // Length 16 by hand.
    let b16 = [30, 16, 0x30, 0x01, 10, 0, 0, 1, 0x0f, 0x1e, 0x2d, 0x3c, 0x4b, 0x5a, 0x69, 0x78];
    assert_eq!(add_addr_bytes(0, 1, &v4, None, Some(HMAC64)), b16.to_vec());
    let table = [
        (add_addr_bytes(0, 1, &v4, None, Some(HMAC64)), 16u8, a4, None),
        (add_addr_bytes(0, 1, &v4, Some(8080), Some(HMAC64)), 18, a4, Some(8080)),
        (add_addr_bytes(0, 1, &V6_BYTES, None, Some(HMAC64)), 28, a6, None),
        (add_addr_bytes(0, 1, &V6_BYTES, Some(443), Some(HMAC64)), 30, a6, Some(443)),
    ];
    for (b, len, addr, port) in table {
        assert_eq!(b.len(), len as usize);
        let want = AddAddr { version: 1, flags: 0, echo: false, addr_id: 1, addr, port, hmac: Some(HMAC64) };
        // Known v1 (and any higher version), and unknown (lengths 16/18/28/30 are v1-only).
        for version in [Some(1), Some(2), None] {
            assert_eq!(add_addr(&b, ctx(version, None)), Ok(want), "len {len}");
        }
        // Known v0: nibble 0 is no IP version.
        assert_eq!(add_addr(&b, ctx(Some(0), None)), Err(err(ErrorKind::BadAddress, Some(3), len)));
    }
}

#[test]
fn add_addr_v1_echoes() {
    let v4 = [10, 0, 0, 1];
    let a4 = IpAddr::V4(Ipv4Addr::new(10, 0, 0, 1));
    let a6 = IpAddr::V6(V6);
    let b8 = [30, 8, 0x31, 0x09, 10, 0, 0, 1];
    assert_eq!(add_addr_bytes(1, 9, &v4, None, None), b8.to_vec());
    let table = [
        (add_addr_bytes(1, 9, &v4, None, None), 8u8, a4, None),
        (add_addr_bytes(1, 9, &v4, Some(5000), None), 10, a4, Some(5000)),
        (add_addr_bytes(1, 9, &V6_BYTES, None, None), 20, a6, None),
        (add_addr_bytes(1, 9, &V6_BYTES, Some(5001), None), 22, a6, Some(5001)),
    ];
    for (b, len, addr, port) in table {
        assert_eq!(b.len(), len as usize);
        let want = AddAddr { version: 1, flags: 1, echo: true, addr_id: 9, addr, port, hmac: None };
        // Known v1, and unknown (echo bit set at a short length is read as a v1 echo).
        for version in [Some(1), None] {
            assert_eq!(add_addr(&b, ctx(version, None)), Ok(want), "len {len}");
        }
        // Known v0: nibble 1 is no IP version.
        assert_eq!(add_addr(&b, ctx(Some(0), None)), Err(err(ErrorKind::BadAddress, Some(3), len)));
    }
}

#[test]
fn add_addr_v1_invalid_and_inference() {
    let v4 = [10, 0, 0, 1];
    // An announcement (E = 0) without HMAC: known v1 -> mismatch; unknown -> fits neither.
    for (addr, port) in [(&v4[..], None), (&v4[..], Some(1)), (&V6_BYTES[..], None), (&V6_BYTES[..], Some(1))] {
        let b = add_addr_bytes(0, 1, addr, port, None);
        let len = b.len() as u8;
        assert_eq!(add_addr(&b, ctx(Some(1), None)), Err(err(ErrorKind::LengthMismatch, Some(3), len)));
        assert_eq!(add_addr(&b, ctx(None, None)), Err(err(ErrorKind::BadAddress, Some(3), len)));
        // Nibble 2 (a reserved bit, E = 0): same.
        let mut b2 = b.clone();
        b2[2] = 0x32;
        assert_eq!(add_addr(&b2, ctx(None, None)), Err(err(ErrorKind::BadAddress, Some(3), len)));
    }
    // An echo (E = 1) with an HMAC: mismatch whether the version is known or inferred.
    for (addr, port) in [(&v4[..], None), (&v4[..], Some(1)), (&V6_BYTES[..], None), (&V6_BYTES[..], Some(1))] {
        let b = add_addr_bytes(1, 1, addr, port, Some(HMAC64));
        let len = b.len() as u8;
        for version in [Some(1), None] {
            assert_eq!(
                add_addr(&b, ctx(version, None)),
                Err(err(ErrorKind::LengthMismatch, Some(3), len)),
                "len {len} version {version:?}"
            );
        }
    }
    // Nibble 4 at a short length: unknown version -> v0 IPv4; known v1 -> an announcement
    // with reserved bits and no HMAC.
    let b = add_addr_bytes(4, 2, &v4, None, None);
    assert_eq!(
        add_addr(&b, ctx(None, None)),
        Ok(AddAddr {
            version: 0,
            flags: 4,
            echo: false,
            addr_id: 2,
            addr: IpAddr::V4(Ipv4Addr::new(10, 0, 0, 1)),
            port: None,
            hmac: None,
        })
    );
    assert_eq!(add_addr(&b, ctx(Some(1), None)), Err(err(ErrorKind::LengthMismatch, Some(3), 8)));
    // Nibble 4 at a long length: v1 announcement whose reserved bit is kept in `flags`.
    let b = add_addr_bytes(4, 2, &v4, None, Some(HMAC64));
    let want = AddAddr {
        version: 1,
        flags: 4,
        echo: false,
        addr_id: 2,
        addr: IpAddr::V4(Ipv4Addr::new(10, 0, 0, 1)),
        port: None,
        hmac: Some(HMAC64),
    };
    assert_eq!(add_addr(&b, ctx(None, None)), Ok(want));
    assert_eq!(add_addr(&b, ctx(Some(1), None)), Ok(want));
    // Nibble 5 / 7 (E with reserved bits) at a short length: v1 echo.
    for nibble in [5u8, 7, 0xf] {
        let b = add_addr_bytes(nibble, 3, &V6_BYTES, Some(80), None);
        let want = AddAddr {
            version: 1,
            flags: nibble,
            echo: true,
            addr_id: 3,
            addr: IpAddr::V6(V6),
            port: Some(80),
            hmac: None,
        };
        assert_eq!(add_addr(&b, ctx(None, None)), Ok(want));
        assert_eq!(add_addr(&b, ctx(Some(1), None)), Ok(want));
    }
}

// ---------------------------------------------------------------- REMOVE_ADDR

#[test]
fn remove_addr_one_to_many_ids() {
    let b = [30, 4, 0x40, 0x05];
    assert_eq!(dec(&b), Ok(MptcpOption::RemoveAddr(RemoveAddr { addr_ids: &[5] })));
    let b = [30, 5, 0x40, 1, 2];
    assert_eq!(dec(&b), Ok(MptcpOption::RemoveAddr(RemoveAddr { addr_ids: &[1, 2] })));
    let b = [30, 8, 0x4f, 9, 8, 7, 6, 5];
    assert_eq!(dec(&b), Ok(MptcpOption::RemoveAddr(RemoveAddr { addr_ids: &[9, 8, 7, 6, 5] })));
    // The largest that fits a TCP header: 40 bytes, 37 ids.
    let mut b = vec![30, 40, 0x40];
    b.extend(0..37u8);
    let ids: Vec<u8> = (0..37).collect();
    match dec(&b).unwrap() {
        MptcpOption::RemoveAddr(r) => {
            assert_eq!(r.addr_ids, &ids[..]);
            // The ids borrow from the packet.
            assert!(std::ptr::eq(r.addr_ids.as_ptr(), b[3..].as_ptr()));
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn remove_addr_length_3_is_bad() {
    assert_eq!(dec(&[30, 3, 0x40]), Err(err(ErrorKind::BadLength, Some(4), 3)));
}

// ---------------------------------------------------------------- MP_PRIO

#[test]
fn prio_3_and_4() {
    assert_eq!(dec(&[30, 3, 0x51]), Ok(MptcpOption::Prio(Prio { backup: true, addr_id: None })));
    assert_eq!(dec(&[30, 3, 0x50]), Ok(MptcpOption::Prio(Prio { backup: false, addr_id: None })));
    assert_eq!(dec(&[30, 4, 0x51, 0x09]), Ok(MptcpOption::Prio(Prio { backup: true, addr_id: Some(9) })));
    assert_eq!(dec(&[30, 4, 0x5e, 0xff]), Ok(MptcpOption::Prio(Prio { backup: false, addr_id: Some(255) })));
    for len in 5..=12u8 {
        assert_eq!(dec(&opt(len, 0x51, 1, 0)), Err(err(ErrorKind::BadLength, Some(5), len)));
    }
}

// ---------------------------------------------------------------- MP_FAIL, MP_FASTCLOSE

#[test]
fn fail_12() {
    let b = [30, 12, 0x60, 0x00, 0x00, 0x00, 0x00, 0x01, 0x23, 0x45, 0x67, 0x89];
    assert_eq!(dec(&b), Ok(MptcpOption::Fail(Fail { dsn: 0x0000_0001_2345_6789 })));
    for len in (3..=24u8).filter(|l| *l != 12) {
        assert_eq!(dec(&opt(len, 0x60, 0, 0xee)), Err(err(ErrorKind::BadLength, Some(6), len)));
    }
}

#[test]
fn fastclose_12() {
    let b = [30, 12, 0x70, 0x00, 0xfe, 0xdc, 0xba, 0x98, 0x76, 0x54, 0x32, 0x10];
    assert_eq!(dec(&b), Ok(MptcpOption::FastClose(FastClose { receiver_key: KEY_B })));
    for len in (3..=24u8).filter(|l| *l != 12) {
        assert_eq!(dec(&opt(len, 0x70, 0, 0xee)), Err(err(ErrorKind::BadLength, Some(7), len)));
    }
}

// ---------------------------------------------------------------- MP_TCPRST

#[test]
fn tcprst_4_flags_and_reason() {
    use tcprst_flags::*;
    for (b2, flags) in [(0x80u8, 0u8), (0x88, U), (0x84, V), (0x82, W), (0x81, T), (0x8f, U | V | W | T)] {
        for reason in [0u8, 1, 2, 3, 4, 5, 6, 0xff] {
            assert_eq!(
                dec(&[30, 4, b2, reason]),
                Ok(MptcpOption::TcpRst(TcpRst { flags, reason })),
                "{b2:#x} {reason}"
            );
        }
    }
    for len in [3u8, 5, 6, 8, 12] {
        assert_eq!(dec(&opt(len, 0x81, 1, 0)), Err(err(ErrorKind::BadLength, Some(8), len)));
    }
}

// ---------------------------------------------------------------- MP_EXPERIMENTAL, unknown

#[test]
fn experimental_passthrough() {
    assert_eq!(dec(&[30, 3, 0xf0]), Ok(MptcpOption::Experimental(Experimental { nibble: 0, data: &[] })));
    assert_eq!(
        dec(&[30, 8, 0xf7, 1, 2, 3, 4, 5]),
        Ok(MptcpOption::Experimental(Experimental { nibble: 7, data: &[1, 2, 3, 4, 5] }))
    );
    let mut b = vec![30, 40, 0xfa];
    b.extend((0..37u8).map(|i| i ^ 0x5a));
    let want: Vec<u8> = (0..37u8).map(|i| i ^ 0x5a).collect();
    let r = dec(&b).unwrap();
    assert_eq!(r.subtype(), Subtype::Experimental);
    assert_eq!(r, MptcpOption::Experimental(Experimental { nibble: 0xa, data: &want }));
}

#[test]
fn unknown_subtypes_9_to_e() {
    for st in 9u8..=0xe {
        for len in [3u8, 4, 8, 12, 20, 40] {
            for low in [0u8, 1, 0xf] {
                let b = opt(len, (st << 4) | low, 0, 0x11);
                for c in [ctx(None, None), ctx(Some(1), Some(SYN))] {
                    assert_eq!(
                        dec_ctx(&b, c),
                        Err(err(ErrorKind::UnknownSubtype, Some(st), len)),
                        "subtype {st:#x} len {len}"
                    );
                }
            }
        }
    }
}

#[test]
fn decode_option_direct_short_input() {
    // Called directly with fewer than 3 bytes: no subtype.
    let c = DecodeContext::default();
    assert_eq!(decode_option(&[30, 2], &c), Err(err(ErrorKind::NoSubtype, None, 2)));
    assert_eq!(decode_option(&[30], &c), Err(err(ErrorKind::NoSubtype, None, 1)));
    assert_eq!(decode_option(&[], &c), Err(err(ErrorKind::NoSubtype, None, 0)));
}

#[test]
fn option_subtype_accessor() {
    let cases: [(&[u8], Subtype); 10] = [
        (&CAP_V1_SYN, Subtype::Capable),
        (&JOIN_SYN, Subtype::Join),
        (&[30, 4, 0x20, 0x00], Subtype::Dss),
        (&[30, 8, 0x31, 1, 10, 0, 0, 1], Subtype::AddAddr),
        (&[30, 4, 0x40, 1], Subtype::RemoveAddr),
        (&[30, 3, 0x50], Subtype::Prio),
        (&[30, 12, 0x60, 0, 0, 0, 0, 0, 0, 0, 0, 0], Subtype::Fail),
        (&[30, 12, 0x70, 0, 0, 0, 0, 0, 0, 0, 0, 0], Subtype::FastClose),
        (&[30, 4, 0x80, 0], Subtype::TcpRst),
        (&[30, 3, 0xf0], Subtype::Experimental),
    ];
    for (b, st) in cases {
        assert_eq!(dec(b).unwrap().subtype(), st);
    }
}

// ---------------------------------------------------------------- the walker

fn walk(b: &[u8], c: DecodeContext) -> Vec<Found<'_>> {
    mptcp_options(b, c).collect()
}

fn overrun(subtype: Option<u8>, len: u8, available: u8) -> OptionError {
    OptionError { kind: ErrorKind::Overrun, subtype, len, available }
}

const TS: [u8; 10] = [8, 10, 0x1e, 0x00, 0x01, 0x1e, 0x00, 0x1e, 0x02, 0x00];

#[test]
fn walk_empty_and_no_mptcp() {
    assert!(walk(&[], DecodeContext::default()).is_empty());
    assert!(!has_mptcp(&[]));
    // MSS, SACK permitted, TS, NOP, WS: no kind 30.
    let mut b = vec![2, 4, 0x05, 0xb4, 4, 2];
    b.extend_from_slice(&TS);
    b.extend_from_slice(&[1, 3, 3, 7]);
    assert!(walk(&b, DecodeContext::default()).is_empty());
    assert!(!has_mptcp(&b));
}

#[test]
fn walk_eol_ends_the_walk() {
    let b = [0, 30, 4, 0x80, 0];
    assert!(walk(&b, DecodeContext::default()).is_empty());
    assert!(!has_mptcp(&b));
    let b = [30, 4, 0x88, 1, 0, 30, 4, 0x80, 2];
    let f = walk(&b, DecodeContext::default());
    assert_eq!(f.len(), 1);
    assert_eq!(f[0].offset, 0);
    assert_eq!(f[0].raw, &b[..4]);
    assert_eq!(f[0].result, Ok(MptcpOption::TcpRst(TcpRst { flags: 8, reason: 1 })));
}

#[test]
fn walk_skips_nops() {
    let b = [1, 1, 1, 30, 3, 0x51, 1, 1];
    let f = walk(&b, DecodeContext::default());
    assert_eq!(f.len(), 1);
    assert_eq!(f[0].offset, 3);
    assert_eq!(f[0].raw, &[30, 3, 0x51]);
    assert_eq!(f[0].result, Ok(MptcpOption::Prio(Prio { backup: true, addr_id: None })));
    assert!(has_mptcp(&b));
    assert!(walk(&[1; 40], DecodeContext::default()).is_empty());
}

#[test]
fn walk_linux_nop_nop_ts_fast_path() {
    // NOP, NOP, TS (whose value bytes contain 30, 0 and 1), then DSS 26.
    let mut b = vec![1, 1];
    b.extend_from_slice(&TS);
    let d = dss_bytes(0x0f, false);
    b.extend_from_slice(&d);
    assert_eq!(b.len(), 38);
    let f = walk(&b, DecodeContext::default());
    assert_eq!(f.len(), 1);
    assert_eq!(f[0].offset, 12);
    assert_eq!(f[0].raw, &d[..]);
    assert_eq!(
        f[0].result,
        Ok(MptcpOption::Dss(Dss {
            flags: 0x0f,
            data_ack: Some(DATA_ACK8),
            dsn: Some(DSN8),
            ssn: Some(SSN),
            data_len: Some(DLEN),
            checksum: None,
        }))
    );
    // The same without the fast path's layout (TS first, then NOP, NOP) gives the same.
    let mut b2 = TS.to_vec();
    b2.extend_from_slice(&[1, 1]);
    b2.extend_from_slice(&d);
    let f2 = walk(&b2, DecodeContext::default());
    assert_eq!(f2.len(), 1);
    assert_eq!(f2[0].offset, 12);
    assert_eq!(f2[0].result, f[0].result);
    // NOP, NOP, TS alone (12 bytes) and cut short (11 bytes: TS overruns, not ours).
    assert!(walk(&b[..12], DecodeContext::default()).is_empty());
    assert!(walk(&b[..11], DecodeContext::default()).is_empty());
    assert!(!has_mptcp(&b[..11]));
    // NOP, NOP, TS, then kind 30 as the very last byte.
    let mut b3 = b[..12].to_vec();
    b3.push(30);
    let f3 = walk(&b3, DecodeContext::default());
    assert_eq!(f3.len(), 1);
    assert_eq!(f3[0].offset, 12);
    assert_eq!(f3[0].result, Err(err(ErrorKind::MissingLength, None, 0)));
}

#[test]
fn walk_syn_with_mss_sackok_ts_nop_ws_then_capable() {
    let mut b = vec![2, 4, 0x05, 0xb4, 4, 2];
    b.extend_from_slice(&TS);
    b.extend_from_slice(&[1, 3, 3, 7]);
    b.extend_from_slice(&CAP_V1_SYN);
    let f = walk(&b, ctx(None, Some(SYN)));
    assert_eq!(f.len(), 1);
    assert_eq!(f[0].offset, 20);
    assert_eq!(
        f[0].result,
        Ok(MptcpOption::Capable(Capable {
            version: 1,
            flags: 0x81,
            sender_key: None,
            receiver_key: None,
            data_len: None,
            checksum: None,
        }))
    );
    // The same option on a SYN/ACK is a length mismatch.
    let f = walk(&b, ctx(None, Some(SYNACK)));
    assert_eq!(f[0].result, Err(err(ErrorKind::LengthMismatch, Some(0), 4)));
}

#[test]
fn walk_kind30_length_0_and_1() {
    for len in [0u8, 1] {
        let b = [1, 30, len, 0x20, 0x01, 30, 4, 0x80, 0];
        let f = walk(&b, DecodeContext::default());
        assert_eq!(f.len(), 1, "the walk stops at a length it cannot trust");
        assert_eq!(f[0].offset, 1);
        assert_eq!(f[0].raw, &[30, len]);
        assert_eq!(f[0].result, Err(err(ErrorKind::LengthTooSmall, None, len)));
        assert!(has_mptcp(&b));
    }
}

#[test]
fn walk_kind30_length_2() {
    let b = [30, 2, 30, 3, 0x50];
    let f = walk(&b, DecodeContext::default());
    assert_eq!(f.len(), 2, "length 2 is walkable: the next option is read");
    assert_eq!(f[0].offset, 0);
    assert_eq!(f[0].raw, &[30, 2]);
    assert_eq!(f[0].result, Err(err(ErrorKind::NoSubtype, None, 2)));
    assert_eq!(f[1].offset, 2);
    assert_eq!(f[1].result, Ok(MptcpOption::Prio(Prio { backup: false, addr_id: None })));
}

#[test]
fn walk_overrun() {
    // Kind 30, length 12, but only 5 bytes left.
    let b = [1, 30, 12, 0x60, 0, 0];
    let f = walk(&b, DecodeContext::default());
    assert_eq!(f.len(), 1);
    assert_eq!(f[0].offset, 1);
    assert_eq!(f[0].raw, &b[1..]);
    assert_eq!(f[0].result, Err(overrun(Some(6), 12, 5)));
    // Only kind and length left: no subtype to report.
    let b = [1, 1, 30, 5];
    let f = walk(&b, DecodeContext::default());
    assert_eq!(f.len(), 1);
    assert_eq!(f[0].offset, 2);
    assert_eq!(f[0].raw, &[30, 5]);
    assert_eq!(f[0].result, Err(overrun(None, 5, 2)));
    // A DSS 26 cut off by the capture after the fast path.
    let mut b = vec![1, 1];
    b.extend_from_slice(&TS);
    b.extend_from_slice(&dss_bytes(0x0f, false)[..20]);
    let f = walk(&b, DecodeContext::default());
    assert_eq!(f.len(), 1);
    assert_eq!(f[0].offset, 12);
    assert_eq!(f[0].raw.len(), 20);
    assert_eq!(f[0].result, Err(overrun(Some(2), 26, 20)));
    // Length 255 over a long slice: `available` is the bytes left.
    let mut b = vec![30, 255, 0x20];
    b.resize(100, 0);
    let f = walk(&b, DecodeContext::default());
    assert_eq!(f[0].result, Err(overrun(Some(2), 255, 100)));
}

#[test]
fn walk_kind30_as_last_byte() {
    for b in [&[30u8][..], &[1, 1, 30], &[30, 3, 0x50, 30]] {
        let f = walk(b, DecodeContext::default());
        let last = f.last().unwrap();
        assert_eq!(last.offset, b.len() - 1);
        assert_eq!(last.raw, &[30]);
        assert_eq!(last.result, Err(err(ErrorKind::MissingLength, None, 0)));
        assert!(has_mptcp(b));
    }
    // A non-MPTCP kind as last byte ends the walk silently.
    let b = [30, 3, 0x50, 5];
    assert_eq!(walk(&b, DecodeContext::default()).len(), 1);
}

#[test]
fn walk_several_mptcp_options_dss_and_add_addr() {
    // NOP, NOP, TS, DSS (A, 4-byte ack), ADD_ADDR v1 announcement IPv4.
    let mut b = vec![1, 1];
    b.extend_from_slice(&TS);
    let d = dss_bytes(0x01, false);
    let a = add_addr_bytes(0, 4, &[10, 0, 0, 2], None, Some(HMAC64));
    b.extend_from_slice(&d);
    b.extend_from_slice(&a);
    assert_eq!(b.len(), 36);
    let f = walk(&b, ctx(Some(1), Some(ACK)));
    assert_eq!(f.len(), 2);
    assert_eq!((f[0].offset, f[0].raw), (12, &d[..]));
    assert_eq!((f[1].offset, f[1].raw), (20, &a[..]));
    assert_eq!(
        f[0].result,
        Ok(MptcpOption::Dss(Dss {
            flags: 0x01,
            data_ack: Some(DATA_ACK4 as u64),
            dsn: None,
            ssn: None,
            data_len: None,
            checksum: None,
        }))
    );
    assert_eq!(
        f[1].result,
        Ok(MptcpOption::AddAddr(AddAddr {
            version: 1,
            flags: 0,
            echo: false,
            addr_id: 4,
            addr: IpAddr::V4(Ipv4Addr::new(10, 0, 0, 2)),
            port: None,
            hmac: Some(HMAC64),
        }))
    );
}

#[test]
fn walk_continues_past_a_decode_error_with_a_sane_length() {
    // DSS with a length that does not match its flags, MP_PRIO, REMOVE_ADDR, MP_FASTCLOSE.
    let mut b = vec![30, 5, 0x20, 0x00, 0x00, 30, 3, 0x51, 30, 4, 0x40, 7];
    b.extend_from_slice(&[30, 12, 0x70, 0, 0, 0, 0, 0, 0, 0, 0, 42]);
    let f = walk(&b, DecodeContext::default());
    assert_eq!(f.len(), 4);
    assert_eq!(f.iter().map(|x| x.offset).collect::<Vec<_>>(), vec![0, 5, 8, 12]);
    assert_eq!(f[0].result, Err(err(ErrorKind::LengthMismatch, Some(2), 5)));
    assert_eq!(f[1].result, Ok(MptcpOption::Prio(Prio { backup: true, addr_id: None })));
    assert_eq!(f[2].result, Ok(MptcpOption::RemoveAddr(RemoveAddr { addr_ids: &[7] })));
    assert_eq!(f[3].result, Ok(MptcpOption::FastClose(FastClose { receiver_key: 42 })));
}

#[test]
fn walk_broken_non_mptcp_option_ends_after_earlier_mptcp() {
    let tcprst = [30, 4, 0x88, 0x02];
    let later = [30, 3, 0x51];
    // MSS with length 1, TS with length 0, SACK overrunning, a kind as the last byte.
    let brokens: [&[u8]; 4] = [&[2, 1], &[8, 0], &[5, 30, 1, 2, 3], &[19]];
    for broken in brokens {
        let mut b = tcprst.to_vec();
        b.extend_from_slice(broken);
        b.extend_from_slice(&later);
        let f = walk(&b, DecodeContext::default());
        assert_eq!(f.len(), 1, "{broken:?}");
        assert_eq!(f[0].offset, 0);
        assert_eq!(f[0].raw, &tcprst);
        assert_eq!(f[0].result, Ok(MptcpOption::TcpRst(TcpRst { flags: 8, reason: 2 })));
    }
    // A well-formed unknown option kind is skipped.
    let mut b = tcprst.to_vec();
    b.extend_from_slice(&[253, 4, 0xbe, 0xef]);
    b.extend_from_slice(&later);
    let f = walk(&b, DecodeContext::default());
    assert_eq!(f.len(), 2);
    assert_eq!(f[1].offset, 8);
}

#[test]
fn walker_is_restartable_and_cloneable() {
    let mut b = CAP_V1_ACK.to_vec();
    b.extend_from_slice(&[30, 3, 0x50]);
    let it = mptcp_options(&b, ctx(None, Some(ACK)));
    let a: Vec<_> = it.clone().collect();
    let c: Vec<_> = it.collect();
    assert_eq!(a, c);
    assert_eq!(a.len(), 2);
}

// ---------------------------------------------------------------- Display

#[test]
fn display_strings() {
    let cases = [
        (overrun(Some(6), 12, 5), "overrun: option length 12 exceeds the 5 bytes left in the header"),
        (err(ErrorKind::MissingLength, None, 0), "missing_length: kind 30 is the last byte"),
        (err(ErrorKind::LengthTooSmall, None, 1), "length_too_small: option length 1"),
        (err(ErrorKind::NoSubtype, None, 2), "no_subtype: option length 2"),
        (err(ErrorKind::UnknownSubtype, Some(0xc), 4), "unknown_subtype: subtype 0xc length 4"),
        (err(ErrorKind::BadLength, Some(5), 5), "bad_length: MP_PRIO length 5"),
        (err(ErrorKind::LengthMismatch, Some(2), 13), "length_mismatch: DSS length 13"),
        (err(ErrorKind::LengthMismatch, Some(0), 4), "length_mismatch: MP_CAPABLE length 4"),
        (err(ErrorKind::BadAddress, Some(3), 8), "bad_address: ADD_ADDR length 8"),
        (err(ErrorKind::BadLength, None, 7), "bad_length: length 7"),
    ];
    for (e, s) in cases {
        assert_eq!(e.to_string(), s);
        let boxed: Box<dyn std::error::Error> = Box::new(e);
        assert_eq!(boxed.to_string(), s);
    }
    // And from real decodes.
    let f = walk(&[1, 30, 12, 0x60, 0, 0], DecodeContext::default());
    assert_eq!(
        f[0].result.unwrap_err().to_string(),
        "overrun: option length 12 exceeds the 5 bytes left in the header"
    );
    let e = decode_option(&[30, 13, 0x20, 0x0f, 0, 0, 0, 0, 0, 0, 0, 0, 0], &DecodeContext::default()).unwrap_err();
    assert_eq!(e.to_string(), "length_mismatch: DSS length 13");
    let e = decode_option(&[30, 4, 0x90, 0], &DecodeContext::default()).unwrap_err();
    assert_eq!(e.to_string(), "unknown_subtype: subtype 0x9 length 4");
}
