# @TEST-DOC: After a trace, the core holds no subflow or connection and the scripts' tables are empty. A handshake answered without MPTCP (fallback.pcap) and a plain TCP connection (plain-tcp.pcap: 40 packets, one connection) are detached from the core after their SYN/ACK and SYN: few packets reach it.
# @TEST-EXEC: zeek -C -r $TRACES/many-conns.pcap %INPUT > output
# @TEST-EXEC: zeek -C -r $TRACES/bad-options.pcap %INPUT >> output
# @TEST-EXEC: zeek -C -r $TRACES/join-flood-invalid-token.pcap %INPUT >> output
# @TEST-EXEC: zeek -C -r $TRACES/fallback.pcap %INPUT >> output
# @TEST-EXEC: zeek -C -r $TRACES/extra/plain-tcp.pcap %INPUT >> output
# @TEST-EXEC: btest-diff output

@load ZeekMPTCP/MPTCP

event zeek_done() &priority=-10
	{
	local s = MPTCP::plugin_stats();
	print fmt("live subflows %d, live connections %d, script table entries %d", s$live_subflows, s$live_connections, MPTCP::script_state_size());
	print fmt("subflows %d, connections %d, taps attached %d, detached %d, packets to the core %d", s$subflows, s$connections, s$taps_attached, s$taps_detached, s$packets);
	}
