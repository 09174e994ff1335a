# Prints what reached the package's core and what was attached (btests).
event zeek_done() &priority=-10
	{
	local s = MPTCP::plugin_stats();
	print fmt("subflows %d, connections without a tap %d, taps attached %d, packets to the core %d",
	          s$subflows, s$conns_without_tap, s$taps_attached, s$packets);
	}
