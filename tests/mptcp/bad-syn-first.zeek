# @TEST-DOC: A connection's first packet decides whether the package attaches anything to it, so that decision is taken only from a packet Zeek's TCP analyzer takes. v1-join-v4-bad-syn-first.pcap (traces/extra/bad-syn-first.py): each subflow's MP_CAPABLE or MP_JOIN SYN is preceded by a twin without MPTCP and with a wrong TCP checksum, which Zeek skips. Both subflows are still tracked: the MPTCP logs equal those of v1-join-v4.pcap (uids aside), the join is verified, and the runner (which skips the twins too) writes the same logs. The same trace read with -C (Zeek takes the twins) is the other case: each connection begins as plain TCP, so the package leaves it, as it does a plain SYN followed by an MPTCP one on one 4-tuple.
# @TEST-EXEC: bash %INPUT > output 2>&1
# @TEST-EXEC: btest-diff output

pcap=$TRACES/extra/v1-join-v4-bad-syn-first.pcap
mkdir plain && (cd plain && zeek -r $TRACES/v1-join-v4.pcap ZeekMPTCP/MPTCP)
mkdir z && (cd z && zeek -r $pcap ZeekMPTCP/MPTCP $SCRIPTS/plugin-stats.zeek > stats)
for log in mptcp mptcp_conn; do
    echo "$log, bad SYN first vs none: $(compare-logs z/$log.log plain/$log.log --ignore uid)"
done
zeek-cut linked_by join_auth < z/mptcp.log
zeek-cut name < z/weird.log | sort | uniq -c
cat z/stats
mptcp-pcap --logdir r $pcap > /dev/null 2> runner.err || echo "runner failed"
sed "s|$TRACES/||" runner.err
for log in mptcp mptcp_conn; do
    echo "$log, zeek vs runner: $(compare-logs z/$log.log r/$log.log --ignore uid)"
done
mkdir c && (cd c && zeek -C -r $pcap ZeekMPTCP/MPTCP $SCRIPTS/plugin-stats.zeek > stats)
echo "with -C: mptcp.log $(test -e c/mptcp.log && echo written || echo 'not written')"
cat c/stats
