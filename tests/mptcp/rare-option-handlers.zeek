# @TEST-DOC: Handlers for rare per-option events only (neither mptcp_dss nor mptcp_option): the core's shortcuts take the repeated DSS options (mptcp_tracker_segment_options with skip_dss 1), and everything the scripts see (the option events, the higher-level events, mptcp.log, mptcp_conn.log) is the same as when mptcp_dss is handled too, which keeps every packet on the general path.
# @TEST-EXEC: bash %INPUT > output 2>&1
# @TEST-EXEC: btest-diff output

set -e
for t in v1-remove-addr v1-join-v4 v1-prio many-conns; do
	mkdir -p "rare-$t" "all-$t"
	(cd "rare-$t" && zeek -C -r "$TRACES/$t.pcap" ZeekMPTCP/MPTCP ../rare.zeek > events)
	(cd "all-$t" && zeek -C -r "$TRACES/$t.pcap" ZeekMPTCP/MPTCP ../rare.zeek ../with-dss.zeek > events)
	for f in events mptcp.log mptcp_conn.log; do
		if cmp -s <(grep -v '^#' "rare-$t/$f") <(grep -v '^#' "all-$t/$f"); then
			echo "$t $f: same ($(grep -vc '^#' "rare-$t/$f") lines)"
		else
			echo "$t $f: DIFFERENT"
			diff <(grep -v '^#' "rare-$t/$f") <(grep -v '^#' "all-$t/$f") || true
		fi
	done
	cut -d' ' -f2 "rare-$t/events" | sort | uniq -c
done

# @TEST-START-FILE rare.zeek
function p(name: string, c: connection, is_orig: bool, x: any)
	{
	print fmt("%.6f %s %s %s %s", network_time(), name, c$uid, is_orig, x);
	}

event mptcp_capable(c: connection, is_orig: bool, opt: MPTCP::Option) { p("mptcp_capable", c, is_orig, opt); }
event mptcp_join(c: connection, is_orig: bool, opt: MPTCP::Option) { p("mptcp_join", c, is_orig, opt); }
event mptcp_add_addr(c: connection, is_orig: bool, opt: MPTCP::Option) { p("mptcp_add_addr", c, is_orig, opt); }
event mptcp_remove_addr(c: connection, is_orig: bool, opt: MPTCP::Option, addr_id: count) { p("mptcp_remove_addr", c, is_orig, addr_id); }
event mptcp_prio(c: connection, is_orig: bool, opt: MPTCP::Option) { p("mptcp_prio", c, is_orig, opt); }
event mptcp_fastclose(c: connection, is_orig: bool, opt: MPTCP::Option) { p("mptcp_fastclose", c, is_orig, opt); }
event mptcp_subflow_linked(c: connection, info: MPTCP::Link) { p("mptcp_subflow_linked", c, T, info); }
event mptcp_subflow_done(c: connection, info: MPTCP::SubflowInfo) { p("mptcp_subflow_done", c, T, info); }
event mptcp_connection_closed(c: connection, info: MPTCP::ConnInfo) { p("mptcp_connection_closed", c, T, info); }
# @TEST-END-FILE

# @TEST-START-FILE with-dss.zeek
event mptcp_dss(c: connection, is_orig: bool, opt: MPTCP::Option) { }
# @TEST-END-FILE
