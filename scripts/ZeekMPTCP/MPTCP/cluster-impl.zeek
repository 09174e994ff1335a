##! MPTCP in a Zeek cluster: what workers and proxies do (see cluster.zeek, which loads
##! this only in a cluster, so that a standalone Zeek does not even read it).

@load base/frameworks/cluster
@load base/frameworks/notice
@load ./main
@load ./notices
@load ./cluster

module MPTCP;

@if ( Cluster::local_node_type() == Cluster::PROXY )
# Fold a remote join's facts into its connection's (side a: the client).
function fold(cf: ClusterConnFacts, f: ClusterFacts, orig_is_a: bool)
	{
	if ( f?$last_ts && (! cf?$last_ts || f$last_ts > cf$last_ts) )
		cf$last_ts = f$last_ts;
	local fin_a = orig_is_a ? f$fin_orig : f$fin_resp;
	local fin_b = orig_is_a ? f$fin_resp : f$fin_orig;
	cf$fin_a = cf$fin_a || fin_a;
	cf$fin_b = cf$fin_b || fin_b;
	local from_a = orig_is_a ? f?$ack_orig : f?$ack_resp;
	local from_b = orig_is_a ? f?$ack_resp : f?$ack_orig;
	if ( from_a )
		{
		local x = orig_is_a ? f$ack_orig : f$ack_resp;
		if ( ! cf?$ack_a || x > cf$ack_a )
			cf$ack_a = x;
		}
	if ( from_b )
		{
		local y = orig_is_a ? f$ack_resp : f$ack_orig;
		if ( ! cf?$ack_b || y > cf$ack_b )
			cf$ack_b = y;
		}
	}

@endif

# ---------------------------------------------------------------- workers

@if ( Cluster::local_node_type() == Cluster::WORKER )

redef record connection += {
	## This subflow's MPTCP state for the cluster (workers only).
	mptcp_cluster: MPTCP::ClusterSub &optional;
};

function cl(c: connection): ClusterSub
	{
	if ( ! c?$mptcp_cluster )
		c$mptcp_cluster = ClusterSub();
	return c$mptcp_cluster;
	}

type Pending: record {
	key: count;
	ev: Cluster::Event;
};

type LocalConn: record {
	m: ClusterConn;
	## The proxy topics that got the handshake data, by token.
	owners: table[count] of string;
};

# Connections whose handshake this worker saw, by mptcp_id, until they close.
global local_conns: table[count] of LocalConn;
type RemoteJoin: record {
	j: ClusterJoin;
	## The proxy topic it was sent to ("" while kept in the backlog).
	owner: string;
};

# Joins handed to a proxy, by uid: their rows are the proxy's to write.
global remote_uids: table[string] of RemoteJoin;
# Connections whose row this worker writes itself (no proxy, backlog full).
global write_local_conn: set[count];
global backlog: vector of Pending;

function same_tuple(a: conn_id, b: conn_id): bool
	{
	return a$orig_h == b$orig_h && a$orig_p == b$orig_p && a$resp_h == b$resp_h && a$resp_p == b$resp_p;
	}


function facts(c: connection): ClusterFacts
	{
	local x = cl(c);
	if ( ! x?$facts )
		x$facts = ClusterFacts();
	return x$facts;
	}

# Publish to the proxy owning the token, or keep it while no proxy is up.
function send(key: count, ev: Cluster::Event): bool
	{
	if ( Cluster::publish_hrw(Cluster::proxy_pool, key, ev) )
		return T;
	if ( |backlog| >= cluster_max_backlog )
		{
		++stats$backlog_overflow;
		return F;
		}
	backlog += Pending($key=key, $ev=ev);
	++stats$backlogged;
	return T;
	}

function publish_conn(lc: LocalConn, resend: bool)
	{
	local m = lc$m;
	local tokens: vector of count = vector();
	if ( m?$token_b )
		tokens += m$token_b;
	if ( m?$token_a && ! (m?$token_b && m$token_a == m$token_b) )
		tokens += m$token_a;
	local sent_to: set[string] = set();
	for ( i in tokens )
		{
		local t = tokens[i];
		local topic = Cluster::hrw_topic(Cluster::proxy_pool, t);
		local old = t in lc$owners ? lc$owners[t] : "";
		local changed = old != topic;
		lc$owners[t] = topic;
		# The proxy that had it and owns neither token now: drop it.
		if ( changed && old != "" )
			{
			local still = F;
			for ( _, o in lc$owners )
				if ( o == old )
					still = T;
			if ( ! still )
				Cluster::publish(old, cluster_conn_gone, m$node, m$mptcp_id, T);
			}
		if ( resend && ! changed )
			next;
		# No proxy up: nothing to keep, it is sent when one comes up (repartition).
		if ( topic == "" )
			next;
		# Both tokens owned by one proxy: one message.
		if ( topic in sent_to )
			next;
		add sent_to[topic];
		if ( send(t, Cluster::make_event(cluster_conn, m)) )
			{
			if ( resend )
				++stats$resent_conn;
			else
				++stats$sent_conn;
			}
		}
	}

