# @TEST-DOC: Zeek's JSON switch applies to the MPTCP logs, and the runner's --json writes the same lines (uid aside).
# @TEST-EXEC: zeek -C -r $TRACES/v1-join-v4.pcap ZeekMPTCP/MPTCP LogAscii::use_json=T
# @TEST-EXEC: btest-diff mptcp.log
# @TEST-EXEC: btest-diff mptcp_conn.log
# @TEST-EXEC: mptcp-pcap --json --logdir r $TRACES/v1-join-v4.pcap
# @TEST-EXEC: for l in mptcp mptcp_conn; do sed 's/"uid":"[^"]*",//' $l.log | sort > z-$l; sed 's/"uid":"[^"]*",//' r/$l.log | sort > r-$l; diff z-$l r-$l; done
