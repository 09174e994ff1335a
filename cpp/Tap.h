// The per-connection tap: hands each TCP segment's options to the Rust core.
//
// Why a tap analyzer: Zeek 8.1+ calls TapAnalyzer::TapPacket() for every packet of the
// session, pure SYN, SYN/ACK and ACK included, before the TCP analyzer processes it,
// and costs less per packet than a child packet analyzer of the TCP session adapter
// (measured on Zeek 8.2.2: ~40 instructions per packet for the tap call against ~160
// for the child analyzer path; see ../shared/bench/README.md). The tap is attached in
// HookSetupAnalyzerTree() only when a script handles an mptcp_* event, and removed
// again (from a timer, since a tap must not remove itself while Zeek iterates the
// taps) once the core says the connection does not use MPTCP.
#pragma once

#include "zeek/Conn.h"
#include "zeek/packet_analysis/protocol/ip/SessionAdapter.h"

#include <vector>

#include "zeek/analyzer/Analyzer.h"

#include "mptcp_ffi.h"

namespace zeek::plugin::ZeekMPTCP_MPTCP {

class Tap final : public zeek::packet_analysis::TapAnalyzer {
public:
    explicit Tap(zeek::Connection* conn);

    void TapPacket(const zeek::Packet& pkt, zeek::packet_analysis::PacketAction action,
                   zeek::packet_analysis::SkipReason skip_reason) override;
    void Done() override;

private:
    void ScheduleDetach();
    // Tracker events (stream routing first, then Zeek events) and deliveries.
    void HandleResults(MptcpTracker* tracker, int verdict);

    zeek::Connection* conn;
    MptcpSlot slot{};
    MptcpTuple tuple{};
    bool detach_scheduled = false;
    // Application analyzers silenced while the subflow's payload feeds the data level.
    std::vector<zeek::analyzer::ID> silenced;
    // Whether per-option events have handlers (fixed once scripts are loaded).
    const bool want_options;
};

} // namespace zeek::plugin::ZeekMPTCP_MPTCP
