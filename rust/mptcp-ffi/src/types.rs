//! Plain C structs crossing the boundary. Field by field, they mirror the core's
//! decoded options and tracker events.

use mptcp_core::fields::OptionFields;
use std::net::IpAddr;

/// An IPv4 or IPv6 address. IPv4 addresses use the first 4 bytes of `bytes`.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct MptcpAddr {
    pub bytes: [u8; 16],
    /// 1 for IPv6, 0 for IPv4.
    pub is_v6: u8,
}

impl MptcpAddr {
    pub fn from_ip(a: IpAddr) -> Self {
        let mut bytes = [0u8; 16];
        match a {
            IpAddr::V4(v4) => {
                bytes[..4].copy_from_slice(&v4.octets());
                MptcpAddr { bytes, is_v6: 0 }
            }
            IpAddr::V6(v6) => MptcpAddr { bytes: v6.octets(), is_v6: 1 },
        }
    }
    pub fn to_ip(self) -> IpAddr {
        if self.is_v6 != 0 {
            IpAddr::from(self.bytes)
        } else {
            IpAddr::from([self.bytes[0], self.bytes[1], self.bytes[2], self.bytes[3]])
        }
    }
}

/// A TCP connection's endpoints (originator = SYN sender). Ports in host byte order.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default)]
pub struct MptcpTuple {
    pub orig_h: MptcpAddr,
    pub resp_h: MptcpAddr,
    pub orig_p: u16,
    pub resp_p: u16,
}

/// The caller's per-TCP-connection state: mptcp-core's `Slot`, exported to C as
/// `MptcpSlot` (see cbindgen.toml). Zero-initialise it when the connection starts; the
/// library updates it. Plain data: the caller owns it.
pub use mptcp_core::tracker::Slot as MptcpSlot;

/// One TCP segment. `options` points to the TCP header's option bytes (after the
/// fixed 20 bytes), borrowed for the duration of the call only.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct MptcpPacket {
    /// Seconds since the epoch (Zeek's network time).
    pub ts: f64,
    pub options: *const u8,
    pub options_len: usize,
    /// TCP flags byte: FIN 0x01, SYN 0x02, RST 0x04, PSH 0x08, ACK 0x10.
    pub flags: u8,
    /// 1 if sent by the connection's originator.
    pub is_orig: u8,
    pub seq: u32,
    pub ack: u32,
    pub payload_len: u32,
    /// The captured payload (`payload_caplen` bytes, at most `payload_len`), borrowed for
    /// the call and until the deliveries it produced were read; NULL when the caller does
    /// not want data-level reassembly for this packet.
    pub payload: *const u8,
    pub payload_caplen: usize,
}

/// One TCP segment as the packet path has it: the TCP header and what follows of it in
/// memory. The core reads the header (sequence numbers, flags, options) itself, so the
/// caller only points at it. Borrowed: `tcp` for the call, and until the deliveries the
/// call produced were read when `reassemble` is 1 (DATA deliveries point into it).
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct MptcpSegment {
    /// Seconds since the epoch (Zeek's network time).
    pub ts: f64,
    /// The TCP header's first byte.
    pub tcp: *const u8,
    /// Bytes readable from `tcp` (header and payload as captured).
    pub captured: usize,
    /// TCP header plus payload on the wire: the IP payload length.
    pub tcp_len: u32,
    /// 1 if sent by the connection's originator.
    pub is_orig: u8,
    /// 1: hand the payload to data-level reassembly.
    pub reassemble: u8,
}

/// Where `mptcp_tracker_segment_report` writes the decoded options of a segment the
/// shortcuts did not take, and what it needs besides the segment. Owned by the caller;
/// the pointers are borrowed for each call.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct MptcpReport {
    /// The connection's endpoints (read when the segment creates its state).
    pub tuple: *const MptcpTuple,
    /// Room for `opts_cap` options.
    pub opts: *mut MptcpOption,
    pub opts_cap: usize,
    /// Written when the verdict has `MPTCP_OPTIONS`: options written, and the direction
    /// of the segment they came from (1: from the originator).
    pub opts_n: usize,
    pub is_orig: u8,
}

