//! From a captured frame to its IP packet: the link types the runner reads, and inside
//! Ethernet what Zeek's packet analysis follows by default (its `ethernet`, `vlan`,
//! `mpls`, `pppoe` and `vntag` analyzers): 802.1Q and 802.1ad tags (nested), MPLS label
//! stacks (an IP packet after the bottom label), PPPoE sessions carrying IPv4 or IPv6,
//! and VN-Tags followed by a VLAN tag. Parsing stops at the IP header: the caller slices it with etherparse.

use pcap_parser::Linktype;

pub(crate) const ETHERTYPE_IPV4: u16 = 0x0800;
pub(crate) const ETHERTYPE_IPV6: u16 = 0x86dd;
const ETHERTYPE_VLAN: [u16; 3] = [0x8100, 0x88a8, 0x9100];
const ETHERTYPE_MPLS: u16 = 0x8847;
const ETHERTYPE_PPPOE_SESSION: u16 = 0x8864;
const ETHERTYPE_VNTAG: u16 = 0x8926;
pub(crate) const PPP_IPV4: u16 = 0x0021;
pub(crate) const PPP_IPV6: u16 = 0x0057;

/// Headers between Ethernet and IP followed at most (tags, labels): a frame that needs
/// more is not read (Zeek has no such limit; no real frame comes near it).
const MAX_SHIMS: usize = 16;

/// Why a frame has no IP packet for the runner.
#[derive(Debug, PartialEq, Eq)]
pub enum NoIp {
    /// A link type the runner does not decode.
    UnsupportedLinktype,
    /// Not IP, or too short.
    NotIp,
}

/// The IP packet of a frame of link type `linktype` (from its IP header to the frame's
/// end).
pub fn ip_packet(linktype: Linktype, data: &[u8]) -> Result<&[u8], NoIp> {
    match linktype {
        Linktype::ETHERNET => ethernet(data).ok_or(NoIp::NotIp),
        Linktype::RAW | Linktype::IPV4 | Linktype::IPV6 => Ok(data),
        // Linux cooked capture: protocol at 14, 16-byte header.
        Linktype::LINUX_SLL => by_ether_type(be16(data, 14).ok_or(NoIp::NotIp)?, data.get(16..).ok_or(NoIp::NotIp)?),
        // Its second version: protocol first, 20-byte header.
        Linktype::LINUX_SLL2 => by_ether_type(be16(data, 0).ok_or(NoIp::NotIp)?, data.get(20..).ok_or(NoIp::NotIp)?),
        // BSD loopback: a 4-byte address family, then the packet.
        Linktype::NULL | Linktype::LOOP => data.get(4..).ok_or(NoIp::NotIp),
        _ => Err(NoIp::UnsupportedLinktype),
    }
}

/// The IP packet of an Ethernet II frame, None when it carries none.
pub fn ethernet(frame: &[u8]) -> Option<&[u8]> {
    by_ether_type(be16(frame, 12)?, frame.get(14..)?).ok()
}

/// The IP packet in `b`, which starts with the header of EtherType `et`.
fn by_ether_type(mut et: u16, mut b: &[u8]) -> Result<&[u8], NoIp> {
    for _ in 0..MAX_SHIMS {
        match et {
            ETHERTYPE_IPV4 | ETHERTYPE_IPV6 => return Ok(b),
            // A tag: 2 bytes of tag control, then the next EtherType.
            t if ETHERTYPE_VLAN.contains(&t) => {
                et = be16(b, 2).ok_or(NoIp::NotIp)?;
                b = b.get(4..).ok_or(NoIp::NotIp)?;
            }
            // 4 bytes of tag, then the next EtherType: Zeek follows only VLAN tags there.
            ETHERTYPE_VNTAG => {
                et = be16(b, 4).ok_or(NoIp::NotIp)?;
                b = b.get(6..).ok_or(NoIp::NotIp)?;
                if !ETHERTYPE_VLAN.contains(&et) {
                    return Err(NoIp::NotIp);
                }
            }
            ETHERTYPE_MPLS => return mpls(b),
            // Version/type, code, session id, length; then PPP's protocol.
            ETHERTYPE_PPPOE_SESSION => {
                return match be16(b, 6).ok_or(NoIp::NotIp)? {
                    PPP_IPV4 | PPP_IPV6 => b.get(8..).ok_or(NoIp::NotIp),
                    _ => Err(NoIp::NotIp),
                };
            }
            _ => return Err(NoIp::NotIp),
        }
    }
    Err(NoIp::NotIp)
}

