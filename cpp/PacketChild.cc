#include "PacketChild.h"

#if ZEEK_VERSION_NUMBER < 80100

#include "zeek/IP.h"
#include "zeek/iosource/Packet.h"
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
    if ( ! subflow.Packet(mode, tcp, (data + len) - tcp, ip->PayloadLen(), is_orig, ts) ) {
        // No more work for this connection; its final facts from a timer, at the same
        // moment the tap's detaching gives them on 8.1+.
        SetSkip(true);
        ++plugin.taps_detached;
        zeek::detail::timer_mgr->Add(new ReleaseTimer(zeek::run_state::network_time, Conn(), this));
    }
}

void PacketChild::Done() {
    subflow.Done();
    Analyzer::Done();
}

} // namespace zeek::plugin::ZeekMPTCP_MPTCP

#endif
