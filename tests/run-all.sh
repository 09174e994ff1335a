#!/usr/bin/env bash
# Every test of zeek-mptcp: Rust format, lints and tests always; the Zeek plugin build
# and the btest suite when a Zeek is found (zeek-config on PATH or under /opt/zeek/bin).
# Prints plainly which parts ran.
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
export PATH="$zeek_bin:$PATH"
echo "== zeek: $("$zeek_bin/zeek" --version) ($zeek_config)"
echo "== zeek: building the plugin"
./configure >/dev/null
make -C build -j2
"$zeek_bin/zeek" -N ZeekMPTCP::MPTCP 2>/dev/null || ZEEK_PLUGIN_PATH="$PWD/build" "$zeek_bin/zeek" -N ZeekMPTCP::MPTCP
echo "== zeek: btest"
command -v btest >/dev/null 2>&1 || python3 -m pip install -q btest
cargo build --release --locked -q -p mptcp-pcap   # the runner, compared with Zeek by a btest
(cd tests && btest -j 2 -d)
echo "SUMMARY: rust tests passed; zeek plugin built and btest passed"
