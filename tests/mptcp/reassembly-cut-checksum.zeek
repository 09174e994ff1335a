# @TEST-DOC: Data-level counts when a mapping fails its DSS checksum over segments the capture cut short (traces/extra/cut-frames.py: v1-mpfail.pcap with two of its first connection's 1,420-byte segments cut to 1,055 bytes). The connection falls back to TCP; its held bytes go on unchecked when its subflow ends, before its streams are flushed, so only the two cut segments are missed (2,840 bytes) and none is duplicate. The package counted 30,103 missed and 27,263 duplicate (it flushed first), the offline runner 2,840 and 0; found by fuzz/zeek-mutations.py --runner. Zeek's mptcp_conn.log equals the runner's, and the trace without the cuts misses nothing.
# @TEST-EXEC: bash %INPUT > output 2>&1
# @TEST-EXEC: btest-diff output

for t in v1-mpfail extra/v1-mpfail-cut; do
    n=$(basename $t)
    mkdir z-$n && (cd z-$n && zeek -C -r $TRACES/$t.pcap ZeekMPTCP/MPTCP 2>stderr) || echo "$n: zeek failed"
    grep -i error z-$n/stderr
    echo "$n: $(zeek-cut id.orig_p close_reason orig_bytes resp_bytes missed_bytes dup_bytes < z-$n/mptcp_conn.log | sort | tr '\t\n' '  ')"
    mptcp-pcap -C --logdir r-$n $TRACES/$t.pcap 2>/dev/null || echo "$n: runner failed"
    echo "$n mptcp_conn, zeek vs runner: $(compare-logs z-$n/mptcp_conn.log r-$n/mptcp_conn.log --ignore uid)"
done
