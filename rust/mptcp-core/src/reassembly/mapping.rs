//! One direction of one subflow: which subflow bytes go where at the data level.
//!
//! A DSS mapping says that subflow bytes [ssn, ssn + len) (sequence numbers relative
//! to the subflow's ISN) are data bytes [dsn, dsn + len). Linux repeats the mapping on
//! every segment it covers, so the newest mapping nearly always covers the packet; a
//! few older ones are kept for retransmissions. Payload that arrives before its mapping
//! waits (bounded by the connection's buffer limit) until the mapping shows up.

use super::checksum::ChecksumRun;
use super::Src;

/// Mappings kept per subflow direction.
const KEEP: usize = 4;
/// Length of an infinite mapping (fallback: every later byte maps linearly).
pub const INFINITE: u32 = u32::MAX;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Mapping {
    pub dsn: u64,
    pub ssn: u32,
    /// Subflow bytes covered ([`INFINITE`] for an infinite mapping).
    pub len: u32,
}

impl Mapping {
    /// The DSN of subflow byte `ssn` and how many bytes from there the mapping covers.
    fn covers(&self, ssn: u32) -> Option<(u64, u32)> {
        let off = ssn.wrapping_sub(self.ssn);
        if self.len == INFINITE {
            return (off < 1 << 31).then_some((self.dsn.wrapping_add(u64::from(off)), INFINITE));
        }
        (off < self.len).then(|| (self.dsn.wrapping_add(u64::from(off)), self.len - off))
    }
}

#[derive(Debug, Default)]
pub struct SubflowDir {
    maps: Vec<Mapping>,
    /// The mapping whose DSS checksum is being checked.
    pub csum: Option<ChecksumRun>,
    /// Its payload so far, (ssn, bytes): held back until the checksum says whether the
    /// receiver accepted it (a receiver drops a mapping whose checksum fails, and the
    /// data comes again, reinjected).
    pub held: Vec<(u32, Vec<u8>)>,
    /// Payload that no mapping covered yet: (ssn, bytes).
    unmapped: Vec<(u32, Vec<u8>)>,
    pub unmapped_bytes: u64,
}

impl SubflowDir {
    pub fn has_mapping(&self) -> bool {
        !self.maps.is_empty()
    }

    /// Record a mapping; true when it is new (not a repetition).
    #[inline]
    pub fn add(&mut self, m: Mapping) -> bool {
        // Linux repeats a mapping on every segment it covers: nearly always this.
        if self.maps.last() == Some(&m) {
            return false;
        }
        self.add_new(m)
    }

    fn add_new(&mut self, m: Mapping) -> bool {
        if let Some(i) = self.maps.iter().position(|x| *x == m) {
            let m = self.maps.remove(i);
            self.maps.push(m);
            return false;
        }
        if self.maps.len() == KEEP {
            self.maps.remove(0);
        }
        self.maps.push(m);
        true
    }

    fn lookup(&self, ssn: u32) -> Option<(u64, u32)> {
        self.maps.iter().rev().find_map(|m| m.covers(ssn))
    }

    /// Split the payload at `ssn` into data-level pieces, handing each to `emit` as
    /// (dsn, ssn, piece). Returns the bytes no mapping covers (kept when `keep`).
    pub fn place<'a>(
        &mut self,
        ssn: u32,
        mut src: Src<'a>,
        keep: bool,
        mut emit: impl FnMut(u64, u32, Src<'a>),
    ) -> u64 {
        let mut ssn = ssn;
        while !src.is_empty() {
            let Some((dsn, avail)) = self.lookup(ssn) else {
                let n = src.len();
                if keep {
                    if let Some(b) = src.bytes() {
                        self.unmapped_bytes += n;
                        self.unmapped.push((ssn, b.to_vec()));
                    }
                }
                return n;
            };
            let n = src.len().min(u64::from(avail));
            let rest = if n < src.len() { Some(n) } else { None };
            match rest {
                Some(n) => {
                    let (head, tail) = split(src, n);
                    emit(dsn, ssn, head);
                    src = tail;
                }
                None => {
                    emit(dsn, ssn, src);
                    return 0;
                }
            }
            ssn = ssn.wrapping_add(n as u32);
        }
        0
    }

    /// The checksum of the mapping at (`ssn`, `dsn`) failed: its held bytes go to `emit`
    /// by their DSN (as spare copies), and the mapping is forgotten.
    pub fn reject(&mut self, ssn: u32, dsn: u64, mut emit: impl FnMut(u64, Vec<u8>)) {
        for (s, bytes) in std::mem::take(&mut self.held) {
            self.place(s, Src::Owned(bytes), false, |d, _, piece| {
                if let Src::Owned(b) = piece {
                    emit(d, b)
                }
            });
        }
        self.maps.retain(|m| !(m.ssn == ssn && m.dsn == dsn));
    }

    /// Payload that waited for a mapping, to be placed again.
    pub fn take_unmapped(&mut self) -> Vec<(u32, Vec<u8>)> {
        self.unmapped_bytes = 0;
        std::mem::take(&mut self.unmapped)
    }
}

fn split(src: Src<'_>, n: u64) -> (Src<'_>, Src<'_>) {
    match src {
        Src::Packet { bytes, start } => {
            let (a, b) = bytes.split_at(n as usize);
            (Src::Packet { bytes: a, start }, Src::Packet { bytes: b, start: start + n as u32 })
        }
        Src::Owned(mut v) => {
            let b = v.split_off(n as usize);
            (Src::Owned(v), Src::Owned(b))
        }
        Src::Missing(m) => (Src::Missing(n), Src::Missing(m - n)),
    }
}
