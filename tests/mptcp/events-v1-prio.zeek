# @TEST-DOC: Every mptcp_* event on v1-prio.pcap. The options in this baseline were checked against tshark's decode through the runner (same rows, see same-logs-as-runner and the Rust tshark tests).
# @TEST-EXEC: zeek -C -r $TRACES/v1-prio.pcap $SCRIPTS/print-events.zeek > output
# @TEST-EXEC: btest-diff output
