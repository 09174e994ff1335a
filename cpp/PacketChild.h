// Zeek 8.0 (no tap analyzers): a child packet analyzer of the TCP session adapter
// hands each TCP segment to the Rust core. Zeek 8.0 calls it for every packet with a
// valid checksum (pure SYN, SYN/ACK and ACK included), but *after* the TCP analyzer
// processed the packet: so when a connection falls back to TCP at its first data
// packet, that packet's data has already passed its (silenced) application analyzers
// (DeliverPacket then hands it to them again).
// Once the core says the connection does not use MPTCP it skips the rest of the
// connection's packets (Analyzer::SetSkip, checked before any work).
#pragma once

#include "zeek/zeek-version.h"

#if ZEEK_VERSION_NUMBER < 80100

#include "zeek/Conn.h"
#include "zeek/analyzer/Analyzer.h"

#include "Subflow.h"

namespace zeek::plugin::ZeekMPTCP_MPTCP {

inline constexpr const char* packet_component_name = "MPTCP_Packet";

class PacketChild final : public zeek::analyzer::Analyzer {
public:
    PacketChild(zeek::Connection* conn, Mode mode) : Analyzer(packet_component_name, conn), subflow(conn), mode(mode) {}

    void DeliverPacket(int len, const u_char* data, bool is_orig, uint64_t seq, const zeek::IP_Hdr* ip,
                       int caplen) override;
    void Done() override;
    // The subflow's final facts (the core gave the connection up).
    void Release() { subflow.Done(); }

private:
    Subflow subflow;
    const Mode mode;
};

} // namespace zeek::plugin::ZeekMPTCP_MPTCP

#endif
