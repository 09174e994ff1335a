#include "Stream.h"

#include <algorithm>
#include <climits>
#include <unordered_map>

#include "zeek/analyzer/Component.h"
#include "zeek/analyzer/Manager.h"
#include "zeek/analyzer/protocol/pia/PIA.h"
#include "zeek/packet_analysis/protocol/ip/SessionAdapter.h"

#include "Plugin.h"

namespace zeek::plugin::ZeekMPTCP_MPTCP {

namespace {

constexpr const char* component_name = stream_component_name;

// Live stream analyzers by MPTCP connection id. Looked up once per delivery batch
// and connection, not per packet of a subflow that carries no data.
std::unordered_map<uint64_t, StreamAnalyzer*> streams;

// Tags of the analyzers (other than the primary PIA) silenced on the initial subflow,
// for the stream analyzer to start fresh copies of. Set just before it is created.
std::vector<zeek::Tag> pending_tags;

} // namespace

StreamAnalyzer::StreamAnalyzer(zeek::Connection* conn, uint64_t mptcp_id, uint64_t subflow)
    : TCP_ApplicationAnalyzer(component_name, conn), mptcp_id(mptcp_id), subflow(subflow) {
    streams[mptcp_id] = this;
}

StreamAnalyzer::~StreamAnalyzer() {
    auto it = streams.find(mptcp_id);
    if ( it != streams.end() && it->second == this )
        streams.erase(it);
}

void StreamAnalyzer::Init() {
    TCP_ApplicationAnalyzer::Init();
    // The port-based analyzers the subflow had, started fresh on the data level ...
    for ( const auto& tag : pending_tags )
        if ( auto* a = zeek::analyzer_mgr->InstantiateAnalyzer(tag, Conn()) )
            AddChildAnalyzer(a);
    pending_tags.clear();
    // ... and protocol detection by signature, as SOCKS does for its tunnelled stream.
    auto* pia = new zeek::analyzer::pia::PIA_TCP(Conn());
    if ( AddChildAnalyzer(pia) ) {
        pia->FirstPacket(true, TransportProto::TRANSPORT_TCP);
        pia->FirstPacket(false, TransportProto::TRANSPORT_TCP);
    }
}

void StreamAnalyzer::Done() {
    // Whatever the core still holds for this connection goes out now, while the
    // application analyzers below are alive (the subflows may outlive this one).
    if ( auto* tracker = plugin.Tracker() ) {
        MptcpSlot s{};
        s.subflow = subflow;
        if ( mptcp_tracker_flush_streams(tracker, &s) == MPTCP_DELIVERIES )
            DispatchDeliveries(tracker);
    }
    auto it = streams.find(mptcp_id);
    if ( it != streams.end() && it->second == this )
        streams.erase(it);
    TCP_ApplicationAnalyzer::Done();
}

namespace {

void adopt(zeek::analyzer::Analyzer* a, zeek::packet_analysis::TCP::TCPSessionAdapter* tcp) {
    for ( auto* child : a->GetChildren() ) {
        if ( auto* app = dynamic_cast<zeek::analyzer::tcp::TCP_ApplicationAnalyzer*>(child) )
            app->SetTCP(tcp);
        adopt(child, tcp);
    }
}

} // namespace

void StreamAnalyzer::AdoptChildren() {
    adopted = GetChildren().size();
    if ( auto* tcp = TCP() )
        adopt(this, tcp);
}

void StreamAnalyzer::Receive(const MptcpDelivery& d) {
    const bool orig = d.side == 0;
    // Children added since the last piece (Init's, protocol detection's) wait in Zeek's
    // list of new children until the next ForwardStream: taken in now, so that they are
    // adopted before their first delivery (a short connection's data often comes in one).
    AppendNewChildren();
    if ( GetChildren().size() != adopted )
        AdoptChildren();
    switch ( d.kind ) {
        case MPTCP_DATA: {
            const u_char* p = d.data;
            for ( uint64_t left = d.len; left > 0; ) {
                const int n = static_cast<int>(std::min<uint64_t>(left, INT_MAX));
                ForwardStream(n, p, orig);
                p += n;
                left -= n;
            }
            plugin.stream_bytes += d.len;
            break;
        }
        case MPTCP_GAP: {
            uint64_t off = d.offset;
            for ( uint64_t left = d.len; left > 0; ) {
                const int n = static_cast<int>(std::min<uint64_t>(left, INT_MAX));
                ForwardUndelivered(off, n, orig);
                off += n;
                left -= n;
            }
            break;
        }
        case MPTCP_END:
            // The data-level end of one direction: what the TCP adapter tells its
            // children at a FIN.
            if ( ! ended[d.side & 1] ) {
                ended[d.side & 1] = true;
                for ( auto* child : GetChildren() )
                    if ( auto* app = dynamic_cast<zeek::analyzer::tcp::TCP_ApplicationAnalyzer*>(child) )
                        app->EndpointEOF(orig);
            }
            break;
        default: break;
    }
}

void DispatchDeliveries(MptcpTracker* tracker) {
    const size_t n = mptcp_tracker_delivery_count(tracker);
    uint64_t last_id = UINT64_MAX;
    StreamAnalyzer* target = nullptr;
    for ( size_t i = 0; i < n; ++i ) {
        MptcpDelivery d;
        if ( mptcp_tracker_delivery(tracker, i, &d) != MPTCP_OK )
            break;
        if ( d.mptcp_id != last_id ) {
            last_id = d.mptcp_id;
            auto it = streams.find(d.mptcp_id);
            target = it == streams.end() ? nullptr : it->second;
        }
        if ( target )
            target->Receive(d);
        else if ( d.kind == MPTCP_DATA )
            // The initial subflow's connection is gone (Zeek removed it): counted.
            plugin.stream_orphan_bytes += d.len;
    }
    mptcp_tracker_clear_deliveries(tracker);
}

std::vector<zeek::analyzer::ID> TakeOver(zeek::Connection* conn, uint64_t mptcp_id, uint64_t subflow, bool initial) {
    std::vector<zeek::analyzer::ID> silenced;
    auto* adapter = conn->GetSessionAdapter();
    if ( ! adapter )
        return silenced;
    auto* primary = conn->GetPrimaryPIA() ? conn->GetPrimaryPIA()->AsAnalyzer() : nullptr;
    std::vector<zeek::Tag> tags;
    for ( auto* a : adapter->GetChildren() ) {
        if ( a->Skipping() || dynamic_cast<StreamAnalyzer*>(a) )
            continue;
        a->SetSkip(true);
        silenced.push_back(a->GetID());
        if ( a != primary )
            tags.push_back(a->GetAnalyzerTag());
    }
    if ( initial && streams.find(mptcp_id) == streams.end() ) {
        pending_tags = std::move(tags);
        adapter->AddChildAnalyzer(new StreamAnalyzer(conn, mptcp_id, subflow));
        pending_tags.clear();
    }
    return silenced;
}

void GiveBack(zeek::Connection* conn, uint64_t mptcp_id, const std::vector<zeek::analyzer::ID>& silenced) {
    auto* adapter = conn->GetSessionAdapter();
    if ( ! adapter )
        return;
    for ( auto id : silenced )
        if ( auto* a = adapter->FindChild(id) )
            a->SetSkip(false);
    auto it = streams.find(mptcp_id);
    if ( it != streams.end() && it->second->Conn() == conn ) {
        auto* sa = it->second;
        streams.erase(it);
        adapter->RemoveChildAnalyzer(sa);
    }
}

} // namespace zeek::plugin::ZeekMPTCP_MPTCP
