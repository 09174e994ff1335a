# @TEST-DOC: Packets with wrong TCP checksums (traces/extra/fallback-first-data.pcap: options overwritten, checksums left as they were; and the thesis's captures, which have some, when ../shared has them): without -C Zeek skips them, and so does the runner, which says how many; with -C both read them. Either way the two write the same MPTCP logs.
# @TEST-EXEC: bash %INPUT > output 2>&1
# @TEST-EXEC: btest-diff output

compare() { # name pcap seed?
    t=$1; pcap=$2
    for mode in default C; do
        flag=""; [ $mode = C ] && flag=-C
        mkdir -p z-$t-$mode r-$t-$mode
        (cd z-$t-$mode && zeek $flag -r $pcap ZeekMPTCP/MPTCP ZeekMPTCP/MPTCP/options-log 2>/dev/null) || echo "$t: zeek failed"
        mptcp-pcap $flag --options-log --logdir r-$t-$mode $pcap 2> r-$t-$mode.stderr || echo "$t: runner failed"
        weirds=$( { zeek-cut name < z-$t-$mode/weird.log; } 2>/dev/null | grep -c bad_TCP_checksum)
        skipped=$(sed -n 's#.*: \([0-9]*\) packets with a wrong.*#\1#p' r-$t-$mode.stderr)
        echo "$t $mode: connections with bad_TCP_checksum in zeek's weird.log: $weirds; packets the runner skipped: ${skipped:-0}"
        for log in mptcp mptcp_conn mptcp_options; do
            if [ -f z-$t-$mode/$log.log ]; then
                echo "$t $mode $log: $(compare-logs z-$t-$mode/$log.log r-$t-$mode/$log.log --ignore uid,frame)"
            else
                echo "$t $mode $log: none from zeek; runner rows: $(grep -vc '^#' r-$t-$mode/$log.log)"
            fi
        done
    done
}

compare fallback-first-data $TRACES/extra/fallback-first-data.pcap

# The thesis's captures (reported apart: not in the baseline; any difference fails the test).
if [ -d "$SEED_TRACES" ]; then
    for pcap in $SEED_TRACES/mod_tok.pcap $SEED_TRACES/mp_capable.pcapng; do
        [ -f $pcap ] && compare seed-$(basename $pcap) $pcap >> seed-output
    done
    grep -E "only (zeek|runner)|differ" seed-output && echo "thesis captures differ"
fi
exit 0
