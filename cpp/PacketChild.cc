#include "PacketChild.h"

#if ZEEK_VERSION_NUMBER < 80100

#include "zeek/IP.h"
#include "zeek/RunState.h"

#include "Plugin.h"

namespace zeek::plugin::ZeekMPTCP_MPTCP {

void PacketChild::DeliverPacket(int len, const u_char* data, bool is_orig, uint64_t /* seq */,
                                const zeek::IP_Hdr* ip, int /* caplen */) {
    if ( ! ip )
        return;
    // `data` is the payload and `len` its captured length; the TCP header starts the IP payload.
    const u_char* tcp = ip->Payload();
    if ( ! subflow.Packet(tcp, (data + len) - tcp, ip->PayloadLen(), is_orig, zeek::run_state::network_time) ) {
        // As the tap's detaching does on 8.1+: the subflow's final facts now, then no more work.
        subflow.Done();
        SetSkip(true);
        ++plugin.taps_detached;
    }
}

void PacketChild::Done() {
    subflow.Done();
    Analyzer::Done();
}

} // namespace zeek::plugin::ZeekMPTCP_MPTCP

#endif
