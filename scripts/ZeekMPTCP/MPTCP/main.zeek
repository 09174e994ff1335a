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

	## One subflow (TCP connection that carried MP_CAPABLE, MP_JOIN or other MPTCP
	## options): ``mptcp.log``. The offline runner ``mptcp-pcap`` writes the same.
	type Info: record {
		## First packet of the subflow.
		ts: time &log;
		## The subflow's connection uid (unset when the core evicted it for a cap).
		uid: string &log &optional;
		id: conn_id &log;
		## The MPTCP connection number, the same for all its subflows (unset: not linked).
		mptcp_id: count &log &optional;
		## True for the MP_CAPABLE subflow (also when the peer answered without MPTCP).
		initial: bool &log;
		## MPTCP version (0: RFC 6824, 1: RFC 8684).
		version: count &log &optional;
		## Handshake completed with MPTCP (SYN/ACK carried MP_CAPABLE or MP_JOIN).
		established: bool &log;
		## initial, token, address (the thesis's method, where no handshake was seen) or none.
		linked_by: string &log;
		## Joins: verified, failed or unverifiable (keys or HMACs not seen).
		join_auth: string &log &optional;
		## Joins: the MP_JOIN token; initial subflow: the server's token.
		token: count &log &optional;
		## Joins: the joining host's address id.
		addr_id: count &log &optional;
		## Backup subflow (MP_JOIN B flag or last MP_PRIO).
		backup: bool &log;
		## Why the subflow fell back to TCP, if it did.
		fallback: string &log &optional;
		## MP_TCPRST reason code, if one was sent.
		tcprst_reason: count &log &optional;
		## An MP_FASTCLOSE was seen on the subflow.
		fastclose: bool &log;
		## The subflow ended with a TCP RST.
		reset: bool &log;
	};

	## One MPTCP connection: ``mptcp_conn.log``.
	type ConnLogInfo: record {
		## First packet of the initial subflow.
		ts: time &log;
		## The initial subflow's uid.
		uid: string &log &optional;
		## The initial subflow's endpoints.
		id: conn_id &log;
		mptcp_id: count &log;
		## From the first to the last MPTCP option seen.
		duration: interval &log;
		version: count &log;
		## DSS checksums negotiated.
		checksum: bool &log;
		## Tokens of the client (MPTCP initiator) and the server.
		orig_token: count &log &optional;
		resp_token: count &log &optional;
		subflows_attempted: count &log;
		subflows_established: count &log;
		## Addresses announced with ADD_ADDR (address, or address:port).
		addrs_advertised: vector of string &log;
		## Address ids removed with REMOVE_ADDR.
		addrs_removed: count &log;
		## data_fin, fastclose, tcprst, reset, fallback, timeout or evicted.
		close_reason: string &log;
		## Data-level bytes acknowledged per direction, when 64-bit data ACKs were seen.
		orig_bytes: count &log &optional;
		resp_bytes: count &log &optional;
		## Data-level reassembly: bytes never seen (holes), both directions.
		missed_bytes: count &log &optional;
		## Data-level reassembly: bytes seen more than once (reinjections, retransmissions).
		dup_bytes: count &log &optional;
	};

	## The subflow's MPTCP state, for any script.
	type State: record {
		mptcp_id: count &optional;
		initial: bool &default=F;
		established: bool &default=F;
		linked_by: string &optional;
		join_auth: string &optional;
		fallback: string &optional;
	};

	## Entries of the scripts' own MPTCP tables (the state-release test checks 0).
	global script_state_size: function(): count;

	global log_mptcp: event(rec: Info);
	global log_mptcp_conn: event(rec: ConnLogInfo);
}

redef record connection += {
	## MPTCP state of this subflow (set once it carried an MPTCP handshake).
	mptcp: MPTCP::State &optional;
};

# Initial subflow uid of each live MPTCP connection, for mptcp_conn.log.
global initial_uid: table[count] of string;

