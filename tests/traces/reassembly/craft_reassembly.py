#!/usr/bin/env python3
"""Crafted MPTCP traces for data-level reassembly tests (issue 6), with an oracle per trace.

Built on craft_mptcp.py (copied unchanged from ../shared/traces).  Pure python3 standard
library, deterministic: fixed keys, ISN seeds, payload seeds and timestamps, so rerunning
writes byte-identical files.

For every scenario NAME this writes, into --out (default: this script's directory):
  NAME.pcap          the capture (classic libpcap, Ethernet)
  NAME.expect.json   the oracle, computed from what the generator intended (see README.md)
  NAME.client.bin    expected client->server data-level stream (never-captured bytes as zeros)
  NAME.server.bin    expected server->client data-level stream

Semantics (RFC 8684): relative subflow sequence number SSN = seq - ISN (first data byte after
the SYN has SSN 1); a DSS mapping (DSN, SSN, L) maps subflow bytes [SSN, SSN+L) to data
sequence [DSN, DSN+L); a DATA_FIN takes one DSN at DSN+L-1 of its mapping (pure DATA_FIN:
L=1, SSN=0, no payload).  Stream offset 0 is DSN = IDSN(sender key) + 1.

Usage: craft_reassembly.py [--out DIR] [NAME ...]
"""
import argparse, hashlib, json, os, random, struct, sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from craft_mptcp import (Trace, Subflow, MPConn, dss, mp_capable, mp_join_syn, mp_join_synack,  # noqa: E402
                         mp_join_ack, mp_tcprst, dss_csum, idsn_of, token_of, join_hmac)

M64 = (1 << 64) - 1
MSS = 1400          # payload bytes per full segment
SIDE = {"c": "client", "s": "server"}


# ------------------------------------------------------------------ subflow with ACK control
class RSub(Subflow):
    """Subflow whose cumulative ACK can be held back (receiver missing subflow bytes)."""

    def send(self, side, flags, mp=(), payload=b"", dt=0.0002, raw_opts=None, win=502, seq=None):
        hold = getattr(self, "hold", {}).get(side)
        if hold is None or "A" not in flags:
            return Subflow.send(self, side, flags, mp, payload, dt, raw_opts, win, seq)
        peer = self.ep["s" if side == "c" else "c"]
        saved = peer["nxt"]
        peer["nxt"] = hold               # only read for the ACK number of this segment
        try:
            return Subflow.send(self, side, flags, mp, payload, dt, raw_opts, win, seq)
        finally:
            peer["nxt"] = saved

    def abs_seq(self, side, ssn):
        return (self.ep[side]["isn"] + ssn) & 0xffffffff


class Map:
    """One DSS mapping: stream bytes [off, off+length) of `side` on subflow sfi, starting at the
    subflow's current SSN.  Its segments must be sent consecutively on that subflow direction."""

    def __init__(self, rc, side, sfi, off, length, fin=False, data=None, csum_delta=0):
        self.rc, self.side, self.sfi, self.off, self.len, self.fin = rc, side, sfi, off, length, fin
        sf = rc.mc.sf[sfi]
        assert sfi not in rc.dead, "mapping on a reset subflow"
        self.ssn = sf.rel_ssn(side) if length else 0
        self.dsn = (rc.base[side] + off) & M64
        self.dll = length + (1 if fin else 0)
        self.data = bytes(rc.stream[side][off:off + length]) if data is None else bytes(data)
        assert len(self.data) == length
        if fin:
            assert length <= MSS, "DATA_FIN only on single-segment mappings"
        self.cur = off
        self.csum = None
        if rc.mc.checksum:
            good = dss_csum(self.dsn, self.ssn, self.dll, self.data)
            self.csum = (good + csum_delta) & 0xffff
            if csum_delta:
                # 0x0000 and 0xffff are the same one's complement value: keep the error real
                assert {good, self.csum} != {0, 0xffff} and good != self.csum
        rc.nmaps[side] += 1
        if csum_delta:
            rc.csum_bad[side] += 1
            rc.notes.append("%s mapping at stream offset %d len %d on subflow %d: checksum 0x%04x, correct 0x%04x"
                            % (SIDE[side], off, length, sfi, self.csum, good))

    def option(self, ack8=None):
        rc = self.rc
        return dss(data_ack=rc.data_ack(self.side), ack8=rc.ack8 if ack8 is None else ack8,
                   dsn=self.dsn, dsn8=rc.dsn8, ssn=self.ssn, dll=self.dll, dsum=self.csum, fin=self.fin)

    def done(self):
        return self.cur >= self.off + self.len


