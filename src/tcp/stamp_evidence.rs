//! What the timestamp option (RFC 7323) says of a segment that fills a hole: sent with the
//! segments around it and overtaken on the path (an original), or sent after its sender heard
//! the receiver report the hole (a retransmission). A segment echoes in TSecr the latest TSval
//! its sender had received; segments sent in one burst share TSval and TSecr.
//!
//! R8a-05 (reorder at the receiver, frame 132): the same TSval and TSecr as frames 128 and 130,
//! which follow it in sequence and passed first, while the receiver's duplicate ACKs (129, 131)
//! carried a newer TSval: the original, not "maybe a quick retransmission". R8a-16 (drop_mid at
//! the receiver, frame 369): no earlier copy passed, and it echoes the TSval of the receiver's
//! duplicate ACKs (156, 158): sent after the sender heard of the hole — that, not the missing
//! copy, is what shows a retransmission.

use std::collections::VecDeque;

use super::seq::SeqNumber;
use super::TcpPacket;

/// Segments remembered per side.
const KEPT: usize = 1024;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StampVerdict {
    /// Sent with `with_frame` (the first segment with the same TSval and TSecr that follows it in
    /// sequence and passed here first), before the peer's report of the hole (`report_frame`, TSval `report_tsval`, newer
    /// than this segment's TSecr): the original, overtaken on the path.
    Original { with_frame: u64, tsval: u32, tsecr: u32, report_frame: u64, report_tsval: u32 },
    /// Later by its sender's clock (TSval) than `later_frame`, which carries bytes above it: sent
    /// after them, a retransmission; `report_frame`: the peer's ACK asking for these bytes whose
    /// TSval it echoes, if one passed here.
    SentAfter { later_frame: u64, later_tsval: u32, tsval: u32, tsecr: u32, report_frame: Option<u64> },
}

#[derive(Debug, Clone, Copy)]
struct Seen {
    frame: u64,
    seq: SeqNumber,
    ack: SeqNumber,
    ack_flag: bool,
    tsval: u32,
    tsecr: u32,
}

/// Fed a connection's segments in capture order; says of each data segment what its stamps show.
#[derive(Debug, Clone, Default)]
pub struct StampWalk {
    /// Index 1: the client's.
    seen: [VecDeque<Seen>; 2],
    /// One past each side's highest byte: only a segment below it can fill a hole.
    highest: [Option<SeqNumber>; 2],
}

/// `a` is newer than `b` on the timestamp clock (modulo 2^32, RFC 7323 §5.2).
fn newer(a: u32, b: u32) -> bool {
    a != b && a.wrapping_sub(b) < 1 << 31
}

impl StampWalk {
    /// The verdict for data segment `p` (before [`StampWalk::add`] takes it), when its stamps say.
    ///
    /// A sender sends its bytes in order the first time: a segment whose TSval is later than
    /// that of a segment above it in sequence (`first_later`, the first to pass here) left after
    /// it, so it is a retransmission. One that shares TSval and TSecr with that segment was sent
    /// with it, and when its TSecr is older than the TSval of the peer's first ACK that reported
    /// the hole, before any report: the original, overtaken. (A 1 ms clock can give an ACK sent
    /// just before the hole and the first report one TSval, so the echo alone does not decide.)
    pub fn verdict(&self, p: &TcpPacket) -> Option<StampVerdict> {
        let (tsval, tsecr) = p.segment.options.timestamps?;
        if p.segment.payload_len == 0 {
            return None;
        }
        let seq = SeqNumber(p.seq);
        // New data fills no hole (and the search below is not made for every segment).
        if self.highest[usize::from(p.from_client)].is_none_or(|h| !h.after(seq)) {
            return None;
        }
        let (mine, peer) = (&self.seen[usize::from(p.from_client)], &self.seen[usize::from(!p.from_client)]);
        // What came before the hole has been forgotten: nothing to compare with.
        if mine.front().is_none_or(|s| s.seq.after(seq)) {
            return None;
        }
        let first_later = mine.iter().find(|s| s.seq.after(seq))?;
        let asking = |s: &&Seen| s.frame > first_later.frame && s.ack_flag && !s.ack.after(seq);
        if newer(tsval, first_later.tsval) {
            // The echo names a report of the hole only when every segment of the peer's with
            // that TSval asked for these bytes (R9-01: rack's TSecr was the TSval of nine ACKs,
            // seven of them from before the hole).
            let echoed = || peer.iter().filter(|s| s.tsval == tsecr);
            let report = echoed().all(|s| asking(&s)).then(|| echoed().next().map(|s| s.frame)).flatten();
            return Some(StampVerdict::SentAfter { later_frame: first_later.frame, later_tsval: first_later.tsval, tsval, tsecr, report_frame: report });
        }
        let first_report = peer.iter().find(asking)?;
        (first_later.tsval == tsval && first_later.tsecr == tsecr && newer(first_report.tsval, tsecr))
            .then_some(StampVerdict::Original { with_frame: first_later.frame, tsval, tsecr, report_frame: first_report.frame, report_tsval: first_report.tsval })
    }

    /// Takes `p` into account for the segments after it.
    pub fn add(&mut self, p: &TcpPacket) {
        if p.segment.payload_len > 0 {
            let end = SeqNumber(p.seq) + p.segment.payload_len;
            let h = &mut self.highest[usize::from(p.from_client)];
            *h = Some(h.map_or(end, |h| if end.after(h) { end } else { h }));
        }
        let Some((tsval, tsecr)) = p.segment.options.timestamps else { return };
        let side = &mut self.seen[usize::from(p.from_client)];
        if side.len() >= KEPT {
            side.pop_front();
        }
        side.push_back(Seen { frame: p.frame, seq: SeqNumber(p.seq), ack: SeqNumber(p.ack), ack_flag: p.segment.flags.ack(), tsval, tsecr });
    }
}
