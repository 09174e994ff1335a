//! Per-subflow and per-connection state. Sizes matter: a subflow is created for every
//! TCP connection that carries an MPTCP option (a join flood makes one per SYN), so the
//! subflow record stays small (see the `state_sizes` test) and everything that grows
//! (address tables) lives in the connection.

use super::types::*;
use std::net::IpAddr;

/// The connection's two hosts: A started the MPTCP connection (sent the MP_CAPABLE
/// SYN), B answered it.
pub const SIDE_A: usize = 0;
pub const SIDE_B: usize = 1;

#[derive(Debug)]
pub struct Subflow {
    pub tuple: FlowTuple,
    pub ts: f64,
    pub conn: Option<Handle>,
    /// The handshake's values, packed (`Option`s would take twice the room): keys and
    /// the SYN/ACK's HMAC, then token and nonces, with which are known in `known`
    /// (`hv`). Read and set through the methods below.
    vals64: [u64; 3],
    vals32: [u32; 3],
    known: u8,
    pub version: Option<u8>,
    pub addr_id: Option<u8>,
    pub tcprst_reason: Option<u8>,
    pub fallback: Option<FallbackReason>,
    pub linked_by: LinkMethod,
    /// SYN/ACK and third-ACK HMAC checks: None = not checked, Some(ok).
    pub synack_ok: Option<bool>,
    pub ack_ok: Option<bool>,
    /// Which side of the connection the subflow's originator is.
    pub orig_side: u8,
    pub cap_flags: u8,
    pub bits: u16,
    /// Initial sequence numbers of the originator's and the responder's direction.
    pub isn: [u32; 2],
    /// Data-level reassembly state, while the subflow feeds its connection's streams.
    pub stream: Option<Box<SubflowStreams>>,
    /// What the DSS options of a subflow without a connection said (`SubflowSummary::dss`);
    /// boxed, made at its first DSS: only joins to connections this tracker never saw have one.
    pub dss: Option<Box<LoneDss>>,
    /// What the packet being handled decided about the slot's DSS memos
    /// (`repeat::memo_op`; applied to the slot once the packet is handled).
    pub memo_op: u8,
}

/// What the DSS options of a subflow without a connection said (`Subflow::dss`), stored
/// in 48 bytes: the facts' times and data ACKs, with what is present in `bits`.
#[derive(Debug, Default)]
pub struct LoneDss {
    pub last_ts: f64,
    pub infinite_ts: f64,
    pub no_checksum_ts: f64,
    /// Highest 64-bit data ACK per direction (0: from the originator).
    pub data_ack: [u64; 2],
    pub bits: u8,
}

/// `LoneDss::bits` (a module of its own, as `sf`: cbindgen, reading this crate for the
/// FFI's header, would export associated constants).
pub mod lone {
    /// DATA_FIN from the originator / responder; a data ACK in `data_ack[0]` / `[1]`;
    /// `infinite_ts`, `no_checksum_ts` set.
    pub const FIN: [u8; 2] = [1, 2];
    pub const ACK: [u8; 2] = [4, 8];
    pub const INFINITE: u8 = 16;
    pub const NO_CHECKSUM: u8 = 32;
}

impl LoneDss {
    pub fn facts(&self) -> DssFacts {
        let has = |b: u8| self.bits & b != 0;
        DssFacts {
            last_ts: self.last_ts,
            data_fin: lone::FIN.map(has),
            data_ack: [0, 1].map(|i| has(lone::ACK[i]).then_some(self.data_ack[i])),
            infinite_ts: has(lone::INFINITE).then_some(self.infinite_ts),
            no_checksum_ts: has(lone::NO_CHECKSUM).then_some(self.no_checksum_ts),
        }
    }
}

/// Mappings of a reassembled subflow, per direction (0: from its originator).
#[derive(Debug, Default)]
pub struct SubflowStreams {
    pub dirs: [crate::reassembly::mapping::SubflowDir; 2],
}

/// A connection's data streams (index: side that sends them).
#[derive(Debug, Default)]
pub struct ConnStream {
    pub dirs: [crate::reassembly::DataStream; 2],
    /// A mapping was seen (the connection did not fall back at its first data).
    pub saw_mapping: bool,
    /// Per sending side: subflow directions holding bytes until their checksum is known,
    /// and the highest DATA_ACK seen meanwhile (a gap must not be declared over bytes
    /// that are only held).
    pub holding: [u32; 2],
    pub deferred_ack: [Option<u64>; 2],
}