# ------------------------------------------------------------------ connection model
class RConn:
    def __init__(self, name, caddr, saddr, cport, ckey, skey, seed, checksum=False, dsn8=True, ack8=True,
                 sport=80):
        self.name = name
        self.tr = Trace()
        self.mc = MPConn(self.tr, caddr, cport, saddr, sport, ckey, skey, checksum=checksum, seed=seed)
        self.mc.sf[0].__class__ = RSub
        self.mc.sf[0].hold = {}
        self.base = dict(self.mc.dsn)                  # IDSN + 1 of each sender
        self.stream = {"c": bytearray(), "s": bytearray()}
        self.rcv = {"c": bytearray(), "s": bytearray()}  # 1 = byte of sender `side` reached the peer
        self.rcv_ptr = {"c": 0, "s": 0}
        self.fin_at = {"c": None, "s": None}           # stream offset of the DATA_FIN
        self.fin_rcvd = {"c": False, "s": False}
        self.log = []                                  # captured data copies: (side, offset, bytes, note)
        self.nmaps = {"c": 0, "s": 0}
        self.csum_bad = {"c": 0, "s": 0}
        self.dead = set()
        self.dsn8, self.ack8 = dsn8, ack8
        self.autoack = 2                               # receiver ACKs every N segments per subflow
        self.pending = {}
        self.notes = []
        self.http = {"c": [], "s": []}
        self.subflows = [dict(client="%s:%d" % (caddr, cport), server="%s:%d" % (saddr, sport), kind="MP_CAPABLE")]

    # -- streams
    def append(self, side, data):
        off = len(self.stream[side])
        self.stream[side] += data
        self.rcv[side] += bytes(len(data))
        return off

    def http_msg(self, side, head, body):
        off = self.append(side, head + body)
        if body:
            self.http[side].append(dict(body_offset=off + len(head), body_length=len(body),
                                        body_md5=hashlib.md5(body).hexdigest()))
        return off

    @staticmethod
    def other(side):
        return "s" if side == "c" else "c"

    def data_ack(self, side):
        """DATA_ACK that `side` sends: next DSN it expects from the peer."""
        p = self.other(side)
        return (self.base[p] + self.rcv_ptr[p] + (1 if self.fin_rcvd[p] else 0)) & M64

    def deliver(self, side, off, n):
        r = self.rcv[side]
        r[off:off + n] = b"\x01" * n
        while self.rcv_ptr[side] < len(r) and r[self.rcv_ptr[side]]:
            self.rcv_ptr[side] += 1

    # -- handshakes
    def handshake(self):
        self.mc.handshake()

    def first_data(self, n, autoack=True):
        """client's first data in the third-ACK-style MP_CAPABLE (len 22, or 24 with checksum):
        implicit mapping DSN = IDSN+1, SSN 1, L = n"""
        sf = self.mc.sf[0]
        assert sf.rel_ssn("c") == 1 and self.rcv_ptr["c"] == 0
        payload = bytes(self.stream["c"][0:n])
        ds = dss_csum(self.base["c"], 1, n, payload) if self.mc.checksum else None
        opt = mp_capable(1, self.mc.flags(), [self.mc.key["c"], self.mc.key["s"]], dll=n, dsum=ds)
        sf.send("c", "PA", [opt], payload, dt=0.0005)
        self.nmaps["c"] += 1
        self.log.append(("c", 0, payload, "MP_CAPABLE data"))
        self.deliver("c", 0, n)
        if autoack:
            self.ack("s", 0)

    def join(self, caddr, cport, saddr, sport, c_addrid, s_addrid=0, backup=0):
        mc = self.mc
        sf = RSub(self.tr, caddr, cport, saddr, sport, mc.rnd.getrandbits(32), mc.rnd.getrandbits(32),
                  mc.cmac, mc.smac)
        sf.hold = {}
        mc.sf.append(sf)
        ra, rb = mc.rnd.getrandbits(32), mc.rnd.getrandbits(32)
        ka, kb = mc.key["c"], mc.key["s"]
        sf.send("c", "S", [mp_join_syn(token_of(kb), ra, c_addrid, backup)], dt=0.002)
        sf.send("s", "SA", [mp_join_synack(join_hmac(kb, ka, rb, ra)[:8], rb, s_addrid, 0)])
        sf.send("c", "A", [mp_join_ack(join_hmac(ka, kb, ra, rb)[:20])])
        i = len(mc.sf) - 1
        self.ack("s", i)
        self.subflows.append(dict(client="%s:%d" % (caddr, cport), server="%s:%d" % (saddr, sport),
                                  kind="MP_JOIN", client_addr_id=c_addrid, server_addr_id=s_addrid))
        return i

    # -- segments
    def ack(self, side, sfi, dt=0.0001):
        self.mc.sf[sfi].send(side, "A", [dss(data_ack=self.data_ack(side), ack8=self.ack8)], dt=dt)
        self.pending[(sfi, side)] = 0

    def flush(self, side):
        for (sfi, sd), n in sorted(self.pending.items()):
            if sd == side and n and sfi not in self.dead:
                self.ack(side, sfi)

    def seg(self, m, n=None, capture=True, deliver=True, dt=0.0001, ack8=None, note="", autoack=True):
        """next segment of mapping m (n payload bytes, default up to MSS)"""
        sf = self.mc.sf[m.sfi]
        end = m.off + m.len
        if n is None:
            n = min(MSS, end - m.cur)
        assert 0 < n <= end - m.cur or (m.len == 0 and n == 0)
        rel = m.cur - m.off
        if m.len:
            assert sf.rel_ssn(m.side) == (m.ssn + rel) & 0xffffffff, "mapping segments not consecutive"
        payload = m.data[rel:rel + n]
        last = m.cur + n == end
        sf.send(m.side, "PA" if last and n else "A", [m.option(ack8)], payload, dt=dt)
        if not capture:
            self.tr.pkts.pop()
            self.notes.append("%s bytes [%d, %d) on subflow %d not captured%s"
                              % (SIDE[m.side], m.cur, m.cur + n, m.sfi, (" (" + note + ")") if note else ""))
        elif n:
            self.log.append((m.side, m.cur, payload, note))
        if deliver:
            self.deliver(m.side, m.cur, n)
            if m.fin and last:
                self.fin_rcvd[m.side] = True
        if m.fin and last:
            self.fin_at[m.side] = end
        m.cur += n
        if deliver and autoack and self.autoack:
            k = (m.sfi, self.other(m.side))
            self.pending[k] = self.pending.get(k, 0) + 1
            if self.pending[k] >= self.autoack or (m.fin and last):
                self.ack(self.other(m.side), m.sfi)
        return m

    def send_map(self, side, sfi, off, length, sizes=None, **kw):
        m = Map(self, side, sfi, off, length)
        for n in (sizes or [None] * ((length + MSS - 1) // MSS)):
            self.seg(m, n, **kw)
        assert m.done()
        return m

    def retransmit(self, m, rel, n, dt=0.0003, note="subflow retransmission"):
        """TCP retransmission of mapping m's bytes [rel, rel+n) on the same subflow (same seq, same DSS)"""
        sf = self.mc.sf[m.sfi]
        payload = m.data[rel:rel + n]
        sf.send(m.side, "PA", [m.option()], payload, dt=dt, seq=sf.abs_seq(m.side, m.ssn + rel))
        self.log.append((m.side, m.off + rel, payload, note))

    def rounds(self, side, plan):
        """plan: [(sfi, off, len)] in DSN order.  Consecutive entries on distinct subflows form a
        round; the segments of a round's mappings go out alternately (so data arrives out of
        DSN order across subflows)."""
        i = 0
        while i < len(plan):
            rnd = []
            while i < len(plan) and plan[i][0] not in [p[0] for p in rnd]:
                rnd.append(plan[i])
                i += 1
            maps = [Map(self, side, sfi, off, ln) for sfi, off, ln in rnd]
            while not all(m.done() for m in maps):
                for m in maps:
                    if not m.done():
                        self.seg(m)
        self.flush(self.other(side))

    def data_fin(self, side, sfi, deliver=True):
        """pure DATA_FIN: DSN = end of stream, SSN 0, L 1, no payload"""
        m = Map(self, side, sfi, len(self.stream[side]), 0, fin=True)
        self.mc.sf[sfi].send(side, "A", [m.option()], b"", dt=0.0005)
        self.fin_at[side] = len(self.stream[side])
        if deliver:
            self.fin_rcvd[side] = True
            self.ack(self.other(side), sfi)

    def close_subflows(self):
        for i, sf in enumerate(self.mc.sf):
            if i in self.dead:
                continue
            sf.send("c", "FA", [dss(data_ack=self.data_ack("c"), ack8=self.ack8)], dt=0.0003)
            sf.send("s", "FA", [dss(data_ack=self.data_ack("s"), ack8=self.ack8)])
            sf.send("c", "A", [dss(data_ack=self.data_ack("c"), ack8=self.ack8)])

    # -- output
    def oracle(self, side):
        st = self.stream[side]
        L = len(st)
        buf, have = bytearray(L), bytearray(L)
        dup = 0
        incons, diff_ranges, dup_by_note = [], [], {}
        for sd, off, data, note in self.log:
            if sd != side:
                continue
            differs = []
            for i, b in enumerate(data):
                j = off + i
                if have[j]:
                    dup += 1
                    dup_by_note[note or "duplicate"] = dup_by_note.get(note or "duplicate", 0) + 1
                    if buf[j] != b:
                        differs.append(j)
                else:
                    have[j] = 1
                    buf[j] = b
            if differs:
                incons.append([off, len(data)])
                s = p = differs[0]
                for j in differs[1:] + [None]:
                    if j != p + 1:
                        diff_ranges.append([s, p - s + 1])
                        if j is not None:
                            s = j
                    if j is not None:
                        p = j
        gaps, j = [], 0
        while j < L:
            if not have[j]:
                k = j
                while k < L and not have[k]:
                    k += 1
                gaps.append([j, k - j])
                j = k
            else:
                j += 1
        for j in range(L):     # what was first captured is the intended stream, holes are zeros
            assert buf[j] == (st[j] if have[j] else 0), (self.name, side, j)
        gap = sum(g[1] for g in gaps)
        if self.fin_at[side] is not None:
            assert self.fin_at[side] == L
        return dict(
            bytes=L, md5=hashlib.md5(bytes(buf)).hexdigest(), gap_bytes=gap, dup_bytes=dup,
            inconsistent=incons, checksum_mismatches=self.csum_bad[side], data_fin=self.fin_at[side] is not None,
            captured_bytes=L - gap, gaps=gaps, inconsistent_bytes=diff_ranges, dup_bytes_by_kind=dup_by_note,
            first_dsn="0x%016x" % self.base[side],
            data_fin_dsn=("0x%016x" % ((self.base[side] + L) & M64)) if self.fin_at[side] is not None else None,
            mappings=self.nmaps[side], http_bodies=self.http[side]), bytes(buf)

    def write(self, out, description, extra=None):
        path = os.path.join(out, self.name)
        self.tr.write(path + ".pcap")
        ora = dict(trace=self.name + ".pcap", description=description, packets=len(self.tr.pkts),
                   client_key="0x%016x" % self.mc.key["c"], server_key="0x%016x" % self.mc.key["s"],
                   client_idsn="0x%016x" % idsn_of(self.mc.key["c"]),
                   server_idsn="0x%016x" % idsn_of(self.mc.key["s"]),
                   server_token="0x%08x" % token_of(self.mc.key["s"]),
                   checksum=self.mc.checksum, dsn_bits=64 if self.dsn8 else 32,
                   data_ack_bits=64 if self.ack8 else 32, subflows=self.subflows,
                   reset_subflows=sorted(self.dead))
        for side, key in (("c", "client"), ("s", "server")):
            o, b = self.oracle(side)
            ora[key] = o
            with open("%s.%s.bin" % (path, key), "wb") as f:
                f.write(b)
        ora["notes"] = self.notes
        if extra:
            ora.update(extra)
        with open(path + ".expect.json", "w") as f:
            json.dump(ora, f, indent=1)
            f.write("\n")
        return ora


# ------------------------------------------------------------------ content
def rbytes(seed, n):
    return random.Random(seed).randbytes(n)


def get_req(path, host="reassembly.mptcp.test", extra=b""):
    return (b"GET %s HTTP/1.1\r\nHost: %s\r\nUser-Agent: craft-reassembly/1.0\r\nAccept: */*\r\n%s\r\n"
            % (path.encode(), host.encode(), extra))


def resp_head(n, extra=b""):
    return (b"HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\nContent-Length: %d\r\n%s\r\n"
            % (n, extra))


def response_total(total, seed):
    """HTTP response whose header + body is exactly `total` bytes"""
    n = total - len(resp_head(total))
    while len(resp_head(n)) + n != total:
        n = total - len(resp_head(n))
    return resp_head(n), rbytes(seed, n)


def plan_split(start, total, sizes, sfs):
    """[(sfi, off, len)] covering [start, start+total) with mapping lengths cycling `sizes`
    and subflows cycling `sfs`"""
    out, off, i = [], start, 0
    while off < start + total:
        n = min(sizes[i % len(sizes)], start + total - off)
        out.append((sfs[i % len(sfs)], off, n))
        off += n
        i += 1
    return out


NET = "10.242"


def open2(rc, n, joins=1, via_add_addr=True):
    """handshake + client's first data; then ADD_ADDR(s) and join(s).  Subflow k (k>=1) goes
    from NET.(k+1).1 to NET.(k+1).2 (announced with ADD_ADDR id k+1)."""
    rc.handshake()
    rc.first_data(n)
    ids = []
    for k in range(1, joins + 1):
        if via_add_addr:
            rc.mc.add_addr("s", k + 1, "%s.%d.2" % (NET, k + 1))
        ids.append(rc.join("%s.%d.1" % (NET, k + 1), rc.mc.sf[0].ep["c"]["port"] + k,
                           "%s.%d.2" % (NET, k + 1), 80, c_addrid=k + 1, s_addrid=k + 1))
    return ids


def clean_close(rc, server_fin_sf=0, client_fin_sf=0):
    rc.data_fin("s", server_fin_sf)
    rc.data_fin("c", client_fin_sf)
    rc.close_subflows()


# ------------------------------------------------------------------ scenarios
def sc_interleave3(out):
    rc = RConn("interleave3", NET + ".1.1", NET + ".1.2", 51001, 0x1001100110011001, 0x2002200220022002, 101)
    req = get_req("/interleave3.bin")
    rc.append("c", req)
    h, b = response_total(30000, 1011)
    rc.http_msg("s", h, b)
    rc.http["c"] = []
    rc.handshake()
    rc.first_data(len(req))
    rc.mc.add_addr("s", 2, NET + ".2.2")
    j1 = rc.join(NET + ".2.1", 51002, NET + ".2.2", 80, c_addrid=2, s_addrid=2)
    j2 = rc.join(NET + ".3.1", 51003, NET + ".1.2", 80, c_addrid=3, s_addrid=0)   # to the initial address
    assert (j1, j2) == (1, 2)
    # one segment per mapping, round robin sf0, sf1, sf2, sf0, ...
    for k, off in enumerate(range(0, 30000, MSS)):
        rc.send_map("s", k % 3, off, min(MSS, 30000 - off))
    rc.flush("c")
    clean_close(rc, server_fin_sf=1, client_fin_sf=0)
    return rc.write(out, "1 conn, 3 subflows (initial + join via ADD_ADDR id 2 + join from client addr id 3 to the "
                         "initial server address). Client GET (24+ bytes in the MP_CAPABLE len-22 data segment). "
                         "Server response of 30,000 bytes: 21 segments of 1,400 + 1 of 600, each its own "
                         "single-segment mapping, round robin over subflows 0,1,2. Pure DATA_FIN from the server on "
                         "subflow 1, from the client on subflow 0, then FIN on every subflow.")


def reinject_base(name, cport, ckey, skey, seed, diff):
    rc = RConn(name, NET + ".1.1", NET + ".1.2", cport, ckey, skey, seed)
    req = get_req("/%s.bin" % name)
    rc.append("c", req)
    total = 20000
    h, b = response_total(total, seed * 10)
    rc.http_msg("s", h, b)
    open2(rc, len(req), joins=1)
    plan = plan_split(0, total, [2 * MSS], [0, 1])     # 2-segment mappings, alternating subflows
    maps = {}
    # rounds of (sf0 mapping, sf1 mapping), segments alternate
    for r in range(0, len(plan), 2):
        ms = [Map(rc, "s", sfi, off, ln) for sfi, off, ln in plan[r:r + 2]]
        while not all(m.done() for m in ms):
            for m in ms:
                if not m.done():
                    rc.seg(m)
        for m in ms:
            maps[m.off] = m
        if r == 2:
            # reinjection 1: the sf1 mapping of this round (2 segments) again on sf0, same bytes
            m = ms[1]
            rc.send_map("s", 0, m.off, m.len, note="reinjection sf1->sf0")
        if r == 4:
            # reinjection 2: first segment of this round's sf0 mapping again on sf1, split 700 + 700
            m = ms[0]
            if diff:
                # the reinjected copy differs in 100 bytes (rel 500..599) from the first copy
                alt = bytearray(m.data[:MSS])
                for i in range(500, 600):
                    alt[i] ^= 0x5a
                mm = Map(rc, "s", 1, m.off, MSS, data=bytes(alt))
                rc.notes.append("server bytes [%d, %d) reinjected on subflow 1 with bytes [%d, %d) changed "
                                "(XOR 0x5a); the first copy (subflow 0) is the one delivered"
                                % (m.off, m.off + MSS, m.off + 500, m.off + 600))
                rc.seg(mm, note="reinjection sf0->sf1 (differs)")     # one 1,400-byte segment
            else:
                rc.send_map("s", 1, m.off, MSS, sizes=[700, 700], note="reinjection sf0->sf1")
        if r == 6 and not diff:
            # TCP retransmission on the same subflow of this round's sf1 mapping (the last 400 bytes)
            rc.retransmit(ms[1], 0, ms[1].len)
    rc.flush("c")
    clean_close(rc, server_fin_sf=0, client_fin_sf=1)
    return rc


def sc_reinject_same(out):
    rc = reinject_base("reinject-same", 51011, 0x3003300330033003, 0x4004400440044004, 111, diff=False)
    return rc.write(out, "1 conn, 2 subflows. Server response 20,000 bytes in 2-segment mappings (2,800 B) "
                         "alternating subflows 0/1, segments of a round interleaved. Reinjections with identical "
                         "bytes: (a) the sf1 mapping at offset 8,400 (2,800 B) again on sf0 as one new 2-segment "
                         "mapping; (b) bytes [11,200, 12,600) of sf0 again on sf1 as one mapping split in two "
                         "700-byte segments; (c) one TCP retransmission on sf1 (same seq, same DSS) of bytes "
                         "[19,600, 20,000). dup_bytes counts all three; dup_bytes_by_kind splits them.")


def sc_reinject_diff(out):
    rc = reinject_base("reinject-diff", 51021, 0x5005500550055005, 0x6006600660066006, 121, diff=True)
    return rc.write(out, "like reinject-same without the TCP retransmission: (a) sf1 mapping at offset 8,400 "
                         "(2,800 B) reinjected on sf0 with identical bytes; (b) bytes [11,200, 12,600) reinjected "
                         "on sf1 (one segment, one mapping) with 100 bytes [11,700, 11,800) changed. The first "
                         "copy (sf0) is delivered. inconsistent = the range of the differing copy; "
                         "inconsistent_bytes = the bytes that actually differ.")


def sc_hole(out):
    rc = RConn("hole", NET + ".1.1", NET + ".1.2", 51031, 0x7007700770077007, 0x8008800880088008, 131)
    req = get_req("/hole.bin")
    rc.append("c", req)
    total = 24000
    h, b = response_total(total, 1311)
    rc.http_msg("s", h, b)
    open2(rc, len(req), joins=1)
    # mappings (sfi, off, len, segment sizes, index of the uncaptured segment)
    spec = [(0, 2800, [1400, 1400], None), (1, 2800, [1400, 1400], None),
            (0, 2800, [1400, 1400], None), (1, 1000, [1000], 0),            # hole A: whole mapping
            (0, 3800, [1400, 1000, 1400], 1), (1, 2800, [1400, 1400], None)]  # hole B: middle segment
    off = 0
    plan = []
    for sfi, ln, sizes, miss in spec:
        plan.append((sfi, off, ln, sizes, miss))
        off += ln
    while off < total:
        n = min(2800, total - off)
        plan.append((len(plan) % 2, off, n, [min(MSS, n - k) for k in range(0, n, MSS)], None))
        off += n
    for r in range(0, len(plan), 2):
        rnd = plan[r:r + 2]
        ms = [(Map(rc, "s", sfi, o, ln), list(sizes), miss) for sfi, o, ln, sizes, miss in rnd]
        idx = [0] * len(ms)
        while not all(m.done() for m, _, _ in ms):
            for k, (m, sizes, miss) in enumerate(ms):
                if not m.done():
                    rc.seg(m, sizes[idx[k]], capture=(idx[k] != miss), note="hole")
                    idx[k] += 1
    rc.flush("c")
    clean_close(rc)
    return rc.write(out, "1 conn, 2 subflows. Server response 24,000 bytes, 2-segment mappings alternating "
                         "subflows. Two 1,000-byte holes (sent, received and acknowledged at subflow and data "
                         "level, but not in the capture): A = [8,400, 9,400) on sf1, a single-segment mapping of "
                         "its own (its mapping is never seen); B = [10,800, 11,800) on sf0, the middle segment of "
                         "a 3-segment mapping (1,400+1,000+1,400) whose option is seen on the other two. The "
                         "client's DATA_ACK passes both holes; delivery continues after them.")


def sc_rst_reinject(out):
    rc = RConn("rst-reinject", NET + ".1.1", NET + ".1.2", 51041, 0x9009900990099009, 0xa00aa00aa00aa00a, 141)
    req = get_req("/rst-reinject.bin")
    rc.append("c", req)
    total = 30000
    h, b = response_total(total, 1411)
    rc.http_msg("s", h, b)
    (j,) = open2(rc, len(req), joins=1)
    rc.rounds("s", plan_split(0, 11200, [2 * MSS], [0, 1]))   # 4 rounds ok on both subflows
    # doomed mapping D on sf1: 3 segments [11,200, 15,400); sf0 carries E = [15,400, 18,200)
    D = Map(rc, "s", j, 11200, 3 * MSS)
    E = Map(rc, "s", 0, 15400, 2 * MSS)
    sf1 = rc.mc.sf[j]
    hold_at = sf1.abs_seq("s", D.ssn)                       # client's subflow ACK stays here
    sf1.hold["c"] = hold_at
    rc.seg(D, capture=False, deliver=False, note="lost on the path")
    rc.seg(E)
    rc.seg(D, deliver=False, note="arrived out of order at subflow level, never acknowledged")
    rc.mc.sf[j].send("c", "A", [dss(data_ack=rc.data_ack("c"))], dt=0.0001)       # duplicate ACK
    rc.seg(E)
    rc.seg(D, deliver=False, note="arrived out of order at subflow level, never acknowledged")
    rc.mc.sf[j].send("c", "A", [dss(data_ack=rc.data_ack("c"))], dt=0.0001)       # duplicate ACK
    rc.flush("c")
    # the server gives up on subflow 1: RST with MP_TCPRST (reason 5, unacceptable performance, T flag)
    sf1.send("s", "RA", [mp_tcprst(reason=5, flags=1)], dt=0.2)
    rc.dead.add(j)
    rc.notes.append("subflow 1 reset by the server (RST+ACK with MP_TCPRST reason 5) after [11,200, 15,400) "
                    "went unacknowledged; that range is reinjected on subflow 0")
    # reinjection of D's whole range on sf0 (one mapping, 3 segments), then the rest on sf0 only
    rc.send_map("s", 0, 11200, 3 * MSS, note="reinjection after subflow reset")
    rc.rounds("s", plan_split(18200, total - 18200, [4 * MSS], [0]))
    clean_close(rc)
    return rc.write(out, "1 conn, 2 subflows. Server response 30,000 bytes. After 11,200 bytes (2-segment "
                         "mappings alternating), subflow 1 gets a 3-segment mapping D = [11,200, 15,400): its first "
                         "segment is lost (not in the capture), the other two are captured but never acknowledged "
                         "(the client's subflow ACK stays at D's start; DATA_ACK stays at 11,200) while subflow 0 "
                         "carries [15,400, 18,200). The server resets subflow 1 (RST+ACK, MP_TCPRST reason 5) and "
                         "reinjects all of D on subflow 0 as one new 3-segment mapping, then sends the rest on "
                         "subflow 0 (4-segment mappings). No gap; dup_bytes = the two captured D segments (2,800). "
                         "Only subflow 0 is closed with FIN.")


def find_wrap_key(start=0x3232323200000000, need=30000):
    """first key (counting up from start) whose IDSN low 32 bits are within 10,000 of 2^32, with the
    wrap point past the first mapping (5,600 bytes) and inside a segment (not on a 1,400 boundary)"""
    k = start
    while True:
        i = idsn_of(k)
        lo = i & 0xffffffff
        if lo > 0xffffffff - 10000:
            w = (-(i + 1)) & 0xffffffff          # stream offset whose DSN low 32 bits are 0
            if 4 * MSS < w < need and w % MSS:   # past the first (4-segment) mapping
                return k, w
        k += 1


def sc_dsn32_wrap(out):
    skey, w = find_wrap_key()
    rc = RConn("dsn32-wrap", NET + ".1.1", NET + ".1.2", 51051, 0xb00bb00bb00bb00b, skey, 151,
               dsn8=False, ack8=False)
    req = get_req("/dsn32-wrap.bin")
    rc.append("c", req)
    total = 30000
    h, b = response_total(total, 1511)
    rc.http_msg("s", h, b)
    open2(rc, len(req), joins=1)
    plan = plan_split(0, total, [4 * MSS], [0, 1])
    straddle = [p for p in plan if p[1] < w < p[1] + p[2]]
    assert straddle, "wrap must fall inside a mapping"
    rc.rounds("s", plan)
    clean_close(rc, server_fin_sf=1, client_fin_sf=1)
    rc.notes.append("server DSN low 32 bits wrap to 0 at stream offset %d, inside the mapping at offset %d "
                    "(len %d) on subflow %d" % (w, straddle[0][1], straddle[0][2], straddle[0][0]))
    return rc.write(out, "1 conn, 2 subflows; every DSS carries a 32-bit DSN and a 32-bit DATA_ACK. The server "
                         "key is the first key counting up from 0x3232323200000000 whose IDSN low 32 bits are "
                         "> 0xffffffff - 10000 (and whose wrap point lies past the first 5,600-byte mapping, inside a segment). Server response 30,000 "
                         "bytes in 4-segment mappings alternating subflows; the low 32 bits of the DSN (and of "
                         "the client's DATA_ACK) wrap past 2^32 inside one mapping. DATA_FINs on subflow 1 "
                         "(32-bit).", extra=dict(wrap_offset=w))


def sc_checksum_bad(out):
    rc = RConn("checksum-bad", NET + ".1.1", NET + ".1.2", 51061, 0xc00cc00cc00cc00c, 0xd00dd00dd00dd00d, 161,
               checksum=True)
    req = get_req("/checksum-bad.bin")
    rc.append("c", req)
    total = 20000
    h, b = response_total(total, 1611)
    rc.http_msg("s", h, b)
    open2(rc, len(req), joins=1)
    plan = plan_split(0, total, [4 * MSS, 4 * MSS, 4 * MSS, MSS, 3 * MSS], [0, 1])
    bad = 2                                        # third mapping: [11,200, 16,800) on sf0
    for r in range(0, len(plan), 2):
        ms = [Map(rc, "s", sfi, off, ln, csum_delta=(1 if r + k == bad else 0))
              for k, (sfi, off, ln) in enumerate(plan[r:r + 2])]
        while not all(m.done() for m in ms):
            for m in ms:
                if not m.done():
                    rc.seg(m)
    rc.flush("c")
    clean_close(rc)
    return rc.write(out, "1 conn, 2 subflows, DSS checksums negotiated (MP_CAPABLE flags 0x81). The client's "
                         "request rides in MP_CAPABLE len 24 (with checksum); every DSS mapping has a checksum "
                         "(DSS len 28 + TS = 40 option bytes), DATA_FINs too. Server response 20,000 bytes in "
                         "mappings of 4,4,4,1 segments and a last one of 1,800 bytes, alternating subflows. Exactly one mapping, the third "
                         "(bytes [11,200, 16,800) on subflow 0, 4 segments), carries checksum+1; its payload is "
                         "intact, so the delivered bytes equal the intended stream. The receiver does not react "
                         "(no MP_FAIL): the trace tests detection only.")


def sc_both_dirs(out):
    rc = RConn("both-dirs", NET + ".1.1", NET + ".1.2", 51071, 0xe00ee00ee00ee00e, 0xf00ff00ff00ff00f, 171)
    post_body = rbytes(1711, 20000)
    post = (b"POST /upload HTTP/1.1\r\nHost: reassembly.mptcp.test\r\nContent-Type: application/octet-stream\r\n"
            b"Content-Length: %d\r\n\r\n" % len(post_body))
    o_post = rc.http_msg("c", post, post_body)
    r1_body = rbytes(1712, 40000)
    o_r1 = rc.http_msg("s", resp_head(len(r1_body)), r1_body)
    rc.handshake()
    # the server speaks first (ADD_ADDR), so the client's first data uses DSS, not MP_CAPABLE
    rc.mc.add_addr("s", 2, NET + ".2.2")
    j = rc.join(NET + ".2.1", 51072, NET + ".2.2", 80, c_addrid=2, s_addrid=2)
    L1 = len(post) + len(post_body)
    plan = plan_split(o_post, L1, [4 * MSS, 3 * MSS, 5 * MSS, 2 * MSS], [0, j])
    # first client mapping: its first segment has a 4-byte DATA_ACK (DSS len 22) as Linux does
    first = Map(rc, "c", plan[0][0], plan[0][1], plan[0][2])
    second = Map(rc, "c", plan[1][0], plan[1][1], plan[1][2])
    rc.seg(first, ack8=False)
    while not (first.done() and second.done()):
        for m in (first, second):
            if not m.done():
                rc.seg(m)
    rc.rounds("c", plan[2:])
    L2 = len(rc.stream["s"])
    rc.rounds("s", plan_split(o_r1, L2, [5 * MSS, 3 * MSS, 4 * MSS], [j, 0]))
    # second exchange on the same connection
    req2 = get_req("/second")
    o2 = rc.append("c", req2)
    rc.send_map("c", j, o2, len(req2))
    rc.flush("s")
    r2_body = rbytes(1713, 6000)
    r2 = resp_head(len(r2_body), b"Connection: close\r\n") + r2_body
    o3 = rc.http_msg("s", resp_head(len(r2_body), b"Connection: close\r\n"), r2_body)
    plan = plan_split(o3, len(r2) - 1000, [2 * MSS], [0, j])
    rc.rounds("s", plan)
    # last 1,000 bytes + DATA_FIN in one single-segment mapping (L = 1,001) on sf0
    m = Map(rc, "s", 0, len(rc.stream["s"]) - 1000, 1000, fin=True)
    rc.seg(m)
    rc.data_fin("c", 0)
    rc.close_subflows()
    return rc.write(out, "1 conn, 2 subflows, HTTP/1.1 keep-alive on port 80. The server sends ADD_ADDR first, so "
                         "the client's first data is a DSS (4-byte DATA_ACK on its first segment, len 22), not "
                         "MP_CAPABLE data. Exchange 1: POST /upload with a 20,000-byte body spread over both "
                         "subflows (mappings of 4,3,5,2 segments, interleaved in time), 200 response with a 40,000-"
                         "byte body over both (5,3,4 segments). Exchange 2: GET /second (sf1), 200 with a 6,000-"
                         "byte body and Connection: close over both; its last 1,000 bytes carry the DATA_FIN in the "
                         "same mapping (L = 1,001, DSS F flag). Client pure DATA_FIN, then FINs.")


def sc_http_interleave(out):
    rc = RConn("http-interleave", NET + ".1.1", NET + ".1.2", 51081, 0x1111aaaa2222bbbb, 0x3333cccc4444dddd, 181)
    req = get_req("/big/100000.bin", extra=b"Connection: keep-alive\r\n")
    rc.append("c", req)
    body = rbytes(1811, 100000)
    o = rc.http_msg("s", resp_head(len(body), b"Server: craft\r\n"), body)
    rc.http["c"] = []
    rc.handshake()
    rc.first_data(len(req))
    rc.mc.add_addr("s", 2, NET + ".2.2")
    rc.join(NET + ".2.1", 51082, NET + ".2.2", 80, c_addrid=2, s_addrid=2)
    rc.mc.add_addr("s", 3, NET + ".3.2")
    rc.join(NET + ".3.1", 51083, NET + ".3.2", 80, c_addrid=3, s_addrid=3)
    rnd = random.Random(1812)
    total = len(rc.stream["s"])
    plan, off, k = [], o, 0
    while off < total:
        n = min(rnd.randint(1, 5) * MSS - rnd.choice([0, 0, 0, rnd.randint(1, 700)]), total - off)
        plan.append((k % 3, off, n))
        off += n
        k += 1
    rc.autoack = 3
    rc.rounds("s", plan)
    clean_close(rc, server_fin_sf=2, client_fin_sf=0)
    return rc.write(out, "1 conn, 3 subflows (two joins via ADD_ADDR ids 2 and 3), port 80. A real HTTP/1.1 GET "
                         "(MP_CAPABLE len-22 data) and a 200 response with Content-Length: 100000 and a 100,000-"
                         "byte random body. Response mappings of 1-5 segments (some shortened by up to 700 bytes), "
                         "round robin over the 3 subflows, segments of each round interleaved in time. Zeek's HTTP "
                         "analyzer should see the whole body: see server.http_bodies (offset, length, md5).",
                    extra=dict(body_md5=hashlib.md5(body).hexdigest()))


SCENARIOS = dict([("interleave3", sc_interleave3), ("reinject-same", sc_reinject_same),
                  ("reinject-diff", sc_reinject_diff), ("hole", sc_hole), ("rst-reinject", sc_rst_reinject),
                  ("dsn32-wrap", sc_dsn32_wrap), ("checksum-bad", sc_checksum_bad), ("both-dirs", sc_both_dirs),
                  ("http-interleave", sc_http_interleave)])

if __name__ == "__main__":
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", default=os.path.dirname(os.path.abspath(__file__)))
    ap.add_argument("names", nargs="*")
    a = ap.parse_args()
    os.makedirs(a.out, exist_ok=True)
    for n in a.names or SCENARIOS:
        o = SCENARIOS[n](a.out)
        print("%-16s %5d pkts  client %6d B (gap %d dup %d)  server %6d B (gap %d dup %d incons %s csum %d)"
              % (n, o["packets"], o["client"]["bytes"], o["client"]["gap_bytes"], o["client"]["dup_bytes"],
                 o["server"]["bytes"], o["server"]["gap_bytes"], o["server"]["dup_bytes"],
                 o["server"]["inconsistent"], o["server"]["checksum_mismatches"]))
