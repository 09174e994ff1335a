#!/usr/bin/env bash
# Traces of many short connections, to measure what the package costs per connection
# rather than per packet (the bulk traces of ../shared/bench hold five connections):
# CONNS HTTP requests, each on its own connection (request, a 1 KB response, close),
# made by the kernel between two private network namespaces, full payload.
#   short-tcp.pcap    plain TCP
#   short-mptcp.pcap  MPTCP, the server announcing a second address (joins happen when a
#                     connection lives long enough for the path manager)
#   short-scan.pcap   a SYN to each of CONNS closed ports, answered by RST (a port scan)
# Usage: bench/make-short-conns.sh OUTDIR [CONNS]   (root; namespaces removed on exit)
set -euo pipefail
out=$(cd "$1" && pwd); conns=${2:-5000}
here=$(cd "$(dirname "$0")" && pwd); nicoff=$here/../../shared/traces/nicoff.py
[ -f "$nicoff" ] || { echo "needs ../shared/traces/nicoff.py (offloads off)" >&2; exit 1; }
P=shrt$$
cleanup() { set +e; for n in $P-c $P-s; do ip netns pids $n 2>/dev/null | xargs -r kill 2>/dev/null; ip netns del $n 2>/dev/null; done; rm -f /tmp/$P-*.py /tmp/$P-*.pcap; }
trap cleanup EXIT
ip netns add $P-c; ip netns add $P-s
for i in 1 2; do
    ip link add c$i netns $P-c type veth peer name s$i netns $P-s
    ip -n $P-c addr add 10.242.$i.1/24 dev c$i; ip -n $P-s addr add 10.242.$i.2/24 dev s$i
    ip -n $P-c link set c$i up; ip -n $P-s link set s$i up
    # Offloads off: the capture shows segments and checksums as a mirror port would.
    ip netns exec $P-c python3 "$nicoff" c$i; ip netns exec $P-s python3 "$nicoff" s$i
done
for n in $P-c $P-s; do ip -n $n link set lo up; ip netns exec $n sysctl -qw net.mptcp.enabled=1; done
ip -n $P-s mptcp limits set subflow 4 add_addr_accepted 4; ip -n $P-c mptcp limits set subflow 4 add_addr_accepted 4
ip -n $P-s mptcp endpoint add 10.242.2.2 dev s2 signal

cat > /tmp/$P-srv.py <<PY
import socket, sys
proto = int(sys.argv[1]); s = socket.socket(socket.AF_INET, socket.SOCK_STREAM, proto)
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1); s.bind(("0.0.0.0", 80)); s.listen(64)
body = b"y" * 1024
for _ in range($conns):
    c, _a = s.accept(); req = b""
    while b"\r\n\r\n" not in req:
        d = c.recv(4096)
        if not d: break
        req += d
    c.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: %d\r\nConnection: close\r\n\r\n" % len(body) + body)
    c.close()
PY
cat > /tmp/$P-cli.py <<PY
import socket, sys
proto = int(sys.argv[1])
for i in range($conns):
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM, proto); s.connect(("10.242.1.2", 80))
    s.sendall(b"GET /short/%d HTTP/1.1\r\nHost: short.test\r\n\r\n" % i)
    while s.recv(65536): pass
    s.close()
PY
cat > /tmp/$P-scan.py <<PY
import socket
for port in range(20000, 20000 + $conns):
    s = socket.socket(); s.settimeout(1)
    try: s.connect(("10.242.1.2", port))
    except OSError: pass
    s.close()
PY

capture() { # name, then the command that makes the traffic
    local name=$1; shift
    ip netns exec $P-s tcpdump -q -i s1 -s 0 -w /tmp/$P-$name-1.pcap tcp 2>/dev/null & local t1=$!
    ip netns exec $P-s tcpdump -q -i s2 -s 0 -w /tmp/$P-$name-2.pcap tcp 2>/dev/null & local t2=$!
    sleep 1
    "$@"
    sleep 1; kill $t1 $t2; wait $t1 $t2 2>/dev/null || true
    mergecap -F pcap -w "$out/short-$name.pcap" /tmp/$P-$name-1.pcap /tmp/$P-$name-2.pcap
    echo "short-$name.pcap: $(capinfos -c -M "$out/short-$name.pcap" | awk -F: '/Number of packets/{print $2}') packets"
}
serve() { # proto
    ip netns exec $P-s python3 /tmp/$P-srv.py "$1" & local sp=$!
    sleep 0.5
    ip netns exec $P-c python3 /tmp/$P-cli.py "$1"
    wait $sp
}
capture tcp serve 6
capture mptcp serve 262
capture scan ip netns exec $P-c python3 /tmp/$P-scan.py
