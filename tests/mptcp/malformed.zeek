# @TEST-DOC: bad-options.pcap: each of the 22 malformed options raises mptcp_option_error (not the subtype event) and a weird; Zeek does not crash; the valid connections are still MPTCP.
# @TEST-EXEC: zeek -C -r $TRACES/bad-options.pcap %INPUT ZeekMPTCP/MPTCP > output
# @TEST-EXEC: btest-diff output
# @TEST-EXEC: zeek-cut name addl < weird.log > weirds
# @TEST-EXEC: btest-diff weirds
# @TEST-EXEC: zeek-cut id.orig_p mptcp_id initial established linked_by < mptcp.log > subflows
# @TEST-EXEC: btest-diff subflows

event mptcp_option_error(c: connection, is_orig: bool, opt: MPTCP::Option)
	{
	print opt$subtype, opt$len, opt$error;
	}
