#!/usr/bin/env bash
# Data-level reassembly's cost (issue 6's target: Zeek with the package and reassembly
# on, reading the MPTCP trace, at most 1.10x the CPU of plain Zeek reading the TCP
# trace, both with frameworks/files/hash-all-files). Traces from
# ../shared/bench/make-bench-traces.sh with MODE=http (same HTTP transfers, full payload,
# over MPTCP and over plain TCP).
# Usage: bench/reassembly-cpu.sh BENCH_DIR [ROUNDS]   (default 7 paired rounds)
# Prints per configuration the median user+system CPU seconds and the largest peak RSS,
# and checks that each configuration's files.log hashed what it should.
set -euo pipefail
dir=$1; rounds=${2:-7}
here=$(cd "$(dirname "$0")/.." && pwd)
zc=$(command -v zeek-config || echo /opt/zeek/bin/zeek-config)
zeek="$(dirname "$zc")/zeek"
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
export ZEEK_PLUGIN_PATH="$here/build"
run() { # name pcap zeek-args...
    local name=$1 pcap=$2; shift 2
    mkdir -p "$work/$name"
    (cd "$work/$name" && /usr/bin/time -f "%U %S %M" -o "$work/$name.t" "$zeek" -C -r "$pcap" \
        frameworks/files/hash-all-files "$@" >/dev/null 2>&1)
    awk -v n="$name" '{printf "%s %.3f %d\n", n, $1 + $2, $3}' "$work/$name.t" >> "$work/all"
}
for _ in $(seq "$rounds"); do
    run plain-tcp "$dir/bench-http-tcp.pcap"
    run package-mptcp "$dir/bench-http-mptcp.pcap" ZeekMPTCP/MPTCP
    run plain-mptcp "$dir/bench-http-mptcp.pcap"
    run package-tcp "$dir/bench-http-tcp.pcap" ZeekMPTCP/MPTCP
done
echo "CPU seconds (median of $rounds paired rounds) and peak RSS:"
for n in plain-tcp package-mptcp plain-mptcp package-tcp; do
    grep "^$n " "$work/all" | sort -k2 -n | awk -v n="$n" '{c[NR]=$2; if ($3 > m) m=$3} END {
        printf "  %-14s %6.3f s  %7.1f MB\n", n, c[int((NR+1)/2)], m/1024 }'
done | tee "$work/summary"
awk '$1=="plain-tcp" {p=$2} $1=="package-mptcp" {k=$2} END {printf "ratio package-mptcp / plain-tcp: %.3f (target <= 1.10)\n", k/p}' "$work/summary"
echo "files.log (seen_bytes missing_bytes, per file):"
for n in plain-tcp package-mptcp plain-mptcp; do
    echo "  $n: $(awk -F'\t' '/^#fields/ {for (i=2;i<=NF;i++) f[$i]=i-1} !/^#/ {print $f["seen_bytes"], $f["missing_bytes"]}' "$work/$n/files.log" | sort | uniq -c | tr -s ' \n' ' ')"
done
