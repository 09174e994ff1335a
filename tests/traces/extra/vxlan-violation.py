#!/usr/bin/env python3
"""Writes a copy of a VXLAN trace (encapsulate.py ... vxlan) with the VXLAN header of one
frame made malformed: its I flag cleared. Zeek's VXLAN analyzer reports that as a
protocol violation (analyzer.log) and decapsulates nothing more on that UDP connection,
so the MPTCP connection inside is seen only up to that frame; the offline runner must
stop at the same frame. The UDP checksum of encapsulate.py's VXLAN is 0 (none), so the
change leaves every checksum right.

Usage: vxlan-violation.py IN OUT FRAME   (FRAME counted from 1, as tshark counts)
Made from v1-mixed-v4v6-vxlan.pcap:
    vxlan-violation.py v1-mixed-v4v6-vxlan.pcap v1-mixed-v4v6-vxlan-violation.pcap 6
"""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import pcapfile  # noqa: E402

# Ethernet (14) + IPv4 without options (20) + UDP (8): the VXLAN flags byte.
VXLAN_FLAGS = 14 + 20 + 8
I_FLAG = 0x08


def main():
    src, dst, frame = sys.argv[1], sys.argv[2], int(sys.argv[3])
    pcap = pcapfile.read(src)
    data = pcap.records[frame - 1][3]
    if data[VXLAN_FLAGS - 6 : VXLAN_FLAGS - 4] != (4789).to_bytes(2, "big") or not data[VXLAN_FLAGS] & I_FLAG:
        sys.exit(f"{src}: frame {frame} is not VXLAN with the I flag set")
    data[VXLAN_FLAGS] &= ~I_FLAG
    pcapfile.write(dst, pcap)


if __name__ == "__main__":
    main()
