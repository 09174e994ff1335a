// One TCP connection as the Rust core sees it: the per-connection state (the core's
// slot, the tuple, the analyzers silenced while its payload feeds the data level) and
// the per-packet hand-over to the core. Shared by the two ways the plugin sees
// packets: a tap analyzer (Zeek 8.1+, Tap.h) and a child packet analyzer of the TCP
// session adapter (Zeek 8.0, PacketChild.h).
#pragma once

#include <cstddef>
#include <vector>

#include "zeek/Conn.h"
#include "zeek/analyzer/Analyzer.h"

#include "mptcp_ffi.h"

namespace zeek::plugin::ZeekMPTCP_MPTCP {

class Subflow {
public:
    explicit Subflow(zeek::Connection* conn);

    // Whether the core told us to stop (this connection does not use MPTCP).
    bool Ignored() const { return slot.ignored != 0; }

    // One packet: `tcp` points at the TCP header, `captured` bytes of it (header and
    // payload) are in memory, `ip_payload` is the IP payload length on the wire.
    // Returns false when the connection should not be handed more packets.
    bool Packet(const u_char* tcp, ptrdiff_t captured, int ip_payload, bool is_orig, double ts);

    // The connection is going away: its final facts.
    void Done();

private:
    void HandleResults(MptcpTracker* tracker, int verdict);

    zeek::Connection* conn;
    MptcpSlot slot{};
    MptcpTuple tuple{};
    // Application analyzers silenced while the subflow's payload feeds the data level.
    std::vector<zeek::analyzer::ID> silenced;
    // Whether per-option events have handlers (fixed once scripts are loaded).
    const bool want_options;
    // MPTCP::reassemble (fixed once scripts are loaded).
    const bool reassemble;
};

} // namespace zeek::plugin::ZeekMPTCP_MPTCP
