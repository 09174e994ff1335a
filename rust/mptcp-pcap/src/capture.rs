//! Reading packets from pcap and pcapng files (pcap-parser), with the error behaviour the
//! runner promises: a corrupt file is reported with its byte offset, a truncated last
//! packet is reported and everything before it kept.

use pcap_parser::pcapng::Block;
use pcap_parser::traits::PcapReaderIterator;
use pcap_parser::{create_reader, Linktype, PcapBlockOwned, PcapError};
use std::fmt;
use std::fs::File;
use std::path::Path;

/// One captured frame, borrowed from the reader's buffer.
pub struct Frame<'a> {
    /// 1-based index of the packet in its file.
    pub index: u64,
    /// Seconds since the epoch.
    pub ts: f64,
    pub linktype: Linktype,
    pub data: &'a [u8],
    /// The frame's length on the wire (may exceed `data` when the capture was cut).
    pub orig_len: u32,
}

/// Why reading stopped early.
#[derive(Debug)]
pub enum ReadError {
    /// The file could not be opened or read.
    Io(std::io::Error),
    /// The file is not pcap or pcapng, or is corrupt at `offset`.
    Corrupt { offset: u64, what: String },
}

impl fmt::Display for ReadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ReadError::Io(e) => write!(f, "{e}"),
            ReadError::Corrupt { offset, what } => write!(f, "byte offset {offset}: {what}"),
        }
    }
}

/// What happened at the end of a file that was read without a fatal error.
#[derive(Debug, Default)]
pub struct ReadSummary {
    pub frames: u64,
    /// The last record was cut short: its byte offset.
    pub truncated_at: Option<u64>,
}

/// Read every frame of `path`, calling `on_frame` for each. `on_progress` receives the
/// number of bytes consumed so far (for a progress display).
pub fn read_file(
    path: &Path,
    mut on_frame: impl FnMut(&Frame<'_>),
    mut on_progress: impl FnMut(u64),
) -> Result<ReadSummary, ReadError> {
    let file = File::open(path).map_err(ReadError::Io)?;
    let mut reader: Box<dyn PcapReaderIterator> = match create_reader(1 << 20, file) {
        Ok(r) => r,
        Err(PcapError::Eof) => {
            return Err(ReadError::Corrupt { offset: 0, what: "empty file".into() });
        }
        Err(PcapError::ReadError) => {
            return Err(ReadError::Io(std::io::Error::other("read error")));
        }
        Err(_) => {
            return Err(ReadError::Corrupt { offset: 0, what: "not a pcap or pcapng file".into() });
        }
    };
    let mut summary = ReadSummary::default();
    // pcap: one link type and resolution; pcapng: per interface.
    let mut legacy_linktype = Linktype::ETHERNET;
    let mut legacy_nanos = false;
    let mut interfaces: Vec<(Linktype, u64, i64)> = Vec::new();
    let mut offset: u64 = 0;
    let mut last_progress = 0u64;
    loop {
        match reader.next() {
            Ok((n, block)) => {
                match block {
                    PcapBlockOwned::LegacyHeader(h) => {
                        legacy_linktype = h.network;
                        legacy_nanos = h.is_nanosecond_precision();
                    }
                    PcapBlockOwned::Legacy(b) => {
                        summary.frames += 1;
                        let frac = if legacy_nanos { b.ts_usec as f64 / 1e9 } else { b.ts_usec as f64 / 1e6 };
                        let caplen = (b.caplen as usize).min(b.data.len());
                        on_frame(&Frame {
                            index: summary.frames,
                            ts: b.ts_sec as f64 + frac,
                            linktype: legacy_linktype,
                            data: &b.data[..caplen],
                            orig_len: b.origlen,
                        });
                    }
                    PcapBlockOwned::NG(Block::SectionHeader(_)) => interfaces.clear(),
                    PcapBlockOwned::NG(Block::InterfaceDescription(idb)) => {
                        let res = idb.ts_resolution().unwrap_or(1_000_000);
                        interfaces.push((idb.linktype, res, idb.ts_offset()));
                    }
                    PcapBlockOwned::NG(Block::EnhancedPacket(epb)) => {
                        summary.frames += 1;
                        let (lt, res, off) =
                            interfaces.get(epb.if_id as usize).copied().unwrap_or((Linktype::ETHERNET, 1_000_000, 0));
                        let ts = epb.decode_ts_f64(off as u64, res);
                        let caplen = (epb.caplen as usize).min(epb.data.len());
                        on_frame(&Frame {
                            index: summary.frames,
                            ts,
                            linktype: lt,
                            data: &epb.data[..caplen],
                            orig_len: epb.origlen,
                        });
                    }
                    PcapBlockOwned::NG(Block::SimplePacket(spb)) => {
                        summary.frames += 1;
                        let lt = interfaces.first().map(|i| i.0).unwrap_or(Linktype::ETHERNET);
                        let caplen = (spb.origlen as usize).min(spb.data.len());
                        on_frame(&Frame {
                            index: summary.frames,
                            ts: 0.0,
                            linktype: lt,
                            data: &spb.data[..caplen],
                            orig_len: spb.origlen,
                        });
                    }
                    PcapBlockOwned::NG(_) => {}
                }
                offset += n as u64;
                reader.consume(n);
                if offset - last_progress >= 8 << 20 {
                    last_progress = offset;
                    on_progress(offset);
                }
            }
            Err(PcapError::Eof) => break,
            Err(PcapError::Incomplete(_)) => {
                if reader.reader_exhausted() {
                    // Bytes left but not a whole record: a capture cut short while written.
                    if reader.data().is_empty() {
                        break;
                    }
                    summary.truncated_at = Some(offset);
                    break;
                }
                if reader.refill().is_err() {
                    return Err(ReadError::Corrupt { offset, what: "read error while refilling".into() });
                }
            }
            Err(PcapError::UnexpectedEof) => {
                summary.truncated_at = Some(offset);
                break;
            }
            Err(PcapError::BufferTooSmall) => {
                let cap = reader.data().len().max(1 << 20);
                if !reader.grow(cap * 2) || cap > (256 << 20) {
                    return Err(ReadError::Corrupt { offset, what: "record larger than 256 MiB".into() });
                }
                let _ = reader.refill();
            }
            Err(PcapError::ReadError) => {
                return Err(ReadError::Io(std::io::Error::other(format!("read error at byte offset {offset}"))));
            }
            Err(e) => {
                return Err(ReadError::Corrupt { offset, what: format!("corrupt record ({e:?})") });
            }
        }
    }
    Ok(summary)
}
