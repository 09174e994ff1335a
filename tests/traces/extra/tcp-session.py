#!/usr/bin/env python3
"""Writes a copy of a classic pcap changed where Zeek's TCP session layer decides which
end of a connection is its originator and whether a SYN starts a new connection, so
that tests can check the offline runner decides as Zeek does:

  mid-stream N  the first N frames left out: the capture starts in the middle of the
                connections (Zeek guesses the originator from the ports)
  syn-again     the first frame (a SYN) sent again right after the second (its SYN/ACK),
                1 microsecond later, as when the SYN/ACK was lost after the capture
                point: a retransmitted SYN, not a new connection
  no-syn PORT   the first frame (a SYN) left out, as when the capture missed it, and the
                server's port 80 changed to PORT (TCP checksums updated): Zeek makes the
                SYN/ACK's sender the originator unless the port is a likely server
                port, and flips the connection at the next pure ACK or data packet

Usage: tcp-session.py IN OUT mid-stream N | syn-again | no-syn PORT
Made from ../v1-join-v4.pcap (kernel-made: a connection and a join, both to port 80):
    tcp-session.py ../v1-join-v4.pcap v1-join-v4-mid-stream.pcap mid-stream 8
    tcp-session.py ../v1-join-v4.pcap v1-join-v4-syn-again.pcap syn-again
    tcp-session.py ../v1-join-v4.pcap v1-join-v4-no-syn.pcap no-syn 5201
"""
import os
import struct
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
    elif len(args) == 4 and args[2] == "no-syn":
        pcap = pcapfile.read(args[0])
        records = [server_port(r, pcap.linktype, int(args[3])) for r in pcap.records[1:]]
    else:
        sys.exit(__doc__)
    pcapfile.write(args[1], pcap, records)


def server_port(record, linktype, port):
    """`record` with TCP port 80 changed to `port` in its TCP header, the checksum updated
    for the change (RFC 1624), so that it stays right."""
    sec, frac, orig, data = record
    data = bytearray(data)
    tcp = pcapfile.tcp_offset(data, linktype)
    for at in (tcp, tcp + 2):
        if struct.unpack("!H", data[at : at + 2])[0] == 80:
            data[at : at + 2] = struct.pack("!H", port)
            old = struct.unpack("!H", data[tcp + 16 : tcp + 18])[0]
            s = (~old & 0xFFFF) + (~80 & 0xFFFF) + port
            while s >> 16:
                s = (s & 0xFFFF) + (s >> 16)
            data[tcp + 16 : tcp + 18] = struct.pack("!H", ~s & 0xFFFF)
    return [sec, frac, orig, data]


if __name__ == "__main__":
    main()
