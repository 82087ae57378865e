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

/// The opening's frames reach over the copies of its last segment captured right after it
/// (zeek_tcp_ctu-64702-888: the handshake's ACK, frame 3, captured again in frame 4, which was
/// in no phase).
pub(super) fn open_with_copies(shapes: crate::tcp::lifecycle::Shapes, conn: &crate::connection::Connection<'_>) -> crate::tcp::lifecycle::Shapes {
    let Some((first, mut last)) = shapes.open_frames else { return shapes };
    // (The lifecycle's wires, one per segment: no segment decoded to find it.)
    let Some(mut i) = conn.wires().iter().position(|w| w.frame == last) else { return shapes };
    while let Some(next) = conn.packet(i + 1) {
        match copy_at(i + 1, |j| conn.packet(j)) {
            Some((original, _)) if (first..=last).contains(&original) => (last, i) = (next.frame, i + 1),
            _ => break,
        }
    }
    crate::tcp::lifecycle::Shapes { open_frames: Some((first, last)), ..shapes }
}
