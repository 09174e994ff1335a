# @TEST-DOC: flood.pcap (thesis): exactly one join flood notice (plus one unknown join: no handshake in the capture).
# @TEST-REQUIRES: test -f $SEED_TRACES/flood.pcap
# @TEST-EXEC: zeek -C -r $SEED_TRACES/flood.pcap ZeekMPTCP/MPTCP
# @TEST-EXEC: zeek-cut note msg n < notice.log > notes
# @TEST-EXEC: btest-diff notes
