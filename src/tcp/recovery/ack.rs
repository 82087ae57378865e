//! What an ACK tells the other side's sender (duplicate ACKs, SACKed bytes, holes), and what it
//! says of the resends before it (not needed: acknowledged sooner than a resend could arrive, or
//! D-SACKed).

use super::{resent_again_before, sack_blocks, NotNeeded, RecoveryWalk, Resend, DSACK_RECENT_NS, DUP_THRESH};
use crate::tcp::seq::SeqNumber;
use crate::tcp::TcpPacket;

impl RecoveryWalk {
    /// What an ACK tells the other side's sender, and what it says of the resends before it.
    pub(super) fn ack(&mut self, p: &TcpPacket, me: usize, copy: bool) {
        let f = p.segment.flags;
        let peer = &mut self.sides[1 - me];
        let ack = SeqNumber(p.ack);
        peer.last_ack_ns = Some(p.time_ns);
        if p.analysis.acked_frame > 0 && p.analysis.ack_rtt_ns > 0 {
            peer.min_rtt_ns = Some(peer.min_rtt_ns.map_or(p.analysis.ack_rtt_ns, |m| m.min(p.analysis.ack_rtt_ns)));
        }
        let blocks = sack_blocks(p);
        let una_before = peer.una;
        // A zero window (zero whatever the scale) with bytes beyond this ACK already sent.
        let beyond = peer.high.is_some_and(|h| h.after(ack));
        match peer.withdrawn.as_mut() {
            None if p.segment.window == 0 && beyond && !f.syn() => {
                let past_every_offer = peer.offered_edge.filter(|&e| peer.high.is_some_and(|h| h.after(e)));
                peer.withdrawn = Some((p.frame, None, peer.high.unwrap_or(ack), past_every_offer));
            }
            Some((_, reopened @ None, ..)) if p.segment.window > 0 => *reopened = Some(p.frame),
            _ => {}
        }
        if p.window_captured() && p.scale_factor != crate::tcp::ScaleFactor::Unknown && !f.syn() {
            peer.offered_edge = Some(peer.offered_edge.map_or(ack + p.window, |e| e.max(ack + p.window)));
        }
        match peer.una {
            Some(una) if ack.after(una) => {
                peer.una = Some(ack);
                peer.una_frame = p.frame;
                peer.after_timeout = peer.after_timeout.filter(|&(_, until)| ack.before(until));
                peer.dup_acks = 0;
                peer.sacked_above = None;
                peer.hole_since_ns = None;
                (peer.in_stall, peer.timeouts_in_stall) = (0, 0);
                peer.delivered_unseen(ack, p.time_ns, p.frame);
                peer.withdrawn = peer.withdrawn.filter(|&(_, _, until, _)| ack.before(until));
            }
            // (Its SACK blocks all D-SACKs, below the ACK: it reports a copy, no hole — R22-4.)
            Some(una) if ack == una && p.segment.payload_len == 0 && !f.syn() && !f.fin() && !copy && (blocks.is_empty() || blocks.iter().any(|&(_, r)| r.after(ack))) => {
                peer.dup_acks += 1;
                if peer.dup_acks == DUP_THRESH {
                    peer.hole_since_ns.get_or_insert(p.time_ns);
                }
            }
            // The first ACK ends the handshake's stall (its SYN's resends count in no later one).
            None => (peer.una, peer.una_frame, peer.in_stall, peer.timeouts_in_stall, peer.dup_acks) = (Some(ack), p.frame, 0, 0, 0),
            _ => {}
        }
        for &(left, right) in &blocks {
            if left.after(ack) {
                peer.sacked_above = Some(peer.sacked_above.map_or(right, |s| s.max(right)));
                peer.hole_since_ns.get_or_insert(p.time_ns);
            }
        }
        // A resend these bytes were needed for? A D-SACK of its bytes, or an ACK of them
        // sooner than any round trip after it.
        let dsack = blocks.first().filter(|&&(l, r)| l.before(ack) || blocks.get(1).is_some_and(|&(l2, r2)| l.at_or_after(l2) && r.at_or_before(r2)));
        let min_rtt = peer.min_rtt_ns;
        // Without a D-SACK only an ACK too soon decides, and only for resends later than half
        // the shortest round trip before it: those before `first` all passed earlier.
        let first = match (dsack, min_rtt) {
            (Some(_), _) => 0,
            (None, Some(m)) => self.latest_ns.partition_point(|&t| t <= p.time_ns.saturating_sub(m / 2)),
            (None, None) => self.out.len(),
        };
        // A D-SACK answers a duplicate that has just arrived (not one from long before), and one
        // report is one arrival: of several copies of the same bytes it answers one — the
        // earliest not yet answered whose bytes it names exactly (copies arrive in order), else
        // the latest that holds them (R5e F7, M2: one D-SACK had been credited to four copies).
        let reported = |r: &Resend| {
            let (start, end) = (SeqNumber(r.seq), SeqNumber(r.next_seq));
            p.time_ns.saturating_sub(r.time_ns) < DSACK_RECENT_NS
                && r.from_client != p.from_client
                && !matches!(r.not_needed, Some(NotNeeded::DSack(_) | NotNeeded::AckTooSoon(_)))
                && dsack.is_some_and(|&(l, rr)| (l.at_or_before(start) && end.at_or_before(rr)) || (start.at_or_before(l) && rr.at_or_before(end)))
        };
        let mut answers: Option<(usize, bool)> = None;
        for i in (first..self.out.len()).filter(|&i| reported(&self.out[i])) {
            let r = &self.out[i];
            let exact = dsack.is_some_and(|&(l, rr)| l.0 == r.seq && rr.0 == r.next_seq);
            if answers.is_none_or(|(_, exact_before)| !exact_before) {
                answers = Some((i, exact));
            }
        }
        for i in first..self.out.len() {
            let r = &self.out[i];
            // A D-SACK is the receiver's own word: it outranks what the ACKs suggested before.
            if matches!(r.not_needed, Some(NotNeeded::DSack(_) | NotNeeded::AckTooSoon(_))) || r.from_client == p.from_client {
                continue;
            }
            let end = SeqNumber(r.next_seq);
            let reported_twice = answers.is_some_and(|(a, _)| a == i);
            let too_soon = !r.captured_twice && ack.at_or_after(end) && min_rtt.is_some_and(|m| p.time_ns.saturating_sub(r.time_ns) < m / 2 - 1_000_000) && !resent_again_before(&self.out, i, p); // (less 1 ms, as lifecycle/crossing.rs: R23D-8)
            if reported_twice {
                // Two copies arrived at the receiver: a resend (or the network's duplicate),
                // not the same segment captured twice.
                self.out[i].captured_twice = false;
                self.out[i].not_needed = Some(NotNeeded::DSack(p.frame));
            } else if too_soon && self.out[i].not_needed.is_none() {
                self.out[i].not_needed = Some(NotNeeded::AckTooSoon(p.frame));
            }
        }
        // The Eifel test (RFC 3522): the first ACK to cover a resend echoes the first copy's
        // TSval, not the resend's: the first copy had arrived (R4b-18, ndpi_ipp frame 233).
        if let Some((_, ecr)) = p.segment.options.timestamps {
            let newly = |end: SeqNumber| ack.at_or_after(end) && una_before.is_none_or(|b| end.after(b));
            for r in self.out.iter_mut().rev().take_while(|r| p.time_ns.saturating_sub(r.time_ns) < DSACK_RECENT_NS) {
                if r.not_needed.is_none() && r.from_client != p.from_client && !r.captured_twice && newly(SeqNumber(r.next_seq)) && r.tsvals.is_some_and(|(first, again)| ecr == first && ecr != again) {
                    r.not_needed = Some(NotNeeded::EchoedOriginal(p.frame));
                }
            }
        }
    }
}
