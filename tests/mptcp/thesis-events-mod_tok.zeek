# @TEST-DOC: Every mptcp_* event on the thesis's capture mod_tok.pcap (read from ../shared when present; these captures are not committed).
# @TEST-REQUIRES: test -f $SEED_TRACES/mod_tok.pcap
# @TEST-EXEC: zeek -C -r $SEED_TRACES/mod_tok.pcap $SCRIPTS/print-events.zeek ZeekMPTCP/MPTCP > output
# @TEST-EXEC: btest-diff output
# @TEST-EXEC: btest-diff notice.log