/// A borrowed UTF-8 string (not NUL-terminated). `len` 0 means unset/empty.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct MptcpStr {
    pub ptr: *const u8,
    pub len: usize,
}

impl MptcpStr {
    pub const EMPTY: MptcpStr = MptcpStr { ptr: std::ptr::null(), len: 0 };
    pub fn from(s: &str) -> Self {
        MptcpStr { ptr: s.as_ptr(), len: s.len() }
    }
}

/// Bits of [`MptcpOption::present`]: which fields the option carries.
pub const MPTCP_F_VERSION: u32 = 1 << 0;
pub const MPTCP_F_FLAGS: u32 = 1 << 1;
pub const MPTCP_F_SENDER_KEY: u32 = 1 << 2;
pub const MPTCP_F_RECEIVER_KEY: u32 = 1 << 3;
pub const MPTCP_F_TOKEN: u32 = 1 << 4;
pub const MPTCP_F_NONCE: u32 = 1 << 5;
pub const MPTCP_F_HMAC: u32 = 1 << 6;
pub const MPTCP_F_ADDR_ID: u32 = 1 << 7;
pub const MPTCP_F_ADDR: u32 = 1 << 8;
pub const MPTCP_F_PORT: u32 = 1 << 9;
pub const MPTCP_F_ECHO: u32 = 1 << 10;
pub const MPTCP_F_BACKUP: u32 = 1 << 11;
pub const MPTCP_F_DATA_ACK: u32 = 1 << 12;
pub const MPTCP_F_DSN: u32 = 1 << 13;
pub const MPTCP_F_SSN: u32 = 1 << 14;
pub const MPTCP_F_DLL: u32 = 1 << 15;
pub const MPTCP_F_CHECKSUM: u32 = 1 << 16;
pub const MPTCP_F_DATA_FIN: u32 = 1 << 17;
pub const MPTCP_F_ADDR_IDS: u32 = 1 << 18;
pub const MPTCP_F_REASON: u32 = 1 << 19;
pub const MPTCP_F_ERROR: u32 = 1 << 20;

/// One decoded MPTCP option (or a malformed one: `MPTCP_F_ERROR` set). Fields not
/// flagged in `present` are zero. `addr_ids` points into the packet's option bytes and
/// is valid only during the `mptcp_tracker_packet` call that produced it.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct MptcpOption {
    pub present: u32,
    /// Subtype name: MP_CAPABLE ... MP_EXPERIMENTAL or UNKNOWN (static string).
    pub subtype: MptcpStr,
    /// Raw 4-bit subtype, 255 when the option had none.
    pub subtype_raw: u8,
    pub len: u8,
    pub version: u8,
    pub flags: u8,
    pub sender_key: u64,
    pub receiver_key: u64,
    pub token: u32,
    pub nonce: u32,
    /// HMAC as lowercase hex in `hmac_hex[..hmac_len]` (16 or 40 digits).
    pub hmac_hex: [u8; 40],
    pub hmac_len: u8,
    pub addr_id: u8,
    pub addr: MptcpAddr,
    pub port: u16,
    pub echo: u8,
    pub backup: u8,
    pub data_ack: u64,
    pub dsn: u64,
    pub ssn: u32,
    pub dll: u16,
    pub checksum: u16,
    pub data_fin: u8,
    pub reason: u8,
    pub addr_ids: *const u8,
    pub addr_ids_len: usize,
    /// Why the option is malformed, in `error[..error_len]` (UTF-8).
    pub error: [u8; 96],
    pub error_len: u8,
}

