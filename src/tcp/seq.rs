//! Sequence-number arithmetic modulo 2^32 (RFC 9293 §3.4), in the manner of smoltcp's
//! `wire::tcp::SeqNumber`. Raw `u32`s are never compared with `<` directly, nor offset with
//! `wrapping_add` by hand: a connection may wrap, so a sequence or acknowledgement number that
//! is compared or offset becomes a [`SeqNumber`] at that point. Structs that are serialised keep
//! their `u32` fields (the JSON is unchanged) and convert where they compare.
//!
//! Relative sequence numbers (offsets from the initial sequence number, `tcp.seq` as Wireshark
//! shows it) are sequence-space values too: they wrap with the raw ones, and are compared the
//! same way.

use std::ops::{Add, AddAssign, Sub};

/// A TCP sequence or acknowledgement number: a point in the 2^32 sequence space.
///
/// The comparisons are methods, not `PartialOrd`: at exactly 2^31 apart Wireshark's macros (and
/// so this analysis) call each number both before and after the other, which no `Ordering` can
/// say. Everywhere else they are the usual order on the circle: `b` is after `a` when it is less
/// than 2^31 ahead of it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct SeqNumber(pub u32);

impl SeqNumber {
    /// `self` is after `other` in sequence space (Wireshark's `GT_SEQ`).
    pub fn after(self, other: SeqNumber) -> bool {
        (other.0.wrapping_sub(self.0) as i32) < 0
    }

    /// `self` is before `other` in sequence space (Wireshark's `LT_SEQ`).
    pub fn before(self, other: SeqNumber) -> bool {
        (self.0.wrapping_sub(other.0) as i32) < 0
    }

    /// `self` is at or after `other`: not [`before`](Self::before) it.
    pub fn at_or_after(self, other: SeqNumber) -> bool {
        !self.before(other)
    }

    /// `self` is at or before `other`: not [`after`](Self::after) it.
    pub fn at_or_before(self, other: SeqNumber) -> bool {
        !self.after(other)
    }

    /// The later of the two: `self` if it is after `other`, else `other` (so `self` when they
    /// are exactly 2^31 apart: mind the order).
    pub fn max(self, other: SeqNumber) -> SeqNumber {
        if self.after(other) {
            self
        } else {
            other
        }
    }

    /// The earlier of the two: `self` if it is before `other`, else `other` (so `self` when they
    /// are exactly 2^31 apart: mind the order).
    pub fn min(self, other: SeqNumber) -> SeqNumber {
        if self.before(other) {
            self
        } else {
            other
        }
    }
}

/// `length` sequence numbers further on, modulo 2^32.
impl Add<u32> for SeqNumber {
    type Output = SeqNumber;
    fn add(self, length: u32) -> SeqNumber {
        SeqNumber(self.0.wrapping_add(length))
    }
}

impl AddAssign<u32> for SeqNumber {
    fn add_assign(&mut self, length: u32) {
        *self = *self + length;
    }
}

/// `length` sequence numbers back, modulo 2^32.
impl Sub<u32> for SeqNumber {
    type Output = SeqNumber;
    fn sub(self, length: u32) -> SeqNumber {
        SeqNumber(self.0.wrapping_sub(length))
    }
}

/// The distance from `from` forward to `self`, modulo 2^32 (a byte count when `self` is at or
/// after `from`; a relative sequence number when `from` is the base).
impl Sub<SeqNumber> for SeqNumber {
    type Output = u32;
    fn sub(self, from: SeqNumber) -> u32 {
        self.0.wrapping_sub(from.0)
    }
}

/// Whether a segment without SYN (nor RST) sits at its sender's initial sequence number
/// (`isn`, if its SYN was seen): once the SYN arrived the receiver's RCV.NXT is at least ISN + 1,
/// so such a segment lies below the receive window and is not acceptable — answered with an ACK
/// and dropped, its ACK field and FIN unprocessed (RFC 9293 §3.10.7.4; R4 M1:
/// zeek_tcp_fin_retransmission frame 4). The one rule under the state replay, the handshake's
/// third segment, the resend walk and the segment's words.
pub fn below_window_at_own_isn(syn: bool, rst: bool, seq: SeqNumber, isn: Option<SeqNumber>) -> bool {
    !syn && !rst && isn == Some(seq)
}

