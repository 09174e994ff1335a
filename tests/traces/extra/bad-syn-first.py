#!/usr/bin/env python3
"""Writes a copy of a classic pcap (Ethernet or raw IP; IPv4, or IPv6 without extension
headers) in which every TCP SYN without ACK is preceded by a twin with a wrong TCP
checksum and its MPTCP options (kind 30) overwritten with NOPs, one time unit earlier:
what an attacker might send to make a sensor that decides from a connection's first
packet take an MPTCP connection for plain TCP. Zeek skips the twin (bad_TCP_checksum),
and the hosts would too.

Usage: bad-syn-first.py IN OUT
Made from kernel-made traces:
    bad-syn-first.py plain-tcp-short.pcap plain-tcp-short-badsum.pcap
    bad-syn-first.py ../v1-join-v4.pcap v1-join-v4-bad-syn-first.pcap
"""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import pcapfile  # noqa: E402


def main():
    src, dst = sys.argv[1], sys.argv[2]
    pcap = pcapfile.read(src)
    if pcap is None:
        sys.exit("%s: not a classic pcap" % src)
    out = []
    for sec, frac, orig, data in pcap.records:
        tcp = pcapfile.tcp_offset(data, pcap.linktype)
        if tcp is not None and data[tcp + 13] & 0x12 == 0x02:
            twin = bytearray(data)
            for at, kind, length in pcapfile.tcp_options(twin, pcap.linktype):
                if kind == 30:
                    end = min(at + length, len(twin))
                    twin[at:end] = b"\x01" * (end - at)
            # Any change of the checksum field makes it wrong (NOPs for an option whose
            # bytes sum to the same could leave it right by chance).
            twin[tcp + 16] ^= 0x55
            out.append([sec, frac - 1, orig, twin] if frac > 0 else [sec - 1, frac, orig, twin])
        out.append([sec, frac, orig, data])
    pcapfile.write(dst, pcap, out)


if __name__ == "__main__":
    main()
