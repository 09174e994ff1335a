//! Why an MPTCP option could not be decoded. Every error keeps the subtype (when the
//! option was long enough to carry one) and the option length, so that logs and the
//! `mptcp_option_error` event can say exactly what was wrong.

use std::fmt;

/// What is wrong with an option.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[repr(u8)]
pub enum ErrorKind {
    /// The length is not one this subtype can have.
    BadLength = 1,
    /// The length is valid for the subtype but not for its flags (DSS) or for the
    /// segment's TCP flags (MP_CAPABLE / MP_JOIN forms).
    LengthMismatch = 2,
    /// The subtype value is not assigned (9..=0xe).
    UnknownSubtype = 3,
    /// Kind 30 with length 2: no room for a subtype.
    NoSubtype = 4,
    /// Option length 0 or 1: the option list cannot be walked past it.
    LengthTooSmall = 5,
    /// The option's length runs past the end of the TCP header (or the captured bytes).
    Overrun = 6,
    /// Kind 30 is the last byte of the header: no length byte.
    MissingLength = 7,
    /// An ADD_ADDR whose layout fits neither RFC (e.g. a v1 non-echo without HMAC,
    /// or a v0 IP-version nibble that is neither 4 nor 6).
    BadAddress = 8,
}

impl ErrorKind {
    /// Stable, short machine name (used in logs and as the Zeek weird name suffix).
    pub fn name(self) -> &'static str {
        match self {
            ErrorKind::BadLength => "bad_length",
            ErrorKind::LengthMismatch => "length_mismatch",
            ErrorKind::UnknownSubtype => "unknown_subtype",
            ErrorKind::NoSubtype => "no_subtype",
            ErrorKind::LengthTooSmall => "length_too_small",
            ErrorKind::Overrun => "overrun",
            ErrorKind::MissingLength => "missing_length",
            ErrorKind::BadAddress => "bad_address",
        }
    }
}

/// A malformed MPTCP option.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct OptionError {
    pub kind: ErrorKind,
    /// The raw 4-bit subtype value, when the option carried one.
    pub subtype: Option<u8>,
    /// The option's length byte (0 when it had none).
    pub len: u8,
    /// For [`ErrorKind::Overrun`]: how many bytes were left in the header.
    pub available: u8,
}

impl OptionError {
    pub(crate) fn new(kind: ErrorKind, subtype: Option<u8>, len: u8) -> Self {
        OptionError { kind, subtype, len, available: 0 }
    }
}

impl fmt::Display for OptionError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let st = self.subtype.and_then(crate::option::Subtype::from_nibble);
        match (self.kind, st) {
            (ErrorKind::Overrun, _) => {
                write!(f, "overrun: option length {} exceeds the {} bytes left in the header", self.len, self.available)
            }
            (ErrorKind::MissingLength, _) => write!(f, "missing_length: kind 30 is the last byte"),
            (ErrorKind::LengthTooSmall, _) => {
                write!(f, "length_too_small: option length {}", self.len)
            }
            (ErrorKind::NoSubtype, _) => write!(f, "no_subtype: option length {}", self.len),
            (ErrorKind::UnknownSubtype, _) => {
                write!(f, "unknown_subtype: subtype 0x{:x} length {}", self.subtype.unwrap_or(0), self.len)
            }
            (k, Some(s)) => write!(f, "{}: {} length {}", k.name(), s.name(), self.len),
            (k, None) => write!(f, "{}: length {}", k.name(), self.len),
        }
    }
}

impl std::error::Error for OptionError {}
