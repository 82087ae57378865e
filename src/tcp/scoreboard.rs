//! Each endpoint's send scoreboard (RFC 6675) and receive queue (RFC 9293 §3.10.7.4, RFC 2018),
//! replayed segment by segment as the capture point saw them, for the lesson (issue #23).
//!
//! The capture shows what each endpoint sent and received, so the replay takes each segment to
//! be processed by its receiver at the step it passes the capture point. A capture taken near
//! the sender sees segments the path lost later; the receiver's own ACKs correct that: an ACK
//! whose SACK blocks lie above its cumulative ACK says the bytes between were not received.
//!
//! Sequence numbers are the relative ones, taken as plain integers: a connection that carries
//! more than 4 GiB one way wraps, and the ranges past the wrap are then wrong.

use serde::{Deserialize, Serialize};

use super::analysis::AnalysisFlags;
use super::recovery::RecoveryWalk;
use super::TcpPacket;

/// Sorted, disjoint, half-open ranges `[start, end)`.
#[derive(Debug, Clone, Default, PartialEq)]
struct Ranges(Vec<(u32, u32)>);

impl Ranges {
    fn add(&mut self, start: u32, end: u32) {
        if start >= end {
            return;
        }
        let (mut s, mut e) = (start, end);
        self.0.retain(|&(a, b)| {
            // Overlapping or touching: merged into the new one.
            if a <= e && s <= b {
                s = s.min(a);
                e = e.max(b);
                false
            } else {
                true
            }
        });
        let at = self.0.partition_point(|&(a, _)| a < s);
        self.0.insert(at, (s, e));
    }

    /// Forgets everything below `from`.
    fn trim_below(&mut self, from: u32) {
        self.0.retain(|&(_, b)| b > from);
        if let Some(first) = self.0.first_mut() {
            first.0 = first.0.max(from);
        }
    }

    fn overlaps(&self, start: u32, end: u32) -> bool {
        self.0.iter().any(|&(a, b)| a < end && start < b)
    }

    fn contains(&self, start: u32, end: u32) -> bool {
        self.0.iter().any(|&(a, b)| a <= start && end <= b)
    }
}

/// What a piece of the sender's outstanding bytes is, by the ACKs it has received.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Piece {
    /// The peer reported it held (a SACK block), not yet cumulatively acknowledged.
    Sacked,
    /// Not reported held while bytes after it were: a hole (RFC 6675 would call it lost after
    /// three SACKed segments above it).
    Hole,
    /// Sent, above everything SACKed: no word on it yet.
    InFlight,
}

/// One piece of `[SND.UNA, SND.NXT)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct BoardRange {
    pub start: u32,
    pub end: u32,
    pub piece: Piece,
    /// Some of it was sent again.
    pub resent: bool,
}

#[derive(Debug, Clone, Default)]
struct Endpoint {
    // As a sender.
    una: Option<u32>,
    nxt: Option<u32>,
    sacked: Ranges,
    resent: Ranges,
    // As a receiver.
    rcv_nxt: Option<u32>,
    held: Ranges,
}

/// Both endpoints (client first), after the segments added so far.
#[derive(Default)]
pub struct Scoreboard {
    ends: [Endpoint; 2],
    /// Which segments are resends, and the count of segments so far.
    walk: RecoveryWalk,
    count: usize,
}

