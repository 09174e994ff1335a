//! The data-level stream on hand-made pieces: every expectation is worked out by hand.

use super::*;

/// Feed pieces and collect (offset, bytes | gap | end) as text.
struct Run {
    ds: DataStream,
    out: Output,
    window: usize,
}

impl Run {
    fn new(window: usize) -> Self {
        Run { ds: DataStream::default(), out: Output::default(), window }
    }
    fn add(&mut self, dsn: u64, bytes: &[u8]) {
        self.ds.add(dsn, Src::Packet { bytes, start: 0 }, self.window, &mut self.out);
        // Packet pieces must be read before the next packet: turn them into text now.
        for d in self.out.deliveries.iter_mut() {
            if let DeliveryKind::Packet { start, len } = d.kind {
                d.kind = DeliveryKind::Owned(bytes[start as usize..(start + len) as usize].to_vec());
            }
        }
    }
    fn missing(&mut self, dsn: u64, n: u64) {
        self.ds.add(dsn, Src::Missing(n), self.window, &mut self.out);
    }
    fn text(&self) -> Vec<String> {
        self.out
            .deliveries
            .iter()
            .map(|d| match &d.kind {
                DeliveryKind::Owned(b) => format!("{}:{}", d.offset, String::from_utf8_lossy(b)),
                DeliveryKind::Gap(n) => format!("{}:gap{}", d.offset, n),
                DeliveryKind::End => format!("{}:end", d.offset),
                DeliveryKind::Packet { .. } => unreachable!(),
            })
            .collect()
    }
}

#[test]
fn in_order_and_interleaved_pieces_come_out_in_order() {
    let mut r = Run::new(64);
    r.add(1000, b"ab");
    r.add(1004, b"ef"); // ahead: waits
    r.add(1006, b"gh");
    r.add(1002, b"cd"); // fills the hole: everything flows
    assert_eq!(r.text(), ["0:ab", "2:cd", "4:ef", "6:gh"]);
    assert_eq!(r.ds.stats, DirStats { delivered: 8, gap: 0, dup: 0, inconsistent: 0 });
    assert_eq!(r.ds.pending_bytes, 0);
}

#[test]
fn copies_are_delivered_once_and_compared() {
    let mut r = Run::new(64);
    r.add(0, b"hello world");
    r.add(6, b"world"); // same bytes again (reinjection)
    r.add(6, b"WORLD"); // different bytes
    r.add(9, b"ld and more"); // overlaps the end: only " and more" is new
    assert_eq!(r.text(), ["0:hello world", "11: and more"]);
    assert_eq!(r.ds.stats.dup, 5 + 5 + 2);
    assert_eq!(r.ds.stats.inconsistent, 1);
    assert_eq!(r.out.issues, [(IssueKind::InconsistentCopy, 0, 6, 5)]);
}

#[test]
fn copies_of_buffered_bytes_are_trimmed_and_compared() {
    let mut r = Run::new(64);
    r.ds.start_at(0); // the tracker starts a stream at IDSN + 1 before its first data
    r.add(10, b"KLMNO");
    r.add(8, b"ijKLxNOPq"); // overlaps the buffered piece on both sides; 'x' differs
    assert!(r.text().is_empty());
    r.add(0, b"abcdefgh");
    assert_eq!(r.text(), ["0:abcdefgh", "8:ij", "10:KLMNO", "15:Pq"]);
    assert_eq!(r.out.issues, [(IssueKind::InconsistentCopy, 0, 10, 5)]);
}

#[test]
fn copies_older_than_the_window_are_counted_not_compared() {
    let mut r = Run::new(4);
    r.add(0, b"abcdefgh");
    r.add(0, b"XXXX"); // beyond the 4 remembered bytes
    r.add(4, b"efgX"); // within: differs
    assert_eq!(r.ds.stats.dup, 8);
    assert_eq!(r.out.issues, [(IssueKind::InconsistentCopy, 0, 4, 4)]);
}

#[test]
fn holes_become_one_gap_before_the_next_data() {
    let mut r = Run::new(64);
    r.add(0, b"ab");
    r.missing(2, 3); // cut off by the capture
    r.missing(5, 2);
    r.add(7, b"hi");
    assert_eq!(r.text(), ["0:ab", "2:gap5", "7:hi"]);
    assert_eq!(r.ds.stats.gap, 5);
}

#[test]
fn a_data_ack_past_unseen_bytes_skips_them() {
    let mut r = Run::new(64);
    r.add(100, b"ab");
    r.add(110, b"kl");
    r.ds.acked(105, 64, &mut r.out); // acknowledges 102..105, never seen: gap; 105..110 unknown yet
    r.add(105, b"fghij");
    assert_eq!(r.text(), ["0:ab", "2:gap3", "5:fghij", "10:kl"]);
    r.ds.acked(112, 64, &mut r.out); // nothing missing
    assert_eq!(r.ds.stats.gap, 3);
}

#[test]
fn data_fin_ends_the_direction_after_the_last_byte() {
    let mut r = Run::new(64);
    r.add(0, b"ab");
    r.ds.data_fin(4, 64, &mut r.out); // DATA_FIN after "abcd": waits for "cd"
    assert_eq!(r.text(), ["0:ab"]);
    r.add(2, b"cd");
    assert_eq!(r.text(), ["0:ab", "2:cd", "4:end"]);
    r.add(2, b"cd"); // after the end: a copy
    r.ds.acked(5, 64, &mut r.out); // the ACK of the DATA_FIN itself
    assert_eq!(r.text().len(), 3);
    assert_eq!(r.ds.stats.dup, 2);
}

