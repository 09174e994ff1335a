#!/usr/bin/env python3
"""Independent check of the reassembly traces: parse each pcap from scratch (own Ethernet/IPv4/
TCP/MPTCP option parser, own SHA-256 IDSN/token and Internet checksum code; nothing from the
generator), rebuild each direction's data-level stream through the DSS mappings, and compare
with NAME.expect.json and NAME.{client,server}.bin.

Checks: every data segment lies inside the mapping it carries; join tokens match the server key;
first DSN = IDSN+1; stream bytes, md5 (holes as zeros), gap/dup bytes, inconsistent copies,
DSS checksum mismatches, DATA_FIN position; subflow ACKs never pass what the peer was seen to
send; final DATA_ACKs acknowledge the DATA_FIN.

Usage: verify_reassembly.py NAME.pcap ...     (exit status 1 on any mismatch)
"""
import hashlib, json, os, struct, sys


def sha_idsn_token(key):
    d = hashlib.sha256(struct.pack("!Q", key)).digest()
    return struct.unpack("!Q", d[-8:])[0], struct.unpack("!I", d[:4])[0]


def inet_csum(b):
    if len(b) % 2:
        b += b"\0"
    s = 0
    for i in range(0, len(b), 2):
        s += (b[i] << 8) | b[i + 1]
    while s >> 16:
        s = (s & 0xffff) + (s >> 16)
    return ~s & 0xffff


def packets(path):
    with open(path, "rb") as f:
        data = f.read()
    magic, = struct.unpack("<I", data[:4])
    assert magic == 0xa1b2c3d4
    p = 24
    while p < len(data):
        ts, tu, incl, orig = struct.unpack("<IIII", data[p:p + 16])
        fr = data[p + 16:p + 16 + incl]
        p += 16 + incl
        if struct.unpack("!H", fr[12:14])[0] != 0x0800:
            continue
        ip = fr[14:]
        ihl = (ip[0] & 15) * 4
        tot = struct.unpack("!H", ip[2:4])[0]
        assert ip[9] == 6
        src, dst = ".".join(map(str, ip[12:16])), ".".join(map(str, ip[16:20]))
        tcp = ip[ihl:tot]
        sport, dport, seq, ack, off, fl = struct.unpack("!HHIIBB", tcp[:14])
        doff = (off >> 4) * 4
        yield dict(src=(src, sport), dst=(dst, dport), seq=seq, ack=ack, flags=fl, opts=tcp[20:doff],
                   payload=tcp[doff:])


def mptcp_opts(opts):
    i = 0
    while i < len(opts):
        k = opts[i]
        if k == 0:
            break
        if k == 1:
            i += 1
            continue
        ln = opts[i + 1]
        assert ln >= 2 and i + ln <= len(opts), "bad option length"
        if k == 30:
            yield opts[i:i + ln]
        i += ln


def expand32(v32, ref):
    """64-bit value with low bits v32 closest to ref"""
    cand = (ref & ~0xffffffff) | v32
    best, bd = None, None
    for d in (-(1 << 32), 0, 1 << 32):
        c = (cand + d) & (2 ** 64 - 1)
        dist = min((c - ref) & (2 ** 64 - 1), (ref - c) & (2 ** 64 - 1))
        if bd is None or dist < bd:
            best, bd = c, dist
    return best