/// `a` is after `b` ([`SeqNumber::after`]). These four are for callers that hold raw numbers
/// (`tests/properties.rs`, `tests/endpoint_states.rs`); the crate itself uses [`SeqNumber`].
pub fn gt(a: u32, b: u32) -> bool {
    SeqNumber(a).after(SeqNumber(b))
}

/// `a` is before `b` ([`SeqNumber::before`]).
pub fn lt(a: u32, b: u32) -> bool {
    SeqNumber(a).before(SeqNumber(b))
}

/// `a` is at or after `b` ([`SeqNumber::at_or_after`]).
pub fn ge(a: u32, b: u32) -> bool {
    SeqNumber(a).at_or_after(SeqNumber(b))
}

/// `a` is at or before `b` ([`SeqNumber::at_or_before`]).
pub fn le(a: u32, b: u32) -> bool {
    SeqNumber(a).at_or_before(SeqNumber(b))
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;

    const S: fn(u32) -> SeqNumber = SeqNumber;

    #[test]
    fn comparisons_survive_the_wrap() {
        assert!(gt(5, 0xffff_fff0));
        assert!(lt(0xffff_fff0, 5));
        assert!(ge(7, 7) && le(7, 7));
        assert!(!gt(7, 7) && !lt(7, 7));
        assert!(gt(0x8000_0000, 1));
    }

    #[test]
    fn seq_number_order_across_the_wrap() {
        assert!(S(5).after(S(0xffff_fff0)) && S(0xffff_fff0).before(S(5)));
        assert!(!S(5).before(S(0xffff_fff0)) && !S(0xffff_fff0).after(S(5)));
        assert!(S(0).after(S(u32::MAX)) && S(u32::MAX).before(S(0)));
        assert!(S(7).at_or_after(S(7)) && S(7).at_or_before(S(7)));
        assert!(!S(7).after(S(7)) && !S(7).before(S(7)));
        assert!(S(0x8000_0000).after(S(1)) && S(1).before(S(0x8000_0000)));
        // Less than 2^31 ahead is after, more is before, however the raw numbers compare.
        assert!(S(0x7fff_ffff).after(S(0)) && S(0x8000_0001).before(S(0)));
    }

    #[test]
    fn exactly_half_the_space_apart_is_both_before_and_after() {
        // Wireshark's GT_SEQ and LT_SEQ both hold here; the analysis keeps that.
        let (a, b) = (S(0), S(0x8000_0000));
        assert!(a.before(b) && a.after(b) && b.before(a) && b.after(a));
        assert!(!a.at_or_after(b) && !a.at_or_before(b));
    }

    #[test]
    fn max_and_min_across_the_wrap() {
        assert_eq!(S(3).max(S(0xffff_fffe)), S(3));
        assert_eq!(S(0xffff_fffe).max(S(3)), S(3));
        assert_eq!(S(3).min(S(0xffff_fffe)), S(0xffff_fffe));
        assert_eq!(S(0xffff_fffe).min(S(3)), S(0xffff_fffe));
        assert_eq!(S(9).max(S(9)), S(9));
    }

    #[test]
    fn addition_and_subtraction_wrap() {
        assert_eq!(S(0xffff_fffe) + 5, S(3));
        assert_eq!(S(3) - 5, S(0xffff_fffe));
        assert_eq!(S(0) - 1, S(u32::MAX));
        assert_eq!(S(u32::MAX) + 1, S(0));
        assert_eq!(S(10) + 0, S(10));
        let mut next = S(0xffff_ff00);
        next += 0x200;
        assert_eq!(next, S(0x100));
    }

    #[test]
    fn distance_is_forward_modulo_the_space() {
        assert_eq!(S(3) - S(0xffff_fffe), 5);
        assert_eq!(S(0xffff_fffe) - S(3), 0xffff_fffb);
        assert_eq!(S(42) - S(42), 0);
        // A relative sequence number: the raw number less the base.
        let base = S(0xffff_fff0);
        assert_eq!((base + 1_000) - base, 1_000);
    }
}
