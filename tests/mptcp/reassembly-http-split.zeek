# @TEST-DOC: Data-level reassembly: http-split.pcap's 1 MiB response, spread over two subflows, is analyzed whole under the initial subflow's uid; the joined subflow has no HTTP rows of its own.
# @TEST-EXEC: zeek -C -r $TRACES/http-split.pcap %INPUT > output
# @TEST-EXEC: zeek-cut uid method host uri status_code response_body_len < http.log > http.out
# @TEST-EXEC: zeek-cut uid source seen_bytes total_bytes missing_bytes md5 sha1 < files.log > files.out
# @TEST-EXEC: zeek-cut uid id.orig_p service missed_bytes < conn.log | sort > conn.out
# @TEST-EXEC: zeek-cut uid mptcp_id close_reason missed_bytes dup_bytes < mptcp_conn.log > mptcp_conn.out
# @TEST-EXEC: btest-diff http.out
# @TEST-EXEC: btest-diff files.out
# @TEST-EXEC: btest-diff conn.out
# @TEST-EXEC: btest-diff mptcp_conn.out
# @TEST-EXEC: btest-diff output

@load ZeekMPTCP/MPTCP
@load frameworks/files/hash-all-files

event zeek_done()
	{
	local s = MPTCP::plugin_stats();
	print fmt("stream_bytes=%d orphan=%d", s$stream_bytes, s$stream_orphan_bytes);
	}