/// The handshake values of a subflow (`Subflow::first64`, `Subflow::set32`).
pub mod hv {
    pub const SYN_KEY: usize = 0;
    pub const SYNACK_KEY: usize = 1;
    pub const SYNACK_HMAC: usize = 2;
    pub const TOKEN: usize = 0;
    pub const NONCE_ORIG: usize = 1;
    pub const NONCE_RESP: usize = 2;
}

/// Subflow flag bits (kept in one word to keep the record small).
pub mod sf {
    pub const INITIAL: u16 = 1 << 0;
    pub const ESTABLISHED: u16 = 1 << 1;
    pub const LINK_REPORTED: u16 = 1 << 2;
    pub const CAP_SYN: u16 = 1 << 3;
    pub const JOIN_SYN: u16 = 1 << 4;
    pub const BACKUP: u16 = 1 << 5;
    pub const FASTCLOSE: u16 = 1 << 6;
    pub const RESET: u16 = 1 << 7;
    pub const KEY_CHANGE_REPORTED: u16 = 1 << 8;
    pub const CAP_OR_JOIN: u16 = 1 << 9;
    pub const ISN_ORIG: u16 = 1 << 10;
    pub const ISN_RESP: u16 = 1 << 11;
    /// The subflow's payload feeds its connection's data streams.
    pub const STREAM: u16 = 1 << 12;
}

impl Subflow {
    pub fn new(tuple: FlowTuple, ts: f64) -> Self {
        Subflow {
            tuple,
            ts,
            conn: None,
            vals64: [0; 3],
            vals32: [0; 3],
            known: 0,
            version: None,
            addr_id: None,
            tcprst_reason: None,
            fallback: None,
            linked_by: LinkMethod::None,
            synack_ok: None,
            ack_ok: None,
            orig_side: SIDE_A as u8,
            cap_flags: 0,
            bits: 0,
            isn: [0; 2],
            stream: None,
            dss: None,
            memo_op: 0,
        }
    }
    /// The MP_CAPABLE key of the SYN, of the SYN/ACK; the MP_JOIN SYN/ACK's HMAC.
    pub fn syn_key(&self) -> Option<u64> {
        self.get64(hv::SYN_KEY)
    }
    pub fn synack_key(&self) -> Option<u64> {
        self.get64(hv::SYNACK_KEY)
    }
    pub fn synack_hmac(&self) -> Option<u64> {
        self.get64(hv::SYNACK_HMAC)
    }
    /// MP_JOIN: the token of the SYN, the nonces of the SYN and the SYN/ACK.
    pub fn token(&self) -> Option<u32> {
        self.get32(hv::TOKEN)
    }
    pub fn nonce_orig(&self) -> Option<u32> {
        self.get32(hv::NONCE_ORIG)
    }
    pub fn nonce_resp(&self) -> Option<u32> {
        self.get32(hv::NONCE_RESP)
    }
    fn get64(&self, i: usize) -> Option<u64> {
        (self.known & (1 << i) != 0).then_some(self.vals64[i])
    }
    fn get32(&self, i: usize) -> Option<u32> {
        (self.known & (8 << i) != 0).then_some(self.vals32[i])
    }
    /// Value `i` of `hv` (a key or the HMAC) unless one is known already: the first wins.
    pub fn first64(&mut self, i: usize, v: u64) {
        if self.known & (1 << i) == 0 {
            self.vals64[i] = v;
            self.known |= 1 << i;
        }
    }
    /// Value `i` of `hv` (token or nonce); `keep_first`: unless one is known already.
    pub fn set32(&mut self, i: usize, v: u32, keep_first: bool) {
        if !keep_first || self.known & (8 << i) == 0 {
            self.vals32[i] = v;
            self.known |= 8 << i;
        }
    }
    #[inline]
    pub fn has(&self, b: u16) -> bool {
        self.bits & b != 0
    }
    #[inline]
    pub fn set(&mut self, b: u16) {
        self.bits |= b;
    }
    pub fn join_auth(&self) -> JoinAuth {
        match (self.synack_ok, self.ack_ok) {
            (Some(false), _) | (_, Some(false)) => JoinAuth::Failed,
            (None, None) => JoinAuth::Unverifiable,
            _ => JoinAuth::Verified,
        }
    }
}

/// An advertised address.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct AddrEntry {
    pub id: u8,
    pub addr: IpAddr,
    pub port: Option<u16>,
}

