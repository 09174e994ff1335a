##! zeek-mptcp: Multipath TCP logs (mptcp.log, mptcp_conn.log) and notices.
##! Per-option logging is a separate policy script: options-log. In a Zeek cluster,
##! cluster.zeek links subflows across workers through the proxies.
@load ./main
@load ./notices
@load ./reassembly
@load ./cluster
