//! From a captured frame to a TCP segment: link layer (link.rs), IPv4/IPv6 (etherparse,
//! lax so that header-only captures still decode), through the tunnels Zeek decapsulates by default
//! (tunnel.rs) and IP fragments (fragments.rs), then the TCP header.

use etherparse::{Ipv6ExtensionSlice, LaxIpSlice, TcpSlice};
use pcap_parser::Linktype;
use std::net::IpAddr;

use crate::fragments::{Fragment, Fragments};
use crate::link::be16;
use crate::tunnel::NoInner;
use crate::violations::Violations;
use crate::{link, tunnel};
use mptcp_core::inet_checksum;

/// The parts of a TCP segment the analysis needs.
pub struct Segment<'a> {
    pub src: IpAddr,
    pub dst: IpAddr,
    pub sport: u16,
    pub dport: u16,
    /// TCP flags byte (FIN 0x01, SYN 0x02, RST 0x04, PSH 0x08, ACK 0x10, ...).
    pub flags: u8,
    pub seq: u32,
    pub ack: u32,
    /// Payload length as the IP header declares it (captures may hold less).
    pub payload_len: u32,
    /// Option bytes of the TCP header.
    pub options: &'a [u8],
    /// The captured payload (up to `payload_len` bytes).
    pub payload: &'a [u8],
}

/// A connection's two ends (address and port), in a fixed order whichever of them sent
/// the packet: one lookup finds a TCP connection (analysis.rs) or a marked UDP connection
/// (violations.rs) from either direction.
pub type EndsKey = ((IpAddr, u16), (IpAddr, u16));

pub fn ends_key(a: (IpAddr, u16), b: (IpAddr, u16)) -> EndsKey {
    if a <= b {
        (a, b)
    } else {
        (b, a)
    }
}

/// Why a frame gave no TCP segment.
#[derive(Debug, PartialEq, Eq)]
pub enum Skip {
    /// Link type this runner does not decode.
    UnsupportedLinktype,
    /// Not IP, not TCP, or too short.
    NotTcp,
    /// The IP header claims more bytes than the frame had on the wire: Zeek drops such
    /// packets (weird `truncated_IP_len`), and so does the runner, to read what Zeek reads.
    /// Likewise a packet inside a tunnel of a length Zeek does not take there (cut short
    /// by the capture inside GRE, IP in IP or GTPv1; see tunnel.rs).
    TruncatedIp,
    /// An IP fragment: kept until its packet is whole (see fragments.rs), or unusable.
    Fragment,
    /// A checksum is wrong, or an IPv4 total length is 0 (checked on request).
    BadChecksum,
    /// A UDP tunnel's packet on a connection where Zeek stopped decapsulating that tunnel
    /// after a protocol violation (violations.rs).
    TunnelStopped,
}

