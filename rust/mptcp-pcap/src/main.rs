//! `mptcp-pcap`: MPTCP analysis of pcap/pcapng files without Zeek, with the same core
//! the Zeek package uses, writing Zeek-format logs.

mod analysis;
mod capture;
mod fragments;
mod link;
mod logs;
mod options_log;
mod segment;
mod streams;
mod tcp_session;
mod tunnel;
mod violations;
mod zeeklog;

use clap::Parser;
use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Parser, Debug)]
#[command(
    name = "mptcp-pcap",
    version,
    about = "Multipath TCP analysis of pcap/pcapng files (zeek-mptcp's core, no Zeek needed)"
)]
struct Cli {
    /// Folder the logs are written to.
    #[arg(long, default_value = ".")]
    logdir: PathBuf,
    /// Write JSON lines instead of Zeek's ASCII format.
    #[arg(long)]
    json: bool,
    /// Also write mptcp_options.log: one row per MPTCP option.
    #[arg(long)]
    options_log: bool,
    /// Write each MPTCP connection's reassembled data here: one file per direction,
    /// `mptcp-<mptcp_id>.client` (sent by the MPTCP client) and `.server`. Holes are
    /// left as zero bytes, so a file offset is the data-level stream offset.
    #[arg(long, value_name = "DIR")]
    streams: Option<PathBuf>,
    /// Analyse packets whose IPv4, UDP or TCP checksum is wrong (and IPv4 headers with a
    /// total length of 0), as `zeek -C` does. By default they are skipped, as Zeek skips
    /// them, and their number is reported.
    #[arg(short = 'C', long)]
    ignore_checksums: bool,
    /// pcap or pcapng files, read in order as one capture.
    #[arg(required = true)]
    files: Vec<PathBuf>,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(&cli) {
        Ok(code) => code,
        Err(msg) => {
            eprintln!("mptcp-pcap: {msg}");
            ExitCode::from(1)
        }
    }
}

fn run(cli: &Cli) -> Result<ExitCode, String> {
    std::fs::create_dir_all(&cli.logdir).map_err(|e| format!("{}: {e}", cli.logdir.display()))?;
    let logs = logs::Logs::create(&cli.logdir, cli.json, cli.options_log)
        .map_err(|e| format!("{}: {e}", cli.logdir.display()))?;
    let streams = match &cli.streams {
        Some(dir) => Some(streams::StreamFiles::create(dir).map_err(|e| format!("{}: {e}", dir.display()))?),
        None => None,
    };
    let mut analysis = analysis::Analysis::new(mptcp_core::tracker::Tracker::default(), logs, streams);
    // IP fragments wait for the rest of their packet across frames, and files (read as
    // one stream, as Zeek reads them).
    let mut fragments = fragments::Fragments::default();
    // UDP connections on which Zeek stopped decapsulating a tunnel, likewise.
    let mut violations = violations::Violations::default();
    let progress = std::io::stderr().is_terminal();
    let mut failed = false;
    for path in &cli.files {
        let size = std::fs::metadata(path).map(|m| m.len()).unwrap_or(0);
        let mut unsupported_reported = false;
        let mut bad_checksums = 0u64;
        let mut tunnel_stopped = 0u64;
        let mut write_err: Option<std::io::Error> = None;
        let result = capture::read_file(
            path,
            |frame| {
                analysis.saw_frame(frame.ts);
                let seg = match segment::tcp_segment(
                    frame.linktype,
                    frame.data,
                    frame.orig_len,
                    frame.ts,
                    &mut fragments,
                    &mut violations,
                    !cli.ignore_checksums,
                ) {
                    Ok(s) => s,
                    Err(segment::Skip::UnsupportedLinktype) => {
                        if !unsupported_reported {
                            eprintln!(
                                "mptcp-pcap: {}: link type {} is not supported; its packets are skipped",
                                path.display(),
                                frame.linktype.0
                            );
                            unsupported_reported = true;
                        }
                        return;
                    }
                    Err(segment::Skip::BadChecksum) => {
                        bad_checksums += 1;
                        return;
                    }
                    Err(segment::Skip::TunnelStopped) => {
                        tunnel_stopped += 1;
                        return;
                    }
                    Err(segment::Skip::NotTcp | segment::Skip::TruncatedIp | segment::Skip::Fragment) => return,
                };
                if let Err(e) = analysis.segment(frame.index, frame.ts, &seg) {
                    write_err.get_or_insert(e);
                }
            },
            |done| {
                if progress && size > 0 {
                    eprint!("\r{}: {:3}%", path.display(), done * 100 / size);
                }
            },
        );
        if progress && size > (8 << 20) {
            eprintln!();
        }
        if bad_checksums > 0 {
            // Zeek warns in the same case (typically checksum offloading on the capturing host).
            eprintln!(
                "mptcp-pcap: {}: {bad_checksums} packets with a wrong IPv4, UDP or TCP checksum (or an IPv4 length of 0) were skipped, as Zeek skips them; -C analyses them, as zeek -C does",
                path.display()
            );
        }
        if tunnel_stopped > 0 {
            // Zeek's analyzer.log names the violation that stopped each such tunnel.
            eprintln!(
                "mptcp-pcap: {}: {tunnel_stopped} packets in UDP tunnels (VXLAN, Geneve, Teredo, AYIYA) were not decapsulated: an earlier packet of their UDP connection had a malformed tunnel header, after which Zeek decapsulates none",
                path.display()
            );
        }
        if let Some(e) = write_err {
            return Err(format!("writing logs: {e}"));
        }
        match result {
            Ok(summary) => {
                if let Some(off) = summary.truncated_at {
                    eprintln!(
                        "mptcp-pcap: {}: last packet truncated at byte offset {off}; the {} packets before it were analyzed",
                        path.display(),
                        summary.frames
                    );
                }
            }
            Err(e) => {
                eprintln!("mptcp-pcap: {}: {e}", path.display());
                failed = true;
            }
        }
    }
    analysis.finish().map_err(|e| format!("writing logs: {e}"))?;
    let stats = analysis.tracker().stats();
    if stats.pending_evicted + stats.connections_refused + stats.subflows_refused + stats.flood_receivers_dropped > 0 {
        eprintln!(
            "mptcp-pcap: caps reached: {} pending handshakes evicted, {} connections and {} subflows refused, {} flood receivers not counted",
            stats.pending_evicted, stats.connections_refused, stats.subflows_refused, stats.flood_receivers_dropped
        );
    }
    analysis.logs.close().map_err(|e| format!("writing logs: {e}"))?;
    Ok(if failed { ExitCode::from(1) } else { ExitCode::SUCCESS })
}
