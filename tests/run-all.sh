#!/usr/bin/env bash
# Every test of zeek-mptcp: Rust format, lints and tests always; the Zeek plugin build
# and the btest suite when a Zeek is found (zeek-config on PATH or under /opt/zeek/bin).
set -euo pipefail
cd "$(dirname "$0")/.."

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
    exit 0
fi
if [ ! -f CMakeLists.txt ]; then
    echo "zeek found ($zeek_config) but the plugin is not in this tree yet: plugin build and btest skipped"
    exit 0
fi
zeek_bin="$(dirname "$zeek_config")"
export PATH="$zeek_bin:$PATH"
echo "== zeek: $("$zeek_bin/zeek" --version)"
echo "== zeek: building the plugin"
./configure --zeek-dist= --builddir=build >/dev/null
make -C build -j2
echo "== zeek: btest"
command -v btest >/dev/null 2>&1 || pip install -q btest
(cd tests && btest -j 2 -d)