# The keys as the core resolves them: the handshake's win, the echo fills in.
function try_publish_conn(c: connection)
	{
	if ( ! c?$mptcp )
		return;
	local st = c$mptcp;
	local s = cl(c);
	if ( s$published || ! st?$mptcp_id || ! st$initial )
		return;
	local ka = s?$syn_key ? s$syn_key : (s?$ack_ka ? s$ack_ka : 0);
	local kb = s?$synack_key ? s$synack_key : (s?$ack_kb ? s$ack_kb : 0);
	local have_a = s?$syn_key || s?$ack_ka;
	local have_b = s?$synack_key || s?$ack_kb;
	if ( ! (have_a && have_b) )
		return;
	s$published = T;
	local v = s?$version ? s$version : 1;
	local m = ClusterConn($node=Cluster::node, $mptcp_id=st$mptcp_id, $uid=c$uid, $ts=c$start_time,
	                      $orig_h=c$id$orig_h, $resp_h=c$id$resp_h, $version=v,
	                      $key_a=ka, $key_b=kb, $token_a=key_token(v, ka), $token_b=key_token(v, kb));
	if ( st$mptcp_id in local_conns )
		local_conns[st$mptcp_id]$m = m;
	else
		local_conns[st$mptcp_id] = LocalConn($m=m);
	publish_conn(local_conns[st$mptcp_id], F);
	}

event mptcp_capable(c: connection, is_orig: bool, opt: Option)
	{
	local s = cl(c);
	facts(c)$last_ts = network_time();
	if ( opt?$receiver_key )
		{
		# Third ACK or first data: both keys echoed.
		if ( is_orig && opt?$sender_key && ! s?$ack_ka )
			{
			s$ack_ka = opt$sender_key;
			s$ack_kb = opt$receiver_key;
			if ( ! s?$version && opt?$version )
				s$version = opt$version;
			}
		try_publish_conn(c);
		return;
		}
	if ( ! opt?$sender_key )
		return;
	if ( is_orig )
		{
		if ( ! s?$syn_key )
			s$syn_key = opt$sender_key;
		}
	else if ( ! s?$synack_key )
		{
		s$synack_key = opt$sender_key;
		if ( opt?$version )
			s$version = opt$version;
		}
	}

event mptcp_join(c: connection, is_orig: bool, opt: Option)
	{
	local s = cl(c);
	local now = network_time();
	facts(c)$last_ts = now;
	if ( opt?$token )
		{
		if ( is_orig && ! s?$join )
			s$join = ClusterJoin($node=Cluster::node, $uid=c$uid, $id=c$id, $ts=now,
			                        $token=opt$token, $nonce_a=opt$nonce);
		return;
		}
	if ( ! s?$join )
		return;
	local j = s$join;
	if ( ! is_orig && opt?$hmac && |opt$hmac| == 16 )
		{
		if ( ! j?$nonce_b && opt?$nonce )
			j$nonce_b = opt$nonce;
		if ( ! j?$hmac_b )
			{
			j$hmac_b = opt$hmac;
			j$ts_b = now;
			}
		}
	else if ( is_orig && opt?$hmac && |opt$hmac| == 40 && ! j?$hmac_a )
		{
		j$hmac_a = opt$hmac;
		j$ts_a = now;
		}
	}

# No mptcp_dss handler: what a subflow's DSS options say comes with its summary
# (Info$dss, for a join no local connection claims) and with its connection's
# (ConnLogInfo$facts), so that DSS packets stay on the core's per-packet shortcuts.

# A join's own DSS facts, from the core, into what the rare options' handlers collected.
function add_dss(f: ClusterFacts, d: DssFacts)
	{
	if ( ! f?$last_ts || d$last_ts > f$last_ts )
		f$last_ts = d$last_ts;
	f$fin_orig = f$fin_orig || d$fin_orig;
	f$fin_resp = f$fin_resp || d$fin_resp;
	if ( d?$ack_orig && (! f?$ack_orig || d$ack_orig > f$ack_orig) )
		f$ack_orig = d$ack_orig;
	if ( d?$ack_resp && (! f?$ack_resp || d$ack_resp > f$ack_resp) )
		f$ack_resp = d$ack_resp;
	if ( d?$inf_ts && ! f?$inf_ts )
		f$inf_ts = d$inf_ts;
	if ( d?$nocsum_ts && ! f?$nocsum_ts )
		f$nocsum_ts = d$nocsum_ts;
	}

# A connection's facts as the proxy takes them.
function cluster_conn_facts(info: ConnLogInfo): ClusterConnFacts
	{
	local x = info$facts;
	local f = ClusterConnFacts($last_ts=info$ts + info$duration, $fin_a=x$fin_a, $fin_b=x$fin_b,
	                           $resets=x$resets, $fastclose=x$fastclose, $tcprst=x$tcprst,
	                           $fallback=x$fallback);
	if ( x?$ack_a )
		f$ack_a = x$ack_a;
	if ( x?$ack_b )
		f$ack_b = x$ack_b;
	return f;
	}

event mptcp_add_addr(c: connection, is_orig: bool, opt: Option)
	{
	local f = facts(c);
	f$last_ts = network_time();
	if ( (opt?$echo && opt$echo) || ! opt?$address || ! opt?$addr_id )
		return;
	if ( ! f?$adverts )
		f$adverts = vector();
	if ( |f$adverts| >= 256 )
		return;
	local a = ClusterAddr($is_orig=is_orig, $addr_id=opt$addr_id, $a=opt$address);
	if ( opt?$port_num )
		a$p = opt$port_num;
	f$adverts += a;
	}

event mptcp_remove_addr(c: connection, is_orig: bool, opt: Option, addr_id: count)
	{
	local f = facts(c);
	f$last_ts = network_time();
	++f$removed;
	}

