//! `mptcp_options.log`: one row per MPTCP option, with exactly the columns the Zeek
//! package's `options-log` policy script writes.

use crate::segment::Segment;
use crate::zeeklog::{Cell, ZeekLog};
use mptcp_core::{Found, Join, MptcpOption, Subtype};
use std::fmt::Write as _;

pub const COLUMNS: &[(&str, &str)] = &[
    ("frame", "count"),
    ("ts", "time"),
    ("src_h", "addr"),
    ("src_p", "port"),
    ("dst_h", "addr"),
    ("dst_p", "port"),
    ("subtype", "string"),
    ("len", "count"),
    ("version", "count"),
    ("flags", "count"),
    ("sender_key", "count"),
    ("receiver_key", "count"),
    ("token", "count"),
    ("nonce", "count"),
    ("hmac", "string"),
    ("addr_id", "count"),
    ("addr", "addr"),
    ("port", "port"),
    ("echo", "bool"),
    ("backup", "bool"),
    ("data_ack", "count"),
    ("dsn", "count"),
    ("ssn", "count"),
    ("dll", "count"),
    ("checksum", "count"),
    ("data_fin", "bool"),
    ("addr_ids", "vector[count]"),
    ("reason", "count"),
    ("error", "string"),
];

fn hex(bytes: &[u8]) -> String {
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        let _ = write!(s, "{b:02x}");
    }
    s
}

/// Write the row for one option found in `seg`.
pub fn write_row(log: &mut ZeekLog, frame: u64, ts: f64, seg: &Segment<'_>, found: &Found<'_>) -> std::io::Result<()> {
    use Cell::*;
    let mut c: [Cell; 29] = std::array::from_fn(|_| Unset);
    c[0] = Count(frame);
    c[1] = Time(ts);
    c[2] = Addr(seg.src);
    c[3] = Port(seg.sport);
    c[4] = Addr(seg.dst);
    c[5] = Port(seg.dport);
    c[7] = Count(found.raw.get(1).copied().unwrap_or(0) as u64);
    match &found.result {
        Err(e) => {
            let name = e.subtype.and_then(Subtype::from_nibble).map(Subtype::name).unwrap_or("UNKNOWN");
            c[6] = Str(name);
            c[28] = String(e.to_string());
        }
        Ok(opt) => {
            c[6] = Str(opt.subtype().name());
            match opt {
                MptcpOption::Capable(o) => {
                    c[8] = Count(o.version as u64);
                    c[9] = Count(o.flags as u64);
                    if let Some(k) = o.sender_key {
                        c[10] = Count(k);
                    }
                    if let Some(k) = o.receiver_key {
                        c[11] = Count(k);
                    }
                    if let Some(v) = o.data_len {
                        c[23] = Count(v as u64);
                    }
                    if let Some(v) = o.checksum {
                        c[24] = Count(v as u64);
                    }
                }
                MptcpOption::Join(j) => {
                    let nibble = (found.raw[2] & 0x0f) as u64;
                    match j {
                        Join::Syn { backup, addr_id, token, nonce } => {
                            c[9] = Count(nibble);
                            c[19] = Bool(*backup);
                            c[15] = Count(*addr_id as u64);
                            c[12] = Count(*token as u64);
                            c[13] = Count(*nonce as u64);
                        }
                        Join::SynAck { backup, addr_id, hmac, nonce } => {
                            c[9] = Count(nibble);
                            c[19] = Bool(*backup);
                            c[15] = Count(*addr_id as u64);
                            c[14] = String(format!("{hmac:016x}"));
                            c[13] = Count(*nonce as u64);
                        }
                        Join::Ack { hmac } => {
                            c[14] = String(hex(hmac));
                        }
                    }
                }
                MptcpOption::Dss(d) => {
                    c[9] = Count(d.flags as u64);
                    if let Some(v) = d.data_ack {
                        c[20] = Count(v);
                    }
                    if let Some(v) = d.dsn {
                        c[21] = Count(v);
                    }
                    if let Some(v) = d.ssn {
                        c[22] = Count(v as u64);
                    }
                    if let Some(v) = d.data_len {
                        c[23] = Count(v as u64);
                    }
                    if let Some(v) = d.checksum {
                        c[24] = Count(v as u64);
                    }
                    c[25] = Bool(d.data_fin());
                }
                MptcpOption::AddAddr(a) => {
                    c[8] = Count(a.version as u64);
                    c[9] = Count(a.flags as u64);
                    c[15] = Count(a.addr_id as u64);
                    c[16] = Addr(a.addr);
                    if let Some(p) = a.port {
                        c[17] = Port(p);
                    }
                    c[18] = Bool(a.echo);
                    if let Some(h) = a.hmac {
                        c[14] = String(format!("{h:016x}"));
                    }
                }
                MptcpOption::RemoveAddr(r) => {
                    c[26] = Counts(r.addr_ids);
                }
                MptcpOption::Prio(p) => {
                    c[9] = Count((found.raw[2] & 0x0f) as u64);
                    c[19] = Bool(p.backup);
                    if let Some(id) = p.addr_id {
                        c[15] = Count(id as u64);
                    }
                }
                MptcpOption::Fail(f) => {
                    c[21] = Count(f.dsn);
                }
                MptcpOption::FastClose(f) => {
                    c[11] = Count(f.receiver_key);
                }
                MptcpOption::TcpRst(r) => {
                    c[9] = Count(r.flags as u64);
                    c[27] = Count(r.reason as u64);
                }
                MptcpOption::Experimental(e) => {
                    c[9] = Count(e.nibble as u64);
                }
            }
        }
    }
    log.write(&c)
}
