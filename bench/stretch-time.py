#!/usr/bin/env python3
"""Spreads a trace's packets over FACTOR times its duration (each packet's time since the
first multiplied by FACTOR), so that on a trace of many short connections most of them end
inside Zeek's packet loop, as on a sensor, rather than all at once when the trace ends
(make-short-conns.sh's traces last ~4 s, less than Zeek's 5 s close delay: every
connection is then torn down after the loop, where Zeek writes each log row on its own).
Usage: bench/stretch-time.py IN.pcap OUT.pcap FACTOR   (classic pcap, microseconds)"""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "traces"))
import pcapfile  # noqa: E402


def main():
    src, dst, factor = sys.argv[1], sys.argv[2], float(sys.argv[3])
    pcap = pcapfile.read(src)
    if pcap is None or pcap.header[:4] not in (b"\xd4\xc3\xb2\xa1", b"\xa1\xb2\xc3\xd4"):
        sys.exit(f"{src}: not a classic microsecond pcap")
    first = pcap.records[0][0] * 1_000_000 + pcap.records[0][1]
    for r in pcap.records:
        us = first + round((r[0] * 1_000_000 + r[1] - first) * factor)
        r[0], r[1] = divmod(us, 1_000_000)
    pcapfile.write(dst, pcap)


if __name__ == "__main__":
    main()