event mptcp_fail(c: connection, is_orig: bool, opt: Option)
	{
	local f = facts(c);
	f$last_ts = network_time();
	if ( ! f?$fail_ts )
		f$fail_ts = network_time();
	}

event mptcp_prio(c: connection, is_orig: bool, opt: Option) { facts(c)$last_ts = network_time(); }
event mptcp_fastclose(c: connection, is_orig: bool, opt: Option) { facts(c)$last_ts = network_time(); }
event mptcp_tcprst(c: connection, is_orig: bool, opt: Option) { facts(c)$last_ts = network_time(); }
event mptcp_experimental(c: connection, is_orig: bool, opt: Option) { facts(c)$last_ts = network_time(); }

event mptcp_subflow_linked(c: connection, info: Link) &priority=4
	{
	local s = cl(c);
	if ( info$initial )
		{
		try_publish_conn(c);
		return;
		}
	if ( info?$linked_by && info$linked_by == "none" && s?$join )
		{
		# The core of this worker knows no connection for this token: the proxy decides.
		if ( send(s$join$token, Cluster::make_event(cluster_join, s$join)) )
			{
			remote_uids[c$uid] = RemoteJoin($j=s$join,
			                                $owner=Cluster::hrw_topic(Cluster::proxy_pool, s$join$token));
			++stats$sent_join;
			}
		}
	}

event mptcp_subflow_done(c: connection, info: Info) &priority=10
	{
	if ( ! same_tuple(c$id, info$id) || c$uid !in remote_uids )
		return;
	# A join handed to a proxy: its facts go there. (Those of local subflows are in
	# their connection's, ConnLogInfo$facts.)
	local f = (c?$mptcp_cluster && c$mptcp_cluster?$facts) ? c$mptcp_cluster$facts : ClusterFacts();
	if ( info?$dss )
		add_dss(f, info$dss);
	local j = c$mptcp_cluster$join;
	if ( send(j$token, Cluster::make_event(cluster_join_done, j, info, f)) )
		++stats$sent_join_done;
	else
		delete remote_uids[c$uid];   # no proxy: this worker writes the row
	}

event mptcp_subflow_done(c: connection, info: Info) &priority=-10
	{
	delete remote_uids[c$uid];
	}

event mptcp_connection_closed(c: connection, info: ConnLogInfo) &priority=10
	{
	if ( info$mptcp_id !in local_conns )
		{
		# The keys were never complete: send what the handshake showed, if anything.
		add write_local_conn[info$mptcp_id];
		return;
		}
	local lc = local_conns[info$mptcp_id];
	local m = lc$m;
	local key = m?$token_b ? m$token_b : m$token_a;
	if ( send(key, Cluster::make_event(cluster_conn_closed, m, info, cluster_conn_facts(info))) )
		++stats$sent_conn_closed;
	else
		add write_local_conn[info$mptcp_id];
	# The proxy that got the handshake data for the other token only: forget it.
	local home = Cluster::hrw_topic(Cluster::proxy_pool, key);
	for ( t, topic in lc$owners )
		if ( t != key && topic != home && topic != "" )
			if ( send(t, Cluster::make_event(cluster_conn_gone, m$node, m$mptcp_id, F)) )
				++stats$sent_conn_gone;
	}

event mptcp_connection_closed(c: connection, info: ConnLogInfo) &priority=-10
	{
	delete local_conns[info$mptcp_id];
	delete write_local_conn[info$mptcp_id];
	}

# The proxy writes the rows of the joins it was given and every connection's row.
hook MPTCP::log_policy(rec: Info, id: Log::ID, filter: Log::Filter) &priority=100
	{
	if ( rec?$uid && rec$uid in remote_uids )
		break;
	}

hook MPTCP::log_policy_conn(rec: ConnLogInfo, id: Log::ID, filter: Log::Filter) &priority=100
	{
	if ( rec$mptcp_id !in write_local_conn )
		break;
	}

# An unknown join on a worker may be known to the proxy: the proxy decides. So too for a
# join flood of tokens the worker's core did not know (its identifier ends in
# "-invalid"): those joins go to the proxies, which count them per receiver once
# decided unknown, and count the joins they link per connection.
hook Notice::policy(n: Notice::Info) &priority=-100
	{
	if ( n$note == Unknown_Join && n?$uid )
		delete n$actions[Notice::ACTION_LOG];
	if ( n$note == Join_Flood && n?$identifier && /-invalid$/ in n$identifier )
		{
		delete n$actions[Notice::ACTION_LOG];
		# Nor may it suppress the proxy's notice of the same receiver.
		n$suppress_for = 0secs;
		}
	}

# Pool changes: send what was kept while no proxy was up, and re-send the handshake
# data of live connections whose owning proxy changed (HRW moves only those keys).
function repartition()
	{
	if ( |backlog| > 0 )
		{
		local old = backlog;
		backlog = vector();
		for ( i in old )
			if ( ! Cluster::publish_hrw(Cluster::proxy_pool, old[i]$key, old[i]$ev) )
				backlog += old[i];
		}
	for ( _, lc in local_conns )
		publish_conn(lc, T);
	for ( _, rj in remote_uids )
		{
		local topic = Cluster::hrw_topic(Cluster::proxy_pool, rj$j$token);
		if ( rj$owner == "" )
			{
			# Kept in the backlog: that went to the owner now.
			rj$owner = topic;
			next;
			}
		if ( topic == rj$owner )
			next;
		Cluster::publish(rj$owner, cluster_join_gone, rj$j$uid, rj$j$token);
		rj$owner = topic;
		if ( topic != "" && Cluster::publish_hrw(Cluster::proxy_pool, rj$j$token, cluster_join, rj$j) )
			++stats$resent_join;
		}
	}

