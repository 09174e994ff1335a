//! The DSS checksum (RFC 8684 section 3.3.1): the Internet checksum over a pseudo-header
//! (64-bit DSN, relative subflow sequence number, data-level length, zero checksum) and
//! the mapping's payload. A mapping usually spans several segments, so the sum is kept
//! while its bytes arrive in subflow order.

/// The running check of one mapping's checksum.
#[derive(Clone, Debug)]
pub struct ChecksumRun {
    /// The mapping's first DSN.
    pub dsn: u64,
    /// First subflow sequence number of the mapping and its payload length.
    pub ssn: u32,
    pub payload: u32,
    pub expected: u16,
    sum: u64,
    /// Payload bytes summed so far (contiguous from `ssn`).
    covered: u32,
}

impl ChecksumRun {
    /// `data_len` is the DSS data-level length (it counts a DATA_FIN); `payload` the
    /// subflow bytes the mapping covers.
    pub fn new(dsn: u64, ssn: u32, data_len: u16, payload: u32, expected: u16) -> Self {
        let mut sum = 0u64;
        for w in [(dsn >> 48) as u16, (dsn >> 32) as u16, (dsn >> 16) as u16, dsn as u16] {
            sum += u64::from(w);
        }
        sum += u64::from(ssn >> 16) + u64::from(ssn & 0xffff) + u64::from(data_len);
        ChecksumRun { dsn, ssn, payload, expected, sum, covered: 0 }
    }

    /// Whether subflow byte `ssn` belongs to the mapping.
    pub fn contains(&self, ssn: u32) -> bool {
        ssn.wrapping_sub(self.ssn) < self.payload
    }

    /// Feed the bytes at subflow sequence number `ssn`. Returns `Some(matches)` once
    /// every byte of the mapping was summed, `None` while bytes are missing. Bytes that
    /// do not continue the run (a retransmission, or a gap) are ignored.
    pub fn feed(&mut self, ssn: u32, bytes: &[u8]) -> Option<bool> {
        let at = ssn.wrapping_sub(self.ssn);
        if at > self.covered || self.covered >= self.payload {
            return None;
        }
        let skip = (self.covered - at) as usize;
        if skip >= bytes.len() {
            return None;
        }
        let want = (self.payload - self.covered) as usize;
        let b = &bytes[skip..bytes.len().min(skip + want)];
        let mut i = 0;
        if self.covered & 1 == 1 {
            self.sum += u64::from(b[0]);
            i = 1;
        }
        let pairs = &b[i..];
        let mut chunks = pairs.chunks_exact(2);
        for c in &mut chunks {
            self.sum += u64::from(u16::from_be_bytes([c[0], c[1]]));
        }
        if let [last] = chunks.remainder() {
            self.sum += u64::from(*last) << 8;
        }
        self.covered += b.len() as u32;
        (self.covered == self.payload).then(|| self.result() == self.expected)
    }

    fn result(&self) -> u16 {
        let mut s = self.sum;
        while s >> 16 != 0 {
            s = (s & 0xffff) + (s >> 16);
        }
        !(s as u16)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The craft script's dss_csum: csum(pack("!QIHH", dsn, ssn, dll, 0) + payload).
    fn reference(dsn: u64, ssn: u32, dll: u16, payload: &[u8]) -> u16 {
        let mut d = Vec::new();
        d.extend(dsn.to_be_bytes());
        d.extend(ssn.to_be_bytes());
        d.extend(dll.to_be_bytes());
        d.extend([0, 0]);
        d.extend(payload);
        if d.len() % 2 == 1 {
            d.push(0);
        }
        let mut s: u64 = d.chunks(2).map(|c| u64::from(u16::from_be_bytes([c[0], c[1]]))).sum();
        while s >> 16 != 0 {
            s = (s & 0xffff) + (s >> 16);
        }
        !(s as u16)
    }

    #[test]
    fn split_feeds_match_one_shot() {
        let payload: Vec<u8> = (0..1001u32).map(|i| (i * 7 + 3) as u8).collect();
        let (dsn, ssn) = (0xfedc_ba98_7654_3210u64, 0x8000_0001u32);
        let want = reference(dsn, ssn, 1001, &payload);
        for split in [1usize, 2, 333, 500, 1000] {
            let mut run = ChecksumRun::new(dsn, ssn, 1001, 1001, want);
            assert_eq!(run.feed(ssn, &payload[..split]), None);
            // A retransmission of the start changes nothing.
            assert_eq!(run.feed(ssn, &payload[..split]), None);
            assert_eq!(run.feed(ssn.wrapping_add(split as u32), &payload[split..]), Some(true));
        }
        let mut bad = ChecksumRun::new(dsn, ssn, 1001, 1001, want ^ 1);
        assert_eq!(bad.feed(ssn, &payload), Some(false));
    }
}
