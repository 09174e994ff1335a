# @TEST-DOC: Joins reach the proxy before their handshake data: the worker with the joins reads its pcap before the worker with the initial subflows starts. The proxy holds the joins (cluster_join_hold), links them when the handshake data comes, and decides the one with an unknown token when its hold expires; the logs equal one process's, and the connection rows are written after cluster_conn_linger.
# @TEST-REQUIRES: which mergecap
# @TEST-PORT: MPTCP_MANAGER_PORT
# @TEST-PORT: MPTCP_PROXY1_PORT
# @TEST-PORT: MPTCP_WORKER1_PORT
# @TEST-PORT: MPTCP_WORKER2_PORT
#
# @TEST-EXEC: sh $SCRIPTS/cluster-inputs
# @TEST-EXEC: btest-bg-run manager "cp $SCRIPTS/cluster-layout.zeek . && MPTCP_PROXIES=1 CLUSTER_NODE=manager zeek $SCRIPTS/cluster-node.zeek"
# @TEST-EXEC: btest-bg-run proxy-1 "cp $SCRIPTS/cluster-layout.zeek . && MPTCP_WORKERS=2 MPTCP_PROXY_LINGER=8 MPTCP_HOLD=7 MPTCP_LINGER=1 CLUSTER_NODE=proxy-1 zeek $SCRIPTS/cluster-node.zeek"
# @TEST-EXEC: btest-bg-run worker-2 "cp $SCRIPTS/cluster-layout.zeek . && MPTCP_WAIT_START='manager proxy-1' CLUSTER_NODE=worker-2 zeek -C -r ../joins.pcap $SCRIPTS/cluster-node.zeek"
# @TEST-EXEC: wait-for-file worker-2/pcap-done
# @TEST-EXEC: btest-bg-run worker-1 "cp $SCRIPTS/cluster-layout.zeek . && MPTCP_WAIT_START='manager proxy-1' CLUSTER_NODE=worker-1 zeek -C -r ../initial.pcap $SCRIPTS/cluster-node.zeek"
# @TEST-EXEC: btest-bg-wait 60
# @TEST-EXEC: sh $SCRIPTS/cluster-compare manager reference > output
# @TEST-EXEC: sed -E "s/.*(joins_linked=[0-9]+).*(joins_unknown=[0-9]+), (joins_held=[0-9]+).*(conn_rows=[0-9]+).*(conns=[0-9]+), (joins=[0-9]+), (held=[0-9]+).*/proxy: \1 \2 \3 \4; left: \5 \6 \7/" proxy-1/.stdout >> output
# @TEST-EXEC: btest-diff output
