# @TEST-DOC: MPTCP::reassembly_buffer bounds what one connection holds out of order: on hole.pcap with a 1000-byte limit, bytes waiting behind the hole exceed it, the hole is given up early (weird mptcp_buffer_limit and mptcp_data_issue with its offset and size), delivery goes on, and the bytes that come later count as copies. With the default limit only the real 2,000-byte hole is missed.
# @TEST-EXEC: zeek -C -r $TRACES/reassembly/hole.pcap %INPUT > output
# @TEST-EXEC: zeek-cut name addl < weird.log | grep mptcp_ > weird.out
# @TEST-EXEC: zeek-cut seen_bytes missing_bytes < files.log > files.out
# @TEST-EXEC: zeek-cut missed_bytes dup_bytes < mptcp_conn.log > mptcp_conn.out
# @TEST-EXEC: btest-diff output
# @TEST-EXEC: btest-diff weird.out
# @TEST-EXEC: btest-diff files.out
# @TEST-EXEC: btest-diff mptcp_conn.out

@load ZeekMPTCP/MPTCP
@load frameworks/files/hash-all-files

redef MPTCP::reassembly_buffer = 1000;

event mptcp_data_issue(c: connection, mptcp_id: count, from_client: bool, kind: string, offset: count, len: count)
	{
	print c$uid, mptcp_id, from_client, kind, offset, len;
	}
