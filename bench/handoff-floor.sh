#!/usr/bin/env bash
# The floor under the plugin's per-packet cost: what Zeek pays for the plugin seeing a
# packet at all, and for handing each packet to the Rust core, before the core does any
# MPTCP work. Two throw-away variants of HEAD are built in temporary git worktrees
# (never in this tree, never installed):
#   empty       the package with its tap's TapPacket (Zeek 8.1+), or its child packet
#               analyzer's DeliverPacket (Zeek 8.0), returning at once: Zeek's calling of
#               it alone; the core never sees a packet
#   hand-off    the package with mptcp_tracker_segment returning MPTCP_TRACK at once: the
#               shim reads the packet's position, lengths, direction and time and calls
#               the core, which does nothing
# and counted with callgrind on the same slice as bench/zeek-overhead.sh (Zeek's packet
# loop and teardown, zeek -D), beside plain Zeek and the package as users run it. Neither
# variant analyzes anything: they measure a lower bound, not a product.
# Usage: bench/handoff-floor.sh PCAP [PACKETS]   (default 60000 packets)
# Needs the plugin built (./configure && make -C build; another Zeek: its zeek-config first
# on PATH and MPTCP_BUILD_DIR, as for bench/zeek-overhead.sh), cargo, cmake,
# valgrind, editcap, git. Takes a few minutes (two plugin builds, four callgrind runs).
set -euo pipefail
pcap=$1; n=${2:-60000}
work=$(mktemp -d); trap 'rm -rf "$work"; [ -z "${here:-}" ] || git -C "$here" worktree prune' EXIT
source "$(dirname "$0")/zeek-count.sh"
editcap -r "$pcap" "$work/slice.pcap" "1-$n" >/dev/null

# One variant: a worktree of HEAD with one edit (FILE, the line the edit goes before, the
# line inserted), built, its plugin directory kept as $work/NAME.
variant() {
    local name=$1 file=$2 anchor=$3 line=$4 src="$work/src-$1"
    git -C "$here" worktree add -q --detach "$src" HEAD
    python3 - "$src/$file" "$anchor" "$line" <<'EOF'
import sys
path, anchor, line = sys.argv[1:]
text = open(path).read()
if text.count(anchor) != 1:
    sys.exit(f"{path}: the edit's anchor is not found exactly once: {anchor!r}")
open(path, "w").write(text.replace(anchor, line + "\n" + anchor))
EOF
    (cd "$src" && PATH="$(dirname "$zc"):$PATH" ./configure >"$work/$name.build" 2>&1 &&
        make -C build -j"$(nproc)" >>"$work/$name.build" 2>&1) || { tail -20 "$work/$name.build"; exit 1; }
    mkdir -p "$work/$name"
    # (build/scripts is a link into the worktree, which goes: copied as files.)
    cp -r "$src/build/__zeek_plugin__" "$src/build/lib" "$work/$name/"
    cp -rL "$src/build/scripts" "$work/$name/"
    git -C "$here" worktree remove --force "$src"
}
if [ "$("$zc" --version | awk -F. '{print $1 * 100 + $2}')" -ge 801 ]; then
    variant empty cpp/Tap.h \
        '        // Packets Zeek skips (bad checksum, bad header) are not analyzed by Zeek either.' \
        '        if ( action == action ) return; // handoff-floor.sh: the empty tap'
else
    variant empty cpp/PacketChild.cc \
        '    // `data` is the payload and `len` its captured length; the TCP header starts the IP payload.' \
        '    return; // handoff-floor.sh: the empty child analyzer'
fi
variant hand-off rust/mptcp-ffi/src/lib.rs \
    '    // The general path, out of line, is reached by a tail call, so that this function' \
    '    if std::hint::black_box(true) { return MPTCP_TRACK; } // handoff-floor.sh: hand-off only'

plain=$(PLUGIN_PATH="" count plain)
empty=$(PLUGIN_PATH="$work/empty" count empty ZeekMPTCP/MPTCP)
handoff=$(PLUGIN_PATH="$work/hand-off" count hand-off ZeekMPTCP/MPTCP)
package=$(count package ZeekMPTCP/MPTCP)
echo "trace: $pcap, first $n packets; instructions in Zeek's packet loop and teardown (callgrind)"
awk -v p="$plain" -v e="$empty" -v h="$handoff" -v k="$package" -v n="$n" 'BEGIN {
    printf "plain       %14.0f  %8.1f instr/packet\n", p, p / n
    printf "empty       %14.0f  %8.1f instr/packet  %+.2f %%\n", e, e / n, (e - p) * 100 / p
    printf "hand-off    %14.0f  %8.1f instr/packet  %+.2f %%\n", h, h / n, (h - p) * 100 / p
    printf "package     %14.0f  %8.1f instr/packet  %+.2f %%\n", k, k / n, (k - p) * 100 / p
    printf "1 %% of plain: %.1f instr/packet; the hand-off alone takes %.1f of them\n", p / n / 100, (h - p) / n
}'
