#!/usr/bin/env python3
"""Writes a copy of a classic Ethernet pcap in which every IPv4 or IPv6 packet whose
payload is longer than SIZE bytes is cut into IP fragments of SIZE bytes (a multiple of
8; IPv6 with a Fragment extension header), as a path with a small MTU or an evasion
attempt would leave it. With SIZE 32 even a SYN's options are split between fragments.
Every other packet has its fragments written last first, so that reassembly must wait
for the first. Fragment identifications are taken from the packet's position; IPv4
header checksums are computed; the inner bytes are unchanged.

Usage: fragment.py IN OUT [SIZE]   (SIZE default 32)
Made from ../v1-mixed-v4v6.pcap (kernel-made: IPv4 and IPv6 subflows of one connection):
    fragment.py ../v1-mixed-v4v6.pcap v1-mixed-v4v6-fragments.pcap 32
"""
import os
import struct
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import pcapfile  # noqa: E402

IPV6_FRAGMENT = 44


def ipv4_fragments(ip, size, ident):
    ihl = (ip[0] & 0xF) * 4
    header, payload = bytearray(ip[:ihl]), ip[ihl:]
    out = []
    for off in range(0, len(payload), size):
        piece = payload[off : off + size]
        h = bytearray(header)
        more = off + size < len(payload)
        struct.pack_into("!HHH", h, 2, ihl + len(piece), ident & 0xFFFF, (0x2000 if more else 0) | (off // 8))
        pcapfile.set_ipv4_checksum(h, 0)
        out.append(bytes(h) + piece)
    return out


def ipv6_fragments(ip, size, ident):
    # The packets here have no extension headers: the fragmentable part is the payload.
    header, payload, next_header = bytearray(ip[:40]), ip[40:], ip[6]
    out = []
    for off in range(0, len(payload), size):
        piece = payload[off : off + size]
        h = bytearray(header)
        more = off + size < len(payload)
        struct.pack_into("!H", h, 4, 8 + len(piece))
        h[6] = IPV6_FRAGMENT
        frag = struct.pack("!BBHI", next_header, 0, off | (1 if more else 0), ident)
        out.append(bytes(h) + frag + piece)
    return out


def main():
    if len(sys.argv) not in (3, 4):
        sys.exit(__doc__)
    src, dst = sys.argv[1], sys.argv[2]
    size = int(sys.argv[3]) if len(sys.argv) == 4 else 32
    if size <= 0 or size % 8:
        sys.exit("SIZE must be a positive multiple of 8")
    pcap = pcapfile.read_ethernet(src)
    records = []
    for n, (sec, frac, orig, data) in enumerate(pcap.records):
        at = pcapfile.ip_offset(data, pcap.linktype)
        if at is None or len(data) < orig:
            records.append([sec, frac, orig, data])
            continue
        ip, link = bytes(data[at:]), bytes(data[:at])
        v6 = ip[0] >> 4 == 6
        if (len(ip) - (40 if v6 else (ip[0] & 0xF) * 4)) <= size or (v6 and ip[6] not in (6, 17)):
            records.append([sec, frac, orig, data])
            continue
        pieces = (ipv6_fragments if v6 else ipv4_fragments)(ip, size, 0x1000 + n)
        if n % 2:
            pieces.reverse()
        for p in pieces:
            records.append([sec, frac, len(link) + len(p), bytearray(link + p)])
    pcapfile.write(dst, pcap, records)


if __name__ == "__main__":
    main()
