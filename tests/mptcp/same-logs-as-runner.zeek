# @TEST-DOC: On every bundled trace (the reassembly ones included), Zeek's mptcp.log, mptcp_conn.log, notice.log, mptcp_options.log and the data-level weirds of weird.log equal the offline runner's, row for row (uid, frame and weird's peer/source aside). The runner's options log is itself checked field by field against tshark by the Rust tests.
# @TEST-EXEC: bash %INPUT > output 2>&1
# @TEST-EXEC: btest-diff output

compare() {
    pcap=$1; t=$2
    mkdir -p z/$t r/$t
    (cd z/$t && zeek -C -r $pcap ZeekMPTCP/MPTCP ZeekMPTCP/MPTCP/options-log) || echo "$t: zeek failed"
    mptcp-pcap -C --options-log --logdir r/$t $pcap 2>/dev/null || echo "$t: runner failed"
    # Zeek's weird.log has weirds of its own: keep the data-level ones the runner writes.
    if [ -f z/$t/weird.log ]; then
        mv z/$t/weird.log z/$t/all-weird.log
        awk -F'\t' '/^#/ || $7 ~ /^mptcp_(inconsistent_copy|checksum_mismatch|buffer_limit|unmapped_data|out_of_window)$/' z/$t/all-weird.log > z/$t/weird.log
    fi
    for log in mptcp mptcp_conn notice mptcp_options weird; do
        if [ -f r/$t/$log.log ] && [ "$(grep -vc '^#' r/$t/$log.log)" != 0 ]; then
            [ -f z/$t/$log.log ] || { echo "$t $log: missing in zeek"; continue; }
            echo "$t $log: $(compare-logs z/$t/$log.log r/$t/$log.log --ignore uid,frame,peer,source)"
        elif [ -f z/$t/$log.log ] && [ "$(grep -vc '^#' z/$t/$log.log)" != 0 ]; then
            echo "$t $log: zeek wrote rows the runner did not"
        fi
    done
}

for pcap in $TRACES/*.pcap $TRACES/reassembly/*.pcap; do
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