event Cluster::node_up(name: string, id: string) &priority=-10
	{
	if ( name in Cluster::proxy_pool$nodes )
		repartition();
	}

event Cluster::node_down(name: string, id: string) &priority=-10
	{
	if ( name in Cluster::proxy_pool$nodes )
		repartition();
	}

@endif

# ---------------------------------------------------------------- proxies

@if ( Cluster::local_node_type() == Cluster::PROXY )

type PJoin: record {
	j: ClusterJoin;
	## The connection's key, when linked.
	conn: string &optional;
	## Which side of the connection the join's originator is (0: a, 1: b).
	orig_side: count &default=0;
	linked_by: string &default="none";
	join_auth: string &default="unverifiable";
	## Failed HMAC checks: (stage, got, expected, time), raised with the row.
	failures: vector of Notice::Info &optional;
};

# Join-flood counting on a proxy, as the core counts on a worker (tracker/flood.rs):
# a window starts at the first join SYN it counts and restarts at the first after it
# ends; a flood is reported once per window. Times are the joins' own (packet) times.
type FloodWindow: record {
	start: time &optional;
	n: count &default=0;
	reported: bool &default=F;
};

type PConn: record {
	m: ClusterConn;
	## Addresses each side used (a, b).
	used_a: set[addr];
	used_b: set[addr];
	## Remote joins linked and not yet ended.
	live: set[string];
	attempted: count &default=0;
	established: count &default=0;
	f: ClusterConnFacts;
	saw_facts: bool &default=F;
	## The first mid-connection fallback seen on a remote join: when, why, where.
	fb_ts: time &optional;
	fb_reason: string &optional;
	fb_join: ClusterJoin &optional;
	adverts: vector of string;
	removed: count &default=0;
	closed_info: ConnLogInfo &optional;
	closed_facts: ClusterConnFacts &optional;
	## Join SYNs linked here with its token (join-flood counting).
	joins: FloodWindow &optional;
	scheduled: bool &default=F;
	## Its worker said it ended (this proxy owns only its other token): forget it
	## once its joins here have ended.
	gone: bool &default=F;
};

global conn_expired: function(t: table[string] of PConn, key: string): interval;
global conn_row: function(pc: PConn);

global pconns: table[string] of PConn &read_expire=cluster_state_expire &expire_func=conn_expired;
global ptokens: table[count] of set[string];
global paddrs: table[addr] of count;
global pjoins: table[string] of PJoin &read_expire=cluster_state_expire;
# Joins waiting for their handshake data, by token (each token's wait is scheduled).
global held: table[count] of vector of ClusterJoin;
global held_timeout: event(token: count);
# Join-done messages of joins still held.
global held_done: table[string] of record { info: Info; f: ClusterFacts; } &create_expire=cluster_state_expire;
global n_held = 0;
global unknown_last: table[addr] of time &create_expire=unknown_join_interval;
# Windows of the joins decided unknown, per receiver address, up to max_flood_receivers
# (expired well after their interval: windows compare the joins' packet times, not the
# proxy's clock).
global unknown_floods: table[addr] of FloodWindow &read_expire=join_flood_interval * 2 + 5 mins;

# Counts one join SYN at `ts` in `w`: T when it reaches the threshold.
function flood_count(w: FloodWindow, ts: time): bool
	{
	if ( w$n == 0 || ts - w$start >= join_flood_interval )
		{
		w$start = ts;
		w$n = 0;
		w$reported = F;
		}
	++w$n;
	if ( w$n < join_flood_threshold || w$reported )
		return F;
	w$reported = T;
	return T;
	}

# Seconds as the core prints them ("10", "2.5").
function secs(i: interval): string
	{
	local d = interval_to_double(i);
	return d == floor(d) ? fmt("%.0f", d) : fmt("%s", d);
	}

function flood_notice(j: ClusterJoin, n: count, msg: string, sub: string, identifier: string)
	{
	NOTICE(Notice::Info($note=Join_Flood, $ts=j$ts, $uid=j$uid, $id=j$id, $dst=j$id$resp_h, $n=n,
	                    $msg=msg, $sub=sub, $identifier=identifier, $suppress_for=join_flood_suppress));
	}

function ip_port(a: addr, p: port): string
	{
	local n = port_to_count(p);
	return is_v6_addr(a) ? fmt("[%s]:%d", a, n) : fmt("%s:%d", a, n);
	}


function conn_key(m: ClusterConn): string
	{
	return fmt("%s/%d", m$node, m$mptcp_id);
	}

function addr_ref(a: addr, d: int)
	{
	local n = (a in paddrs ? paddrs[a] : 0) + d;
	if ( n <= 0 )
		delete paddrs[a];
	else
		paddrs[a] = double_to_count(n);
	}

function forget_conn(key: string, pc: PConn)
	{
	for ( t in set(pc$m?$token_a ? pc$m$token_a : 0, pc$m?$token_b ? pc$m$token_b : 0) )
		if ( t in ptokens )
			{
			delete ptokens[t][key];
			if ( |ptokens[t]| == 0 )
				delete ptokens[t];
			}
	for ( a in pc$used_a )
		addr_ref(a, -1);
	for ( a in pc$used_b )
		addr_ref(a, -1);
	}

