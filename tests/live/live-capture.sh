#!/usr/bin/env bash
# Zeek with the package on a live interface, as a sensor runs it: the kernel's MPTCP
# carries an HTTP-like exchange (one 2 MB response) between two network namespaces made
# here, over two links, the server announcing its second address (ADD_ADDR) and the
# client joining it (MP_JOIN); Zeek runs `zeek -i any` inside the server's namespace
# (Linux "any" capture: SLL2 frames). Offloads are turned off on the veths, so that Zeek
# sees wire-sized frames with their checksums filled in, as a sensor on a mirror port
# does (with them on, a host sees its own segments before segmentation, up to 64 KB,
# past Zeek's default snaplen, and with checksums left to the NIC). Nothing leaves the
# namespaces.
#
# Checks, and exits 1 on any miss: mptcp.log has the initial subflow and the joined one,
# linked by token, the join's HMACs verified; mptcp_conn.log one connection that carried
# the whole response with no byte missing; http.log the whole body; conn.log's service
# says mptcp (and http on the subflow that carried the request); no notice; no weird of
# the package.
#
# Usage (root; Linux with MPTCP, iproute2, python3): tests/live/live-capture.sh
# Zeek: zeek-config on PATH or /opt/zeek/bin; the plugin built in build/ (or MPTCP_BUILD_DIR).
# Not run by CI: it needs root and network namespaces.
set -euo pipefail
here=$(cd "$(dirname "$0")/../.." && pwd)
zc=$(command -v zeek-config || echo /opt/zeek/bin/zeek-config)
zeek="$(dirname "$zc")/zeek"
build=$(cd "${MPTCP_BUILD_DIR:-$here/build}" && pwd)
[ "$(id -u)" = 0 ] || { echo "live-capture: needs root (network namespaces)"; exit 2; }

c=mplive$$c; s=mplive$$s
work=$(mktemp -d)
cleanup() {
    [ -n "${zpid:-}" ] && kill "$zpid" 2>/dev/null || true
    ip netns del "$c" 2>/dev/null || true
    ip netns del "$s" 2>/dev/null || true
    [ -n "${KEEP:-}" ] || rm -rf "$work"
}
trap cleanup EXIT
ip netns add "$c"; ip netns add "$s"
for i in 1 2; do
    ip link add c$i netns "$c" type veth peer name s$i netns "$s"
    ip -n "$c" addr add 10.77.$i.1/24 dev c$i; ip -n "$c" link set c$i up
    ip -n "$s" addr add 10.77.$i.2/24 dev s$i; ip -n "$s" link set s$i up
done
for ns in "$c" "$s"; do
    ip -n "$ns" link set lo up
    ip netns exec "$ns" sysctl -q net.mptcp.enabled=1
    ip -n "$ns" mptcp limits set subflow 2 add_addr_accepted 2
done
ip -n "$s" mptcp endpoint add 10.77.2.2 dev s2 signal
# Offloads off (as `ethtool -K IF tx off sg off tso off gso off gro off`, by ioctl).
cat > "$work/offloads-off.py" <<'EOF'
import ctypes, fcntl, socket, struct, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
for ifname in sys.argv[1:]:
    # ETHTOOL_STXCSUM, _SSG, _STSO, _SGSO, _SGRO with value 0
    for cmd in (0x17, 0x19, 0x1f, 0x24, 0x2c):
        val = ctypes.create_string_buffer(struct.pack("II", cmd, 0), 8)
        fcntl.ioctl(s, 0x8946, struct.pack("16sP", ifname.encode(), ctypes.addressof(val)))  # SIOCETHTOOL
EOF
ip netns exec "$c" python3 "$work/offloads-off.py" c1 c2
ip netns exec "$s" python3 "$work/offloads-off.py" s1 s2

