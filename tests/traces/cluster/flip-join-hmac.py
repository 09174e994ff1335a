#!/usr/bin/env python3
"""Copy a classic pcap, flipping the last byte of every MP_JOIN third-ACK HMAC (TCP
option kind 30, subtype 1, length 24): a join whose authentication fails, for the
cluster btests. Ethernet, IPv4/IPv6. Usage: flip-join-hmac.py IN OUT"""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import pcapfile  # noqa: E402

pcap = pcapfile.read(sys.argv[1])
if pcap is None:
    sys.exit("%s: not a classic pcap" % sys.argv[1])
n = 0
for _, _, _, data in pcap.records:
    for at, kind, length in pcapfile.tcp_options(data, pcap.linktype):
        if kind == 30 and length == 24 and data[at + 2] >> 4 == 1:
            data[at + 23] ^= 0xFF
            n += 1
pcapfile.write(sys.argv[2], pcap)
print(f"{n} MP_JOIN third-ACK HMACs changed")
