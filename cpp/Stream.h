// Data-level reassembly on the Zeek side: the analyzer that receives an MPTCP
// connection's reassembled byte stream and hands it to protocol detection.
//
// Mechanism (the one Zeek's SOCKS and HTTP CONNECT analyzers use for tunnelled
// streams): a StreamAnalyzer is added as a child of the *initial* subflow's TCP session
// adapter, with a fresh PIA_TCP (signature-based protocol detection) and fresh copies
// of the port-based analyzers the adapter had, as its own children. It ignores the
// subflow's own TCP stream; instead the Rust core's deliveries (the connection's bytes
// in data-sequence order, from every subflow, with holes as gaps and DATA_FIN as end
// of data) are forwarded to its children. So http.log, files.log, ssl.log ... describe
// the MPTCP connection as a whole, under the initial subflow's uid. The subflows' own
// application analyzers (their PIA and port analyzers) are set to skip, so that no
// subflow writes fragmentary rows; if the connection falls back to TCP before its first
// mapping they are switched back on and the stream analyzer removed.
#pragma once

#include <cstdint>
#include <vector>

#include "zeek/Conn.h"
#include "zeek/analyzer/Analyzer.h"
#include "zeek/analyzer/protocol/tcp/TCP.h"

#include "mptcp_ffi.h"

namespace zeek::plugin::ZeekMPTCP_MPTCP {

class StreamAnalyzer final : public zeek::analyzer::tcp::TCP_ApplicationAnalyzer {
public:
    // `subflow` is the initial subflow's handle (used to flush the core at the end).
    StreamAnalyzer(zeek::Connection* conn, uint64_t mptcp_id, uint64_t subflow);
    ~StreamAnalyzer() override;

    void Init() override;
    void Done() override;

    // The subflow's own stream and its end: ignored (the data level comes from the core).
    void DeliverStream(int len, const u_char* data, bool orig) override {}
    void Undelivered(uint64_t seq, int len, bool orig) override {}
    void EndpointEOF(bool is_orig) override {}

    // One piece of the data-level stream.
    void Receive(const MptcpDelivery& d);

private:
    // Hand this connection's TCP analyzer to the application analyzers below the stream.
    // Zeek sets it only for analyzers whose parent is the TCP analyzer; without it each
    // TCP() call (HTTP makes one for every chunk) looks the TCP analyzer up by name
    // through the connection's analyzer tree, ~830 instructions, to find this same one.
    void AdoptChildren();

    uint64_t mptcp_id;
    uint64_t subflow;
    bool ended[2] = {false, false};
    // How many direct children AdoptChildren last saw (protocol detection adds them).
    size_t adopted = 0;
};

// The analyzer component's name (registered by Plugin::Configure without a factory:
// protocol detection cannot start it, only TakeOver does).
inline constexpr const char* stream_component_name = "MPTCP_Stream";

// Hand the tracker's waiting deliveries to their connections' stream analyzers.
void DispatchDeliveries(MptcpTracker* tracker);

// The subflow's payload now feeds its MPTCP connection's streams: silence the
// connection's own application analyzers (remembering which), and for the initial
// subflow start the stream analyzer. Returns the analyzers silenced.
std::vector<zeek::analyzer::ID> TakeOver(zeek::Connection* conn, uint64_t mptcp_id, uint64_t subflow, bool initial);

// Fallback before any mapping: switch the silenced analyzers back on, remove the
// stream analyzer.
void GiveBack(zeek::Connection* conn, uint64_t mptcp_id, const std::vector<zeek::analyzer::ID>& silenced);

} // namespace zeek::plugin::ZeekMPTCP_MPTCP
