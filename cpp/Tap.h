// Zeek 8.1+: the per-connection tap that hands each TCP segment to the Rust core.
//
// Why a tap analyzer: Zeek 8.1+ calls TapAnalyzer::TapPacket() for every packet of the
// session, pure SYN, SYN/ACK and ACK included, before the TCP analyzer processes it,
// and costs less per packet than a child packet analyzer of the TCP session adapter
// (measured on Zeek 8.2.2: ~40 instructions per packet for the tap call against ~160
// for the child analyzer path; see ../shared/bench/README.md). Seeing the packet first
// also lets a subflow's application analyzers be silenced or switched back on before
// the packet's data reaches them. The tap is attached in HookSetupAnalyzerTree() only
// when something needs it, and removed again (from a timer, since a tap must not
// remove itself while Zeek iterates the taps) once the core says the connection does
// not use MPTCP. Zeek 8.0 has no taps: see PacketChild.h.
#pragma once

#include "zeek/zeek-version.h"

#if ZEEK_VERSION_NUMBER >= 80100

#include "zeek/Conn.h"
#include "zeek/packet_analysis/protocol/ip/SessionAdapter.h"

#include "Subflow.h"

namespace zeek::plugin::ZeekMPTCP_MPTCP {

class Tap final : public zeek::packet_analysis::TapAnalyzer {
public:
    explicit Tap(zeek::Connection* conn) : conn(conn), subflow(conn) {}

    void TapPacket(const zeek::Packet& pkt, zeek::packet_analysis::PacketAction action,
                   zeek::packet_analysis::SkipReason skip_reason) override;
    void Done() override { subflow.Done(); }

private:
    void ScheduleDetach();

    zeek::Connection* conn;
    Subflow subflow;
    bool detach_scheduled = false;
};

} // namespace zeek::plugin::ZeekMPTCP_MPTCP

#endif
