//! Decoding of one MPTCP option (TCP option kind 30), every subtype of RFC 6824 (v0)
//! and RFC 8684 (v1). Lengths are checked against the subtype, its flags and, when the
//! caller knows them, the segment's TCP flags. Nothing here allocates or panics: every
//! read is bounds-checked by the length checks that precede it.

use crate::error::{ErrorKind, OptionError};
use crate::option::*;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

/// TCP header flag bits, as in the TCP header's flags byte.
pub mod tcp_flags {
    pub const FIN: u8 = 0x01;
    pub const SYN: u8 = 0x02;
    pub const RST: u8 = 0x04;
    pub const PSH: u8 = 0x08;
    pub const ACK: u8 = 0x10;
}

/// What the decoder may know about the option's surroundings.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct DecodeContext {
    /// The MPTCP version of the connection, when its MP_CAPABLE was seen. It decides the
    /// ADD_ADDR layout; when unknown, the layout is inferred (see [`decode_add_addr`]).
    pub version: Option<u8>,
    /// The segment's TCP flags, when known. They decide which MP_CAPABLE and MP_JOIN
    /// lengths are valid (SYN, SYN/ACK and third-ACK forms).
    pub tcp_flags: Option<u8>,
}

// One bounds check and one load each (the callers' length checks make them never fail).
#[inline(always)]
fn be16(b: &[u8], at: usize) -> u16 {
    b.get(at..at + 2).and_then(|s| s.try_into().ok()).map_or(0, u16::from_be_bytes)
}
#[inline(always)]
pub(crate) fn be32(b: &[u8], at: usize) -> u32 {
    b.get(at..at + 4).and_then(|s| s.try_into().ok()).map_or(0, u32::from_be_bytes)
}
#[inline(always)]
pub(crate) fn be64(b: &[u8], at: usize) -> u64 {
    b.get(at..at + 8).and_then(|s| s.try_into().ok()).map_or(0, u64::from_be_bytes)
}

/// Decode one MPTCP option. `opt` is the whole option: kind (30), length, then the
/// rest, with `opt.len()` equal to the length byte (the walker guarantees this).
#[inline(always)]
pub fn decode_option<'a>(opt: &'a [u8], ctx: &DecodeContext) -> Result<MptcpOption<'a>, OptionError> {
    let len = opt.len();
    let len8 = len.min(255) as u8;
    if len < 3 {
        return Err(OptionError::new(ErrorKind::NoSubtype, None, len8));
    }
    let raw_subtype = opt[2] >> 4;
    let st = Some(raw_subtype);
    let bad = |kind| Err(OptionError::new(kind, st, len8));
    let Some(subtype) = Subtype::from_nibble(raw_subtype) else {
        return bad(ErrorKind::UnknownSubtype);
    };
    match subtype {
        Subtype::Capable => decode_capable(opt, ctx).map(MptcpOption::Capable),
        Subtype::Join => decode_join(opt, ctx).map(MptcpOption::Join),
        Subtype::Dss => decode_dss(opt).map(MptcpOption::Dss),
        Subtype::AddAddr => decode_add_addr(opt, ctx).map(MptcpOption::AddAddr),
        Subtype::RemoveAddr => {
            if len < 4 {
                return bad(ErrorKind::BadLength);
            }
            Ok(MptcpOption::RemoveAddr(RemoveAddr { addr_ids: &opt[3..] }))
        }
        Subtype::Prio => match len {
            3 => Ok(MptcpOption::Prio(Prio { backup: opt[2] & 1 != 0, addr_id: None })),
            4 => Ok(MptcpOption::Prio(Prio { backup: opt[2] & 1 != 0, addr_id: Some(opt[3]) })),
            _ => bad(ErrorKind::BadLength),
        },
        Subtype::Fail => {
            if len != 12 {
                return bad(ErrorKind::BadLength);
            }
            Ok(MptcpOption::Fail(Fail { dsn: be64(opt, 4) }))
        }
        Subtype::FastClose => {
            if len != 12 {
                return bad(ErrorKind::BadLength);
            }
            Ok(MptcpOption::FastClose(FastClose { receiver_key: be64(opt, 4) }))
        }
        Subtype::TcpRst => {
            if len != 4 {
                return bad(ErrorKind::BadLength);
            }
            Ok(MptcpOption::TcpRst(TcpRst { flags: opt[2] & 0x0f, reason: opt[3] }))
        }
        Subtype::Experimental => Ok(MptcpOption::Experimental(Experimental { nibble: opt[2] & 0x0f, data: &opt[3..] })),
    }
}

