//! Memory of the tracker, measured with a counting allocator (cargo bench --bench memory):
//! bytes per tracked subflow (target ≤ 256) and peak bytes under a one-million-SYN
//! join flood (target ≤ 64 MB in all).

use mptcp_core::tracker::{Config, FlowTuple, PacketInfo, Slot, Tracker};
use std::alloc::{GlobalAlloc, Layout, System};
use std::net::{IpAddr, Ipv4Addr};
use std::sync::atomic::{AtomicUsize, Ordering::Relaxed};

struct Counting;
static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, l: Layout) -> *mut u8 {
        let p = unsafe { System.alloc(l) };
        if !p.is_null() {
            let now = LIVE.fetch_add(l.size(), Relaxed) + l.size();
            PEAK.fetch_max(now, Relaxed);
        }
        p
    }
    unsafe fn dealloc(&self, p: *mut u8, l: Layout) {
        unsafe { System.dealloc(p, l) };
        LIVE.fetch_sub(l.size(), Relaxed);
    }
    unsafe fn realloc(&self, p: *mut u8, l: Layout, new: usize) -> *mut u8 {
        let q = unsafe { System.realloc(p, l, new) };
        if !q.is_null() {
            let now = LIVE.fetch_add(new, Relaxed) + new - l.size();
            LIVE.fetch_sub(l.size(), Relaxed);
            PEAK.fetch_max(now, Relaxed);
        }
        q
    }
}

#[global_allocator]
static A: Counting = Counting;

fn v4(n: u32) -> IpAddr {
    IpAddr::V4(Ipv4Addr::from(n))
}

fn join_syn(token: u32, nonce: u32) -> [u8; 24] {
    let mut o = [0u8; 24];
    o[..12].copy_from_slice(&[1, 1, 8, 10, 0, 0, 0, 1, 0, 0, 0, 2]);
    o[12..16].copy_from_slice(&[30, 12, 0x10, 3]);
    o[16..20].copy_from_slice(&token.to_be_bytes());
    o[20..24].copy_from_slice(&nonce.to_be_bytes());
    o
}

/// Hand the tracker packets of one connection, all at `ts`: (from the originator, TCP
/// flags, options), no payload.
fn feed(t: &mut Tracker, s: &mut Slot, tu: &FlowTuple, ts: f64, pkts: &[(bool, u8, &[u8])]) {
    for &(is_orig, flags, options) in pkts {
        let pkt = PacketInfo { ts, is_orig, flags, seq: 0, ack: 0, payload_len: 0, options, payload: &[] };
        t.packet(s, tu, &pkt, |_| {});
    }
}

/// Hand the tracker one MP_JOIN SYN on a fresh connection; returns its slot.
fn join_syn_packet(t: &mut Tracker, tu: &FlowTuple, token: u32, nonce: u32, ts: f64) -> Slot {
    let mut s = Slot::default();
    feed(t, &mut s, tu, ts, &[(true, 0x02, &join_syn(token, nonce))]);
    s
}

