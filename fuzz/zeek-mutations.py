#!/usr/bin/env python3
"""Zeek with the package over mutated copies of the bundled traces: the plugin's C++
shim, the FFI and Zeek's handling of what they raise, end to end, on inputs nobody
wrote. cargo-fuzz covers the Rust core alone (fuzz_targets/); this covers the whole path
a packet takes in Zeek.

Each round takes one trace of tests/traces (or the PCAPs given), mutates it and runs
Zeek on it with the package, the per-option log and every mptcp_* event handled
(bench/all-events.zeek), with -C so that packets with broken checksums are analyzed too.
A round fails when Zeek exits non-zero, is killed by a signal, runs past the time limit,
or prints any error (internal, fatal, or a script's run-time error, after which Zeek
goes on and exits 0); the mutated trace is then kept in OUT (default
fuzz/zeek-failures/) with Zeek's stderr.

Mutations, per packet with probability --rate (default 0.2), one of: bytes of the TCP
option area overwritten with random bytes or with MPTCP option kinds and lengths (most
often: that is where the package reads), random bit flips anywhere past the Ethernet
header, the captured length cut short, the packet duplicated, the packet swapped with
the next one. Reproducible: round R of seed S mutates the same way every time.

With --runner each round also runs the offline runner (-C) on the mutated trace and
fails when its mptcp.log, mptcp_conn.log, mptcp_options.log or MPTCP notices differ
from Zeek's, row for row over the runner's columns (uids and frame aside): the runner
is to read what Zeek reads, on inputs nobody wrote too. (Zeek then runs without
bench/all-events.zeek, as the same-logs btest runs it.)

Usage: fuzz/zeek-mutations.py [--rounds N] [--seed S] [--rate P] [--out DIR]
                              [--valgrind] [--build DIR] [--runner] [PCAP ...]
Needs the plugin built (./configure && make -C build; --build for another build
directory) and Zeek (zeek-config on PATH or /opt/zeek/bin). --valgrind runs each round under valgrind's memcheck (slow: use few
rounds), failing on any invalid read or write it reports.
"""
import argparse
from collections import Counter
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
sys.path.insert(0, os.path.join(REPO, "tests", "traces"))
import pcapfile  # noqa: E402  (the pcap reading and writing the trace scripts share)


def zeek_binary():
    zc = shutil.which("zeek-config") or "/opt/zeek/bin/zeek-config"
    return os.path.join(os.path.dirname(zc), "zeek")


def mutate(rng, linktype, packets, rate):
    out = []
    i = 0
    while i < len(packets):
        sec, frac, orig, data = packets[i]
        data = bytearray(data)
        if rng.random() < rate:
            choice = rng.random()
            span = pcapfile.tcp_options_span(data, linktype)
            if choice < 0.55 and span:
                # The option area: random bytes, or an MPTCP kind and a length.
                start, end = span
                at = rng.randrange(start, end)
                if rng.random() < 0.5:
                    data[at] = rng.randrange(256)
                else:
                    data[at] = 30
                    if at + 1 < end:
                        data[at + 1] = rng.choice([0, 1, 2, 3, 4, 8, 12, 16, 20, 24, 28, 30, 255, rng.randrange(256)])
                    if at + 2 < end:
                        data[at + 2] = (rng.randrange(16) << 4) | rng.randrange(16)
            elif choice < 0.75 and len(data) > 14:
                for _ in range(rng.randrange(1, 4)):
                    at = rng.randrange(14, len(data))
                    data[at] ^= 1 << rng.randrange(8)
            elif choice < 0.85 and len(data) > 1:
                data = data[: rng.randrange(1, len(data))]
            elif choice < 0.93:
                out.append([sec, frac, orig, bytearray(data)])
            elif i + 1 < len(packets):
                out.append(packets[i + 1])
                out.append([sec, frac, orig, data])
                i += 2
                continue
        out.append([sec, frac, orig, data])
        i += 1
    return out


# Zeek prints every error to stderr with the word "error" in it ("internal error",
# "fatal error", "expression error in ...", "error in ..."); a script's run-time error
# does not change its exit status. Warnings (e.g. of a pre-filtered trace) do not fail.
ERROR_LINE = re.compile(r"\berror\b|Assertion|AddressSanitizer")


