# @TEST-DOC: cluster-split with the ZeroMQ cluster backend: a localhost cluster (manager, two proxies, two workers) where one worker sees every MP_CAPABLE subflow and the other every join (kernel traces split by 4-tuple; one join with a wrong HMAC; one join to an unknown token) writes the same mptcp.log, mptcp_conn.log and notice.log as one Zeek process on the same packets, uids aside: every join linked by token and verified or failed, one Unknown_Join (the unknown token's) and no other.
# @TEST-REQUIRES: which mergecap && zeek -N Zeek::Cluster_Backend_ZeroMQ
# @TEST-REQUIRES: test "$(zeek-config --version | cut -d. -f1,2)" != "8.0"
# @TEST-PORT: MPTCP_XPUB_PORT
# @TEST-PORT: MPTCP_XSUB_PORT
# @TEST-PORT: MPTCP_MANAGER_PORT
# @TEST-PORT: MPTCP_PROXY1_PORT
# @TEST-PORT: MPTCP_PROXY2_PORT
# @TEST-PORT: MPTCP_WORKER1_PORT
# @TEST-PORT: MPTCP_WORKER2_PORT
#
# @TEST-EXEC: sh $SCRIPTS/cluster-inputs
# @TEST-EXEC: btest-bg-run manager "cp $SCRIPTS/cluster-layout.zeek . && MPTCP_BACKEND=zeromq MPTCP_PROXIES=2 CLUSTER_NODE=manager zeek $SCRIPTS/cluster-node.zeek"
# @TEST-EXEC: btest-bg-run proxy-1 "cp $SCRIPTS/cluster-layout.zeek . && MPTCP_BACKEND=zeromq MPTCP_WORKERS=2 MPTCP_PROXY_LINGER=2 MPTCP_HOLD=10 MPTCP_LINGER=3600 CLUSTER_NODE=proxy-1 zeek $SCRIPTS/cluster-node.zeek"
# @TEST-EXEC: btest-bg-run proxy-2 "cp $SCRIPTS/cluster-layout.zeek . && MPTCP_BACKEND=zeromq MPTCP_WORKERS=2 MPTCP_PROXY_LINGER=2 MPTCP_HOLD=10 MPTCP_LINGER=3600 CLUSTER_NODE=proxy-2 zeek $SCRIPTS/cluster-node.zeek"
# @TEST-EXEC: btest-bg-run worker-1 "cp $SCRIPTS/cluster-layout.zeek . && MPTCP_BACKEND=zeromq MPTCP_WAIT_START='manager proxy-1 proxy-2' CLUSTER_NODE=worker-1 zeek -C -r ../initial.pcap $SCRIPTS/cluster-node.zeek"
# @TEST-EXEC: btest-bg-run worker-2 "cp $SCRIPTS/cluster-layout.zeek . && MPTCP_BACKEND=zeromq MPTCP_WAIT_START='manager proxy-1 proxy-2' CLUSTER_NODE=worker-2 zeek -C -r ../joins.pcap $SCRIPTS/cluster-node.zeek"
# @TEST-EXEC: btest-bg-wait 60
# @TEST-EXEC: sh $SCRIPTS/cluster-compare manager reference > output
# @TEST-EXEC: btest-diff output
