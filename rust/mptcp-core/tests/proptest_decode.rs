//! Property tests of the MPTCP option decoder and walker:
//! - arbitrary option bytes (0..=60) with an arbitrary `DecodeContext` never panic, every
//!   yielded `Found.raw` lies within the input at its `offset`, offsets strictly increase,
//!   and every error carries the length / subtype / available bytes of its raw option;
//! - valid encodings built here from arbitrary field values (DSS, MP_CAPABLE, MP_JOIN,
//!   ADD_ADDR) decode back to exactly those values, alone and inside a padded option area.

use mptcp_core::*;
use proptest::prelude::*;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

fn arb_ctx() -> impl Strategy<Value = DecodeContext> {
    (prop::option::of(prop_oneof![Just(0u8), Just(1u8), any::<u8>()]), prop::option::of(any::<u8>()))
        .prop_map(|(version, tcp_flags)| DecodeContext { version, tcp_flags })
}

/// Option areas that look like TCP options: a mix of EOL, NOP, kind-30 options with
/// plausible subtypes and lengths, other kinds, and raw noise; cut to at most 60 bytes.
fn arb_option_area() -> impl Strategy<Value = Vec<u8>> {
    let chunk = prop_oneof![
        1 => Just(vec![0u8]),
        3 => Just(vec![1u8]),
        2 => Just(vec![1u8, 1, 8, 10, 1, 2, 3, 4, 5, 6, 7, 8]),
        6 => (0u8..=0xf, 0u8..=0xf, 0u8..=32, prop::collection::vec(any::<u8>(), 0..40))
            .prop_map(|(st, low, len, body)| {
                let mut v = vec![30, len, (st << 4) | low];
                v.extend(body);
                v.truncate((len as usize).max(3));
                v
            }),
        2 => (2u8..=29, 0u8..=12, prop::collection::vec(any::<u8>(), 0..12))
            .prop_map(|(kind, len, body)| {
                let mut v = vec![kind, len];
                v.extend(body);
                v
            }),
        1 => prop::collection::vec(any::<u8>(), 0..8),
    ];
    prop::collection::vec(chunk, 0..8).prop_map(|chunks| {
        let mut v: Vec<u8> = chunks.concat();
        v.truncate(60);
        v
    })
}

/// Touch every field of a decoded option, so that nothing is left unread.
fn touch(o: &MptcpOption<'_>) -> u64 {
    let mut acc = o.subtype() as u64;
    match o {
        MptcpOption::Capable(c) => {
            acc ^= c.version as u64 ^ c.flags as u64;
            acc ^= c.sender_key.unwrap_or(1) ^ c.receiver_key.unwrap_or(2);
            acc ^= c.data_len.unwrap_or(3) as u64 ^ c.checksum.unwrap_or(4) as u64;
        }
        MptcpOption::Join(Join::Syn { backup, addr_id, token, nonce }) => {
            acc ^= *backup as u64 ^ *addr_id as u64 ^ *token as u64 ^ *nonce as u64
        }
        MptcpOption::Join(Join::SynAck { backup, addr_id, hmac, nonce }) => {
            acc ^= *backup as u64 ^ *addr_id as u64 ^ hmac ^ *nonce as u64
        }
        MptcpOption::Join(Join::Ack { hmac }) => acc ^= hmac.iter().map(|b| *b as u64).sum::<u64>(),
        MptcpOption::Dss(d) => {
            acc ^= d.flags as u64 ^ d.data_ack.unwrap_or(1) ^ d.dsn.unwrap_or(2);
            acc ^= d.ssn.unwrap_or(3) as u64 ^ d.data_len.unwrap_or(4) as u64;
            acc ^= d.checksum.unwrap_or(5) as u64;
            acc ^= d.data_fin() as u64 ^ d.infinite_mapping() as u64;
        }
        MptcpOption::AddAddr(a) => {
            acc ^= a.version as u64 ^ a.flags as u64 ^ a.echo as u64 ^ a.addr_id as u64;
            acc ^= match a.addr {
                IpAddr::V4(x) => u32::from(x) as u64,
                IpAddr::V6(x) => u128::from(x) as u64,
            };
            acc ^= a.port.unwrap_or(1) as u64 ^ a.hmac.unwrap_or(2);
        }
        MptcpOption::RemoveAddr(r) => acc ^= r.addr_ids.iter().map(|b| *b as u64).sum::<u64>(),
        MptcpOption::Prio(p) => acc ^= p.backup as u64 ^ p.addr_id.unwrap_or(0) as u64,
        MptcpOption::Fail(f) => acc ^= f.dsn,
        MptcpOption::FastClose(f) => acc ^= f.receiver_key,
        MptcpOption::TcpRst(t) => acc ^= t.flags as u64 ^ t.reason as u64,
        MptcpOption::Experimental(e) => acc ^= e.nibble as u64 ^ e.data.len() as u64,
    }
    acc
}

