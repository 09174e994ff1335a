# Every mptcp_* event handled by an empty handler: the plugin's worst case.
event mptcp_option(c: connection, is_orig: bool, subtype: count, len: count) { }
event mptcp_option_error(c: connection, is_orig: bool, opt: MPTCP::Option) { }
event mptcp_capable(c: connection, is_orig: bool, opt: MPTCP::Option) { }
event mptcp_join(c: connection, is_orig: bool, opt: MPTCP::Option) { }
event mptcp_dss(c: connection, is_orig: bool, opt: MPTCP::Option) { }
event mptcp_add_addr(c: connection, is_orig: bool, opt: MPTCP::Option) { }
event mptcp_remove_addr(c: connection, is_orig: bool, opt: MPTCP::Option, addr_id: count) { }
event mptcp_prio(c: connection, is_orig: bool, opt: MPTCP::Option) { }
event mptcp_fail(c: connection, is_orig: bool, opt: MPTCP::Option) { }
event mptcp_fastclose(c: connection, is_orig: bool, opt: MPTCP::Option) { }
event mptcp_tcprst(c: connection, is_orig: bool, opt: MPTCP::Option) { }
event mptcp_experimental(c: connection, is_orig: bool, opt: MPTCP::Option) { }
event mptcp_subflow_established(c: connection, info: MPTCP::Link) { }
event mptcp_subflow_linked(c: connection, info: MPTCP::Link) { }
event mptcp_fallback(c: connection, info: MPTCP::Link, reason: string) { }
event mptcp_subflow_done(c: connection, info: MPTCP::Info) { }
event mptcp_connection_closed(c: connection, info: MPTCP::ConnLogInfo) { }
event mptcp_address_id_clash(c: connection, f: MPTCP::Finding) { }
event mptcp_duplicate_add_addr(c: connection, f: MPTCP::Finding) { }
event mptcp_key_change(c: connection, f: MPTCP::Finding) { }
event mptcp_unknown_join(c: connection, f: MPTCP::Finding) { }
event mptcp_join_flood(c: connection, f: MPTCP::Finding) { }
event mptcp_join_auth_failure(c: connection, f: MPTCP::Finding) { }
event mptcp_forged_add_addr(c: connection, f: MPTCP::Finding) { }
event mptcp_mid_connection_fallback(c: connection, f: MPTCP::Finding) { }
