# @TEST-DOC: Which lengths of the packet inside a tunnel Zeek analyses, and the offline runner with it (traces/extra/encapsulate.py, from v1-mixed-v4v6.pcap). Whole frames in GTPv1 user data: the same MPTCP logs as without the tunnel. Every frame cut to 150 bytes, as a header-only capture cuts them: inside GRE, IP in IP and GTPv1 Zeek drops each cut packet (weirds truncated_IP_len_in_tunnel, truncated_inner_IP; GTPv1's violation "Truncated GTPv1") and keeps the 86 options of the packets that fit; inside VXLAN it reads as far as the capture goes (112 options). Four bytes after each packet inside GTPv1: Zeek drops them all ("GTPv1 payload length"). For each, Zeek's MPTCP logs equal the runner's.
# @TEST-EXEC: bash %INPUT > output 2>&1
# @TEST-EXEC: btest-diff output

mkdir plain && (cd plain && zeek -r $TRACES/v1-mixed-v4v6.pcap ZeekMPTCP/MPTCP ZeekMPTCP/MPTCP/options-log)
for t in gtp gtp-cut gre-cut ipip-cut vxlan-cut gtp-trail; do
    pcap=$TRACES/extra/v1-mixed-v4v6-$t.pcap
    # (Zeek's stderr has its warning that a cut trace holds only control packets.)
    mkdir z-$t && (cd z-$t && zeek -r $pcap ZeekMPTCP/MPTCP ZeekMPTCP/MPTCP/options-log 2>stderr) || echo "$t: zeek failed"
    grep -i error z-$t/stderr
    echo "$t weird.log: $( [ -f z-$t/weird.log ] && zeek-cut name < z-$t/weird.log | sort -u | tr '\n' ' ')"
    echo "$t analyzer.log: $( [ -f z-$t/analyzer.log ] && zeek-cut analyzer_name failure_reason < z-$t/analyzer.log)"
    mptcp-pcap --options-log --logdir r-$t $pcap || echo "$t: runner failed"
    for log in mptcp mptcp_conn mptcp_options; do
        if [ -f z-$t/$log.log ]; then
            echo "$t $log, zeek vs runner: $(compare-logs z-$t/$log.log r-$t/$log.log --ignore uid,frame)"
        else
            # Zeek writes a log once it has a row; the runner writes each, rows or not.
            echo "$t $log: zeek wrote none, runner rows: $(grep -vc '^#' r-$t/$log.log)"
        fi
    done
done
for log in mptcp mptcp_conn mptcp_options http; do
    echo "gtp $log, tunnel vs none: $(compare-logs z-gtp/$log.log plain/$log.log --ignore uid)"
done
