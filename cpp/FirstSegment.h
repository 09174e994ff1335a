// A new TCP connection's first segment, read where its analyzer tree is set up: most
// TCP connections start with a SYN without MPTCP, which the core gives up at, so the
// plugin attaches nothing to them at all (no tap, no call per packet, nothing to
// remove later).
#pragma once

#include "zeek/Conn.h"
#include "zeek/packet_analysis/Analyzer.h"

#include "mptcp_ffi.h"

namespace zeek::plugin::ZeekMPTCP_MPTCP {

// Whether `tracker` gives `conn` up at the segment of the packet being processed (the
// one that made the connection), a segment Zeek's TCP analyzer will take. False when
// that cannot be told: no segment found (`tcp_analyzer`, Zeek's TCP packet analyzer,
// saw none), or its checksum does not verify.
bool GivenUpAtFirstSegment(zeek::Connection* conn, MptcpTracker* tracker,
                           const zeek::packet_analysis::AnalyzerPtr& tcp_analyzer);

} // namespace zeek::plugin::ZeekMPTCP_MPTCP
