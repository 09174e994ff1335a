// Turning the core's plain C structs into Zeek values and events. Conversion only:
// every decision was made in the Rust core.
#pragma once

#include "zeek/Conn.h"

#include "mptcp_ffi.h"

namespace zeek::plugin::ZeekMPTCP_MPTCP {

// Look up the script-level record types (after scripts are parsed).
void InitTypes();

// Whether any mptcp_* event at all has a handler.
bool WantAnyEvent();

// Raise the per-option events for the options of one packet.
void RaiseOptionEvents(zeek::Connection* conn, bool is_orig, const MptcpOption* opts, size_t n);

// Raise the tracker's pending events on `conn`, whose subflow is `own` (the core's id of
// it, 0 if none), and clear them.
void RaiseTrackerEvents(zeek::Connection* conn, uint64_t own, MptcpTracker* tracker);

// How many MPTCP connections' initial-subflow uids are held for their closing event.
size_t InitialUidsHeld();

// Drop the held uids (Zeek is done: no connection closes any more).
void ForgetInitialUids();

} // namespace zeek::plugin::ZeekMPTCP_MPTCP
