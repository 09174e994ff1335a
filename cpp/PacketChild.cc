#include "PacketChild.h"

#if ZEEK_VERSION_NUMBER < 80100

#include <algorithm>
#include <climits>
#include <cstddef>
#include <cstring>

#include "zeek/IP.h"
#include "zeek/analyzer/protocol/tcp/TCP_Endpoint.h"
#include "zeek/analyzer/protocol/tcp/TCP_Reassembler.h"
#include "zeek/iosource/Packet.h"
#include "zeek/packet_analysis/protocol/tcp/TCPSessionAdapter.h"
#include "zeek/RunState.h"
#include "zeek/Timer.h"

#include "Plugin.h"

namespace zeek::plugin::ZeekMPTCP_MPTCP {

namespace {

// Releases a given-up subflow's core state outside the packet path, as the tap's
// DetachTimer does on 8.1+. The connection is held, so the analyzer outlives the timer;
// once the connection is finished its Done() has released the state already.
class ReleaseTimer final : public zeek::detail::Timer {
public:
    ReleaseTimer(double t, zeek::Connection* c, PacketChild* child)
        : Timer(t, zeek::detail::TIMER_SCHEDULE), conn(c), child(child) {
        zeek::Ref(conn);
    }
    ~ReleaseTimer() override { zeek::Unref(conn); }

    void Dispatch(double /* t */, bool /* is_expire */) override {
        if ( ! conn->IsFinished() )
            child->Release();
    }

private:
    zeek::Connection* conn;
    PacketChild* child;
};

// The application analyzers the core just gave back (fallback before the first mapping)
// were silenced while this packet's data went past them (the TCP analyzer delivers a
// packet's data before its child packet analyzers see the packet): hand them that data
// now, when the TCP reassembler has delivered exactly this payload in the packet's
// direction, i.e. its stream so far is this payload (relative sequence numbers 1 to
// 1 + len). Otherwise (data held out of order, or bytes delivered before) nothing is
// replayed: a piece out of its place would mislead the analyzers more than a gap does.
// The payload and its direction are found again from the current packet, as the TCP
// analyzer found them, so that DeliverPacket keeps nothing but `this` across the core's
// call (each value kept costs every packet a saved register); out of line for the
// same reason.
[[gnu::noinline]] void replay_first_data(zeek::Connection* conn, Subflow& subflow) {
    const auto given_back = subflow.TakeGivenBack();
    const zeek::Packet* pkt = zeek::run_state::current_pkt;
    auto* adapter = dynamic_cast<zeek::packet_analysis::TCP::TCPSessionAdapter*>(conn->GetSessionAdapter());
    if ( ! pkt || ! pkt->ip_hdr || ! adapter )
        return;
    const u_char* tcp = pkt->ip_hdr->Payload();
    const int ip_payload = pkt->ip_hdr->PayloadLen();
    const ptrdiff_t captured = CapturedLength(*pkt, tcp, ip_payload);
    if ( captured < 20 )
        return;
    // The side that sent it, as Zeek's IP analyzer tells it (the connection's roles, if
    // they ever flipped, have flipped by now).
    uint16_t src_port;
    std::memcpy(&src_port, tcp, sizeof(src_port)); // network order, as OrigPort()
    const bool is_orig = pkt->ip_hdr->SrcAddr() == conn->OrigAddr() && src_port == conn->OrigPort();
    // Past the TCP header, up to the IP payload's end or the captured end, whichever
    // comes first (as the TCP analyzer takes it).
    const ptrdiff_t header = (tcp[12] >> 4) * 4;
    const ptrdiff_t len = std::min<ptrdiff_t>(captured, SegmentLength(ip_payload, captured)) - header;
    const auto* endpoint = is_orig ? adapter->Orig() : adapter->Resp();
    const auto* reassembler = endpoint ? endpoint->contents_processor : nullptr;
    if ( len <= 0 || len > INT_MAX || ! reassembler || reassembler->DataSeq() != 1 + static_cast<uint64_t>(len) )
        return;
    for ( auto id : given_back )
        if ( auto* a = adapter->FindChild(id); a && ! a->Skipping() )
            a->NextStream(static_cast<int>(len), tcp + header, is_orig);
}

} // namespace

void PacketChild::DeliverPacket(int len, const u_char* data, bool is_orig, uint64_t /* seq */,
                                const zeek::IP_Hdr* ip, int /* caplen */) {
    if ( ! ip )
        return;
    // `data` is the payload and `len` its captured length; the TCP header starts the IP payload.
    const u_char* tcp = ip->Payload();
    // The packet's own time, as the tap passes on 8.1+ (network_time never goes back, so
    // it differs for a packet stamped earlier than the one before it).
    const zeek::Packet* pkt = zeek::run_state::current_pkt;
    const double ts = pkt ? pkt->time : zeek::run_state::network_time;
    const ptrdiff_t captured = (data + len) - tcp;
    const unsigned r = subflow.Packet(mode, tcp, captured, SegmentLength(ip->PayloadLen(), captured), is_orig, ts);
    if ( r == Subflow::kKeep )
        return;
    if ( r & Subflow::kGaveBack )
        replay_first_data(Conn(), subflow);
    if ( ! (r & Subflow::kKeep) ) {
        // No more work for this connection; its final facts, if the core holds any, from a
        // timer, at the same moment the tap's detaching gives them on 8.1+ (a plain TCP
        // connection, nearly every one, has none: a timer would cost it more than the rest).
        SetSkip(true);
        ++plugin.taps_detached;
        if ( subflow.HasState() )
            zeek::detail::timer_mgr->Add(new ReleaseTimer(zeek::run_state::network_time, Conn(), this));
    }
}

void PacketChild::Done() {
    subflow.Done();
    Analyzer::Done();
}

} // namespace zeek::plugin::ZeekMPTCP_MPTCP

#endif
