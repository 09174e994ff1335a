# Node script of the cluster btests. Environment:
#   MPTCP_WAIT_START  nodes a worker waits for (suspend_processing) before reading its pcap
#   MPTCP_WAIT_END    nodes a worker waits for, after its pcap, before it terminates (its
#                     open connections are flushed then, as in a single process)
#   MPTCP_WORKERS     workers a proxy waits to see leave before it ends ...
#   MPTCP_PROXY_LINGER ... this many seconds later
#   MPTCP_PROXIES     proxies the manager (logger) waits to see leave before it ends
#   MPTCP_HOLD        MPTCP::cluster_join_hold, seconds (default 10)
#   MPTCP_LINGER      MPTCP::cluster_conn_linger, seconds (default 2)
#   MPTCP_MAX_HELD    MPTCP::cluster_max_held_joins (0: a join of an unknown token is
#                     decided unknown on arrival, in the order the joins came)
# Each node touches up-<name> for every peer it sees come up, and workers touch
# pcap-done when their pcap is read: the tests sequence nodes with them.
@load ZeekMPTCP/MPTCP

# MPTCP_BACKEND=zeromq: the ZeroMQ backend; the manager runs its XPUB/XSUB proxy on
# MPTCP_XPUB_PORT / MPTCP_XSUB_PORT (MPTCP_MANAGER_PORT is then its log pull port).
@if ( getenv("MPTCP_BACKEND") == "zeromq" )
@load frameworks/cluster/backend/zeromq
redef Cluster::Backend::ZeroMQ::listen_xpub_endpoint = fmt("tcp://127.0.0.1:%d", port_to_count(to_port(getenv("MPTCP_XPUB_PORT"))));
redef Cluster::Backend::ZeroMQ::listen_xsub_endpoint = fmt("tcp://127.0.0.1:%d", port_to_count(to_port(getenv("MPTCP_XSUB_PORT"))));
redef Cluster::Backend::ZeroMQ::connect_xpub_endpoint = fmt("tcp://127.0.0.1:%d", port_to_count(to_port(getenv("MPTCP_XSUB_PORT"))));
redef Cluster::Backend::ZeroMQ::connect_xsub_endpoint = fmt("tcp://127.0.0.1:%d", port_to_count(to_port(getenv("MPTCP_XPUB_PORT"))));
@endif

redef Log::default_rotation_interval = 0secs;
redef exit_only_after_terminate = T;
redef MPTCP::cluster_conn_linger = double_to_interval(to_double(getenv("MPTCP_LINGER") == "" ? "2" : getenv("MPTCP_LINGER")));
redef MPTCP::cluster_join_hold = double_to_interval(to_double(getenv("MPTCP_HOLD") == "" ? "10" : getenv("MPTCP_HOLD")));
# A low join-flood threshold (the reference run of cluster-inputs uses the same): the 50
# joins to one server of many-conns.pcap, one per connection, are no flood, and counted
# per receiver on the worker that could not link them (their handshakes are on the
# other), they would be one.
redef MPTCP::join_flood_threshold = 10;
@if ( getenv("MPTCP_MAX_HELD") != "" )
redef MPTCP::cluster_max_held_joins = to_count(getenv("MPTCP_MAX_HELD"));
@endif

function names(v: string): set[string]
	{
	local s: set[string] = set();
	for ( _, p in split_string(v, / /) )
		if ( p != "" )
			add s[p];
	return s;
	}

event Cluster::node_up(name: string, id: string) &priority=-20
	{
	system(fmt("touch up-%s", name));
	}

@if ( Cluster::local_node_type() == Cluster::WORKER )
global wait_start: set[string];
global wait_end: set[string];
global pcap_done = F;

event zeek_init()
	{
	suspend_processing();
	wait_start = names(getenv("MPTCP_WAIT_START"));
	wait_end = names(getenv("MPTCP_WAIT_END"));
	if ( |wait_start| == 0 )
		continue_processing();
	}

event Cluster::node_up(name: string, id: string) &priority=-20
	{
	if ( name in wait_start )
		{
		delete wait_start[name];
		if ( |wait_start| == 0 )
			continue_processing();
		}
	delete wait_end[name];
	if ( pcap_done && |wait_end| == 0 )
		terminate();
	}

event Pcap::file_done(path: string)
	{
	pcap_done = T;
	system("touch pcap-done");
	if ( |wait_end| == 0 )
		terminate();
	}

event zeek_done()
	{
	print "stats", MPTCP::cluster_stats();
	}
@endif

@if ( Cluster::local_node_type() == Cluster::PROXY )
global workers_gone = 0;
global terminate_me: event();

event terminate_me() { terminate(); }

event Cluster::node_down(name: string, id: string)
	{
	if ( /worker/ in name && ++workers_gone == to_count(getenv("MPTCP_WORKERS")) )
		schedule double_to_interval(to_double(getenv("MPTCP_PROXY_LINGER"))) { terminate_me() };
	}

event zeek_done()
	{
	print "stats", MPTCP::cluster_stats();
	}
@endif

@if ( Cluster::local_node_type() == Cluster::MANAGER )
global proxies_gone = 0;

event Cluster::node_down(name: string, id: string)
	{
	if ( /proxy/ in name && ++proxies_gone == to_count(getenv("MPTCP_PROXIES")) )
		terminate();
	}
@endif
