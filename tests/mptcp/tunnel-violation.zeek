# @TEST-DOC: A malformed tunnel header stops Zeek's decapsulation for the rest of that UDP connection, and the offline runner stops at the same packet. Trace: v1-mixed-v4v6-vxlan.pcap with frame 6's VXLAN I flag cleared (traces/extra/vxlan-violation.py). Zeek logs the violation in analyzer.log and then sees only the first subflow's handshake (five packets), so its MPTCP connection ends by timeout with no data; the runner writes the same MPTCP logs, and says on stderr how many packets it did not decapsulate, without failing.
# @TEST-EXEC: bash %INPUT > output 2>&1
# @TEST-EXEC: btest-diff output

pcap=$TRACES/extra/v1-mixed-v4v6-vxlan-violation.pcap
mkdir z && (cd z && zeek -r $pcap ZeekMPTCP/MPTCP ZeekMPTCP/MPTCP/options-log) || echo "zeek failed"
echo "analyzer.log:"
zeek-cut analyzer_kind analyzer_name failure_reason < z/analyzer.log
echo "mptcp_conn.log:"
zeek-cut id.orig_h id.resp_h subflows_attempted subflows_established close_reason orig_bytes resp_bytes missed_bytes < z/mptcp_conn.log
echo "mptcp_options.log rows: $(grep -vc '^#' z/mptcp_options.log)"
mptcp-pcap --options-log --logdir r $pcap 2>stderr || echo "runner failed"
sed "s|$pcap|PCAP|" stderr
for log in mptcp mptcp_conn mptcp_options; do
    echo "$log, zeek vs runner: $(compare-logs z/$log.log r/$log.log --ignore uid,frame)"
done
