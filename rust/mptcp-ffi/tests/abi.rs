//! The C ABI used as the plugin uses it: create, feed packets through a caller-owned
//! slot, read options and events as C structs, remove, free; NULLs give error codes.

use mptcp_ffi::*;
use std::ptr;

fn addr(a: [u8; 4]) -> MptcpAddr {
    let mut b = [0u8; 16];
    b[..4].copy_from_slice(&a);
    MptcpAddr { bytes: b, is_v6: 0 }
}

fn pkt(ts: f64, is_orig: bool, flags: u8, opts: &[u8]) -> MptcpPacket {
    MptcpPacket {
        ts,
        options: opts.as_ptr(),
        options_len: opts.len(),
        flags,
        is_orig: is_orig as u8,
        seq: 0,
        ack: 0,
        payload_len: 0,
        payload: std::ptr::null(),
        payload_caplen: 0,
    }
}

fn s(x: MptcpStr) -> String {
    if x.len == 0 {
        return String::new();
    }
    String::from_utf8(unsafe { std::slice::from_raw_parts(x.ptr, x.len) }.to_vec()).unwrap()
}

#[test]
fn handshake_through_the_c_abi() {
    unsafe {
        let t = mptcp_tracker_new(ptr::null());
        assert!(!t.is_null());
        let tuple = MptcpTuple { orig_h: addr([10, 0, 0, 1]), resp_h: addr([10, 0, 0, 2]), orig_p: 1000, resp_p: 80 };
        let mut slot = MptcpSlot::default();
        let mut opts = [MptcpOption::zeroed(); 16];
        let mut n = 0usize;
        // NOP NOP TS, MP_CAPABLE v1 SYN.
        let syn = [1u8, 1, 8, 10, 0, 0, 0, 1, 0, 0, 0, 0, 30, 4, 0x01, 0x01];
        let r = mptcp_tracker_packet(t, &mut slot, &tuple, &pkt(1.0, true, 0x02, &syn), opts.as_mut_ptr(), 16, &mut n);
        assert_eq!((r, n), (MPTCP_TRACK, 1));
        assert_eq!(s(opts[0].subtype), "MP_CAPABLE");
        assert_eq!(opts[0].present, MPTCP_F_VERSION | MPTCP_F_FLAGS);
        assert_eq!((opts[0].version, opts[0].flags, opts[0].len), (1, 1, 4));
        assert_ne!(slot.subflow, 0);
        let mut synack = vec![30u8, 12, 0x01, 0x01];
        synack.extend_from_slice(&0x5555666677778888u64.to_be_bytes());
        mptcp_tracker_packet(
            t,
            &mut slot,
            &tuple,
            &pkt(1.1, false, 0x12, &synack),
            ptr::null_mut(),
            0,
            ptr::null_mut(),
        );
        // Established, linked, and (reassembly on by default) its data streams start.
        assert_eq!(mptcp_tracker_event_count(t), 3);
        let mut e: MptcpEvent = std::mem::zeroed();
        assert_eq!(mptcp_tracker_event(t, 0, &mut e), MPTCP_OK);
        assert_eq!((e.kind, e.has_mptcp_id, e.mptcp_id, e.initial), (MPTCP_EV_SUBFLOW_ESTABLISHED, 1, 0, 1));
        assert_eq!(mptcp_tracker_event(t, 1, &mut e), MPTCP_OK);
        assert_eq!(e.kind, MPTCP_EV_SUBFLOW_LINKED);
        assert_eq!(s(e.linked_by), "initial");
        assert_eq!(mptcp_tracker_event(t, 2, &mut e), MPTCP_OK);
        assert_eq!((e.kind, e.mptcp_id, e.initial), (MPTCP_EV_STREAM_START, 0, 1));
        assert_eq!(mptcp_tracker_event(t, 3, &mut e), MPTCP_ERR_RANGE);
        mptcp_tracker_clear_events(t);
        assert_eq!(mptcp_tracker_remove(t, &mut slot), MPTCP_OK);
        let kinds: Vec<u32> = (0..mptcp_tracker_event_count(t))
            .map(|i| {
                mptcp_tracker_event(t, i, &mut e);
                e.kind
            })
            .collect();
        assert_eq!(kinds, vec![MPTCP_EV_SUBFLOW_DONE, MPTCP_EV_CONN_CLOSED]);
        // The last event read is the connection's summary.
        assert_eq!(s(e.close_reason), "timeout");
        assert_eq!((e.has_resp_token, e.resp_token), (1, mptcp_core::crypto::key_hash(1, 0x5555666677778888).token));
        let mut st = MptcpStats::default();
        mptcp_tracker_stats(t, &mut st);
        assert_eq!((st.live_subflows, st.live_connections, st.connections), (0, 0, 1));
        mptcp_tracker_free(t);
    }
}

#[test]
fn null_pointers_are_errors_not_crashes() {
    unsafe {
        let mut slot = MptcpSlot::default();
        assert_eq!(
            mptcp_tracker_packet(
                ptr::null_mut(),
                &mut slot,
                ptr::null(),
                ptr::null(),
                ptr::null_mut(),
                0,
                ptr::null_mut()
            ),
            MPTCP_ERR_NULL
        );
        assert_eq!(mptcp_tracker_remove(ptr::null_mut(), ptr::null_mut()), MPTCP_ERR_NULL);
        assert_eq!(mptcp_tracker_event_count(ptr::null()), 0);
        mptcp_tracker_free(ptr::null_mut());
        assert_eq!(mptcp_has_option(ptr::null(), 3), 0);
        let mut tok = 0u32;
        mptcp_key_hash(0, 0x9c9eabd1e46a33b2, &mut tok, ptr::null_mut());
        assert_eq!(tok, 2945910507);
    }
}
