# @TEST-DOC: The offline runner decapsulates the UDP tunnels Zeek finds by protocol detection, and stops where Zeek stops (traces/extra/encapsulate.py, from v1-mixed-v4v6.pcap): AYIYA carrying both subflows and Teredo (origin indication) carrying the IPv6 one, both on ports 40000 -> 40001, not their own; and Teredo on its port with every frame cut to 150 bytes, which Zeek reports as a violation at the first cut packet, decapsulating no more. For each, Zeek's MPTCP logs equal the runner's; with AYIYA they also equal Zeek's for the trace without the tunnel.
# @TEST-EXEC: bash %INPUT > output 2>&1
# @TEST-EXEC: btest-diff output

mkdir plain && (cd plain && zeek -r $TRACES/v1-mixed-v4v6.pcap ZeekMPTCP/MPTCP ZeekMPTCP/MPTCP/options-log)
for t in ayiya-port teredo-port teredo-cut; do
    pcap=$TRACES/extra/v1-mixed-v4v6-$t.pcap
    mkdir z-$t && (cd z-$t && zeek -r $pcap ZeekMPTCP/MPTCP ZeekMPTCP/MPTCP/options-log) || echo "$t: zeek failed"
    echo "$t tunnel.log: $(zeek-cut tunnel_type action < z-$t/tunnel.log | sort -u | tr '\t\n' '  ')"
    echo "$t analyzer.log: $( [ -f z-$t/analyzer.log ] && zeek-cut analyzer_name failure_reason < z-$t/analyzer.log)"
    echo "$t mptcp_options.log rows: $(grep -vc '^#' z-$t/mptcp_options.log)"
    mptcp-pcap --options-log --logdir r-$t $pcap 2>stderr || echo "$t: runner failed"
    sed "s|$pcap|PCAP|" stderr
    for log in mptcp mptcp_conn mptcp_options; do
        echo "$t $log, zeek vs runner: $(compare-logs z-$t/$log.log r-$t/$log.log --ignore uid,frame)"
    done
done
for log in mptcp mptcp_conn mptcp_options http; do
    echo "ayiya-port $log, tunnel vs none: $(compare-logs z-ayiya-port/$log.log plain/$log.log --ignore uid)"
done
