//! The tunnels Zeek decapsulates with its default settings, so that the runner finds
//! MPTCP where Zeek finds it (a sensor behind a traffic mirror, or in a mobile core,
//! often sees nothing but tunnels): IP in IP (IPv4 or IPv6 in either), GRE (RFC
//! 2784/2890, with IP, transparent Ethernet bridging or ERSPAN types I to III inside,
//! and PPTP's enhanced GRE), and on their default UDP ports GRE in UDP (4754), VXLAN
//! (4789), Geneve (6081), GTPv1's user data (2152, 2123), Teredo (3544) and AYIYA
//! (5072), nested up to Zeek's `Tunnel::max_depth` (4). What each accepts follows Zeek
//! 8.2's packet analyzers (`src/packet_analysis/protocol/*`). UDP tunnels are recognised
//! by either port, as Zeek's UDP analyzer forwards by the responder's port.
//!
//! Zeek's analyzers of VXLAN, Geneve, Teredo and AYIYA report some malformed headers as
//! protocol violations (analyzer.log), and from then on decapsulate nothing more on that
//! UDP connection: `inner` says which headers (`NoInner::Violation`), and violations.rs
//! keeps the connections so stopped.
//!
//! On other UDP ports Zeek looks for AYIYA, then Teredo, by protocol detection (their
//! `DetectProtocol`), and so does the runner.
//!
//! How long the packet inside may be also follows Zeek, which differs by tunnel (`Length`):
//! a packet the capture cut short (a header-only capture) is analysed as far as it goes
//! inside VXLAN, Geneve and AYIYA, as outside any tunnel, but dropped inside GRE, IP in IP
//! and GTPv1, the last two also when bytes follow it.

use crate::link::{self, be16, ETHERTYPE_IPV4, ETHERTYPE_IPV6, PPP_IPV4, PPP_IPV6};

/// Zeek's default `Tunnel::max_depth`: tunnels inside tunnels, at most this deep.
pub const MAX_DEPTH: usize = 4;

const IPPROTO_IPIP: u8 = 4;
const IPPROTO_UDP: u8 = 17;
const IPPROTO_IPV6: u8 = 41;
const IPPROTO_GRE: u8 = 47;

const ETHERTYPE_TEB: u16 = 0x6558;
const ETHERTYPE_ERSPAN_1_2: u16 = 0x88be;
const ETHERTYPE_ERSPAN_3: u16 = 0x22eb;
const ETHERTYPE_PPP: u16 = 0x880b;

const PORT_GRE: u16 = 4754;
pub(crate) const PORT_VXLAN: u16 = 4789;
const PORT_GENEVE: u16 = 6081;
const PORTS_GTP: [u16; 2] = [2152, 2123];
const PORT_TEREDO: u16 = 3544;
const PORT_AYIYA: u16 = 5072;

/// A tunnel's packet inside: what `inner` found.
pub struct Inner<'a> {
    /// The inner IP packet, from its header on.
    pub ip: &'a [u8],
    /// The tunnel was GTPv1, which Zeek never finds inside GTPv1.
    pub gtp: bool,
}

/// A UDP tunnel whose Zeek analyzer stops on a connection after a protocol violation.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UdpTunnel {
    Vxlan,
    Geneve,
    Teredo,
    Ayiya,
}

/// Why `inner` found no packet to analyse.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NoInner {
    /// Not a tunnel Zeek decapsulates by default, or nothing in it to analyse.
    Nothing,
    /// A header that Zeek's analyzer of this UDP tunnel reports as a protocol violation:
    /// Zeek then decapsulates nothing more of it on that UDP connection.
    Violation(UdpTunnel),
    /// The packet inside is not of a length Zeek takes in this tunnel (`Length`): cut
    /// short by the capture, or with bytes after it. Zeek drops it (a weird, or GTPv1's
    /// violation, after which its GTPv1 analyzer goes on).
    Length,
}

/// How Zeek's analyzer of a tunnel hands on the packet inside, when not as VXLAN,
/// Geneve, Teredo and AYIYA do (`IPTunnel::build_inner_packet`, with the outer packet's
/// wire length less the headers before it: a packet the capture cut short is analysed as
/// far as it goes, as outside any tunnel; see `plain`), and so which lengths of it Zeek
/// analyses.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Length {
    /// As a packet whose wire length is what was captured (GRE version 0:
    /// `IPTunnelAnalyzer::ProcessEncapsulatedPacket` with both lengths the captured one):
    /// an IP packet inside that the capture cut short is dropped (weird
    /// `truncated_IP_len`); bytes after it are not looked at.
    Captured,
    /// Exactly the rest of the tunnel's payload (`IP::ParsePacket`: IP in IP, PPTP's
    /// GRE version 1, GTPv1): cut short or followed by more bytes, the packet is dropped
    /// (weirds `truncated_inner_IP`, `inner_IP_payload_length_mismatch`; GTPv1's
    /// violations "Truncated GTPv1", "GTPv1 payload length"). Teredo's own checks want
    /// the same of its IPv6 packet (`teredo`).
    Exact,
}

