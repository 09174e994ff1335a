##! zeek-mptcp: Multipath TCP logs (mptcp.log, mptcp_conn.log) and notices.
##! Per-option logging is a separate policy script: options-log.
@load ./main
@load ./notices
@load ./reassembly
