// The zeek-mptcp plugin: owns the Rust tracker and attaches a tap analyzer to TCP
// connections. See Tap.h for why a tap and Events.h for the Zeek side of events.
#pragma once

#include <cstdint>

#include "zeek/packet_analysis/Analyzer.h"
#include "zeek/plugin/Plugin.h"

#include "mptcp_ffi.h"
#include "Mode.h"

namespace zeek::plugin::ZeekMPTCP_MPTCP {

class Plugin : public zeek::plugin::Plugin {
public:
    // The tracker shared by every connection of this process (NULL before InitPostScript).
    MptcpTracker* Tracker() const { return tracker; }

    // Counters shown by MPTCP::plugin_stats() (and its btest proving that nothing is
    // walked when no handler exists).
    uint64_t taps_attached = 0;
    // TCP connections given nothing: their first packet was a SYN without MPTCP.
    uint64_t conns_without_tap = 0;
    uint64_t taps_detached = 0;
    uint64_t packets = 0;
    // Reassembled bytes handed to stream analyzers, and bytes whose analyzer was gone.
    uint64_t stream_bytes = 0;
    uint64_t stream_orphan_bytes = 0;
    // MPTCP::reassemble: payload goes to the core and streams to application analyzers.
    bool Reassemble() const { return reassemble; }

protected:
    zeek::plugin::Configuration Configure() override;
    void InitPostScript() override;
    void Done() override;
    void HookSetupAnalyzerTree(zeek::Connection* conn) override;

private:
    MptcpTracker* tracker = nullptr;
    // Whether any mptcp_* event has a handler; computed once scripts are loaded.
    bool wanted = false;
    // The per-packet call of every connection (Subflow.h), chosen with `wanted`.
    Mode mode = Mode::Quiet;
    bool reassemble = false;
    // Zeek's TCP packet analyzer, whose bytes of a new connection's first packet the
    // hook reads (FirstSegment.h); looked up at the first connection, held to Done.
    zeek::packet_analysis::AnalyzerPtr tcp_analyzer;
    bool tcp_analyzer_looked_up = false;
};

// Hidden: nothing outside this library looks it up (Zeek finds the plugin through its
// constructor), so the per-packet counter is reached without a GOT load.
extern Plugin plugin __attribute__((visibility("hidden")));

} // namespace zeek::plugin::ZeekMPTCP_MPTCP
