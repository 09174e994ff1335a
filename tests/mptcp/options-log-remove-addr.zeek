# @TEST-DOC: The per-option log writes a REMOVE_ADDR option once, however many ids it lists, an id listed twice included (the plugin raises one mptcp_remove_addr per listed id, one after another). Found by comparing Zeek's mptcp_options.log with the offline runner's on mutated traces: an option listing id 0 three times was logged three times. The events here are raised by the test itself, for the first connection of v1-remove-addr.pcap.
# @TEST-EXEC: zeek -r $TRACES/v1-remove-addr.pcap ZeekMPTCP/MPTCP ZeekMPTCP/MPTCP/options-log %INPUT
# @TEST-EXEC: zeek-cut subtype len addr_ids < mptcp_options.log | grep -c 'REMOVE_ADDR.*3,5,3' > output
# @TEST-EXEC: zeek-cut subtype len addr_ids < mptcp_options.log | grep 'REMOVE_ADDR' | sort | uniq -c >> output
# @TEST-EXEC: btest-diff output

global raised = F;

event new_connection(c: connection)
	{
	if ( raised )
		return;
	raised = T;
	local opt = MPTCP::Option($subtype="REMOVE_ADDR", $len=6, $addr_ids=vector(3, 5, 3));
	for ( i in opt$addr_ids )
		event mptcp_remove_addr(c, T, opt, opt$addr_ids[i]);
	}
