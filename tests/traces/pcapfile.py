"""Reading, editing and writing classic pcap files, for the scripts that derive test traces
from kernel-made ones (extra/strip-mptcp.py, extra/split-segment.py,
cluster/flip-join-hmac.py) and for fuzz/zeek-mutations.py. (reassembly/verify_reassembly.py
keeps its own parser on purpose: it is an independent check.)"""
import struct
import sys

ETHERNET = 1
RAW_IP = 101


class Pcap:
    """A classic pcap file: its global header, byte order, link type, and its records as
    [seconds, fraction, original length, data] (data a bytearray, edited in place)."""

    def __init__(self, endian, header, linktype, records):
        self.endian, self.header, self.linktype, self.records = endian, header, linktype, records


def read(path):
    """The Pcap at `path`, or None when it is not a classic pcap (pcapng, say)."""
    with open(path, "rb") as f:
        raw = f.read()
    if raw[:4] in (b"\xd4\xc3\xb2\xa1", b"\x4d\x3c\xb2\xa1"):
        endian = "<"
    elif raw[:4] in (b"\xa1\xb2\xc3\xd4", b"\xa1\xb2\x3c\x4d"):
        endian = ">"
    else:
        return None
    linktype = struct.unpack(endian + "I", raw[20:24])[0]
    records, off = [], 24
    while off + 16 <= len(raw):
        sec, frac, incl, orig = struct.unpack(endian + "IIII", raw[off : off + 16])
        records.append([sec, frac, orig, bytearray(raw[off + 16 : off + 16 + incl])])
        off += 16 + incl
    return Pcap(endian, raw[:24], linktype, records)


def read_ethernet(path):
    """The Pcap at `path`; exits with a message unless it is a classic Ethernet pcap."""
    pcap = read(path)
    if pcap is None or pcap.linktype != ETHERNET:
        sys.exit("%s: not a classic Ethernet pcap" % path)
    return pcap


def write(path, pcap, records=None):
    """Write `records` (default: the file's own) with `pcap`'s header; each record's
    captured length is its data's, its original length at least that."""
    with open(path, "wb") as f:
        f.write(pcap.header)
        for sec, frac, orig, data in pcap.records if records is None else records:
            f.write(struct.pack(pcap.endian + "IIII", sec, frac, len(data), max(orig, len(data))))
            f.write(bytes(data))


def ip_offset(data, linktype):
    """Where the IP header starts in an Ethernet (VLAN-tagged or not) or raw IP frame, or
    None for anything else."""
    if linktype == RAW_IP:
        return 0
    if linktype != ETHERNET or len(data) < 14:
        return None
    etype, off = struct.unpack(">H", data[12:14])[0], 14
    if etype == 0x8100 and len(data) >= 18:
        etype, off = struct.unpack(">H", data[16:18])[0], 18
    return off if etype in (0x0800, 0x86DD) else None


def tcp_offset(data, linktype):
    """Where the TCP header starts (IPv4, or IPv6 without extension headers), or None when
    the frame holds no whole TCP header."""
    off = ip_offset(data, linktype)
    if off is None or len(data) <= off:
        return None
    version = data[off] >> 4
    if version == 4 and len(data) >= off + 20 and data[off + 9] == 6:
        tcp = off + (data[off] & 0xF) * 4
    elif version == 6 and len(data) >= off + 40 and data[off + 6] == 6:
        tcp = off + 40
    else:
        return None
    return tcp if len(data) >= tcp + 20 else None


def tcp_options_span(data, linktype):
    """(start, end) of the TCP option area present in the frame, or None when it has none."""
    tcp = tcp_offset(data, linktype)
    if tcp is None:
        return None
    end = min(tcp + (data[tcp + 12] >> 4) * 4, len(data))
    return (tcp + 20, end) if end > tcp + 20 else None


def tcp_options(data, linktype):
    """(offset, kind, length) of each option with a length byte in the frame's TCP option
    area, up to EOL or a malformed length. Each length is read before its option is
    yielded, so a caller may overwrite the option's bytes (with NOPs, say)."""
    span = tcp_options_span(data, linktype)
    if not span:
        return
    at, end = span
    while at < end:
        kind = data[at]
        if kind == 0:
            return
        if kind == 1:
            at += 1
            continue
        if at + 1 >= end or data[at + 1] < 2:
            return
        length = data[at + 1]
        yield at, kind, length
        at += length


def internet_checksum(b):
    """The Internet checksum (RFC 1071) of `b`, an even number of bytes."""
    s = sum(struct.unpack("!%dH" % (len(b) // 2), b))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return ~s & 0xFFFF


def set_ipv4_checksum(data, at):
    """Recompute in place the header checksum of the IPv4 header at `data[at:]`."""
    ihl = (data[at] & 0xF) * 4
    data[at + 10 : at + 12] = b"\0\0"
    data[at + 10 : at + 12] = struct.pack("!H", internet_checksum(bytes(data[at : at + ihl])))


def set_tcp_checksum(data, linktype):
    """Recompute in place the TCP checksum of a whole segment in the frame (IPv4, or IPv6
    without extension headers); False, nothing changed, when there is none."""
    ip, tcp = ip_offset(data, linktype), tcp_offset(data, linktype)
    if ip is None or tcp is None:
        return False
    if data[ip] >> 4 == 4:
        seg_len = struct.unpack("!H", data[ip + 2 : ip + 4])[0] - (tcp - ip)
        addrs = bytes(data[ip + 12 : ip + 20])
    else:
        seg_len = struct.unpack("!H", data[ip + 4 : ip + 6])[0]
        addrs = bytes(data[ip + 8 : ip + 40])
    if tcp + seg_len > len(data):
        return False
    data[tcp + 16 : tcp + 18] = b"\0\0"
    b = addrs + struct.pack("!HH", 6, seg_len) + bytes(data[tcp : tcp + seg_len])
    if len(b) % 2:
        b += b"\0"
    data[tcp + 16 : tcp + 18] = struct.pack("!H", internet_checksum(b))
    return True
