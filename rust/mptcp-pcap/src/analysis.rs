//! The runner's analysis: TCP connections by 4-tuple (Zeek's orientation and reuse,
//! tcp_session.rs), the core's tracker, and the logs it feeds.

use crate::logs::Logs;
use crate::segment::{ends_key, EndsKey, Segment};
use crate::tcp_session::{self, Endpoints};
use mptcp_core::tcp_flags;
use mptcp_core::tracker::{Event, FlowTuple, LinkState, MptcpId, PacketInfo, Slot, SubflowId, Tracker, Verdict};
use std::collections::hash_map::Entry;
use std::collections::HashMap;

/// A TCP connection as the runner tracks it.
struct TcpConn {
    tuple: FlowTuple,
    uid: String,
    slot: Slot,
    /// What decides whether a later SYN on the same 4-tuple starts a new connection.
    ends: Endpoints,
}

/// A connection's two ends, the same from either direction.
type Key = EndsKey;

fn key_of(seg: &Segment<'_>) -> Key {
    ends_key((seg.src, seg.sport), (seg.dst, seg.dport))
}

pub struct Analysis {
    tracker: Tracker,
    /// Looked up for every packet: foldhash (randomly seeded per run, so still hard to
    /// flood with colliding 4-tuples) rather than SipHash, which cost the runner ~40 % of
    /// its instructions here.
    conns: HashMap<Key, TcpConn, foldhash::fast::RandomState>,
    uid_of_subflow: HashMap<SubflowId, String>,
    uid_of_mptcp: HashMap<MptcpId, (String, FlowTuple)>,
    tuple_of_subflow: HashMap<SubflowId, FlowTuple>,
    uid_counter: u64,
    last_ts: f64,
    pub logs: Logs,
    streams: Option<crate::streams::StreamFiles>,
}

/// A Zeek-looking connection uid ("C" and 17 base62 characters), deterministic per run.
fn make_uid(n: u64) -> String {
    const A: &[u8] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    // splitmix64 so that consecutive connections do not get look-alike uids.
    let mix = |v: u64| {
        let mut x = v.wrapping_add(0x9e3779b97f4a7c15);
        x = (x ^ (x >> 30)).wrapping_mul(0xbf58476d1ce4e5b9);
        x = (x ^ (x >> 27)).wrapping_mul(0x94d049bb133111eb);
        x ^ (x >> 31)
    };
    let mut s = String::from("C");
    let mut y = (mix(n) as u128) << 64 | mix(!n) as u128;
    for _ in 0..17 {
        s.push(A[(y % 62) as usize] as char);
        y /= 62;
    }
    s
}

impl Analysis {
    pub fn new(tracker: Tracker, logs: Logs, streams: Option<crate::streams::StreamFiles>) -> Self {
        Analysis {
            tracker,
            conns: HashMap::default(),
            uid_of_subflow: HashMap::new(),
            uid_of_mptcp: HashMap::new(),
            tuple_of_subflow: HashMap::new(),
            uid_counter: 0,
            last_ts: 0.0,
            logs,
            streams,
        }
    }

    pub fn tracker(&self) -> &Tracker {
        &self.tracker
    }

    /// Every frame read, TCP or not, advances network time (as in Zeek).
    pub fn saw_frame(&mut self, ts: f64) {
        self.last_ts = self.last_ts.max(ts);
    }

