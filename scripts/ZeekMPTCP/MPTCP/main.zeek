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

	## The subflow's MPTCP state, for any script.
	type State: record {
		mptcp_id: count &optional;
		initial: bool &default=F;
		established: bool &default=F;
		linked_by: string &optional;
		join_auth: string &optional;
		fallback: string &optional;
	};

	global log_mptcp: event(rec: Info);
	global log_mptcp_conn: event(rec: ConnLogInfo);
}

redef record connection += {
	## MPTCP state of this subflow (set once it carried an MPTCP handshake).
	mptcp: MPTCP::State &optional;
};

event zeek_init() &priority=5
	{
	Log::create_stream(MPTCP::LOG, [$columns=Info, $ev=log_mptcp, $path="mptcp", $policy=log_policy]);
	Log::create_stream(MPTCP::CONN_LOG, [$columns=ConnLogInfo, $ev=log_mptcp_conn, $path="mptcp_conn",
	                                     $policy=log_policy_conn]);
	}

event mptcp_subflow_established(c: connection, info: Link) &priority=5
	{
	if ( ! c?$mptcp )
		c$mptcp = State();
	local s = c$mptcp;
	s$established = T;
	s$initial = info$initial;
	if ( info?$mptcp_id )
		s$mptcp_id = info$mptcp_id;
	add c$service["mptcp"];
	}

event mptcp_subflow_linked(c: connection, info: Link) &priority=5
	{
	if ( ! c?$mptcp )
		c$mptcp = State();
	local s = c$mptcp;
	s$initial = info$initial;
	if ( info?$mptcp_id )
		s$mptcp_id = info$mptcp_id;
	if ( info?$linked_by )
		s$linked_by = info$linked_by;
	if ( info?$join_auth )
		s$join_auth = info$join_auth;
	}

event mptcp_fallback(c: connection, info: Link, reason: string) &priority=5
	{
	if ( ! c?$mptcp )
		c$mptcp = State();
	c$mptcp$fallback = reason;
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
