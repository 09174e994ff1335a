//! A connection whose first packet is a SYN/ACK from its originator, as Zeek names the
//! ends. Zeek makes a SYN/ACK's sender the originator of the connection it starts unless
//! the ports say it is the server (a stealth scan elicits such SYN/ACKs), and flips the
//! connection's ends at the next pure ACK or data packet, or at the SYN that SYN/ACK
//! answered, unless the history moved on first (`TCP_Endpoint::CheckHistory` while the
//! history is "H", `TCPSessionAdapter`'s SYN/SYN-ACK reversal). A capture that missed
//! the SYN (a sensor's drop, a route the SYN did not take) gives such connections.
//!
//! The core takes the SYN/ACK's receiver as the subflow's originator from the start: the
//! SYN carried the client's key and the SYN/ACK the server's, and the subflow's tuple is
//! the one Zeek settles on. So it reads the packets handed to it the other way round
//! until Zeek flips too (`Slot::inverted`), or for good when Zeek never does. While it
//! does, the slot keeps no repeat memo: the shortcuts, which read the direction as
//! handed, take none of those packets.

use super::{tcp_flags, PacketInfo, Slot, Tracker};

/// `Slot::inverted`: the packets are read as handed.
pub(super) const NONE: u16 = 0;
/// Read the other way round until Zeek flips the connection.
const UNTIL_ZEEK_FLIPS: u16 = 1;
/// Read the other way round for good: Zeek's history moved on before it flipped.
const FOR_GOOD: u16 = 2;

impl Tracker {
    /// `pkt` as the core reads it for `slot`: with its direction inverted while Zeek's
    /// ends are the other way round from the core's (None: read as handed). Moves the
    /// slot's state on as Zeek's flip rules say, and notes when Zeek flips the ends at
    /// this packet after it was handed over (`Tracker::ends_flipped`).
    #[inline(never)]
    pub(super) fn orient<'a>(&mut self, slot: &mut Slot, pkt: &PacketInfo<'a>) -> Option<PacketInfo<'a>> {
        self.flipped_at_packet = false;
        use tcp_flags::{ACK, FIN, RST, SYN};
        let (flags, handed_orig) = (pkt.flags, pkt.is_orig);
        match slot.inverted {
            NONE => {
                // The connection's first packet, a SYN/ACK from Zeek's originator (after
                // packets without MPTCP options Zeek's history is no longer "H").
                let first = slot.subflow == 0 && slot.ignored == 0 && slot.misses == 0;
                if !(first && handed_orig && flags & (SYN | ACK | FIN | RST) == SYN | ACK) {
                    return None;
                }
                if !crate::walk::has_mptcp(pkt.options) {
                    return None; // plain TCP: the core keeps nothing of it
                }
                slot.inverted = UNTIL_ZEEK_FLIPS;
            }
            UNTIL_ZEEK_FLIPS => {
                let special = flags & (SYN | FIN | RST);
                let zeek_flips = if special == 0 {
                    // A pure ACK or a data packet (history "A" or "D", from either end).
                    flags & ACK != 0 || pkt.payload_len != 0
                } else {
                    // The SYN the SYN/ACK answered, from Zeek's responder.
                    special == SYN && flags & ACK == 0 && !handed_orig
                };
                if zeek_flips {
                    slot.inverted = NONE;
                    if !self.cfg.before_tcp_analyzer {
                        return None; // handed over after Zeek's flip: already Zeek's way
                    }
                    // Handed over the old way round; Zeek's ends flip right after.
                    self.flipped_at_packet = true;
                } else if special != 0 && !(special == SYN && flags & ACK != 0 && handed_orig) {
                    // Any other SYN, FIN or RST moves Zeek's history on (its
                    // originator's SYN/ACK again does not): it never flips.
                    slot.inverted = FOR_GOOD;
                }
            }
            _ => {}
        }
        Some(PacketInfo { is_orig: !handed_orig, ..*pkt })
    }

    /// Whether Zeek flipped the connection's ends at the last packet handed over, after
    /// the caller handed it over (Zeek 8.1+'s taps): what the caller reports of that
    /// packet after Zeek processed it (events queued with the connection) has as sender
    /// the other end than the direction it handed over.
    pub fn ends_flipped(&self) -> bool {
        self.flipped_at_packet
    }
}

/// After a packet of a slot read the other way round: no repeat memo (see above).
#[inline(always)]
pub(super) fn keep_no_memo(slot: &mut Slot) {
    if slot.inverted != NONE {
        slot.memo = Default::default();
    }
}