#[inline]
fn decode_capable(opt: &[u8], ctx: &DecodeContext) -> Result<Capable, OptionError> {
    let len = opt.len();
    let err = |kind| OptionError::new(kind, Some(0), len.min(255) as u8);
    if len < 4 {
        return Err(err(ErrorKind::BadLength));
    }
    let version = opt[2] & 0x0f;
    let valid = if version == 0 { matches!(len, 12 | 20) } else { matches!(len, 4 | 12 | 20 | 22 | 24) };
    if !valid {
        return Err(err(ErrorKind::BadLength));
    }
    if let Some(f) = ctx.tcp_flags {
        let syn = f & tcp_flags::SYN != 0;
        let ack = f & tcp_flags::ACK != 0;
        let ok = match (version, len) {
            (0, 12) => syn,
            (_, 4) => syn && !ack,
            (_, 12) => syn && ack,
            _ => !syn,
        };
        if !ok {
            return Err(err(ErrorKind::LengthMismatch));
        }
    }
    Ok(Capable {
        version,
        flags: opt[3],
        sender_key: (len >= 12).then(|| be64(opt, 4)),
        receiver_key: (len >= 20).then(|| be64(opt, 12)),
        data_len: (len >= 22).then(|| be16(opt, 20)),
        checksum: (len == 24).then(|| be16(opt, 22)),
    })
}

#[inline]
fn decode_join(opt: &[u8], ctx: &DecodeContext) -> Result<Join, OptionError> {
    let len = opt.len();
    let err = |kind| OptionError::new(kind, Some(1), len.min(255) as u8);
    if !matches!(len, 12 | 16 | 24) {
        return Err(err(ErrorKind::BadLength));
    }
    if let Some(f) = ctx.tcp_flags {
        let syn = f & tcp_flags::SYN != 0;
        let ack = f & tcp_flags::ACK != 0;
        let ok = match len {
            12 => syn && !ack,
            16 => syn && ack,
            _ => !syn,
        };
        if !ok {
            return Err(err(ErrorKind::LengthMismatch));
        }
    }
    let backup = opt[2] & 1 != 0;
    Ok(match len {
        12 => Join::Syn { backup, addr_id: opt[3], token: be32(opt, 4), nonce: be32(opt, 8) },
        16 => Join::SynAck { backup, addr_id: opt[3], hmac: be64(opt, 4), nonce: be32(opt, 12) },
        _ => {
            let mut hmac = [0u8; 20];
            hmac.copy_from_slice(&opt[4..24]);
            Join::Ack { hmac }
        }
    })
}

/// The DSS length its flags call for, without the optional checksum.
#[inline]
pub fn dss_expected_len(flags: u8) -> usize {
    let mut n = 4;
    if flags & dss_flags::DATA_ACK != 0 {
        n += if flags & dss_flags::DATA_ACK8 != 0 { 8 } else { 4 };
    }
    if flags & dss_flags::MAPPING != 0 {
        n += if flags & dss_flags::DSN8 != 0 { 8 } else { 4 };
        n += 6; // subflow sequence number + data-level length
    }
    n
}

