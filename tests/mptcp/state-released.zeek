# @TEST-DOC: After a trace, the core holds no subflow or connection and the plugin holds no initial-subflow uid. A handshake answered without MPTCP (fallback.pcap) is detached from the core after its SYN/ACK: few packets reach it. A plain TCP connection (plain-tcp.pcap: 40 packets, one connection) is given no tap at all: its first packet, a SYN without MPTCP, decides.
# @TEST-EXEC: zeek -C -r $TRACES/many-conns.pcap %INPUT > output
# @TEST-EXEC: zeek -C -r $TRACES/bad-options.pcap %INPUT >> output
# @TEST-EXEC: zeek -C -r $TRACES/join-flood-invalid-token.pcap %INPUT >> output
# @TEST-EXEC: zeek -C -r $TRACES/fallback.pcap %INPUT >> output
# @TEST-EXEC: zeek -C -r $TRACES/extra/plain-tcp.pcap %INPUT >> output
# @TEST-EXEC: btest-diff output

@load ZeekMPTCP/MPTCP

# The uids held while connections are open (so that the 0 at the end means released).
global most_held = 0;

event mptcp_subflow_established(c: connection, info: MPTCP::Link)
	{
	local n = MPTCP::plugin_stats()$initial_uids_held;
	if ( n > most_held )
		most_held = n;
	}

event zeek_done() &priority=-10
	{
	local s = MPTCP::plugin_stats();
	print fmt("initial uids held at most %d", most_held);
	print fmt("live subflows %d, live connections %d, initial uids held %d", s$live_subflows, s$live_connections, s$initial_uids_held);
	print fmt("subflows %d, connections %d, taps attached %d, detached %d, packets to the core %d, connections without a tap %d", s$subflows, s$connections, s$taps_attached, s$taps_detached, s$packets, s$conns_without_tap);
	}
