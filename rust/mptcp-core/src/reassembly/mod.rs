//! Data-level reassembly: each MPTCP connection's bytes, in order, per direction.
//!
//! A subflow's payload is placed at the data level through the DSS mappings its sender
//! announced (subflow sequence range → data sequence range; [`mapping`]), then put in
//! order per direction across all subflows ([`stream`]). What comes out are
//! [`Delivery`]s: bytes (straight from the packet when they arrive in order, or from the
//! buffer), gaps (bytes acknowledged or known sent but never captured, reported with
//! their size as Zeek's TCP reassembler does), and the end of the direction (DATA_FIN,
//! or the connection's end). Problems go out as [`IssueKind`]s.

pub mod checksum;
pub mod mapping;
pub mod stream;
#[cfg(test)]
mod tests;

pub use stream::{expand32, DataStream, DirStats};

/// Bytes for the data level, or a stretch known to be missing.
#[derive(Debug)]
pub enum Src<'a> {
    /// Bytes of the current packet's payload starting at `start`.
    Packet { bytes: &'a [u8], start: u32 },
    /// Bytes out of the reassembly buffer.
    Owned(Vec<u8>),
    /// Bytes sent but not captured.
    Missing(u64),
}

impl<'a> Src<'a> {
    pub fn len(&self) -> u64 {
        match self {
            Src::Packet { bytes, .. } => bytes.len() as u64,
            Src::Owned(b) => b.len() as u64,
            Src::Missing(n) => *n,
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    pub fn bytes(&self) -> Option<&[u8]> {
        match self {
            Src::Packet { bytes, .. } => Some(bytes),
            Src::Owned(b) => Some(b),
            Src::Missing(_) => None,
        }
    }

    /// A view of `[a, b)`.
    pub fn range(&self, a: u64, b: u64) -> Src<'_> {
        let (a, b) = (a as usize, b as usize);
        match self {
            Src::Packet { bytes, start } => Src::Packet { bytes: &bytes[a..b], start: start + a as u32 },
            Src::Owned(v) => Src::Packet { bytes: &v[a..b], start: 0 },
            Src::Missing(_) => Src::Missing((b - a) as u64),
        }
    }

    /// A view of the first `n`.
    pub fn prefix(&self, n: u64) -> Src<'_> {
        self.range(0, n)
    }

    /// Without the first `n`.
    pub fn skip(self, n: u64) -> Src<'a> {
        match self {
            Src::Packet { bytes, start } => Src::Packet { bytes: &bytes[n as usize..], start: start + n as u32 },
            Src::Owned(mut v) => {
                v.drain(..n as usize);
                Src::Owned(v)
            }
            Src::Missing(m) => Src::Missing(m - n),
        }
    }
}

/// What one direction of a connection's data stream hands on.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DeliveryKind {
    /// `len` bytes of the current packet's captured payload, from `start`.
    Packet { start: u32, len: u32 },
    /// Bytes released from the reassembly buffer.
    Owned(Vec<u8>),
    /// This many bytes will never be seen (a hole).
    Gap(u64),
    /// The direction ended (DATA_FIN reached, or the connection is gone).
    End,
}

/// One piece of a connection's data stream, in stream order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Delivery {
    /// The MPTCP connection.
    pub mptcp_id: u64,
    /// 0: from the MPTCP client (the MP_CAPABLE SYN's sender), 1: from the server.
    pub side: u8,
    /// Offset in the direction's stream (0 = the first data byte, DSN = IDSN + 1).
    pub offset: u64,
    pub kind: DeliveryKind,
}

impl Delivery {
    /// The delivered bytes, given the payload of the packet being processed.
    pub fn bytes<'a>(&'a self, payload: &'a [u8]) -> &'a [u8] {
        match &self.kind {
            DeliveryKind::Packet { start, len } => {
                let s = *start as usize;
                payload.get(s..s + *len as usize).unwrap_or(&[])
            }
            DeliveryKind::Owned(b) => b,
            _ => &[],
        }
    }
}

/// Problems of the data level. Names are stable (they become weird names).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum IssueKind {
    /// A second copy of data (reinjection or retransmission) with different bytes.
    InconsistentCopy,
    /// A DSS checksum did not match the mapped bytes.
    ChecksumMismatch,
    /// The connection's reassembly buffer hit its limit; a hole was skipped.
    BufferLimit,
    /// Subflow payload no mapping covered (dropped when the subflow ended).
    Unmapped,
    /// Data, a DATA_ACK or a DATA_FIN more than 1 GiB ahead of the stream: not believed.
    OutOfWindow,
}

impl IssueKind {
    pub fn name(self) -> &'static str {
        match self {
            IssueKind::InconsistentCopy => "inconsistent_copy",
            IssueKind::ChecksumMismatch => "checksum_mismatch",
            IssueKind::BufferLimit => "buffer_limit",
            IssueKind::Unmapped => "unmapped_data",
            IssueKind::OutOfWindow => "out_of_window",
        }
    }
}

/// Where the streams write: the tracker drains it after each packet.
#[derive(Debug, Default)]
pub struct Output {
    /// The connection being written (set by the caller before each call).
    pub mptcp_id: u64,
    /// The direction being written (set by the caller before each call).
    pub side: u8,
    pub deliveries: Vec<Delivery>,
    /// (kind, side, stream offset, length).
    pub issues: Vec<(IssueKind, u8, u64, u64)>,
    /// What the option just handled did depends on where the streams are, so the same
    /// option later may do something else: a DATA_ACK too far ahead to apply, or a
    /// 32-bit number read far from the stream's position (set by `DataStream`, cleared by
    /// the caller; see the tracker's repeated-DSS shortcut).
    pub position_bound: bool,
    /// A stream's position crossed a multiple of 2^29 (set by `DataStream`, cleared by
    /// the caller: the tracker's repeated-DSS memos of the connection end there).
    pub moved_far: bool,
}

impl Output {
    pub fn push(&mut self, offset: u64, kind: DeliveryKind) {
        self.deliveries.push(Delivery { mptcp_id: self.mptcp_id, side: self.side, offset, kind });
    }
}