event zeek_init() &priority=5
	{
	Log::create_stream(MPTCP::LOG, [$columns=Info, $ev=log_mptcp, $path="mptcp", $policy=log_policy]);
	Log::create_stream(MPTCP::CONN_LOG, [$columns=ConnLogInfo, $ev=log_mptcp_conn, $path="mptcp_conn",
	                                     $policy=log_policy_conn]);
	}

function state(c: connection): State
	{
	if ( ! c?$mptcp )
		c$mptcp = State();
	return c$mptcp;
	}

event mptcp_subflow_established(c: connection, info: Link) &priority=5
	{
	local s = state(c);
	s$established = T;
	s$initial = info$initial;
	if ( info?$mptcp_id )
		s$mptcp_id = info$mptcp_id;
	add c$service["mptcp"];
	}

event mptcp_subflow_linked(c: connection, info: Link) &priority=5
	{
	local s = state(c);
	s$initial = info$initial;
	if ( info?$mptcp_id )
		s$mptcp_id = info$mptcp_id;
	if ( info?$linked_by )
		s$linked_by = info$linked_by;
	if ( info?$join_auth )
		s$join_auth = info$join_auth;
	if ( info$initial && info?$mptcp_id )
		initial_uid[info$mptcp_id] = c$uid;
	}

event mptcp_fallback(c: connection, info: Link, reason: string) &priority=5
	{
	state(c)$fallback = reason;
	}

event mptcp_subflow_done(c: connection, info: SubflowInfo) &priority=5
	{
	local rec = Info($ts=info$ts, $id=info$id, $initial=info$initial, $established=info$established,
	                 $linked_by=info$linked_by, $backup=info$backup, $fastclose=info$fastclose,
	                 $reset=info$reset);
	# A subflow evicted by a cap is reported during another connection's packet.
	if ( c$id$orig_h == info$id$orig_h && c$id$orig_p == info$id$orig_p &&
	     c$id$resp_h == info$id$resp_h && c$id$resp_p == info$id$resp_p )
		rec$uid = c$uid;
	if ( info?$mptcp_id ) rec$mptcp_id = info$mptcp_id;
	if ( info?$version ) rec$version = info$version;
	if ( info?$join_auth ) rec$join_auth = info$join_auth;
	if ( info?$token ) rec$token = info$token;
	if ( info?$addr_id ) rec$addr_id = info$addr_id;
	if ( info?$fallback ) rec$fallback = info$fallback;
	if ( info?$tcprst_reason ) rec$tcprst_reason = info$tcprst_reason;
	Log::write(MPTCP::LOG, rec);
	}

event mptcp_connection_closed(c: connection, info: ConnInfo) &priority=5
	{
	local rec = ConnLogInfo($ts=info$ts, $id=info$id, $mptcp_id=info$mptcp_id, $duration=info$duration,
	                        $version=info$version, $checksum=info$checksum,
	                        $subflows_attempted=info$subflows_attempted,
	                        $subflows_established=info$subflows_established,
	                        $addrs_advertised=info$addrs_advertised, $addrs_removed=info$addrs_removed,
	                        $close_reason=info$close_reason);
	if ( info$mptcp_id in initial_uid )
		{
		rec$uid = initial_uid[info$mptcp_id];
		delete initial_uid[info$mptcp_id];
		}
	if ( info?$orig_token ) rec$orig_token = info$orig_token;
	if ( info?$resp_token ) rec$resp_token = info$resp_token;
	if ( info?$orig_bytes ) rec$orig_bytes = info$orig_bytes;
	if ( info?$resp_bytes ) rec$resp_bytes = info$resp_bytes;
	if ( info?$missed_bytes ) rec$missed_bytes = info$missed_bytes;
	if ( info?$dup_bytes ) rec$dup_bytes = info$dup_bytes;
	Log::write(MPTCP::CONN_LOG, rec);
	}

function script_state_size(): count
	{
	return |initial_uid|;
	}
