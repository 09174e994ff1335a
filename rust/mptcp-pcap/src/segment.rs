//! From a captured frame to a TCP segment: link layer (Ethernet with 802.1Q, Linux
//! cooked SLL and SLL2, raw IP, BSD loopback), IPv4/IPv6 (etherparse, lax so that
//! header-only captures still decode), through the tunnels Zeek decapsulates by default
//! (tunnel.rs), then the TCP header.

use etherparse::{EtherType, LaxNetSlice, LaxSlicedPacket, TcpSlice};
use pcap_parser::Linktype;
use std::net::IpAddr;

use crate::tunnel;

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

/// Why a frame gave no TCP segment.
#[derive(Debug, PartialEq, Eq)]
pub enum Skip {
    /// Link type this runner does not decode.
    UnsupportedLinktype,
    /// Not IP, not TCP, a non-first fragment, or too short.
    NotTcp,
    /// The IP header claims more bytes than the frame had on the wire: Zeek drops such
    /// packets (weird `truncated_IP_len`), and so does the runner, to read what Zeek reads.
    TruncatedIp,
}

/// Decode a frame of the given link type to its TCP segment.
pub fn tcp_segment(linktype: Linktype, data: &[u8], orig_len: u32) -> Result<Segment<'_>, Skip> {
    let mut pkt = match linktype {
        Linktype::ETHERNET => LaxSlicedPacket::from_ethernet(data).map_err(|_| Skip::NotTcp)?,
        Linktype::RAW | Linktype::IPV4 | Linktype::IPV6 => LaxSlicedPacket::from_ip(data).map_err(|_| Skip::NotTcp)?,
        Linktype::LINUX_SLL => {
            if data.len() < 16 {
                return Err(Skip::NotTcp);
            }
            let et = u16::from_be_bytes([data[14], data[15]]);
            LaxSlicedPacket::from_ether_type(EtherType(et), &data[16..])
        }
        Linktype::LINUX_SLL2 => {
            if data.len() < 20 {
                return Err(Skip::NotTcp);
            }
            let et = u16::from_be_bytes([data[0], data[1]]);
            LaxSlicedPacket::from_ether_type(EtherType(et), &data[20..])
        }
        Linktype::NULL | Linktype::LOOP => {
            if data.len() < 4 {
                return Err(Skip::NotTcp);
            }
            LaxSlicedPacket::from_ip(&data[4..]).map_err(|_| Skip::NotTcp)?
        }
        _ => return Err(Skip::UnsupportedLinktype),
    };
    // Tunnels Zeek decapsulates by default are followed to the packet inside (tunnel.rs).
    let (mut depth, mut in_gtp) = (0, false);
    let (net, src, dst, declared) = loop {
        let net = pkt.net.take().ok_or(Skip::NotTcp)?;
        let (src, dst, declared) = ip_layer(&net, data, orig_len)?;
        let ip_payload = net.ip_payload_ref().ok_or(Skip::NotTcp)?;
        if ip_payload.fragmented {
            // Fragments: only an unfragmented first piece can be read; Zeek reassembles
            // fragments itself, the runner skips them (kernel MPTCP does not fragment).
            return Err(Skip::NotTcp);
        }
        let proto = ip_payload.ip_number.0;
        if proto == etherparse::IpNumber::TCP.0 {
            break (net, src, dst, declared);
        }
        if depth == tunnel::MAX_DEPTH {
            return Err(Skip::NotTcp);
        }
        let inner = tunnel::inner(proto, ip_payload.payload, in_gtp).ok_or(Skip::NotTcp)?;
        (pkt, in_gtp) = (inner.packet, inner.gtp);
        depth += 1;
    };
    let ip_payload = net.ip_payload_ref().ok_or(Skip::NotTcp)?;
    let tcp = TcpSlice::from_slice(ip_payload.payload).map_err(|_| Skip::NotTcp)?;
    let hdr_len = tcp.data_offset() as usize * 4;
    let declared = if ip_payload.incomplete { declared } else { ip_payload.payload.len() };
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

/// Source, destination and declared payload length of an IP header in `data` (a frame
/// of `orig_len` bytes on the wire); `TruncatedIp` when the header claims more bytes than
/// the frame had.
fn ip_layer(net: &LaxNetSlice<'_>, data: &[u8], orig_len: u32) -> Result<(IpAddr, IpAddr, usize), Skip> {
    let (src, dst, declared, ip_start, ip_total) = match net {
        LaxNetSlice::Ipv4(v4) => {
            let h = v4.header();
            let declared = (h.total_len() as usize).saturating_sub(h.ihl() as usize * 4);
            let start = h.slice().as_ptr() as usize - data.as_ptr() as usize;
            (IpAddr::V4(h.source_addr()), IpAddr::V4(h.destination_addr()), declared, start, h.total_len() as usize)
        }
        LaxNetSlice::Ipv6(v6) => {
            let h = v6.header();
            let ext = v6.extensions().slice().len();
            let declared = (h.payload_length() as usize).saturating_sub(ext);
            let start = h.slice().as_ptr() as usize - data.as_ptr() as usize;
            (
                IpAddr::V6(h.source_addr()),
                IpAddr::V6(h.destination_addr()),
                declared,
                start,
                40 + h.payload_length() as usize,
            )
        }
    };
    if (orig_len as usize) < ip_start + ip_total {
        return Err(Skip::TruncatedIp);
    }
    Ok((src, dst, declared))
}
