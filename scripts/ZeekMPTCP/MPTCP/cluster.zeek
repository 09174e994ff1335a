##! MPTCP in a Zeek cluster: linking the subflows that land on different workers.
##!
##! A load balancer hashes each TCP 4-tuple to one worker, so the subflows of one MPTCP
##! connection land on different workers. The worker that sees the MP_CAPABLE handshake
##! links its initial subflow; a worker that sees only an MP_JOIN cannot (its core never
##! saw the keys). This script shares what linking needs through the proxy pool, keyed
##! by token, as Zeek's own known-hosts and software scripts share their state
##! (``Cluster::publish_hrw``):
##!
##! - the worker that sees a handshake publishes the keys, tokens, version and addresses
##!   (:zeek:see:`MPTCP::cluster_conn`) to the proxy owning each token;
##! - a worker whose core could not link a join publishes the join (token, nonces,
##!   HMACs: :zeek:see:`MPTCP::cluster_join`) to the proxy owning its token, and at the
##!   join's end its final facts (:zeek:see:`MPTCP::cluster_join_done`); it writes no
##!   row and raises no ``MPTCP::Unknown_Join`` for it;
##! - the worker of the handshake sends the connection's summary at its end
##!   (:zeek:see:`MPTCP::cluster_conn_closed`) instead of writing ``mptcp_conn.log``;
##! - the proxy links the join by token, checks its HMACs with
##!   :zeek:see:`MPTCP::join_hmac`, writes the join's ``mptcp.log`` row, raises
##!   ``Join_Auth_Failure`` or (once the hold expires) ``Unknown_Join``, counts joins for
##!   ``Join_Flood`` (those it links per connection, those it decides unknown per
##!   receiver address; a worker does not raise the flood of joins its core could not
##!   link), and writes the connection's ``mptcp_conn.log`` row with the remote joins
##!   counted in.
##!
##! A join whose handshake data has not reached the proxy yet is held for
##! :zeek:see:`MPTCP::cluster_join_hold`. Workers re-send the handshake data of their
##! live connections whose owning proxy changed when a proxy comes or goes, and keep
##! messages while no proxy is up (up to :zeek:see:`MPTCP::cluster_max_backlog`).
##! Outside a cluster this script does nothing.

@load base/frameworks/cluster
@load base/frameworks/notice
@load ./main
@load ./notices

module MPTCP;