# No message about the connection for cluster_state_expire: if its worker reported it
# closed (a join's end never came), its row is written with what came.
function conn_expired(t: table[string] of PConn, key: string): interval
	{
	local pc = t[key];
	if ( pc?$closed_info )
		conn_row(pc);
	forget_conn(key, pc);
	return 0 secs;
	}

function side_has(pc: PConn, side: count, a: addr): bool
	{
	return side == 0 ? a in pc$used_a : a in pc$used_b;
	}

function use_addr(pc: PConn, side: count, a: addr)
	{
	if ( side_has(pc, side, a) )
		return;
	if ( side == 0 )
		add pc$used_a[a];
	else
		add pc$used_b[a];
	addr_ref(a, 1);
	}

function auth_failure(pj: PJoin, j: ClusterJoin, mptcp_id: count, stage: string, ts: time, got: string, want: string)
	{
	if ( ! pj?$failures )
		pj$failures = vector();
	pj$failures += (Notice::Info($note=Join_Auth_Failure, $ts=ts, $uid=j$uid, $id=j$id, $src=j$id$orig_h,
	                    $dst=j$id$resp_h,
	                    $msg=fmt("MP_JOIN %s HMAC does not match the keys of MPTCP connection %d: got %s, expected %s",
	                             stage, mptcp_id, got, want),
	                    $sub=fmt("token 0x%08x", j$token)));
	}

# Link a join to a connection and check its HMACs (as the core does).
function link(pj: PJoin, key: string, recv_side: count)
	{
	local pc = pconns[key];
	local j = pj$j;
	pj$conn = key;
	pj$linked_by = "token";
	pj$orig_side = 1 - recv_side;
	++pc$attempted;
	if ( ! pc?$joins )
		pc$joins = FloodWindow();
	if ( flood_count(pc$joins, j$ts) )
		flood_notice(j, pc$joins$n,
		             fmt("%d MP_JOIN SYNs with token 0x%08x (MPTCP connection %d) to %s within %s s",
		                 pc$joins$n, j$token, pc$m$mptcp_id, j$id$resp_h, secs(join_flood_interval)),
		             fmt("valid-token joins to one connection; threshold %d", join_flood_threshold),
		             fmt("%s-valid-%s", j$id$resp_h, key));
	add pc$live[j$uid];
	use_addr(pc, pj$orig_side, j$id$orig_h);
	use_addr(pc, recv_side, j$id$resp_h);
	++stats$joins_linked;

	local m = pc$m;
	local have_a = m?$key_a;
	local have_b = m?$key_b;
	if ( ! (have_a && have_b) || ! j?$nonce_a || ! j?$nonce_b )
		return;
	# Keys of the join's initiator and responder.
	local ki = pj$orig_side == 0 ? m$key_a : m$key_b;
	local kr = pj$orig_side == 0 ? m$key_b : m$key_a;
	local synack_ok = -1;
	local ack_ok = -1;
	if ( j?$hmac_b )
		{
		local want_b = join_hmac(m$version, kr, ki, j$nonce_b, j$nonce_a)[0:16];
		synack_ok = want_b == j$hmac_b ? 1 : 0;
		if ( synack_ok == 0 )
			auth_failure(pj, j, m$mptcp_id, "SYN/ACK", j$ts_b, j$hmac_b, want_b);
		}
	if ( j?$hmac_a )
		{
		local want_a = join_hmac(m$version, ki, kr, j$nonce_a, j$nonce_b);
		ack_ok = want_a == j$hmac_a ? 1 : 0;
		if ( ack_ok == 0 )
			auth_failure(pj, j, m$mptcp_id, "third ACK", j$ts_a, j$hmac_a, want_a);
		}
	if ( synack_ok == 0 || ack_ok == 0 )
		{
		pj$join_auth = "failed";
		++stats$joins_failed;
		}
	else if ( synack_ok == 1 || ack_ok == 1 )
		{
		pj$join_auth = "verified";
		++stats$joins_verified;
		}
	}

# The connection a token names; two with one token: the one whose receiving side
# uses the join's destination.
function find_conn(token: count, dst: addr): string
	{
	if ( token !in ptokens )
		return "";
	local found = "";
	for ( key in ptokens[token] )
		{
		local pc = pconns[key];
		local side = (pc$m?$token_b && pc$m$token_b == token) ? 1 : 0;
		if ( side_has(pc, side, dst) )
			return key;
		found = key;
		}
	return found;
	}

function recv_side_of(key: string, token: count): count
	{
	local m = pconns[key]$m;
	return (m?$token_b && m$token_b == token) ? 1 : 0;
	}

global write_conn: function(key: string);
global cluster_write_conn: event(key: string);

function maybe_write_conn(pc: PConn)
	{
	if ( pc$gone && ! pc?$closed_info && |pc$live| == 0 )
		{
		local key = conn_key(pc$m);
		forget_conn(key, pc);
		delete pconns[key];
		return;
		}
	if ( ! pc?$closed_info || |pc$live| > 0 || pc$scheduled )
		return;
	pc$scheduled = T;
	schedule cluster_conn_linger { MPTCP::cluster_write_conn(conn_key(pc$m)) };
	}

