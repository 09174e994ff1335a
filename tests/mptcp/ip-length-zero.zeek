# @TEST-DOC: Segments whose IPv4 total length is 0, as captures on hosts with TCP segmentation offload show them (traces/extra/zero-ip-length.py on v1-join-v4.pcap: every packet with TCP payload). With -C Zeek takes their length from the capture (weird ip_hdr_len_zero), and so does the plugin: the package's logs and http.log equal those for the unchanged trace, no byte counted missing; the runner with -C writes the MPTCP logs Zeek writes. Without -C both skip these packets (Zeek: their TCP checksums cannot be right), the runner saying how many, and again write the same MPTCP logs.
# @TEST-EXEC: bash %INPUT > output 2>&1
# @TEST-EXEC: btest-diff output

mkdir plain && (cd plain && zeek -C -r $TRACES/v1-join-v4.pcap ZeekMPTCP/MPTCP ZeekMPTCP/MPTCP/options-log)
pcap=$TRACES/extra/v1-join-v4-ip-length-zero.pcap
mkdir z && (cd z && zeek -C -r $pcap ZeekMPTCP/MPTCP ZeekMPTCP/MPTCP/options-log) || echo "zeek failed"
for log in mptcp mptcp_conn mptcp_options http; do
    echo "$log, IP length 0 vs unchanged: $(compare-logs z/$log.log plain/$log.log --ignore uid)"
done
zeek-cut missed_bytes < z/mptcp_conn.log
zeek-cut name < z/weird.log | sort | uniq -c
mptcp-pcap -C --options-log --logdir r $pcap || echo "runner failed"
for log in mptcp mptcp_conn mptcp_options; do
    echo "$log, zeek vs runner: $(compare-logs z/$log.log r/$log.log --ignore uid,frame)"
done
# Without -C: the packets are skipped by both.
mkdir z-default && (cd z-default && zeek -r $pcap ZeekMPTCP/MPTCP ZeekMPTCP/MPTCP/options-log 2>/dev/null) || echo "zeek failed"
mptcp-pcap --options-log --logdir r-default $pcap 2> runner.stderr || echo "runner failed"
sed "s#$pcap#TRACE#" runner.stderr
zeek-cut name < z-default/weird.log | sort | uniq -c
for log in mptcp mptcp_conn mptcp_options; do
    echo "$log without -C, zeek vs runner: $(compare-logs z-default/$log.log r-default/$log.log --ignore uid,frame)"
done
