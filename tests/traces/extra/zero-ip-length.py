#!/usr/bin/env python3
"""Writes a copy of a classic Ethernet pcap in which every IPv4 packet carrying TCP
payload has its total length set to 0, as a capture on a host with TCP segmentation
offload (or BIG TCP) can show it; the IPv4 header checksum is recomputed, the TCP
checksum left as it was. Zeek then takes the packet's length from the capture (weird
ip_hdr_len_zero; with -C only, since without it Zeek drops the packet).

Usage: zero-ip-length.py IN OUT
Made from ../v1-join-v4.pcap (kernel-made, an initial and a joined IPv4 subflow):
    zero-ip-length.py ../v1-join-v4.pcap v1-join-v4-ip-length-zero.pcap
"""
import os
import struct
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import pcapfile  # noqa: E402


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    pcap = pcapfile.read_ethernet(sys.argv[1])
    for _, _, _, data in pcap.records:
        tcp = pcapfile.tcp_offset(data, pcap.linktype)
        ip = pcapfile.ip_offset(data, pcap.linktype)
        if tcp is None or data[ip] >> 4 != 4:
            continue
        total = struct.unpack("!H", data[ip + 2 : ip + 4])[0]
        if total - (tcp - ip) - (data[tcp + 12] >> 4) * 4 <= 0:
            continue  # no TCP payload
        data[ip + 2 : ip + 4] = b"\0\0"
        pcapfile.set_ipv4_checksum(data, ip)
    pcapfile.write(sys.argv[2], pcap)


if __name__ == "__main__":
    main()
