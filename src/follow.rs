//! Follow TCP Stream: a connection's payload, each byte once, in the order Wireshark's Follow
//! TCP Stream gives it.
//!
//! The reassembly mirrors Wireshark 4.0's follow tap (`follow_tcp_tap_listener` and
//! `check_follow_fragments` in `packet-tcp.c`), because its output is the reference a reader
//! compares with: per direction the next expected sequence number; a segment at it is
//! appended; the new tail of a segment that overlaps what was seen is appended; a segment
//! beyond it waits as a fragment until the bytes before it arrive, or until the other side
//! acknowledges past it — then the bytes that were never captured become a gap of known size.
//! Fragments neither filled nor acknowledged by the end are not shown (nor does Wireshark).
//!
//! The plan needs only sequence numbers and lengths, so it is made without the payload bytes;
//! [`FollowChunk::bytes`] takes them out of the frame when a page of the stream is shown.

use serde::{Deserialize, Serialize};

use crate::connection::Connection;
use crate::tcp::TcpPacket;
use crate::tcp::seq::SeqNumber;

/// What Wireshark writes in the stream where captured bytes are missing (with a NUL after it,
/// as `tshark -z follow,tcp,raw` prints it).
pub fn missing_marker(bytes: u32) -> Vec<u8> {
    let mut text = format!("[{} bytes missing in capture file]", bytes as i32).into_bytes();
    text.push(0);
    text
}

/// One piece of the followed stream.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct FollowChunk {
    /// The frame the bytes came from (for a gap: the frame whose acknowledgement showed it).
    pub frame: u64,
    /// That frame's position among its connection's segments (to take its bytes, and to
    /// select it in the ladder).
    pub index: u32,
    pub from_client: bool,
    /// Relative sequence number of the first byte (for a gap: of the first missing byte).
    pub seq: u32,
    pub kind: ChunkKind,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ChunkKind {
    /// `len` bytes of the segment's captured payload, from `offset`.
    Bytes { offset: u32, len: u32 },
    /// `len` bytes the receiver acknowledged that the capture does not hold, before the bytes
    /// of frame `before_frame`.
    Gap { len: u32, before_frame: u64 },
}

