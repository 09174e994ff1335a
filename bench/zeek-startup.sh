#!/usr/bin/env bash
# Zeek's fixed start-up cost with the package, and how much start-up moves for reasons
# that have nothing to do with it. Instructions of Zeek's main thread (valgrind
# --tool=callgrind --separate-threads=yes: the main thread's count repeats to within a
# few thousand instructions, while the logging threads' depend on scheduling), reading a
# one-packet TCP trace (the first packet of PCAP), every run with zeek -D:
#   plain         zeek -r ONE                    (the plugin found, its scripts not loaded)
#   no-plugin     the same without the plugin    (ZEEK_PLUGIN_PATH unset)
#   empty-script  plain + an empty script file   (a control: loading nothing at all)
#   package       plain + ZeekMPTCP/MPTCP        (as users run it)
# Usage: bench/zeek-startup.sh PCAP
# Needs the plugin built (./configure && make -C build), valgrind and editcap.
set -euo pipefail
pcap=$1
here=$(cd "$(dirname "$0")/.." && pwd)
zc=$(command -v zeek-config || echo /opt/zeek/bin/zeek-config)
zeek="$(dirname "$zc")/zeek"
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
editcap -r "$pcap" "$work/one.pcap" 1 >/dev/null
: >"$work/empty.zeek"
count() { # name, plugin path ("" for none), then zeek arguments
    local name=$1 path=$2; shift 2
    mkdir -p "$work/$name"
    (cd "$work/$name" && ZEEK_PLUGIN_PATH="$path" valgrind --tool=callgrind --separate-threads=yes \
        --callgrind-out-file="$work/$name.cg" "$zeek" -D -r "$work/one.pcap" "$@" >/dev/null 2>"$work/$name.err") \
        || { cat "$work/$name.err" >&2; exit 1; }
    awk '/^summary:/ {print $2}' "$work/$name.cg-01"
}
plain=$(count plain "$here/build")
noplugin=$(count no-plugin "")
empty=$(count empty-script "$here/build" "$work/empty.zeek")
package=$(count package "$here/build" ZeekMPTCP/MPTCP)
echo "start-up of $zeek on one packet of $pcap; instructions of the main thread (callgrind)"
awk -v p="$plain" -v n="$noplugin" -v e="$empty" -v k="$package" 'BEGIN {
    printf "plain         %14.0f\n", p
    printf "no-plugin     %14.0f  %+12.0f\n", n, n - p
    printf "empty-script  %14.0f  %+12.0f\n", e, e - p
    printf "package       %14.0f  %+12.0f\n", k, k - p
}'
