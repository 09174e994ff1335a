//! What the tracker reports: events for the logs and the findings behind notices. The
//! text of every notice (`msg`, `sub`) is made here, once, so that the Zeek scripts and
//! the offline runner write the same notice.log.

use std::fmt::Write as _;
use std::net::IpAddr;

pub use super::slab::Handle;

/// A subflow (one TCP connection) handle.
pub type SubflowId = Handle;
/// The MPTCP connection number: the same for every subflow of one MPTCP connection.
pub type MptcpId = u64;

/// A TCP connection's endpoints, as Zeek's `conn_id` (originator = sender of the SYN).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct FlowTuple {
    pub orig_h: IpAddr,
    pub orig_p: u16,
    pub resp_h: IpAddr,
    pub resp_p: u16,
}

impl FlowTuple {
    /// The same endpoints with originator and responder exchanged.
    pub fn swapped(self) -> FlowTuple {
        FlowTuple { orig_h: self.resp_h, orig_p: self.resp_p, resp_h: self.orig_h, resp_p: self.orig_p }
    }
}

/// One TCP segment of a subflow.
#[derive(Clone, Copy, Debug)]
pub struct PacketInfo<'a> {
    pub ts: f64,
    pub is_orig: bool,
    /// TCP flags byte (see [`crate::tcp_flags`]).
    pub flags: u8,
    pub seq: u32,
    pub ack: u32,
    pub payload_len: u32,
    /// The TCP header's option bytes.
    pub options: &'a [u8],
    /// The captured payload (shorter than `payload_len` when the capture cut it off; empty
    /// when the caller does not want data-level reassembly).
    pub payload: &'a [u8],
}

/// One TCP segment as a packet path has it: the TCP header and what was captured after
/// it, before anything was read from them. [`Tracker::shortcut`](super::Tracker::shortcut)
/// reads only what it needs; [`Segment::packet`] reads the header for the general path.
#[derive(Clone, Copy, Debug)]
pub struct Segment<'a> {
    pub ts: f64,
    pub is_orig: bool,
    /// From the TCP header on: header, options and the captured payload.
    pub tcp: &'a [u8],
    /// The segment's length on the wire (the IP payload length): header and payload.
    pub tcp_len: u32,
    /// Whether the caller wants data-level reassembly (without it the payload is unused).
    pub reassemble: bool,
}

impl<'a> Segment<'a> {
    /// The segment's header fields, options and payload; None when too short for a TCP
    /// header (or the header's length field says less than 20 bytes).
    #[inline(always)]
    pub fn packet(&self) -> Option<PacketInfo<'a>> {
        let b = self.tcp;
        if b.len() < 20 {
            return None;
        }
        let hdr = usize::from(b[12] >> 4) * 4;
        if hdr < 20 {
            return None;
        }
        let body = hdr.min(b.len());
        // Without the payload the tracker cannot reassemble: it must not mistake the bytes
        // for lost.
        let wire = if self.reassemble { (self.tcp_len as usize).saturating_sub(hdr) } else { 0 };
        Some(PacketInfo {
            ts: self.ts,
            is_orig: self.is_orig,
            flags: b[13],
            seq: u32::from_be_bytes([b[4], b[5], b[6], b[7]]),
            ack: u32::from_be_bytes([b[8], b[9], b[10], b[11]]),
            payload_len: wire as u32,
            options: &b[20..body],
            payload: if wire > 0 { &b[body..] } else { &[] },
        })
    }
}

/// How a subflow was tied to its MPTCP connection.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LinkMethod {
    /// The MP_CAPABLE subflow that created the connection.
    Initial,
    /// MP_JOIN token matched the connection's token.
    Token,
    /// No token match possible (keys unseen); destination address advertised or used by the connection.
    Address,
    /// Not linked.
    None,
}

impl LinkMethod {
    pub fn name(self) -> &'static str {
        match self {
            LinkMethod::Initial => "initial",
            LinkMethod::Token => "token",
            LinkMethod::Address => "address",
            LinkMethod::None => "none",
        }
    }
}

/// Result of checking an MP_JOIN's HMACs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum JoinAuth {
    /// Every HMAC seen (SYN/ACK and/or third ACK) matched.
    Verified,
    /// An HMAC did not match.
    Failed,
    /// Keys unknown, subflow not linked, or no HMAC seen.
    Unverifiable,
}

impl JoinAuth {
    pub fn name(self) -> &'static str {
        match self {
            JoinAuth::Verified => "verified",
            JoinAuth::Failed => "failed",
            JoinAuth::Unverifiable => "unverifiable",
        }
    }
}

/// Why a subflow or connection stopped using MPTCP.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FallbackReason {
    /// MP_CAPABLE SYN answered without MP_CAPABLE (benign: the peer does not speak MPTCP).
    Handshake,
    /// A DSS with an infinite mapping (data-level length 0).
    InfiniteMapping,
    /// An MP_FAIL option.
    MpFail,
    /// Checksums were negotiated but a mapping came without one.
    ChecksumMissing,
    /// The first data came without a DSS mapping (RFC 8684 3.7): something on the path
    /// strips MPTCP options.
    NoMapping,
}

