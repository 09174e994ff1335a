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
import os
import struct
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import pcapfile  # noqa: E402


def piece(record, ip, tcp, start, end):
    """A copy of `record` whose TCP payload keeps only bytes [start, end) of it."""
    sec, frac, _, data = record
    payload_at = tcp + (data[tcp + 12] >> 4) * 4
    out = bytearray(data[:payload_at] + data[payload_at + start : payload_at + end])
    seq = struct.unpack(">I", out[tcp + 4 : tcp + 8])[0]
    out[tcp + 4 : tcp + 8] = struct.pack(">I", (seq + start) & 0xFFFFFFFF)
    out[ip + 2 : ip + 4] = struct.pack(">H", len(out) - ip)
    pcapfile.set_ipv4_checksum(out, ip)
    return [sec, frac, len(out), out]


def main():
    src, dst, frame, at = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
    pcap = pcapfile.read(src)
    if pcap is None:
        sys.exit("%s: not a classic pcap" % src)
    record = pcap.records[frame - 1]
    data = record[3]
    ip, tcp = pcapfile.ip_offset(data, pcap.linktype), pcapfile.tcp_offset(data, pcap.linktype)
    assert tcp is not None and data[ip] >> 4 == 4, "IPv4/TCP only"
    size = len(data) - tcp - (data[tcp + 12] >> 4) * 4
    assert 0 < at < size, "AT must cut the payload"
    pcap.records[frame - 1 : frame] = [piece(record, ip, tcp, at, size), piece(record, ip, tcp, 0, at)]
    pcapfile.write(dst, pcap)


if __name__ == "__main__":
    main()
