//! Where the capture point stands on a connection whose handshake it did not see, for the
//! congestion walk ([`super::congestion`]): each side's quickest answer to the other's data.
//!
//! Without a SYN and SYN-ACK the walk had no round trip from the capture point to each side,
//! took every ACK as heard at once, and near the receiver cut one burst of the sender's into a
//! round per ACK (R17b-12: ndpi_1kxun stream 23, six segments sent in one burst 47 ms away,
//! told as three rounds and "congestion avoidance"). Each side's ACK of the other's data tells
//! how far it is: the time from the data passing here to its ACK passing here is the way to
//! that side and back (and the side's own ACK delay; the quickest of a few is kept).

use super::seq::SeqNumber;
use super::TcpPacket;

/// The segments a walk holds back until it knows the way (a few: only a connection whose
/// handshake the capture missed waits).
pub(super) const HELD_AT_MOST: usize = 32;

#[derive(Default)]
pub(super) struct WayFromAcks {
    /// Per side (client's first): the end of its latest data segments not yet acknowledged,
    /// with when they passed here.
    unacked: [Vec<(SeqNumber, i64)>; 2],
    /// Per side: its quickest ACK of the other side's data, from the data passing here.
    quickest: [Option<i64>; 2],
    /// Per side: the end of its furthest data so far (a resend's ACK may answer its original).
    furthest: [Option<SeqNumber>; 2],
}

impl WayFromAcks {
    pub(super) fn add(&mut self, p: &TcpPacket) {
        let me = usize::from(!p.from_client);
        let f = p.segment.flags;
        if f.ack() && !f.rst() {
            let ack = SeqNumber(p.ack);
            let theirs = &mut self.unacked[1 - me];
            // Exactly the end of one of their segments: the ACK answers it (Wireshark's ACK-RTT).
            if let Some(&(_, sent)) = theirs.iter().find(|(end, _)| *end == ack) {
                let d = p.time_ns.saturating_sub(sent).max(0);
                self.quickest[me] = Some(self.quickest[me].map_or(d, |q| q.min(d)));
            }
            theirs.retain(|(end, _)| end.after(ack));
        }
        let end = SeqNumber(p.seq) + p.segment.payload_len;
        if p.segment.payload_len > 0 && !f.syn() && !f.rst() && self.furthest[me].is_none_or(|e| end.after(e)) {
            self.furthest[me] = Some(end);
            let mine = &mut self.unacked[me];
            if mine.len() >= 8 {
                mine.remove(0);
            }
            mine.push((end, p.time_ns));
        }
    }

    /// Side `side`'s (0: the client) quickest ACK of the other's data so far.
    pub(super) fn quickest(&self, side: usize) -> Option<i64> {
        self.quickest[side]
    }

    /// Both sides answered: their ways are known.
    pub(super) fn both(&self) -> bool {
        self.quickest.iter().all(Option::is_some)
    }

    /// Per side, how long after the capture point sees an ACK of that side's data its answer can
    /// pass here: as from a handshake (`HandshakeTimes`), a side whose part is under a quarter of
    /// the round trip is at the capture point (0); a side never seen answering counts as there
    /// too (as before: no way known).
    pub(super) fn answer_after_ns(&self) -> [i64; 2] {
        let rtt: i64 = self.quickest.iter().flatten().sum();
        self.quickest.map(|q| match q {
            Some(ns) if self.both() && ns.saturating_mul(4) >= rtt => ns / 10 * 9,
            _ => 0,
        })
    }
}