/// `ip`, the IP packet (from its header on) that a tunnel handing it on by `rule` carries,
/// when Zeek analyses it: `NoInner::Length` when it does not.
fn sized(ip: &[u8], rule: Length) -> Result<&[u8], NoInner> {
    // The length the IP header declares: IPv4's total length, IPv6's payload length and
    // its fixed header (None when there is no such header to read).
    let declared = match ip.first().map(|b| b >> 4) {
        Some(4) if ip.len() >= 20 => be16(ip, 2).map(usize::from),
        Some(6) if ip.len() >= 40 => be16(ip, 4).map(|n| 40 + usize::from(n)),
        _ => None,
    };
    let ok = match (rule, declared) {
        // A zero IPv4 length (segmentation offload) is the IP layer's to judge, as Zeek's
        // IP analyzer judges it; a header too short to read, likewise.
        (Length::Captured, Some(n)) => n == 0 || n <= ip.len(),
        (Length::Captured, None) => true,
        (Length::Exact, Some(n)) => n == ip.len(),
        (Length::Exact, None) => false,
    };
    if ok {
        Ok(ip)
    } else {
        Err(NoInner::Length)
    }
}

/// The packet `ip` of a tunnel that hands it on with the outer packet's wire length (see
/// `Length`; not GTP); none: nothing to analyse.
fn plain(ip: Option<&[u8]>) -> Result<Inner<'_>, NoInner> {
    ip.map(|ip| Inner { ip, gtp: false }).ok_or(NoInner::Nothing)
}

/// The packet a GRE header carries (`gre`), when Zeek analyses it.
fn gre_inner(b: &[u8]) -> Result<Inner<'_>, NoInner> {
    let (ip, rule) = gre(b).ok_or(NoInner::Nothing)?;
    Ok(Inner { ip: sized(ip, rule)?, gtp: false })
}

/// What a UDP datagram carries, as Zeek dispatches it: by either port, else by protocol
/// detection (the one dispatch of `udp_tunnel` and `inner`).
enum UdpCarries {
    Stoppable(UdpTunnel),
    Gre,
    Gtp,
}

fn udp_carries(sport: u16, dport: u16, body: &[u8]) -> Option<UdpCarries> {
    let is = |p: u16| sport == p || dport == p;
    Some(if is(PORT_VXLAN) {
        UdpCarries::Stoppable(UdpTunnel::Vxlan)
    } else if is(PORT_GENEVE) {
        UdpCarries::Stoppable(UdpTunnel::Geneve)
    } else if is(PORT_GRE) {
        UdpCarries::Gre
    } else if PORTS_GTP.iter().any(|&p| is(p)) {
        UdpCarries::Gtp
    } else if is(PORT_TEREDO) {
        UdpCarries::Stoppable(UdpTunnel::Teredo)
    } else if is(PORT_AYIYA) {
        UdpCarries::Stoppable(UdpTunnel::Ayiya)
    } else {
        UdpCarries::Stoppable(detected(body)?)
    })
}

/// The UDP tunnel that stops after a violation, by the ports of `datagram` (a UDP header
/// and what follows) or by protocol detection on other ports, as `inner` dispatches them.
pub fn udp_tunnel(datagram: &[u8]) -> Option<UdpTunnel> {
    let (sport, dport, body) = udp(datagram)?;
    match udp_carries(sport, dport, body)? {
        UdpCarries::Stoppable(t) => Some(t),
        UdpCarries::Gre | UdpCarries::Gtp => None,
    }
}

/// The tunnel Zeek's protocol detection finds in `body`, a UDP payload on ports no
/// tunnel is registered for: AYIYA's detection runs first (its script registers first).
fn detected(body: &[u8]) -> Option<UdpTunnel> {
    if ayiya_detected(body) {
        Some(UdpTunnel::Ayiya)
    } else if teredo_detected(body) {
        Some(UdpTunnel::Teredo)
    } else {
        None
    }
}

/// Zeek's `AYIYAAnalyzer::DetectProtocol`: the second and third bytes of the header
/// Zeek's old DPD signature expected (a 20-byte SHA-1 signature, "forward" of IPv6).
fn ayiya_detected(b: &[u8]) -> bool {
    b.len() >= 3 && b[1] == 0x52 && b[2] == 0x11
}

/// Zeek's `TeredoAnalyzer::DetectProtocol`: an IPv6 header of exactly 40 bytes with a
/// Teredo address (2001:0000::/32) as source or destination (a bubble), or an
/// authentication header and/or an origin indication followed by room for an IPv6
/// header, as its code reads them (an IPv6 header whose second byte is 0 or 1 is read as
/// one of those headers).
fn teredo_detected(b: &[u8]) -> bool {
    const PREFIX: [u8; 4] = [0x20, 0x01, 0, 0];
    if b.len() < 40 || (b[0] >> 4 != 6 && (b[0] != 0 || (b[1] != 0 && b[1] != 1))) {
        return false;
    }
    if b.len() == 40 && b[0] >> 4 == 6 && (b[8..12] == PREFIX || b[24..28] == PREFIX) {
        return true;
    }
    let mut at = 0;
    let mut val = u16::from(b[1]);
    if val == 1 {
        at = 13 + usize::from(b[2]) + usize::from(b[3]);
        if b.len() < at + 40 {
            return false;
        }
        val = be16(b, at).unwrap_or(1);
    }
    // Past the origin indication, room for an IPv6 header, whose version is 6.
    val == 0 && b.len() >= at + 48 && b[at + 8] >> 4 == 6
}

