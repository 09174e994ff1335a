# @TEST-DOC: Zeek's JSON switch applies to the MPTCP logs.
# @TEST-EXEC: zeek -C -r $TRACES/v1-join-v4.pcap ZeekMPTCP/MPTCP LogAscii::use_json=T
# @TEST-EXEC: btest-diff mptcp.log
# @TEST-EXEC: btest-diff mptcp_conn.log
