##! ``mptcp_options.log``: one row per MPTCP option, with the offline runner's columns
##! (``frame``, which Zeek does not know, is left unset), so that Zeek's decoding can
##! be compared with tshark's and the runner's row for row. Costly: it handles the
##! per-option events, DSS included.

module MPTCP;

export {
	redef enum Log::ID += { OPTIONS_LOG };

	global log_policy_options: Log::PolicyHook;

	type OptionsInfo: record {
		## Not known to Zeek: always unset (the runner writes the packet's index).
		frame: count &log &optional;
		ts: time &log;
		src_h: addr &log;
		src_p: port &log;
		dst_h: addr &log;
		dst_p: port &log;
		opt: Option &log;
	};
}

event zeek_init() &priority=5
	{
	Log::create_stream(MPTCP::OPTIONS_LOG, [$columns=OptionsInfo, $path="mptcp_options",
	                                        $policy=log_policy_options]);
	# Flatten the option record to the runner's column names; Zeek reserves "addr"
	# and "port" as names, so the record says address / port_num.
	local f = Log::get_filter(MPTCP::OPTIONS_LOG, "default");
	f$field_name_map = table(["opt.address"] = "addr", ["opt.port_num"] = "port");
	for ( n in record_fields(Option) )
		if ( n != "address" && n != "port_num" )
			f$field_name_map[fmt("opt.%s", n)] = n;
	Log::add_filter(MPTCP::OPTIONS_LOG, f);
	}

function log_option(c: connection, is_orig: bool, opt: Option)
	{
	local src_h = is_orig ? c$id$orig_h : c$id$resp_h;
	local src_p = is_orig ? c$id$orig_p : c$id$resp_p;
	local dst_h = is_orig ? c$id$resp_h : c$id$orig_h;
	local dst_p = is_orig ? c$id$resp_p : c$id$orig_p;
	Log::write(MPTCP::OPTIONS_LOG, OptionsInfo($ts=network_time(), $src_h=src_h, $src_p=src_p,
	                                           $dst_h=dst_h, $dst_p=dst_p, $opt=opt));
	}

event mptcp_option_error(c: connection, is_orig: bool, opt: Option) { log_option(c, is_orig, opt); }
event mptcp_capable(c: connection, is_orig: bool, opt: Option) { log_option(c, is_orig, opt); }
event mptcp_join(c: connection, is_orig: bool, opt: Option) { log_option(c, is_orig, opt); }
event mptcp_dss(c: connection, is_orig: bool, opt: Option) { log_option(c, is_orig, opt); }
event mptcp_add_addr(c: connection, is_orig: bool, opt: Option) { log_option(c, is_orig, opt); }
event mptcp_prio(c: connection, is_orig: bool, opt: Option) { log_option(c, is_orig, opt); }
event mptcp_fail(c: connection, is_orig: bool, opt: Option) { log_option(c, is_orig, opt); }
event mptcp_fastclose(c: connection, is_orig: bool, opt: Option) { log_option(c, is_orig, opt); }
event mptcp_tcprst(c: connection, is_orig: bool, opt: Option) { log_option(c, is_orig, opt); }
event mptcp_experimental(c: connection, is_orig: bool, opt: Option) { log_option(c, is_orig, opt); }

# REMOVE_ADDR: one event per listed id, queued one after another; the option is logged
# once, with its first event. (An option may list an id more than once: counting the
# events, not matching the first id, logs it once all the same.)
global remove_addr_events_left = 0;

event mptcp_remove_addr(c: connection, is_orig: bool, opt: Option, addr_id: count)
	{
	if ( remove_addr_events_left > 0 )
		{
		--remove_addr_events_left;
		return;
		}
	if ( opt?$addr_ids && |opt$addr_ids| > 0 )
		remove_addr_events_left = |opt$addr_ids| - 1;
	log_option(c, is_orig, opt);
	}
