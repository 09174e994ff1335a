# @TEST-DOC: Every mptcp_* event on the thesis's capture wrongAdd_Addr.pcap (read from ../shared when present; these captures are not committed).
# @TEST-REQUIRES: test -f $SEED_TRACES/wrongAdd_Addr.pcap
# @TEST-EXEC: zeek -C -r $SEED_TRACES/wrongAdd_Addr.pcap $SCRIPTS/print-events.zeek ZeekMPTCP/MPTCP > output
# @TEST-EXEC: btest-diff output
# @TEST-EXEC: btest-diff notice.log