impl MptcpOption {
    pub fn zeroed() -> Self {
        MptcpOption {
            present: 0,
            subtype: MptcpStr::EMPTY,
            subtype_raw: 255,
            len: 0,
            version: 0,
            flags: 0,
            sender_key: 0,
            receiver_key: 0,
            token: 0,
            nonce: 0,
            hmac_hex: [0; 40],
            hmac_len: 0,
            addr_id: 0,
            addr: MptcpAddr::default(),
            port: 0,
            echo: 0,
            backup: 0,
            data_ack: 0,
            dsn: 0,
            ssn: 0,
            dll: 0,
            checksum: 0,
            data_fin: 0,
            reason: 0,
            addr_ids: std::ptr::null(),
            addr_ids_len: 0,
            error: [0; 96],
            error_len: 0,
        }
    }

    pub fn from_fields(f: &OptionFields<'_>) -> Self {
        let mut o = MptcpOption::zeroed();
        o.subtype = MptcpStr::from(f.subtype);
        o.subtype_raw = f.subtype_raw.unwrap_or(255);
        o.len = f.len;
        macro_rules! put {
            ($field:ident, $bit:expr) => {
                if let Some(v) = f.$field {
                    o.$field = v.into();
                    o.present |= $bit;
                }
            };
        }
        put!(version, MPTCP_F_VERSION);
        put!(flags, MPTCP_F_FLAGS);
        put!(sender_key, MPTCP_F_SENDER_KEY);
        put!(receiver_key, MPTCP_F_RECEIVER_KEY);
        put!(token, MPTCP_F_TOKEN);
        put!(nonce, MPTCP_F_NONCE);
        put!(addr_id, MPTCP_F_ADDR_ID);
        put!(port, MPTCP_F_PORT);
        put!(data_ack, MPTCP_F_DATA_ACK);
        put!(dsn, MPTCP_F_DSN);
        put!(ssn, MPTCP_F_SSN);
        put!(dll, MPTCP_F_DLL);
        put!(checksum, MPTCP_F_CHECKSUM);
        put!(reason, MPTCP_F_REASON);
        if let Some(v) = f.echo {
            o.echo = v as u8;
            o.present |= MPTCP_F_ECHO;
        }
        if let Some(v) = f.backup {
            o.backup = v as u8;
            o.present |= MPTCP_F_BACKUP;
        }
        if let Some(v) = f.data_fin {
            o.data_fin = v as u8;
            o.present |= MPTCP_F_DATA_FIN;
        }
        if let Some(a) = f.addr {
            o.addr = MptcpAddr::from_ip(a);
            o.present |= MPTCP_F_ADDR;
        }
        if let Some(h) = &f.hmac {
            let n = h.len().min(40);
            o.hmac_hex[..n].copy_from_slice(&h.as_bytes()[..n]);
            o.hmac_len = n as u8;
            o.present |= MPTCP_F_HMAC;
        }
        if let Some(ids) = f.addr_ids {
            o.addr_ids = ids.as_ptr();
            o.addr_ids_len = ids.len();
            o.present |= MPTCP_F_ADDR_IDS;
        }
        if let Some(e) = &f.error {
            // Error texts are ASCII; cut at a char boundary all the same.
            let mut n = e.len().min(96);
            while !e.is_char_boundary(n) {
                n -= 1;
            }
            o.error[..n].copy_from_slice(&e.as_bytes()[..n]);
            o.error_len = n as u8;
            o.present |= MPTCP_F_ERROR;
        }
        o
    }
}

/// Event kinds of [`MptcpEvent::kind`].
pub const MPTCP_EV_SUBFLOW_ESTABLISHED: u32 = 1;
pub const MPTCP_EV_SUBFLOW_LINKED: u32 = 2;
pub const MPTCP_EV_FALLBACK: u32 = 3;
pub const MPTCP_EV_FINDING: u32 = 4;
pub const MPTCP_EV_SUBFLOW_DONE: u32 = 5;
pub const MPTCP_EV_CONN_CLOSED: u32 = 6;
/// The subflow's payload feeds the connection's data streams from now on (`initial`:
/// the MP_CAPABLE subflow, whose connection receives the streams).
pub const MPTCP_EV_STREAM_START: u32 = 7;
/// The connection fell back before its first mapping: the subflow is plain TCP again.
pub const MPTCP_EV_STREAM_STOP: u32 = 8;
/// A data-level problem: `note` names it (inconsistent_copy, checksum_mismatch,
/// buffer_limit, unmapped_data), `side` the sending side (0: MPTCP client), `offset`
/// the stream offset, `n` the bytes concerned, `msg` the weird.log addl text.
pub const MPTCP_EV_STREAM_ISSUE: u32 = 9;

