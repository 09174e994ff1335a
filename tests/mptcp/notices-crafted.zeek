# @TEST-DOC: Each crafted trace raises exactly the notices its README states; kernel traces raise none but Duplicate_Add_Addr (v1-mpfail: mid-connection fallbacks, a bit-flipping bridge).
# @TEST-EXEC: bash %INPUT > output 2>&1
# @TEST-EXEC: btest-diff output

for pcap in $TRACES/*.pcap; do
    t=$(basename $pcap .pcap)
    mkdir -p $t
    (cd $t && zeek -C -r $pcap ZeekMPTCP/MPTCP)
    if [ -f $t/notice.log ]; then
        echo "$t: $(zeek-cut note < $t/notice.log | sort | uniq -c | tr -s ' ' | tr '\n' ';')"
    else
        echo "$t: none"
    fi
done