event cluster_write_conn(key: string)
	{
	if ( key !in pconns )
		return;
	local pc = pconns[key];
	pc$scheduled = F;
	if ( |pc$live| > 0 )
		return;   # a join came in during the linger: written when it ends
	write_conn(key);
	}

# The join's mptcp.log row, and its facts folded into its connection's.
function finish_join(pj: PJoin, info: Info, f: ClusterFacts)
	{
	local j = pj$j;
	local rec = Info($ts=info$ts, $uid=j$uid, $id=info$id, $initial=F, $established=info$established,
	                 $linked_by=pj$linked_by, $join_auth=pj$join_auth, $backup=info$backup,
	                 $fastclose=info$fastclose, $reset=info$reset);
	if ( info?$token ) rec$token = info$token;
	if ( info?$addr_id ) rec$addr_id = info$addr_id;
	if ( info?$tcprst_reason ) rec$tcprst_reason = info$tcprst_reason;
	if ( info?$version ) rec$version = info$version;
	if ( info?$fallback ) rec$fallback = info$fallback;
	if ( pj?$conn && pj$conn in pconns )
		{
		local pc = pconns[pj$conn];
		local m = pc$m;
		rec$mptcp_id = m$mptcp_id;
		rec$version = m$version;
		# Mid-connection fallback signs, as the core reads them with the connection's
		# checksum flag (known from the initial subflow's summary, when it came).
		local checksum = pc?$closed_info && pc$closed_info$checksum;
		local fb_ts: time = double_to_time(0.0);
		local fb = "";
		if ( f?$fail_ts ) { fb = "mp_fail"; fb_ts = f$fail_ts; }
		if ( f?$inf_ts && (fb == "" || f$inf_ts < fb_ts) ) { fb = "infinite_mapping"; fb_ts = f$inf_ts; }
		if ( checksum && f?$nocsum_ts && (fb == "" || f$nocsum_ts < fb_ts) ) { fb = "checksum_missing"; fb_ts = f$nocsum_ts; }
		if ( fb != "" && ! rec?$fallback )
			{
			rec$fallback = fb;
			pc$f$fallback = T;
			if ( ! pc?$fb_ts || fb_ts < pc$fb_ts )
				{
				pc$fb_ts = fb_ts;
				pc$fb_reason = fb;
				pc$fb_join = j;
				}
			}
		if ( info$established )
			++pc$established;
		local orig_a = pj$orig_side == 0;
		fold(pc$f, f, orig_a);
		pc$saw_facts = T;
		if ( info$reset )
			++pc$f$resets;
		if ( info$fastclose )
			pc$f$fastclose = T;
		if ( info?$tcprst_reason )
			pc$f$tcprst = T;
		if ( f?$adverts )
			for ( i in f$adverts )
				{
				local ad = f$adverts[i];
				local s = ad?$p ? ip_port(ad$a, ad$p) : fmt("%s", ad$a);
				local seen = F;
				for ( k in pc$adverts )
					if ( pc$adverts[k] == s )
						seen = T;
				if ( ! seen )
					pc$adverts += s;
				use_addr(pc, (ad$is_orig == orig_a) ? 0 : 1, ad$a);
				}
		pc$removed += f$removed;
		delete pc$live[j$uid];
		maybe_write_conn(pc);
		}
	Log::write(MPTCP::LOG, rec);
	# Raised by the proxy that writes the row (not one the join moved away from).
	if ( pj?$failures )
		for ( i in pj$failures )
			NOTICE(pj$failures[i]);
	delete pjoins[j$uid];
	}

function unknown_join(j: ClusterJoin)
	{
	local pj = PJoin($j=j);
	pjoins[j$uid] = pj;
	++stats$joins_unknown;
	local dst = j$id$resp_h;
	if ( dst !in unknown_floods && |unknown_floods| < max_flood_receivers )
		unknown_floods[dst] = FloodWindow();
	if ( dst !in unknown_floods )
		++stats$flood_receivers_dropped;
	else if ( flood_count(unknown_floods[dst], j$ts) )
		flood_notice(j, unknown_floods[dst]$n,
		             fmt("%d MP_JOIN SYNs with invalid tokens to %s within %s s",
		                 unknown_floods[dst]$n, dst, secs(join_flood_interval)),
		             fmt("invalid-token joins; threshold %d", join_flood_threshold),
		             fmt("%s-invalid", dst));
	if ( dst in unknown_last && j$ts - unknown_last[dst] < unknown_join_interval )
		return;
	unknown_last[dst] = j$ts;
	local why = dst in paddrs ? "the MPTCP handshake at this address was seen and none of its tokens match" :
	                            "no MPTCP connection is known at this address";
	NOTICE(Notice::Info($note=Unknown_Join, $ts=j$ts, $uid=j$uid, $id=j$id, $src=j$id$orig_h, $dst=dst,
	                    $msg=fmt("MP_JOIN from %s to %s with token 0x%08x matches no known MPTCP connection",
	                             ip_port(j$id$orig_h, j$id$orig_p), ip_port(dst, j$id$resp_p), j$token),
	                    $sub=why));
	}

# The hold expired: the joins are unknown.
function decide_held(token: count)
	{
	if ( token !in held )
		return;
	local js = held[token];
	delete held[token];
	for ( i in js )
		{
		local j = js[i];
		--n_held;
		unknown_join(j);
		if ( j$uid in held_done )
			{
			local d = held_done[j$uid];
			delete held_done[j$uid];
			finish_join(pjoins[j$uid], d$info, d$f);
			}
		}
	}