/// One tracker event, flattened. Which fields are meaningful depends on `kind`; the
/// `has_*` bytes tell whether an optional value is set. Strings are borrowed from the
/// tracker and stay valid until `mptcp_tracker_clear_events` (or the tracker is freed);
/// `addrs_advertised` until the next `mptcp_tracker_event` call.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct MptcpEvent {
    pub kind: u32,
    /// The subflow whose packet (or removal) caused the event.
    pub subflow: u64,
    pub has_mptcp_id: u8,
    pub mptcp_id: u64,
    /// The subflow is its connection's MP_CAPABLE one. The link events
    /// (SUBFLOW_ESTABLISHED, SUBFLOW_LINKED, FALLBACK) carry the subflow's whole state as
    /// it is when they are raised: `initial`, `established`, `linked_by` and `join_auth`
    /// (once SUBFLOW_LINKED was raised for it), `fallback`.
    pub initial: u8,
    /// SUBFLOW_LINKED / SUBFLOW_DONE (and the other link events, see `initial`): initial,
    /// token, address or none; empty when not known.
    pub linked_by: MptcpStr,
    /// verified, failed, unverifiable; empty when not a join.
    pub join_auth: MptcpStr,
    /// FALLBACK / SUBFLOW_DONE (and the other link events): handshake, infinite_mapping,
    /// mp_fail, checksum_missing, no_mapping; empty if none.
    pub fallback: MptcpStr,
    /// FINDING: the notice name without module (Address_ID_Clash, ...).
    pub note: MptcpStr,
    pub msg: MptcpStr,
    pub sub: MptcpStr,
    /// FINDING: suppression identifier (Join_Flood), empty if none.
    pub identifier: MptcpStr,
    pub has_src: u8,
    pub src: MptcpAddr,
    pub has_dst: u8,
    pub dst: MptcpAddr,
    pub has_n: u8,
    pub n: u64,
    /// SUBFLOW_DONE / CONN_CLOSED: first timestamp; the subflow's or initial subflow's endpoints.
    pub ts: f64,
    pub tuple: MptcpTuple,
    pub has_version: u8,
    pub version: u8,
    /// SUBFLOW_DONE and the link events: the subflow's handshake was seen to complete.
    pub established: u8,
    pub has_token: u8,
    pub token: u32,
    pub has_addr_id: u8,
    pub addr_id: u8,
    pub backup: u8,
    pub has_tcprst_reason: u8,
    pub tcprst_reason: u8,
    pub fastclose: u8,
    pub reset: u8,
    /// CONN_CLOSED.
    pub duration: f64,
    pub checksum: u8,
    pub has_orig_token: u8,
    pub orig_token: u32,
    pub has_resp_token: u8,
    pub resp_token: u32,
    pub subflows_attempted: u32,
    pub subflows_established: u32,
    pub addrs_advertised: *const MptcpStr,
    pub addrs_advertised_len: usize,
    pub addrs_removed: u32,
    pub close_reason: MptcpStr,
    pub has_orig_bytes: u8,
    pub orig_bytes: u64,
    pub has_resp_bytes: u8,
    pub resp_bytes: u64,
    /// CONN_CLOSED with reassembly: bytes never seen, bytes seen twice (both directions).
    pub has_missed_bytes: u8,
    pub missed_bytes: u64,
    pub has_dup_bytes: u8,
    pub dup_bytes: u64,
    /// STREAM_ISSUE.
    pub side: u8,
    pub offset: u64,
    /// SUBFLOW_DONE of a subflow no connection claimed, and CONN_CLOSED: the facts a node
    /// that knows more of the connection (a Zeek cluster's proxy) works the close reason
    /// and byte counts out from.
    pub facts: MptcpFacts,
}

