# @TEST-DOC: Zeek's TCP connections and the package's MPTCP view of them agree, and the offline runner's are the same (traces/extra/tcp-session.py, from v1-join-v4.pcap). A capture that starts mid-stream, with a server's packet first: Zeek makes the client (the end not on a likely server port) the originator, and so does the runner. The SYN sent again after its SYN/ACK: a retransmission, not a new connection, for both (one MPTCP connection of two subflows, closed by DATA_FIN). The first SYN missed by the capture, the server on port 5201: Zeek makes the SYN/ACK's sender the originator, then flips the connection at the third ACK (history ^h); the package reads the subflow as Zeek ends up naming it, so the client's key and the server's are each their own end's and the join verifies. Zeek's MPTCP logs equal the runner's.
# @TEST-EXEC: bash %INPUT > output 2>&1
# @TEST-EXEC: btest-diff output

for t in mid-stream syn-again no-syn; do
    pcap=$TRACES/extra/v1-join-v4-$t.pcap
    mkdir z-$t && (cd z-$t && zeek -r $pcap ZeekMPTCP/MPTCP ZeekMPTCP/MPTCP/options-log 2>stderr) || echo "$t: zeek failed"
    grep -i error z-$t/stderr
    echo "$t conn.log: $(zeek-cut id.orig_h id.orig_p id.resp_h id.resp_p history < z-$t/conn.log | sort | tr '\t\n' '  ')"
    mptcp-pcap --options-log --logdir r-$t $pcap || echo "$t: runner failed"
    echo "$t runner mptcp.log: $(zeek-cut id.orig_h id.orig_p id.resp_h id.resp_p mptcp_id initial < r-$t/mptcp.log | sort | tr '\t\n' '  ')"
    for log in mptcp mptcp_conn mptcp_options; do
        if [ -f z-$t/$log.log ]; then
            echo "$t $log, zeek vs runner: $(compare-logs z-$t/$log.log r-$t/$log.log --ignore uid,frame)"
        else
            echo "$t $log: zeek wrote none, runner rows: $(grep -vc '^#' r-$t/$log.log)"
        fi
    done
done
echo "syn-again mptcp_conn.log: $(zeek-cut subflows_established close_reason < z-syn-again/mptcp_conn.log)"
echo "no-syn mptcp.log: $(zeek-cut id.orig_p id.resp_p initial linked_by join_auth < z-no-syn/mptcp.log | sort | tr '\t\n' '  ')"
echo "no-syn mptcp_conn.log: $(zeek-cut id.orig_p orig_token resp_token subflows_established close_reason orig_bytes resp_bytes < z-no-syn/mptcp_conn.log)"
