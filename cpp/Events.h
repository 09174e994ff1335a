// Turning the core's plain C structs into Zeek values and events. Conversion only:
// every decision was made in the Rust core.
#pragma once

#include "zeek/Conn.h"

#include "mptcp_ffi.h"

namespace zeek::plugin::ZeekMPTCP_MPTCP {

// Look up the script-level record types (after scripts are parsed).
void InitTypes();

// Whether a script handles any of the per-option events (then options are decoded into
// C structs for us; otherwise the core skips that work).
bool WantOptionEvents();

// Whether a script handles mptcp_dss or the generic mptcp_option. If not, a packet whose
// one MPTCP option is a DSS raises no per-option event, and the core's shortcuts may take
// it even while other per-option events are handled.
bool WantDssEvents();

// Whether any mptcp_* event at all has a handler.
bool WantAnyEvent();

// Raise the per-option events for the options of one packet.
void RaiseOptionEvents(zeek::Connection* conn, bool is_orig, const MptcpOption* opts, size_t n);

// Raise the tracker's pending events on `conn` and clear them.
void RaiseTrackerEvents(zeek::Connection* conn, MptcpTracker* tracker);

} // namespace zeek::plugin::ZeekMPTCP_MPTCP
