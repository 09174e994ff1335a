# @TEST-DOC: Pending handshakes evicted by MPTCP::max_pending are reported while another connection's packet is processed: their mptcp.log rows carry no uid (not that connection's); the rest keep their own.
# @TEST-EXEC: zeek -r $TRACES/extra/v1-join-v4-unanswered-syns.pcap %INPUT > output
# @TEST-EXEC: zeek-cut uid id.orig_p initial established linked_by < mptcp.log > subflows
# @TEST-EXEC: zeek-cut uid id.orig_p < conn.log | sort -k2 > conn-uids
# @TEST-EXEC: btest-diff subflows
# @TEST-EXEC: btest-diff conn-uids
# @TEST-EXEC: btest-diff output

@load ZeekMPTCP/MPTCP

# Four unanswered MP_CAPABLE SYNs (ports 40003-40006) before the trace's own handshake.
redef MPTCP::max_pending = 2;

event zeek_done()
	{
	print "pending_evicted", MPTCP::plugin_stats()$pending_evicted;
	}
