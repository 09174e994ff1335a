# @TEST-DOC: Join floods in a cluster (threshold 10, cluster-node.zeek): one worker sees the crafted flood traces' MPTCP handshake, the other their joins, 5,001 with the connection's token and 5,000 with unknown tokens (30 s later). The joins worker raises no flood of its own (its core could not link any join: counted per receiver they would be one); the proxy counts the joins it links per connection and those it decides unknown (on arrival here: MPTCP_MAX_HELD=0) per receiver, and the manager logs the same two Join_Flood notices, time included, as one process reading the same packets.
# @TEST-REQUIRES: which mergecap
# @TEST-PORT: MPTCP_MANAGER_PORT
# @TEST-PORT: MPTCP_PROXY1_PORT
# @TEST-PORT: MPTCP_WORKER1_PORT
# @TEST-PORT: MPTCP_WORKER2_PORT
#
# @TEST-EXEC: bash %INPUT
# @TEST-EXEC: btest-bg-run manager "cp $SCRIPTS/cluster-layout.zeek . && MPTCP_PROXIES=1 CLUSTER_NODE=manager zeek $SCRIPTS/cluster-node.zeek"
# @TEST-EXEC: btest-bg-run proxy-1 "cp $SCRIPTS/cluster-layout.zeek . && MPTCP_WORKERS=2 MPTCP_PROXY_LINGER=2 MPTCP_MAX_HELD=0 MPTCP_LINGER=3600 CLUSTER_NODE=proxy-1 zeek $SCRIPTS/cluster-node.zeek"
# @TEST-EXEC: btest-bg-run worker-1 "cp $SCRIPTS/cluster-layout.zeek . && MPTCP_WAIT_START='manager proxy-1' MPTCP_WAIT_END='proxy-1' CLUSTER_NODE=worker-1 zeek -C -r ../initial.pcap $SCRIPTS/cluster-node.zeek"
# @TEST-EXEC: wait-for-file worker-1/pcap-done
# @TEST-EXEC: btest-bg-run worker-2 "cp $SCRIPTS/cluster-layout.zeek . && MPTCP_WAIT_START='manager proxy-1' CLUSTER_NODE=worker-2 zeek -C -r ../joins.pcap $SCRIPTS/cluster-node.zeek"
# @TEST-EXEC: btest-bg-wait 120
# @TEST-EXEC: zeek-cut ts note msg sub n < manager/notice.log | grep Join_Flood | sort > floods
# @TEST-EXEC: zeek-cut ts note msg sub n < reference/notice.log | grep Join_Flood | sort > floods-one-process
# @TEST-EXEC: cmp floods floods-one-process
# @TEST-EXEC: sed -E "s/.*(joins_linked=[0-9]+).*(joins_unknown=[0-9]+).*/proxy: \1 \2/" proxy-1/.stdout >> floods
# @TEST-EXEC: btest-diff floods

set -e
base="host 10.234.1.1 and host 10.234.1.2 and port 50300 and port 80"
tcpdump -r $TRACES/join-flood-valid-token.pcap -w initial.pcap "tcp and $base" 2>/dev/null
tcpdump -r $TRACES/join-flood-valid-token.pcap -w valid-joins.pcap "tcp and not ($base)" 2>/dev/null
# The invalid-token trace has the same base connection and first join: only its floods.
tcpdump -r $TRACES/join-flood-invalid-token.pcap -w invalid-joins.pcap \
    "tcp and not ($base) and not (host 10.234.2.1 and port 50301)" 2>/dev/null
editcap -F pcap -t 30 invalid-joins.pcap invalid-later.pcap
mergecap -F pcap -w joins.pcap valid-joins.pcap invalid-later.pcap
mergecap -F pcap -w all.pcap initial.pcap joins.pcap
mkdir -p reference
(cd reference && zeek -C -r ../all.pcap ZeekMPTCP/MPTCP MPTCP::join_flood_threshold=10 2>/dev/null)
