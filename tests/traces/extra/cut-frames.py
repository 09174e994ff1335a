#!/usr/bin/env python3
"""Writes a copy of a classic pcap with some frames cut short, as a capture with a small
snap length cuts them (their original lengths kept), so that tests can check what the
package and the offline runner make of segments whose payload was not captured.

Usage: cut-frames.py IN OUT BYTES FRAME...   (FRAME counted from 1, as tshark counts)
Made from ../v1-mpfail.pcap (kernel-made; its first connection's mapping of 30,103
bytes fails its DSS checksum, and the connection falls back to TCP):
    cut-frames.py ../v1-mpfail.pcap v1-mpfail-cut.pcap 1055 21 34
(frames 21 and 34: two of that mapping's 1,420-byte segments, server to client.)
"""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import pcapfile  # noqa: E402


def main():
    if len(sys.argv) < 5:
        sys.exit(__doc__)
    src, dst, size = sys.argv[1], sys.argv[2], int(sys.argv[3])
    frames = {int(f) for f in sys.argv[4:]}
    pcap = pcapfile.read(src)
    for n, record in enumerate(pcap.records, start=1):
        if n in frames:
            record[3] = record[3][:size]
    pcapfile.write(dst, pcap)


if __name__ == "__main__":
    main()
