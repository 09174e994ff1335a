#include "Tap.h"

#if ZEEK_VERSION_NUMBER >= 80100

#include "zeek/RunState.h"
#include "zeek/Timer.h"

#include "Plugin.h"

namespace zeek::plugin::ZeekMPTCP_MPTCP {

namespace {

// Removes `tap` from `conn`'s session adapter unless the connection is finished (its
// taps are gone then).
void Remove(zeek::Connection* conn, const zeek::packet_analysis::TapAnalyzer* tap) {
    auto* adapter = conn->GetSessionAdapter();
    if ( adapter && ! conn->IsFinished() && adapter->RemoveTapAnalyzer(tap) )
        ++plugin.taps_detached;
}

// Removes a tap from its session adapter outside of the adapter's tap loop.
class DetachTimer final : public zeek::detail::Timer {
public:
    DetachTimer(double t, zeek::Connection* c, const zeek::packet_analysis::TapAnalyzer* tap)
        : Timer(t, zeek::detail::TIMER_SCHEDULE), conn(c), tap(tap) {
        zeek::Ref(conn);
    }
    ~DetachTimer() override { zeek::Unref(conn); }

    void Dispatch(double /* t */, bool /* is_expire */) override { Remove(conn, tap); }

private:
    zeek::Connection* conn;
    const zeek::packet_analysis::TapAnalyzer* tap;
};

// Taps of connections the core holds nothing of (plain TCP: nearly every connection a
// sensor sees), waiting to be removed. A timer for each would cost more than the rest of
// the tap's life (Zeek's timer queue is a heap of every connection's timers, ~1,000
// instructions to add and run one): they are removed together when the next
// connection's analyzer tree is set up, which on a busy link is soon, and by one timer
// if a connection of the queue sees kPacketsBeforeTimer packets more first (each costs
// the tap ~25 instructions: a short connection ends before it would pay for a timer).
struct QueuedDetach {
    zeek::Connection* conn; // held (Ref) while queued
    const zeek::packet_analysis::TapAnalyzer* tap; // only compared
};
std::vector<QueuedDetach> queued;

// How many more packets a queued tap sees before it asks for the timer.
constexpr uint8_t kPacketsBeforeTimer = 32;

class DetachQueuedTimer final : public zeek::detail::Timer {
public:
    explicit DetachQueuedTimer(double t) : Timer(t, zeek::detail::TIMER_SCHEDULE) {}
    void Dispatch(double /* t */, bool /* is_expire */) override { DetachQueued(); }
};

// Freed taps' memory, for the next taps: up to kKeptTaps blocks are kept (1,024 taps
// freed with none made in between; beyond that, freed taps go back to malloc).
std::vector<void*> free_taps;
constexpr size_t kKeptTaps = 1024;
constexpr size_t kTapSize = sizeof(Tap<Mode::Quiet>);
static_assert(sizeof(Tap<Mode::Report>) == kTapSize && sizeof(Tap<Mode::Options>) == kTapSize);

} // namespace

void* TapBase::operator new(size_t size) {
    if ( size == kTapSize && ! free_taps.empty() ) {
        void* p = free_taps.back();
        free_taps.pop_back();
        return p;
    }
    return ::operator new(size);
}

void TapBase::operator delete(void* p, size_t size) {
    if ( size == kTapSize && free_taps.size() < kKeptTaps ) {
        free_taps.push_back(p);
        return;
    }
    ::operator delete(p);
}

void TapBase::ScheduleDetach() {
    if ( subflow.HasState() ) {
        // The core holds the subflow's facts: reported when the tap goes (Done), at the
        // time they always were, by a timer of its own.
        if ( detach_asked == 0 ) {
            detach_asked = 1;
            zeek::detail::timer_mgr->Add(new DetachTimer(zeek::run_state::network_time, conn, this));
        }
        return;
    }
    if ( detach_asked == 0 ) {
        zeek::Ref(conn);
        queued.push_back({conn, this});
    }
    else if ( detach_asked == kPacketsBeforeTimer )
        zeek::detail::timer_mgr->Add(new DetachQueuedTimer(zeek::run_state::network_time));
    if ( detach_asked <= kPacketsBeforeTimer )
        ++detach_asked;
}

void DetachQueued() {
    // By index: the vector keeps its room from one connection to the next (a tap's
    // Done(), run by its removal, queues nothing: its connection has no state).
    for ( size_t i = 0; i < queued.size(); ++i ) {
        Remove(queued[i].conn, queued[i].tap);
        zeek::Unref(queued[i].conn);
    }
    queued.clear();
}

void DropQueued() {
    for ( const auto& q : queued )
        zeek::Unref(q.conn);
    queued.clear();
}

std::unique_ptr<TapBase> MakeTap(zeek::Connection* conn, Mode mode) {
    switch ( mode ) {
        case Mode::Quiet: return std::make_unique<Tap<Mode::Quiet>>(conn);
        case Mode::Report: return std::make_unique<Tap<Mode::Report>>(conn);
        default: return std::make_unique<Tap<Mode::Options>>(conn);
    }
}

} // namespace zeek::plugin::ZeekMPTCP_MPTCP

#endif
