# @TEST-DOC: redef MPTCP::reassemble = F gives Zeek's own per-subflow behaviour back: each subflow's HTTP analyzer sees only its fragment (files.log: 456,811 of 1,048,576 bytes, wrong md5).
# @TEST-EXEC: zeek -C -r $TRACES/http-split.pcap %INPUT
# @TEST-EXEC: zeek-cut uid status_code response_body_len < http.log > http.out
# @TEST-EXEC: zeek-cut uid seen_bytes missing_bytes md5 < files.log > files.out
# @TEST-EXEC: btest-diff http.out
# @TEST-EXEC: btest-diff files.out

@load ZeekMPTCP/MPTCP
@load frameworks/files/hash-all-files

redef MPTCP::reassemble = F;
