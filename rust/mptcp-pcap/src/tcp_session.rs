//! What Zeek's TCP session layer decides about a 4-tuple, so that the runner's connections
//! are Zeek's: which end of a new connection is the originator, and when a packet on a
//! known 4-tuple starts a new connection instead (Zeek 8.2's `TCPAnalyzer::WantConnection`
//! and `TCPSessionAdapter::IsReuse`, with the endpoint state those read).

use mptcp_core::tcp_flags::{ACK, FIN, RST, SYN};

/// Zeek 8.2's default `likely_server_ports` for TCP: the ports its default scripts
/// register analyzers for (`zeek -e 'print likely_server_ports'`). A site that adds ports
/// by `redef` gets them in Zeek only.
const LIKELY_SERVER_PORTS: [u16; 44] = [
    21, 22, 25, 53, 79, 80, 81, 88, 135, 139, 143, 443, 445, 465, 502, 563, 585, 587, 614, 631, 636, 989, 990, 992,
    993, 995, 1080, 1434, 1883, 2811, 3128, 3306, 3389, 5222, 5223, 5269, 6666, 6667, 6668, 6669, 8000, 8080, 8888,
    20000,
];

fn likely_server(port: u16) -> bool {
    LIKELY_SERVER_PORTS.binary_search(&port).is_ok()
}

/// Whether the receiver of `flags`, a connection's first packet sent from `sport` to
/// `dport`, is its originator. A pure SYN's sender is. Otherwise (a connection picked up
/// mid-stream, or begun with a SYN/ACK) Zeek guesses the server by its port: the sender
/// is the responder when its port is a likely server port and the receiver's is not,
/// or, both being such ports, when the packet is no SYN/ACK and the sender's is the lower.
/// A SYN/ACK on other ports: its receiver too. (Zeek makes its sender the originator at
/// first, and flips the connection at the next pure ACK or data packet, the
/// "H" history's flip in `TCP_Endpoint::CheckHistory`; the runner flips at once, so the
/// connection's packets are the same way round in both from that next packet on.)
pub fn receiver_is_originator(flags: u8, sport: u16, dport: u16) -> bool {
    let syn = flags & SYN != 0;
    let ack = flags & ACK != 0;
    if syn && !ack {
        return false;
    }
    if syn && ack {
        return true;
    }
    likely_server(sport) && (!likely_server(dport) || sport < dport)
}

/// What Zeek's reuse check reads of a connection's two endpoints (index 0 the
/// originator).
#[derive(Clone, Copy, Debug, Default)]
pub struct Endpoints {
    /// The endpoint has sent a packet (Zeek: its state is no longer INACTIVE).
    seen: [bool; 2],
    /// Its start sequence number as Zeek sets it: a SYN's own; one before its first
    /// segment when that was none; one before what the other end acknowledged, while it
    /// has sent nothing.
    start: [Option<u32>; 2],
    /// Either end sent a FIN or a RST (Zeek: `IsClosed`).
    closed: bool,
}

impl Endpoints {
    /// Whether a packet with `flags` and sequence number `seq` on this connection starts
    /// a new connection on the same 4-tuple (`IsReuse`): only a SYN can. A pure SYN does
    /// unless the connection is open and the SYN repeats the originator's start (a
    /// retransmitted SYN); a SYN/ACK only while the originator has sent nothing, unless
    /// the connection is open and it repeats the responder's start. After a FIN or RST
    /// every SYN does. (Zeek's exception for a SYN and SYN/ACK seen the wrong way round is
    /// not modelled: the runner orients a connection begun with a SYN/ACK by it at once.)
    pub fn is_reuse(&self, flags: u8, seq: u32) -> bool {
        if flags & SYN == 0 {
            return false;
        }
        let end = if flags & ACK != 0 {
            if self.seen[0] {
                return false;
            }
            1
        } else {
            0
        };
        self.closed || self.start[end] != Some(seq)
    }

    /// After a packet with `flags`, `seq` and `ack` from the originator (`is_orig`) or
    /// the responder, as Zeek's `init_endpoint` and `init_peer` set the start numbers.
    pub fn saw(&mut self, is_orig: bool, flags: u8, seq: u32, ack: u32) {
        let (me, peer) = if is_orig { (0, 1) } else { (1, 0) };
        if flags & SYN != 0 {
            // A SYN sets the start, first or again (Zeek's SYN_seq_jump and
            // SYN_inside_connection re-initialise it).
            self.start[me] = Some(seq);
        } else if !self.seen[me] {
            self.start[me] = Some(seq.wrapping_sub(1));
        }
        self.seen[me] = true;
        if flags & ACK != 0 && !self.seen[peer] {
            self.start[peer] = Some(ack.wrapping_sub(1));
        }
        if flags & (FIN | RST) != 0 {
            self.closed = true;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn likely_server_ports_are_sorted_for_the_binary_search() {
        assert!(LIKELY_SERVER_PORTS.windows(2).all(|w| w[0] < w[1]));
    }

    #[test]
    fn the_originator_of_a_new_connection_as_zeek_guesses_it() {
        // A pure SYN: its sender, whatever the ports.
        assert!(!receiver_is_originator(SYN, 80, 40000));
        // A SYN/ACK: its receiver.
        assert!(receiver_is_originator(SYN | ACK, 40000, 5201));
        // Mid-stream: the server by its port.
        assert!(receiver_is_originator(ACK, 80, 40000));
        assert!(!receiver_is_originator(ACK, 40000, 80));
        assert!(!receiver_is_originator(ACK, 5201, 40000));
        // Both likely server ports: the lower is the server.
        assert!(receiver_is_originator(ACK, 80, 8080));
        assert!(!receiver_is_originator(ACK, 8080, 80));
    }

    #[test]
    fn a_syn_starts_a_new_connection_unless_it_repeats_the_start() {
        let mut e = Endpoints::default();
        e.saw(true, SYN, 1000, 0);
        assert!(!e.is_reuse(SYN, 1000), "a retransmitted SYN");
        assert!(e.is_reuse(SYN, 5000), "another ISN");
        e.saw(false, SYN | ACK, 7000, 1001);
        assert!(!e.is_reuse(SYN | ACK, 7000), "the originator has sent: a SYN/ACK never");
        assert!(!e.is_reuse(SYN, 1000));
        assert!(!e.is_reuse(ACK, 1001));
        e.saw(true, ACK | FIN, 1001, 7001);
        assert!(e.is_reuse(SYN, 1000), "after a FIN, even the same SYN");
    }

    #[test]
    fn a_connection_begun_with_a_syn_ack_or_mid_stream() {
        // A SYN/ACK first (its receiver the originator, who has sent nothing): its
        // retransmission is not a new connection, a SYN/ACK with another number is.
        let mut e = Endpoints::default();
        e.saw(false, SYN | ACK, 7000, 1001);
        assert!(!e.is_reuse(SYN | ACK, 7000));
        assert!(e.is_reuse(SYN | ACK, 9000));
        // The originator's start came from the SYN/ACK's acknowledgement: the SYN it
        // answered, seen late, is not a new connection.
        assert!(!e.is_reuse(SYN, 1000));
        // Mid-stream: the originator's start is one before its first segment.
        let mut m = Endpoints::default();
        m.saw(true, ACK, 5000, 9000);
        assert!(m.is_reuse(SYN, 5000));
        assert!(!m.is_reuse(SYN, 4999));
        m.saw(false, RST, 9000, 0);
        assert!(m.is_reuse(SYN, 4999));
    }
}
