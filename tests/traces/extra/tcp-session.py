#!/usr/bin/env python3
"""Writes a copy of a classic pcap changed where Zeek's TCP session layer decides which
end of a connection is its originator and whether a SYN starts a new connection, so
that tests can check the offline runner decides as Zeek does:

  mid-stream N  the first N frames left out: the capture starts in the middle of the
                connections (Zeek guesses the originator from the ports)
  syn-again     the first frame (a SYN) sent again right after the second (its SYN/ACK),
                1 microsecond later, as when the SYN/ACK was lost after the capture
                point: a retransmitted SYN, not a new connection

Usage: tcp-session.py IN OUT mid-stream N | syn-again
Made from ../v1-join-v4.pcap (kernel-made: a connection and a join, both to port 80):
    tcp-session.py ../v1-join-v4.pcap v1-join-v4-mid-stream.pcap mid-stream 8
    tcp-session.py ../v1-join-v4.pcap v1-join-v4-syn-again.pcap syn-again
"""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import pcapfile  # noqa: E402


def main():
    args = sys.argv[1:]
    if len(args) == 4 and args[2] == "mid-stream":
        pcap = pcapfile.read(args[0])
        records = pcap.records[int(args[3]):]
    elif len(args) == 3 and args[2] == "syn-again":
        pcap = pcapfile.read(args[0])
        r = pcap.records
        sec, frac, orig, data = r[1]
        if frac + 1 >= (1000000000 if pcap.header[:4] in (b"\x4d\x3c\xb2\xa1", b"\xa1\xb2\x3c\x4d") else 1000000):
            sys.exit("the SYN/ACK's timestamp is at the end of its second")
        records = r[:2] + [[sec, frac + 1, r[0][2], bytearray(r[0][3])]] + r[2:]
    else:
        sys.exit(__doc__)
    pcapfile.write(args[1], pcap, records)


if __name__ == "__main__":
    main()
