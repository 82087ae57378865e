//! Where a connection's time went (issue #23): its duration, from its first segment to its
//! last as the capture point saw them, split into consecutive parts that never overlap and sum
//! exactly to it, each part saying who the connection was waiting for. Estimated from the
//! capture: what each endpoint knew (its own window, its application's writes) is inferred from
//! the segments that went by the capture point.
//!
//! A walk fed one segment at a time ([`TimeSplitWalk`], in `time_split_walk.rs`), keeping a few
//! numbers per direction, so the streaming `analyze`, which keeps no segments, can use it too.
//! Where the capture was taken matters: what a segment changed reaches the other endpoint a
//! capture-point-to-endpoint round trip (from the handshake) after the capture point saw it, so
//! the same connection captured near either end gives the same account.

pub use super::nagle_hold::NagleOff;
pub use super::time_split_kinds::{TimeKind, TimePart, TimeSplit};
pub use super::time_split_walk::TimeSplitWalk;
use crate::tcp::TcpPacket;

/// A part's time with a small segment unacknowledged worth a word (1 ms: the flicker rule's
/// measure, under which no part is told apart either).
pub const NAGLE_WORTH_NS: i64 = 1_000_000;

/// The split of a connection's segments (every part kept).
pub fn time_split(packets: &[TcpPacket]) -> TimeSplit {
    let mut walk = TimeSplitWalk::new(usize::MAX);
    for p in packets {
        walk.push(p);
    }
    walk.finish()
}
