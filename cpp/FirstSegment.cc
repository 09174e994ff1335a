#include "FirstSegment.h"

#include <netinet/in.h>

#include "zeek/net_util.h"
#include "zeek/packet_analysis/Manager.h"

namespace zeek::plugin::ZeekMPTCP_MPTCP {

bool GivenUpAtFirstSegment(zeek::Connection* conn, MptcpTracker* tracker) {
    // Zeek does not hand the packet to the analyzer-tree hook, but its packet manager
    // keeps, for the packet being processed, the bytes each packet analyzer was given:
    // the TCP analyzer's last entry is this connection's segment (inner to any tunnel),
    // cut to the IP payload length. Looked up by name once.
    static const auto tcp_analyzer = zeek::packet_mgr->GetAnalyzer("TCP");
    if ( ! tcp_analyzer )
        return false;
    const auto spans = zeek::packet_mgr->GetAnalyzerData(tcp_analyzer);
    if ( spans.empty() )
        return false;
    const auto seg = spans.back();
    if ( seg.size() < 20 || seg.size() > 65535 )
        return false;
    // Only a segment Zeek's TCP analyzer takes may decide: one it skips (a bad checksum)
    // leaves the connection to its next packet, which may be an MP_CAPABLE SYN. (Zeek
    // itself then starts a new connection at that SYN, its sequence number not being
    // the skipped one's, as btest bad-syn-first shows; this check does not rely on it.)
    // So the checksum is checked here even where Zeek would not check it (zeek -C); one
    // that does not verify (a capture cut short, checksum offload) gets the tap as
    // before, which sees what Zeek does. The pseudo-header's sum does not depend on
    // which end is the originator.
    const bool v4 = conn->OrigAddr().GetFamily() == IPv4;
    if ( zeek::detail::ip_in_cksum(v4, conn->OrigAddr(), conn->RespAddr(), IPPROTO_TCP, seg.data(),
                                   static_cast<int>(seg.size())) != 0xffff )
        return false;
    return mptcp_tracker_gives_up_at_first(tracker, seg.data(), seg.size(), static_cast<uint32_t>(seg.size())) == 1;
}

} // namespace zeek::plugin::ZeekMPTCP_MPTCP