def run_zeek(zeek, pcap, workdir, valgrind, timeout, build=os.path.join(REPO, "build"), all_events=True):
    env = dict(os.environ, ZEEK_PLUGIN_PATH=build)
    cmd = [zeek, "-C", "-r", pcap, "ZeekMPTCP/MPTCP", "ZeekMPTCP/MPTCP/options-log"]
    if all_events:
        cmd.append(os.path.join(REPO, "bench", "all-events.zeek"))
    if valgrind:
        cmd = ["valgrind", "--error-exitcode=99", "--errors-for-leak-kinds=none", "-q"] + cmd
    try:
        p = subprocess.run(cmd, cwd=workdir, env=env, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return "timed out after %d s" % timeout, ""
    return failure(p.returncode, p.stderr), p.stderr


RUNNER_LOGS = ("mptcp", "mptcp_conn", "mptcp_options", "notice")
NOT_COMPARED = {"uid", "uids", "fuid", "fuids", "conn_uids", "tunnel_parents", "frame"}


def log_rows(path, columns=None):
    """A Zeek ASCII log's rows as a multiset, over `columns` (default: its own) less the
    uid-like ones; and its columns. An absent log has no rows."""
    if not os.path.exists(path):
        return Counter(), []
    fields, rows = [], Counter()
    with open(path) as f:
        for line in f:
            line = line.rstrip("\n")
            if line.startswith("#fields\t"):
                fields = line.split("\t")[1:]
            elif line and not line.startswith("#"):
                row = {k: v for k, v in zip(fields, line.split("\t"))
                       if k not in NOT_COMPARED and (columns is None or k in columns)}
                if path.endswith("notice.log") and not row.get("note", "").startswith("MPTCP::"):
                    continue
                rows[tuple(sorted(row.items()))] += 1
    return rows, fields


def runner_differs(pcap, workdir, timeout):
    """Which logs of the offline runner differ from Zeek's in `workdir` (None: none)."""
    runner = os.path.join(REPO, "target", "release", "mptcp-pcap")
    out = os.path.join(workdir, "runner")
    try:
        p = subprocess.run([runner, "-C", "--options-log", "--logdir", out, pcap], capture_output=True,
                           text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return "runner timed out after %d s" % timeout
    if p.returncode != 0:
        return "runner exit %d: %s" % (p.returncode, p.stderr.strip()[:200])
    differ = []
    for log in RUNNER_LOGS:
        theirs, columns = log_rows(os.path.join(out, log + ".log"))
        ours, _ = log_rows(os.path.join(workdir, log + ".log"), set(columns))
        if ours != theirs:
            differ.append("%s (zeek %d rows, runner %d)" % (log, sum(ours.values()), sum(theirs.values())))
    return "runner differs: " + ", ".join(differ) if differ else None


def failure(returncode, stderr):
    """Why a run failed (None when it did not): its exit status, or its first error line."""
    errors = [line for line in stderr.splitlines() if ERROR_LINE.search(line)]
    if returncode != 0 or errors:
        return "exit %d%s" % (returncode, ": " + errors[0] if errors else "")
    return None


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("pcaps", nargs="*")
    ap.add_argument("--rounds", type=int, default=200)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--rate", type=float, default=0.2)
    ap.add_argument("--out", default=os.path.join(HERE, "zeek-failures"))
    ap.add_argument("--valgrind", action="store_true")
    ap.add_argument("--build", default=os.path.join(REPO, "build"), help="the plugin's build directory (default build/)")
    ap.add_argument("--timeout", type=int, default=0, help="seconds per round (default 60, 600 with --valgrind)")
    ap.add_argument("--runner", action="store_true", help="also compare the offline runner's logs with Zeek's")
    args = ap.parse_args()
    # Zeek runs in a directory of its own: a relative build directory would not be found.
    args.build = os.path.abspath(args.build)
    timeout = args.timeout or (600 if args.valgrind else 60)
    pcaps = args.pcaps or sorted(
        os.path.join(d, f)
        for d in (os.path.join(REPO, "tests", "traces"), os.path.join(REPO, "tests", "traces", "reassembly"))
        for f in os.listdir(d)
        if f.endswith(".pcap")
    )
    traces = []
    for p in pcaps:
        parsed = pcapfile.read(p)
        if parsed and parsed.records:
            traces.append((p, parsed))
        else:
            print("skipped (not a classic pcap, or empty): %s" % p)
    if not traces:
        sys.exit("no trace to mutate")
    zeek = zeek_binary()
    failures = 0
    packets_run = 0
    with tempfile.TemporaryDirectory() as tmp:
        for r in range(args.rounds):
            rng = random.Random("%d/%d" % (args.seed, r))
            path, trace = traces[rng.randrange(len(traces))]
            mutated = mutate(rng, trace.linktype, trace.records, args.rate)
            packets_run += len(mutated)
            pcap = os.path.join(tmp, "round.pcap")
            pcapfile.write(pcap, trace, mutated)
            workdir = os.path.join(tmp, "run")
            shutil.rmtree(workdir, ignore_errors=True)
            os.makedirs(workdir)
            why, stderr = run_zeek(zeek, pcap, workdir, args.valgrind, timeout, args.build, not args.runner)
            if not why and args.runner:
                why = runner_differs(pcap, workdir, timeout)
            if why:
                failures += 1
                os.makedirs(args.out, exist_ok=True)
                name = "seed%d-round%d-%s" % (args.seed, r, os.path.basename(path))
                shutil.copy(pcap, os.path.join(args.out, name))
                with open(os.path.join(args.out, name + ".stderr"), "w") as f:
                    f.write(stderr)
                print("FAIL round %d (%s): %s; kept as %s" % (r, os.path.basename(path), why, name))
    print("%d rounds, %d packets, %d traces, %d failures (%s, seed %d, rate %.2f%s%s)" % (
        args.rounds, packets_run, len(traces), failures, zeek, args.seed, args.rate,
        ", valgrind" if args.valgrind else "", ", runner compared" if args.runner else ""))
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