impl FallbackReason {
    pub fn name(self) -> &'static str {
        match self {
            FallbackReason::Handshake => "handshake",
            FallbackReason::InfiniteMapping => "infinite_mapping",
            FallbackReason::MpFail => "mp_fail",
            FallbackReason::ChecksumMissing => "checksum_missing",
            FallbackReason::NoMapping => "no_mapping",
        }
    }
}

/// Why an MPTCP connection ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CloseReason {
    /// DATA_FIN seen in both directions.
    DataFin,
    /// MP_FASTCLOSE.
    FastClose,
    /// A subflow reset with MP_TCPRST and every subflow gone.
    TcpRst,
    /// Every subflow ended with a TCP RST.
    Reset,
    /// Fell back to TCP and the TCP connection ended.
    Fallback,
    /// Subflows went away (end of trace, Zeek's inactivity timeout) with none of the above.
    Timeout,
    /// The connection was evicted to respect the tracker's caps.
    Evicted,
}

impl CloseReason {
    pub fn name(self) -> &'static str {
        match self {
            CloseReason::DataFin => "data_fin",
            CloseReason::FastClose => "fastclose",
            CloseReason::TcpRst => "tcprst",
            CloseReason::Reset => "reset",
            CloseReason::Fallback => "fallback",
            CloseReason::Timeout => "timeout",
            CloseReason::Evicted => "evicted",
        }
    }
}

/// Notice kinds, named as the Zeek notices (`MPTCP::<name>`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum FindingKind {
    AddressIdClash,
    DuplicateAddAddr,
    KeyChange,
    UnknownJoin,
    JoinFlood,
    JoinAuthFailure,
    ForgedAddAddr,
    Fallback,
}

impl FindingKind {
    pub fn name(self) -> &'static str {
        match self {
            FindingKind::AddressIdClash => "Address_ID_Clash",
            FindingKind::DuplicateAddAddr => "Duplicate_Add_Addr",
            FindingKind::KeyChange => "Key_Change",
            FindingKind::UnknownJoin => "Unknown_Join",
            FindingKind::JoinFlood => "Join_Flood",
            FindingKind::JoinAuthFailure => "Join_Auth_Failure",
            FindingKind::ForgedAddAddr => "Forged_Add_Addr",
            FindingKind::Fallback => "Fallback",
        }
    }
}

/// A finding: the facts a notice needs. Raised on the subflow whose packet caused it.
#[derive(Clone, Debug, PartialEq)]
pub struct Finding {
    pub kind: FindingKind,
    pub mptcp_id: Option<MptcpId>,
    /// The host the finding is about (notice `src`): the advertiser, the joining host...
    pub src: Option<IpAddr>,
    /// The other host (notice `dst`): the join's receiver, the flood's target...
    pub dst: Option<IpAddr>,
    /// A count (notice `n`): joins in the flood interval, the clashing address id...
    pub n: Option<u64>,
    /// Human-readable message naming addresses, ids and keys.
    pub msg: String,
    /// Supplementary detail.
    pub sub: String,
    /// For Join_Flood: the receiver address, used as the notice identifier.
    pub identifier: Option<String>,
}

/// Final facts of one subflow: one `mptcp.log` row.
#[derive(Clone, Debug, PartialEq)]
pub struct SubflowSummary {
    pub ts: f64,
    pub tuple: FlowTuple,
    pub mptcp_id: Option<MptcpId>,
    pub initial: bool,
    pub version: Option<u8>,
    pub established: bool,
    pub linked_by: LinkMethod,
    /// `None` for the initial subflow.
    pub join_auth: Option<JoinAuth>,
    /// MP_JOIN token (the receiver's token) or, for the initial subflow, the server's token.
    pub token: Option<u32>,
    /// MP_JOIN SYN address id of the joining host.
    pub addr_id: Option<u8>,
    pub backup: bool,
    pub fallback: Option<FallbackReason>,
    pub tcprst_reason: Option<u8>,
    pub fastclose: bool,
    pub reset: bool,
    /// What the subflow's DSS options said, for a subflow no connection claimed (a join
    /// whose connection this tracker never saw: in a Zeek cluster, another worker's),
    /// so that whoever knows the connection can fold them in. `None` for any other
    /// subflow (its connection has the facts) and for one that carried no DSS.
    pub dss: Option<DssFacts>,
}

/// The DSS facts of a subflow without a connection ([`SubflowSummary::dss`]). Arrays
/// by direction: 0 from the subflow's originator, 1 from its responder.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct DssFacts {
    /// Time of the last packet with a DSS option.
    pub last_ts: f64,
    /// A DATA_FIN was sent.
    pub data_fin: [bool; 2],
    /// Highest 64-bit data ACK sent (a 32-bit one cannot be compared across subflows).
    pub data_ack: [Option<u64>; 2],
    /// First infinite mapping (data-level length 0), and first mapping without a DSS
    /// checksum (a fallback if the connection uses checksums, which only its handshake shows).
    pub infinite_ts: Option<f64>,
    pub no_checksum_ts: Option<f64>,
}

