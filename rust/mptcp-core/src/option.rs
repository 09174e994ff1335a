//! Decoded MPTCP options: plain values, no allocation, borrowing only the
//! variable-length parts (REMOVE_ADDR ids, MP_EXPERIMENTAL payload) from the packet.

use std::net::IpAddr;

/// MPTCP option subtypes (RFC 6824 §3, RFC 8684 §3 and the IANA registry).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[repr(u8)]
pub enum Subtype {
    Capable = 0,
    Join = 1,
    Dss = 2,
    AddAddr = 3,
    RemoveAddr = 4,
    Prio = 5,
    Fail = 6,
    FastClose = 7,
    TcpRst = 8,
    Experimental = 0xf,
}

impl Subtype {
    /// The subtype for a 4-bit value, `None` for the unassigned values 9..=0xe.
    pub fn from_nibble(v: u8) -> Option<Subtype> {
        Some(match v {
            0 => Subtype::Capable,
            1 => Subtype::Join,
            2 => Subtype::Dss,
            3 => Subtype::AddAddr,
            4 => Subtype::RemoveAddr,
            5 => Subtype::Prio,
            6 => Subtype::Fail,
            7 => Subtype::FastClose,
            8 => Subtype::TcpRst,
            0xf => Subtype::Experimental,
            _ => return None,
        })
    }

    /// The name used in logs and events (`MP_CAPABLE`, `DSS`, ...).
    pub fn name(self) -> &'static str {
        match self {
            Subtype::Capable => "MP_CAPABLE",
            Subtype::Join => "MP_JOIN",
            Subtype::Dss => "DSS",
            Subtype::AddAddr => "ADD_ADDR",
            Subtype::RemoveAddr => "REMOVE_ADDR",
            Subtype::Prio => "MP_PRIO",
            Subtype::Fail => "MP_FAIL",
            Subtype::FastClose => "MP_FASTCLOSE",
            Subtype::TcpRst => "MP_TCPRST",
            Subtype::Experimental => "MP_EXPERIMENTAL",
        }
    }
}

/// MP_CAPABLE flag bits (the byte at index 3, after kind, length and subtype/version).
pub mod capable_flags {
    /// A: checksum required.
    pub const CHECKSUM: u8 = 0x80;
    /// B: extensibility.
    pub const EXTENSIBILITY: u8 = 0x40;
    /// C (v1 only): do not open subflows to the sender's source address.
    pub const NO_MORE_SUBFLOWS: u8 = 0x20;
    /// H: HMAC-SHA1 (v0) or HMAC-SHA256 (v1).
    pub const HMAC: u8 = 0x01;
}

/// MP_CAPABLE (subtype 0).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Capable {
    pub version: u8,
    pub flags: u8,
    /// Present at lengths 12, 20, 22, 24 (v1: the SYN/ACK carries the receiver's key as "sender").
    pub sender_key: Option<u64>,
    /// Present at lengths 20, 22, 24 (third ACK or first data).
    pub receiver_key: Option<u64>,
    /// v1 lengths 22 and 24: data-level length of the first data.
    pub data_len: Option<u16>,
    /// v1 length 24: DSS checksum of the first data.
    pub checksum: Option<u16>,
}

/// MP_JOIN (subtype 1), one of the three handshake forms, told apart by length.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Join {
    /// SYN, length 12.
    Syn { backup: bool, addr_id: u8, token: u32, nonce: u32 },
    /// SYN/ACK, length 16: the leftmost 64 bits of the responder's HMAC.
    SynAck { backup: bool, addr_id: u8, hmac: u64, nonce: u32 },
    /// Third ACK, length 24: the initiator's full 160-bit HMAC.
    Ack { hmac: [u8; 20] },
}

/// DSS flag bits (the byte at index 3).
pub mod dss_flags {
    /// A: data ACK present.
    pub const DATA_ACK: u8 = 0x01;
    /// a: data ACK is 8 bytes.
    pub const DATA_ACK8: u8 = 0x02;
    /// M: mapping (DSN, subflow sequence number, data-level length) present.
    pub const MAPPING: u8 = 0x04;
    /// m: DSN is 8 bytes.
    pub const DSN8: u8 = 0x08;
    /// F: DATA_FIN.
    pub const DATA_FIN: u8 = 0x10;
}

