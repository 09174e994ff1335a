#!/usr/bin/env bash
# What the package costs a Zeek cluster worker, in instructions of Zeek's packet loop
# (valgrind --tool=callgrind, as bench/zeek-overhead.sh counts them), on the same slice
# of a trace:
#   worker          a worker node (CLUSTER_NODE=worker-1, Broker backend) without the package
#   worker+package  the same worker with ZeekMPTCP/MPTCP loaded (its cluster code included)
#   single+package  the package in a single Zeek process, for comparison (no cluster)
# The worker is alone in its cluster layout: with a manager or proxy to connect to but not
# running, its connection retries run on wall-clock time (slowed down by valgrind) and
# its count moved by 2 % between runs; alone it repeats to within a few thousand
# instructions. Its messages to proxies wait in the backlog, as with no proxy up.
# Usage: bench/cluster-worker-cost.sh PCAP [PACKETS]   (default: the first 60000 packets)
# Needs the plugin built (./configure && make -C build), valgrind, editcap.
set -euo pipefail
pcap=$1; n=${2:-60000}
here=$(cd "$(dirname "$0")/.." && pwd)
zc=$(command -v zeek-config || echo /opt/zeek/bin/zeek-config)
zeek="$(dirname "$zc")/zeek"
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
editcap -r "$pcap" "$work/slice.pcap" "1-$n" >/dev/null
layout="$work/cluster-layout.zeek"
cat >"$layout" <<'LAYOUT'
@load frameworks/cluster/backend/broker
redef Cluster::nodes = { ["worker-1"] = [$node_type=Cluster::WORKER, $ip=127.0.0.1, $p=47797/tcp] };
LAYOUT
# A worker keeps running after its trace (its cluster backend is still up): end it there.
echo 'event Pcap::file_done(path: string) { terminate(); }' >"$work/end.zeek"
count() { # name, node ("" for none), then zeek arguments
    local name=$1 node=$2; shift 2
    mkdir -p "$work/$name"
    cp "$layout" "$work/$name/"   # Zeek loads cluster-layout from the working directory
    (cd "$work/$name" && CLUSTER_NODE=$node ZEEK_PLUGIN_PATH="$here/build" valgrind --tool=callgrind --collect-atstart=no \
        --toggle-collect='zeek::run_state::detail::run_loop*' --callgrind-out-file="$work/$name.cg" \
        "$zeek" -D -r "$work/slice.pcap" "$@" >/dev/null 2>"$work/$name.err") || { cat "$work/$name.err" >&2; exit 1; }
    awk '/^summary:/ {print $2}' "$work/$name.cg"
}
worker=$(count worker worker-1 "$work/end.zeek")
package=$(count worker-package worker-1 "$work/end.zeek" ZeekMPTCP/MPTCP)
plain=$(count single "")
single=$(count single-package "" ZeekMPTCP/MPTCP)
echo "trace: $pcap, first $n packets; instructions in Zeek's packet loop (callgrind)"
awk -v w="$worker" -v k="$package" -v p="$plain" -v s="$single" -v n="$n" 'BEGIN {
    printf "worker          %14.0f  %8.0f instr/packet\n", w, w / n
    printf "worker+package  %14.0f  %8.0f instr/packet  %+.2f %%\n", k, k / n, (k - w) * 100 / w
    printf "single          %14.0f  %8.0f instr/packet\n", p, p / n
    printf "single+package  %14.0f  %8.0f instr/packet  %+.2f %%\n", s, s / n, (s - p) * 100 / p
}'
# glibc's allocator, whose cost follows the heap's layout more than any one allocation:
# shown so that a difference there is not read as the package's own.
heap() { callgrind_annotate --threshold=100 --auto=no "$work/$1.cg" 2>/dev/null |
    awk '/malloc_consolidate|unlink_chunk|_int_malloc|_int_free|sysmalloc|systrim/ {gsub(",", "", $1); s += $1} END {printf "%.0f", s / '"$n"'}'; }
hw=$(heap worker); hk=$(heap worker-package)
echo "glibc malloc internals per packet: worker $hw, worker+package $hk"
awk -v w="$worker" -v k="$package" -v hw="$hw" -v hk="$hk" -v n="$n" 'BEGIN {
    a = w / n - hw; b = k / n - hk
    printf "without them: worker %.0f, worker+package %.0f instr/packet  %+.2f %%\n", a, b, (b - a) * 100 / a
}'
