# @TEST-DOC: Confirmed MPTCP subflows show mptcp in conn.log's service field; c$mptcp holds the subflow's state.
# @TEST-EXEC: zeek -C -r $TRACES/v1-multi-subflow.pcap %INPUT > output
# @TEST-EXEC: zeek-cut id.orig_h id.orig_p id.resp_h id.resp_p service < conn.log > services
# @TEST-EXEC: btest-diff output
# @TEST-EXEC: btest-diff services

@load ZeekMPTCP/MPTCP

event connection_state_remove(c: connection)
	{
	if ( c?$mptcp )
		print c$id$orig_p, c$mptcp;
	}
