// The per-packet call a connection makes (see Subflow.h).
#pragma once

namespace zeek::plugin::ZeekMPTCP_MPTCP {

// Which per-packet call a connection makes, fixed once scripts are loaded (the handlers
// that exist decide it). A template argument of the per-packet path, so that each tap
// holds only its own call and tests nothing per packet to choose it.
enum class Mode {
    Quiet,   // no per-option event handled: mptcp_tracker_segment
    Report,  // rare per-option events only (none for DSS): mptcp_tracker_segment_report
    Options, // DSS (or generic option) events too: every option decoded and reported
};

// The mode the loaded scripts ask for (Events.cc, which knows their handlers).
Mode WantedMode();

} // namespace zeek::plugin::ZeekMPTCP_MPTCP