event held_timeout(token: count)
	{
	decide_held(token);
	}

function take_join(j: ClusterJoin)
	{
	if ( j$uid in pjoins )
		return;
	local key = find_conn(j$token, j$id$resp_h);
	if ( key != "" )
		{
		local pj = PJoin($j=j);
		pjoins[j$uid] = pj;
		link(pj, key, recv_side_of(key, j$token));
		return;
		}
	if ( j$token in held )
		for ( i in held[j$token] )
			if ( held[j$token][i]$uid == j$uid )
				return;
	if ( n_held >= cluster_max_held_joins )
		{
		++stats$held_overflow;
		unknown_join(j);
		return;
		}
	if ( j$token !in held )
		{
		held[j$token] = vector();
		schedule cluster_join_hold { MPTCP::held_timeout(j$token) };
		}
	held[j$token] += j;
	++n_held;
	++stats$joins_held;
	}

function take_conn(m: ClusterConn): string
	{
	local key = conn_key(m);
	if ( key in pconns )
		{
		local old = pconns[key];
		if ( ! old$m?$key_a && m?$key_a ) { old$m$key_a = m$key_a; old$m$token_a = m$token_a; }
		if ( ! old$m?$key_b && m?$key_b ) { old$m$key_b = m$key_b; old$m$token_b = m$token_b; }
		}
	else
		{
		if ( |pconns| >= cluster_max_conns )
			{
			++stats$conns_refused;
			return "";
			}
		local pc = PConn($m=m, $used_a=set(), $used_b=set(), $live=set(), $f=ClusterConnFacts(),
		                 $adverts=vector());
		pconns[key] = pc;
		use_addr(pc, 0, m$orig_h);
		use_addr(pc, 1, m$resp_h);
		}
	local mm = pconns[key]$m;
	for ( t in set(mm?$token_a ? mm$token_a : 0, mm?$token_b ? mm$token_b : 0) )
		{
		if ( ! ((mm?$token_a && mm$token_a == t) || (mm?$token_b && mm$token_b == t)) )
			next;
		if ( t !in ptokens )
			ptokens[t] = set();
		add ptokens[t][key];
		# Joins that came first.
		if ( t in held )
			{
			local js = held[t];
			delete held[t];
			for ( i in js )
				{
				--n_held;
				local pj = PJoin($j=js[i]);
				pjoins[js[i]$uid] = pj;
				link(pj, key, recv_side_of(key, t));
				if ( js[i]$uid in held_done )
					{
					local d = held_done[js[i]$uid];
					delete held_done[js[i]$uid];
					finish_join(pj, d$info, d$f);
					}
				}
			}
		}
	return key;
	}

event cluster_conn(m: ClusterConn)
	{
	++stats$recv;
	take_conn(m);
	}

event cluster_join(j: ClusterJoin)
	{
	++stats$recv;
	take_join(j);
	}

event cluster_join_done(j: ClusterJoin, info: Info, f: ClusterFacts)
	{
	++stats$recv;
	take_join(j);
	if ( j$uid in pjoins )
		finish_join(pjoins[j$uid], info, f);
	else
		held_done[j$uid] = [$info=info, $f=f];
	}

event cluster_conn_gone(node: string, mptcp_id: count, moved: bool)
	{
	++stats$recv;
	local key = fmt("%s/%d", node, mptcp_id);
	# Closed here: its row is this proxy's to write. Ended with joins still open here:
	# forgotten when they end. Moved: its open joins are re-sent to the new owner too.
	if ( key !in pconns || pconns[key]?$closed_info )
		return;
	if ( ! moved && |pconns[key]$live| > 0 )
		{
		pconns[key]$gone = T;
		return;
		}
	for ( uid in pconns[key]$live )
		delete pjoins[uid];
	forget_conn(key, pconns[key]);
	delete pconns[key];
	}

# The join's token moved to another proxy (pool change): its worker re-sent it there.
event cluster_join_gone(uid: string, token: count)
	{
	++stats$recv;
	if ( token in held )
		{
		local keep: vector of ClusterJoin = vector();
		for ( i in held[token] )
			if ( held[token][i]$uid == uid )
				{
				--n_held;
				++stats$joins_moved;
				}
			else
				keep += held[token][i];
		if ( |keep| == 0 )
			delete held[token];
		else
			held[token] = keep;
		}
	delete held_done[uid];
	if ( uid !in pjoins )
		return;
	local pj = pjoins[uid];
	if ( pj?$conn && pj$conn in pconns )
		{
		local pc = pconns[pj$conn];
		if ( uid in pc$live )
			{
			delete pc$live[uid];
			--pc$attempted;
			maybe_write_conn(pc);
			}
		}
	++stats$joins_moved;
	delete pjoins[uid];
	}

event cluster_conn_closed(m: ClusterConn, info: ConnLogInfo, f: ClusterConnFacts)
	{
	++stats$recv;
	local key = take_conn(m);
	if ( key == "" )
		{
		# No room: the row as the handshake's worker saw it.
		conn_row(PConn($m=m, $used_a=set(), $used_b=set(), $live=set(), $f=ClusterConnFacts(),
		               $adverts=vector(), $closed_info=info, $closed_facts=f));
		return;
		}
	local pc = pconns[key];
	pc$closed_info = info;
	pc$closed_facts = f;
	maybe_write_conn(pc);
	}

