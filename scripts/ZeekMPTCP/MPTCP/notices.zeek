##! MPTCP notices. Every finding of the core becomes a notice named as the offline
##! runner's notice.log names it; messages name the addresses, ids and keys involved.

@load base/frameworks/notice

module MPTCP;

export {
	redef enum Notice::Type += {
		## An ADD_ADDR re-used a known address id with a different address (the
		## thesis's attack case: someone announcing addresses for a host).
		Address_ID_Clash,
		## An ADD_ADDR repeated a known id with the same address and port. Benign
		## (retransmissions, periodic re-announcements); raised so it can be counted.
		Duplicate_Add_Addr,
		## The keys echoed in the MP_CAPABLE third ACK differ from the handshake's.
		Key_Change,
		## An MP_JOIN whose token matches no known MPTCP connection (at most once per
		## receiver address per :zeek:see:`MPTCP::unknown_join_interval`).
		Unknown_Join,
		## MP_JOIN SYNs reached :zeek:see:`MPTCP::join_flood_threshold` within
		## :zeek:see:`MPTCP::join_flood_interval`: with a valid token, to one MPTCP
		## connection; with a token that matches no connection, to one receiver address.
		Join_Flood,
		## An MP_JOIN HMAC does not match the connection's keys.
		Join_Auth_Failure,
		## A v1 ADD_ADDR's HMAC does not match the connection's keys.
		Forged_Add_Addr,
		## An MPTCP connection fell back to TCP mid-connection (MP_FAIL, infinite
		## mapping, missing DSS checksum): something on the path changes payload or
		## strips options. A peer that simply answers without MPTCP is only logged.
		Fallback,
	};

	## How long a join-flood notice suppresses the next one of the same
	## ``$identifier`` (receiver, kind and, for valid tokens, MPTCP connection).
	const join_flood_suppress = join_flood_interval &redef;
}

function raise_notice(note: Notice::Type, c: connection, f: Finding)
	{
	local n = Notice::Info($note=note, $msg=f$msg, $sub=f$sub, $conn=c);
	if ( f?$src )
		n$src = f$src;
	if ( f?$dst )
		n$dst = f$dst;
	if ( f?$n )
		n$n = f$n;
	if ( f?$identifier )
		{
		n$identifier = f$identifier;
		n$suppress_for = join_flood_suppress;
		}
	NOTICE(n);
	}

event mptcp_address_id_clash(c: connection, f: Finding) { raise_notice(Address_ID_Clash, c, f); }
event mptcp_duplicate_add_addr(c: connection, f: Finding) { raise_notice(Duplicate_Add_Addr, c, f); }
event mptcp_key_change(c: connection, f: Finding) { raise_notice(Key_Change, c, f); }
event mptcp_unknown_join(c: connection, f: Finding) { raise_notice(Unknown_Join, c, f); }
event mptcp_join_flood(c: connection, f: Finding) { raise_notice(Join_Flood, c, f); }
event mptcp_join_auth_failure(c: connection, f: Finding) { raise_notice(Join_Auth_Failure, c, f); }
event mptcp_forged_add_addr(c: connection, f: Finding) { raise_notice(Forged_Add_Addr, c, f); }
event mptcp_mid_connection_fallback(c: connection, f: Finding) { raise_notice(Fallback, c, f); }
