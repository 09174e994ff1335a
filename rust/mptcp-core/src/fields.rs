//! One MPTCP option as a flat set of optional fields: the columns of
//! `mptcp_options.log` and of the Zeek record `MPTCP::Option`. Both the offline runner
//! and the Zeek plugin build their rows from this, so they cannot drift apart.

use crate::option::{Join, MptcpOption, Subtype};
use crate::walk::Found;
use std::fmt::Write as _;
use std::net::IpAddr;

/// The option's fields; `None` where the option does not carry the field.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct OptionFields<'a> {
    /// `MP_CAPABLE` ... `MP_EXPERIMENTAL`, or `UNKNOWN` for an unassigned or unreadable subtype.
    pub subtype: &'static str,
    /// The raw 4-bit subtype, when the option had one.
    pub subtype_raw: Option<u8>,
    /// The option's length byte (0 when it had none).
    pub len: u8,
    /// MP_CAPABLE version; for ADD_ADDR the layout decoded (0 or 1).
    pub version: Option<u8>,
    /// MP_CAPABLE and DSS: the flags byte; MP_JOIN (SYN, SYN/ACK), ADD_ADDR, MP_PRIO,
    /// MP_TCPRST, MP_EXPERIMENTAL: the low nibble of the third byte.
    pub flags: Option<u8>,
    pub sender_key: Option<u64>,
    /// MP_CAPABLE's receiver key; MP_FASTCLOSE's key.
    pub receiver_key: Option<u64>,
    pub token: Option<u32>,
    pub nonce: Option<u32>,
    /// Lowercase hex: 16 digits (MP_JOIN SYN/ACK, v1 ADD_ADDR) or 40 (MP_JOIN third ACK).
    pub hmac: Option<String>,
    pub addr_id: Option<u8>,
    pub addr: Option<IpAddr>,
    pub port: Option<u16>,
    pub echo: Option<bool>,
    pub backup: Option<bool>,
    pub data_ack: Option<u64>,
    /// DSS data sequence number; MP_FAIL's DSN.
    pub dsn: Option<u64>,
    pub ssn: Option<u32>,
    /// Data-level length (DSS, MP_CAPABLE with data).
    pub dll: Option<u16>,
    pub checksum: Option<u16>,
    pub data_fin: Option<bool>,
    /// REMOVE_ADDR's address ids.
    pub addr_ids: Option<&'a [u8]>,
    /// MP_TCPRST reason.
    pub reason: Option<u8>,
    /// Why the option is malformed.
    pub error: Option<String>,
}

fn hex(bytes: &[u8]) -> String {
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        let _ = write!(s, "{b:02x}");
    }
    s
}

impl<'a> OptionFields<'a> {
    /// The fields of one option found by the walker.
    pub fn from_found(found: &Found<'a>) -> Self {
        let mut f = OptionFields {
            len: found.raw.get(1).copied().unwrap_or(0),
            subtype: "UNKNOWN",
            subtype_raw: found.raw.get(2).map(|b| b >> 4).filter(|_| found.raw.len() >= 3),
            ..Default::default()
        };
        let nibble = found.raw.get(2).map(|b| b & 0x0f).unwrap_or(0);
        let opt = match &found.result {
            Err(e) => {
                f.subtype_raw = e.subtype;
                f.subtype = e.subtype.and_then(Subtype::from_nibble).map_or("UNKNOWN", Subtype::name);
                f.error = Some(e.to_string());
                return f;
            }
            Ok(o) => o,
        };
        f.subtype = opt.subtype().name();
        match opt {
            MptcpOption::Capable(o) => {
                f.version = Some(o.version);
                f.flags = Some(o.flags);
                f.sender_key = o.sender_key;
                f.receiver_key = o.receiver_key;
                f.dll = o.data_len;
                f.checksum = o.checksum;
            }
            MptcpOption::Join(j) => match *j {
                Join::Syn { backup, addr_id, token, nonce } => {
                    f.flags = Some(nibble);
                    f.backup = Some(backup);
                    f.addr_id = Some(addr_id);
                    f.token = Some(token);
                    f.nonce = Some(nonce);
                }
                Join::SynAck { backup, addr_id, hmac, nonce } => {
                    f.flags = Some(nibble);
                    f.backup = Some(backup);
                    f.addr_id = Some(addr_id);
                    f.hmac = Some(format!("{hmac:016x}"));
                    f.nonce = Some(nonce);
                }
                Join::Ack { hmac } => f.hmac = Some(hex(&hmac)),
            },
            MptcpOption::Dss(d) => {
                f.flags = Some(d.flags);
                f.data_ack = d.data_ack;
                f.dsn = d.dsn;
                f.ssn = d.ssn;
                f.dll = d.data_len;
                f.checksum = d.checksum;
                f.data_fin = Some(d.data_fin());
            }
            MptcpOption::AddAddr(a) => {
                f.version = Some(a.version);
                f.flags = Some(a.flags);
                f.addr_id = Some(a.addr_id);
                f.addr = Some(a.addr);
                f.port = a.port;
                f.echo = Some(a.echo);
                f.hmac = a.hmac.map(|h| format!("{h:016x}"));
            }
            MptcpOption::RemoveAddr(r) => f.addr_ids = Some(r.addr_ids),
            MptcpOption::Prio(p) => {
                f.flags = Some(nibble);
                f.backup = Some(p.backup);
                f.addr_id = p.addr_id;
            }
            MptcpOption::Fail(x) => f.dsn = Some(x.dsn),
            MptcpOption::FastClose(x) => f.receiver_key = Some(x.receiver_key),
            MptcpOption::TcpRst(r) => {
                f.flags = Some(r.flags);
                f.reason = Some(r.reason);
            }
            MptcpOption::Experimental(e) => f.flags = Some(e.nibble),
        }
        f
    }
}
