#!/usr/bin/env python3
"""Where the package's instructions go: the difference of two callgrind profiles of Zeek's
packet loop (without and with the package), per function, grouped by who spends them.

Usage: cost-breakdown.py PLAIN.cg PACKAGE.cg PACKETS
(bench/cost-breakdown.sh makes the two profiles.)

Self costs only (each instruction counted once, in the function that executes it; Rust
functions inlined into another count as that one). Groups:
  zeek tap loop   Zeek's SessionAdapter::TapPacket, which calls the taps
  plugin C++      the shim (zeek::plugin::ZeekMPTCP_MPTCP::*)
  core entry      the per-packet FFI call with the repeat shortcut inlined
                  (mptcp_tracker_segment, mptcp_tracker_segment_report)
  core ACKs       the next-ACK shortcut and the data ACKs it applies (data-level stream)
  core general    everything else in the Rust library (general path, new mappings,
                  handshakes, deliveries)
  allocator       glibc malloc/free internals (they follow the heap's layout)
  zeek other      the rest of Zeek, libc and the C++ runtime
Then how many calls each per-packet path took (from the call counts in the profile).
"""
import re
import sys
from collections import defaultdict

ACK_FUNCS = ("shortcut_ack", "apply_data_ack", "DataStream::acked", "DataStream::drain", "DataStream::deliver",
             "dss_ack")
ALLOC_FUNCS = ("malloc", "_int_malloc", "_int_free", "free", "malloc_consolidate", "cfree", "operator new",
               "operator delete", "realloc", "_int_realloc", "calloc", "unlink_chunk")


def load(path):
    """Self cost per (object, function), and call counts per callee."""
    # Callgrind compresses names with one table per kind: objects, files, functions.
    tables = {"ob": {}, "fl": {}, "fn": {}}
    self_cost = defaultdict(int)
    calls = defaultdict(int)
    ob = fn = None
    skip_next = False
    with open(path) as f:
        for line in f:
            if skip_next:  # the inclusive cost of the call above: not this function's own
                skip_next = False
                continue
            m = re.match(r"(c?ob|c?fn|c?fi|c?fl|fe)=\((\d+)\)(?: (.*))?$", line.rstrip("\n"))
            if m:
                kind, idx, name = m.groups()
                table = tables["ob" if kind.endswith("ob") else "fn" if kind.endswith("fn") else "fl"]
                if name:
                    table[idx] = name
                if kind == "ob":
                    ob = table[idx]
                elif kind == "fn":
                    fn = (ob, table[idx])
                elif kind == "cfn":
                    callee = table[idx]
                continue
            if line.startswith("calls="):
                calls[callee] += int(line[6:].split()[0])
                skip_next = True
                continue
            if fn and line[:1] in "0123456789+-*":
                parts = line.split()
                if len(parts) >= 2:
                    self_cost[fn] += int(parts[-1])
    return self_cost, calls


def group(obj, name):
    base = obj.rsplit("/", 1)[-1]
    if "SessionAdapter::TapPacket" in name and "ZeekMPTCP" not in name:
        return "zeek tap loop"
    if "ZeekMPTCP" in base:
        if name.startswith("zeek::plugin::ZeekMPTCP_MPTCP") or name.startswith("non-virtual thunk"):
            return "plugin C++"
        if name in ("mptcp_tracker_segment", "mptcp_tracker_segment_report"):
            return "core entry"
        if any(k in name for k in ACK_FUNCS):
            return "core ACKs"
        return "core general"
    if base.startswith("libc") and any(name == k or name.startswith(k + "(") for k in ALLOC_FUNCS):
        return "allocator"
    return "zeek other"


def main():
    plain, plain_calls = load(sys.argv[1])
    pkg, pkg_calls = load(sys.argv[2])
    packets = int(sys.argv[3])
    groups = defaultdict(int)
    for key in set(plain) | set(pkg):
        groups[group(*key)] += pkg.get(key, 0) - plain.get(key, 0)
    total = sum(groups.values())
    print(f"added instructions per packet, by who spends them ({packets} packets):")
    for g in ("zeek tap loop", "plugin C++", "core entry", "core ACKs", "core general", "allocator", "zeek other"):
        print(f"  {g:14s} {groups[g] / packets:8.1f}")
    print(f"  {'total':14s} {total / packets:8.1f}")

    def count(fragment):
        return sum(n for callee, n in pkg_calls.items() if fragment in callee)

    entry = count("mptcp_tracker_segment")
    past_repeat = count("segment_quiet_slow") + count("segment_report_slow")
    general = count("mptcp_ffi::segment_slow")
    print("per-packet paths (calls):")
    print(f"  packets handed to the core                     {entry}")
    print(f"  taken by the repeat shortcut                   {entry - past_repeat}")
    print(f"  taken by the others (next ACK, data placement) {past_repeat - general}")
    print(f"  general path                                   {general}")

if __name__ == "__main__":
    main()
