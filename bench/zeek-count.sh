# Sourced by the bench scripts that count Zeek's instructions (zeek-overhead.sh,
# handoff-floor.sh): where the repository, the plugin build and Zeek are, and count().
# Expects `set -euo pipefail` and $work (a scratch directory holding slice.pcap).
# Another Zeek: its zeek-config first on PATH, and MPTCP_BUILD_DIR the plugin build made
# against it (tests/run-all.sh makes build-zeek-VERSION).
here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=$(cd "${MPTCP_BUILD_DIR:-$here/build}" && pwd)
zc=$(command -v zeek-config || echo /opt/zeek/bin/zeek-config)
zeek="$(dirname "$zc")/zeek"

# What callgrind counts: Zeek's packet loop and its teardown, unless the caller set
# `collect` first. The teardown counts: a connection still open at the end (on a short
# trace, every one younger than Zeek's close delays) has its final events and log rows
# written there.
if [ -z "${collect+set}" ]; then
    collect=(--collect-atstart=no --toggle-collect='zeek::run_state::detail::run_loop*'
             --toggle-collect='zeek::detail::done_with_network*')
fi

# count NAME [ZEEK ARGS...]: Zeek's instructions reading $work/slice.pcap with zeek -D
# (random seeds zero), the plugin found in $PLUGIN_PATH (default: the build; "" runs Zeek
# without the plugin). Prints the count; Zeek's errors go to stderr.
count() {
    local name=$1; shift
    mkdir -p "$work/run-$name"
    (cd "$work/run-$name" && ZEEK_PLUGIN_PATH="${PLUGIN_PATH-$build}" valgrind --tool=callgrind "${collect[@]}" \
        --callgrind-out-file="$work/$name.cg" "$zeek" -D -r "$work/slice.pcap" "$@" >/dev/null 2>"$work/$name.err") \
        || { cat "$work/$name.err" >&2; exit 1; }
    awk '/^summary:/ {print $2}' "$work/$name.cg"
}
