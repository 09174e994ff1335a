# @TEST-DOC: Every mptcp_* event on the thesis's capture mp_capable.pcapng (read from ../shared when present; these captures are not committed).
# @TEST-REQUIRES: test -f $SEED_TRACES/mp_capable.pcapng
# @TEST-EXEC: zeek -C -r $SEED_TRACES/mp_capable.pcapng $SCRIPTS/print-events.zeek ZeekMPTCP/MPTCP > output
# @TEST-EXEC: btest-diff output
# @TEST-EXEC: btest-diff notice.log
