# @TEST-DOC: Plain TCP connections leave the per-packet path after their SYN, without a timer each. plain-tcp-short.pcap: five HTTP requests over plain TCP, one after the other (10 packets each): only the five SYNs reach the core; each tap is removed when the next connection's analyzer tree is set up (Zeek 8.1+; on 8.0 the child analyzer skips the rest of its connection), except the last, whose connection ends before 32 more packets would ask for a timer. plain-tcp-scan.pcap: SYNs to ten closed ports, each answered by RST: ten SYNs reach the core, nine taps are removed at the next connection (on 8.1+ the last connection ends first; on 8.0 its child analyzer skips at once, so ten count). No MPTCP log is written.
# @TEST-EXEC: zeek -r $TRACES/extra/plain-tcp-short.pcap %INPUT > output
# @TEST-EXEC: zeek -r $TRACES/extra/plain-tcp-scan.pcap %INPUT >> output
# @TEST-EXEC: test ! -e mptcp.log && test ! -e mptcp_conn.log
# @TEST-EXEC: btest-diff output

@load ZeekMPTCP/MPTCP

event zeek_done() &priority=-10
	{
	local s = MPTCP::plugin_stats();
	print fmt("subflows %d, taps attached %d, packets to the core %d, all but the last detached: %s", s$subflows, s$taps_attached, s$packets, s$taps_detached + 1 >= s$taps_attached);
	}
