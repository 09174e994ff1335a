// One TCP connection as the Rust core sees it: the per-connection state (the core's
// slot, the tuple, the analyzers silenced while its payload feeds the data level) and
// the per-packet hand-over to the core. Shared by the two ways the plugin sees
// packets: a tap analyzer (Zeek 8.1+, Tap.h) and a child packet analyzer of the TCP
// session adapter (Zeek 8.0, PacketChild.h).
#pragma once

#include <algorithm>
#include <climits>
#include <cstring>
#include <cstddef>
#include <utility>
#include <vector>

#include "zeek/Conn.h"
#include "zeek/IP.h"
#include "zeek/analyzer/Analyzer.h"
#include "zeek/iosource/Packet.h"

#include "Mode.h"
#include "Plugin.h"
#include "mptcp_ffi.h"

namespace zeek::plugin::ZeekMPTCP_MPTCP {

// A Zeek address as the core's C structs carry it.
inline MptcpAddr ToAddr(const zeek::IPAddr& a) {
    MptcpAddr out{};
    const uint32_t* words = nullptr;
    const int n = a.GetBytes(&words); // network order: 1 word for IPv4, 4 for IPv6
    std::memcpy(out.bytes, words, static_cast<size_t>(n) * 4);
    out.is_v6 = n == 4 ? 1 : 0;
    return out;
}

// How many bytes of the segment at `tcp`, whose IP header says `ip_payload` bytes, are
// in memory: up to the end of `pkt`'s frame, except for a packet Zeek put together from
// IP fragments, which lies whole in a buffer of its own, not in the frame that `pkt.data`
// points at (its last fragment).
inline ptrdiff_t CapturedLength(const zeek::Packet& pkt, const u_char* tcp, int ip_payload) {
    return pkt.ip_hdr->Reassembled() ? ip_payload : (pkt.data + pkt.cap_len) - tcp;
}

// The segment's length on the wire as Zeek's TCP analyzer takes it: `ip_payload`, the IP
// header's payload length, or, when that is 0 (segmentation offload, read with zeek -C),
// the `captured` length.
inline int SegmentLength(int ip_payload, ptrdiff_t captured) {
    if ( ip_payload == 0 ) [[unlikely]]
        return static_cast<int>(std::clamp<ptrdiff_t>(captured, 0, INT_MAX));
    return ip_payload;
}

class Subflow {
public:
    explicit Subflow(zeek::Connection* conn);
    // `report` points at `tuple`: the object stays where it was made.
    Subflow(const Subflow&) = delete;
    Subflow& operator=(const Subflow&) = delete;

    // What Packet() tells its caller, as bits: kKeep, the connection is to be handed
    // more packets; kGaveBack, application analyzers were switched back on and not yet
    // taken (TakeGivenBack; only Zeek 8.0's child analyzer takes them, right after the
    // packet that gave them back). The common case is exactly kKeep.
    static constexpr unsigned kStop = 0;
    static constexpr unsigned kKeep = 1;
    static constexpr unsigned kGaveBack = 2;

    // One packet: `tcp` points at the TCP header, `captured` bytes of it (header and
    // payload) are in memory, `ip_payload` is the IP payload length on the wire.
    // Returns kKeep and kGaveBack bits (above). Inline: the common case (the core's
    // repeated-DSS shortcut, verdict MPTCP_TRACK and nothing to read) is a handful of
    // instructions around one call.
    template <Mode M>
    unsigned Packet(const u_char* tcp, ptrdiff_t captured, int ip_payload, bool is_orig, double ts) {
        if ( slot.ignored )
            return kStop;
        // The core reads the TCP header itself: the shim only says where the segment is.
        const size_t cap = captured > 0 ? static_cast<size_t>(captured) : 0;
        const uint32_t len = ip_payload > 0 ? static_cast<uint32_t>(ip_payload) : 0;
        ++plugin.packets;
        int verdict;
        if constexpr ( M == Mode::Quiet )
            verdict = mptcp_tracker_segment(tracker, &slot, tcp, cap, len, is_orig, ts, &tuple);
        else if constexpr ( M == Mode::Report )
            verdict = mptcp_tracker_segment_report(tracker, &slot, tcp, cap, len, is_orig, ts, &report);
        else
            return PacketWithOptions(tcp, cap, len, is_orig, ts);
        return verdict == MPTCP_TRACK ? kKeep : Settle(verdict);
    }

    // Packet<M> for the mode chosen at run time (Zeek 8.0's child analyzer).
    unsigned Packet(Mode m, const u_char* tcp, ptrdiff_t captured, int ip_payload, bool is_orig, double ts) {
        switch ( m ) {
            case Mode::Quiet: return Packet<Mode::Quiet>(tcp, captured, ip_payload, is_orig, ts);
            case Mode::Report: return Packet<Mode::Report>(tcp, captured, ip_payload, is_orig, ts);
            default: return Packet<Mode::Options>(tcp, captured, ip_payload, is_orig, ts);
        }
    }

    // Whether the core holds state of the connection (its facts are reported at Done).
    bool HasState() const { return slot.subflow != 0; }

    // The connection is going away: its final facts.
    void Done();

    // The application analyzers the last packet switched back on (fallback before the
    // first mapping; Packet() said kGaveBack), taken out. Zeek 8.0's child analyzer hands
    // them that packet's data (PacketChild.cc); on 8.1+ the tap sees the packet before
    // its data, so nothing asks.
    std::vector<zeek::analyzer::ID> TakeGivenBack() { return std::move(given_back); }

private:
    // Mode::Options: every option decoded and reported, through an MptcpSegment.
    unsigned PacketWithOptions(const u_char* tcp, size_t captured, uint32_t tcp_len, bool is_orig, double ts);
    // What a verdict other than a plain MPTCP_TRACK asks for (events, deliveries, stop).
    unsigned Settle(int verdict);
    // `own`: the core's id of this subflow (taken before a removal clears the slot).
    void HandleResults(MptcpTracker* tracker, int verdict, uint64_t own);

    zeek::Connection* conn;
    // The core's tracker (one per process, created before any connection and freed
    // after the last packet).
    MptcpTracker* const tracker;
    MptcpSlot slot{};
    MptcpTuple tuple{};
    // Where the core writes decoded options in Mode::Report (the tuple, a buffer).
    MptcpReport report{};
    // Application analyzers silenced while the subflow's payload feeds the data level.
    std::vector<zeek::analyzer::ID> silenced;
    // Those of them switched back on by the last packet (see TakeGivenBack).
    std::vector<zeek::analyzer::ID> given_back;
    // MPTCP::reassemble (fixed once scripts are loaded; the tracker was made with it).
    const bool reassemble;
};

} // namespace zeek::plugin::ZeekMPTCP_MPTCP