/// Decode a frame of the given link type, seen at `ts`, to its TCP segment.
///
/// A fragment goes to `fragments`; the frame that completes a packet gives that packet's
/// segment (borrowed from `fragments` then). One packet per frame is put back together:
/// a fragment inside a packet that was itself reassembled from this frame is skipped.
/// With `checksums`, a packet whose IPv4 header, UDP tunnel or TCP checksum is wrong is
/// skipped (`BadChecksum`), as Zeek skips it unless run with -C; so is an IPv4 header
/// with a total length of 0 (segmentation offload), which Zeek reads only with -C.
/// `violations` holds the UDP connections on which Zeek stopped a tunnel, and takes new
/// ones.
pub fn tcp_segment<'a>(
    linktype: Linktype,
    data: &'a [u8],
    orig_len: u32,
    ts: f64,
    fragments: &'a mut Fragments,
    violations: &mut Violations,
    checksums: bool,
) -> Result<Segment<'a>, Skip> {
    let mut ip_bytes = link::ip_packet(linktype, data).map_err(|e| match e {
        link::NoIp::UnsupportedLinktype => Skip::UnsupportedLinktype,
        link::NoIp::NotIp => Skip::NotTcp,
    })?;
    // Tunnels Zeek decapsulates by default are followed to the packet inside (tunnel.rs).
    let (mut depth, mut in_gtp, mut fragments) = (0, false, Some(fragments));
    let (src, dst, payload, declared) = loop {
        let (net, _) = LaxIpSlice::from_slice(ip_bytes).map_err(|_| Skip::NotTcp)?;
        let ip = ip_layer(&net, data, orig_len)?;
        if let (true, LaxIpSlice::Ipv4(v4)) = (checksums, &net) {
            let h = v4.header();
            if h.total_len() == 0 || !inet_checksum::ipv4_header_ok(h.slice()) {
                return Err(Skip::BadChecksum);
            }
        }
        let ip_payload = net.payload();
        let (proto, payload, declared) = if !ip_payload.fragmented {
            // Captures may hold less than the header declares (header-only traces).
            let declared = if ip_payload.incomplete { ip.declared } else { ip_payload.payload.len() };
            (ip_payload.ip_number.0, ip_payload.payload, declared)
        } else if let Some(whole) = ip.start.and_then(|start| data.get(start..start + ip.total)) {
            match fragments.take().ok_or(Skip::NotTcp)?.add(whole, ts, depth) {
                Fragment::Whole(proto, payload) => (proto, payload, payload.len()),
                Fragment::Held => return Err(Skip::Fragment),
            }
        } else if ip.start.is_some() && first_fragment(&net) {
            // A first fragment the capture cut short cannot be put together; Zeek then
            // analyses it alone (what header-only traces need), and so does the runner.
            (ip_payload.ip_number.0, ip_payload.payload, ip.declared)
        } else {
            return Err(Skip::Fragment);
        };
        if proto == etherparse::IpNumber::TCP.0 {
            break (ip.src, ip.dst, payload, declared);
        }
        if depth == tunnel::MAX_DEPTH {
            return Err(Skip::NotTcp);
        }
        // A UDP tunnel that stops after a violation: its connection's ends, and whether
        // Zeek still decapsulates on it (asked first: every packet keeps it alive).
        let is_udp = proto == etherparse::IpNumber::UDP.0;
        let stoppable = if is_udp { tunnel::udp_tunnel(payload) } else { None };
        let ends = ((ip.src, be16(payload, 0).unwrap_or(0)), (ip.dst, be16(payload, 2).unwrap_or(0)));
        let stopped = is_udp && !violations.allows(ends.0, ends.1, stoppable, ts);
        // Zeek checks a UDP datagram's checksum when the frame was captured whole.
        if checksums && is_udp && data.len() >= orig_len as usize {
            if let Some(datagram) = payload.get(..declared) {
                if !udp_checksum_ok(&ip, datagram) {
                    return Err(Skip::BadChecksum);
                }
            }
        }
        if stopped {
            return Err(Skip::TunnelStopped);
        }
        let inner = tunnel::inner(proto, payload, in_gtp).map_err(|why| match why {
            NoInner::Violation(t) => {
                violations.mark(ends.0, ends.1, t, ts);
                Skip::NotTcp
            }
            NoInner::Length => Skip::TruncatedIp,
            NoInner::Nothing => Skip::NotTcp,
        })?;
        (ip_bytes, in_gtp) = (inner.ip, inner.gtp);
        depth += 1;
    };
    // Zeek checks a TCP segment's checksum when the segment was captured whole.
    if checksums && payload.get(..declared).is_some_and(|whole| !inet_checksum::transport_ok(src, dst, 6, whole)) {
        return Err(Skip::BadChecksum);
    }
    let tcp = TcpSlice::from_slice(payload).map_err(|_| Skip::NotTcp)?;
    let hdr_len = tcp.data_offset() as usize * 4;
    let hs = tcp.header_slice();
    Ok(Segment {
        src,
        dst,
        sport: tcp.source_port(),
        dport: tcp.destination_port(),
        flags: hs[13],
        seq: tcp.sequence_number(),
        ack: tcp.acknowledgment_number(),
        payload_len: declared.saturating_sub(hdr_len) as u32,
        options: hs.get(20..hdr_len).unwrap_or(&[]),
        payload: tcp.payload(),
    })
}

/// What the runner reads of an IP header.
struct IpLayer {
    src: IpAddr,
    dst: IpAddr,
    /// Payload length as the header declares it.
    declared: usize,
    /// Where the header starts in the frame (None: in a packet put together from
    /// fragments, not in the frame), and the packet's length as it declares it.
    start: Option<usize>,
    total: usize,
}

