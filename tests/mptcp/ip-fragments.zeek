# @TEST-DOC: Subflows whose packets arrive as IP fragments (traces/extra/fragment.py: v1-mixed-v4v6.pcap's IPv4 and IPv6 packets cut into 32-byte fragments, SYN options split between fragments, every other packet's fragments last first): Zeek puts them together before the plugin sees them, and the package's logs and http.log equal those for the unfragmented trace, row for row (uids aside). The plugin reads a reassembled packet from Zeek's reassembly buffer, not from the frame of its last fragment. The offline runner puts fragments together too and writes the same MPTCP logs.
# @TEST-EXEC: bash %INPUT > output 2>&1
# @TEST-EXEC: btest-diff output

mkdir plain && (cd plain && zeek -r $TRACES/v1-mixed-v4v6.pcap ZeekMPTCP/MPTCP ZeekMPTCP/MPTCP/options-log)
pcap=$TRACES/extra/v1-mixed-v4v6-fragments.pcap
mkdir z && (cd z && zeek -r $pcap ZeekMPTCP/MPTCP ZeekMPTCP/MPTCP/options-log) || echo "zeek failed"
for log in mptcp mptcp_conn mptcp_options http; do
    echo "$log, fragments vs none: $(compare-logs z/$log.log plain/$log.log --ignore uid)"
done
zeek-cut id.orig_h id.resp_h service < z/conn.log | sort
zeek-cut name < z/weird.log | sort | uniq -c
mptcp-pcap --options-log --logdir r $pcap || echo "runner failed"
for log in mptcp mptcp_conn mptcp_options; do
    echo "$log, zeek vs runner: $(compare-logs z/$log.log r/$log.log --ignore uid,frame)"
done
