//! Walking a TCP header's option bytes (EOL, NOP, kind/length) to find MPTCP options.
//!
//! The walk stops at EOL, and at any option whose length cannot be trusted (0, 1, past
//! the end): after such an option there is no way to know where the next one starts.
//! A broken MPTCP option is reported as an error; a broken option of another kind ends
//! the walk silently (it is not ours to judge). Options before the broken one have
//! already been yielded, so nothing decodable is lost.

use crate::decode::{decode_option, DecodeContext};
use crate::error::{ErrorKind, OptionError};
use crate::option::MptcpOption;

/// TCP option kind of MPTCP.
pub const KIND_MPTCP: u8 = 30;

/// One MPTCP option found by the walk: its raw bytes and its decode.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Found<'a> {
    /// Offset of the option's kind byte within the option bytes walked.
    pub offset: usize,
    /// The option's bytes (kind and length included), cut to what the header holds.
    pub raw: &'a [u8],
    pub result: Result<MptcpOption<'a>, OptionError>,
}

/// Iterator over the MPTCP options in a TCP header's option area (the bytes after the
/// fixed 20-byte header, up to the data offset, cut to what was captured).
#[derive(Clone, Debug)]
pub struct MptcpOptions<'a> {
    bytes: &'a [u8],
    pos: usize,
    ctx: DecodeContext,
}

/// Walk `options` (TCP option bytes) and yield every kind-30 option.
#[inline]
pub fn mptcp_options<'a>(options: &'a [u8], ctx: DecodeContext) -> MptcpOptions<'a> {
    // Fast path for the layout Linux sends on nearly every segment: NOP, NOP, timestamps.
    let pos = if options.len() >= 12 && options[..4] == [1, 1, 8, 10] { 12 } else { 0 };
    MptcpOptions { bytes: options, pos, ctx }
}

/// Whether the option bytes carry any kind-30 option (a cheap pre-check that decodes
/// nothing): whether [`mptcp_options`] finds one, well-formed or not. Its own loop, as
/// tight as the walk allows: it runs on every TCP handshake the plugin sees.
pub fn has_mptcp(options: &[u8]) -> bool {
    let mut at = 0usize;
    while let Some(&kind) = options.get(at) {
        match kind {
            0 => return false,
            1 => at += 1,
            KIND_MPTCP => return true,
            // The walk stops at a length that is missing, below 2 or past the end.
            _ => match options.get(at + 1) {
                Some(&len) if len >= 2 && usize::from(len) <= options.len() - at => at += usize::from(len),
                _ => return false,
            },
        }
    }
    false
}

impl<'a> MptcpOptions<'a> {
    /// Advance to the next kind-30 option; returns its offset and raw bytes, or a
    /// structural error. `None` when the walk is over.
    #[inline]
    fn next_raw(&mut self) -> Option<(usize, &'a [u8], Option<OptionError>)> {
        let b = self.bytes;
        while self.pos < b.len() {
            let at = self.pos;
            let kind = b[at];
            match kind {
                0 => {
                    self.pos = b.len();
                    return None;
                }
                1 => {
                    self.pos += 1;
                    continue;
                }
                _ => {}
            }
            let mptcp = kind == KIND_MPTCP;
            let left = b.len() - at;
            if left < 2 {
                self.pos = b.len();
                return mptcp.then(|| (at, &b[at..], Some(OptionError::new(ErrorKind::MissingLength, None, 0))));
            }
            let len = b[at + 1] as usize;
            if len < 2 {
                self.pos = b.len();
                return mptcp
                    .then(|| (at, &b[at..at + 2], Some(OptionError::new(ErrorKind::LengthTooSmall, None, len as u8))));
            }
            if len > left {
                self.pos = b.len();
                return mptcp.then(|| {
                    let subtype = b.get(at + 2).map(|s| s >> 4);
                    let mut e = OptionError::new(ErrorKind::Overrun, subtype, len as u8);
                    e.available = left.min(255) as u8;
                    (at, &b[at..], Some(e))
                });
            }
            self.pos = at + len;
            if mptcp {
                return Some((at, &b[at..at + len], None));
            }
        }
        None
    }
}

impl<'a> Iterator for MptcpOptions<'a> {
    type Item = Found<'a>;

    #[inline(always)]
    fn next(&mut self) -> Option<Found<'a>> {
        let (offset, raw, err) = self.next_raw()?;
        let result = match err {
            Some(e) => Err(e),
            None => decode_option(raw, &self.ctx),
        };
        Some(Found { offset, raw, result })
    }
}