/// An IP header in `data` (a frame of `orig_len` bytes on the wire), or in a packet put
/// together from fragments; `TruncatedIp` when the header claims more bytes than the
/// frame had.
fn ip_layer(net: &LaxIpSlice<'_>, data: &[u8], orig_len: u32) -> Result<IpLayer, Skip> {
    let ip = match net {
        LaxIpSlice::Ipv4(v4) => {
            let h = v4.header();
            // A total length shorter than the header (0 aside: segmentation offload):
            // Zeek drops the packet (weird invalid_IP_header_size), -C or not.
            let total = usize::from(h.total_len());
            if total != 0 && total < usize::from(h.ihl()) * 4 {
                return Err(Skip::NotTcp);
            }
            IpLayer {
                src: IpAddr::V4(h.source_addr()),
                dst: IpAddr::V4(h.destination_addr()),
                declared: (h.total_len() as usize).saturating_sub(h.ihl() as usize * 4),
                start: offset_in(data, h.slice()),
                total: h.total_len() as usize,
            }
        }
        LaxIpSlice::Ipv6(v6) => {
            let h = v6.header();
            let ext = v6.extensions();
            IpLayer {
                src: IpAddr::V6(h.source_addr()),
                dst: IpAddr::V6(h.destination_addr()),
                declared: (h.payload_length() as usize).saturating_sub(ext.slice().len()),
                start: offset_in(data, h.slice()),
                total: 40 + h.payload_length() as usize,
            }
        }
    };
    if ip.start.is_some_and(|start| (orig_len as usize) < start + ip.total) {
        return Err(Skip::TruncatedIp);
    }
    Ok(ip)
}

/// Whether a fragment is the first of its packet (offset 0). Looked at only for a
/// fragment the capture cut short: the rest of the path needs no fragment offset.
fn first_fragment(net: &LaxIpSlice<'_>) -> bool {
    match net {
        LaxIpSlice::Ipv4(v4) => v4.header().fragments_offset().value() == 0,
        LaxIpSlice::Ipv6(v6) => v6.extensions().clone().into_iter().all(|e| match e {
            Ipv6ExtensionSlice::Fragment(f) => f.fragment_offset().value() == 0,
            _ => true,
        }),
    }
}

/// Where `part` starts in `data`, when it lies there.
fn offset_in(data: &[u8], part: &[u8]) -> Option<usize> {
    let at = (part.as_ptr() as usize).checked_sub(data.as_ptr() as usize)?;
    (at < data.len()).then_some(at)
}

/// Whether `datagram`, a whole UDP datagram in the IP packet `ip`, passes Zeek's checks:
/// over IPv4 a checksum of 0 means none, and so does one on VXLAN's port when the
/// datagram looks like VXLAN (Zeek's `Tunnel::validate_vxlan_checksums` checks any other).
fn udp_checksum_ok(ip: &IpLayer, datagram: &[u8]) -> bool {
    let Some(sum) = datagram.get(6..8) else { return true };
    let zero = sum == [0, 0];
    let vxlan =
        datagram.len() > 8 + 8 + 14 && datagram[8] & 0x08 != 0 && datagram[2..4] == tunnel::PORT_VXLAN.to_be_bytes();
    (zero && (ip.src.is_ipv4() || vxlan)) || inet_checksum::transport_ok(ip.src, ip.dst, 17, datagram)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tunnel::tests_support::{ethernet, tcp_in_ipv4};
    use pcap_parser::Linktype;

    fn sport(frame: &[u8]) -> Result<u16, Skip> {
        let mut fragments = Fragments::default();
        let mut violations = Violations::default();
        tcp_segment(Linktype::ETHERNET, frame, frame.len() as u32, 0.0, &mut fragments, &mut violations, false)
            .map(|s| s.sport)
    }

    #[test]
    fn an_ipv4_total_length_shorter_than_its_header_is_dropped_as_zeek_drops_it() {
        let mut ip = tcp_in_ipv4();
        assert_eq!(sport(&ethernet(0x0800, &ip)), Ok(1234));
        // 12 < 20 (Zeek: invalid_IP_header_size, with -C too; found on a mutated trace).
        ip[2..4].copy_from_slice(&12u16.to_be_bytes());
        assert_eq!(sport(&ethernet(0x0800, &ip)), Err(Skip::NotTcp));
        // 0 is segmentation offload's: read with -C (checksums off here).
        ip[2..4].copy_from_slice(&0u16.to_be_bytes());
        assert_eq!(sport(&ethernet(0x0800, &ip)), Ok(1234));
    }
}
