# Prints every mptcp_* event with its arguments, one line each (for event baselines).

function p(name: string, c: connection, is_orig: bool, x: any)
	{
	print fmt("%.6f %s %s:%s > %s:%s %s", network_time(), name,
	          is_orig ? c$id$orig_h : c$id$resp_h, is_orig ? c$id$orig_p : c$id$resp_p,
	          is_orig ? c$id$resp_h : c$id$orig_h, is_orig ? c$id$resp_p : c$id$orig_p, x);
	}

event mptcp_option(c: connection, is_orig: bool, subtype: count, len: count) { p("mptcp_option", c, is_orig, fmt("subtype=%s len=%s", subtype, len)); }
event mptcp_option_error(c: connection, is_orig: bool, opt: MPTCP::Option) { p("mptcp_option_error", c, is_orig, opt); }
event mptcp_capable(c: connection, is_orig: bool, opt: MPTCP::Option) { p("mptcp_capable", c, is_orig, opt); }
event mptcp_join(c: connection, is_orig: bool, opt: MPTCP::Option) { p("mptcp_join", c, is_orig, opt); }
event mptcp_dss(c: connection, is_orig: bool, opt: MPTCP::Option) { p("mptcp_dss", c, is_orig, opt); }
event mptcp_add_addr(c: connection, is_orig: bool, opt: MPTCP::Option) { p("mptcp_add_addr", c, is_orig, opt); }
event mptcp_remove_addr(c: connection, is_orig: bool, opt: MPTCP::Option, addr_id: count) { p("mptcp_remove_addr", c, is_orig, fmt("%s id=%s", opt, addr_id)); }
event mptcp_prio(c: connection, is_orig: bool, opt: MPTCP::Option) { p("mptcp_prio", c, is_orig, opt); }
event mptcp_fail(c: connection, is_orig: bool, opt: MPTCP::Option) { p("mptcp_fail", c, is_orig, opt); }
event mptcp_fastclose(c: connection, is_orig: bool, opt: MPTCP::Option) { p("mptcp_fastclose", c, is_orig, opt); }
event mptcp_tcprst(c: connection, is_orig: bool, opt: MPTCP::Option) { p("mptcp_tcprst", c, is_orig, opt); }
event mptcp_experimental(c: connection, is_orig: bool, opt: MPTCP::Option) { p("mptcp_experimental", c, is_orig, opt); }
event mptcp_subflow_established(c: connection, info: MPTCP::Link) { p("mptcp_subflow_established", c, T, info); }
event mptcp_subflow_linked(c: connection, info: MPTCP::Link) { p("mptcp_subflow_linked", c, T, info); }
event mptcp_fallback(c: connection, info: MPTCP::Link, reason: string) { p("mptcp_fallback", c, T, fmt("%s %s", info, reason)); }
event mptcp_subflow_done(c: connection, info: MPTCP::SubflowInfo) { p("mptcp_subflow_done", c, T, info); }
event mptcp_connection_closed(c: connection, info: MPTCP::ConnInfo) { p("mptcp_connection_closed", c, T, info); }
event mptcp_address_id_clash(c: connection, f: MPTCP::Finding) { p("mptcp_address_id_clash", c, T, f); }
event mptcp_duplicate_add_addr(c: connection, f: MPTCP::Finding) { p("mptcp_duplicate_add_addr", c, T, f); }
event mptcp_key_change(c: connection, f: MPTCP::Finding) { p("mptcp_key_change", c, T, f); }
event mptcp_unknown_join(c: connection, f: MPTCP::Finding) { p("mptcp_unknown_join", c, T, f); }
event mptcp_join_flood(c: connection, f: MPTCP::Finding) { p("mptcp_join_flood", c, T, f); }
event mptcp_join_auth_failure(c: connection, f: MPTCP::Finding) { p("mptcp_join_auth_failure", c, T, f); }
event mptcp_forged_add_addr(c: connection, f: MPTCP::Finding) { p("mptcp_forged_add_addr", c, T, f); }
event mptcp_mid_connection_fallback(c: connection, f: MPTCP::Finding) { p("mptcp_mid_connection_fallback", c, T, f); }
