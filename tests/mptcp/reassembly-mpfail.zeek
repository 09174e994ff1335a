# @TEST-DOC: v1-mpfail.pcap (a bridge flips payload bits; checksums on). Connection 0 (one subflow): the mapping that fails its checksum is taken once the sender falls back with an infinite mapping after it (what the receiver did: its next request follows), so the 30,000-byte body is whole. Connection 1 (two subflows): the failed mapping's bytes are dropped as the receiver dropped them, and the copy reinjected on the joined subflow is delivered: the 50,000-byte body hashes to the clean copy (the one Zeek alone sees on the join subflow), not the corrupted one. Both mismatches are weirds.
# @TEST-EXEC: zeek -C -r $TRACES/v1-mpfail.pcap %INPUT
# @TEST-EXEC: zeek-cut uid id.orig_p uri status_code response_body_len < http.log > http.out
# @TEST-EXEC: zeek-cut uid seen_bytes missing_bytes md5 < files.log > files.out
# @TEST-EXEC: zeek-cut uid name addl < weird.log | grep mptcp_ > weird.out
# @TEST-EXEC: zeek-cut uid mptcp_id close_reason missed_bytes dup_bytes < mptcp_conn.log > mptcp_conn.out
# @TEST-EXEC: btest-diff http.out
# @TEST-EXEC: btest-diff files.out
# @TEST-EXEC: btest-diff weird.out
# @TEST-EXEC: btest-diff mptcp_conn.out

@load ZeekMPTCP/MPTCP
@load frameworks/files/hash-all-files
