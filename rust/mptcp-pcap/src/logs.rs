//! The runner's logs, with the same columns as the Zeek package's: `mptcp.log` (one row
//! per subflow), `mptcp_conn.log` (one row per MPTCP connection), `notice.log` (Zeek's
//! notice columns that apply) and, on request, `mptcp_options.log`.

use crate::zeeklog::{Cell, ZeekLog};
use mptcp_core::tracker::{ConnSummary, Finding, FlowTuple, SubflowSummary};
use std::io;
use std::path::Path;

pub const MPTCP_COLUMNS: &[(&str, &str)] = &[
    ("ts", "time"),
    ("uid", "string"),
    ("id.orig_h", "addr"),
    ("id.orig_p", "port"),
    ("id.resp_h", "addr"),
    ("id.resp_p", "port"),
    ("mptcp_id", "count"),
    ("initial", "bool"),
    ("version", "count"),
    ("established", "bool"),
    ("linked_by", "string"),
    ("join_auth", "string"),
    ("token", "count"),
    ("addr_id", "count"),
    ("backup", "bool"),
    ("fallback", "string"),
    ("tcprst_reason", "count"),
    ("fastclose", "bool"),
    ("reset", "bool"),
];

pub const CONN_COLUMNS: &[(&str, &str)] = &[
    ("ts", "time"),
    ("uid", "string"),
    ("id.orig_h", "addr"),
    ("id.orig_p", "port"),
    ("id.resp_h", "addr"),
    ("id.resp_p", "port"),
    ("mptcp_id", "count"),
    ("duration", "interval"),
    ("version", "count"),
    ("checksum", "bool"),
    ("orig_token", "count"),
    ("resp_token", "count"),
    ("subflows_attempted", "count"),
    ("subflows_established", "count"),
    ("addrs_advertised", "vector[string]"),
    ("addrs_removed", "count"),
    ("close_reason", "string"),
    ("orig_bytes", "count"),
    ("resp_bytes", "count"),
    ("missed_bytes", "count"),
    ("dup_bytes", "count"),
];

pub const NOTICE_COLUMNS: &[(&str, &str)] = &[
    ("ts", "time"),
    ("uid", "string"),
    ("id.orig_h", "addr"),
    ("id.orig_p", "port"),
    ("id.resp_h", "addr"),
    ("id.resp_p", "port"),
    ("note", "enum"),
    ("msg", "string"),
    ("sub", "string"),
    ("src", "addr"),
    ("dst", "addr"),
    ("n", "count"),
];

/// weird.log, for the data-level problems (Zeek writes the same rows among its own).
pub const WEIRD_COLUMNS: &[(&str, &str)] = &[
    ("ts", "time"),
    ("uid", "string"),
    ("id.orig_h", "addr"),
    ("id.orig_p", "port"),
    ("id.resp_h", "addr"),
    ("id.resp_p", "port"),
    ("name", "string"),
    ("addl", "string"),
    ("notice", "bool"),
    ("peer", "string"),
    ("source", "string"),
];

pub struct Logs {
    pub options: Option<ZeekLog>,
    mptcp: ZeekLog,
    conn: ZeekLog,
    notice: ZeekLog,
    weird: ZeekLog,
}

fn opt_count<T: Into<u64>>(v: Option<T>) -> Cell<'static> {
    v.map_or(Cell::Unset, |x| Cell::Count(x.into()))
}

fn id_cells(t: &FlowTuple) -> [Cell<'static>; 4] {
    [Cell::Addr(t.orig_h), Cell::Port(t.orig_p), Cell::Addr(t.resp_h), Cell::Port(t.resp_p)]
}

impl Logs {
    pub fn create(dir: &Path, json: bool, options_log: bool) -> io::Result<Self> {
        Ok(Logs {
            options: if options_log {
                Some(ZeekLog::create(dir, "mptcp_options", crate::options_log::COLUMNS, json)?)
            } else {
                None
            },
            mptcp: ZeekLog::create(dir, "mptcp", MPTCP_COLUMNS, json)?,
            conn: ZeekLog::create(dir, "mptcp_conn", CONN_COLUMNS, json)?,
            notice: ZeekLog::create(dir, "notice", NOTICE_COLUMNS, json)?,
            weird: ZeekLog::create(dir, "weird", WEIRD_COLUMNS, json)?,
        })
    }