    pub fn segment(&mut self, frame: u64, ts: f64, seg: &Segment<'_>) -> std::io::Result<()> {
        // Zeek's network time never goes backwards; its option and notice rows carry it,
        // while the core sees each packet's own timestamp (as Zeek's plugin passes it).
        self.last_ts = self.last_ts.max(ts);
        let net_ts = self.last_ts;
        let key = key_of(seg);
        if seg.flags & tcp_flags::SYN != 0 && self.conns.get(&key).is_some_and(|c| c.ends.is_reuse(seg.flags, seg.seq))
        {
            // Port reuse: the old connection is over.
            if let Some(mut old) = self.conns.remove(&key) {
                self.tracker.remove(&mut old.slot);
                self.deliver(&[])?;
                self.drain(net_ts)?;
            }
        }
        let c = match self.conns.entry(key) {
            Entry::Occupied(e) => e.into_mut(),
            Entry::Vacant(e) => {
                let tuple = if tcp_session::receiver_is_originator(seg.flags, seg.sport, seg.dport) {
                    FlowTuple { orig_h: seg.dst, orig_p: seg.dport, resp_h: seg.src, resp_p: seg.sport }
                } else {
                    FlowTuple { orig_h: seg.src, orig_p: seg.sport, resp_h: seg.dst, resp_p: seg.dport }
                };
                self.uid_counter += 1;
                e.insert(TcpConn {
                    tuple,
                    uid: make_uid(self.uid_counter),
                    slot: Slot::default(),
                    ends: Endpoints::default(),
                })
            }
        };
        let is_orig = seg.src == c.tuple.orig_h && seg.sport == c.tuple.orig_p;
        c.ends.saw(is_orig, seg.flags, seg.seq, seg.ack);
        let pkt = PacketInfo {
            ts,
            is_orig,
            flags: seg.flags,
            seq: seg.seq,
            ack: seg.ack,
            payload_len: seg.payload_len,
            options: seg.options,
            payload: seg.payload,
        };
        let had = c.slot.subflow;
        let mut err = None;
        let opts = &mut self.logs.options;
        let verdict = self.tracker.packet(&mut c.slot, &c.tuple, &pkt, |found| {
            if let Some(log) = opts.as_mut() {
                if let Err(e) = crate::options_log::write_row(log, frame, net_ts, seg, found) {
                    err.get_or_insert(e);
                }
            }
        });
        if had == 0 && c.slot.subflow != 0 {
            self.uid_of_subflow.insert(c.slot.subflow, c.uid.clone());
            self.tuple_of_subflow.insert(c.slot.subflow, c.tuple);
        }
        if verdict == Verdict::Ignore && c.slot.subflow == 0 {
            // Plain TCP: nothing of ours to keep, but remember the 4-tuple's state so
            // that its later packets are not mistaken for a new connection.
        }
        if let Some(e) = err {
            return Err(e);
        }
        self.deliver(seg.payload)?;
        self.drain(net_ts)
    }

    /// Reassembled data to the stream files (if asked for).
    fn deliver(&mut self, payload: &[u8]) -> std::io::Result<()> {
        if let Some(w) = self.streams.as_mut() {
            for d in self.tracker.deliveries() {
                w.write(d, payload)?;
            }
        }
        self.tracker.clear_deliveries();
        Ok(())
    }

    /// End of input: every subflow's final facts.
    pub fn finish(&mut self) -> std::io::Result<()> {
        self.tracker.remove_all();
        self.deliver(&[])?;
        let ts = self.last_ts;
        self.drain(ts)
    }

    fn drain(&mut self, ts: f64) -> std::io::Result<()> {
        if self.tracker.events().is_empty() {
            return Ok(());
        }
        let events: Vec<Event> = self.tracker.events().to_vec();
        self.tracker.clear_events();
        for ev in &events {
            match ev {
                Event::SubflowLinked { subflow, mptcp_id: Some(id), state: LinkState { initial: true, .. } } => {
                    if let (Some(uid), Some(t)) = (self.uid_of_subflow.get(subflow), self.tuple_of_subflow.get(subflow))
                    {
                        self.uid_of_mptcp.insert(*id, (uid.clone(), *t));
                    }
                }
                Event::Finding { subflow, finding } => {
                    let uid = self.uid_of_subflow.get(subflow).cloned();
                    let t = self.tuple_of_subflow.get(subflow).copied();
                    self.logs.notice(ts, uid.as_deref(), t.as_ref(), finding)?;
                }
                Event::SubflowDone { subflow, summary } => {
                    let uid = self.uid_of_subflow.remove(subflow).unwrap_or_default();
                    self.tuple_of_subflow.remove(subflow);
                    self.logs.subflow(&uid, summary)?;
                }
                Event::StreamIssue { subflow, kind, addl, .. } => {
                    let uid = self.uid_of_subflow.get(subflow).cloned().unwrap_or_default();
                    if let Some(t) = self.tuple_of_subflow.get(subflow).copied() {
                        self.logs.weird(ts, &uid, &t, kind.name(), addl)?;
                    }
                }
                Event::ConnClosed { summary, .. } => {
                    let uid = self.uid_of_mptcp.remove(&summary.mptcp_id).map(|u| u.0).unwrap_or_default();
                    self.logs.conn(&uid, summary)?;
                }
                _ => {}
            }
        }
        Ok(())
    }
}