/// The packet inside `payload`, the payload of an IP header with protocol `proto`, when
/// that is a tunnel Zeek decapsulates by default and its header is whole; `in_gtp`: the
/// IP header itself came out of GTPv1. For anything else, why not (the caller then has
/// no TCP segment).
pub fn inner(proto: u8, payload: &[u8], in_gtp: bool) -> Result<Inner<'_>, NoInner> {
    match proto {
        IPPROTO_IPIP | IPPROTO_IPV6 => Ok(Inner { ip: sized(payload, Length::Exact)?, gtp: false }),
        IPPROTO_GRE => gre_inner(payload),
        IPPROTO_UDP => {
            let (sport, dport, body) = udp(payload).ok_or(NoInner::Nothing)?;
            match udp_carries(sport, dport, body) {
                Some(UdpCarries::Stoppable(UdpTunnel::Vxlan)) => plain(vxlan(body)?),
                Some(UdpCarries::Stoppable(UdpTunnel::Geneve)) => plain(geneve(body)?),
                Some(UdpCarries::Stoppable(UdpTunnel::Teredo)) => plain(Some(teredo(body)?)),
                Some(UdpCarries::Stoppable(UdpTunnel::Ayiya)) => plain(ayiya(body)?),
                Some(UdpCarries::Gre) => gre_inner(body),
                // GTP in GTP: Zeek takes the inner one for a regular packet, and so
                // does the runner (no inner packet).
                Some(UdpCarries::Gtp) => {
                    let ip = (!in_gtp).then(|| gtp(body)).flatten().ok_or(NoInner::Nothing)?;
                    Ok(Inner { ip: sized(ip, Length::Exact)?, gtp: true })
                }
                None => Err(NoInner::Nothing),
            }
        }
        _ => Err(NoInner::Nothing),
    }
}

/// Source port, destination port and payload (as captured) of a UDP datagram.
fn udp(b: &[u8]) -> Option<(u16, u16, &[u8])> {
    let body = b.get(8..)?;
    Some((be16(b, 0)?, be16(b, 2)?, body))
}

/// An inner packet that starts with the given EtherType's header (an Ethernet frame for
/// transparent Ethernet bridging).
fn by_ether_type(et: u16, b: &[u8]) -> Option<&[u8]> {
    match et {
        ETHERTYPE_TEB => link::ethernet(b),
        ETHERTYPE_IPV4 | ETHERTYPE_IPV6 => Some(b),
        _ => None,
    }
}

/// GRE as Zeek's GRE analyzer takes it: version 0 (optional checksum, key, sequence and
/// acknowledgement words; no routing, no reserved flags; Ethernet for transparent
/// bridging and ERSPAN, a raw IP packet for any other protocol type but Aruba's) or
/// version 1 (PPTP, PPP inside).
/// The IP packet inside, and how Zeek hands it on (version 0 as captured, version 1
/// exactly: see `Length`).
fn gre(b: &[u8]) -> Option<(&[u8], Length)> {
    let (flags, proto) = (be16(b, 0)?, be16(b, 2)?);
    let version = flags & 7;
    if flags & 0x4000 != 0 || flags & 0x0078 != 0 || version > 1 {
        return None; // routing present, reserved flags, unknown version: Zeek stops too
    }
    let words = [0x8000u16, 0x2000, 0x1000, 0x0080].iter().filter(|&&f| flags & f != 0).count();
    let rest = b.get(4 + 4 * words..)?;
    if version == 1 {
        // PPTP: PPP's address and control bytes, then its protocol (IPv4 or IPv6).
        if proto != ETHERTYPE_PPP || rest.len() < 4 {
            return None;
        }
        return match be16(rest, 2)? {
            PPP_IPV4 | PPP_IPV6 => Some((&rest[4..], Length::Exact)),
            _ => None,
        };
    }
    let ip = match proto {
        // ERSPAN type I has no header of its own; type II (sequence number present) 8 bytes.
        ETHERTYPE_ERSPAN_1_2 => {
            let skip = if flags & 0x1000 != 0 { 8 } else { 0 };
            link::ethernet(rest.get(skip..)?)
        }
        // ERSPAN type III: 12 bytes, and 8 more when its last byte's O bit says so.
        ETHERTYPE_ERSPAN_3 => {
            let hdr = rest.get(..12)?;
            let skip = if hdr[11] & 1 != 0 { 20 } else { 12 };
            link::ethernet(rest.get(skip..)?)
        }
        ETHERTYPE_TEB => link::ethernet(rest),
        // Aruba's 802.11 frames (Zeek reads them as such): not followed.
        et if aruba(et) => None,
        // Any other protocol type goes to Zeek's IP tunnel analyzer as a raw IP packet
        // (its IP analyzer then goes by the version nibble), not only IPv4's and IPv6's.
        _ => Some(rest),
    }?;
    Some((ip, Length::Captured))
}

/// The GRE protocol types Zeek's GRE analyzer takes for Aruba's 802.11 frames.
fn aruba(proto: u16) -> bool {
    (proto & 0x8200 == 0x8200 && proto & 0x0f == 0)
        || (proto & 0x8300 == 0x8300 && proto & 0x0f == 0 && proto <= 0x8370)
        || proto == 0x9000
}

/// VXLAN (RFC 7348): an 8-byte header with the I flag set, then an Ethernet frame. A
/// shorter datagram, or the I flag clear, is a violation (Zeek's `VXLAN.cc`).
fn vxlan(b: &[u8]) -> Result<Option<&[u8]>, NoInner> {
    if b.len() < 8 || b[0] & 0x08 == 0 {
        return Err(NoInner::Violation(UdpTunnel::Vxlan));
    }
    Ok(link::ethernet(&b[8..]))
}

/// GTPv1 user data (3GPP TS 29.281): version 1, protocol type GTP, message G-PDU (255);
/// the sequence number word when any of the E, S and PN flags is set, then the extension
/// headers the E flag announces (each 4 × its first byte long, the next one's type in its
/// last byte), then an IPv4 or IPv6 packet.
fn gtp(b: &[u8]) -> Option<&[u8]> {
    if b.len() < 8 || b[0] >> 5 != 1 || b[0] & 0x10 == 0 || b[1] != 255 {
        return None;
    }
    let mut at = 8;
    if b[0] & 0x07 != 0 {
        at += 4;
        if b[0] & 0x04 != 0 {
            let mut next = *b.get(at - 1)?;
            while next != 0 {
                let len = usize::from(*b.get(at)?) * 4;
                if len == 0 {
                    return None;
                }
                at += len;
                next = *b.get(at - 1)?;
            }
        }
    }
    let ip = b.get(at..)?;
    matches!(ip.first()? >> 4, 4 | 6).then_some(ip)
}

