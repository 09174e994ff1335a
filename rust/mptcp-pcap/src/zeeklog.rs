//! A writer for Zeek's two log formats: the ASCII format (`#separator`, `#fields`,
//! `#types` header lines, tab-separated, `-` for unset, `(empty)` for empty) and JSON
//! lines (unset fields left out), as Zeek's own writers produce them.

use std::fmt::Write as _;
use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::net::IpAddr;
use std::path::Path;

/// One cell of a row.
#[derive(Clone, Debug)]
pub enum Cell<'a> {
    Unset,
    Count(u64),
    Time(f64),
    Interval(f64),
    Addr(IpAddr),
    Port(u16),
    Bool(bool),
    Str(&'a str),
    String(String),
    Counts(&'a [u8]),
    Strs(Vec<String>),
}

/// A log file being written.
pub struct ZeekLog {
    out: BufWriter<File>,
    fields: Vec<&'static str>,
    json: bool,
    line: String,
}

fn now_stamp() -> String {
    // Zeek writes local time as YYYY-MM-DD-HH-MM-SS; UTC here keeps runs comparable.
    let secs = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_secs()).unwrap_or(0);
    let (days, rem) = (secs / 86400, secs % 86400);
    let (y, m, d) = civil_from_days(days as i64);
    format!("{y:04}-{m:02}-{d:02}-{:02}-{:02}-{:02}", rem / 3600, rem % 3600 / 60, rem % 60)
}

// Howard Hinnant's days-to-civil algorithm.
fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719468;
    let era = z.div_euclid(146097);
    let doe = z.rem_euclid(146097);
    let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

/// Escape a string as Zeek's ASCII writer does: non-printable bytes and the separator
/// become `\xNN`.
fn ascii_escape(s: &str, out: &mut String) {
    if s.is_empty() {
        out.push_str("(empty)");
        return;
    }
    if s == "-" {
        out.push_str("\\x2d");
        return;
    }
    for b in s.bytes() {
        if b == b'\t' || b == b'\\' || !(0x20..0x7f).contains(&b) {
            let _ = write!(out, "\\x{b:02x}");
        } else {
            out.push(b as char);
        }
    }
}

fn json_escape(s: &str, out: &mut String) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

impl ZeekLog {
    /// Create `dir/<path>.log` with the given `(name, zeek type)` columns.
    pub fn create(dir: &Path, path: &str, columns: &[(&'static str, &'static str)], json: bool) -> io::Result<Self> {
        let file = File::create(dir.join(format!("{path}.log")))?;
        let mut out = BufWriter::with_capacity(1 << 16, file);
        if !json {
            writeln!(out, "#separator \\x09")?;
            writeln!(out, "#set_separator\t,")?;
            writeln!(out, "#empty_field\t(empty)")?;
            writeln!(out, "#unset_field\t-")?;
            writeln!(out, "#path\t{path}")?;
            writeln!(out, "#open\t{}", now_stamp())?;
            let names: Vec<&str> = columns.iter().map(|c| c.0).collect();
            let types: Vec<&str> = columns.iter().map(|c| c.1).collect();
            writeln!(out, "#fields\t{}", names.join("\t"))?;
            writeln!(out, "#types\t{}", types.join("\t"))?;
        }
        Ok(ZeekLog { out, fields: columns.iter().map(|c| c.0).collect(), json, line: String::with_capacity(512) })
    }

    /// Write one row; `cells` are in column order.
    pub fn write(&mut self, cells: &[Cell<'_>]) -> io::Result<()> {
        debug_assert_eq!(cells.len(), self.fields.len());
        self.line.clear();
        if self.json {
            self.line.push('{');
            let mut first = true;
            for (name, cell) in self.fields.iter().zip(cells) {
                if matches!(cell, Cell::Unset) {
                    continue;
                }
                if !first {
                    self.line.push(',');
                }
                first = false;
                json_escape(name, &mut self.line);
                self.line.push(':');
                json_cell(cell, &mut self.line);
            }
            self.line.push('}');
        } else {
            for (i, cell) in cells.iter().enumerate() {
                if i > 0 {
                    self.line.push('\t');
                }
                ascii_cell(cell, &mut self.line);
            }
        }
        self.line.push('\n');
        self.out.write_all(self.line.as_bytes())
    }

    /// Write the `#close` line (ASCII) and flush.
    pub fn close(mut self) -> io::Result<()> {
        if !self.json {
            writeln!(self.out, "#close\t{}", now_stamp())?;
        }
        self.out.flush()
    }
}

fn ascii_cell(cell: &Cell<'_>, out: &mut String) {
    match cell {
        Cell::Unset => out.push('-'),
        Cell::Count(v) => {
            let _ = write!(out, "{v}");
        }
        Cell::Time(v) | Cell::Interval(v) => {
            let _ = write!(out, "{v:.6}");
        }
        Cell::Addr(a) => {
            let _ = write!(out, "{a}");
        }
        Cell::Port(p) => {
            let _ = write!(out, "{p}");
        }
        Cell::Bool(b) => out.push(if *b { 'T' } else { 'F' }),
        Cell::Str(s) => ascii_escape(s, out),
        Cell::String(s) => ascii_escape(s, out),
        Cell::Counts(v) => {
            if v.is_empty() {
                out.push_str("(empty)");
            }
            for (i, x) in v.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                let _ = write!(out, "{x}");
            }
        }
        Cell::Strs(v) => {
            if v.is_empty() {
                out.push_str("(empty)");
            }
            for (i, x) in v.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                ascii_escape(x, out);
            }
        }
    }
}

/// Zeek's JSON writer prints times with up to 6 decimals, trailing zeros dropped
/// (1795636773.4577, 1700000000.0).
fn json_time(v: f64, out: &mut String) {
    let start = out.len();
    let _ = write!(out, "{v:.6}");
    while out.ends_with('0') && out[start..].contains('.') {
        out.pop();
    }
    if out.ends_with('.') {
        out.push('0');
    }
}

fn json_cell(cell: &Cell<'_>, out: &mut String) {
    match cell {
        Cell::Unset => out.push_str("null"),
        Cell::Count(v) => {
            let _ = write!(out, "{v}");
        }
        Cell::Time(v) => json_time(*v, out),
        // Zeek writes intervals as the shortest round-trip double.
        Cell::Interval(v) => {
            let start = out.len();
            let _ = write!(out, "{v}");
            if !out[start..].contains(['.', 'e', 'E']) {
                out.push_str(".0");
            }
        }
        Cell::Addr(a) => {
            let _ = write!(out, "\"{a}\"");
        }
        Cell::Port(p) => {
            let _ = write!(out, "{p}");
        }
        Cell::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Cell::Str(s) => json_escape(s, out),
        Cell::String(s) => json_escape(s, out),
        Cell::Counts(v) => {
            out.push('[');
            for (i, x) in v.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                let _ = write!(out, "{x}");
            }
            out.push(']');
        }
        Cell::Strs(v) => {
            out.push('[');
            for (i, x) in v.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                json_escape(x, out);
            }
            out.push(']');
        }
    }
}
