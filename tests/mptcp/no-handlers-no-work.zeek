# @TEST-DOC: With no mptcp_* handler (package not loaded), the plugin attaches no tap and hands no packet to the core.
# @TEST-EXEC: zeek -C -r $TRACES/v1-join-v4.pcap %INPUT > output
# @TEST-EXEC: btest-diff output

event zeek_done()
	{
	print MPTCP::plugin_stats();
	}