/// The walker's invariants over one input.
fn check_walk(input: &[u8], ctx: DecodeContext) -> Result<(), TestCaseError> {
    let found: Vec<Found<'_>> = mptcp_options(input, ctx).collect();
    prop_assert_eq!(has_mptcp(input), !found.is_empty());
    let mut last: Option<usize> = None;
    for (i, f) in found.iter().enumerate() {
        // Offsets strictly increase, raw lies within the input at its offset.
        if let Some(prev) = last {
            prop_assert!(f.offset > prev, "offsets {} then {}", prev, f.offset);
        }
        last = Some(f.offset);
        prop_assert!(f.offset < input.len());
        prop_assert!(f.offset + f.raw.len() <= input.len());
        prop_assert!(!f.raw.is_empty());
        prop_assert!(std::ptr::eq(f.raw.as_ptr(), input[f.offset..].as_ptr()));
        prop_assert_eq!(f.raw, &input[f.offset..f.offset + f.raw.len()]);
        prop_assert_eq!(f.raw[0], KIND_MPTCP);
        let structural = matches!(
            f.result,
            Err(OptionError { kind: ErrorKind::MissingLength | ErrorKind::LengthTooSmall | ErrorKind::Overrun, .. })
        );
        if structural {
            // The walk cannot go on after a length it cannot trust.
            prop_assert_eq!(i, found.len() - 1);
        } else {
            // A walkable option: raw is exactly `length` bytes and decodes the same alone.
            prop_assert_eq!(f.raw.len(), f.raw[1] as usize);
            prop_assert_eq!(f.result, decode_option(f.raw, &ctx));
        }
        match f.result {
            Ok(o) => {
                let _ = touch(&o);
                prop_assert!(f.raw.len() >= 3);
                prop_assert_eq!(o.subtype() as u8, f.raw[2] >> 4);
            }
            Err(e) => {
                let _ = e.to_string();
                match e.kind {
                    ErrorKind::MissingLength => {
                        prop_assert_eq!(f.raw, &[30u8][..]);
                        prop_assert_eq!(f.offset, input.len() - 1);
                        prop_assert_eq!((e.subtype, e.len, e.available), (None, 0, 0));
                    }
                    ErrorKind::LengthTooSmall => {
                        prop_assert_eq!(f.raw.len(), 2);
                        prop_assert!(f.raw[1] < 2);
                        prop_assert_eq!((e.subtype, e.len, e.available), (None, f.raw[1], 0));
                    }
                    ErrorKind::Overrun => {
                        prop_assert_eq!(f.offset + f.raw.len(), input.len());
                        prop_assert!((f.raw[1] as usize) > f.raw.len());
                        prop_assert_eq!(e.len, f.raw[1]);
                        prop_assert_eq!(e.available as usize, f.raw.len());
                        prop_assert_eq!(e.subtype, f.raw.get(2).map(|s| s >> 4));
                    }
                    ErrorKind::NoSubtype => {
                        prop_assert_eq!(f.raw, &[30u8, 2][..]);
                        prop_assert_eq!((e.subtype, e.len, e.available), (None, 2, 0));
                    }
                    _ => {
                        prop_assert_eq!(e.subtype, Some(f.raw[2] >> 4));
                        prop_assert_eq!(e.len, f.raw[1]);
                        prop_assert_eq!(e.available, 0);
                    }
                }
            }
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 4096, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_bytes_never_panic(
        input in prop::collection::vec(any::<u8>(), 0..=60),
        ctx in arb_ctx(),
    ) {
        check_walk(&input, ctx)?;
        // Direct decoding of any byte string (as if the walker had handed it) never panics.
        let _ = decode_option(&input, &ctx).map(|o| touch(&o));
        let _ = mptcp_core::decode::decode_add_addr(&input, &ctx);
    }

    #[test]
    fn option_like_areas_never_panic(input in arb_option_area(), ctx in arb_ctx()) {
        check_walk(&input, ctx)?;
        // Every prefix: a capture cut anywhere.
        for n in 0..input.len() {
            check_walk(&input[..n], ctx)?;
        }
    }

    #[test]
    fn kind30_with_every_subtype_never_panics(
        st in 0u8..=0xf,
        low in 0u8..=0xf,
        body in prop::collection::vec(any::<u8>(), 0..=40),
        ctx in arb_ctx(),
    ) {
        let mut b = vec![30, 0, (st << 4) | low];
        b.extend(body);
        b[1] = b.len() as u8;
        let r = decode_option(&b, &ctx);
        if let Ok(o) = &r {
            let _ = touch(o);
            prop_assert_eq!(o.subtype() as u8, st);
        }
        check_walk(&b, ctx)?;
    }
}

// ---------------------------------------------------------------- round trips

fn push16(v: &mut Vec<u8>, x: u16) {
    v.extend_from_slice(&x.to_be_bytes());
}
fn push32(v: &mut Vec<u8>, x: u32) {
    v.extend_from_slice(&x.to_be_bytes());
}
fn push64(v: &mut Vec<u8>, x: u64) {
    v.extend_from_slice(&x.to_be_bytes());
}
fn finish(mut v: Vec<u8>) -> Vec<u8> {
    v[1] = v.len() as u8;
    v
}

/// Encode a DSS from field values; `d.flags` decides which fields are written.
fn encode_dss(d: &Dss, low_nibble: u8) -> Vec<u8> {
    let mut v = vec![30, 0, 0x20 | (low_nibble & 0xf), d.flags];
    if d.flags & dss_flags::DATA_ACK != 0 {
        if d.flags & dss_flags::DATA_ACK8 != 0 {
            push64(&mut v, d.data_ack.unwrap());
        } else {
            push32(&mut v, d.data_ack.unwrap() as u32);
        }
    }
    if d.flags & dss_flags::MAPPING != 0 {
        if d.flags & dss_flags::DSN8 != 0 {
            push64(&mut v, d.dsn.unwrap());
        } else {
            push32(&mut v, d.dsn.unwrap() as u32);
        }
        push32(&mut v, d.ssn.unwrap());
        push16(&mut v, d.data_len.unwrap());
        if let Some(c) = d.checksum {
            push16(&mut v, c);
        }
    }
    finish(v)
}

fn arb_dss() -> impl Strategy<Value = Dss> {
    (any::<u8>(), any::<u64>(), any::<u64>(), any::<u32>(), any::<u16>(), prop::option::of(any::<u16>())).prop_map(
        |(flags, ack, dsn, ssn, dlen, csum)| {
            let a = flags & dss_flags::DATA_ACK != 0;
            let m = flags & dss_flags::MAPPING != 0;
            let ack = if flags & dss_flags::DATA_ACK8 != 0 { ack } else { ack & 0xffff_ffff };
            let dsn = if flags & dss_flags::DSN8 != 0 { dsn } else { dsn & 0xffff_ffff };
            Dss {
                flags,
                data_ack: a.then_some(ack),
                dsn: m.then_some(dsn),
                ssn: m.then_some(ssn),
                data_len: m.then_some(dlen),
                checksum: if m { csum } else { None },
            }
        },
    )
}

/// An MP_CAPABLE and the TCP flags of the segment its length belongs to.
fn arb_capable() -> impl Strategy<Value = (Capable, u8)> {
    (0u8..=15, 0usize..5, any::<u8>(), any::<u64>(), any::<u64>(), any::<u16>(), any::<u16>(), any::<bool>()).prop_map(
        |(version, form, flags, k1, k2, dlen, csum, synack_v0)| {
            let syn = tcp_flags::SYN;
            let synack = tcp_flags::SYN | tcp_flags::ACK;
            let ack = tcp_flags::ACK;
            let mut c =
                Capable { version, flags, sender_key: None, receiver_key: None, data_len: None, checksum: None };
            let len = if version == 0 { [12, 20][form % 2] } else { [4, 12, 20, 22, 24][form] };
            if len >= 12 {
                c.sender_key = Some(k1);
            }
            if len >= 20 {
                c.receiver_key = Some(k2);
            }
            if len >= 22 {
                c.data_len = Some(dlen);
            }
            if len == 24 {
                c.checksum = Some(csum);
            }
            let tcp = match (version, len) {
                (0, 12) => {
                    if synack_v0 {
                        synack
                    } else {
                        syn
                    }
                }
                (_, 4) => syn,
                (_, 12) => synack,
                _ => ack,
            };
            (c, tcp)
        },
    )
}

fn encode_capable(c: &Capable) -> Vec<u8> {
    let mut v = vec![30, 0, c.version & 0xf, c.flags];
    if let Some(k) = c.sender_key {
        push64(&mut v, k);
    }
    if let Some(k) = c.receiver_key {
        push64(&mut v, k);
    }
    if let Some(l) = c.data_len {
        push16(&mut v, l);
    }
    if let Some(s) = c.checksum {
        push16(&mut v, s);
    }
    finish(v)
}

fn arb_join() -> impl Strategy<Value = (Join, u8, u8)> {
    let syn = (any::<bool>(), any::<u8>(), any::<u32>(), any::<u32>())
        .prop_map(|(backup, addr_id, token, nonce)| Join::Syn { backup, addr_id, token, nonce });
    let synack = (any::<bool>(), any::<u8>(), any::<u64>(), any::<u32>())
        .prop_map(|(backup, addr_id, hmac, nonce)| Join::SynAck { backup, addr_id, hmac, nonce });
    let ack = any::<[u8; 20]>().prop_map(|hmac| Join::Ack { hmac });
    (prop_oneof![syn, synack, ack], 0u8..8).prop_map(|(j, reserved)| {
        let tcp = match j {
            Join::Syn { .. } => tcp_flags::SYN,
            Join::SynAck { .. } => tcp_flags::SYN | tcp_flags::ACK,
            Join::Ack { .. } => tcp_flags::ACK,
        };
        (j, tcp, reserved)
    })
}

/// Encode an MP_JOIN; `reserved` fills the three bits next to B.
fn encode_join(j: &Join, reserved: u8) -> Vec<u8> {
    let rsv = (reserved & 7) << 1;
    match *j {
        Join::Syn { backup, addr_id, token, nonce } => {
            let mut v = vec![30, 0, 0x10 | rsv | backup as u8, addr_id];
            push32(&mut v, token);
            push32(&mut v, nonce);
            finish(v)
        }
        Join::SynAck { backup, addr_id, hmac, nonce } => {
            let mut v = vec![30, 0, 0x10 | rsv | backup as u8, addr_id];
            push64(&mut v, hmac);
            push32(&mut v, nonce);
            finish(v)
        }
        Join::Ack { hmac } => {
            let mut v = vec![30, 0, 0x10 | rsv, 0];
            v.extend_from_slice(&hmac);
            finish(v)
        }
    }
}

fn arb_ip() -> impl Strategy<Value = IpAddr> {
    prop_oneof![
        any::<u32>().prop_map(|x| IpAddr::V4(Ipv4Addr::from(x))),
        any::<u128>().prop_map(|x| IpAddr::V6(Ipv6Addr::from(x))),
    ]
}

/// An ADD_ADDR in either layout, and whether its version may be left to inference.
fn arb_add_addr() -> impl Strategy<Value = AddAddr> {
    let v0 = (any::<u8>(), arb_ip(), prop::option::of(any::<u16>())).prop_map(|(addr_id, addr, port)| AddAddr {
        version: 0,
        flags: if addr.is_ipv4() { 4 } else { 6 },
        echo: false,
        addr_id,
        addr,
        port,
        hmac: None,
    });
    let v1 = (any::<bool>(), 0u8..8, any::<u8>(), arb_ip(), prop::option::of(any::<u16>()), any::<u64>()).prop_map(
        |(echo, reserved, addr_id, addr, port, hmac)| AddAddr {
            version: 1,
            flags: (reserved << 1) | echo as u8,
            echo,
            addr_id,
            addr,
            port,
            hmac: (!echo).then_some(hmac),
        },
    );
    prop_oneof![v0, v1]
}

fn encode_add_addr(a: &AddAddr) -> Vec<u8> {
    let mut v = vec![30, 0, 0x30 | (a.flags & 0xf), a.addr_id];
    match a.addr {
        IpAddr::V4(x) => v.extend_from_slice(&x.octets()),
        IpAddr::V6(x) => v.extend_from_slice(&x.octets()),
    }
    if let Some(p) = a.port {
        push16(&mut v, p);
    }
    if let Some(h) = a.hmac {
        push64(&mut v, h);
    }
    finish(v)
}

/// Put `opts` in an option area after `pad` NOPs (and a NOP,NOP,TS when `ts`), check the
/// walk finds each at its offset with the expected decode.
fn check_in_area(
    opts: &[(Vec<u8>, MptcpOption<'_>)],
    ts: bool,
    pad: usize,
    ctx: DecodeContext,
) -> Result<(), TestCaseError> {
    let mut area = Vec::new();
    if ts {
        area.extend_from_slice(&[1, 1, 8, 10, 30, 30, 30, 30, 0, 1, 2, 30]);
    }
    area.resize(area.len() + pad, 1u8);
    let mut offsets = Vec::new();
    for (b, _) in opts {
        offsets.push(area.len());
        area.extend_from_slice(b);
    }
    let found: Vec<Found<'_>> = mptcp_options(&area, ctx).collect();
    prop_assert_eq!(found.len(), opts.len());
    for ((f, (b, want)), off) in found.iter().zip(opts).zip(offsets) {
        prop_assert_eq!(f.offset, off);
        prop_assert_eq!(f.raw, &b[..]);
        prop_assert_eq!(f.result.as_ref(), Ok(want));
    }
    check_walk(&area, ctx)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2048, ..ProptestConfig::default() })]

    #[test]
    fn dss_round_trips(d in arb_dss(), low in 0u8..16, tcp in prop::option::of(any::<u8>()),
                       version in prop::option::of(any::<u8>())) {
        let b = encode_dss(&d, low);
        let ctx = DecodeContext { version, tcp_flags: tcp };
        prop_assert_eq!(decode_option(&b, &ctx), Ok(MptcpOption::Dss(d)));
        prop_assert_eq!(d.infinite_mapping(), d.data_len == Some(0));
        check_in_area(&[(b.clone(), MptcpOption::Dss(d))], true, 0, ctx)?;
    }

    #[test]
    fn capable_round_trips((c, tcp) in arb_capable(), with_flags in any::<bool>()) {
        let b = encode_capable(&c);
        let ctx = DecodeContext { version: None, tcp_flags: with_flags.then_some(tcp) };
        prop_assert_eq!(decode_option(&b, &ctx), Ok(MptcpOption::Capable(c)));
        check_in_area(&[(b.clone(), MptcpOption::Capable(c))], false, 3, ctx)?;
    }

    #[test]
    fn join_round_trips((j, tcp, reserved) in arb_join(), with_flags in any::<bool>()) {
        let b = encode_join(&j, reserved);
        let ctx = DecodeContext { version: Some(1), tcp_flags: with_flags.then_some(tcp) };
        prop_assert_eq!(decode_option(&b, &ctx), Ok(MptcpOption::Join(j)));
        check_in_area(&[(b.clone(), MptcpOption::Join(j))], false, 1, ctx)?;
    }

    #[test]
    fn add_addr_round_trips(a in arb_add_addr(), known in any::<bool>(), higher in 1u8..=255) {
        let b = encode_add_addr(&a);
        // Known version (any non-zero version reads the v1 layout), or inferred.
        let version = if !known { None } else if a.version == 0 { Some(0) } else { Some(higher) };
        let ctx = DecodeContext { version, tcp_flags: None };
        prop_assert_eq!(decode_option(&b, &ctx), Ok(MptcpOption::AddAddr(a)));
        prop_assert_eq!(mptcp_core::decode::decode_add_addr(&b, &ctx), Ok(a));
        check_in_area(&[(b.clone(), MptcpOption::AddAddr(a))], true, 0, ctx)?;
    }

    #[test]
    fn several_options_round_trip_in_one_area(
        d in arb_dss(),
        a in arb_add_addr(),
        pad in 0usize..3,
    ) {
        // DSS + ADD_ADDR (as in a data segment announcing an address), version known.
        let ctx = DecodeContext {
            version: Some(a.version),
            tcp_flags: Some(tcp_flags::ACK),
        };
        let opts = [
            (encode_dss(&d, 0), MptcpOption::Dss(d)),
            (encode_add_addr(&a), MptcpOption::AddAddr(a)),
        ];
        let total: usize = opts.iter().map(|(b, _)| b.len()).sum::<usize>() + pad;
        // Not bounded to 40 bytes: the walker itself does not care.
        prop_assert!(total <= 60);
        check_in_area(&opts, false, pad, ctx)?;
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 4096, ..ProptestConfig::default() })]

    /// `walk::has_mptcp`, the pre-check of every handshake, finds a kind-30 option exactly
    /// when the option walk finds one: on arbitrary option bytes, and on bytes made of
    /// arbitrary kinds and lengths around a kind 30.
    #[test]
    fn has_mptcp_agrees_with_the_walk(bytes in prop::collection::vec(any::<u8>(), 0..40),
                                      parts in prop::collection::vec((prop_oneof![Just(0u8), Just(1), Just(30), Just(8), any::<u8>()], 0u8..12), 0..10)) {
        let built: Vec<u8> = parts.iter().flat_map(|&(k, l)| {
            let mut v = vec![k, l];
            v.resize(usize::from(l.max(2)), 0);
            v
        }).collect();
        for b in [&bytes, &built] {
            let walk = walk::mptcp_options(b, DecodeContext::default()).next().is_some();
            prop_assert_eq!(walk::has_mptcp(b), walk, "{:?}", b);
        }
    }
}
