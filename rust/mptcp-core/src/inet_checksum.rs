//! The Internet checksums Zeek checks before it analyses a packet (unless run with -C):
//! IPv4 headers, UDP datagrams that may carry a tunnel, TCP segments. A packet whose
//! checksum is wrong is skipped by Zeek, and so by the offline runner, unless told
//! otherwise; the plugin lets only a segment whose checksum verifies decide that a new
//! connection needs nothing attached (mptcp-ffi's `mptcp_tracker_gives_up_at_first`).

use std::net::IpAddr;

/// The 16-bit one's-complement sum of `b` (big-endian words, an odd last byte padded
/// with zero) added to `sum`, not yet folded. Summed four bytes at a time: a 32-bit
/// word's two halves fold into the same 16-bit sum.
fn add(sum: u64, b: &[u8]) -> u64 {
    let mut words = b.chunks_exact(4);
    let mut sum = sum;
    for w in &mut words {
        sum += u64::from(u32::from_be_bytes([w[0], w[1], w[2], w[3]]));
    }
    let rest = words.remainder();
    let mut last = [0u8; 4];
    last[..rest.len()].copy_from_slice(rest);
    sum + u64::from(u32::from_be_bytes(last))
}

/// Whether a one's-complement sum that covers its own checksum field checks out (all
/// ones once folded; a field of 0xffff where 0 was due checks out too, as in Zeek).
fn ok(mut sum: u64) -> bool {
    while sum >> 16 != 0 {
        sum = (sum & 0xffff) + (sum >> 16);
    }
    sum == 0xffff
}

/// Whether an IPv4 header (options included) has a right checksum.
pub fn ipv4_header_ok(header: &[u8]) -> bool {
    ok(add(0, header))
}

/// Whether `segment`, a whole TCP segment or UDP datagram (header and payload) of IP
/// protocol `proto` from `src` to `dst`, has a right checksum.
pub fn transport_ok(src: IpAddr, dst: IpAddr, proto: u8, segment: &[u8]) -> bool {
    let len = segment.len() as u64;
    let pseudo = match (src, dst) {
        (IpAddr::V4(s), IpAddr::V4(d)) => add(add(0, &s.octets()), &d.octets()),
        (IpAddr::V6(s), IpAddr::V6(d)) => add(add(0, &s.octets()), &d.octets()),
        _ => return false,
    };
    ok(add(pseudo + u64::from(proto) + (len >> 16) + (len & 0xffff), segment))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ipv4_header() {
        // RFC 1071's example header fields in a real header (checksum 0xb861).
        let mut h = [0x45, 0, 0, 0x73, 0, 0, 0x40, 0, 0x40, 0x11, 0xb8, 0x61, 0xc0, 0xa8, 0, 1, 0xc0, 0xa8, 0, 0xc7];
        assert!(ipv4_header_ok(&h));
        h[11] ^= 1;
        assert!(!ipv4_header_ok(&h));
    }

    #[test]
    fn tcp_segment_with_odd_length() {
        // A SYN from 10.0.0.1:1234 to 10.0.0.2:80 with one payload byte; its checksum,
        // 0x35bc, computed apart (Python, over the pseudo header and the padded segment).
        let mut seg = vec![0x04, 0xd2, 0, 80, 0, 0, 0, 1, 0, 0, 0, 0, 0x50, 0x02, 0xff, 0xff, 0x35, 0xbc, 0, 0, 0x61];
        let (a, b) = ("10.0.0.1".parse().unwrap(), "10.0.0.2".parse().unwrap());
        assert!(transport_ok(a, b, 6, &seg));
        assert!(transport_ok(b, a, 6, &seg)); // the pseudo header's sum does not see the order
        assert!(!transport_ok(a, b, 17, &seg));
        seg[20] = 0x62;
        assert!(!transport_ok(a, b, 6, &seg));
    }
}
