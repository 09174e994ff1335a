# @TEST-DOC: Log::Policy hooks work on the MPTCP logs: here joins only in mptcp.log, and no mptcp_conn.log rows.
# @TEST-EXEC: zeek -C -r $TRACES/v1-multi-subflow.pcap %INPUT
# @TEST-EXEC: zeek-cut id.orig_p initial linked_by join_auth < mptcp.log > joins
# @TEST-EXEC: btest-diff joins
# @TEST-EXEC: test ! -f mptcp_conn.log

@load ZeekMPTCP/MPTCP

hook MPTCP::log_policy(rec: MPTCP::Info, id: Log::ID, filter: Log::Filter)
	{
	if ( rec$initial )
		break;
	}

hook MPTCP::log_policy_conn(rec: MPTCP::ConnLogInfo, id: Log::ID, filter: Log::Filter)
	{
	break;
	}
