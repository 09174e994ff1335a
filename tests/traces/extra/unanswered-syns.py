#!/usr/bin/env python3
"""Writes a copy of a classic pcap (Ethernet or raw IP; IPv4, or IPv6 without extension
headers) with N unanswered copies of its first TCP SYN before it, from the next N source
ports, one time unit apart, TCP checksums made right: pending MPTCP handshakes that never
complete. With MPTCP::max_pending below N the core evicts the oldest of them while
another connection's SYN is processed, so their mptcp.log rows are reported during a
packet of a connection that is not theirs.

Usage: unanswered-syns.py IN OUT N
Made from a kernel-made trace:
    unanswered-syns.py ../v1-join-v4.pcap v1-join-v4-unanswered-syns.pcap 4
"""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import pcapfile  # noqa: E402


def main():
    src, dst, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
    pcap = pcapfile.read(src)
    if pcap is None:
        sys.exit("%s: not a classic pcap" % src)
    out, done = [], False
    for sec, frac, orig, data in pcap.records:
        tcp = pcapfile.tcp_offset(data, pcap.linktype)
        if not done and tcp is not None and data[tcp + 13] & 0x12 == 0x02:
            done = True
            sport = int.from_bytes(data[tcp : tcp + 2], "big")
            for i in range(n):
                copy = bytearray(data)
                copy[tcp : tcp + 2] = ((sport + 1 + i) & 0xFFFF).to_bytes(2, "big")
                pcapfile.set_tcp_checksum(copy, pcap.linktype)
                us = sec * 1_000_000 + frac - (n - i)
                out.append([us // 1_000_000, us % 1_000_000, orig, copy])
        out.append([sec, frac, orig, data])
    if not done:
        sys.exit("%s: no TCP SYN" % src)
    pcapfile.write(dst, pcap, out)


if __name__ == "__main__":
    main()
