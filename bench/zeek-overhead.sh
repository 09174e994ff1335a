#!/usr/bin/env bash
# What the plugin costs Zeek, in instructions (valgrind --tool=callgrind, counting only
# inside Zeek's packet loop and its teardown of the connections still open when the trace
# ends, so start-up and script parsing are left out), on the same trace in one run of
# paired measurements:
#   plain       zeek -r PCAP                                  (default scripts, no plugin)
#   plugin-only the plugin found (as after zkg install), the package not loaded
#   package     + the package as users run it (logs, notices, data-level reassembly; no
#               per-option handler)
#   no-reasm    the same with redef MPTCP::reassemble = F
#   rare-events + every mptcp_* event but mptcp_dss and mptcp_option handled (empty handlers)
#   all-events  + every mptcp_* event handled by an empty handler
#   yardstick   plain + ../shared/bench/script-parser.zeek (MPTCP decoded in script from tcp_options)
# Usage: bench/zeek-overhead.sh PCAP [PACKETS]   (PACKETS: slice of the trace, default 60000)
#        WHOLE=1 bench/zeek-overhead.sh PCAP all  (the whole trace, the whole run counted:
#        start-up, script parsing and log writing included, as ../shared/bench/README.md
#        states its budget: 1 % of plain Zeek's instructions for the whole run)
# Every run uses zeek -D (random seeds zero): with random hash seeds plain Zeek's own
# count moves by ~0.1 % from run to run, as much as the differences measured here.
# Needs the plugin built (./configure && make -C build) and valgrind, editcap. Another Zeek:
# its zeek-config first on PATH, and MPTCP_BUILD_DIR the plugin build made against it
# (tests/run-all.sh makes build-zeek-VERSION).
set -euo pipefail
pcap=$1; n=${2:-60000}
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
if [ "$n" = all ]; then
    cp "$pcap" "$work/slice.pcap"
    n=$(capinfos -c -M "$pcap" | awk '/Number of packets/ {print $NF}')
else
    editcap -r "$pcap" "$work/slice.pcap" "1-$n" >/dev/null
fi
what="instructions in Zeek's packet loop and teardown"
if [ "${WHOLE:-0}" = 1 ]; then
    collect=(--collect-atstart=yes)
    what="instructions of the whole run"
fi
source "$(dirname "$0")/zeek-count.sh"
yard="$here/../shared/bench/script-parser.zeek"
plain=$(PLUGIN_PATH="" count plain)
only=$(count plugin-only)
package=$(count package ZeekMPTCP/MPTCP)
noreasm=$(count no-reasm ZeekMPTCP/MPTCP -e 'redef MPTCP::reassemble = F;')
rare=$(count rare-events ZeekMPTCP/MPTCP "$here/bench/rare-events.zeek")
all=$(count all-events ZeekMPTCP/MPTCP "$here/bench/all-events.zeek")
yardstick=""
[ -f "$yard" ] && yardstick=$(PLUGIN_PATH="" count yardstick "$yard")
echo "trace: $pcap, first $n packets; $what (callgrind)"
awk -v p="$plain" -v o="$only" -v k="$package" -v r="$noreasm" -v e="$rare" -v a="$all" -v y="$yardstick" -v n="$n" 'BEGIN {
    printf "plain       %14.0f  %8.0f instr/packet\n", p, p / n
    printf "plugin-only %14.0f  %8.0f instr/packet  %+.2f %%\n", o, o / n, (o - p) * 100 / p
    printf "package     %14.0f  %8.0f instr/packet  %+.2f %%\n", k, k / n, (k - p) * 100 / p
    printf "no-reasm    %14.0f  %8.0f instr/packet  %+.2f %%\n", r, r / n, (r - p) * 100 / p
    printf "rare-events %14.0f  %8.0f instr/packet  %+.2f %%\n", e, e / n, (e - p) * 100 / p
    printf "all-events  %14.0f  %8.0f instr/packet  %+.2f %%\n", a, a / n, (a - p) * 100 / p
    if (y != "") printf "yardstick   %14.0f  %8.0f instr/packet  %+.2f %%\n", y, y / n, (y - p) * 100 / p
}'
