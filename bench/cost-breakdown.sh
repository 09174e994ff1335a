#!/usr/bin/env bash
# Where the package's instructions go in Zeek's packet loop: two callgrind profiles of
# the same slice (Zeek without the plugin; Zeek with the package as users run it, or
# with the Zeek arguments given after PACKETS), their per-function difference grouped by
# who spends it (Zeek's tap loop, the C++ shim, the core's per-packet entry, its ACK and
# general paths, glibc's allocator, the rest of Zeek), and how many packets took each of
# the core's paths. The README's per-packet breakdown comes from this script.
# Usage: bench/cost-breakdown.sh PCAP [PACKETS [ZEEK ARGS...]]   (default 60000 packets)
# Needs the plugin built (./configure && make -C build), valgrind, editcap, python3.
set -euo pipefail
pcap=$1; n=${2:-60000}; shift; [ $# -gt 0 ] && shift
args=("$@"); [ ${#args[@]} -eq 0 ] && args=(ZeekMPTCP/MPTCP)
here=$(cd "$(dirname "$0")/.." && pwd)
zc=$(command -v zeek-config || echo /opt/zeek/bin/zeek-config)
zeek="$(dirname "$zc")/zeek"
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
editcap -r "$pcap" "$work/slice.pcap" "1-$n" >/dev/null
profile() { # name, plugin path, zeek arguments
    local name=$1 path=$2; shift 2
    mkdir -p "$work/$name"
    (cd "$work/$name" && ZEEK_PLUGIN_PATH="$path" valgrind --tool=callgrind --collect-atstart=no \
        --toggle-collect='zeek::run_state::detail::run_loop*' --callgrind-out-file="$work/$name.cg" \
        "$zeek" -D -r "$work/slice.pcap" "$@" >/dev/null 2>"$work/$name.err") || { cat "$work/$name.err"; exit 1; }
}
profile plain ""
profile package "$here/build" "${args[@]}"
echo "trace: $pcap, first $n packets; package run: zeek ${args[*]}"
python3 "$here/bench/cost-breakdown.py" "$work/plain.cg" "$work/package.cg" "$n"