def verify(pcap):
    errs = []
    base_name = pcap[:-5]
    ora = json.load(open(base_name + ".expect.json"))
    init = {}        # subflow key -> initiator endpoint
    isn = {}         # endpoint pair (src,dst) -> isn of src
    keys = None
    csum_on = False
    idsn = {}
    last_dsn = {}
    copies = {"c": [], "s": []}     # (offset, bytes)
    fin_off = {"c": None, "s": None}
    maps = {}        # (sfkey, side, dsn, ssn, dll, csum, fin) -> {ssn: bytes}
    max_sent = {}    # (src,dst) -> highest seq end seen
    data_acks = {"c": [], "s": []}
    joins = 0
    npk = 0
    acked_unseen = []   # subflow ACKs past anything captured from the peer (only where bytes are missing)
    for pk in packets(pcap):
        npk += 1
        s, d = pk["src"], pk["dst"]
        sk = frozenset([s, d])
        syn, ackf, finf, rst = pk["flags"] & 2, pk["flags"] & 16, pk["flags"] & 1, pk["flags"] & 4
        if syn and not ackf:
            init[sk] = s
        if syn:
            isn[(s, d)] = pk["seq"]
        side = "c" if init.get(sk) == s else "s"
        end = (pk["seq"] + len(pk["payload"]) + (1 if syn else 0) + (1 if finf else 0)) & 0xffffffff
        if (s, d) in isn:
            rel_end = (end - isn[(s, d)]) & 0xffffffff
            max_sent[(s, d)] = max(max_sent.get((s, d), 0), rel_end)
        if ackf and (d, s) in isn and not syn:
            rel_ack = (pk["ack"] - isn[(d, s)]) & 0xffffffff
            if rel_ack > max_sent.get((d, s), 0):
                acked_unseen.append("pkt %d: subflow ACK %d beyond anything seen from peer (%d)"
                            % (npk, rel_ack, max_sent.get((d, s), 0)))
        mapping = None
        for o in mptcp_opts(pk["opts"]):
            st, ln = o[2] >> 4, len(o)
            if st == 0:
                if o[3] & 0x80:
                    csum_on = True
                if ln >= 20 and ackf and not syn:
                    ka, kb = struct.unpack("!QQ", o[4:20])
                    if keys is None:
                        keys = {"c": ka, "s": kb}
                        for x in "cs":
                            idsn[x] = sha_idsn_token(keys[x])[0]
                            last_dsn[x] = (idsn[x] + 1) & (2 ** 64 - 1)
                    if ln in (22, 24) and pk["payload"]:
                        dll = struct.unpack("!H", o[20:22])[0]
                        cs = struct.unpack("!H", o[22:24])[0] if ln == 24 else None
                        mapping = ((idsn["c"] + 1) & (2 ** 64 - 1), 1, dll, cs, False)
            elif st == 1 and syn and not ackf:
                tok = struct.unpack("!I", o[4:8])[0]
                if tok != sha_idsn_token(keys["s"])[1]:
                    errs.append("pkt %d: MP_JOIN token %08x does not match server key" % (npk, tok))
                joins += 1
            elif st == 2:
                fl = o[3]
                p = 4
                if fl & 1:
                    if fl & 2:
                        da = struct.unpack("!Q", o[p:p + 8])[0]
                        p += 8
                    else:
                        da = expand32(struct.unpack("!I", o[p:p + 4])[0], last_dsn["c" if side == "s" else "s"])
                        p += 4
                    data_acks[side].append(da)
                if fl & 4:
                    if fl & 8:
                        dsn = struct.unpack("!Q", o[p:p + 8])[0]
                        p += 8
                    else:
                        dsn = expand32(struct.unpack("!I", o[p:p + 4])[0], last_dsn[side])
                        p += 4
                    ssn, dll = struct.unpack("!IH", o[p:p + 6])
                    p += 6
                    cs = None
                    if p + 2 <= ln:
                        cs = struct.unpack("!H", o[p:p + 2])[0]
                        p += 2
                    if p != ln:
                        errs.append("pkt %d: DSS length %d, parsed %d" % (npk, ln, p))
                    if csum_on and cs is None:
                        errs.append("pkt %d: checksums on but DSS without checksum" % npk)
                    mapping = (dsn, ssn, dll, cs, bool(fl & 0x10))
                    last_dsn[side] = dsn
        if mapping is None:
            if pk["payload"]:
                errs.append("pkt %d: payload without mapping" % npk)
            continue
        dsn, mssn, dll, cs, fin = mapping
        if mssn == 0 and fin and dll == 1 and not pk["payload"]:
            off = (dsn - idsn[side] - 1) & (2 ** 64 - 1)
            fin_off[side] = off
            maps.setdefault((sk, side, dsn, mssn, dll, cs, fin), {})
            continue
        if fin:
            fin_off[side] = (dsn + dll - 1 - idsn[side] - 1) & (2 ** 64 - 1)
        pl = pk["payload"]
        if not pl:
            continue
        sssn = (pk["seq"] - isn[(s, d)]) & 0xffffffff
        rel = (sssn - mssn) & 0xffffffff
        if rel + len(pl) > dll - (1 if fin else 0):
            errs.append("pkt %d: payload [%d,+%d) outside its mapping (ssn %d len %d)" % (npk, sssn, len(pl), mssn, dll))
            continue
        off = (dsn + rel - idsn[side] - 1) & (2 ** 64 - 1)
        copies[side].append((off, pl))
        maps.setdefault((sk, side, dsn, mssn, dll, cs, fin), {})[sssn] = pl
    # checksums
    bad = {"c": 0, "s": 0}
    if csum_on:
        for (sk, side, dsn, mssn, dll, cs, fin), parts in maps.items():
            n = dll - (1 if fin else 0)
            buf, have = bytearray(n), 0
            for sssn, pl in parts.items():
                r = (sssn - mssn) & 0xffffffff
                buf[r:r + len(pl)] = pl
                have += len(pl)
            if have < n:
                errs.append("mapping dsn %x not fully captured; checksum unverifiable" % dsn)
                continue
            if inet_csum(struct.pack("!QIHH", dsn, mssn, dll, 0) + bytes(buf)) != cs:
                bad[side] += 1
    res = {"packets": npk}
    for side, name in (("c", "client"), ("s", "server")):
        L = fin_off[side] if fin_off[side] is not None else max([o + len(b) for o, b in copies[side]] or [0])
        buf, have = bytearray(L), bytearray(L)
        dup, incons = 0, []
        for off, pl in copies[side]:
            differs = False
            for i, b in enumerate(pl):
                j = off + i
                if have[j]:
                    dup += 1
                    differs |= buf[j] != b
                else:
                    have[j], buf[j] = 1, b
            if differs:
                incons.append([off, len(pl)])
        got = dict(bytes=L, md5=hashlib.md5(bytes(buf)).hexdigest(), gap_bytes=L - sum(have), dup_bytes=dup,
                   inconsistent=incons, checksum_mismatches=bad[side], data_fin=fin_off[side] is not None)
        exp = ora[name]
        for k, v in got.items():
            if exp[k] != v:
                errs.append("%s %s: pcap gives %r, oracle says %r" % (name, k, v, exp[k]))
        with open("%s.%s.bin" % (base_name, name), "rb") as f:
            if f.read() != bytes(buf):
                errs.append("%s: stream differs from %s.%s.bin" % (name, base_name, name))
        want_ack = (idsn[side] + 1 + L + (1 if fin_off[side] is not None else 0)) & (2 ** 64 - 1)
        peer = "s" if side == "c" else "c"
        if data_acks[peer][-1] != want_ack:
            errs.append("%s: last DATA_ACK from the peer %x, expected %x" % (name, data_acks[peer][-1], want_ack))
        if any(a > want_ack for a in data_acks[peer]):
            errs.append("%s: a DATA_ACK beyond the DATA_FIN" % name)
        res[name] = got
    if acked_unseen and not res["client"]["gap_bytes"] + res["server"]["gap_bytes"]:
        errs += acked_unseen
    if ora["packets"] != npk:
        errs.append("packet count %d, oracle %d" % (npk, ora["packets"]))
    print("%-22s %s  acks-of-uncaptured %d  joins %d  client %d B  server %d B gap %d dup %d incons %s csum-bad %d" % (
        os.path.basename(pcap), "OK  " if not errs else "FAIL", len(acked_unseen), joins, res["client"]["bytes"],
        res["server"]["bytes"], res["server"]["gap_bytes"], res["server"]["dup_bytes"],
        res["server"]["inconsistent"], res["server"]["checksum_mismatches"]))
    for e in errs:
        print("   ! " + e)
    return not errs


if __name__ == "__main__":
    ok = all([verify(p) for p in sys.argv[1:]])
    sys.exit(0 if ok else 1)
