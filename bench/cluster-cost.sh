#!/usr/bin/env bash
# Cost of zeek-mptcp's cluster messages: bytes on the wire from the workers to the proxy,
# per message kind, on the cluster btests' inputs (tests/Scripts/cluster-inputs).
#
# A localhost cluster (manager, one proxy, two workers; Broker without TLS so that the
# bytes are the messages' own) runs three times: both workers reading plain-tcp.pcap
# (control: peering, hellos), worker 1 reading the initial subflows (handshake and
# connection-closed messages), worker 2 reading the joins (join and join-done messages).
# The worker->proxy TCP payload of each run (tcpdump on lo) minus the control's, divided
# by the messages the workers counted (MPTCP::cluster_stats), is the bytes per message.
# Needs root (tcpdump), mergecap, the plugin built in build/.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
zc=$(command -v zeek-config || echo /opt/zeek/bin/zeek-config)
export PATH="$(dirname "$zc"):$repo/tests/Scripts:$PATH"
export ZEEKPATH=$("$zc" --zeekpath) ZEEK_PLUGIN_PATH=$repo/build TRACES=$repo/tests/traces
S=$repo/tests/Scripts
w=$(mktemp -d)
[ -n "${KEEP:-}" ] && echo "work dir: $w" || trap 'rm -rf "$w"' EXIT
cd "$w"
sh $S/cluster-inputs >/dev/null
export MPTCP_MANAGER_PORT=47760/tcp MPTCP_PROXY1_PORT=47761/tcp MPTCP_WORKER1_PORT=47762/tcp MPTCP_WORKER2_PORT=47763/tcp

run() {  # run NAME PCAP1 PCAP2 -> prints "payload_bytes"
    local d=$w/$1; mkdir -p $d; cd $d
    for n in manager proxy-1 worker-1 worker-2; do mkdir -p $n; cp $S/cluster-layout.zeek $n/; done
    tcpdump -i lo -w cap.pcap -U "tcp and dst port ${MPTCP_PROXY1_PORT%/tcp}" 2>/dev/null & local tp=$!
    sleep 1
    local pids=""
    (cd manager && MPTCP_PROXIES=1 CLUSTER_NODE=manager exec zeek $S/cluster-node.zeek Broker::disable_ssl=T >out 2>&1) & pids="$pids $!"
    (cd proxy-1 && MPTCP_WORKERS=2 MPTCP_PROXY_LINGER=1 CLUSTER_NODE=proxy-1 exec zeek $S/cluster-node.zeek Broker::disable_ssl=T >out 2>&1) & pids="$pids $!"
    (cd worker-1 && MPTCP_WAIT_START='manager proxy-1' CLUSTER_NODE=worker-1 exec zeek -C -r $2 $S/cluster-node.zeek Broker::disable_ssl=T >out 2>&1) & pids="$pids $!"
    (cd worker-2 && MPTCP_WAIT_START='manager proxy-1' CLUSTER_NODE=worker-2 exec zeek -C -r $3 $S/cluster-node.zeek Broker::disable_ssl=T >out 2>&1) & pids="$pids $!"
    for i in $(seq 120); do
        local alive=0; for p in $pids; do kill -0 $p 2>/dev/null && alive=1; done
        [ $alive = 0 ] && break; sleep 0.5
    done
    for p in $pids; do kill $p 2>/dev/null || true; done
    wait $pids 2>/dev/null || true
    sleep 1; kill $tp; wait $tp 2>/dev/null || true
    # TCP payload bytes towards the proxy (from the workers: source port not the manager's).
    tcpdump -nn -r cap.pcap 2>/dev/null | grep -v "\.${MPTCP_MANAGER_PORT%/tcp} >" |
        sed -nE 's/.*length ([0-9]+).*/\1/p' | awk '{s+=$1} END {print s+0}'
    cd $w
}
stat() { sed -nE "s/.*[[ ]$2=([0-9]+).*/\1/p" $1; }

plain=$TRACES/extra/plain-tcp.pcap
c=$(run control $plain $plain)
i=$(run initial $w/initial.pcap $plain)
j=$(run joins $plain $w/joins.pcap)
n_conn=$(stat $w/initial/worker-1/out sent_conn); n_closed=$(stat $w/initial/worker-1/out sent_conn_closed)
n_gone=$(stat $w/initial/worker-1/out sent_conn_gone)
n_join=$(stat $w/joins/worker-2/out sent_join); n_done=$(stat $w/joins/worker-2/out sent_join_done)
echo "control run: $c payload bytes to the proxy"
echo "worker 1 (initial subflows): $((i - c)) bytes in $n_conn handshake + $n_closed closed + $n_gone gone messages: $(( (i - c) / (n_conn + n_closed + n_gone) )) bytes per message"
echo "worker 2 (joins): $((j - c)) bytes in $n_join join + $n_done join-done messages: $(( (j - c) / (n_join + n_done) )) bytes per message"
