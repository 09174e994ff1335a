# @TEST-DOC: The event records are the log rows: a column added to MPTCP::Info / MPTCP::ConnLogInfo and filled in mptcp_subflow_done / mptcp_connection_closed (priority above the package's 5) is logged; the subflow's uid is the connection's.
# @TEST-EXEC: zeek -C -r $TRACES/v1-join-v4.pcap %INPUT > output
# @TEST-EXEC: zeek-cut uid id.orig_p initial auth_note < mptcp.log > subflows
# @TEST-EXEC: zeek-cut uid mptcp_id subflow_note < mptcp_conn.log > conns
# @TEST-EXEC: zeek-cut uid id.orig_p < conn.log | sort > conn-uids
# @TEST-EXEC: btest-diff subflows
# @TEST-EXEC: btest-diff conns
# @TEST-EXEC: btest-diff conn-uids
# @TEST-EXEC: btest-diff output

@load ZeekMPTCP/MPTCP

redef record MPTCP::Info += {
	auth_note: string &log &optional;
};

redef record MPTCP::ConnLogInfo += {
	subflow_note: string &log &optional;
};

event mptcp_subflow_done(c: connection, info: MPTCP::SubflowInfo) &priority=10
	{
	info$auth_note = info?$join_auth ? "join " + info$join_auth : "initial";
	# The uid is the event connection's before the package writes the row.
	print "subflow_done", info$uid == c$uid;
	}

event mptcp_connection_closed(c: connection, info: MPTCP::ConnInfo) &priority=10
	{
	info$subflow_note = fmt("%d of %d established", info$subflows_established, info$subflows_attempted);
	}
