//! One segment captured twice: the same as its side's previous segment in every header field
//! and option, nothing from the peer between, within a millisecond. Most likely one packet seen
//! at two points (or duplicated on the way), not a second one sent. One rule for the words
//! (`explain_context`) and the arrows' tags (the ladder, and through it SVG, Mermaid and
//! PlantUML), so an ACK called "the same ACK captured twice" is never tagged "Dup ACK".

use crate::tcp::TcpPacket;

/// Everything a copy of a segment repeats: sequence and ACK numbers, flags, window, length and
/// the options' bytes' meaning (SACK blocks, timestamps).
type SegmentKey = (u32, u32, u16, u32, u32, Vec<(u32, u32)>, Option<(u32, u32)>);

fn key(p: &TcpPacket) -> SegmentKey {
    let s = &p.segment;
    let sack = s.options.sack_blocks().iter().map(|b| (b.left, b.right)).collect();
    (s.seq, s.ack, s.flags.0, u32::from(s.window), s.payload_len, sack, s.options.timestamps)
}

/// If `p` is a copy of `previous` (the connection's segment just before it): that segment's
/// frame and the time between the two.
pub(super) fn copy_of(previous: Option<&TcpPacket>, p: &TcpPacket) -> Option<(u64, i64)> {
    let q = previous?;
    let gap = p.time_ns - q.time_ns;
    (q.from_client == p.from_client && gap < 1_000_000 && key(q) == key(p)).then_some((q.frame, gap))
}

/// The tag of an arrow that is such a copy, in place of Wireshark's "Dup ACK".
pub(super) fn copy_tag() -> super::Tag {
    super::Tag { kind: "copy", text: "copy".to_string() }
}