/// Teredo (RFC 4380): an optional authentication header, then an optional origin
/// indication, then an IPv6 packet of exactly the rest's length (a bubble, no next
/// header and no payload, may have bytes after it). Anything else is a violation
/// (Zeek's `Teredo.cc`), a packet the capture cut short included.
fn teredo(mut b: &[u8]) -> Result<&[u8], NoInner> {
    const VIOLATION: NoInner = NoInner::Violation(UdpTunnel::Teredo);
    if b.len() >= 4 && b[..2] == [0, 1] {
        b = b.get(13 + usize::from(b[2]) + usize::from(b[3])..).ok_or(VIOLATION)?;
    }
    if b.len() >= 2 && b[..2] == [0, 0] {
        b = b.get(8..).ok_or(VIOLATION)?;
    }
    if b.len() < 40 || b[0] >> 4 != 6 {
        return Err(VIOLATION);
    }
    let payload = usize::from(be16(b, 4).ok_or(VIOLATION)?);
    let bubble = payload == 0 && b[6] == 59;
    if b.len() < 40 + payload || (b.len() > 40 + payload && !bubble) {
        return Err(VIOLATION);
    }
    Ok(b)
}

/// AYIYA: 8 bytes, the identity and the signature; only "forward" (op code 1) carries a
/// packet, of the IP protocol the header names. A header longer than the datagram is a
/// violation (Zeek's `AYIYA.cc`).
fn ayiya(b: &[u8]) -> Result<Option<&[u8]>, NoInner> {
    const VIOLATION: NoInner = NoInner::Violation(UdpTunnel::Ayiya);
    if b.len() < 8 {
        return Err(VIOLATION);
    }
    let hdr = 8 + (1usize << (b[0] >> 4)) + usize::from(b[1] >> 4) * 4;
    let rest = b.get(hdr..).ok_or(VIOLATION)?;
    Ok((b[2] & 0x0f == 1 && matches!(b[3], IPPROTO_IPIP | IPPROTO_IPV6)).then_some(rest))
}

/// Geneve (RFC 8926): 8 bytes and the options' length, then the protocol it names. A
/// datagram shorter than that header is a violation (Zeek's `Geneve.cc`); a version
/// other than 0 is not, but Zeek goes no further.
fn geneve(b: &[u8]) -> Result<Option<&[u8]>, NoInner> {
    const VIOLATION: NoInner = NoInner::Violation(UdpTunnel::Geneve);
    if b.len() < 8 {
        return Err(VIOLATION);
    }
    if b[0] >> 6 != 0 {
        return Ok(None);
    }
    let rest = b.get(8 + usize::from(b[0] & 0x3f) * 4..).ok_or(VIOLATION)?;
    Ok(be16(b, 2).and_then(|et| by_ether_type(et, rest)))
}

/// Packet builders for the tests.
#[cfg(test)]
pub(crate) mod tests_support {
    use super::*;

    /// An IPv4 header (no options) with protocol `proto` around `payload`.
    pub fn ipv4(proto: u8, payload: &[u8]) -> Vec<u8> {
        let len = (20 + payload.len()) as u16;
        let mut v =
            vec![0x45, 0, (len >> 8) as u8, len as u8, 0, 0, 0x40, 0, 64, proto, 0, 0, 10, 0, 0, 1, 10, 0, 0, 2];
        v.extend_from_slice(payload);
        v
    }

    pub fn ethernet(et: u16, payload: &[u8]) -> Vec<u8> {
        let mut v = vec![2, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0, 1, (et >> 8) as u8, et as u8];
        v.extend_from_slice(payload);
        v
    }

    /// An IPv4 packet carrying a TCP header from port 1234.
    pub fn tcp_in_ipv4() -> Vec<u8> {
        let mut tcp = vec![0u8; 20];
        tcp[..2].copy_from_slice(&1234u16.to_be_bytes());
        tcp[12] = 5 << 4;
        ipv4(6, &tcp)
    }

    pub fn udp_datagram(sport: u16, dport: u16, body: &[u8]) -> Vec<u8> {
        let mut v = Vec::new();
        v.extend(sport.to_be_bytes());
        v.extend(dport.to_be_bytes());
        v.extend(((8 + body.len()) as u16).to_be_bytes());
        v.extend([0, 0]);
        v.extend_from_slice(body);
        v
    }

    /// How many kinds `wrap` knows, and which one is GTP.
    pub const TUNNELS: usize = 9;
    pub const GTP: usize = 7;