cat > "$work/app.py" <<'EOF'
import socket, sys
IPPROTO_MPTCP = 262
SIZE = 2_000_000
if sys.argv[1] == "server":
    srv = socket.socket(socket.AF_INET, socket.SOCK_STREAM, IPPROTO_MPTCP)
    srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    srv.bind(("0.0.0.0", 80)); srv.listen(1)  # joins come to the announced address too
    open(sys.argv[2], "w").close()  # ready
    conn, _ = srv.accept()
    req = b""
    while b"\r\n\r\n" not in req:
        req += conn.recv(4096)
    body = bytes(i % 251 for i in range(SIZE))
    conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: %d\r\nContent-Type: application/octet-stream\r\n\r\n" % SIZE + body)
    conn.shutdown(socket.SHUT_WR)
    while conn.recv(4096):
        pass
    conn.close()
else:
    cli = socket.socket(socket.AF_INET, socket.SOCK_STREAM, IPPROTO_MPTCP)
    cli.connect(("10.77.1.2", 80))
    cli.sendall(b"GET /obj/2000000.bin HTTP/1.1\r\nHost: server.live.test\r\n\r\n")
    got = b""
    while True:
        d = cli.recv(65536)
        if not d:
            break
        got += d
    cli.close()
    print("client received", len(got), "bytes")
EOF

mkdir "$work/logs"
(cd "$work/logs" && ZEEK_PLUGIN_PATH="$build" exec ip netns exec "$s" "$zeek" -i any ZeekMPTCP/MPTCP \
    >"$work/zeek.out" 2>&1) &
zpid=$!
sleep 3 # Zeek's start-up, before the first packet
ip netns exec "$s" python3 "$work/app.py" server "$work/ready" &
spid=$!
for _ in $(seq 50); do [ -f "$work/ready" ] && break; sleep 0.1; done
ip netns exec "$c" python3 "$work/app.py" client
wait "$spid"
sleep 2
kill -TERM "$zpid"; wait "$zpid" || true; zpid=
cd "$work/logs"
zcut="$(dirname "$zc")/zeek-cut"
echo "--- mptcp.log"; "$zcut" id.orig_h id.resp_h initial established linked_by join_auth < mptcp.log
echo "--- mptcp_conn.log"; "$zcut" subflows_established addrs_advertised close_reason resp_bytes missed_bytes < mptcp_conn.log
echo "--- http.log"; "$zcut" method host uri status_code response_body_len < http.log
echo "--- conn.log (port 80)"; "$zcut" id.orig_h id.resp_h id.resp_p service < conn.log | awk '$3 == 80'

fail=0
check() { if eval "$2"; then echo "ok: $1"; else echo "FAIL: $1"; fail=1; fi; }
check "two subflows, one initial and one joined" \
    '[ "$("$zcut" initial < mptcp.log | sort | tr "\n" " ")" = "F T " ]'
check "the join linked by token, its HMACs verified" \
    '[ "$("$zcut" initial linked_by join_auth < mptcp.log | grep -c "^F	token	verified$")" = 1 ]'
check "one MPTCP connection, 2 subflows, the server's address advertised" \
    '[ "$("$zcut" subflows_established addrs_advertised < mptcp_conn.log)" = "2	10.77.2.2" ]'
check "the whole response at the data level, nothing missed" \
    'read -r rb mb <<< "$("$zcut" resp_bytes missed_bytes < mptcp_conn.log)"; [ "$rb" -ge 2000000 ] && [ "$mb" = 0 ]'
check "conn.log: mptcp on both subflows, http on the initial one" \
    '[ "$("$zcut" id.resp_h id.resp_p service < conn.log | awk "\$2 == 80 { print \$1, \$3 }" | sort | tr "\n" " ")" = "10.77.1.2 mptcp,http 10.77.2.2 mptcp " ]'
check "http.log: the whole 2,000,000-byte body, reassembled across both subflows" \
    '[ "$("$zcut" method status_code response_body_len < http.log)" = "GET	200	2000000" ]'
check "no notice" '[ ! -f notice.log ]'
check "no weird of the package" '! { [ -f weird.log ] && "$zcut" name < weird.log | grep -q "^mptcp"; }'
exit $fail
