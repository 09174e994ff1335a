//! Join-flood counting: MP_JOIN SYNs per receiver address within an interval, valid-token
//! and invalid-token joins counted apart. The interval starts at a receiver's first join
//! SYN and restarts at the first SYN after it ends (the thesis's epoch); a flood is
//! reported once per receiver, kind and interval, when its count reaches the threshold.

use std::collections::HashMap;
use std::net::IpAddr;

struct Window {
    start: f64,
    count: [u32; 2],
    reported: [bool; 2],
}

pub struct FloodTable {
    threshold: u32,
    interval: f64,
    cap: usize,
    windows: HashMap<IpAddr, Window>,
    /// Receivers not counted because the table was full.
    pub dropped: u64,
}

pub struct FloodHit {
    pub count: u32,
}

impl FloodTable {
    pub fn new(threshold: u32, interval: f64, cap: usize) -> Self {
        FloodTable { threshold: threshold.max(1), interval, cap, windows: HashMap::new(), dropped: 0 }
    }

    /// Count one join SYN to `receiver`; returns the flood when this SYN reaches the threshold.
    pub fn count(&mut self, receiver: IpAddr, valid: bool, ts: f64) -> Option<FloodHit> {
        if !self.windows.contains_key(&receiver) && self.windows.len() >= self.cap {
            let interval = self.interval;
            self.windows.retain(|_, w| ts - w.start < interval);
            if self.windows.len() >= self.cap {
                self.dropped += 1;
                return None;
            }
        }
        let w = self.windows.entry(receiver).or_insert(Window { start: ts, count: [0; 2], reported: [false; 2] });
        if ts - w.start >= self.interval {
            *w = Window { start: ts, count: [0; 2], reported: [false; 2] };
        }
        let k = valid as usize;
        w.count[k] += 1;
        if w.count[k] >= self.threshold && !w.reported[k] {
            w.reported[k] = true;
            return Some(FloodHit { count: w.count[k] });
        }
        None
    }
}
