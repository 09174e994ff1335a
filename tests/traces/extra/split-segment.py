#!/usr/bin/env python3
"""Writes a copy of a classic pcap (Ethernet, IPv4, TCP) in which the TCP payload of one
packet is cut in two segments at a given byte, the later one written first: the
receiver sees its first data out of order. IP lengths and header checksums are
recomputed; TCP checksums are not (read the output with zeek -C).

Usage: split-segment.py IN OUT FRAME AT   (FRAME counts from 1; AT: bytes in the first piece)
Made fallback-first-data-reordered.pcap from fallback-first-data.pcap (frame 4 is the
97-byte GET):
    split-segment.py fallback-first-data.pcap fallback-first-data-reordered.pcap 4 48
"""
import struct
import sys


def ip_checksum(hdr):
    s = sum(struct.unpack(">%dH" % (len(hdr) // 2), hdr))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return ~s & 0xFFFF


def piece(rec, data, tcp, start, end, endian):
    """The record of `data` whose TCP payload keeps only bytes [start, end) of it."""
    payload_at = tcp + (data[tcp + 12] >> 4) * 4
    out = bytearray(data[:payload_at] + data[payload_at + start : payload_at + end])
    seq = struct.unpack(">I", out[tcp + 4 : tcp + 8])[0]
    out[tcp + 4 : tcp + 8] = struct.pack(">I", (seq + start) & 0xFFFFFFFF)
    out[16:18] = struct.pack(">H", len(out) - 14)
    ihl = (out[14] & 0xF) * 4
    out[24:26] = b"\0\0"
    out[24:26] = struct.pack(">H", ip_checksum(bytes(out[14 : 14 + ihl])))
    head = bytearray(rec)
    head[8:16] = struct.pack(endian + "II", len(out), len(out))
    return bytes(head) + out


def main():
    src, dst, frame, at = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
    raw = open(src, "rb").read()
    endian = "<" if raw[:4] in (b"\xd4\xc3\xb2\xa1", b"\x4d\x3c\xb2\xa1") else ">"
    out, off, n = bytearray(raw[:24]), 24, 0
    while off + 16 <= len(raw):
        incl = struct.unpack(endian + "I", raw[off + 8 : off + 12])[0]
        rec, data = raw[off : off + 16], raw[off + 16 : off + 16 + incl]
        n += 1
        if n == frame:
            assert struct.unpack(">H", data[12:14])[0] == 0x0800 and data[23] == 6, "IPv4/TCP only"
            tcp = 14 + (data[14] & 0xF) * 4
            size = len(data) - tcp - (data[tcp + 12] >> 4) * 4
            assert 0 < at < size, "AT must cut the payload"
            out += piece(rec, data, tcp, at, size, endian) + piece(rec, data, tcp, 0, at, endian)
        else:
            out += rec + data
        off += 16 + incl
    open(dst, "wb").write(out)


if __name__ == "__main__":
    main()
