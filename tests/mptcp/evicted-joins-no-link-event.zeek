# @TEST-DOC: Link events (mptcp_subflow_established, mptcp_subflow_linked, mptcp_fallback) are raised only on their own subflow. Pending joins evicted by MPTCP::max_pending while another connection's packet is handled raise none (their record names no subflow, and would pass for that connection's c$mptcp); their link is in their mptcp.log rows. join-flood-invalid-token.pcap: 5,000 join SYNs with an unknown token plus a join; with MPTCP::max_pending = 2, 4,998 of them are evicted.
# @TEST-EXEC: zeek -C -r $TRACES/join-flood-invalid-token.pcap %INPUT > output
# @TEST-EXEC: zeek-cut linked_by join_auth < mptcp.log | sort | uniq -c >> output
# @TEST-EXEC: btest-diff output

@load ZeekMPTCP/MPTCP

redef MPTCP::max_pending = 2;

global linked = 0;
global with_state = 0;
global state_of_other = 0;

event mptcp_subflow_linked(c: connection, info: MPTCP::Link)
	{
	++linked;
	}

# Each subflow's own mptcp.log row: its c$mptcp, when set, says the same link.
event mptcp_subflow_done(c: connection, info: MPTCP::Info)
	{
	if ( info$id$orig_h != c$id$orig_h || info$id$orig_p != c$id$orig_p || ! c?$mptcp )
		return;
	++with_state;
	if ( c$mptcp$linked_by != info$linked_by )
		++state_of_other;
	}

event zeek_done()
	{
	local s = MPTCP::plugin_stats();
	print fmt("pending evicted %d, linked events %d", s$pending_evicted, linked);
	print fmt("own rows with c$mptcp %d, of them saying another link %d", with_state, state_of_other);
	}
