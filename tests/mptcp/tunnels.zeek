# @TEST-DOC: MPTCP inside the tunnels a mirrored sensor sees (traces/extra/encapsulate.py: the IPv4 and IPv6 subflows of v1-mixed-v4v6.pcap carried in VXLAN, and in GRE): Zeek's MPTCP logs and http.log equal those it writes for the trace without the tunnel, row for row (uids aside), tunnel.log has the tunnel and conn.log names it as the subflows' parent, and the offline runner, which follows the same tunnels, writes the same MPTCP logs as Zeek.
# @TEST-EXEC: bash %INPUT > output 2>&1
# @TEST-EXEC: btest-diff output

mkdir plain && (cd plain && zeek -r $TRACES/v1-mixed-v4v6.pcap ZeekMPTCP/MPTCP ZeekMPTCP/MPTCP/options-log)
for t in vxlan gre; do
    pcap=$TRACES/extra/v1-mixed-v4v6-$t.pcap
    mkdir -p z-$t
    (cd z-$t && zeek -r $pcap ZeekMPTCP/MPTCP ZeekMPTCP/MPTCP/options-log) || echo "$t: zeek failed"
    for log in mptcp mptcp_conn mptcp_options http; do
        echo "$t $log, tunnel vs none: $(compare-logs z-$t/$log.log plain/$log.log --ignore uid)"
    done
    echo "$t conn.log:"
    zeek-cut id.orig_h id.resp_h id.resp_p proto service < z-$t/conn.log | sort
    # Each subflow's tunnel_parents is the uid tunnel.log gives the tunnel.
    zeek-cut tunnel_type action < z-$t/tunnel.log
    tunnel_uid=$(zeek-cut uid < z-$t/tunnel.log | sort -u)
    echo "$t subflows whose parent is the tunnel: $(zeek-cut tunnel_parents < z-$t/conn.log | grep -c "^$tunnel_uid\$")"
    mptcp-pcap --options-log --logdir r-$t $pcap || echo "$t: runner failed"
    for log in mptcp mptcp_conn mptcp_options; do
        echo "$t $log, zeek vs runner: $(compare-logs z-$t/$log.log r-$t/$log.log --ignore uid,frame)"
    done
done
