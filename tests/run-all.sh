#!/usr/bin/env bash
# Every test of zeek-mptcp: Rust format, lints and tests always; the Zeek plugin build
# and the btest suite when a Zeek is found (zeek-config on PATH or under /opt/zeek/bin),
# then again against each further Zeek found (/opt/zeek-*/bin, or ZEEK_CONFIGS), with
# every log of every trace compared between the first Zeek and each further one
# (tests/zeek-parity.sh). Prints plainly which parts ran.
set -euo pipefail
cd "$(dirname "$0")/.."
# rustup installs cargo under ~/.cargo/bin, which a bare environment may not have on PATH.
command -v cargo >/dev/null 2>&1 || export PATH="$HOME/.cargo/bin:$PATH"

echo "== rust: cargo fmt --check"
cargo fmt --all -- --check
echo "== rust: cargo clippy (warnings denied)"
cargo clippy --workspace --all-targets --locked -- -D warnings
echo "== rust: cargo test"
cargo test --workspace --locked

zeek_config=""
if command -v zeek-config >/dev/null 2>&1; then
    zeek_config=$(command -v zeek-config)
elif [ -x /opt/zeek/bin/zeek-config ]; then
    zeek_config=/opt/zeek/bin/zeek-config
fi
if [ -z "$zeek_config" ]; then
    echo "zeek not found: plugin build and btest skipped"
    echo "SUMMARY: rust tests passed; zeek plugin build and btest SKIPPED (no Zeek)"
    exit 0
fi
zeek_bin="$(dirname "$zeek_config")"
cargo build --release --locked -q -p mptcp-pcap   # the runner, compared with Zeek by a btest
command -v btest >/dev/null 2>&1 || python3 -m pip install -q btest

# Builds the plugin against the Zeek of $1 (a zeek-config) in build directory $2 and runs
# the btest suite with it.
plugin_and_btest() {
    local zc=$1 dir=$2 bin
    bin="$(dirname "$zc")"
    echo "== zeek: $("$bin/zeek" --version) ($zc)"
    echo "== zeek: building the plugin in $dir"
    PATH="$bin:$PATH" ./configure --builddir="$dir" >/dev/null
    make -C "$dir" -j2
    ZEEK_PLUGIN_PATH="$PWD/$dir" "$bin/zeek" -N ZeekMPTCP::MPTCP
    echo "== zeek: btest against $("$bin/zeek" --version)"
    (cd tests && PATH="$bin:$PATH" MPTCP_BUILD_DIR="$PWD/../$dir" btest -j 2 -d)
}

plugin_and_btest "$zeek_config" build
tested="$("$zeek_bin/zeek" --version)"
# Further Zeeks on this machine (/opt/zeek-*/bin, or ZEEK_CONFIGS: zeek-config paths
# separated by colons; set and empty: none), such as an 8.0 LTS beside 8.2: each gets
# its own build directory and the whole suite. The Rust core does not depend on Zeek:
# its cargo output is shared.
extra="${ZEEK_CONFIGS-$(ls /opt/zeek-*/bin/zeek-config 2>/dev/null | tr '\n' ':' || true)}"
IFS=: read -r -a extras <<<"$extra"
for zc in "${extras[@]}"; do
    [ -x "$zc" ] || continue
    [ "$(readlink -f "$zc")" = "$(readlink -f "$zeek_config")" ] && continue
    version=$("$(dirname "$zc")/zeek" --version | awk '{print $NF}')
    dir="build-zeek-$version"
    mkdir -p "$dir"
    [ -e "$dir/cargo" ] || ln -s ../build/cargo "$dir/cargo"
    plugin_and_btest "$zc" "$dir"
    echo "== zeek: the same logs from $("$zeek_bin/zeek" --version) and $("$(dirname "$zc")/zeek" --version)"
    tests/zeek-parity.sh "$zeek_config" build "$zc" "$dir"
    tested="$tested, $("$(dirname "$zc")/zeek" --version)"
    compared="; every log of every trace identical between the first and each further Zeek"
done
echo "SUMMARY: rust tests passed; zeek plugin built and btest passed against: $tested${compared:-}"
