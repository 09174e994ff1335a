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
import struct
import sys


def options_span(data):
    if len(data) < 14:
        return None
    off, etype = 14, struct.unpack(">H", data[12:14])[0]
    if etype == 0x0800 and len(data) >= off + 20 and data[off + 9] == 6:
        tcp = off + (data[off] & 0xF) * 4
    elif etype == 0x86DD and len(data) >= off + 40 and data[off + 6] == 6:
        tcp = off + 40
    else:
        return None
    if len(data) < tcp + 20:
        return None
    return tcp + 20, min(tcp + (data[tcp + 12] >> 4) * 4, len(data))


def strip(data):
    span = options_span(data)
    if not span:
        return
    i, end = span
    while i < end:
        kind = data[i]
        if kind == 0:
            return
        if kind == 1:
            i += 1
            continue
        if i + 1 >= end or data[i + 1] < 2:
            return
        n = data[i + 1]
        if kind == 30:
            data[i : min(i + n, end)] = b"\x01" * (min(i + n, end) - i)
        i += n


def main():
    src, dst = sys.argv[1], sys.argv[2]
    keep = int(sys.argv[3]) if len(sys.argv) > 3 else 3
    raw = open(src, "rb").read()
    endian = "<" if raw[:4] in (b"\xd4\xc3\xb2\xa1", b"\x4d\x3c\xb2\xa1") else ">"
    out, off, n = bytearray(raw[:24]), 24, 0
    while off + 16 <= len(raw):
        incl = struct.unpack(endian + "I", raw[off + 8 : off + 12])[0]
        data = bytearray(raw[off + 16 : off + 16 + incl])
        if n >= keep:
            strip(data)
        out += raw[off : off + 16] + data
        off += 16 + incl
        n += 1
    open(dst, "wb").write(out)


if __name__ == "__main__":
    main()
