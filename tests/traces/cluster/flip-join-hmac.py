#!/usr/bin/env python3
"""Copy a classic pcap, flipping the last byte of every MP_JOIN third-ACK HMAC (TCP
option kind 30, subtype 1, length 24): a join whose authentication fails, for the
cluster btests. Ethernet, IPv4/IPv6. Usage: flip-join-hmac.py IN OUT"""
import struct, sys

data = bytearray(open(sys.argv[1], "rb").read())
off, n = 24, 0
while off + 16 <= len(data):
    incl = struct.unpack_from("<I", data, off + 8)[0]
    p = off + 16
    eth = 14
    et = struct.unpack_from(">H", data, p + 12)[0]
    if et == 0x0800:
        ip, proto, tcp = p + eth, data[p + eth + 9], p + eth + (data[p + eth] & 15) * 4
    elif et == 0x86DD:
        ip, proto, tcp = p + eth, data[p + eth + 6], p + eth + 40
    else:
        proto = 0
    if proto == 6:
        hl = (data[tcp + 12] >> 4) * 4
        o, end = tcp + 20, tcp + hl
        while o < end:
            k = data[o]
            if k == 0:
                break
            if k == 1:
                o += 1
                continue
            ln = data[o + 1]
            if ln < 2:
                break
            if k == 30 and ln == 24 and data[o + 2] >> 4 == 1:
                data[o + 23] ^= 0xFF
                n += 1
            o += ln
    off = p + incl
open(sys.argv[2], "wb").write(data)
print(f"{n} MP_JOIN third-ACK HMACs changed")