    pub fn subflow(&mut self, uid: &str, s: &SubflowSummary) -> io::Result<()> {
        let [a, b, c, d] = id_cells(&s.tuple);
        self.mptcp.write(&[
            Cell::Time(s.ts),
            Cell::Str(uid),
            a,
            b,
            c,
            d,
            opt_count(s.mptcp_id),
            Cell::Bool(s.initial),
            opt_count(s.version),
            Cell::Bool(s.established),
            Cell::Str(s.linked_by.name()),
            s.join_auth.map_or(Cell::Unset, |j| Cell::Str(j.name())),
            opt_count(s.token),
            opt_count(s.addr_id),
            Cell::Bool(s.backup),
            s.fallback.map_or(Cell::Unset, |f| Cell::Str(f.name())),
            opt_count(s.tcprst_reason),
            Cell::Bool(s.fastclose),
            Cell::Bool(s.reset),
        ])
    }

    pub fn conn(&mut self, uid: &str, s: &ConnSummary) -> io::Result<()> {
        let [a, b, c, d] = id_cells(&s.tuple);
        self.conn.write(&[
            Cell::Time(s.ts),
            Cell::Str(uid),
            a,
            b,
            c,
            d,
            Cell::Count(s.mptcp_id),
            Cell::Interval(s.duration),
            Cell::Count(s.version as u64),
            Cell::Bool(s.checksum),
            opt_count(s.orig_token),
            opt_count(s.resp_token),
            Cell::Count(s.subflows_attempted as u64),
            Cell::Count(s.subflows_established as u64),
            Cell::Strs(s.addrs_advertised.clone()),
            Cell::Count(s.addrs_removed as u64),
            Cell::Str(s.close_reason.name()),
            opt_count(s.orig_bytes),
            opt_count(s.resp_bytes),
            opt_count(s.missed_bytes),
            opt_count(s.dup_bytes),
        ])
    }

    pub fn notice(&mut self, ts: f64, uid: Option<&str>, t: Option<&FlowTuple>, f: &Finding) -> io::Result<()> {
        let [a, b, c, d] = t.map_or([Cell::Unset, Cell::Unset, Cell::Unset, Cell::Unset], id_cells);
        let note = format!("MPTCP::{}", f.kind.name());
        self.notice.write(&[
            Cell::Time(ts),
            uid.map_or(Cell::Unset, Cell::Str),
            a,
            b,
            c,
            d,
            Cell::String(note),
            Cell::Str(&f.msg),
            Cell::Str(&f.sub),
            // As Zeek's notice framework: src/dst default to the connection's endpoints.
            f.src.or(t.map(|t| t.orig_h)).map_or(Cell::Unset, Cell::Addr),
            f.dst.or(t.map(|t| t.resp_h)).map_or(Cell::Unset, Cell::Addr),
            opt_count(f.n),
        ])
    }

    /// A data-level problem, as the Zeek plugin's weird (`mptcp_<kind>`).
    pub fn weird(&mut self, ts: f64, uid: &str, t: &FlowTuple, name: &str, addl: &str) -> io::Result<()> {
        let [a, b, c, d] = id_cells(t);
        self.weird.write(&[
            Cell::Time(ts),
            Cell::Str(uid),
            a,
            b,
            c,
            d,
            Cell::String(format!("mptcp_{name}")),
            Cell::Str(addl),
            Cell::Bool(false),
            Cell::Str("mptcp-pcap"),
            Cell::Unset,
        ])
    }

    pub fn close(self) -> io::Result<()> {
        if let Some(o) = self.options {
            o.close()?;
        }
        self.mptcp.close()?;
        self.conn.close()?;
        self.notice.close()?;
        self.weird.close()
    }
}