/// The connection-level facts behind [`ConnSummary::close_reason`] and the byte counts,
/// so that whoever adds facts of joins seen elsewhere (a Zeek cluster's proxy) can
/// work them out again. Arrays by side: 0 is side A (the MPTCP client), 1 side B.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct ConnFacts {
    /// The side sent a DATA_FIN.
    pub data_fin: [bool; 2],
    /// Highest 64-bit data ACK the side sent.
    pub data_ack: [Option<u64>; 2],
    /// Subflows that ended with a reset.
    pub resets: u32,
    pub fastclose: bool,
    /// An MP_TCPRST was seen.
    pub tcprst: bool,
    /// The connection fell back to TCP after its handshake.
    pub fallback: bool,
}

/// Final facts of one MPTCP connection: one `mptcp_conn.log` row.
#[derive(Clone, Debug, PartialEq)]
pub struct ConnSummary {
    pub mptcp_id: MptcpId,
    pub ts: f64,
    pub duration: f64,
    /// The initial subflow's endpoints.
    pub tuple: FlowTuple,
    pub version: u8,
    pub checksum: bool,
    pub orig_token: Option<u32>,
    pub resp_token: Option<u32>,
    pub subflows_attempted: u32,
    pub subflows_established: u32,
    /// Addresses advertised (ADD_ADDR announcements, each distinct id/address once).
    pub addrs_advertised: Vec<String>,
    pub addrs_removed: u32,
    pub close_reason: CloseReason,
    /// Data-level bytes acknowledged per direction, when IDSN and 64-bit data ACKs are known.
    pub orig_bytes: Option<u64>,
    pub resp_bytes: Option<u64>,
    /// Data-level reassembly (when it ran): bytes never seen (holes), and bytes seen more
    /// than once (reinjected or retransmitted copies), both directions.
    pub missed_bytes: Option<u64>,
    pub dup_bytes: Option<u64>,
    /// What `close_reason` and the byte counts were worked out from.
    pub facts: ConnFacts,
}

/// What a subflow's link events (`SubflowEstablished`, `SubflowLinked`, `Fallback`) say
/// of the subflow as a whole when they are raised, beyond their own news: each event then
/// carries the subflow's whole MPTCP state, and a caller may keep the latest as the
/// subflow's state (the Zeek package's `c$mptcp`) instead of merging the events.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct LinkState {
    /// The MP_CAPABLE subflow of its connection.
    pub initial: bool,
    /// Its handshake was seen to complete.
    pub established: bool,
    /// How it was linked, and for a join its authentication result, once
    /// `SubflowLinked` was raised for it (None before).
    pub link: Option<(LinkMethod, Option<JoinAuth>)>,
    /// Why it fell back to plain TCP, if it did.
    pub fallback: Option<FallbackReason>,
}

/// Something the tracker reports.
#[derive(Clone, Debug, PartialEq)]
pub enum Event {
    /// An MP_CAPABLE handshake completed (SYN/ACK with MP_CAPABLE) or an MP_JOIN
    /// subflow's SYN/ACK was seen. Whether it is the initial subflow: `state.initial`.
    SubflowEstablished { subflow: SubflowId, mptcp_id: Option<MptcpId>, state: LinkState },
    /// The subflow's link to its connection is final (initial: at the handshake; join:
    /// when its authentication result is known, or when it ends). The link, how it was
    /// made and a join's authentication result, is `state.link`, always set here.
    SubflowLinked { subflow: SubflowId, mptcp_id: Option<MptcpId>, state: LinkState },
    /// The subflow (and, mid-connection, the connection) fell back to plain TCP.
    Fallback { subflow: SubflowId, mptcp_id: Option<MptcpId>, reason: FallbackReason, state: LinkState },
    /// A finding (notice).
    Finding { subflow: SubflowId, finding: Finding },
    /// The subflow's payload feeds the connection's reassembled data streams from now on
    /// (Zeek: its own application analysis stops; for the initial subflow the
    /// connection's stream analysis starts).
    StreamStart { subflow: SubflowId, mptcp_id: MptcpId, initial: bool },
    /// The connection fell back before any data was mapped: the subflow's payload is plain
    /// TCP again.
    StreamStop { subflow: SubflowId, mptcp_id: MptcpId },
    /// A data-level problem: a copy with different bytes, a checksum mismatch, the buffer
    /// limit, payload without mapping. `side`: the sending side (0: MPTCP client);
    /// `offset`: stream offset where it applies; `len`: bytes concerned.
    StreamIssue {
        subflow: SubflowId,
        mptcp_id: MptcpId,
        kind: crate::reassembly::IssueKind,
        side: u8,
        offset: u64,
        len: u64,
        /// The weird.log `addl` text (made here once, for Zeek and the runner alike).
        addl: String,
    },
    /// A subflow's state was released: its final facts.
    SubflowDone { subflow: SubflowId, summary: SubflowSummary },
    /// An MPTCP connection's state was released: its final facts.
    ConnClosed { subflow: SubflowId, summary: ConnSummary },
}

pub(crate) fn hex8(v: u64) -> String {
    let mut s = String::with_capacity(18);
    let _ = write!(s, "0x{v:016x}");
    s
}
