#!/usr/bin/env python3
"""Writes a copy of a classic Ethernet pcap with every frame carried in a tunnel, as a
sensor behind a traffic mirror sees it, so that tests can check that the package finds
MPTCP inside the tunnels Zeek decapsulates by default:

  vxlan  each whole Ethernet frame in VXLAN (UDP port 4789, VNI 42) over IPv4
         (10.99.0.1 -> 10.99.0.2, UDP checksum 0 as RFC 7348 allows over IPv4)
  gre    each frame's IP packet in GRE (RFC 2784, no options; protocol type the inner
         EtherType, so IPv4 and IPv6 alike) over IPv4 (10.99.0.1 -> 10.99.0.2)
  gtp    each frame's IP packet in GTPv1 user data (G-PDU, TEID 9, no optional words),
         UDP 2152 -> 2152, over IPv4 (a mobile core's view)
  ipip   each frame's IP packet in IPv4 (protocol 4 or 41)

and, so that tests can check that the offline runner decapsulates what Zeek
decapsulates and no more, UDP tunnels Zeek finds by protocol detection or checks
strictly (UDP checksum 0, none, as IPv4 allows; frames they do not carry are left out):

  teredo-port  each IPv6 packet in Teredo with an origin indication, on UDP ports
               40000 -> 40001 (not Teredo's 3544: Zeek finds it by protocol detection)
  ayiya-port   each IPv4 and IPv6 packet in AYIYA (4-byte identity, 20-byte signature,
               "forward"), on UDP ports 40000 -> 40001 (not AYIYA's 5072: likewise)
  teredo       each IPv6 packet in Teredo on port 3544

A mode may end in -cut: every frame cut to 150 bytes, as a header-only capture cuts
them (teredo-cut: Zeek reports a violation at the first cut packet and decapsulates no
more on that UDP connection; inside GRE, IP in IP and GTPv1 Zeek drops a packet the
capture cut short, inside VXLAN it reads as far as the capture goes); or in -trail:
4 bytes (de ad be ef) after each packet inside the tunnel (inside IP in IP and GTPv1
Zeek drops such a packet).

The outer Ethernet header is the inner frame's own; outer IPv4 headers get their
lengths, TTL 64, DF and a correct checksum. The inner bytes are copied unchanged, so
the inner TCP checksums stay right. Frames other than IPv4/IPv6 are left out.

Usage: encapsulate.py IN OUT MODE[-cut|-trail]
Made from ../v1-mixed-v4v6.pcap (kernel-made: IPv4 and IPv6 subflows of one connection):
    encapsulate.py ../v1-mixed-v4v6.pcap v1-mixed-v4v6-MODE.pcap MODE
for MODE vxlan, gre, gtp, teredo-port, ayiya-port, teredo-cut, gtp-cut, gre-cut,
ipip-cut, vxlan-cut and gtp-trail.
"""
import os
import struct
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import pcapfile  # noqa: E402

OUTER_SRC = bytes([10, 99, 0, 1])
OUTER_DST = bytes([10, 99, 0, 2])
VXLAN_PORT = 4789
VNI = 42


def ipv4(proto, payload, ident):
    h = bytearray(struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(payload), ident & 0xFFFF, 0x4000, 64, proto, 0,
                              OUTER_SRC, OUTER_DST))
    pcapfile.set_ipv4_checksum(h, 0)
    return bytes(h) + payload


def vxlan(frame, n):
    # The UDP source port varies per flow in real VXLAN; one port is enough here.
    inner = struct.pack("!BxxxI", 0x08, VNI << 8) + bytes(frame)
    udp = struct.pack("!HHHH", 49152, VXLAN_PORT, 8 + len(inner), 0) + inner
    return bytes(frame[:12]) + b"\x08\x00" + ipv4(17, udp, n)


def gre(frame, n, ip_at):
    etype = frame[ip_at - 2 : ip_at]
    payload = b"\x00\x00" + bytes(etype) + bytes(frame[ip_at:])
    return bytes(frame[:12]) + b"\x08\x00" + ipv4(47, payload, n)


MODES = ("vxlan", "gre", "gtp", "ipip", "teredo", "teredo-port", "ayiya-port")
CUT = 150
TRAIL = b"\xde\xad\xbe\xef"
GTP_PORT = 2152


def gtp(ip):
    """The UDP datagram carrying IP packet `ip` in GTPv1 user data."""
    body = struct.pack("!BBHI", 0x30, 0xFF, len(ip), 9) + ip
    return struct.pack("!HHHH", GTP_PORT, GTP_PORT, 8 + len(body), 0) + body


def udp_tunnel(mode, ip):
    """The UDP datagram carrying IP packet `ip`, or None when the mode does not carry it."""
    version = ip[0] >> 4
    if mode.startswith("teredo"):
        if version != 6:
            return None
        if mode == "teredo-port":
            body, ports = b"\x00\x00" + bytes(6) + ip, (40000, 40001)  # origin indication
        else:
            body, ports = ip, (40000, 3544)
    else:
        # AYIYA: identity length 1 << 2, signature (0x5 << 4: 5 x 4 bytes), op code 1
        # (forward), the inner protocol (IPv4 in IP 4, IPv6 41), then identity and signature.
        body = bytes([0x20, 0x52, 0x11, 41 if version == 6 else 4]) + bytes(4) + bytes(4) + bytes(20) + ip
        ports = (40000, 40001)
    return struct.pack("!HHHH", ports[0], ports[1], 8 + len(body), 0) + body


def main():
    mode = sys.argv[3] if len(sys.argv) == 4 else ""
    base, cut, trail = mode, False, b""
    if mode.endswith("-cut"):
        base, cut = mode[: -len("-cut")], True
    elif mode.endswith("-trail"):
        base, trail = mode[: -len("-trail")], TRAIL
    if base not in MODES:
        sys.exit(__doc__)
    src, dst = sys.argv[1:3]
    pcap = pcapfile.read_ethernet(src)
    records = []
    for n, (sec, frac, orig, data) in enumerate(pcap.records):
        ip_at = pcapfile.ip_offset(data, pcap.linktype)
        if ip_at is None or len(data) < orig:
            continue  # not IP, or cut short by the capture: nothing to wrap faithfully
        ip = bytes(data[ip_at:]) + trail
        if base == "vxlan":
            out = vxlan(bytes(data) + trail, n)
        elif base == "gre":
            out = gre(bytes(data) + trail, n, ip_at)
        elif base == "ipip":
            out = bytes(data[:12]) + b"\x08\x00" + ipv4(41 if ip[0] >> 4 == 6 else 4, ip, n)
        else:
            udp = gtp(ip) if base == "gtp" else udp_tunnel(base, ip)
            if udp is None:
                continue
            out = bytes(data[:12]) + b"\x08\x00" + ipv4(17, udp, n)
        wire = len(out)
        if cut:
            out = out[:CUT]
        records.append([sec, frac, wire, bytearray(out)])
    pcapfile.write(dst, pcap, records)


if __name__ == "__main__":
    main()