# Shutting down: decide the held joins (unknown) and write the rows waiting to be.
event zeek_done() &priority=10
	{
	for ( t in copy(held) )
		decide_held(t);
	}

event zeek_done() &priority=5
	{
	for ( key, pc in copy(pconns) )
		if ( pc?$closed_info )
			write_conn(key);
	}

# Data-level bytes acknowledged by the peer of a side (the core's bytes_from).
function bytes_from(idsn: count, ack: count, fin: bool): count
	{
	if ( ack <= idsn )
		return 0xffffffffffffffff;   # below the IDSN: not counted
	local n = ack - idsn - 1;
	if ( fin && n > 0 )
		--n;
	return n;
	}

function conn_row(pc: PConn)
	{
	local info = pc$closed_info;
	local m = pc$m;
	local rec = ConnLogInfo($ts=info$ts, $uid=m$uid, $id=info$id, $mptcp_id=info$mptcp_id,
	                        $duration=info$duration, $version=info$version, $checksum=info$checksum,
	                        $subflows_attempted=info$subflows_attempted + pc$attempted,
	                        $subflows_established=info$subflows_established + pc$established,
	                        $addrs_advertised=copy(info$addrs_advertised),
	                        $addrs_removed=info$addrs_removed + pc$removed,
	                        $close_reason=info$close_reason);
	if ( info?$orig_token ) rec$orig_token = info$orig_token;
	if ( info?$resp_token ) rec$resp_token = info$resp_token;
	if ( info?$orig_bytes ) rec$orig_bytes = info$orig_bytes;
	if ( info?$resp_bytes ) rec$resp_bytes = info$resp_bytes;
	# Data-level reassembly happens on the handshake's worker only: the data of joins
	# other workers saw is not in its stream (counted as holes).
	if ( info?$missed_bytes ) rec$missed_bytes = info$missed_bytes;
	if ( info?$dup_bytes ) rec$dup_bytes = info$dup_bytes;
	for ( i in pc$adverts )
		{
		local seen = F;
		for ( k in rec$addrs_advertised )
			if ( rec$addrs_advertised[k] == pc$adverts[i] )
				seen = T;
		if ( ! seen )
			rec$addrs_advertised += pc$adverts[i];
		}
	if ( pc$saw_facts )
		{
		# Remote joins' facts with the handshake worker's: recompute what depends on them.
		local f = pc$closed_facts;
		local r = pc$f;
		local last = info$ts + info$duration;
		if ( r?$last_ts && r$last_ts > last )
			last = r$last_ts;
		rec$duration = last - info$ts;
		local fin_a = f$fin_a || r$fin_a;
		local fin_b = f$fin_b || r$fin_b;
		local resets = f$resets + r$resets;
		local attempted = rec$subflows_attempted;
		if ( f$fastclose || r$fastclose )
			rec$close_reason = "fastclose";
		else if ( fin_a && fin_b )
			rec$close_reason = "data_fin";
		else if ( (f$tcprst || r$tcprst) && resets >= (attempted > 0 ? attempted : 1) )
			rec$close_reason = "tcprst";
		else if ( resets > 0 && resets >= attempted )
			rec$close_reason = "reset";
		else if ( f$fallback || r$fallback )
			rec$close_reason = "fallback";
		else
			rec$close_reason = "timeout";
		local acks: vector of count = vector();
		for ( side in set(0, 1) )
			{
			local key_s = side == 0 ? m?$key_a : m?$key_b;
			local ack_f = side == 0 ? f?$ack_b : f?$ack_a;
			local ack_r = side == 0 ? r?$ack_b : r?$ack_a;
			if ( ! key_s || ! (ack_f || ack_r) )
				next;
			local ack: count = 0;
			if ( ack_f )
				ack = side == 0 ? f$ack_b : f$ack_a;
			if ( ack_r )
				{
				local x = side == 0 ? r$ack_b : r$ack_a;
				if ( ! ack_f || x > ack )
					ack = x;
				}
			local idsn = key_idsn(m$version, side == 0 ? m$key_a : m$key_b);
			local n = bytes_from(idsn, ack, side == 0 ? fin_a : fin_b);
			if ( n >= 0x4000000000000000 )
				next;
			if ( side == 0 )
				rec$orig_bytes = n;
			else
				rec$resp_bytes = n;
			}
		}
	++stats$conn_rows;
	Log::write(MPTCP::CONN_LOG, rec);
	# A fallback the handshake's worker did not see (so did not report): the notice the
	# core raises once per connection.
	if ( pc?$fb_ts && ! (pc?$closed_facts && pc$closed_facts$fallback) )
		{
		local what = pc$fb_reason == "infinite_mapping" ? "an infinite mapping (DSS data-level length 0)" :
		             pc$fb_reason == "mp_fail" ? "MP_FAIL (a DSS checksum failed: something on the path changed the payload)" :
		             "a mapping without the DSS checksum both hosts agreed on";
		NOTICE(Notice::Info($note=Fallback, $ts=pc$fb_ts, $uid=pc$fb_join$uid, $id=pc$fb_join$id,
		                    $src=info$id$orig_h, $dst=info$id$resp_h,
		                    $msg=fmt("MPTCP connection %d fell back to TCP mid-connection: %s", info$mptcp_id, what),
		                    $sub=pc$fb_reason));
		}
	}

function write_conn(key: string)
	{
	local pc = pconns[key];
	conn_row(pc);
	forget_conn(key, pc);
	delete pconns[key];
	}

@endif
