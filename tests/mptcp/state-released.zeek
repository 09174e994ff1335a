# @TEST-DOC: After a trace, the core holds no subflow or connection and the scripts' tables are empty. A handshake answered without MPTCP (fallback.pcap) is detached from the core after its SYN/ACK: few packets reach it. A plain TCP connection (plain-tcp.pcap: 40 packets, one connection) is given no tap at all: its first packet, a SYN without MPTCP, decides.
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
	print fmt("subflows %d, connections %d, taps attached %d, detached %d, packets to the core %d, connections without a tap %d", s$subflows, s$connections, s$taps_attached, s$taps_detached, s$packets, s$conns_without_tap);
	}
