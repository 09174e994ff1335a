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

#include <memory>

#include "zeek/Conn.h"
#include "zeek/IP.h"
#include "zeek/packet_analysis/protocol/ip/SessionAdapter.h"

#include "Subflow.h"

namespace zeek::plugin::ZeekMPTCP_MPTCP {

// What the taps of every mode share: the connection's Subflow and the detaching.
class TapBase : public zeek::packet_analysis::TapAnalyzer {
public:
    explicit TapBase(zeek::Connection* conn) : conn(conn), subflow(conn) {}

    void Done() override { subflow.Done(); }

    // A tap comes and goes with nearly every TCP connection: its memory is kept for the
    // next one (Tap.cc) rather than handed back to malloc each time.
    static void* operator new(size_t size);
    static void operator delete(void* p, size_t size);

protected:
    // The core gave the connection up: the tap is to be removed, outside of the
    // adapter's tap loop. Out of line, off the per-packet path; called for each packet
    // the tap still sees.
    void ScheduleDetach();

    zeek::Connection* conn;
    Subflow subflow;
    // Packets seen since the removal was asked for (0: not asked for).
    uint8_t detach_asked = 0;
};

// The tap for one Mode: its TapPacket makes that mode's call and no other.
template <Mode M>
class Tap final : public TapBase {
public:
    using TapBase::TapBase;

    void TapPacket(const zeek::Packet& pkt, zeek::packet_analysis::PacketAction action,
                   zeek::packet_analysis::SkipReason /* skip_reason */) override {
        // Packets Zeek skips (bad checksum, bad header) are not analyzed by Zeek either.
        if ( action != zeek::packet_analysis::PacketAction::Deliver || ! pkt.ip_hdr )
            return;
        const u_char* tcp = pkt.ip_hdr->Payload();
        const int ip_payload = pkt.ip_hdr->PayloadLen();
        const ptrdiff_t captured = CapturedLength(pkt, tcp, ip_payload);
        if ( ! (subflow.Packet<M>(tcp, captured, SegmentLength(ip_payload, captured), pkt.is_orig, pkt.time) &
                Subflow::kKeep) )
            ScheduleDetach();
    }
};

// A tap for the mode the loaded scripts ask for.
std::unique_ptr<TapBase> MakeTap(zeek::Connection* conn, Mode mode);

// Removes the taps queued by ScheduleDetach (connections of plain TCP). Called where no
// tap loop runs: when a connection's analyzer tree is set up, and from a timer.
void DetachQueued();

// Forgets the queued taps without removing them (Zeek is done with every connection).
void DropQueued();

} // namespace zeek::plugin::ZeekMPTCP_MPTCP

#endif