    /// `ip`, an IPv4 packet, in tunnel `kind` inside an outer IPv4 packet.
    pub fn wrap(kind: usize, ip: &[u8]) -> Vec<u8> {
        let cat = |a: &[u8], b: &[u8]| [a, b].concat();
        match kind {
            0 => ipv4(IPPROTO_IPIP, ip),
            1 => ipv4(IPPROTO_GRE, &cat(&[0xb0, 0, 8, 0, 0, 0, 0, 0, 0, 0, 0, 7, 0, 0, 0, 1], ip)),
            2 => ipv4(
                IPPROTO_GRE,
                &cat(&[0x10, 0, 0x88, 0xbe, 0, 0, 0, 1, 0x10, 0, 0, 1, 0, 0, 0, 0], &ethernet(0x0800, ip)),
            ),
            3 => ipv4(
                IPPROTO_GRE,
                &cat(&[0x30, 0x81, 0x88, 0x0b, 0, 40, 0, 5, 0, 0, 0, 1, 0, 0, 0, 2, 0xff, 3, 0, 0x21], ip),
            ),
            4 => {
                ipv4(IPPROTO_UDP, &udp_datagram(1, PORT_VXLAN, &cat(&[8, 0, 0, 0, 0, 0, 42, 0], &ethernet(0x0800, ip))))
            }
            5 => ipv4(IPPROTO_UDP, &udp_datagram(PORT_GENEVE, 1, &cat(&[1, 0, 8, 0, 0, 0, 42, 0, 1, 2, 3, 4], ip))),
            6 => ipv4(IPPROTO_UDP, &udp_datagram(PORT_GRE, 1, &cat(&[0, 0, 8, 0], ip))),
            7 => ipv4(
                IPPROTO_UDP,
                &udp_datagram(2152, 2152, &cat(&[0x36, 0xff, 0, 0, 0, 0, 0, 1, 0, 1, 0, 0x85, 1, 0x10, 9, 0], ip)),
            ),
            _ => ipv4(
                IPPROTO_UDP,
                &udp_datagram(PORT_AYIYA, 1, &cat(&[0x20, 0, 1, IPPROTO_IPIP, 0, 0, 0, 0, 1, 2, 3, 4], ip)),
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::tests_support::*;
    use super::*;
    use etherparse::LaxIpSlice;

    /// The TCP source port in `ip`, an IPv4 packet.
    fn source_port_of(ip: &[u8]) -> Option<u16> {
        let Ok((LaxIpSlice::Ipv4(v4), _)) = LaxIpSlice::from_slice(ip) else { return None };
        let payload = v4.payload();
        (payload.ip_number.0 == 6).then(|| be16(payload.payload, 0)).flatten()
    }

    #[test]
    fn ip_in_ip() {
        let packet = tcp_in_ipv4();
        assert_eq!(source_port_of(inner(IPPROTO_IPIP, &packet, false).unwrap().ip), Some(1234));
    }

    #[test]
    fn gre_with_ip_with_key_and_sequence() {
        let mut g = vec![0x30, 0x00, 0x08, 0x00, 0, 0, 0, 7, 0, 0, 0, 1];
        g.extend(tcp_in_ipv4());
        assert_eq!(source_port_of(inner(IPPROTO_GRE, &g, false).unwrap().ip), Some(1234));
        // A routing flag, a reserved flag or version 2: not taken (as Zeek).
        for (at, bits) in [(0, 0x40), (1, 0x08), (1, 0x02)] {
            let mut bad = g.clone();
            bad[at] |= bits;
            assert!(inner(IPPROTO_GRE, &bad, false).is_err(), "flags {:02x}{:02x}", bad[0], bad[1]);
        }
        // Cut inside the optional words: nothing.
        assert!(inner(IPPROTO_GRE, &g[..10], false).is_err());
    }

    #[test]
    fn gre_with_other_protocol_types_carries_raw_ip_as_in_zeek() {
        // Zeek hands any protocol type but transparent bridging, ERSPAN and Aruba's to
        // its IP analyzer as a raw IP packet (found by comparing Zeek and the runner on a
        // trace whose GRE protocol type was changed to 0x0002).
        for proto in [0x0002u16, 0x0806, 0x8847, 0xffff] {
            let g = [&[0u8, 0][..], &proto.to_be_bytes(), &tcp_in_ipv4()].concat();
            assert_eq!(source_port_of(inner(IPPROTO_GRE, &g, false).unwrap().ip), Some(1234), "{proto:#06x}");
        }
        // Aruba's (802.11 inside): not followed.
        for proto in [0x8200u16, 0x8210, 0x8300, 0x8370, 0x9000] {
            let g = [&[0u8, 0][..], &proto.to_be_bytes(), &tcp_in_ipv4()].concat();
            assert!(inner(IPPROTO_GRE, &g, false).is_err(), "{proto:#06x}");
        }
    }

    #[test]
    fn gre_with_ethernet_and_erspan() {
        let frame = ethernet(0x0800, &tcp_in_ipv4());
        let mut teb = vec![0, 0, 0x65, 0x58];
        teb.extend(&frame);
        assert_eq!(source_port_of(inner(IPPROTO_GRE, &teb, false).unwrap().ip), Some(1234));
        // ERSPAN type II: sequence number, then 8 bytes of ERSPAN header.
        let mut e2 = vec![0x10, 0, 0x88, 0xbe, 0, 0, 0, 9];
        e2.extend([0x10, 0, 0, 1, 0, 0, 0, 0]);
        e2.extend(&frame);
        assert_eq!(source_port_of(inner(IPPROTO_GRE, &e2, false).unwrap().ip), Some(1234));
        // ERSPAN type III with its 8-byte optional subheader (O bit in byte 11).
        let mut e3 = vec![0, 0, 0x22, 0xeb];
        e3.extend([0x20, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1]);
        e3.extend([0u8; 8]);
        e3.extend(&frame);
        assert_eq!(source_port_of(inner(IPPROTO_GRE, &e3, false).unwrap().ip), Some(1234));
    }

    #[test]
    fn pptp() {
        let mut g = vec![0x30, 0x01, 0x88, 0x0b, 0, 40, 0, 5, 0, 0, 0, 1, 0xff, 0x03, 0x00, 0x21];
        g.extend(tcp_in_ipv4());
        assert_eq!(source_port_of(inner(IPPROTO_GRE, &g, false).unwrap().ip), Some(1234));
        g[15] = 0x23; // not IP inside PPP
        assert!(inner(IPPROTO_GRE, &g, false).is_err());
    }

    #[test]
    fn vxlan_and_geneve_either_port() {
        let frame = ethernet(0x0800, &tcp_in_ipv4());
        let mut vx = vec![0x08, 0, 0, 0, 0, 0, 42, 0];
        vx.extend(&frame);
        for (s, d) in [(49152, 4789), (4789, 49152)] {
            assert_eq!(source_port_of(inner(IPPROTO_UDP, &udp_datagram(s, d, &vx), false).unwrap().ip), Some(1234));
        }
        vx[0] = 0; // the I flag unset: not VXLAN (Zeek: analyzer violation)
        assert!(inner(IPPROTO_UDP, &udp_datagram(1, 4789, &vx), false).is_err());
        // Geneve with one 4-byte option, IPv4 inside.
        let mut gn = vec![0x01, 0, 0x08, 0x00, 0, 0, 42, 0, 0, 0, 0, 0];
        gn.extend(tcp_in_ipv4());
        assert_eq!(source_port_of(inner(IPPROTO_UDP, &udp_datagram(1, 6081, &gn), false).unwrap().ip), Some(1234));
        // Any other port: not a tunnel.
        assert!(inner(IPPROTO_UDP, &udp_datagram(1, 4790, &gn), false).is_err());
    }

    #[test]
    fn gtp_with_extension_headers_not_in_gtp() {
        // Version 1, PT, E and S flags; G-PDU; sequence word whose last byte announces an
        // extension header (type 0x85) of 4 bytes ending the chain.
        let mut g = vec![0x36, 0xff, 0, 0, 0, 0, 0, 1, 0, 1, 0, 0x85, 1, 0x10, 0x09, 0];
        g.extend(tcp_in_ipv4());
        let datagram = udp_datagram(2152, 2152, &g);
        let p = inner(IPPROTO_UDP, &datagram, false).unwrap();
        assert!(p.gtp);
        assert_eq!(source_port_of(p.ip), Some(1234));
        // Inside GTP, GTP is a regular packet (Zeek: "GTP-in-GTP").
        assert!(inner(IPPROTO_UDP, &udp_datagram(2152, 2152, &g), true).is_err());
        // An extension header of length 0, or a message other than G-PDU: nothing.
        let mut bad = g.clone();
        bad[12] = 0;
        assert!(inner(IPPROTO_UDP, &udp_datagram(2152, 2152, &bad), false).is_err());
        let mut echo = g.clone();
        echo[1] = 1;
        assert!(inner(IPPROTO_UDP, &udp_datagram(2152, 2152, &echo), false).is_err());
    }

    #[test]
    fn the_lengths_of_a_packet_inside_that_zeek_takes_differ_by_tunnel() {
        use NoInner::Length as Dropped;
        let packet = tcp_in_ipv4();
        let cut = &packet[..packet.len() - 1];
        let longer = [&packet[..], &[0xde, 0xad, 0xbe, 0xef]].concat();
        let mut zero = packet.clone();
        zero[2..4].copy_from_slice(&[0, 0]);
        let port = |r: Result<Inner<'_>, NoInner>| r.map(|p| be16(p.ip, 20));
        // IP in IP: exactly the outer payload (Zeek's IP::ParsePacket), a zero IPv4
        // length included.
        assert_eq!(port(inner(IPPROTO_IPIP, &packet, false)), Ok(Some(1234)));
        for p in [cut, &longer[..], &zero[..], &packet[..12]] {
            assert_eq!(inner(IPPROTO_IPIP, p, false).err(), Some(Dropped), "{} bytes", p.len());
        }
        // GRE version 0, IP or Ethernet inside: what was captured; bytes after the
        // packet are not looked at, a zero IPv4 length is the IP layer's to judge.
        let gre0 = |ip: &[u8]| [&[0u8, 0, 8, 0][..], ip].concat();
        let teb = |ip: &[u8]| [&[0u8, 0, 0x65, 0x58][..], &ethernet(0x0800, ip)].concat();
        for wrap in [&gre0 as &dyn Fn(&[u8]) -> Vec<u8>, &teb] {
            assert_eq!(port(inner(IPPROTO_GRE, &wrap(&packet), false)), Ok(Some(1234)));
            assert_eq!(port(inner(IPPROTO_GRE, &wrap(&longer), false)), Ok(Some(1234)));
            assert!(inner(IPPROTO_GRE, &wrap(&zero), false).is_ok());
            assert_eq!(inner(IPPROTO_GRE, &wrap(cut), false).err(), Some(Dropped));
            // The same in UDP (GRE in UDP, port 4754).
            assert_eq!(inner(IPPROTO_UDP, &udp_datagram(1, PORT_GRE, &wrap(cut)), false).err(), Some(Dropped));
        }
        // PPTP (GRE version 1) and GTPv1: exactly the rest.
        let pptp =
            |ip: &[u8]| [&[0x30u8, 0x01, 0x88, 0x0b, 0, 40, 0, 5, 0, 0, 0, 1, 0xff, 0x03, 0x00, 0x21][..], ip].concat();
        let gtp = |ip: &[u8]| udp_datagram(2152, 2152, &[&[0x30u8, 0xff, 0, 40, 0, 0, 0, 9][..], ip].concat());
        assert_eq!(port(inner(IPPROTO_GRE, &pptp(&packet), false)), Ok(Some(1234)));
        assert_eq!(port(inner(IPPROTO_UDP, &gtp(&packet), false)), Ok(Some(1234)));
        for p in [cut, &longer[..]] {
            assert_eq!(inner(IPPROTO_GRE, &pptp(p), false).err(), Some(Dropped));
            assert_eq!(inner(IPPROTO_UDP, &gtp(p), false).err(), Some(Dropped));
        }
        // IPv6 inside: its fixed header and payload length.
        let mut v6 = vec![0x60, 0, 0, 0, 0, 20, 6, 64];
        v6.extend([0u8; 32]);
        v6.extend(&packet[20..]);
        assert!(inner(IPPROTO_IPV6, &v6, false).is_ok());
        assert_eq!(inner(IPPROTO_IPV6, &v6[..59], false).err(), Some(Dropped));
        // VXLAN (and Geneve, AYIYA): the outer packet's wire length, so a packet the
        // capture cut short is read as far as it goes, as outside a tunnel.
        let vx = [&[8u8, 0, 0, 0, 0, 0, 42, 0][..], &ethernet(0x0800, cut)].concat();
        assert_eq!(port(inner(IPPROTO_UDP, &udp_datagram(1, PORT_VXLAN, &vx), false)), Ok(Some(1234)));
    }

    #[test]
    fn teredo_and_ayiya() {
        // Teredo: an IPv6 header (no payload) after an origin indication.
        let mut v6 = vec![0x60, 0, 0, 0, 0, 0, 59, 64];
        v6.extend([0u8; 32]);
        let mut t = vec![0, 0, 1, 2, 3, 4, 5, 6];
        t.extend(&v6);
        let datagram = udp_datagram(3544, 40000, &t);
        let p = inner(IPPROTO_UDP, &datagram, false).unwrap().ip;
        assert!(matches!(LaxIpSlice::from_slice(p), Ok((LaxIpSlice::Ipv6(_), _))));
        // ... and after an authentication header with 1-byte id and 2-byte value.
        let mut a = vec![0, 1, 1, 2, 9, 9, 9];
        a.extend([0u8; 9]);
        a.extend(&t);
        assert!(inner(IPPROTO_UDP, &udp_datagram(3544, 40000, &a), false).is_ok());
        // AYIYA: 4-byte identity (1 << 2), no signature, op code 1 (forward), IPv4 inside.
        let mut y = vec![0x20, 0x00, 0x01, IPPROTO_IPIP, 0, 0, 0, 0, 1, 2, 3, 4];
        y.extend(tcp_in_ipv4());
        assert_eq!(source_port_of(inner(IPPROTO_UDP, &udp_datagram(5072, 5072, &y), false).unwrap().ip), Some(1234));
        y[2] = 0x02; // not "forward": no packet
        assert!(inner(IPPROTO_UDP, &udp_datagram(5072, 5072, &y), false).is_err());
    }

    #[test]
    fn ayiya_and_teredo_found_on_other_ports_as_zeek_detects_them() {
        let v6 = {
            let mut v = vec![0x60, 0x12, 0, 0, 0, 20, 6, 64];
            v.extend([0u8; 32]);
            v.extend(&tcp_in_ipv4()[20..]);
            v
        };
        let port_of = |body: &[u8]| {
            let datagram = udp_datagram(40000, 40001, body);
            let Ok(p) = inner(IPPROTO_UDP, &datagram, false) else { return None };
            let Ok((LaxIpSlice::Ipv6(v6), _)) = LaxIpSlice::from_slice(p.ip) else { return None };
            be16(v6.payload().payload, 0)
        };
        // Teredo with an origin indication, or an authentication header and one: found.
        let origin = [&[0u8, 0, 1, 2, 3, 4, 5, 6][..], &v6].concat();
        assert_eq!(port_of(&origin), Some(1234));
        let auth = [&[0u8, 1, 1, 2, 9, 9, 9][..], &[0; 9], &origin].concat();
        assert_eq!(port_of(&auth), Some(1234));
        // A bare IPv6 packet is not (its second byte is neither 0 nor 1), nor one with
        // an origin indication but no room for an IPv6 header after it.
        assert_eq!(port_of(&v6), None);
        assert_eq!(udp_tunnel(&udp_datagram(40000, 40001, &origin[..47])), None);
        // A 40-byte bubble from a Teredo address (2001:0::/32): found, as Zeek's pattern.
        let mut bubble = vec![0x60, 0x12, 0, 0, 0, 0, 59, 64, 0x20, 0x01, 0, 0];
        bubble.extend([0u8; 28]);
        assert_eq!(udp_tunnel(&udp_datagram(40000, 40001, &bubble)), Some(UdpTunnel::Teredo));
        bubble[9] = 2;
        assert_eq!(udp_tunnel(&udp_datagram(40000, 40001, &bubble)), None);
        // AYIYA: bytes 1 and 2 as Zeek's detection wants them (20-byte signature, forward),
        // IPv6 inside; detection comes before Teredo's.
        let ayiya = [&[0x20u8, 0x52, 0x11, IPPROTO_IPV6][..], &[0; 4], &[1, 2, 3, 4], &[0; 20], &v6].concat();
        assert_eq!(port_of(&ayiya), Some(1234));
        assert_eq!(udp_tunnel(&udp_datagram(40000, 40001, &ayiya)), Some(UdpTunnel::Ayiya));
        let mut other = ayiya.clone();
        other[1] = 0x42;
        assert_eq!(port_of(&other), None);
        // Detected, then malformed: the violation of the tunnel found.
        assert_eq!(
            inner(IPPROTO_UDP, &udp_datagram(40000, 40001, &origin[..60]), false).err(),
            Some(NoInner::Violation(UdpTunnel::Teredo))
        );
    }

    #[test]
    fn malformed_udp_tunnel_headers_are_the_violations_zeek_reports() {
        use NoInner::{Nothing, Violation};
        let udp = |port: u16, body: &[u8]| inner(IPPROTO_UDP, &udp_datagram(port, 1, body), false).err();
        // VXLAN (VXLAN.cc): shorter than 8 bytes, or the I flag clear; 8 bytes and nothing
        // after them is no violation (a weird in Zeek).
        assert_eq!(udp(PORT_VXLAN, &[8, 0, 0, 0, 0, 0, 42]), Some(Violation(UdpTunnel::Vxlan)));
        assert_eq!(udp(PORT_VXLAN, &[0, 0, 0, 0, 0, 0, 42, 0, 1, 2]), Some(Violation(UdpTunnel::Vxlan)));
        assert_eq!(udp(PORT_VXLAN, &[8, 0, 0, 0, 0, 0, 42, 0]), Some(Nothing));
        // Geneve (Geneve.cc): shorter than 8 bytes, or than its options; version 1 is not.
        assert_eq!(udp(PORT_GENEVE, &[0, 0, 8, 0, 0, 0, 42]), Some(Violation(UdpTunnel::Geneve)));
        assert_eq!(udp(PORT_GENEVE, &[2, 0, 8, 0, 0, 0, 42, 0, 1, 2, 3, 4]), Some(Violation(UdpTunnel::Geneve)));
        assert_eq!(udp(PORT_GENEVE, &[0x40, 0, 8, 0, 0, 0, 42, 0, 1, 2, 3, 4]), Some(Nothing));
        // Teredo (Teredo.cc): an inner IPv6 packet the capture cut short, or with bytes
        // after it; a bubble (no next header, no payload) may have them.
        let mut v6 = vec![0x60, 0, 0, 0, 0, 4, 6, 64];
        v6.extend([0u8; 36]);
        assert!(udp(PORT_TEREDO, &v6).is_none());
        assert_eq!(udp(PORT_TEREDO, &v6[..43]), Some(Violation(UdpTunnel::Teredo)));
        let longer = [&v6[..], &[0]].concat();
        assert_eq!(udp(PORT_TEREDO, &longer), Some(Violation(UdpTunnel::Teredo)));
        let mut bubble = vec![0x60, 0, 0, 0, 0, 0, 59, 64];
        bubble.extend([0u8; 33]);
        assert!(udp(PORT_TEREDO, &bubble).is_none());
        assert_eq!(udp(PORT_TEREDO, &[0, 0, 1]), Some(Violation(UdpTunnel::Teredo)));
        // AYIYA (AYIYA.cc): a header longer than the datagram; another op code is not.
        assert_eq!(
            udp(PORT_AYIYA, &[0x20, 0, 1, IPPROTO_IPIP, 0, 0, 0, 0, 1, 2, 3]),
            Some(Violation(UdpTunnel::Ayiya))
        );
        assert_eq!(udp(PORT_AYIYA, &[0x20, 0, 2, IPPROTO_IPIP, 0, 0, 0, 0, 1, 2, 3, 4]), Some(Nothing));
        // GRE in UDP and GTP: Zeek marks no violation the runner models.
        assert_eq!(udp(PORT_GRE, &[0, 0]), Some(Nothing));
        assert_eq!(udp_tunnel(&udp_datagram(2152, 1, &[])), None);
        assert_eq!(udp_tunnel(&udp_datagram(1, PORT_TEREDO, &[])), Some(UdpTunnel::Teredo));
    }
}

/// Frames through every tunnel, with any one byte changed and cut anywhere: decoding
/// never panics, and the untouched frames decode to the TCP segment inside.
#[cfg(test)]
mod prop {
    use super::tests_support::*;
    use crate::segment::tcp_segment;
    use pcap_parser::Linktype;
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(4000))]

        #[test]
        fn tunneled_frames_changed_and_cut(kind in 0..TUNNELS, nest in 0..3usize, at in any::<prop::sample::Index>(),
                                           byte in any::<u8>(), cut in any::<prop::sample::Index>(), change in any::<bool>()) {
            let mut inner = tcp_in_ipv4();
            for _ in 0..=nest {
                inner = wrap(kind, &inner);
            }
            let mut frame = ethernet(0x0800, &inner);
            let whole = frame.clone();
            if change {
                let i = at.index(frame.len());
                frame[i] = byte;
                let len = cut.index(frame.len() + 1);
                frame.truncate(len);
            }
            let mut fragments = Default::default();
            let seg = tcp_segment(Linktype::ETHERNET, &frame, frame.len() as u32, 0.0, &mut fragments, &mut Default::default(), false);
            if frame == whole {
                // GTP in GTP is a regular packet, as in Zeek: nothing inside is read.
                let expected = if kind == GTP && nest > 0 { None } else { Some(1234) };
                prop_assert_eq!(seg.map(|s| s.sport).ok(), expected);
            }
        }

        #[test]
        fn any_bytes_after_an_outer_ipv4_header(proto in prop::sample::select(vec![4u8, 17, 41, 47]),
                                                port in prop::sample::select(vec![2152u16, 3544, 4754, 4789, 5072, 6081]),
                                                body in proptest::collection::vec(any::<u8>(), 0..120)) {
            let payload = if proto == 17 { udp_datagram(port, port, &body) } else { body };
            let frame = ethernet(0x0800, &ipv4(proto, &payload));
            for checksums in [false, true] {
                let _ = tcp_segment(Linktype::ETHERNET, &frame, frame.len() as u32, 0.0, &mut Default::default(), &mut Default::default(), checksums);
            }
        }
    }
}
