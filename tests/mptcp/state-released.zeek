# @TEST-DOC: After a trace, the core holds no subflow or connection and the scripts' tables are empty; plain TCP connections were detached from the core.
# @TEST-EXEC: zeek -C -r $TRACES/many-conns.pcap -r $TRACES/bad-options.pcap %INPUT ZeekMPTCP/MPTCP > output
# @TEST-EXEC: btest-diff output

event zeek_done() &priority=-10
	{
	local s = MPTCP::plugin_stats();
	print fmt("live subflows %d, live connections %d, script table entries %d", s$live_subflows, s$live_connections, MPTCP::script_state_size());
	print fmt("subflows %d, connections %d, taps attached %d", s$subflows, s$connections, s$taps_attached);
	}
