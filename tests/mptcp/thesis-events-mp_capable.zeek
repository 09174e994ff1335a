# @TEST-DOC: Every mptcp_* event on the thesis capture mp_capable.pcapng (benign: no notice; read from ../shared when present; these captures are not committed).
# @TEST-REQUIRES: test -f $SEED_TRACES/mp_capable.pcapng
# @TEST-EXEC: zeek -C -r $SEED_TRACES/mp_capable.pcapng $SCRIPTS/print-events.zeek ZeekMPTCP/MPTCP > output
# @TEST-EXEC: btest-diff output
# @TEST-EXEC: test ! -f notice.log
