#include "Plugin.h"

#include "zeek/Conn.h"
#include "zeek/ID.h"
#include "zeek/Val.h"
#include "zeek/analyzer/Component.h"
#include "zeek/packet_analysis/Manager.h"
#include "zeek/packet_analysis/protocol/ip/SessionAdapter.h"
#include "zeek/packet_analysis/protocol/tcp/TCPSessionAdapter.h"
#include "zeek/zeek-version.h"

#include "Events.h"
#include "FirstSegment.h"
#include "Stream.h"
#include "PacketChild.h"
#include "Tap.h"

namespace zeek::plugin::ZeekMPTCP_MPTCP {

Plugin plugin;

zeek::plugin::Configuration Plugin::Configure() {
    EnableHook(zeek::plugin::HOOK_SETUP_ANALYZER_TREE);
    zeek::plugin::Configuration config;
    config.name = "ZeekMPTCP::MPTCP";
    config.description = "Multipath TCP (RFC 6824 v0, RFC 8684 v1): option events, subflow linking, checks";
    config.version.major = 0;
    config.version.minor = 1;
    config.version.patch = 0;
    AddComponent(new zeek::analyzer::Component(stream_component_name, nullptr));
#if ZEEK_VERSION_NUMBER < 80100
    AddComponent(new zeek::analyzer::Component(packet_component_name, nullptr));
#endif
    return config;
}

static uint64_t count_opt(const char* name, uint64_t dflt) {
    const auto& id = zeek::id::find(name);
    return id && id->GetVal() ? id->GetVal()->AsCount() : dflt;
}

static bool bool_opt(const char* name, bool dflt) {
    const auto& id = zeek::id::find(name);
    return id && id->GetVal() ? id->GetVal()->AsBool() : dflt;
}

static double interval_opt(const char* name, double dflt) {
    const auto& id = zeek::id::find(name);
    return id && id->GetVal() ? id->GetVal()->AsInterval() : dflt;
}

void Plugin::InitPostScript() {
    zeek::plugin::Plugin::InitPostScript();
    InitTypes();
    wanted = WantAnyEvent();
    mode = WantedMode();
    MptcpConfig cfg;
    mptcp_config_default(&cfg);
    // The &redef tunables of scripts/types.zeek (MPTCP module).
    cfg.join_flood_threshold = count_opt("MPTCP::join_flood_threshold", cfg.join_flood_threshold);
    cfg.join_flood_interval = interval_opt("MPTCP::join_flood_interval", cfg.join_flood_interval);
    cfg.unknown_join_interval = interval_opt("MPTCP::unknown_join_interval", cfg.unknown_join_interval);
    cfg.max_connections = count_opt("MPTCP::max_connections", cfg.max_connections);
    cfg.max_subflows = count_opt("MPTCP::max_subflows", cfg.max_subflows);
    cfg.max_pending = count_opt("MPTCP::max_pending", cfg.max_pending);
    cfg.max_flood_receivers = count_opt("MPTCP::max_flood_receivers", cfg.max_flood_receivers);
    reassemble = bool_opt("MPTCP::reassemble", false);
    // Nothing to attach to any connection: Zeek need not call the hook at all (installed
    // but unused, the plugin then costs a connection nothing).
    if ( ! (wanted || reassemble) )
        DisableHook(zeek::plugin::HOOK_SETUP_ANALYZER_TREE);
    cfg.reassemble = reassemble ? 1 : 0;
    cfg.reassembly_buffer = count_opt("MPTCP::reassembly_buffer", cfg.reassembly_buffer);
    cfg.reinject_window = count_opt("MPTCP::reinject_window", cfg.reinject_window);
    // Taps (8.1+) see each packet before the TCP analyzer, 8.0's child analyzer after it:
    // which way round the core reads the packet at which Zeek flips a connection's ends.
    cfg.before_tcp_analyzer = ZEEK_VERSION_NUMBER >= 80100 ? 1 : 0;
    tracker = mptcp_tracker_new(&cfg);
}

void Plugin::Done() {
#if ZEEK_VERSION_NUMBER >= 80100
    DropQueued();
#endif
    // Connections are gone by now; whatever the core still holds has no receiver.
    if ( tracker && mptcp_tracker_remove_all(tracker) == MPTCP_DELIVERIES )
        DispatchDeliveries(tracker);
    mptcp_tracker_clear_events(tracker);
    ForgetInitialUids();
    mptcp_tracker_free(tracker);
    tracker = nullptr;
    tcp_analyzer.reset();
    zeek::plugin::Plugin::Done();
}

void Plugin::HookSetupAnalyzerTree(zeek::Connection* conn) {
    // Nothing handles our events and no stream is wanted: attach nothing, cost nothing.
    if ( ! (wanted || reassemble) || ! tracker )
        return;
#if ZEEK_VERSION_NUMBER >= 80100
    // No tap loop runs while any connection's analyzer tree is set up: the queued taps
    // of plain TCP connections go now (Tap.cc).
    DetachQueued();
#endif
    if ( conn->ConnTransport() != TRANSPORT_TCP )
        return;
    auto* adapter = conn->GetSessionAdapter();
    if ( ! adapter )
        return;
    // A SYN without MPTCP (nearly every TCP connection): the core would give the
    // connection up at it, so nothing is attached (FirstSegment.h). Zeek's packet
    // analyzers exist only once its packet manager is set up, after InitPostScript.
    if ( ! tcp_analyzer_looked_up ) {
        tcp_analyzer = zeek::packet_mgr->GetAnalyzer("TCP");
        tcp_analyzer_looked_up = true;
    }
    if ( GivenUpAtFirstSegment(conn, tracker, tcp_analyzer) ) {
        ++conns_without_tap;
        return;
    }
#if ZEEK_VERSION_NUMBER >= 80100
    adapter->AddTapAnalyzer(MakeTap(conn, mode));
#else
    // Zeek 8.0: no taps; a child packet analyzer of the TCP session adapter.
    static_cast<zeek::packet_analysis::TCP::TCPSessionAdapter*>(adapter)->AddChildPacketAnalyzer(
        new PacketChild(conn, mode));
#endif
    ++taps_attached;
}

} // namespace zeek::plugin::ZeekMPTCP_MPTCP