/// What a subflow's or a connection's options said ([`MptcpEvent::facts`]). Arrays:
/// for SUBFLOW_DONE by direction (0: from the subflow's originator), for CONN_CLOSED by
/// side (0: side A, the MPTCP client).
#[repr(C)]
#[derive(Clone, Copy, Debug, Default)]
pub struct MptcpFacts {
    /// 1 when the event carries facts (CONN_CLOSED always; SUBFLOW_DONE only for a subflow
    /// without a connection that carried a DSS option).
    pub present: u8,
    /// A DATA_FIN was sent.
    pub data_fin: [u8; 2],
    /// Highest 64-bit data ACK sent.
    pub has_data_ack: [u8; 2],
    pub data_ack: [u64; 2],
    /// SUBFLOW_DONE: time of the last DSS option; first infinite mapping; first mapping
    /// without a DSS checksum.
    pub last_ts: f64,
    pub has_infinite_ts: u8,
    pub infinite_ts: f64,
    pub has_no_checksum_ts: u8,
    pub no_checksum_ts: f64,
    /// CONN_CLOSED: subflows that ended with a reset; MP_FASTCLOSE, MP_TCPRST and a
    /// fallback after the handshake seen.
    pub resets: u32,
    pub fastclose: u8,
    pub tcprst: u8,
    pub fallback: u8,
}

/// Delivery kinds.
pub const MPTCP_DATA: u8 = 1;
/// `len` bytes of the stream will never be seen (a hole).
pub const MPTCP_GAP: u8 = 2;
/// The direction's stream ended.
pub const MPTCP_END: u8 = 3;

/// One piece of a connection's reassembled data stream. `data` (DATA only) is borrowed:
/// it points into the payload of the packet just handed to the tracker, or into the
/// tracker's buffer, and stays valid until `mptcp_tracker_clear_deliveries`, the next
/// call that hands the tracker a packet or removes state, or the packet buffer is
/// released, whichever comes first.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct MptcpDelivery {
    pub mptcp_id: u64,
    /// 0: sent by the MPTCP client (the initial subflow's originator), 1: by the server.
    pub side: u8,
    pub kind: u8,
    /// Stream offset (0: the direction's first data byte).
    pub offset: u64,
    pub data: *const u8,
    /// DATA: bytes at `data`; GAP: bytes missing; END: 0.
    pub len: u64,
}

/// Tunables (see the core's `Config`); `mptcp_config_default` fills the defaults.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct MptcpConfig {
    pub join_flood_threshold: u32,
    pub join_flood_interval: f64,
    pub unknown_join_interval: f64,
    pub max_connections: u64,
    pub max_subflows: u64,
    pub max_pending: u64,
    pub max_flood_receivers: u64,
    pub midstream_give_up: u32,
    /// Data-level reassembly on (1) or off (0).
    pub reassemble: u8,
    /// Bytes one connection may hold out of order.
    pub reassembly_buffer: u64,
    /// Delivered bytes remembered per direction to compare reinjected copies with.
    pub reinject_window: u64,
    /// 1 (the default): packets are handed over before Zeek's TCP analyzer processes
    /// them (Zeek 8.1+'s taps); 0: after it (Zeek 8.0's child packet analyzer). Decides
    /// which way round the packet at which Zeek flips a connection's ends is read.
    pub before_tcp_analyzer: u8,
}

/// What the caps cost so far.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default)]
pub struct MptcpStats {
    pub connections: u64,
    pub subflows: u64,
    pub live_subflows: u64,
    pub live_connections: u64,
    pub pending_evicted: u64,
    pub connections_refused: u64,
    pub subflows_refused: u64,
    pub flood_receivers_dropped: u64,
    pub options_malformed: u64,
}
