# @TEST-DOC: No proxy is up while the workers read their pcaps: they keep their messages (backlog) and send them when proxy-1 comes up; then proxy-2 joins the pool and the workers re-send the handshake data of their live connections whose token it now owns (HRW re-partition), before ending. The logs equal one process's.
# @TEST-REQUIRES: which mergecap
# @TEST-PORT: MPTCP_MANAGER_PORT
# @TEST-PORT: MPTCP_PROXY1_PORT
# @TEST-PORT: MPTCP_PROXY2_PORT
# @TEST-PORT: MPTCP_WORKER1_PORT
# @TEST-PORT: MPTCP_WORKER2_PORT
#
# @TEST-EXEC: sh $SCRIPTS/cluster-inputs
# @TEST-EXEC: btest-bg-run manager "cp $SCRIPTS/cluster-layout.zeek . && MPTCP_PROXIES=2 CLUSTER_NODE=manager zeek $SCRIPTS/cluster-node.zeek"
# @TEST-EXEC: btest-bg-run worker-1 "cp $SCRIPTS/cluster-layout.zeek . && MPTCP_WAIT_START='manager' MPTCP_WAIT_END='proxy-1 proxy-2' CLUSTER_NODE=worker-1 zeek -C -r ../initial.pcap $SCRIPTS/cluster-node.zeek"
# @TEST-EXEC: btest-bg-run worker-2 "cp $SCRIPTS/cluster-layout.zeek . && MPTCP_WAIT_START='manager' MPTCP_WAIT_END='proxy-1 proxy-2' CLUSTER_NODE=worker-2 zeek -C -r ../joins.pcap $SCRIPTS/cluster-node.zeek"
# @TEST-EXEC: wait-for-file worker-1/pcap-done worker-2/pcap-done
# @TEST-EXEC: btest-bg-run proxy-1 "cp $SCRIPTS/cluster-layout.zeek . && MPTCP_WORKERS=2 MPTCP_PROXY_LINGER=3 MPTCP_HOLD=10 MPTCP_LINGER=3600 CLUSTER_NODE=proxy-1 zeek $SCRIPTS/cluster-node.zeek"
# @TEST-EXEC: wait-for-file worker-1/up-proxy-1 worker-2/up-proxy-1
# @TEST-EXEC: btest-bg-run proxy-2 "cp $SCRIPTS/cluster-layout.zeek . && MPTCP_WORKERS=2 MPTCP_PROXY_LINGER=3 MPTCP_HOLD=10 MPTCP_LINGER=3600 CLUSTER_NODE=proxy-2 zeek $SCRIPTS/cluster-node.zeek"
# @TEST-EXEC: btest-bg-wait 60
# @TEST-EXEC: sh $SCRIPTS/cluster-compare manager reference > output
# @TEST-EXEC: for p in proxy-1 proxy-2; do sed -E "s/.*(conn_rows=[0-9]+).*(conns=[0-9]+), (joins=[0-9]+), (held=[0-9]+).*/$p: \1; state left: \2 \3 \4/" $p/.stdout; done >> output
# @TEST-EXEC: for w in worker-1 worker-2; do sed -E "s/.*(backlogged=[0-9]+), (backlog_overflow=[0-9]+).*/$w: \1 \2/" $w/.stdout; done >> output
# @TEST-EXEC: btest-diff output
