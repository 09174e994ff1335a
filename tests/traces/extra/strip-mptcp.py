#!/usr/bin/env python3
"""Writes a copy of a classic pcap (Ethernet, IPv4/IPv6, TCP) in which every MPTCP
option (kind 30) after the first N packets is overwritten with NOPs, as a middlebox
that strips unknown options after the handshake would leave it: the MPTCP handshake
completes, and the first data segment falls back to plain TCP (RFC 8684, 3.7). TCP
checksums are left as they were (read the output with zeek -C).

Usage: strip-mptcp.py IN OUT [N]   (N: packets left untouched, default 3)
Made fallback-first-data.pcap from ../v1-basic.pcap (kernel-made, one GET of 1200 B):
    strip-mptcp.py ../v1-basic.pcap fallback-first-data.pcap 3
"""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import pcapfile  # noqa: E402


def main():
    src, dst = sys.argv[1], sys.argv[2]
    keep = int(sys.argv[3]) if len(sys.argv) > 3 else 3
    pcap = pcapfile.read(src)
    if pcap is None:
        sys.exit("%s: not a classic pcap" % src)
    for _, _, _, data in pcap.records[keep:]:
        for at, kind, length in pcapfile.tcp_options(data, pcap.linktype):
            if kind == 30:
                end = min(at + length, len(data))
                data[at:end] = b"\x01" * (end - at)
    pcapfile.write(dst, pcap)


if __name__ == "__main__":
    main()
