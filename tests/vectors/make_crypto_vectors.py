#!/usr/bin/env python3
"""Independent MPTCP crypto vectors (hashlib/hmac only), for the Rust tests.

Writes crypto_vectors.tsv: token/IDSN per key, MP_JOIN HMACs (SYN/ACK truncated and
third-ACK full) and v1 ADD_ADDR HMACs, for random keys, nonces and addresses, v0 and v1.
Regenerate: python3 tests/vectors/make_crypto_vectors.py > tests/vectors/crypto_vectors.tsv
"""
import hashlib
import hmac
import ipaddress
import random

rng = random.Random(6824)


def h(version):
    return hashlib.sha1 if version == 0 else hashlib.sha256


def token_idsn(version, key):
    d = h(version)(key.to_bytes(8, "big")).digest()
    return int.from_bytes(d[:4], "big"), int.from_bytes(d[-8:], "big")


def join(version, own_key, peer_key, own_nonce, peer_nonce):
    k = own_key.to_bytes(8, "big") + peer_key.to_bytes(8, "big")
    m = own_nonce.to_bytes(4, "big") + peer_nonce.to_bytes(4, "big")
    return hmac.new(k, m, h(version)).digest()[:20]


def add_addr(sender_key, receiver_key, addr_id, addr, port):
    k = sender_key.to_bytes(8, "big") + receiver_key.to_bytes(8, "big")
    m = bytes([addr_id]) + ipaddress.ip_address(addr).packed + (port or 0).to_bytes(2, "big")
    return int.from_bytes(hmac.new(k, m, hashlib.sha256).digest()[-8:], "big")


print("kind\tversion\tkey_a\tkey_b\tnonce_a\tnonce_b\taddr_id\taddr\tport\texpected")
for i in range(40):
    v = i % 2
    ka, kb = rng.getrandbits(64), rng.getrandbits(64)
    ra, rb = rng.getrandbits(32), rng.getrandbits(32)
    t, idsn = token_idsn(v, ka)
    print(f"token\t{v}\t{ka}\t-\t-\t-\t-\t-\t-\t{t}")
    print(f"idsn\t{v}\t{ka}\t-\t-\t-\t-\t-\t-\t{idsn}")
    # SYN/ACK: responder B's HMAC, leftmost 64 bits; third ACK: initiator A's, 160 bits.
    synack = int.from_bytes(join(v, kb, ka, rb, ra)[:8], "big")
    print(f"join_synack\t{v}\t{ka}\t{kb}\t{ra}\t{rb}\t-\t-\t-\t{synack}")
    print(f"join_ack\t{v}\t{ka}\t{kb}\t{ra}\t{rb}\t-\t-\t-\t{join(v, ka, kb, ra, rb).hex()}")
    aid = rng.randrange(256)
    if i % 3 == 0:
        addr = str(ipaddress.IPv6Address(rng.getrandbits(128)))
    else:
        addr = str(ipaddress.IPv4Address(rng.getrandbits(32)))
    port = rng.choice([None, rng.randrange(1, 65536)])
    print(f"add_addr\t1\t{ka}\t{kb}\t-\t-\t{aid}\t{addr}\t{port or '-'}\t{add_addr(ka, kb, aid, addr, port)}")
