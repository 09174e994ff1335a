#!/usr/bin/env python3
"""Writes a copy of a classic Ethernet pcap with frames carried in a UDP tunnel that
Zeek finds by protocol detection or checks strictly, so that tests can check that the
offline runner decapsulates what Zeek decapsulates and no more:

  teredo-port  each IPv6 packet in Teredo with an origin indication, on UDP ports
               40000 -> 40001 (not Teredo's 3544: Zeek finds it by protocol detection)
  ayiya-port   each IPv4 and IPv6 packet in AYIYA (4-byte identity, 20-byte signature,
               "forward"), on UDP ports 40000 -> 40001 (not AYIYA's 5072: likewise)
  teredo-cut   each IPv6 packet in Teredo on port 3544, every frame cut to 150 bytes as
               a header-only capture cuts them (Zeek reports a violation at the first
               cut packet and decapsulates no more on that UDP connection)

Frames other than those are left out. The outer IPv4 header (10.99.0.1 -> 10.99.0.2)
gets its lengths, TTL 64, DF and a correct checksum; the UDP checksum is 0 (none, as
IPv4 allows), the inner bytes are unchanged.

Usage: udp-tunnel.py IN OUT teredo-port|ayiya-port|teredo-cut
Made from ../v1-mixed-v4v6.pcap (kernel-made):
    udp-tunnel.py ../v1-mixed-v4v6.pcap v1-mixed-v4v6-teredo-port.pcap teredo-port
    udp-tunnel.py ../v1-mixed-v4v6.pcap v1-mixed-v4v6-ayiya-port.pcap ayiya-port
    udp-tunnel.py ../v1-mixed-v4v6.pcap v1-mixed-v4v6-teredo-cut.pcap teredo-cut
"""
import os
import struct
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import pcapfile  # noqa: E402
from encapsulate import ipv4  # noqa: E402

MODES = ("teredo-port", "ayiya-port", "teredo-cut")
CUT = 150


def tunnel(mode, ip):
    """The UDP datagram carrying IP packet `ip`, or None when the mode does not carry it."""
    version = ip[0] >> 4
    if mode.startswith("teredo"):
        if version != 6:
            return None
        if mode == "teredo-port":
            body, ports = b"\x00\x00" + bytes(6) + ip, (40000, 40001)  # origin indication
        else:
            body, ports = ip, (40000, 3544)
    else:
        # AYIYA: identity length 1 << 2, signature (0x5 << 4: 5 x 4 bytes), op code 1
        # (forward), the inner protocol (IPv4 in IP 4, IPv6 41), then identity and signature.
        body = bytes([0x20, 0x52, 0x11, 41 if version == 6 else 4]) + bytes(4) + bytes(4) + bytes(20) + ip
        ports = (40000, 40001)
    return struct.pack("!HHHH", ports[0], ports[1], 8 + len(body), 0) + body


def main():
    if len(sys.argv) != 4 or sys.argv[3] not in MODES:
        sys.exit(__doc__)
    src, dst, mode = sys.argv[1:]
    pcap = pcapfile.read_ethernet(src)
    records = []
    for n, (sec, frac, orig, data) in enumerate(pcap.records):
        ip_at = pcapfile.ip_offset(data, pcap.linktype)
        if ip_at is None or len(data) < orig:
            continue  # not IP, or cut short by the capture: nothing to wrap faithfully
        udp = tunnel(mode, bytes(data[ip_at:]))
        if udp is None:
            continue
        out = bytes(data[:12]) + b"\x08\x00" + ipv4(17, udp, n)
        wire = len(out)
        if mode == "teredo-cut":
            out = out[:CUT]
        records.append([sec, frac, wire, bytearray(out)])
    pcapfile.write(dst, pcap, records)


if __name__ == "__main__":
    main()