/// MPLS labels up to the one marked bottom of stack; what follows is taken as IP, as
/// Zeek takes it (RFC 3032 does not say what is inside).
fn mpls(mut b: &[u8]) -> Result<&[u8], NoIp> {
    for _ in 0..MAX_SHIMS {
        let bottom = b.get(2).ok_or(NoIp::NotIp)? & 1 != 0;
        b = b.get(4..).ok_or(NoIp::NotIp)?;
        if bottom {
            return Ok(b);
        }
    }
    Err(NoIp::NotIp)
}

/// The big-endian 16-bit word at `at` in `b`, when `b` holds it.
pub(crate) fn be16(b: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_be_bytes([*b.get(at)?, *b.get(at + 1)?]))
}

#[cfg(test)]
mod tests {
    use super::*;

    const IP: [u8; 4] = [0x45, 0, 0, 20];

    fn eth(et: u16, rest: &[u8]) -> Vec<u8> {
        let mut f = vec![0u8; 12];
        f.extend(et.to_be_bytes());
        f.extend_from_slice(rest);
        f
    }

    #[test]
    fn shims_zeek_follows() {
        assert_eq!(ethernet(&eth(0x0800, &IP)), Some(&IP[..]));
        // QinQ: 802.1ad outer tag, 802.1Q inner tag.
        assert_eq!(ethernet(&eth(0x88a8, &[0, 1, 0x81, 0, 0, 2, 0x08, 0, 0x45, 0, 0, 20])), Some(&IP[..]));
        // Two MPLS labels, the second the bottom of the stack.
        assert_eq!(ethernet(&eth(0x8847, &[0, 0, 0x10, 64, 0, 0, 0x21, 64, 0x45, 0, 0, 20])), Some(&IP[..]));
        // PPPoE session with IPv6 inside; with LCP inside, nothing.
        assert_eq!(ethernet(&eth(0x8864, &[0x11, 0, 0, 1, 0, 6, 0, 0x57, 0x45, 0, 0, 20])), Some(&IP[..]));
        assert_eq!(ethernet(&eth(0x8864, &[0x11, 0, 0, 1, 0, 6, 0xc0, 0x21, 0x45, 0, 0, 20])), None);
        // VN-Tag, then a VLAN tag, then IPv4; VN-Tag then IPv4 directly: nothing (Zeek
        // follows only VLAN tags after a VN-Tag).
        assert_eq!(ethernet(&eth(0x8926, &[0, 0, 0, 0, 0x81, 0, 0, 5, 0x08, 0, 0x45, 0, 0, 20])), Some(&IP[..]));
        assert_eq!(ethernet(&eth(0x8926, &[0, 0, 0, 0, 0x08, 0, 0x45, 0, 0, 20])), None);
        // ARP, a frame cut inside a tag, and endless tags: nothing.
        assert_eq!(ethernet(&eth(0x0806, &IP)), None);
        assert_eq!(ethernet(&eth(0x8100, &[0, 1, 0x08])), None);
        assert_eq!(ethernet(&eth(0x8100, &[0, 1, 0x81, 0].repeat(20))), None);
        assert_eq!(ethernet(&[0u8; 13]), None);
    }

    #[test]
    fn link_types() {
        let sll = [&[0u8; 14][..], &[0x86, 0xdd], &IP].concat();
        assert_eq!(ip_packet(Linktype::LINUX_SLL, &sll), Ok(&IP[..]));
        let sll2 = [&[0x08u8, 0][..], &[0; 18], &IP].concat();
        assert_eq!(ip_packet(Linktype::LINUX_SLL2, &sll2), Ok(&IP[..]));
        assert_eq!(ip_packet(Linktype::NULL, &[&[2u8, 0, 0, 0][..], &IP].concat()), Ok(&IP[..]));
        assert_eq!(ip_packet(Linktype::RAW, &IP), Ok(&IP[..]));
        assert_eq!(ip_packet(Linktype(147), &IP), Err(NoIp::UnsupportedLinktype));
        assert_eq!(ip_packet(Linktype::LINUX_SLL, &sll[..10]), Err(NoIp::NotIp));
    }
}
