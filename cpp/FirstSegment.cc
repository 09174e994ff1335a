#include "FirstSegment.h"

#include "zeek/packet_analysis/Manager.h"

#include "Subflow.h"

namespace zeek::plugin::ZeekMPTCP_MPTCP {

bool GivenUpAtFirstSegment(zeek::Connection* conn, MptcpTracker* tracker,
                           const zeek::packet_analysis::AnalyzerPtr& tcp_analyzer) {
    // Zeek does not hand the packet to the analyzer-tree hook, but its packet manager
    // keeps, for the packet being processed, the bytes each packet analyzer was given:
    // the TCP analyzer's last entry is this connection's segment (inner to any tunnel),
    // cut to the IP payload length.
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
    // So the core checks the checksum even where Zeek would not (zeek -C); a segment
    // whose checksum does not verify (a capture cut short, checksum offload) gets the
    // tap as before, which sees what Zeek does.
    const MptcpAddr a = ToAddr(conn->OrigAddr());
    const MptcpAddr b = ToAddr(conn->RespAddr());
    return mptcp_tracker_gives_up_at_first(tracker, seg.data(), seg.size(), static_cast<uint32_t>(seg.size()), &a,
                                           &b) == 1;
}

} // namespace zeek::plugin::ZeekMPTCP_MPTCP
