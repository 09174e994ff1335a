//! Property tests of the data-level stream: pieces of one byte stream, cut anywhere, in
//! any order, some repeated, some missing, acknowledged or not, never panic and always
//! come out as the stream itself (holes as gaps of the right size at the right offset),
//! with every byte accounted for as delivered, missed or duplicated.

use mptcp_core::reassembly::{DataStream, DeliveryKind, Output, Src};
use proptest::prelude::*;

/// A stream, its cut points, the order pieces arrive in, which pieces are sent twice,
/// which never arrive, where the stream starts in sequence space.
type Scenario = (Vec<u8>, Vec<usize>, Vec<usize>, Vec<bool>, Vec<bool>, u64);

fn scenario() -> impl Strategy<Value = Scenario> {
    (1usize..3000).prop_flat_map(|n| {
        (
            prop::collection::vec(any::<u8>(), n),
            prop::collection::vec(1usize..n.max(2), 0..20),
            prop::collection::vec(any::<usize>(), 21),
            prop::collection::vec(any::<bool>(), 21),
            prop::collection::vec(prop::bool::weighted(0.15), 21),
            prop_oneof![Just(0u64), Just(u64::MAX - 1500), any::<u64>()],
        )
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]
    #[test]
    fn pieces_in_any_order_come_out_as_the_stream((data, mut cuts, order, twice, lost, base) in scenario(),
                                                   window in 0usize..512, ack_early in any::<bool>()) {
        cuts.push(0);
        cuts.push(data.len());
        cuts.sort_unstable();
        cuts.dedup();
        let mut pieces: Vec<(usize, usize)> = cuts.windows(2).map(|w| (w[0], w[1])).collect();
        // A shuffle driven by `order`.
        for i in (1..pieces.len()).rev() {
            pieces.swap(i, order[i % order.len()] % (i + 1));
        }
        let mut ds = DataStream::default();
        ds.start_at(base);
        let mut out = Output::default();
        let mut got = vec![0u8; data.len()];
        let mut seen = vec![false; data.len()];
        let mut fed = 0u64;
        let collect = |out: &mut Output, got: &mut Vec<u8>, seen: &mut Vec<bool>| {
            for d in out.deliveries.drain(..) {
                let off = d.offset as usize;
                match &d.kind {
                    DeliveryKind::Owned(b) => {
                        got[off..off + b.len()].copy_from_slice(b);
                        for s in &mut seen[off..off + b.len()] { assert!(!*s, "delivered twice"); *s = true; }
                    }
                    DeliveryKind::Packet { .. } => unreachable!("turned into Owned by the feeder"),
                    DeliveryKind::Gap(n) => {
                        for s in &mut seen[off..off + *n as usize] { assert!(!*s, "gap over delivered bytes"); *s = true; }
                    }
                    DeliveryKind::End => assert_eq!(off, data.len()),
                }
            }
        };
        for (i, &(a, b)) in pieces.iter().enumerate() {
            if lost[i % lost.len()] {
                continue;
            }
            let reps = if twice[i % twice.len()] { 2 } else { 1 };
            for _ in 0..reps {
                fed += (b - a) as u64;
                ds.add(base.wrapping_add(a as u64), Src::Packet { bytes: &data[a..b], start: 0 }, window, &mut out);
                for d in out.deliveries.iter_mut() {
                    if let DeliveryKind::Packet { start, len } = d.kind {
                        let at = a + start as usize;
                        d.kind = DeliveryKind::Owned(data[at..at + len as usize].to_vec());
                    }
                }
                collect(&mut out, &mut got, &mut seen);
            }
            if ack_early && i == pieces.len() / 2 {
                ds.acked(base.wrapping_add(data.len() as u64 / 2), window, &mut out);
                collect(&mut out, &mut got, &mut seen);
            }
        }
        ds.data_fin(base.wrapping_add(data.len() as u64), window, &mut out);
        ds.flush(window, &mut out);
        collect(&mut out, &mut got, &mut seen);
        prop_assert!(seen.iter().all(|s| *s), "every offset delivered or declared missing");
        prop_assert!(ds.ended());
        let s = ds.stats;
        prop_assert_eq!(s.delivered + s.gap, data.len() as u64);
        prop_assert_eq!(s.delivered + s.dup, fed);
        // Every delivered byte is the stream's byte (all copies carry the same bytes).
        for i in 0..data.len() {
            if got[i] != data[i] {
                prop_assert!(s.gap > 0 && got[i] == 0, "byte {} differs", i);
            }
        }
        prop_assert_eq!(s.inconsistent, 0);
    }
}