#[test]
fn flush_turns_holes_into_gaps_and_ends() {
    let mut r = Run::new(64);
    r.add(0, b"ab");
    r.add(5, b"fg");
    r.add(9, b"j");
    r.ds.flush(64, &mut r.out);
    assert_eq!(r.text(), ["0:ab", "2:gap3", "5:fg", "7:gap2", "9:j", "10:end"]);
    assert!(r.ds.ended());
}

#[test]
fn skip_hole_frees_the_buffer() {
    let mut r = Run::new(64);
    r.add(0, b"a");
    r.add(3, b"def");
    assert_eq!(r.ds.pending_bytes, 3);
    assert_eq!(r.ds.skip_hole(64, &mut r.out), Some((1, 2)));
    assert_eq!(r.text(), ["0:a", "1:gap2", "3:def"]);
    assert_eq!(r.ds.pending_bytes, 0);
    assert_eq!(r.ds.skip_hole(64, &mut r.out), None);
}

#[test]
fn sequence_numbers_wrap_at_64_bits() {
    let mut r = Run::new(64);
    let start = u64::MAX - 1;
    r.add(start, b"ab");
    r.add(start.wrapping_add(4), b"ef");
    r.add(start.wrapping_add(2), b"cd");
    assert_eq!(r.text(), ["0:ab", "2:cd", "4:ef"]);
}

#[test]
fn expand32_picks_the_nearest_64_bit_value() {
    assert_eq!(expand32(0x0000_0010, 0x1_ffff_fff0), 0x2_0000_0010); // just past a wrap
    assert_eq!(expand32(0xffff_fff0, 0x2_0000_0010), 0x1_ffff_fff0); // just before it
    assert_eq!(expand32(0x8000_0000, 0x5_0000_0000), 0x4_8000_0000); // half-way: the lower one
    assert_eq!(expand32(7, 5), 7);
}

#[test]
fn mapping_splits_payload_over_mappings_and_keeps_unmapped_bytes() {
    use mapping::{Mapping, SubflowDir};
    let mut d = SubflowDir::default();
    d.add(Mapping { dsn: 1000, ssn: 1, len: 4 });
    d.add(Mapping { dsn: 5000, ssn: 5, len: 4 });
    let mut got = Vec::new();
    let left = d.place(3, Src::Packet { bytes: b"cdefghij", start: 0 }, true, |dsn, ssn, p| {
        got.push((dsn, ssn, p.bytes().unwrap().to_vec()))
    });
    // ssn 3..5 -> dsn 1002..1004; 5..9 -> 5000..5004; 9..11 unmapped (kept).
    assert_eq!(got, [(1002, 3, b"cd".to_vec()), (5000, 5, b"efgh".to_vec())]);
    assert_eq!((left, d.unmapped_bytes), (2, 2));
    assert!(!d.add(Mapping { dsn: 5000, ssn: 5, len: 4 }), "a repeated mapping is not new");
    d.add(Mapping { dsn: 9000, ssn: 9, len: mapping::INFINITE });
    let kept = d.take_unmapped();
    assert_eq!(kept, [(9, b"ij".to_vec())]);
    let mut got = Vec::new();
    d.place(9, Src::Packet { bytes: &kept[0].1, start: 0 }, true, |dsn, _, p| got.push((dsn, p.len())));
    assert_eq!(got, [(9000, 2)]);
}

#[test]
fn a_dropped_copy_yields_to_another_and_fills_only_a_hole() {
    // Bytes whose mapping failed its checksum are spare: a reinjected copy wins. The
    // stream starts at DSN 1000, so DSNs and stream offsets differ.
    let mut r = Run::new(64);
    r.add(1000, b"ab");
    r.ds.add_spare(1002, b"XY".to_vec());
    r.add(1002, b"cd");
    r.ds.acked(1004, 64, &mut r.out);
    assert_eq!(r.text(), ["0:ab", "2:cd"]);
    // No other copy before the hole is given up: the spare is all there is.
    r.ds.add_spare(1004, b"ef".to_vec());
    r.ds.acked(1008, 64, &mut r.out);
    r.add(1008, b"ij");
    assert_eq!(r.text(), ["0:ab", "2:cd", "4:ef", "6:gap2", "8:ij"]);
    // After a fallback the receiver takes what it could not check.
    r.ds.add_spare(1010, b"kl".to_vec());
    r.ds.accept_spare(64, &mut r.out);
    assert_eq!(r.text().last().unwrap(), "10:kl");
}

#[test]
fn data_and_acks_absurdly_far_ahead_are_reported_not_believed() {
    let mut r = Run::new(64);
    r.add(0, b"ab");
    r.add(2 + stream::MAX_AHEAD + 1, b"zz");
    r.ds.acked(1 << 62, 64, &mut r.out);
    r.add(2, b"cd");
    assert_eq!(r.text(), ["0:ab", "2:cd"]);
    assert_eq!(r.ds.stats.gap, 0);
    assert_eq!(r.out.issues.iter().filter(|i| i.0 == IssueKind::OutOfWindow).count(), 2);
}
