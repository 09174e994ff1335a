#include "Subflow.h"

#include <cstring>

#include "Events.h"
#include "Plugin.h"
#include "Stream.h"

namespace zeek::plugin::ZeekMPTCP_MPTCP {

namespace {

// Decoded options of one packet. Static, not on the stack: a 4 KB frame would cost stack
// probes on every packet (Zeek's packet path is single-threaded).
constexpr size_t kOptionBuffer = 16;
MptcpOption option_buffer[kOptionBuffer];

} // namespace

Subflow::Subflow(zeek::Connection* c) : conn(c), tracker(plugin.Tracker()), reassemble(plugin.Reassemble()) {
    // Read by the core only when a packet creates the subflow's state; filled here so
    // that the per-packet path does not ask.
    tuple.orig_h = ToAddr(conn->OrigAddr());
    tuple.resp_h = ToAddr(conn->RespAddr());
    tuple.orig_p = ntohs(conn->OrigPort());
    tuple.resp_p = ntohs(conn->RespPort());
    report.tuple = &tuple;
    report.opts = option_buffer;
    report.opts_cap = kOptionBuffer;
}

unsigned Subflow::PacketWithOptions(const u_char* tcp, size_t captured, uint32_t tcp_len, bool is_orig, double ts) {
    MptcpSegment seg;
    seg.ts = ts;
    seg.tcp = tcp;
    seg.captured = captured;
    seg.tcp_len = tcp_len;
    seg.is_orig = is_orig ? 1 : 0;
    seg.reassemble = reassemble ? 1 : 0;
    // Only with DSS handlers (else Mode::Report): every option is reported.
    size_t n = 0;
    const int verdict = mptcp_tracker_segment_options(tracker, &slot, &tuple, &seg, option_buffer, kOptionBuffer, &n);
    if ( n > 0 )
        RaiseOptionEvents(conn, (seg.is_orig != 0) != (verdict >= 0 && (verdict & MPTCP_FLIPPED)), option_buffer, n);
    return Settle(verdict);
}

unsigned Subflow::Settle(int verdict) {
    if ( verdict < 0 )
        return kKeep;
    // (MPTCP_FLIPPED: Zeek flips the connection's ends right after this packet, before
    // its events are dispatched; see the core's tracker/orient.rs.)
    if ( verdict & MPTCP_OPTIONS )
        RaiseOptionEvents(conn, (report.is_orig != 0) != ((verdict & MPTCP_FLIPPED) != 0), report.opts, report.opts_n);
    if ( verdict & (MPTCP_EVENTS | MPTCP_DELIVERIES) )
        HandleResults(tracker, verdict, slot.subflow);
    return (verdict & MPTCP_IGNORE ? kStop : kKeep) | (given_back.empty() ? 0 : kGaveBack);
}

void Subflow::HandleResults(MptcpTracker* tracker, int verdict, uint64_t own) {
    if ( verdict & MPTCP_EVENTS ) {
        // Routing of the subflow's payload changes before its data is delivered.
        const size_t n = mptcp_tracker_event_count(tracker);
        for ( size_t i = 0; i < n; ++i ) {
            MptcpEvent e;
            if ( mptcp_tracker_event(tracker, i, &e) != MPTCP_OK )
                break;
            if ( e.kind == MPTCP_EV_STREAM_START )
                silenced = TakeOver(conn, e.mptcp_id, slot.subflow, e.initial != 0);
            else if ( e.kind == MPTCP_EV_STREAM_STOP ) {
                GiveBack(conn, e.mptcp_id, silenced);
                given_back = std::move(silenced);
                silenced.clear();
            }
        }
        RaiseTrackerEvents(conn, own, tracker);
    }
    if ( verdict & MPTCP_DELIVERIES )
        DispatchDeliveries(tracker);
}

void Subflow::Done() {
    // Not the cached pointer: defensive against a connection outliving the plugin's Done().
    MptcpTracker* tracker = plugin.Tracker();
    if ( ! tracker || slot.subflow == 0 )
        return;
    // (The removal clears the slot: its events name the subflow by this id.)
    const uint64_t own = slot.subflow;
    int r = mptcp_tracker_remove(tracker, &slot);
    if ( r < 0 )
        return;
    if ( mptcp_tracker_event_count(tracker) > 0 )
        r |= MPTCP_EVENTS;
    HandleResults(tracker, r, own);
}

} // namespace zeek::plugin::ZeekMPTCP_MPTCP