/// DSS alone (the tracker's fast path for data segments).
#[inline(always)]
pub(crate) fn decode_dss(opt: &[u8]) -> Result<Dss, OptionError> {
    let len = opt.len();
    let err = |kind| OptionError::new(kind, Some(2), len.min(255) as u8);
    if len < 4 {
        return Err(err(ErrorKind::BadLength));
    }
    let flags = opt[3];
    let exp = dss_expected_len(flags);
    let mapping = flags & dss_flags::MAPPING != 0;
    let has_checksum = mapping && len == exp + 2;
    if len != exp && !has_checksum {
        return Err(err(ErrorKind::LengthMismatch));
    }
    let mut at = 4;
    let mut dss = Dss { flags, data_ack: None, dsn: None, ssn: None, data_len: None, checksum: None };
    if flags & dss_flags::DATA_ACK != 0 {
        if flags & dss_flags::DATA_ACK8 != 0 {
            dss.data_ack = Some(be64(opt, at));
            at += 8;
        } else {
            dss.data_ack = Some(be32(opt, at) as u64);
            at += 4;
        }
    }
    if mapping {
        if flags & dss_flags::DSN8 != 0 {
            dss.dsn = Some(be64(opt, at));
            at += 8;
        } else {
            dss.dsn = Some(be32(opt, at) as u64);
            at += 4;
        }
        dss.ssn = Some(be32(opt, at));
        dss.data_len = Some(be16(opt, at + 4));
        at += 6;
        if has_checksum {
            dss.checksum = Some(be16(opt, at));
        }
    }
    Ok(dss)
}

/// ADD_ADDR in the v0 layout (RFC 6824: IP-version nibble, no HMAC; lengths 8, 10, 20, 22)
/// or the v1 layout (RFC 8684: echo flag; announcements carry a 64-bit HMAC: lengths 16,
/// 18, 28, 30; echoes 8, 10, 20, 22).
///
/// When the connection's version is unknown (its MP_CAPABLE was not seen): lengths 16,
/// 18, 28 and 30 exist only in v1; for 8, 10, 20 and 22 a nibble of 4 or 6 is read as a
/// v0 IP version (both are reserved-bit patterns in v1), and a nibble with the echo bit
/// set as a v1 echo. Anything else fits neither layout.
#[inline]
pub fn decode_add_addr(opt: &[u8], ctx: &DecodeContext) -> Result<AddAddr, OptionError> {
    let len = opt.len();
    let err = |kind| OptionError::new(kind, Some(3), len.min(255) as u8);
    let short = matches!(len, 8 | 10 | 20 | 22);
    let long = matches!(len, 16 | 18 | 28 | 30);
    if !short && !long {
        return Err(err(ErrorKind::BadLength));
    }
    let nibble = opt[2] & 0x0f;
    let version = match ctx.version {
        Some(0) => 0,
        Some(_) => 1,
        None if long => 1,
        None if nibble == 4 || nibble == 6 => 0,
        None if nibble & 1 != 0 => 1,
        None => return Err(err(ErrorKind::BadAddress)),
    };
    let addr_id = opt[3];
    let read_addr = |v6: bool| -> IpAddr {
        if v6 {
            let mut a = [0u8; 16];
            a.copy_from_slice(&opt[4..20]);
            IpAddr::V6(Ipv6Addr::from(a))
        } else {
            IpAddr::V4(Ipv4Addr::new(opt[4], opt[5], opt[6], opt[7]))
        }
    };
    if version == 0 {
        let v6 = match (nibble, len) {
            (4, 8 | 10) => false,
            (6, 20 | 22) => true,
            (4 | 6, _) => return Err(err(ErrorKind::LengthMismatch)),
            _ => return Err(err(ErrorKind::BadAddress)),
        };
        let alen = if v6 { 20 } else { 8 };
        return Ok(AddAddr {
            version: 0,
            flags: nibble,
            echo: false,
            addr_id,
            addr: read_addr(v6),
            port: (len == alen + 2).then(|| be16(opt, alen)),
            hmac: None,
        });
    }
    let echo = nibble & 1 != 0;
    if echo != short {
        // An echo carries no HMAC; an announcement must.
        return Err(err(ErrorKind::LengthMismatch));
    }
    let body = if echo { len } else { len - 8 };
    let v6 = body >= 20;
    let alen = if v6 { 20 } else { 8 };
    Ok(AddAddr {
        version: 1,
        flags: nibble,
        echo,
        addr_id,
        addr: read_addr(v6),
        port: (body == alen + 2).then(|| be16(opt, alen)),
        hmac: (!echo).then(|| be64(opt, body)),
    })
}
