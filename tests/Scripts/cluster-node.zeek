# Node script of the cluster btests. Workers wait (suspend_processing) until every
# proxy named in MPTCP_WAIT_PROXIES is up, read their pcap (-r), then terminate; the
# connections still open are flushed then, as in a single process. Proxies end a while
# after every worker is gone (time for held joins and connection rows); the manager
# (logger) ends when the proxies are gone.
@load ZeekMPTCP/MPTCP

redef Log::default_rotation_interval = 0secs;
redef exit_only_after_terminate = T;
redef MPTCP::cluster_conn_linger = 1 sec;

global workers_gone = 0;
global proxies_gone = 0;


@if ( Cluster::local_node_type() == Cluster::WORKER )
global wait_for: set[string];

event zeek_init()
	{
	suspend_processing();
	for ( _, p in split_string(getenv("MPTCP_WAIT_PROXIES"), / /) )
		if ( p != "" )
			add wait_for[p];
	if ( |wait_for| == 0 )
		continue_processing();
	}

event Cluster::node_up(name: string, id: string)
	{
	if ( name !in wait_for )
		return;
	delete wait_for[name];
	if ( |wait_for| == 0 )
		continue_processing();
	}

event Pcap::file_done(path: string)
	{
	terminate();
	}

event zeek_done()
	{
	print "stats", MPTCP::cluster_stats();
	}
@endif

@if ( Cluster::local_node_type() == Cluster::PROXY )
global terminate_me: event();

event terminate_me() { terminate(); }

event Cluster::node_down(name: string, id: string)
	{
	if ( /worker/ !in name )
		return;
	if ( ++workers_gone == to_count(getenv("MPTCP_WORKERS")) )
		schedule double_to_interval(to_double(getenv("MPTCP_PROXY_LINGER"))) { terminate_me() };
	}

event zeek_done()
	{
	print "stats", MPTCP::cluster_stats();
	}
@endif

@if ( Cluster::local_node_type() == Cluster::MANAGER )
event Cluster::node_down(name: string, id: string)
	{
	if ( /proxy/ in name && ++proxies_gone == to_count(getenv("MPTCP_PROXIES")) )
		terminate();
	}
@endif
