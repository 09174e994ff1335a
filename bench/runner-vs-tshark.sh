#!/usr/bin/env bash
# CPU time of the offline runner (mptcp-pcap: decode, link, check, write logs) against
# tshark 4.0 with its MPTCP analysis (decode, link subflows, analyse mappings) on the
# same pcap. Medians of N runs, user+sys seconds.
# Usage: bench/runner-vs-tshark.sh PCAP [N]    (make PCAP with ../shared/bench/make-bench-traces.sh)
set -euo pipefail
pcap=$1; n=${2:-5}
here=$(cd "$(dirname "$0")/.." && pwd)
cargo build --release -q -p mptcp-pcap --manifest-path "$here/Cargo.toml"
runner="$here/target/release/mptcp-pcap"
out=$(mktemp -d); trap 'rm -rf "$out"' EXIT
cpu() { /usr/bin/time -f "%U %S" "$@" 2>&1 >/dev/null | tail -1 | awk '{print $1 + $2}'; }
median() { sort -g | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }
r=(); t=()
for _ in $(seq "$n"); do
    r+=("$(cpu "$runner" --logdir "$out" "$pcap")")
    t+=("$(cpu tshark -n -r "$pcap" -o mptcp.analyze_mptcp:TRUE -o mptcp.analyze_mappings:TRUE \
        -Y mptcp -T fields -e frame.number -e mptcp.stream -e tcp.options.mptcp.subtype)")
done
rm=$(printf '%s\n' "${r[@]}" | median); tm=$(printf '%s\n' "${t[@]}" | median)
echo "pcap: $pcap ($(capinfos -c -M "$pcap" | awk -F: '/Number of packets/{gsub(/ /,"",$2); print $2}') packets), $n runs"
echo "mptcp-pcap: median ${rm}s CPU; tshark (MPTCP analysis): median ${tm}s CPU"
awk -v a="$rm" -v b="$tm" 'BEGIN { if (a > 0) printf "tshark / mptcp-pcap = %.1fx (target >= 50x)\n", b / a; else print "runner below timer resolution" }'
