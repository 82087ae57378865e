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

/// The copy a segment's own sentence tells (`copy_of`: the segment it copies, if any): a copy
/// with a flag that acts or with data; a pure ACK's copy is told in its note instead, in place of
/// Wireshark's "duplicate ACK".
pub(super) fn copy_to_tell(p: &TcpPacket, copy_of: Option<(u64, i64)>) -> Option<(u64, i64)> {
    let f = p.segment.flags;
    copy_of.filter(|_| f.rst() || f.syn() || f.fin() || p.segment.payload_len > 0)
}

/// What a copy is, in place of what its first copy did: the same datagram captured again (R29-3:
/// ndpi_rtsp's FIN of frame 281 captured three more times, each told as a fresh close "sent
/// again"). `numbered`: its sender numbers each IPv4 datagram anew and the identification is the
/// same, which settles it; otherwise nothing new from the peer between makes it most likely.
pub(super) fn copy_sentence(p: &TcpPacket, (frame, gap): (u64, i64), numbered: bool) -> String {
    let f = p.segment.flags;
    let peer = if p.from_client { "server" } else { "client" };
    let gap = crate::timefmt::milliseconds(gap);
    if f.rst() {
        // R4 F2: ndpi_rtsp holds every packet four times; its RSTs too.
        return format!("A copy of frame {frame}'s RST, {gap} after it, alike in every TCP field with nothing new from the {peer} between: most likely the same RST captured again (seen at several points, or duplicated on the way), not another RST sent.");
    }
    // Its own numbers, so the sentence stands alone.
    let len = p.segment.payload_len;
    let bytes = if len == 1 { format!("1 byte, sequence number {}", p.seq) } else { format!("{len} bytes, sequence numbers {} to {}", p.seq, p.seq.wrapping_add(len.wrapping_sub(1))) };
    let what = match (f.syn(), f.ack(), f.fin(), len) {
        (true, true, ..) => format!("SYN-ACK (ISN {}, ack={})", p.segment.seq, p.ack),
        (true, ..) => format!("SYN (ISN {})", p.segment.seq),
        (_, _, true, 0) => format!("FIN (seq={}, ack={})", p.seq, p.ack),
        (_, _, true, _) => format!("data and FIN ({bytes}, FIN at seq={}, ack={})", p.seq.wrapping_add(len), p.ack),
        _ => format!("data ({bytes}, ack={})", p.ack),
    };
    let (alike, likely) = if numbered { (", its IPv4 identification too (this sender numbers each datagram anew)".to_string(), "") } else { (format!(" with nothing new from the {peer} between"), "most likely ") };
    format!("A copy of frame {frame}'s {what}, {gap} after it, alike in every TCP field and option{alike}: {likely}the same segment captured again (seen at several points, or duplicated on the way), not sent again; frame {frame} tells what it does.")
}

/// A pure ACK's copy (`flagged`: Wireshark calls it a duplicate ACK).
pub(super) fn ack_copy_note((frame, gap): (u64, i64), numbered: bool, flagged: bool) -> String {
    format!(
        "A copy of frame {frame}, {} after it, alike in every TCP field and option{}: most likely the same ACK captured again (seen at several points, or duplicated on the way), {}.",
        crate::timefmt::milliseconds(gap),
        if numbered { ", its IPv4 identification too (this sender numbers each datagram anew)" } else { " with nothing new from the peer between" },
        if flagged { "not a duplicate ACK sent by the receiver, though Wireshark flags it as one" } else { "not another ACK sent" }
    )
}

/// The same ACK captured twice is no duplicate ACK, nor another ACK: its tag says "copy" (R30-3:
/// also where Wireshark flags none, counting trailer bytes as data). Only drawn arrows ask.
pub(super) fn tag_ack_copy(tags: &mut Vec<super::Tag>, i: usize, p: &TcpPacket, conn: &crate::connection::Connection<'_>) {
    let f = p.segment.flags;
    let pure_ack = p.segment.payload_len == 0 && !f.syn() && !f.fin() && !f.rst();
    // (The walk stops at the first segment 1 ms or more before: so does this test, cheaply.)
    let recent = i > 0 && conn.wires().get(i - 1).is_some_and(|q| (0..1_000_000).contains(&p.time_ns.saturating_sub(q.time_ns)));
    if pure_ack && recent && copy_at(i, |j| conn.packet(j)).is_some() {
        tags.retain(|t| t.kind != "duplicate_ack");
        tags.push(copy_tag());
    }
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