impl Scoreboard {
    /// Processes one segment: its sender's view of what it sent, its receiver's of what arrived.
    pub fn add(&mut self, p: &TcpPacket) {
        let me = usize::from(!p.from_client);
        let f = p.segment.flags;
        let (seq, end) = (p.seq, p.next_seq());
        self.walk.add(self.count, p);
        // A copy with no earlier one captured, seen within Wireshark's out-of-order time, is
        // taken for a late original: recovery.rs counts it a resend once the receiver has
        // reported the hole, even when that report cannot have reached the sender yet (a
        // capture past the reordering, as reorder_at_receiver).
        let late = p.analysis.flags.has(AnalysisFlags::OUT_OF_ORDER) && !p.analysis.flags.has(AnalysisFlags::ANY_RETRANSMISSION);
        let resend = self.walk.resends().last().is_some_and(|r| r.index == self.count && (r.earlier_frame.is_some() || !late));
        self.count += 1;
        {
            let s = &mut self.ends[me];
            if end > seq {
                // Sent again, as recovery.rs reads it (not a probe, not a late original).
                if let Some(n) = s.nxt.filter(|&n| seq < n && resend) {
                    s.resent.add(seq, end.min(n));
                }
                s.nxt = Some(s.nxt.map_or(end, |n| n.max(end)));
                if f.syn() && s.una.is_none() {
                    // RFC 9293 §3.10.1: SND.UNA = ISS once the SYN is sent.
                    s.una = Some(seq);
                }
            }
        }
        if f.rst() {
            return;
        }
        let blocks = sack_blocks(p);
        if f.ack() {
            // The sender of this ACK: what it says it has received corrects the replay.
            let s = &mut self.ends[me];
            let reports_hole = blocks.iter().any(|&(l, _)| l > p.ack);
            match s.rcv_nxt {
                Some(n) if p.ack > n => {
                    s.rcv_nxt = Some(p.ack);
                    s.held.trim_below(p.ack);
                }
                Some(n) if p.ack < n && reports_hole => {
                    // Bytes the replay had delivered did not arrive: everything from the first
                    // SACK block up is held, the bytes before it are missing.
                    let first = blocks.iter().map(|&(l, _)| l).filter(|&l| l > p.ack).min().unwrap_or(n);
                    s.held.add(first, n);
                    s.rcv_nxt = Some(p.ack);
                }
                None => s.rcv_nxt = Some(p.ack),
                _ => {}
            }
            for &(l, r) in &blocks {
                if l > p.ack {
                    s.held.add(l, r);
                }
            }
            // Its peer, the data sender, takes the ACK and the SACK blocks.
            let peer = &mut self.ends[1 - me];
            let una = peer.una.map_or(p.ack, |u| u.max(p.ack));
            peer.una = Some(una);
            for &(l, r) in &blocks {
                peer.sacked.add(l.max(una), r);
            }
            peer.sacked.trim_below(una);
            peer.resent.trim_below(una);
        }
        // The receiver of this segment.
        let r = &mut self.ends[1 - me];
        if f.syn() {
            r.rcv_nxt = Some(r.rcv_nxt.map_or(end, |n| n.max(end)));
        } else if end > seq {
            match r.rcv_nxt {
                Some(n) if seq <= n && end > n => {
                    let mut n = end;
                    // The queue's first ranges now join on.
                    while let Some(&(_, b)) = r.held.0.first().filter(|&&(a, _)| a <= n) {
                        n = n.max(b);
                        r.held.0.remove(0);
                    }
                    r.rcv_nxt = Some(n);
                }
                Some(n) if seq > n => r.held.add(seq, end),
                // The capture began after the handshake: the first bytes seen are taken as
                // the next expected.
                None => r.rcv_nxt = Some(end),
                _ => {}
            }
        }
    }

    /// What the endpoint has received in order (its RCV.NXT, by the replay).
    pub fn rcv_nxt(&self, client: bool) -> Option<u32> {
        self.ends[usize::from(!client)].rcv_nxt
    }

    /// The oldest byte it sent that is not acknowledged (its SND.UNA).
    pub fn snd_una(&self, client: bool) -> Option<u32> {
        self.ends[usize::from(!client)].una
    }

    /// The ranges the endpoint holds beyond RCV.NXT (what its SACK blocks report).
    pub fn held(&self, client: bool) -> Vec<(u32, u32)> {
        self.ends[usize::from(!client)].held.0.clone()
    }

    /// `[SND.UNA, SND.NXT)` of the endpoint, cut into SACKed pieces, holes and bytes in flight.
    pub fn outstanding(&self, client: bool) -> Vec<BoardRange> {
        let e = &self.ends[usize::from(!client)];
        let (Some(una), Some(nxt)) = (e.una, e.nxt) else { return Vec::new() };
        // An ACK beyond what the capture saw sent (bytes sent before it began, or lost before
        // the capture point), or numbers past a wrap: nothing to show.
        if nxt <= una || nxt - una > 1 << 30 {
            return Vec::new();
        }
        let top = e.sacked.0.last().map_or(una, |&(_, b)| b);
        let mut cuts: Vec<u32> = vec![una, nxt, top.clamp(una, nxt)];
        for &(a, b) in e.sacked.0.iter().chain(&e.resent.0) {
            cuts.extend([a.clamp(una, nxt), b.clamp(una, nxt)]);
        }
        cuts.sort_unstable();
        cuts.dedup();
        let mut out: Vec<BoardRange> = Vec::new();
        for w in cuts.windows(2) {
            let (a, b) = (w[0], w[1]);
            let piece = if e.sacked.contains(a, b) {
                Piece::Sacked
            } else if b <= top {
                Piece::Hole
            } else {
                Piece::InFlight
            };
            let resent = e.resent.overlaps(a, b);
            match out.last_mut() {
                Some(last) if last.piece == piece && last.resent == resent && last.end == a => last.end = b,
                _ => out.push(BoardRange { start: a, end: b, piece, resent }),
            }
        }
        out
    }
}

/// An ACK's SACK blocks in the relative numbers of the direction it acknowledges.
fn sack_blocks(p: &TcpPacket) -> Vec<(u32, u32)> {
    use super::seq::SeqNumber;
    let base = SeqNumber(p.segment.ack) - p.ack;
    p.segment.options.sack_blocks().iter().map(|b| (SeqNumber(b.left) - base, SeqNumber(b.right) - base)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_merge_and_trim() {
        let mut r = Ranges::default();
        r.add(10, 20);
        r.add(30, 40);
        r.add(20, 25);
        assert_eq!(r.0, [(10, 25), (30, 40)]);
        r.add(5, 35);
        assert_eq!(r.0, [(5, 40)]);
        r.trim_below(12);
        assert_eq!(r.0, [(12, 40)]);
        assert!(r.contains(12, 40) && !r.contains(11, 13) && r.overlaps(39, 50));
    }
}
