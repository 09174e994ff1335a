# @TEST-DOC: Every mptcp_* event on the thesis's capture mp_key_change.pcap (read from ../shared when present; these captures are not committed).
# @TEST-REQUIRES: test -f $SEED_TRACES/mp_key_change.pcap
# @TEST-EXEC: zeek -C -r $SEED_TRACES/mp_key_change.pcap $SCRIPTS/print-events.zeek ZeekMPTCP/MPTCP > output
# @TEST-EXEC: btest-diff output
# @TEST-EXEC: btest-diff notice.log
