# @TEST-DOC: MPTCP::Join_Flood counts MP_JOIN SYNs with a valid token per MPTCP connection and those with a token that matches no connection per receiver address. many-conns.pcap (kernel: 50 connections to one server within 3.7 s, each joined once) with the threshold lowered to 10 raises none (counted per receiver, as before, its 50 valid-token joins were a flood). Crafted: 5,001 joins with one connection's token raise one notice naming the connection and token; 5,000 unknown tokens one for the receiver.
# @TEST-EXEC: zeek -C -r $TRACES/many-conns.pcap %INPUT MPTCP::join_flood_threshold=10 > busy-server
# @TEST-EXEC: zeek -C -r $TRACES/join-flood-valid-token.pcap %INPUT > valid-token
# @TEST-EXEC: zeek -C -r $TRACES/join-flood-invalid-token.pcap %INPUT > invalid-token
# @TEST-EXEC: btest-diff busy-server
# @TEST-EXEC: btest-diff valid-token
# @TEST-EXEC: btest-diff invalid-token

@load ZeekMPTCP/MPTCP

global joins: table[string] of count &default=0;
global floods = 0;

event mptcp_subflow_linked(c: connection, info: MPTCP::Link)
	{
	if ( ! info$initial )
		++joins[info$linked_by];
	}

hook Notice::policy(n: Notice::Info)
	{
	if ( n$note != MPTCP::Join_Flood )
		return;
	++floods;
	print n$msg;
	print n$sub, n$dst, n$n, n$identifier;
	}

event zeek_done()
	{
	print fmt("joins linked by token %d, by none %d; join floods %d", joins["token"], joins["none"], floods);
	}