export {
	## How long a proxy holds a join whose token matches no connection it knows, waiting
	## for the handshake data (another worker's message may be slower). When it expires
	## the join is unknown: its row is written (``linked_by=none``) and
	## ``MPTCP::Unknown_Join`` raised.
	const cluster_join_hold = 10 secs &redef;

	## How long a proxy waits after the handshake's worker reported the connection closed
	## (and every remote join it knows of ended) before it writes ``mptcp_conn.log``: time
	## for joins still in flight from other workers.
	const cluster_conn_linger = 2 secs &redef;

	## A proxy forgets a connection, or a linked join, after this long without any
	## message about it (a worker died, a message was lost); a connection its worker
	## reported closed gets its row written then. Bounds proxy memory.
	const cluster_state_expire = 6 hrs &redef;

	## Cap on joins a proxy holds at once; beyond it a new join that matches no known
	## connection is decided unknown at once instead of held (counted in
	## :zeek:see:`MPTCP::cluster_stats`). About 1.2 KB of proxy memory per held join.
	const cluster_max_held_joins = 100000 &redef;

	## Cap on the connections a proxy tracks; beyond it handshake data is dropped
	## (counted) and the connection's row is written as its handshake worker saw it.
	## About 3.5 KB of proxy memory per connection.
	const cluster_max_conns = 1000000 &redef;

	## Messages a worker keeps while no proxy is up, sent when one comes up. Beyond it the
	## worker writes rows itself, as a single process without the other workers' view
	## would (counted).
	const cluster_max_backlog = 100000 &redef;

	## What linking needs from the worker that saw the handshake (message
	## :zeek:see:`MPTCP::cluster_conn`). Side a is the client (MP_CAPABLE SYN sender).
	type ClusterConn: record {
		## The worker, and the connection's number there (together: the key).
		node: string;
		mptcp_id: count;
		## The initial subflow's uid, first packet and endpoints.
		uid: string;
		ts: time;
		orig_h: addr;
		resp_h: addr;
		version: count;
		key_a: count &optional;
		key_b: count &optional;
		token_a: count &optional;
		token_b: count &optional;
	};

	## A join its worker could not link (messages :zeek:see:`MPTCP::cluster_join` and
	## :zeek:see:`MPTCP::cluster_join_done`).
	type ClusterJoin: record {
		node: string;
		uid: string;
		id: conn_id;
		## The MP_JOIN SYN: its time, token (the receiver's) and nonce.
		ts: time;
		token: count;
		nonce_a: count &optional;
		## The SYN/ACK: nonce, truncated HMAC (16 hex digits), time.
		nonce_b: count &optional;
		hmac_b: string &optional;
		ts_b: time &optional;
		## The third ACK: HMAC (40 hex digits), time.
		hmac_a: string &optional;
		ts_a: time &optional;
	};

	## An ADD_ADDR seen on a remote join.
	type ClusterAddr: record {
		is_orig: bool;
		addr_id: count;
		a: addr;
		p: port &optional;
	};

	## What a subflow's MPTCP options said about its connection, by direction: the facts
	## the core keeps per connection (last option, DATA_FIN, data ACKs, fallback signs,
	## addresses), tracked in script where the core cannot (the join is not linked).
	type ClusterFacts: record {
		last_ts: time &optional;
		fin_orig: bool &default=F;
		fin_resp: bool &default=F;
		## Highest 64-bit data ACK sent by orig / resp.
		ack_orig: count &optional;
		ack_resp: count &optional;
		## First infinite mapping, MP_FAIL, mapping without checksum.
		inf_ts: time &optional;
		fail_ts: time &optional;
		nocsum_ts: time &optional;
		adverts: vector of ClusterAddr &optional;
		removed: count &default=0;
	};

	## The connection-level facts behind close_reason and the byte counts, by side.
	type ClusterConnFacts: record {
		last_ts: time &optional;
		fin_a: bool &default=F;
		fin_b: bool &default=F;
		ack_a: count &optional;
		ack_b: count &optional;
		resets: count &default=0;
		fastclose: bool &default=F;
		tcprst: bool &default=F;
		fallback: bool &default=F;
	};

	## Counters of this node's cluster messages and state.
	type ClusterStats: record {
		## Messages published, by kind, and those kept in the backlog.
		sent_conn: count &default=0;
		sent_join: count &default=0;
		sent_join_done: count &default=0;
		sent_conn_closed: count &default=0;
		sent_conn_gone: count &default=0;
		backlogged: count &default=0;
		backlog_overflow: count &default=0;
		## Handshake data and joins re-sent because the owning proxy changed.
		resent_conn: count &default=0;
		resent_join: count &default=0;
		## Proxy: messages received, joins linked / verified / failed / unknown.
		recv: count &default=0;
		joins_linked: count &default=0;
		joins_verified: count &default=0;
		joins_failed: count &default=0;
		joins_unknown: count &default=0;
		joins_held: count &default=0;
		held_overflow: count &default=0;
		conns_refused: count &default=0;
		## Proxy: receiver addresses whose unknown joins were not counted for
		## ``Join_Flood`` (:zeek:see:`MPTCP::max_flood_receivers` were counting).
		flood_receivers_dropped: count &default=0;
		conn_rows: count &default=0;
		## Proxy: joins dropped because their token moved to another proxy.
		joins_moved: count &default=0;
		## Proxy: state held now.
		conns: count &default=0;
		joins: count &default=0;
		held: count &default=0;
	};

	## Worker to the proxy owning each of the connection's tokens: its handshake data,
	## once both keys are known (and again when the token's owner changes).
	global cluster_conn: event(m: ClusterConn);
	## Worker to the proxy owning the join's token: a join its core could not link, at
	## its third ACK (or its end).
	global cluster_join: event(j: ClusterJoin);
	## Worker to the proxy owning the join's token, when the join ends: the join again,
	## its final facts (``mptcp.log`` row but for the link) and what its options said.
	global cluster_join_done: event(j: ClusterJoin, info: Info, f: ClusterFacts);
	## Handshake's worker to the proxy owning the server's token, when the connection's
	## last local subflow ends: what the proxy needs for ``mptcp_conn.log``.
	global cluster_conn_closed: event(m: ClusterConn, info: ConnLogInfo, f: ClusterConnFacts);
	## Handshake's worker to a proxy that got the handshake data for the other token
	## only (*moved* F, at the end) or owns neither token any more (*moved* T, on a pool
	## change): forget the connection.
	global cluster_conn_gone: event(node: string, mptcp_id: count, moved: bool);
	## Worker to the proxy a held or open join moved away from on a pool change (it was
	## re-sent to the new owner): forget the join.
	global cluster_join_gone: event(uid: string, token: count);

	## This node's counters.
	global cluster_stats: function(): ClusterStats;
}

# A worker's per-subflow cluster state (c$mptcp_cluster).
type ClusterSub: record {
	## MP_CAPABLE keys as the handshake showed them (SYN, SYN/ACK, third ACK).
	syn_key: count &optional;
	synack_key: count &optional;
	ack_ka: count &optional;
	ack_kb: count &optional;
	version: count &optional;
	published: bool &default=F;
	## The MP_JOIN handshake, for a proxy to link.
	join: ClusterJoin &optional;
	facts: ClusterFacts &optional;
};

global stats: ClusterStats;

@if ( Cluster::is_enabled() )
# Read only in a cluster: a standalone Zeek does not parse the workers' and proxies' code.
@load ./cluster-impl
@endif

function cluster_stats(): ClusterStats
	{
@if ( Cluster::is_enabled() && Cluster::local_node_type() == Cluster::PROXY )
	stats$conns = |pconns|;
	stats$joins = |pjoins|;
	stats$held = n_held;
@endif
	return stats;
	}
