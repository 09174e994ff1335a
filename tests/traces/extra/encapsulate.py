#!/usr/bin/env python3
"""Writes a copy of a classic Ethernet pcap with every frame carried in a tunnel, as a
sensor behind a traffic mirror sees it, so that tests can check that the package finds
MPTCP inside the tunnels Zeek decapsulates by default:

  vxlan  each whole Ethernet frame in VXLAN (UDP port 4789, VNI 42) over IPv4
         (10.99.0.1 -> 10.99.0.2, UDP checksum 0 as RFC 7348 allows over IPv4)
  gre    each frame's IP packet in GRE (RFC 2784, no options; protocol type the inner
         EtherType, so IPv4 and IPv6 alike) over IPv4 (10.99.0.1 -> 10.99.0.2)

The outer Ethernet header is the inner frame's own; outer IPv4 headers get their
lengths, TTL 64, DF and a correct checksum. The inner bytes are copied unchanged, so
the inner TCP checksums stay right. Frames other than IPv4/IPv6 are left out.

Usage: encapsulate.py IN OUT vxlan|gre
Made from ../v1-mixed-v4v6.pcap (kernel-made: IPv4 and IPv6 subflows of one connection):
    encapsulate.py ../v1-mixed-v4v6.pcap v1-mixed-v4v6-vxlan.pcap vxlan
    encapsulate.py ../v1-mixed-v4v6.pcap v1-mixed-v4v6-gre.pcap gre
"""
import os
import struct
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import pcapfile  # noqa: E402

OUTER_SRC = bytes([10, 99, 0, 1])
OUTER_DST = bytes([10, 99, 0, 2])
VXLAN_PORT = 4789
VNI = 42


def ipv4(proto, payload, ident):
    h = bytearray(struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(payload), ident & 0xFFFF, 0x4000, 64, proto, 0,
                              OUTER_SRC, OUTER_DST))
    pcapfile.set_ipv4_checksum(h, 0)
    return bytes(h) + payload


def vxlan(frame, n):
    # The UDP source port varies per flow in real VXLAN; one port is enough here.
    inner = struct.pack("!BxxxI", 0x08, VNI << 8) + bytes(frame)
    udp = struct.pack("!HHHH", 49152, VXLAN_PORT, 8 + len(inner), 0) + inner
    return bytes(frame[:12]) + b"\x08\x00" + ipv4(17, udp, n)


def gre(frame, n, ip_at):
    etype = frame[ip_at - 2 : ip_at]
    payload = b"\x00\x00" + bytes(etype) + bytes(frame[ip_at:])
    return bytes(frame[:12]) + b"\x08\x00" + ipv4(47, payload, n)


def main():
    if len(sys.argv) != 4 or sys.argv[3] not in ("vxlan", "gre"):
        sys.exit(__doc__)
    src, dst, mode = sys.argv[1:]
    pcap = pcapfile.read_ethernet(src)
    records = []
    for n, (sec, frac, orig, data) in enumerate(pcap.records):
        ip_at = pcapfile.ip_offset(data, pcap.linktype)
        if ip_at is None or len(data) < orig:
            continue  # not IP, or cut short by the capture: nothing to wrap faithfully
        out = vxlan(data, n) if mode == "vxlan" else gre(data, n, ip_at)
        records.append([sec, frac, len(out), bytearray(out)])
    pcapfile.write(dst, pcap, records)


if __name__ == "__main__":
    main()
