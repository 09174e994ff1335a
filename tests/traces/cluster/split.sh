#!/bin/sh
# Split kernel traces of tests/traces by 4-tuple, as a cluster's load balancer would:
# X-initial.pcap holds the MP_CAPABLE subflows (per X.summary.txt), X-joins.pcap every
# other TCP connection (the MP_JOIN subflows). Usage: ./split.sh [X...]
set -e
cd "$(dirname "$0")"
for t in "${@:-many-conns v1-multi-subflow v1-join-v4 v1-mixed-v4v6 v1-mpfail v1-checksum v1-fastclose v1-prio v1-remove-addr}"; do
    for x in $t; do
        f=""
        # "tcp.stream N A:pa -> B:pb  [MP_CAPABLE; ..." (IPv6 as [a]:p)
        for pair in $(grep 'MP_CAPABLE' ../$x.summary.txt | grep 'tcp.stream' |
                      sed -E 's/.*tcp\.stream [0-9]+ ([^ ]+) -> ([^ ]+) .*/\1,\2/'); do
            a=${pair%,*}; b=${pair#*,}
            ah=$(echo "$a" | sed -E 's/^\[?(.*[^]])\]?:[0-9]+$/\1/'); ap=${a##*:}
            bh=$(echo "$b" | sed -E 's/^\[?(.*[^]])\]?:[0-9]+$/\1/'); bp=${b##*:}
            ah=${ah%]}; bh=${bh%]}
            c="(host $ah and host $bh and port $ap and port $bp)"
            f="${f:+$f or }$c"
        done
        tcpdump -r ../$x.pcap -w $x-initial.pcap "tcp and ($f)" 2>/dev/null
        tcpdump -r ../$x.pcap -w $x-joins.pcap "tcp and not ($f)" 2>/dev/null
        echo "$x: $(tcpdump -r $x-initial.pcap 2>/dev/null | wc -l) initial-subflow packets, $(tcpdump -r $x-joins.pcap 2>/dev/null | wc -l) join packets"
    done
done
# unknown-join.pcap moved next to the kernel traces in time (pseudo-realtime replay):
# editcap -t 95636789.999 ../unknown-join.pcap unknown-join-shifted.pcap
