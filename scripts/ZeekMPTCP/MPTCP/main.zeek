##! MPTCP logs: ``mptcp.log`` (one row per subflow: which MPTCP connection it belongs
##! to, how it was linked, whether its join authenticated) and ``mptcp_conn.log``
##! (one row per MPTCP connection). Rows are written when the core releases the
##! subflow or connection, that is when their information is final. The connection
##! record gets ``c$mptcp``, and confirmed MPTCP subflows get ``mptcp`` in conn.log's
##! service field.

module MPTCP;

export {
	redef enum Log::ID += { LOG, CONN_LOG };

	## Log policy hooks (see :zeek:see:`Log::PolicyHook`).
	global log_policy: Log::PolicyHook;
	global log_policy_conn: Log::PolicyHook;

	# The log rows MPTCP::Info (mptcp.log) and MPTCP::ConnLogInfo (mptcp_conn.log) are
	# declared with the plugin's types (types.zeek): its events carry them.

	## The subflow's MPTCP state, for any script: the latest :zeek:see:`MPTCP::Link`
	## record of its events (the same type; extend ``Link``, not this name).
	type State: Link;

	global log_mptcp: event(rec: Info);
	global log_mptcp_conn: event(rec: ConnLogInfo);
}

redef record connection += {
	## MPTCP state of this subflow: set when the subflow is linked to its MPTCP
	## connection (:zeek:see:`mptcp_subflow_linked`) or falls back to TCP.
	mptcp: MPTCP::State &optional;
};

event zeek_init() &priority=5
	{
	Log::create_stream(MPTCP::LOG, [$columns=Info, $ev=log_mptcp, $path="mptcp", $policy=log_policy]);
	Log::create_stream(MPTCP::CONN_LOG, [$columns=ConnLogInfo, $ev=log_mptcp_conn, $path="mptcp_conn",
	                                     $policy=log_policy_conn]);
	}

# Each link event's record is the subflow's whole state (see MPTCP::Link): kept as it
# comes, no merging field by field (~8,400 instructions per MPTCP connection less in
# Zeek's interpreter, measured on bench's short-mptcp-spread.pcap). Every established
# subflow is linked too, on the same packet (initial subflow) or later (a join: at its
# third ACK, or when it ends, before Zeek's connection_state_remove), so the package
# handles mptcp_subflow_linked only: mptcp_subflow_established is then not raised
# unless another script handles it (~6,900 instructions per MPTCP connection less, same
# trace).
event mptcp_subflow_linked(c: connection, info: Link) &priority=5
	{
	c$mptcp = info;
	if ( info$established )
		add c$service["mptcp"];
	}

event mptcp_fallback(c: connection, info: Link, reason: string) &priority=5
	{
	c$mptcp = info;
	}

# The events' records are the log rows: written as they come, no copy. Their uids are
# set by the plugin (a subflow's when it is the event's connection; an MPTCP
# connection's, its initial subflow's, when that subflow's link was seen).
event mptcp_subflow_done(c: connection, info: Info) &priority=5
	{
	Log::write(MPTCP::LOG, info);
	}

event mptcp_connection_closed(c: connection, info: ConnLogInfo) &priority=5
	{
	Log::write(MPTCP::CONN_LOG, info);
	}
