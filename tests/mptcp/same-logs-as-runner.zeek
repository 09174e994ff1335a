# @TEST-DOC: On every bundled trace, Zeek's mptcp.log, mptcp_conn.log, notice.log and mptcp_options.log equal the offline runner's, row for row (uid and frame aside). The runner's options log is itself checked field by field against tshark by the Rust tests.
# @TEST-EXEC: bash %INPUT > output 2>&1
# @TEST-EXEC: btest-diff output

compare() {
    pcap=$1; t=$2
    mkdir -p z/$t r/$t
    (cd z/$t && zeek -C -r $pcap ZeekMPTCP/MPTCP ZeekMPTCP/MPTCP/options-log) || echo "$t: zeek failed"
    mptcp-pcap --options-log --logdir r/$t $pcap 2>/dev/null || echo "$t: runner failed"
    for log in mptcp mptcp_conn notice mptcp_options; do
        if [ -f r/$t/$log.log ] && [ "$(grep -vc '^#' r/$t/$log.log)" != 0 ]; then
            [ -f z/$t/$log.log ] || { echo "$t $log: missing in zeek"; continue; }
            echo "$t $log: $(compare-logs z/$t/$log.log r/$t/$log.log --ignore uid,frame)"
        elif [ -f z/$t/$log.log ]; then
            echo "$t $log: zeek wrote rows the runner did not"
        fi
    done
}

for pcap in $TRACES/*.pcap; do
    t=$(basename $pcap .pcap)
    compare $pcap $t
done

# The thesis's captures, when ../shared is present (reported apart: not in the baseline).
if [ -d "$SEED_TRACES" ]; then
    for pcap in $SEED_TRACES/*.pcap*; do
        t=seed-$(basename $pcap)
        compare $pcap $t >> seed-output 2>/dev/null
    done
    # Any difference lands in the output and fails the test.
    grep -v "rows equal" seed-output && echo "thesis captures differ"
fi
exit 0
