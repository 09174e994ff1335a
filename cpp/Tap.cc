#include "Tap.h"

#if ZEEK_VERSION_NUMBER >= 80100

#include "zeek/RunState.h"
#include "zeek/Timer.h"

#include "Plugin.h"

namespace zeek::plugin::ZeekMPTCP_MPTCP {

namespace {

// Removes a tap from its session adapter outside of the adapter's tap loop.
class DetachTimer final : public zeek::detail::Timer {
public:
    DetachTimer(double t, zeek::Connection* c, const zeek::packet_analysis::TapAnalyzer* tap)
        : Timer(t, zeek::detail::TIMER_SCHEDULE), conn(c), tap(tap) {
        zeek::Ref(conn);
    }
    ~DetachTimer() override { zeek::Unref(conn); }

    void Dispatch(double /* t */, bool /* is_expire */) override {
        // Once the connection is finished its taps are gone; `tap` is only compared.
        auto* adapter = conn->GetSessionAdapter();
        if ( adapter && ! conn->IsFinished() && adapter->RemoveTapAnalyzer(tap) )
            ++plugin.taps_detached;
    }

private:
    zeek::Connection* conn;
    const zeek::packet_analysis::TapAnalyzer* tap;
};

} // namespace

void TapBase::ScheduleDetach() {
    if ( detach_scheduled )
        return;
    detach_scheduled = true;
    zeek::detail::timer_mgr->Add(new DetachTimer(zeek::run_state::network_time, conn, this));
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
