#!/usr/bin/env bash
# What the package costs a Zeek cluster worker, in instructions of Zeek's packet loop
# (valgrind --tool=callgrind, as bench/zeek-overhead.sh counts them), on the same slice
# of a trace:
#   worker          a worker node (CLUSTER_NODE=worker-1 of tests/Scripts/cluster-layout.zeek)
#                   without the package
#   worker+package  the same worker with ZeekMPTCP/MPTCP loaded (its cluster code included)
#   single+package  the package in a single Zeek process, for comparison (no cluster)
# No manager or proxy is up: the worker's peering attempts and its messages (kept in
# the backlog) are part of what is counted, as they would be of a real worker's work.
# Usage: bench/cluster-worker-cost.sh PCAP [PACKETS]   (default: the first 60000 packets)
# Needs the plugin built (./configure && make -C build), valgrind, editcap.
set -euo pipefail
pcap=$1; n=${2:-60000}
here=$(cd "$(dirname "$0")/.." && pwd)
zc=$(command -v zeek-config || echo /opt/zeek/bin/zeek-config)
zeek="$(dirname "$zc")/zeek"
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
editcap -r "$pcap" "$work/slice.pcap" "1-$n" >/dev/null
layout="$here/tests/Scripts/cluster-layout.zeek"
# A worker keeps running after its trace (its cluster backend is still up): end it there.
echo 'event Pcap::file_done(path: string) { terminate(); }' >"$work/end.zeek"
count() { # name, node ("" for none), then zeek arguments
    local name=$1 node=$2; shift 2
    mkdir -p "$work/$name"
    cp "$layout" "$work/$name/"   # Zeek loads cluster-layout from the working directory
    (cd "$work/$name" && CLUSTER_NODE=$node MPTCP_MANAGER_PORT=47790/tcp MPTCP_WORKER1_PORT=47791/tcp \
        ZEEK_PLUGIN_PATH="$here/build" valgrind --tool=callgrind --collect-atstart=no \
        --toggle-collect='zeek::run_state::detail::run_loop*' --callgrind-out-file="$work/$name.cg" \
        "$zeek" -D -r "$work/slice.pcap" "$@" >/dev/null 2>"$work/$name.err") || { cat "$work/$name.err"; exit 1; }
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