fn main() {
    // 1. Tracked subflows (join SYNs, kept until the pending-handshake cap): bytes per subflow.
    let mut t = Tracker::new(Config::default());
    let n = 200_000u32;
    let mut slots = Vec::with_capacity(n as usize);
    let before_slots = LIVE.load(Relaxed);
    for i in 0..n {
        let tu = FlowTuple { orig_h: v4(0x0a40_0000 + i), orig_p: 40000, resp_h: v4(0x0a00_0002), resp_p: 80 };
        slots.push(join_syn_packet(&mut t, &tu, i.wrapping_mul(2654435761), i, i as f64 * 1e-3));
        t.clear_events();
    }
    // The slots' vector was allocated before `before_slots`: what grew since is the
    // tracker's. The slots themselves are the caller's (in Zeek: one per watched TCP
    // connection, inside its tap), reported apart.
    let used = LIVE.load(Relaxed) - before_slots;
    println!(
        "tracked subflows: {} -> {} bytes of tracker heap, {:.0} bytes per subflow (target <= 256; pending cap {}); \
         plus the caller's slot: {} bytes per TCP connection",
        t.live().0,
        used,
        used as f64 / t.live().0 as f64,
        t.config().max_pending,
        std::mem::size_of::<Slot>()
    );
    drop(t);
    drop(slots);

    // 2. One million join SYNs to one receiver, as a flood; slots released as a Zeek
    //    connection would be (here: immediately, the worst case for the core is the
    //    pending-handshake table, which keeps the most recent ones up to its cap).
    LIVE.store(0, Relaxed);
    PEAK.store(0, Relaxed);
    let mut t = Tracker::new(Config::default());
    let mut findings = 0usize;
    for i in 0..1_000_000u32 {
        let tu = FlowTuple {
            orig_h: v4(0x0a40_0000 ^ i.wrapping_mul(2654435761)),
            orig_p: (i % 50000) as u16 + 10000,
            resp_h: v4(0x0a00_0002),
            resp_p: 80,
        };
        join_syn_packet(&mut t, &tu, i.wrapping_mul(40503), i, i as f64 * 1e-5);
        findings += t.events().iter().filter(|e| matches!(e, mptcp_core::tracker::Event::Finding { .. })).count();
        t.clear_events();
    }
    let st = t.stats();
    println!(
        "1,000,000-SYN join flood: peak heap {:.1} MB (target <= 64 MB), live subflows {}, pending evicted {}, findings {}",
        PEAK.load(Relaxed) as f64 / 1e6,
        t.live().0,
        st.pending_evicted,
        findings
    );

    drop(t);

    // 3. Joins no connection claims (in a Zeek cluster: joins whose handshake another
    //    worker saw), established and carrying a DSS: each keeps what its DSS options
    //    said (`SubflowSummary::dss`) in a box of its own.
    LIVE.store(0, Relaxed);
    let mut t = Tracker::new(Config::default());
    let n = 50_000u32;
    let mut slots = Vec::with_capacity(n as usize);
    let before_slots = LIVE.load(Relaxed);
    let ts_nop = [1u8, 1, 8, 10, 0, 0, 0, 1, 0, 0, 0, 2];
    let synack: Vec<u8> = ts_nop.iter().copied().chain([30, 16, 0x10, 0]).chain([7u8; 12]).collect();
    let ack: Vec<u8> = ts_nop.iter().copied().chain([30, 24, 0x10, 0]).chain([9u8; 20]).collect();
    // A DSS: 64-bit data ACK, 64-bit DSN, no checksum (the Linux layout).
    let dss: Vec<u8> = ts_nop.iter().copied().chain([30, 28, 0x20, 0x0f]).chain([0u8; 24]).collect();
    for i in 0..n {
        let tu = FlowTuple { orig_h: v4(0x0a50_0000 + i), orig_p: 40000, resp_h: v4(0x0a00_0002), resp_p: 80 };
        let ts = i as f64 * 1e-3;
        let mut s = join_syn_packet(&mut t, &tu, i.wrapping_mul(2654435761), i, ts);
        feed(&mut t, &mut s, &tu, ts, &[(false, 0x12, &synack), (true, 0x10, &ack), (true, 0x10, &dss)]);
        slots.push(s);
        t.clear_events();
    }
    let used = LIVE.load(Relaxed) - before_slots;
    println!(
        "established joins without a connection, with a DSS: {} -> {} bytes of tracker heap, {:.0} bytes per subflow",
        t.live().0,
        used,
        used as f64 / t.live().0 as f64
    );
    drop(t);
    drop(slots);

    // 4. A busy server: 100,000 MPTCP connections (v1 handshakes seen) to one address,
    //    all live at once: bytes per connection (its initial subflow included), and the
    //    time to set them up, which grows with the number of connections when adding
    //    one to the address index costs more with each (it did: a scan of all of them).
    LIVE.store(0, Relaxed);
    let mut t = Tracker::new(Config::default());
    let n = 100_000u32;
    let mut slots = Vec::with_capacity(n as usize);
    let before_slots = LIVE.load(Relaxed);
    let started = std::time::Instant::now();
    let cap = |len: u8, keys: &[u64]| -> Vec<u8> {
        let mut v: Vec<u8> = ts_nop.iter().copied().chain([30, len, 0x01, 0x01]).collect();
        keys.iter().for_each(|k| v.extend(k.to_be_bytes()));
        v
    };
    for i in 0..n {
        let tu = FlowTuple { orig_h: v4(0x0a60_0000 + i), orig_p: 40000, resp_h: v4(0x0a00_0002), resp_p: 80 };
        let (ka, kb) = (u64::from(i).wrapping_mul(0x9e37_79b9_7f4a_7c15), u64::from(i) ^ 0x5555_6666_7777_8888);
        let mut s = Slot::default();
        let ts = i as f64 * 1e-3;
        let (syn, synack, ack) = (cap(4, &[]), cap(12, &[kb]), cap(20, &[ka, kb]));
        feed(&mut t, &mut s, &tu, ts, &[(true, 0x02, &syn), (false, 0x12, &synack), (true, 0x10, &ack)]);
        slots.push(s);
        t.clear_events();
    }
    let elapsed = started.elapsed();
    let used = LIVE.load(Relaxed) - before_slots;
    println!(
        "MPTCP connections to one server address: {} -> {} bytes of tracker heap, {:.0} bytes per connection; set up in {:.2} s",
        t.live().1,
        used,
        used as f64 / t.live().1 as f64,
        elapsed.as_secs_f64()
    );
}
