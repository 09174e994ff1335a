# A localhost cluster for the cluster btests: manager (also the logger), proxies and
# workers; a node exists when its port variable (@TEST-PORT) is set. Backend: Broker, or
# ZeroMQ when MPTCP_BACKEND=zeromq (set up by cluster-node.zeek).
# (Zeek 8.0 has Broker built in and no frameworks/cluster/backend/broker script.)
@if ( getenv("MPTCP_BACKEND") != "zeromq" && /^8\.0\./ !in zeek_version() )
@load frameworks/cluster/backend/broker
@endif

redef Cluster::manager_is_logger = T;

redef Cluster::nodes = {
	["manager"] = [$node_type=Cluster::MANAGER, $ip=127.0.0.1, $p=to_port(getenv("MPTCP_MANAGER_PORT"))],
};

@if ( getenv("MPTCP_PROXY1_PORT") != "" )
redef Cluster::nodes += { ["proxy-1"] = [$node_type=Cluster::PROXY, $ip=127.0.0.1, $p=to_port(getenv("MPTCP_PROXY1_PORT")), $manager="manager"] };
@endif
@if ( getenv("MPTCP_PROXY2_PORT") != "" )
redef Cluster::nodes += { ["proxy-2"] = [$node_type=Cluster::PROXY, $ip=127.0.0.1, $p=to_port(getenv("MPTCP_PROXY2_PORT")), $manager="manager"] };
@endif
@if ( getenv("MPTCP_WORKER1_PORT") != "" )
redef Cluster::nodes += { ["worker-1"] = [$node_type=Cluster::WORKER, $ip=127.0.0.1, $p=to_port(getenv("MPTCP_WORKER1_PORT")), $manager="manager"] };
@endif
@if ( getenv("MPTCP_WORKER2_PORT") != "" )
redef Cluster::nodes += { ["worker-2"] = [$node_type=Cluster::WORKER, $ip=127.0.0.1, $p=to_port(getenv("MPTCP_WORKER2_PORT")), $manager="manager"] };
@endif