impl FollowChunk {
    /// The chunk's bytes: its slice of `payload` (the captured payload of its frame), or for a
    /// gap the marker Wireshark writes.
    pub fn bytes<'a>(&self, payload: &'a [u8]) -> std::borrow::Cow<'a, [u8]> {
        match self.kind {
            ChunkKind::Bytes { offset, len } => {
                let from = (offset as usize).min(payload.len());
                let to = from.saturating_add(len as usize).min(payload.len());
                std::borrow::Cow::Borrowed(&payload[from..to])
            }
            ChunkKind::Gap { len, .. } => std::borrow::Cow::Owned(missing_marker(len)),
        }
    }

    /// Bytes of the stream this chunk stands for (a gap: the missing bytes).
    pub fn len(&self) -> u32 {
        match self.kind {
            ChunkKind::Bytes { len, .. } | ChunkKind::Gap { len, .. } => len,
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// The whole plan of a followed connection.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FollowPlan {
    pub chunks: Vec<FollowChunk>,
    /// Payload bytes per direction (client, server), gaps not counted.
    pub bytes: [u64; 2],
    /// Bytes per direction that were captured out of order and never placed (neither filled
    /// in nor acknowledged before the capture ended).
    pub unplaced: [u64; 2],
}

/// A segment waiting for the bytes before it.
#[derive(Debug, Clone, Copy)]
struct Fragment {
    frame: u64,
    index: u32,
    /// Relative sequence number (a sequence-space value, as `next`).
    seq: SeqNumber,
    /// Offset into the segment's captured payload and length (captured bytes).
    offset: u32,
    len: u32,
}

#[derive(Debug, Default)]
struct FollowSide {
    /// Relative sequence number of the next byte to write.
    next: SeqNumber,
    written: u64,
    fragments: Vec<Fragment>,
    /// Known since the last scan: no fragment is at or before `next`, and the lowest one (by
    /// Wireshark's fold) with its position. Every segment of the other side asks whether its
    /// ACK places a fragment: behind a lost segment, duplicate ACKs would each scan every
    /// fragment waiting after it.
    clean: Option<(SeqNumber, usize)>,
}

/// Follows the connection: the chunks of both directions in Wireshark's order.
pub fn follow(conn: &Connection<'_>) -> FollowPlan {
    // The bytes as captured, as Wireshark's Follow TCP Stream shows them (zero bytes no end took
    // as data included: `Connection::packet_as_captured`).
    follow_packets((0..conn.len()).filter_map(|i| conn.packet_as_captured(i)))
}

/// The same over any sequence of one connection's segments, in capture order.
pub fn follow_packets(packets: impl Iterator<Item = TcpPacket>) -> FollowPlan {
    let mut plan = FollowPlan::default();
    let mut dirs = [FollowSide::default(), FollowSide::default()];
    for (index, p) in packets.enumerate() {
        let index = index as u32;
        let side = usize::from(!p.from_client);
        // An acknowledgement of bytes the capture missed places the fragments after them.
        while place_fragment(&mut dirs[1 - side], 1 - side == 0, Some(SeqNumber(p.ack)), (p.frame, index), &mut plan) {}

        let d = &mut dirs[side];
        let mut sequence = SeqNumber(p.seq) + u32::from(p.segment.flags.syn());
        let mut length = p.segment.payload_len;
        let mut captured = p.captured_payload_len();
        let mut offset = 0;
        if d.written == 0 && d.next == SeqNumber(0) {
            d.next = sequence;
            d.clean = None;
        }
        if sequence.before(d.next) {
            let end = sequence + length;
            if end.after(d.next) {
                // A retransmission with more data: only what was not seen yet.
                offset = d.next - sequence;
                captured = captured.saturating_sub(offset);
                sequence = d.next;
                length = end - d.next;
            }
        }
        if captured == 0 || sequence.before(d.next) {
            continue;
        }
        let fragment = Fragment { frame: p.frame, index, seq: sequence, offset, len: captured };
        if sequence == d.next {
            d.next += length;
            d.clean = None;
            d.written += u64::from(captured);
            push_bytes(&mut plan, side == 0, fragment);
            while place_fragment(d, side == 0, None, (p.frame, index), &mut plan) {}
        } else {
            // Beyond `next`: the fold of the lowest goes on as a scan would continue it.
            if let Some((lowest, at)) = &mut d.clean {
                if lowest.after(sequence) {
                    (*lowest, *at) = (sequence, d.fragments.len());
                }
            }
            d.fragments.push(fragment);
        }
    }
    for (side, d) in dirs.iter().enumerate() {
        plan.unplaced[side] = d.fragments.iter().map(|f| u64::from(f.len)).sum();
    }
    plan
}

fn push_bytes(plan: &mut FollowPlan, from_client: bool, f: Fragment) {
    plan.bytes[usize::from(!from_client)] += u64::from(f.len);
    plan.chunks.push(FollowChunk {
        frame: f.frame,
        index: f.index,
        from_client,
        seq: f.seq.0,
        kind: ChunkKind::Bytes { offset: f.offset, len: f.len },
    });
}

/// Places one waiting fragment of direction `d` if one now fits (Wireshark's
/// `check_follow_fragments`); with `acknowledged`, a fragment the other side acknowledged is
/// placed after a gap. Returns whether something was placed.
fn place_fragment(d: &mut FollowSide, from_client: bool, acknowledged: Option<SeqNumber>, (frame, index): (u64, u32), plan: &mut FollowPlan) -> bool {
    if d.fragments.is_empty() {
        return false;
    }
    let (lowest, lowest_at) = match d.clean {
        Some(known) => known,
        None => match scan(d, from_client, plan) {
            Some(known) => {
                d.clean = Some(known);
                known
            }
            None => {
                d.clean = None;
                return true;
            }
        },
    };
    match acknowledged {
        Some(ack) if ack.after(lowest) => {
            let missing = lowest - d.next;
            let before_frame = d.fragments[lowest_at].frame;
            plan.chunks.push(FollowChunk {
                frame,
                index,
                from_client,
                seq: d.next.0,
                kind: ChunkKind::Gap { len: missing, before_frame },
            });
            d.next = lowest;
            d.clean = None;
            true
        }
        _ => false,
    }
}

/// Wireshark's walk over the waiting fragments: places the first (in arrival order) that is at
/// or before `next` and returns `None`, or returns the lowest (by its fold) and its position.
fn scan(d: &mut FollowSide, from_client: bool, plan: &mut FollowPlan) -> Option<(SeqNumber, usize)> {
    let mut lowest = d.fragments.first()?.seq;
    let mut lowest_at = 0;
    for at in 0..d.fragments.len() {
        let f = d.fragments[at];
        if lowest.after(f.seq) {
            lowest = f.seq;
            lowest_at = at;
        }
        if f.seq.before(d.next) {
            let end = f.seq + f.len;
            if end.after(d.next) {
                let skip = d.next - f.seq;
                let new = f.len - skip;
                push_bytes(plan, from_client, Fragment { seq: d.next, offset: f.offset + skip, len: new, ..f });
                d.next += new;
            }
            d.fragments.remove(at);
            return None;
        }
        if f.seq == d.next {
            if f.len > 0 {
                push_bytes(plan, from_client, f);
            }
            d.next += f.len;
            d.fragments.remove(at);
            return None;
        }
    }
    Some((lowest, lowest_at))
}
