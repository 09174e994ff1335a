#include "Events.h"

#include <string>
#include <unordered_map>

#include "zeek/Conn.h"
#include "zeek/Event.h"
#include "zeek/ID.h"
#include "zeek/IPAddr.h"
#include "zeek/Val.h"

#include "events.bif.h"

#include "Mode.h"

namespace zeek::plugin::ZeekMPTCP_MPTCP {

namespace {

zeek::RecordTypePtr option_type, link_type, subflow_type, conn_info_type, finding_type, dss_facts_type,
    conn_facts_type;
bool want_options = false;
bool want_dss = false;

// The initial subflow's uid of each MPTCP connection not yet closed, by MPTCP connection
// id: taken when the initial subflow is linked, put in mptcp_connection_closed's record
// (mptcp_conn.log's uid) and dropped when the connection closes. Kept here only while
// mptcp_connection_closed has a handler. The core ends every connection it releases with
// a CONN_CLOSED event, so this holds no more entries than the core holds connections
// (MPTCP::max_connections); what is left when Zeek ends goes with ForgetInitialUids.
// (The package's script kept this table itself before: measured with callgrind on the
// first 60,000 packets of bench's short-mptcp-spread.pcap, moving it here saves ~7,000
// instructions per MPTCP connection, the same logs written.)
std::unordered_map<uint64_t, zeek::ValPtr> initial_uids;

// The connection record's uid string (GetVal() makes the uid if the connection has none
// yet).
zeek::ValPtr uid_of(zeek::Connection* conn) {
    static const int uid_offset = zeek::id::connection->FieldOffset("uid");
    return conn->GetVal()->GetField(uid_offset);
}

zeek::ValPtr str(MptcpStr s) {
    return zeek::make_intrusive<zeek::StringVal>(static_cast<int>(s.len), reinterpret_cast<const char*>(s.ptr));
}

zeek::ValPtr str(const uint8_t* p, size_t n) {
    return zeek::make_intrusive<zeek::StringVal>(static_cast<int>(n), reinterpret_cast<const char*>(p));
}

zeek::ValPtr count(uint64_t v) { return zeek::val_mgr->Count(v); }
zeek::ValPtr flag(uint8_t v) { return zeek::val_mgr->Bool(v != 0); }

zeek::IPAddr ip(const MptcpAddr& a) {
    return zeek::IPAddr(a.is_v6 ? IPv6 : IPv4, reinterpret_cast<const uint32_t*>(a.bytes), zeek::IPAddr::Network);
}

zeek::ValPtr addr(const MptcpAddr& a) { return zeek::make_intrusive<zeek::AddrVal>(ip(a)); }

// Whether `t` names `conn` itself, end for end (a subflow the core releases for a cap
// is reported during another connection's packet).
bool is_conn(const zeek::Connection* conn, const MptcpTuple& t) {
    return ntohs(conn->OrigPort()) == t.orig_p && ntohs(conn->RespPort()) == t.resp_p &&
           conn->OrigAddr() == ip(t.orig_h) && conn->RespAddr() == ip(t.resp_h);
}

// A field of a script-level record type, found by name (so the scripts own the layout)
// the first time it is assigned and remembered: a lookup compares the name with each
// field's in turn, and looking every field up anew was nearly half of building a
// subflow's and its MPTCP connection's final event records (~14,000 instructions per
// short MPTCP connection).
struct Field {
    const char* name;
    int offset = -2; // -2: not looked up yet; -1: the type has no such field
};

void set(zeek::RecordVal* r, Field& f, zeek::ValPtr v) {
    if ( f.offset == -2 )
        f.offset = r->GetType<zeek::RecordType>()->FieldOffset(f.name);
    if ( f.offset >= 0 )
        r->Assign(f.offset, std::move(v));
}

// One remembered Field per call site: each builder below fills one record type, and the
// types are final once Zeek has parsed the scripts, before any event is raised.
#define SET(rec, name, val)                                                                                            \
    do {                                                                                                               \
        static Field field_{name};                                                                                     \
        set(rec, field_, val);                                                                                         \
    } while ( 0 )

zeek::RecordValPtr option_val(const MptcpOption& o) {
    auto r = zeek::make_intrusive<zeek::RecordVal>(option_type);
    auto* p = r.get();
    SET(p, "subtype", str(o.subtype));
    SET(p, "len", count(o.len));
    const uint32_t f = o.present;
    if ( f & MPTCP_F_VERSION )
        SET(p, "version", count(o.version));
    if ( f & MPTCP_F_FLAGS )
        SET(p, "flags", count(o.flags));
    if ( f & MPTCP_F_SENDER_KEY )
        SET(p, "sender_key", count(o.sender_key));
    if ( f & MPTCP_F_RECEIVER_KEY )
        SET(p, "receiver_key", count(o.receiver_key));
    if ( f & MPTCP_F_TOKEN )
        SET(p, "token", count(o.token));
    if ( f & MPTCP_F_NONCE )
        SET(p, "nonce", count(o.nonce));
    if ( f & MPTCP_F_HMAC )
        SET(p, "hmac", str(o.hmac_hex, o.hmac_len));
    if ( f & MPTCP_F_ADDR_ID )
        SET(p, "addr_id", count(o.addr_id));
    if ( f & MPTCP_F_ADDR )
        SET(p, "address", addr(o.addr));
    if ( f & MPTCP_F_PORT )
        SET(p, "port_num", zeek::val_mgr->Port(o.port, TRANSPORT_TCP));
    if ( f & MPTCP_F_ECHO )
        SET(p, "echo", flag(o.echo));
    if ( f & MPTCP_F_BACKUP )
        SET(p, "backup", flag(o.backup));
    if ( f & MPTCP_F_DATA_ACK )
        SET(p, "data_ack", count(o.data_ack));
    if ( f & MPTCP_F_DSN )
        SET(p, "dsn", count(o.dsn));
    if ( f & MPTCP_F_SSN )
        SET(p, "ssn", count(o.ssn));
    if ( f & MPTCP_F_DLL )
        SET(p, "dll", count(o.dll));
    if ( f & MPTCP_F_CHECKSUM )
        SET(p, "checksum", count(o.checksum));
    if ( f & MPTCP_F_DATA_FIN )
        SET(p, "data_fin", flag(o.data_fin));
    if ( f & MPTCP_F_ADDR_IDS ) {
        auto v = zeek::make_intrusive<zeek::VectorVal>(zeek::id::index_vec);
        for ( size_t i = 0; i < o.addr_ids_len; ++i )
            v->Append(count(o.addr_ids[i]));
        SET(p, "addr_ids", std::move(v));
    }
    if ( f & MPTCP_F_REASON )
        SET(p, "reason", count(o.reason));
    if ( f & MPTCP_F_ERROR )
        SET(p, "error", str(o.error, o.error_len));
    return r;
}

// MPTCP::Link: the subflow's whole state when the event is raised (the core fills it in
// for every link event), so that a script may keep the latest record as the state.
zeek::RecordValPtr link_val(const MptcpEvent& e) {
    auto r = zeek::make_intrusive<zeek::RecordVal>(link_type);
    auto* p = r.get();
    if ( e.has_mptcp_id )
        SET(p, "mptcp_id", count(e.mptcp_id));
    SET(p, "initial", flag(e.initial));
    SET(p, "established", flag(e.established));
    if ( e.linked_by.len )
        SET(p, "linked_by", str(e.linked_by));
    if ( e.join_auth.len )
        SET(p, "join_auth", str(e.join_auth));
    if ( e.fallback.len )
        SET(p, "fallback", str(e.fallback));
    return r;
}

zeek::RecordValPtr conn_id_val(const MptcpTuple& t) {
    auto id = zeek::make_intrusive<zeek::RecordVal>(zeek::id::conn_id);
    id->Assign(0, addr(t.orig_h));
    id->Assign(1, zeek::val_mgr->Port(t.orig_p, TRANSPORT_TCP));
    id->Assign(2, addr(t.resp_h));
    id->Assign(3, zeek::val_mgr->Port(t.resp_p, TRANSPORT_TCP));
    id->Assign(4, zeek::val_mgr->Count(6)); // proto: TCP
    return id;
}

zeek::ValPtr time_val(double t) { return zeek::make_intrusive<zeek::TimeVal>(t); }

// Info$dss: by direction (0: from the originator).
zeek::RecordValPtr dss_facts_val(const MptcpFacts& f) {
    auto r = zeek::make_intrusive<zeek::RecordVal>(dss_facts_type);
    auto* p = r.get();
    SET(p, "last_ts", time_val(f.last_ts));
    SET(p, "fin_orig", flag(f.data_fin[0]));
    SET(p, "fin_resp", flag(f.data_fin[1]));
    if ( f.has_data_ack[0] )
        SET(p, "ack_orig", count(f.data_ack[0]));
    if ( f.has_data_ack[1] )
        SET(p, "ack_resp", count(f.data_ack[1]));
    if ( f.has_infinite_ts )
        SET(p, "inf_ts", time_val(f.infinite_ts));
    if ( f.has_no_checksum_ts )
        SET(p, "nocsum_ts", time_val(f.no_checksum_ts));
    return r;
}

// ConnLogInfo$facts: by side (0: side a, the MPTCP client).
zeek::RecordValPtr conn_facts_val(const MptcpFacts& f) {
    auto r = zeek::make_intrusive<zeek::RecordVal>(conn_facts_type);
    auto* p = r.get();
    SET(p, "fin_a", flag(f.data_fin[0]));
    SET(p, "fin_b", flag(f.data_fin[1]));
    if ( f.has_data_ack[0] )
        SET(p, "ack_a", count(f.data_ack[0]));
    if ( f.has_data_ack[1] )
        SET(p, "ack_b", count(f.data_ack[1]));
    SET(p, "resets", count(f.resets));
    SET(p, "fastclose", flag(f.fastclose));
    SET(p, "tcprst", flag(f.tcprst));
    SET(p, "fallback", flag(f.fallback));
    return r;
}

// mptcp.log's row (MPTCP::Info): the uid too is filled here, the connection record's own
// string.
zeek::RecordValPtr subflow_val(zeek::Connection* conn, const MptcpEvent& e) {
    auto r = zeek::make_intrusive<zeek::RecordVal>(subflow_type);
    auto* p = r.get();
    SET(p, "ts", zeek::make_intrusive<zeek::TimeVal>(e.ts));
    if ( is_conn(conn, e.tuple) )
        SET(p, "uid", uid_of(conn));
    SET(p, "id", conn_id_val(e.tuple));
    if ( e.has_mptcp_id )
        SET(p, "mptcp_id", count(e.mptcp_id));
    SET(p, "initial", flag(e.initial));
    if ( e.has_version )
        SET(p, "version", count(e.version));
    SET(p, "established", flag(e.established));
    SET(p, "linked_by", str(e.linked_by));
    if ( e.join_auth.len )
        SET(p, "join_auth", str(e.join_auth));
    if ( e.has_token )
        SET(p, "token", count(e.token));
    if ( e.has_addr_id )
        SET(p, "addr_id", count(e.addr_id));
    SET(p, "backup", flag(e.backup));
    if ( e.fallback.len )
        SET(p, "fallback", str(e.fallback));
    if ( e.has_tcprst_reason )
        SET(p, "tcprst_reason", count(e.tcprst_reason));
    SET(p, "fastclose", flag(e.fastclose));
    SET(p, "reset", flag(e.reset));
    if ( e.facts.present )
        SET(p, "dss", dss_facts_val(e.facts));
    return r;
}

// mptcp_conn.log's row (MPTCP::ConnLogInfo), with the initial subflow's uid when it is
// known (`uid`: null when not).
zeek::RecordValPtr conn_info_val(const MptcpEvent& e, zeek::ValPtr uid) {
    auto r = zeek::make_intrusive<zeek::RecordVal>(conn_info_type);
    auto* p = r.get();
    SET(p, "ts", zeek::make_intrusive<zeek::TimeVal>(e.ts));
    if ( uid )
        SET(p, "uid", std::move(uid));
    SET(p, "id", conn_id_val(e.tuple));
    SET(p, "mptcp_id", count(e.mptcp_id));
    SET(p, "duration", zeek::make_intrusive<zeek::IntervalVal>(e.duration));
    SET(p, "version", count(e.version));
    SET(p, "checksum", flag(e.checksum));
    if ( e.has_orig_token )
        SET(p, "orig_token", count(e.orig_token));
    if ( e.has_resp_token )
        SET(p, "resp_token", count(e.resp_token));
    SET(p, "subflows_attempted", count(e.subflows_attempted));
    SET(p, "subflows_established", count(e.subflows_established));
    auto v = zeek::make_intrusive<zeek::VectorVal>(zeek::id::string_vec);
    for ( size_t i = 0; i < e.addrs_advertised_len; ++i )
        v->Append(str(e.addrs_advertised[i]));
    SET(p, "addrs_advertised", std::move(v));
    SET(p, "addrs_removed", count(e.addrs_removed));
    SET(p, "close_reason", str(e.close_reason));
    if ( e.has_orig_bytes )
        SET(p, "orig_bytes", count(e.orig_bytes));
    if ( e.has_resp_bytes )
        SET(p, "resp_bytes", count(e.resp_bytes));
    if ( e.has_missed_bytes )
        SET(p, "missed_bytes", count(e.missed_bytes));
    if ( e.has_dup_bytes )
        SET(p, "dup_bytes", count(e.dup_bytes));
    SET(p, "facts", conn_facts_val(e.facts));
    return r;
}

zeek::RecordValPtr finding_val(const MptcpEvent& e) {
    auto r = zeek::make_intrusive<zeek::RecordVal>(finding_type);
    auto* p = r.get();
    if ( e.has_mptcp_id )
        SET(p, "mptcp_id", count(e.mptcp_id));
    SET(p, "msg", str(e.msg));
    SET(p, "sub", str(e.sub));
    if ( e.has_src )
        SET(p, "src", addr(e.src));
    if ( e.has_dst )
        SET(p, "dst", addr(e.dst));
    if ( e.has_n )
        SET(p, "n", count(e.n));
    if ( e.identifier.len )
        SET(p, "identifier", str(e.identifier));
    return r;
}

zeek::EventHandlerPtr finding_handler(MptcpStr note) {
    const std::string n(reinterpret_cast<const char*>(note.ptr), note.len);
    if ( n == "Address_ID_Clash" )
        return mptcp_address_id_clash;
    if ( n == "Duplicate_Add_Addr" )
        return mptcp_duplicate_add_addr;
    if ( n == "Key_Change" )
        return mptcp_key_change;
    if ( n == "Unknown_Join" )
        return mptcp_unknown_join;
    if ( n == "Join_Flood" )
        return mptcp_join_flood;
    if ( n == "Join_Auth_Failure" )
        return mptcp_join_auth_failure;
    if ( n == "Forged_Add_Addr" )
        return mptcp_forged_add_addr;
    if ( n == "Fallback" )
        return mptcp_mid_connection_fallback;
    return nullptr;
}

zeek::EventHandlerPtr subtype_handler(uint8_t raw) {
    switch ( raw ) {
        case 0: return mptcp_capable;
        case 1: return mptcp_join;
        case 2: return mptcp_dss;
        case 3: return mptcp_add_addr;
        case 5: return mptcp_prio;
        case 6: return mptcp_fail;
        case 7: return mptcp_fastclose;
        case 8: return mptcp_tcprst;
        case 15: return mptcp_experimental;
        default: return nullptr;
    }
}

} // namespace

void InitTypes() {
    option_type = zeek::id::find_type<zeek::RecordType>("MPTCP::Option");
    link_type = zeek::id::find_type<zeek::RecordType>("MPTCP::Link");
    subflow_type = zeek::id::find_type<zeek::RecordType>("MPTCP::Info");
    conn_info_type = zeek::id::find_type<zeek::RecordType>("MPTCP::ConnLogInfo");
    finding_type = zeek::id::find_type<zeek::RecordType>("MPTCP::Finding");
    dss_facts_type = zeek::id::find_type<zeek::RecordType>("MPTCP::DssFacts");
    conn_facts_type = zeek::id::find_type<zeek::RecordType>("MPTCP::ConnFacts");
    want_options = mptcp_option || mptcp_option_error || mptcp_capable || mptcp_join || mptcp_dss ||
                   mptcp_add_addr || mptcp_remove_addr || mptcp_prio || mptcp_fail || mptcp_fastclose ||
                   mptcp_tcprst || mptcp_experimental;
    want_dss = mptcp_option || mptcp_dss;
}

Mode WantedMode() {
    // Without per-option handlers options are not decoded for us at all. Without handlers
    // of mptcp_dss or the generic mptcp_option, a packet whose one MPTCP option is a DSS
    // raises no per-option event, so the core's shortcuts may take it even while other
    // per-option events are handled.
    if ( ! want_options )
        return Mode::Quiet;
    return want_dss ? Mode::Options : Mode::Report;
}

bool WantAnyEvent() {
    return want_options || mptcp_subflow_established || mptcp_subflow_linked || mptcp_fallback ||
           mptcp_subflow_done || mptcp_connection_closed || mptcp_address_id_clash || mptcp_duplicate_add_addr ||
           mptcp_key_change || mptcp_unknown_join || mptcp_join_flood || mptcp_join_auth_failure ||
           mptcp_forged_add_addr || mptcp_mid_connection_fallback || mptcp_data_issue;
}

void RaiseOptionEvents(zeek::Connection* conn, bool is_orig, const MptcpOption* opts, size_t n) {
    for ( size_t i = 0; i < n; ++i ) {
        const MptcpOption& o = opts[i];
        if ( mptcp_option )
            conn->EnqueueEvent(mptcp_option, nullptr, conn->GetVal(), zeek::val_mgr->Bool(is_orig),
                               count(o.subtype_raw), count(o.len));
        if ( o.present & MPTCP_F_ERROR ) {
            // Protocol violations also go to weird.log under a stable name.
            const std::string text(reinterpret_cast<const char*>(o.error), o.error_len);
            const std::string name = "mptcp_" + text.substr(0, text.find(':'));
            conn->Weird(name.c_str(), text.c_str(), "MPTCP");
            if ( mptcp_option_error )
                conn->EnqueueEvent(mptcp_option_error, nullptr, conn->GetVal(), zeek::val_mgr->Bool(is_orig),
                                   option_val(o));
            continue;
        }
        if ( o.subtype_raw == 4 ) {
            if ( mptcp_remove_addr ) {
                auto ov = option_val(o);
                for ( size_t k = 0; k < o.addr_ids_len; ++k )
                    conn->EnqueueEvent(mptcp_remove_addr, nullptr, conn->GetVal(), zeek::val_mgr->Bool(is_orig), ov,
                                       count(o.addr_ids[k]));
            }
            continue;
        }
        if ( auto h = subtype_handler(o.subtype_raw) )
            conn->EnqueueEvent(h, nullptr, conn->GetVal(), zeek::val_mgr->Bool(is_orig), option_val(o));
    }
}

void RaiseTrackerEvents(zeek::Connection* conn, uint64_t own, MptcpTracker* tracker) {
    const size_t n = mptcp_tracker_event_count(tracker);
    for ( size_t i = 0; i < n; ++i ) {
        MptcpEvent e;
        if ( mptcp_tracker_event(tracker, i, &e) != MPTCP_OK )
            break;
        // The link events' record says nothing of which subflow it is: raised on another
        // connection (a pending handshake evicted by MPTCP::max_pending while this
        // packet is handled) it would pass for that connection's state. They are raised
        // only on their own subflow; an evicted one's link is in its mptcp.log row
        // (mptcp_subflow_done, whose record names its endpoints).
        const bool link_event = e.kind == MPTCP_EV_SUBFLOW_ESTABLISHED || e.kind == MPTCP_EV_SUBFLOW_LINKED ||
                                e.kind == MPTCP_EV_FALLBACK;
        if ( link_event && e.subflow != own )
            continue;
        switch ( e.kind ) {
            case MPTCP_EV_SUBFLOW_ESTABLISHED:
                if ( mptcp_subflow_established )
                    conn->EnqueueEvent(mptcp_subflow_established, nullptr, conn->GetVal(), link_val(e));
                break;
            case MPTCP_EV_SUBFLOW_LINKED:
                // The initial subflow is linked on a packet of its own: `conn` is it.
                if ( e.initial && e.has_mptcp_id && mptcp_connection_closed )
                    initial_uids[e.mptcp_id] = uid_of(conn);
                if ( mptcp_subflow_linked )
                    conn->EnqueueEvent(mptcp_subflow_linked, nullptr, conn->GetVal(), link_val(e));
                break;
            case MPTCP_EV_FALLBACK:
                if ( mptcp_fallback )
                    conn->EnqueueEvent(mptcp_fallback, nullptr, conn->GetVal(), link_val(e), str(e.fallback));
                break;
            case MPTCP_EV_FINDING:
                if ( auto h = finding_handler(e.note) )
                    conn->EnqueueEvent(h, nullptr, conn->GetVal(), finding_val(e));
                break;
            case MPTCP_EV_SUBFLOW_DONE:
                if ( mptcp_subflow_done )
                    conn->EnqueueEvent(mptcp_subflow_done, nullptr, conn->GetVal(), subflow_val(conn, e));
                break;
            case MPTCP_EV_CONN_CLOSED: {
                zeek::ValPtr uid;
                if ( auto it = initial_uids.find(e.mptcp_id); it != initial_uids.end() ) {
                    uid = std::move(it->second);
                    initial_uids.erase(it);
                }
                if ( mptcp_connection_closed )
                    conn->EnqueueEvent(mptcp_connection_closed, nullptr, conn->GetVal(),
                                       conn_info_val(e, std::move(uid)));
                break;
            }
            case MPTCP_EV_STREAM_ISSUE: {
                // Data-level problems are protocol violations: weird.log, as Zeek's own
                // analyzers report theirs, plus an event for scripts.
                const std::string kind(reinterpret_cast<const char*>(e.note.ptr), e.note.len);
                const std::string addl(reinterpret_cast<const char*>(e.msg.ptr), e.msg.len);
                conn->Weird(("mptcp_" + kind).c_str(), addl.c_str());
                if ( mptcp_data_issue )
                    conn->EnqueueEvent(mptcp_data_issue, nullptr, conn->GetVal(), count(e.mptcp_id),
                                       flag(e.side == 0), str(e.note), count(e.offset), count(e.n));
                break;
            }
            default: break;
        }
    }
    mptcp_tracker_clear_events(tracker);
}

size_t InitialUidsHeld() { return initial_uids.size(); }

void ForgetInitialUids() { initial_uids.clear(); }

} // namespace zeek::plugin::ZeekMPTCP_MPTCP