/// DSS (subtype 2). Sequence numbers are as carried: 4-byte values are not expanded.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Dss {
    pub flags: u8,
    pub data_ack: Option<u64>,
    pub dsn: Option<u64>,
    pub ssn: Option<u32>,
    pub data_len: Option<u16>,
    pub checksum: Option<u16>,
}

impl Dss {
    pub fn data_fin(&self) -> bool {
        self.flags & dss_flags::DATA_FIN != 0
    }
    pub fn data_ack8(&self) -> bool {
        self.flags & dss_flags::DATA_ACK8 != 0
    }
    pub fn dsn8(&self) -> bool {
        self.flags & dss_flags::DSN8 != 0
    }
    /// A mapping with data-level length 0: the infinite mapping of a fallback.
    pub fn infinite_mapping(&self) -> bool {
        self.dsn.is_some() && self.data_len == Some(0)
    }
}

/// ADD_ADDR (subtype 3) in either layout.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct AddAddr {
    /// The layout decoded: 0 (RFC 6824, IP-version nibble) or 1 (RFC 8684, echo flag + HMAC).
    pub version: u8,
    /// The low nibble of the third byte: the IP version (v0) or the flags (v1).
    pub flags: u8,
    pub echo: bool,
    pub addr_id: u8,
    pub addr: IpAddr,
    pub port: Option<u16>,
    /// v1 announcements (not echoes): the rightmost 64 bits of the HMAC.
    pub hmac: Option<u64>,
}

/// REMOVE_ADDR (subtype 4): one or more address ids.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RemoveAddr<'a> {
    pub addr_ids: &'a [u8],
}

/// MP_PRIO (subtype 5): length 3, or 4 with an address id (RFC 6824 only).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Prio {
    pub backup: bool,
    pub addr_id: Option<u8>,
}

/// MP_FAIL (subtype 6): the DSN at which the checksum failed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Fail {
    pub dsn: u64,
}

/// MP_FASTCLOSE (subtype 7): the option receiver's key.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FastClose {
    pub receiver_key: u64,
}

/// MP_TCPRST flag bits (low nibble of the third byte).
pub mod tcprst_flags {
    pub const U: u8 = 0x8;
    pub const V: u8 = 0x4;
    pub const W: u8 = 0x2;
    pub const T: u8 = 0x1;
}

/// MP_TCPRST (subtype 8, RFC 8684 §3.6).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TcpRst {
    pub flags: u8,
    pub reason: u8,
}

/// MP_EXPERIMENTAL (subtype 0xf): passed through undecoded.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Experimental<'a> {
    /// The low nibble of the third byte.
    pub nibble: u8,
    /// The option's bytes after the subtype byte.
    pub data: &'a [u8],
}

/// One decoded MPTCP option.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MptcpOption<'a> {
    Capable(Capable),
    Join(Join),
    Dss(Dss),
    AddAddr(AddAddr),
    RemoveAddr(RemoveAddr<'a>),
    Prio(Prio),
    Fail(Fail),
    FastClose(FastClose),
    TcpRst(TcpRst),
    Experimental(Experimental<'a>),
}

impl MptcpOption<'_> {
    pub fn subtype(&self) -> Subtype {
        match self {
            MptcpOption::Capable(_) => Subtype::Capable,
            MptcpOption::Join(_) => Subtype::Join,
            MptcpOption::Dss(_) => Subtype::Dss,
            MptcpOption::AddAddr(_) => Subtype::AddAddr,
            MptcpOption::RemoveAddr(_) => Subtype::RemoveAddr,
            MptcpOption::Prio(_) => Subtype::Prio,
            MptcpOption::Fail(_) => Subtype::Fail,
            MptcpOption::FastClose(_) => Subtype::FastClose,
            MptcpOption::TcpRst(_) => Subtype::TcpRst,
            MptcpOption::Experimental(_) => Subtype::Experimental,
        }
    }
}
