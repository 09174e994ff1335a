# @TEST-DOC: An MPTCP handshake whose first data segment carries no MPTCP option (options stripped after the handshake, as a middlebox does: traces/extra/strip-mptcp.py) falls back to TCP at that segment. The application analyzers get the connection back with that segment's data: http.log has the whole request and conn.log's service shows http beside mptcp; mptcp.log records the fallback. On Zeek 8.0 the child analyzer sees the packet only after the TCP analyzer delivered its data to the silenced analyzers, and hands that data to them again (cpp/PacketChild.cc): same output there.
# @TEST-EXEC: zeek -C -r $TRACES/extra/fallback-first-data.pcap ZeekMPTCP/MPTCP
# @TEST-EXEC: zeek-cut id.orig_p service < conn.log > output
# @TEST-EXEC: zeek-cut method host uri status_code response_body_len < http.log >> output
# @TEST-EXEC: zeek-cut initial established fallback < mptcp.log >> output
# @TEST-EXEC: btest-diff output
