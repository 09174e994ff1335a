# @TEST-DOC: Zeek on the crafted reassembly traces: the HTTP messages carried over several subflows (interleaved, reinjected, with holes, 32-bit DSNs wrapping, bodies in both directions) are analyzed whole; files.log hashes equal the oracle's http_bodies md5 (tests/traces/reassembly/*.expect.json), holes show as missing_bytes.
# @TEST-EXEC: bash %INPUT > output 2>&1
# @TEST-EXEC: btest-diff output

for pcap in $TRACES/reassembly/*.pcap; do
    t=$(basename $pcap .pcap)
    mkdir -p $t
    (cd $t && zeek -C -r $pcap ZeekMPTCP/MPTCP frameworks/files/hash-all-files) || echo "$t: zeek failed"
    echo "== $t"
    echo "http: $(zeek-cut method uri status_code request_body_len response_body_len < $t/http.log | tr '\t\n' ' ;')"
    echo "files: $(zeek-cut seen_bytes missing_bytes md5 < $t/files.log | sort | tr '\t\n' ' ;')"
    echo "conn services: $(zeek-cut service < $t/conn.log | sort | tr '\n' ' ')"
    echo "mptcp_conn: $(zeek-cut missed_bytes dup_bytes close_reason < $t/mptcp_conn.log | tr '\t\n' ' ;')"
done
exit 0
