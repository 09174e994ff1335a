# @TEST-DOC: Plain TCP connections get nothing attached: the core gives each up at its first packet, a SYN without MPTCP, read where Zeek sets up the connection's analyzer tree. plain-tcp-short.pcap: five HTTP requests over plain TCP, one after the other (10 packets each); plain-tcp-scan.pcap: SYNs to ten closed ports, each answered by RST; plain-ipv6.pcap: v1-ipv6.pcap's two connections without their MPTCP options (checksums recomputed), over IPv6. No tap is attached, no packet reaches the core, no MPTCP log is written. plain-tcp-short-badsum.pcap (traces/extra/bad-syn-first.py): each SYN is preceded by a twin with a wrong checksum, which Zeek skips: the twin's connection gets a tap (its first packet decides nothing), which no packet reaches; Zeek starts a new connection at the real SYN (active_connection_reuse), which gets none.
# @TEST-EXEC: zeek -r $TRACES/extra/plain-tcp-short.pcap %INPUT > output
# @TEST-EXEC: zeek -r $TRACES/extra/plain-tcp-scan.pcap %INPUT >> output
# @TEST-EXEC: zeek -r $TRACES/extra/plain-tcp-short-badsum.pcap %INPUT >> output
# @TEST-EXEC: zeek -r $TRACES/extra/plain-ipv6.pcap %INPUT >> output
# @TEST-EXEC: test ! -e mptcp.log && test ! -e mptcp_conn.log
# @TEST-EXEC: btest-diff output

@load ZeekMPTCP/MPTCP

event zeek_done() &priority=-10
	{
	local s = MPTCP::plugin_stats();
	print fmt("subflows %d, connections without a tap %d, taps attached %d, packets to the core %d, all but the last detached: %s", s$subflows, s$conns_without_tap, s$taps_attached, s$packets, s$taps_detached + 1 >= s$taps_attached);
	}
