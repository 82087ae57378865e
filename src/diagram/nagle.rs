//! The sentence for data Nagle's algorithm likely held back (the walk that finds it is
//! [`crate::tcp::nagle_hold`]).

pub use crate::tcp::nagle_hold::{NagleHold, NagleWalk};

/// The sentence for data a small segment held back.
pub fn nagle_sentence(h: &NagleHold, me: &str, peer: &str) -> String {
    let ms = crate::timefmt::milliseconds;
    format!(
        "It left {} after the {peer}'s ACK (frame {}) of the {me}'s small segment (frame {}, {} bytes), an ACK that came {} after that segment: an ACK without data gives an application nothing to answer, so likely Nagle's algorithm held these bytes until the small segment was acknowledged (RFC 896, RFC 1122 §4.2.3.4: one small segment unacknowledged at a time) — the wait for that ACK, a delayed ACK's included, was this data's too.",
        ms(h.after_ack_ns),
        h.ack_frame,
        h.small_frame,
        h.small_len,
        ms(h.held_ns)
    )
}
