//! A copy of a segment (see [`crate::tcp::copies`]) on the ladder: found from the segments
//! just before an arrow's, and its tag, "copy", in place of Wireshark's "Dup ACK".

use crate::tcp::copies::{CopyWalk, RECENT};
use crate::tcp::TcpPacket;

/// Whether segment `index` of a connection (`segment`: the connection's segment at an index)
/// is a copy, from the segments just before it (a copy is within 1 ms and [`RECENT`] segments).
pub(super) fn copy_at(index: usize, segment: impl Fn(usize) -> Option<TcpPacket>) -> Option<(u64, i64)> {
    let mut walk = CopyWalk::default();
    for j in index.saturating_sub(RECENT)..index {
        if let Some(q) = segment(j) {
            walk.add(&q);
        }
    }
    walk.copy_of(&segment(index)?)
}

/// The tag of an arrow that is such a copy, in place of Wireshark's "Dup ACK".
pub(super) fn copy_tag() -> super::Tag {
    super::Tag { kind: "copy", text: "copy".to_string() }
}
