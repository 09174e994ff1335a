//! Join-flood counting, two ways:
//! - MP_JOIN SYNs whose token matches no known connection, per receiver address
//!   (`FloodTable`): the receiver answers them with a reset, so they are a SYN flood at it;
//! - MP_JOIN SYNs with a valid token, per MPTCP connection (`JoinWindow`, kept in the
//!   connection's record): the attack of the thesis's section 5.5 (figure 5.7), one
//!   host opening a connection and then making the receiver compute an HMAC for join
//!   after join with its token. Counted per receiver instead, as before, they flagged
//!   any busy server whose clients join once each (5,000 short kernel connections in
//!   10 s reached 1,000 valid joins), and no attacker needs more than one connection.
//!
//! A window starts at the first join SYN it counts and restarts at the first SYN after it
//! ends (the thesis's epoch); a flood is reported once per window, when its count reaches
//! the threshold.

use std::collections::HashMap;
use std::net::IpAddr;

/// One counting window.
#[derive(Clone, Copy, Debug, Default)]
pub struct JoinWindow {
    start: f64,
    count: u32,
    reported: bool,
}

impl JoinWindow {
    /// Count one join SYN at `ts`; the count when this SYN reaches `threshold`.
    pub fn count(&mut self, ts: f64, threshold: u32, interval: f64) -> Option<u32> {
        if self.count == 0 || ts - self.start >= interval {
            *self = JoinWindow { start: ts, count: 0, reported: false };
        }
        self.count = self.count.saturating_add(1);
        if self.count >= threshold.max(1) && !self.reported {
            self.reported = true;
            return Some(self.count);
        }
        None
    }
}

/// Invalid-token join windows per receiver address, up to a cap.
pub struct FloodTable {
    threshold: u32,
    interval: f64,
    cap: usize,
    windows: HashMap<IpAddr, JoinWindow>,
    /// Receivers not counted because the table was full.
    pub dropped: u64,
}

impl FloodTable {
    pub fn new(threshold: u32, interval: f64, cap: usize) -> Self {
        FloodTable { threshold, interval, cap, windows: HashMap::new(), dropped: 0 }
    }

    /// Count one invalid-token join SYN to `receiver`; the count when this SYN reaches
    /// the threshold.
    pub fn count(&mut self, receiver: IpAddr, ts: f64) -> Option<u32> {
        if !self.windows.contains_key(&receiver) && self.windows.len() >= self.cap {
            let interval = self.interval;
            self.windows.retain(|_, w| ts - w.start < interval);
            if self.windows.len() >= self.cap {
                self.dropped += 1;
                return None;
            }
        }
        self.windows.entry(receiver).or_default().count(ts, self.threshold, self.interval)
    }
}
