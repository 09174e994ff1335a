//! `mptcp_options.log`: one row per MPTCP option, with exactly the columns the Zeek
//! package's `options-log` policy script writes.

use crate::segment::Segment;
use crate::zeeklog::{Cell, ZeekLog};
use mptcp_core::fields::OptionFields;
use mptcp_core::Found;

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

/// Write the row for one option found in `seg`.
pub fn write_row(log: &mut ZeekLog, frame: u64, ts: f64, seg: &Segment<'_>, found: &Found<'_>) -> std::io::Result<()> {
    let f = OptionFields::from_found(found);
    let count = |v: Option<u64>| v.map_or(Cell::Unset, Cell::Count);
    let flag = |v: Option<bool>| v.map_or(Cell::Unset, Cell::Bool);
    log.write(&[
        Cell::Count(frame),
        Cell::Time(ts),
        Cell::Addr(seg.src),
        Cell::Port(seg.sport),
        Cell::Addr(seg.dst),
        Cell::Port(seg.dport),
        Cell::Str(f.subtype),
        Cell::Count(f.len as u64),
        count(f.version.map(u64::from)),
        count(f.flags.map(u64::from)),
        count(f.sender_key),
        count(f.receiver_key),
        count(f.token.map(u64::from)),
        count(f.nonce.map(u64::from)),
        f.hmac.map_or(Cell::Unset, Cell::String),
        count(f.addr_id.map(u64::from)),
        f.addr.map_or(Cell::Unset, Cell::Addr),
        f.port.map_or(Cell::Unset, Cell::Port),
        flag(f.echo),
        flag(f.backup),
        count(f.data_ack),
        count(f.dsn),
        count(f.ssn.map(u64::from)),
        count(f.dll.map(u64::from)),
        count(f.checksum.map(u64::from)),
        flag(f.data_fin),
        f.addr_ids.map_or(Cell::Unset, Cell::Counts),
        count(f.reason.map(u64::from)),
        f.error.map_or(Cell::Unset, Cell::String),
    ])
}
