//! zeek-mptcp's core: Multipath TCP (RFC 6824 v0, RFC 8684 v1) option decoding,
//! subflow linking, cryptographic checks and detection, free of Zeek and of `unsafe`.
//! The Zeek plugin reaches it through the `mptcp-ffi` crate; the offline runner
//! `mptcp-pcap` uses it directly.
#![forbid(unsafe_code)]

pub mod crypto;
pub mod decode;
pub mod error;
pub mod fields;
pub mod inet_checksum;
pub mod option;
pub mod reassembly;
pub mod tracker;
pub mod walk;

pub use decode::{decode_option, tcp_flags, DecodeContext};
pub use error::{ErrorKind, OptionError};
pub use option::*;
pub use walk::{has_mptcp, mptcp_options, Found, MptcpOptions, KIND_MPTCP};