#[derive(Debug)]
pub struct Conn {
    pub id: MptcpId,
    pub ts: f64,
    pub last_ts: f64,
    pub tuple: FlowTuple,
    pub version: u8,
    pub checksum: bool,
    pub keys: [Option<u64>; 2],
    pub tokens: [Option<u32>; 2],
    pub idsn: [Option<u64>; 2],
    /// Addresses each side announced (ADD_ADDR), by id.
    pub addrs: [Vec<AddrEntry>; 2],
    /// Addresses each side used as a subflow endpoint.
    pub used: [Vec<IpAddr>; 2],
    /// The addresses the tracker's address index holds this connection under, with its
    /// index number there (so that its release finds them all).
    pub indexed: Vec<(IpAddr, u64)>,
    pub advertised: Vec<String>,
    pub removed: u32,
    pub live_subflows: u32,
    pub attempted: u32,
    pub established: u32,
    pub resets: u32,
    pub data_fin: [bool; 2],
    pub fastclose: bool,
    pub tcprst: bool,
    pub fallback: bool,
    pub fallback_reported: bool,
    /// Highest 64-bit data ACK each side sent.
    pub data_ack: [Option<u64>; 2],
    /// Data-level reassembly (when on and the handshake was seen).
    pub stream: Option<Box<ConnStream>>,
    /// MP_JOIN SYNs with this connection's token (join-flood counting, tracker/flood.rs).
    pub joins: super::flood::JoinWindow,
}

impl Conn {
    pub fn new(id: MptcpId, ts: f64, tuple: FlowTuple, version: u8) -> Self {
        Conn {
            id,
            ts,
            last_ts: ts,
            tuple,
            version,
            checksum: false,
            keys: [None; 2],
            tokens: [None; 2],
            idsn: [None; 2],
            addrs: [Vec::new(), Vec::new()],
            used: [vec![tuple.orig_h], vec![tuple.resp_h]],
            indexed: Vec::new(),
            advertised: Vec::new(),
            removed: 0,
            live_subflows: 0,
            attempted: 0,
            established: 0,
            resets: 0,
            data_fin: [false; 2],
            fastclose: false,
            tcprst: false,
            fallback: false,
            fallback_reported: false,
            data_ack: [None; 2],
            stream: None,
            joins: Default::default(),
        }
    }

    /// Whether `side` uses or announced `addr`.
    pub fn side_has_addr(&self, side: usize, addr: IpAddr) -> bool {
        self.used[side].contains(&addr) || self.addrs[side].iter().any(|e| e.addr == addr)
    }

    /// The facts `close_reason` and `bytes_from` read (`ConnSummary::facts`).
    pub fn facts(&self) -> ConnFacts {
        ConnFacts {
            data_fin: self.data_fin,
            data_ack: self.data_ack,
            resets: self.resets,
            fastclose: self.fastclose,
            tcprst: self.tcprst,
            fallback: self.fallback,
        }
    }

    pub fn close_reason(&self) -> CloseReason {
        if self.fastclose {
            CloseReason::FastClose
        } else if self.data_fin[0] && self.data_fin[1] {
            CloseReason::DataFin
        } else if self.tcprst && self.resets >= self.attempted.max(1) {
            CloseReason::TcpRst
        } else if self.resets > 0 && self.resets >= self.attempted {
            CloseReason::Reset
        } else if self.fallback {
            CloseReason::Fallback
        } else {
            CloseReason::Timeout
        }
    }

    /// Data-level bytes acknowledged by the peer of `side` (DATA_FIN excluded).
    pub fn bytes_from(&self, side: usize) -> Option<u64> {
        let idsn = self.idsn[side]?;
        let ack = self.data_ack[1 - side]?;
        let n = ack.wrapping_sub(idsn.wrapping_add(1));
        let n = if self.data_fin[side] { n.saturating_sub(1) } else { n };
        // An ACK below the IDSN is not ours to count (wrong guess of the ack's width).
        (n < (1 << 62)).then_some(n)
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn state_sizes() {
        // ≤ 256 bytes per tracked subflow, including its slab slot and index entries
        // (the memory bench measures the whole); reassembly state is boxed and exists
        // only for subflows whose data is reassembled (the repeated-DSS memos live in
        // the caller's slot).
        let sz = std::mem::size_of::<super::Subflow>();
        assert!(sz <= 144, "Subflow is {sz} bytes");
        assert_eq!(std::mem::size_of::<super::LoneDss>(), 48);
    }
}
