#!/usr/bin/env python3
"""Writes a copy of a classic pcap (Ethernet, IPv4/IPv6, TCP) in which every MPTCP
option (kind 30) after the first N packets is overwritten with NOPs, as a middlebox
that strips unknown options after the handshake would leave it: the MPTCP handshake
completes, and the first data segment falls back to plain TCP (RFC 8684, 3.7). TCP
checksums are left as they were (read the output with zeek -C), unless --checksums
is given: then the TCP checksum of every segment after the first N is recomputed.

Usage: strip-mptcp.py IN OUT [N] [--checksums]   (N: packets left untouched, default 3)
Made fallback-first-data.pcap from ../v1-basic.pcap (kernel-made, one GET of 1200 B):
    strip-mptcp.py ../v1-basic.pcap fallback-first-data.pcap 3
and plain-ipv6.pcap (v1-ipv6.pcap's two connections as plain TCP over IPv6):
    strip-mptcp.py ../v1-ipv6.pcap plain-ipv6.pcap 0 --checksums
"""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import pcapfile  # noqa: E402


def main():
    checksums = "--checksums" in sys.argv
    args = [a for a in sys.argv[1:] if a != "--checksums"]
    src, dst = args[0], args[1]
    keep = int(args[2]) if len(args) > 2 else 3
    pcap = pcapfile.read(src)
    if pcap is None:
        sys.exit("%s: not a classic pcap" % src)
    for _, _, _, data in pcap.records[keep:]:
        for at, kind, length in pcapfile.tcp_options(data, pcap.linktype):
            if kind == 30:
                end = min(at + length, len(data))
                data[at:end] = b"\x01" * (end - at)
        if checksums:
            pcapfile.set_tcp_checksum(data, pcap.linktype)
    pcapfile.write(dst, pcap)


if __name__ == "__main__":
    main()
