##! Types and tunables of the MPTCP plugin, loaded before its BiFs (they use them).

module MPTCP;

export {
	## One MPTCP option, as the per-option events carry it. Fields the option does
	## not carry are absent. The same fields, in the same order, are the columns of
	## ``mptcp_options.log`` (with *address* and *port_num* written as ``addr`` and
	## ``port``: Zeek reserves those names).
	type Option: record {
		## MP_CAPABLE, MP_JOIN, DSS, ADD_ADDR, REMOVE_ADDR, MP_PRIO, MP_FAIL,
		## MP_FASTCLOSE, MP_TCPRST, MP_EXPERIMENTAL, or UNKNOWN.
		subtype: string &log;
		## The option's length byte.
		len: count &log;
		## MP_CAPABLE: the version; ADD_ADDR: the layout decoded (0 or 1).
		version: count &log &optional;
		## MP_CAPABLE and DSS: the flags byte; MP_JOIN, ADD_ADDR, MP_PRIO, MP_TCPRST,
		## MP_EXPERIMENTAL: the low nibble of the third byte.
		flags: count &log &optional;
		## MP_CAPABLE: the sender's key.
		sender_key: count &log &optional;
		## MP_CAPABLE: the receiver's key; MP_FASTCLOSE: the key it carries.
		receiver_key: count &log &optional;
		## MP_JOIN SYN: the receiver's token.
		token: count &log &optional;
		## MP_JOIN SYN and SYN/ACK: the sender's random number.
		nonce: count &log &optional;
		## MP_JOIN SYN/ACK (16 hex digits), third ACK (40), v1 ADD_ADDR (16).
		hmac: string &log &optional;
		## MP_JOIN SYN/SYN-ACK, ADD_ADDR, MP_PRIO (length 4): the address id.
		addr_id: count &log &optional;
		## ADD_ADDR: the address.
		address: addr &log &optional;
		## ADD_ADDR: the port, when the option carries one.
		port_num: port &log &optional;
		## ADD_ADDR v1: the echo flag.
		echo: bool &log &optional;
		## MP_JOIN SYN, SYN/ACK and MP_PRIO: the backup flag.
		backup: bool &log &optional;
		## DSS: the data ACK (4 or 8 bytes, as carried).
		data_ack: count &log &optional;
		## DSS: the data sequence number; MP_FAIL: the DSN that failed.
		dsn: count &log &optional;
		## DSS: the subflow sequence number.
		ssn: count &log &optional;
		## DSS and MP_CAPABLE (22, 24): the data-level length.
		dll: count &log &optional;
		## DSS and MP_CAPABLE (24): the checksum.
		checksum: count &log &optional;
		## DSS: the DATA_FIN flag.
		data_fin: bool &log &optional;
		## REMOVE_ADDR: the address ids.
		addr_ids: vector of count &log &optional;
		## MP_TCPRST: the reason.
		reason: count &log &optional;
		## Why the option is malformed (``mptcp_option_error`` only).
		error: string &log &optional;
	};

	## A subflow's link to its MPTCP connection: the subflow's whole MPTCP state as
	## it is when :zeek:see:`mptcp_subflow_established`, :zeek:see:`mptcp_subflow_linked`
	## or :zeek:see:`mptcp_fallback` is raised, so the latest of these records is the
	## subflow's state (the package keeps it as ``c$mptcp``, type
	## :zeek:see:`MPTCP::State`, the same type).
	type Link: record {
		## The MPTCP connection number, the same for all its subflows.
		mptcp_id: count &optional;
		## True for the MP_CAPABLE subflow.
		initial: bool &default=F;
		## Its handshake (MP_CAPABLE, or MP_JOIN's SYN/ACK) was seen to complete.
		established: bool &default=F;
		## initial, token, address or none; set from :zeek:see:`mptcp_subflow_linked`
		## on.
		linked_by: string &optional;
		## verified, failed or unverifiable (joins only); set with ``linked_by``.
		join_auth: string &optional;
		## Why the subflow fell back to plain TCP (handshake, infinite_mapping,
		## mp_fail, checksum_missing, no_mapping), if it did.
		fallback: string &optional;
	};

	## What the DSS options of a subflow without an MPTCP connection said
	## (``Info$dss``): a join whose connection this Zeek never saw, in a cluster
	## another worker's. The node that knows the connection folds them into its facts.
	type DssFacts: record {
		## Time of the last packet with a DSS option.
		last_ts: time;
		## A DATA_FIN was sent by the subflow's originator / responder.
		fin_orig: bool;
		fin_resp: bool;
		## Highest 64-bit data ACK sent by the originator / responder (32-bit ones are
		## not kept: they cannot be compared across subflows).
		ack_orig: count &optional;
		ack_resp: count &optional;
		## First infinite mapping (data-level length 0).
		inf_ts: time &optional;
		## First mapping without a DSS checksum (a fallback if the connection's
		## handshake asked for checksums).
		nocsum_ts: time &optional;
	};

	## The facts an MPTCP connection's ``close_reason`` and byte counts are worked out
	## from (``ConnLogInfo$facts``), by side: a is the MPTCP client, b the server. A node
	## that learns of more subflows (a cluster's proxy) works them out again.
	type ConnFacts: record {
		## Side a / b sent a DATA_FIN.
		fin_a: bool;
		fin_b: bool;
		## Highest 64-bit data ACK side a / b sent.
		ack_a: count &optional;
		ack_b: count &optional;
		## Subflows that ended with a reset.
		resets: count;
		## MP_FASTCLOSE, MP_TCPRST, a fallback to TCP after the handshake seen.
		fastclose: bool;
		tcprst: bool;
		fallback: bool;
	};

	## One subflow (TCP connection that carried MP_CAPABLE, MP_JOIN or other MPTCP
	## options): its ``mptcp.log`` row, which is also the record ``mptcp_subflow_done``
	## carries (the package writes it as it comes). The offline runner ``mptcp-pcap``
	## writes the same rows. A script that adds columns
	## (``redef record MPTCP::Info += { ... }``) can fill them in a handler of
	## ``mptcp_subflow_done`` with a priority above 5.
	type Info: record {
		## First packet of the subflow.
		ts: time &log;
		## The subflow's connection uid: set when the subflow is the event's
		## connection, unset when the core released it for a cap during another
		## connection's packet.
		uid: string &log &optional;
		## The subflow's endpoints.
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
		## Only for a subflow no MPTCP connection claimed that carried a DSS option
		## (not logged).
		dss: DssFacts &optional;
	};

	## One MPTCP connection: its ``mptcp_conn.log`` row, which is also the record
	## ``mptcp_connection_closed`` carries (the package writes it as it comes).
	## Columns added with ``redef record MPTCP::ConnLogInfo += { ... }`` can be
	## filled in a handler with a priority above 5.
	type ConnLogInfo: record {
		## First packet of the initial subflow.
		ts: time &log;
		## The initial subflow's uid: set by the plugin, which takes it when the
		## initial subflow is linked (unset if that was not seen).
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
		## Data-level reassembly: bytes seen more than once (reinjected or
		## retransmitted copies), both directions.
		dup_bytes: count &log &optional;
		## What close_reason and the byte counts were worked out from (not logged;
		## always set in ``mptcp_connection_closed``).
		facts: ConnFacts &optional;
	};

	## The name ``mptcp_subflow_done``'s record had before it became the log row:
	## the same type. Extend :zeek:see:`MPTCP::Info`, not this name (Zeek does not
	## carry a redef of an alias back to its type).
	type SubflowInfo: Info;

	## The name ``mptcp_connection_closed``'s record had before it became the log
	## row: the same type. Extend :zeek:see:`MPTCP::ConnLogInfo`, not this name.
	type ConnInfo: ConnLogInfo;

	## What a finding reports; the notice is made from it.
	type Finding: record {
		mptcp_id: count &optional;
		msg: string;
		sub: string;
		src: addr &optional;
		dst: addr &optional;
		n: count &optional;
		## Suppression identifier (join floods).
		identifier: string &optional;
	};

	## Counters of MPTCP::plugin_stats().
	type PluginStats: record {
		taps_attached: count;
		taps_detached: count;
		packets: count;
		subflows: count;
		connections: count;
		live_subflows: count;
		live_connections: count;
		pending_evicted: count;
		connections_refused: count;
		subflows_refused: count;
		flood_receivers_dropped: count;
		options_malformed: count;
		## Reassembled data-level bytes handed to application analyzers.
		stream_bytes: count;
		## Reassembled bytes dropped because the initial subflow's connection was
		## already gone from Zeek (its analyzers with it).
		stream_orphan_bytes: count;
		## TCP connections given no tap (nor child analyzer, on Zeek 8.0): their
		## first packet was a SYN or SYN/ACK without MPTCP, whose checksum verified.
		conns_without_tap: count;
		## MPTCP connections not yet closed whose initial subflow's uid the plugin
		## holds for :zeek:see:`mptcp_connection_closed` (``ConnLogInfo$uid``).
		initial_uids_held: count;
	};

	## MP_JOIN SYNs within :zeek:see:`MPTCP::join_flood_interval` that make a join
	## flood, counted apart: with a valid token, per MPTCP connection; with a token that
	## matches no connection, per receiver address. Thesis: 1000.
	const join_flood_threshold = 1000 &redef;
	## The join-flood interval.
	const join_flood_interval = 10 secs &redef;
	## MPTCP::Unknown_Join is raised once per receiver address per this interval.
	const unknown_join_interval = 10 secs &redef;
	## Hard cap on MPTCP connections tracked at once (new ones beyond are refused and
	## counted in :zeek:see:`MPTCP::plugin_stats`).
	const max_connections = 1000000 &redef;
	## Hard cap on subflows tracked at once.
	const max_subflows = 2000000 &redef;
	## Hard cap on subflows whose handshake is incomplete; the oldest is evicted.
	const max_pending = 100000 &redef;
	## Hard cap on receiver addresses counting invalid-token joins for
	## MPTCP::Join_Flood (valid-token joins are counted in their connection's state).
	const max_flood_receivers = 100000 &redef;

	## Data-level reassembly: each MPTCP connection's bytes, in data-sequence order
	## from all its subflows, go through protocol detection and the application
	## analyzers as one stream of the initial subflow's connection (its uid), and
	## the subflows' own application analysis is silenced. Off in the plugin alone;
	## the package's scripts turn it on (``ZeekMPTCP/MPTCP/reassembly.zeek``);
	## ``redef MPTCP::reassemble = F;`` after loading the package turns it off.
	const reassemble = F &redef;
	## Bytes one MPTCP connection may hold out of order (both directions). Beyond
	## it the oldest hole is skipped (reported as ``mptcp_buffer_limit`` in
	## weird.log and :zeek:see:`mptcp_data_issue`) and delivery goes on.
	const reassembly_buffer = 16777216 &redef;
	## Delivered bytes remembered per direction, to compare later copies
	## (reinjections, retransmissions) with; older copies are counted, not compared.
	const reinject_window = 65536 &redef;
}
