# @TEST-DOC: As fallback-first-data, with the GET cut in two segments sent in reverse order (traces/extra/split-segment.py): the connection falls back at the later piece, which the TCP reassembler holds until the first piece arrives, so the application analyzers, back on by then, get the whole request. On Zeek 8.0 the child analyzer must not hand the out-of-order piece to them again (it would read as the request's start: bad_HTTP_request, no method).
# @TEST-EXEC: zeek -C -r $TRACES/extra/fallback-first-data-reordered.pcap ZeekMPTCP/MPTCP
# @TEST-EXEC: zeek-cut id.orig_p service history < conn.log > output
# @TEST-EXEC: zeek-cut method host uri status_code response_body_len < http.log >> output
# @TEST-EXEC: zeek-cut initial established fallback < mptcp.log >> output
# @TEST-EXEC: test ! -f weird.log || zeek-cut name < weird.log >> output
# @TEST-EXEC: btest-diff output
