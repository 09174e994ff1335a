#!/usr/bin/env bash
# Two Zeeks, each with the plugin built against it, must write the same logs: every
# bundled trace (and the thesis's captures when ../shared has them) is read by both with
# the package and the per-option log, and every log they write is compared row for row,
# uid columns left out (random; conn.log's tunnel_parents holds uids too) and rows sorted
# (write order is not part of a log).
# Zeek 8.1+ sees packets through a tap and 8.0 through a child analyzer of the TCP
# session adapter (cpp/Tap.h, cpp/PacketChild.h): this shows the two give users the same
# answers on every trace, beyond the btest baselines.
# Usage: tests/zeek-parity.sh ZEEK_CONFIG_A BUILD_DIR_A ZEEK_CONFIG_B BUILD_DIR_B
# Exit status 1 and the differing rows when any log differs.
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$PWD
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
bins=("$(dirname "$1")" "$(dirname "$3")")
builds=("$(cd "$2" && pwd)" "$(cd "$4" && pwd)")
prefixes=("$("$1" --prefix)" "$("$3" --prefix)")
traces=(tests/traces/*.pcap tests/traces/reassembly/*.pcap tests/traces/extra/*.pcap)
seed=../shared/traces/seed
if [ -d "$seed" ]; then
    traces+=("$seed"/*.pcap "$seed"/*.pcapng)
else
    echo "zeek-parity: $seed not found, the thesis's captures skipped"
fi

# The rows of log $1, as Zeek $2 (0 or 1) wrote it, without uid columns (tunnel_parents
# included), sorted (zeek-cut
# -m keeps the field names), and that Zeek's install prefix (in reporter.log's script
# locations) replaced by ZEEK_PREFIX.
normalize() {
    "${bins[$2]}/zeek-cut" -m <"$1" | awk -F'\t' -v prefix="${prefixes[$2]}" '
        NR == 1 { for ( i = 1; i <= NF; i++ ) if ( $i ~ /(^|[._])(uid|uids|fuid|fuids|conn_uids|tunnel_parents)$/ ) skip[i] = 1 }
        { row = ""; for ( i = 1; i <= NF; i++ ) if ( ! skip[i] ) row = row $i "\t"
          while ( ( at = index(row, prefix "/") ) > 0 ) row = substr(row, 1, at - 1) "ZEEK_PREFIX" substr(row, at + length(prefix))
          print row }' | sort
}

differ=0 logs=0
for t in "${traces[@]}"; do
    [ -f "$t" ] || continue
    name=$(basename "$t")
    for k in 0 1; do
        mkdir -p "$work/$k/$name"
        (cd "$work/$k/$name" && ZEEK_PLUGIN_PATH="${builds[$k]}" "${bins[$k]}/zeek" -C -r "$repo/$t" \
            ZeekMPTCP/MPTCP ZeekMPTCP/MPTCP/options-log >/dev/null 2>&1) || { echo "zeek-parity: $name: zeek ${bins[$k]} failed"; exit 1; }
    done
    for log in $( (cd "$work/0/$name" && ls *.log; cd "$work/1/$name" && ls *.log) | sort -u); do
        case $log in packet_filter.log | loaded_scripts.log) continue ;; esac
        a="$work/0/$name/$log" b="$work/1/$name/$log"
        logs=$((logs + 1))
        if [ ! -f "$a" ] || [ ! -f "$b" ]; then
            echo "zeek-parity: $name: $log written by one Zeek only"
            differ=$((differ + 1))
        elif ! diff <(normalize "$a" 0) <(normalize "$b" 1) >"$work/diff"; then
            echo "zeek-parity: $name: $log differs"
            head -20 "$work/diff"
            differ=$((differ + 1))
        fi
    done
done
echo "zeek-parity: $("${bins[0]}/zeek" --version) and $("${bins[1]}/zeek" --version): ${#traces[@]} traces, $logs logs compared, $differ differ"
[ "$differ" -eq 0 ]
