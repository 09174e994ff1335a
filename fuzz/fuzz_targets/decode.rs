//! Fuzz the MPTCP option walker and decoder.
//!
//! Input: the first byte selects the `DecodeContext` (MPTCP version unknown / 0 / 1, and
//! the segment's TCP flags: unknown, SYN, SYN/ACK, ACK, FIN/ACK, RST); the remaining
//! bytes are the TCP option area. Every yielded option is checked against the walker's
//! invariants and every decoded field is read.
#![no_main]

use libfuzzer_sys::fuzz_target;
use mptcp_core::*;
use std::hint::black_box;
use std::net::IpAddr;

const VERSIONS: [Option<u8>; 3] = [None, Some(0), Some(1)];
const TCP_FLAGS: [Option<u8>; 6] = [
    None,
    Some(tcp_flags::SYN),
    Some(tcp_flags::SYN | tcp_flags::ACK),
    Some(tcp_flags::ACK),
    Some(tcp_flags::FIN | tcp_flags::ACK),
    Some(tcp_flags::RST),
];

fn context(selector: u8) -> DecodeContext {
    DecodeContext { version: VERSIONS[(selector % 3) as usize], tcp_flags: TCP_FLAGS[((selector / 3) % 6) as usize] }
}

fn touch(o: &MptcpOption<'_>) {
    black_box(o.subtype().name());
    match *o {
        MptcpOption::Capable(c) => {
            black_box((c.version, c.flags, c.sender_key, c.receiver_key));
            black_box((c.data_len, c.checksum));
        }
        MptcpOption::Join(Join::Syn { backup, addr_id, token, nonce }) => {
            black_box((backup, addr_id, token, nonce));
        }
        MptcpOption::Join(Join::SynAck { backup, addr_id, hmac, nonce }) => {
            black_box((backup, addr_id, hmac, nonce));
        }
        MptcpOption::Join(Join::Ack { hmac }) => {
            black_box(hmac);
        }
        MptcpOption::Dss(d) => {
            black_box((d.flags, d.data_ack, d.dsn, d.ssn, d.data_len, d.checksum));
            black_box((d.data_fin(), d.data_ack8(), d.dsn8(), d.infinite_mapping()));
        }
        MptcpOption::AddAddr(a) => {
            black_box((a.version, a.flags, a.echo, a.addr_id, a.port, a.hmac));
            match a.addr {
                IpAddr::V4(x) => black_box(x.octets().len()),
                IpAddr::V6(x) => black_box(x.octets().len()),
            };
        }
        MptcpOption::RemoveAddr(r) => {
            black_box(r.addr_ids.iter().fold(0u8, |a, b| a ^ b));
        }
        MptcpOption::Prio(p) => {
            black_box((p.backup, p.addr_id));
        }
        MptcpOption::Fail(f) => {
            black_box(f.dsn);
        }
        MptcpOption::FastClose(f) => {
            black_box(f.receiver_key);
        }
        MptcpOption::TcpRst(t) => {
            black_box((t.flags, t.reason));
        }
        MptcpOption::Experimental(e) => {
            black_box((e.nibble, e.data));
        }
    }
}

fuzz_target!(|data: &[u8]| {
    let Some((&selector, options)) = data.split_first() else {
        return;
    };
    let ctx = context(selector);
    let mut last: Option<usize> = None;
    let mut count = 0usize;
    for f in mptcp_options(options, ctx) {
        // The walker's invariants: raw lies within the input at `offset`, offsets
        // strictly increase, raw starts with kind 30.
        if let Some(p) = last {
            assert!(f.offset > p, "offsets must increase");
        }
        last = Some(f.offset);
        assert!(f.offset + f.raw.len() <= options.len());
        assert!(std::ptr::eq(f.raw.as_ptr(), options[f.offset..].as_ptr()));
        assert_eq!(f.raw[0], KIND_MPTCP);
        count += 1;
        match f.result {
            Ok(ref o) => {
                assert_eq!(f.raw.len(), f.raw[1] as usize);
                assert_eq!(o.subtype() as u8, f.raw[2] >> 4);
                touch(o);
            }
            Err(e) => {
                black_box((e.kind.name(), e.subtype, e.len, e.available));
                black_box(e.to_string());
            }
        }
    }
    assert_eq!(has_mptcp(options), count > 0);
    // The decoder called directly on the whole area (as a caller bypassing the walker).
    if let Ok(o) = decode_option(options, &ctx) {
        touch(&o);
    }
});
