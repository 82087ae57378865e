//! One data sender's side of the congestion walk ([`super::congestion`]): the round being sent,
//! a loss recovery under way, and what the other side's ACKs told it as they reached it.

use std::collections::VecDeque;

use super::congestion_ack::AckInTransit;
use super::congestion_phase::{Reduction, Round};
use super::recovery::ResendKind;
use super::seq::SeqNumber;

/// A round being sent.
pub(super) struct Open {
    pub(super) round: Round,
    /// Closes when a cumulative ACK reaches it.
    pub(super) marker: SeqNumber,
    pub(super) first_resend: Option<(u64, ResendKind)>,
    /// A segment shorter than the largest so far: before the round's last, and the last one.
    pub(super) short_before_last: bool,
    pub(super) last_short: bool,
    /// The latest short segment: its frame, length and the full segment's length then.
    pub(super) last_short_segment: Option<(u64, u32, u32)>,
    /// The bytes of its short segments, together.
    pub(super) short_bytes: u64,
    /// Whether the window was full when the flight was at its largest, and whether every
    /// segment passed near the sender (where the flight and the window seen are the ones it
    /// knew: away from it both are estimates, R8a-14).
    pub(super) peak_window_full: bool,
    pub(super) near_sender: bool,
}

/// A loss recovery under way: until the cumulative ACK reaches `point`.
pub(super) struct InRecovery {
    pub(super) point: SeqNumber,
    pub(super) reduction: Reduction,
    /// The pipe (bytes) at its latest send of new data after the resend.
    pub(super) last_pipe: Option<u64>,
}

#[derive(Default)]
pub(super) struct Side {
    pub(super) high: Option<SeqNumber>,
    pub(super) una: Option<SeqNumber>,
    pub(super) mss: u32,
    /// The largest segment the peer said it takes (its SYN's MSS option), if seen.
    pub(super) mss_limit: Option<u32>,
    /// A round application-limited only by its short last segment (its index), and when the
    /// ACK that ended it reached the sender.
    pub(super) provisional: Option<(usize, i64)>,
    /// The latest round application-limited by short segments (its index) and what its short
    /// bytes leave over a whole number of full segments: the next round's short pieces may
    /// complete that segment (one cut in two across the round's end).
    pub(super) short_left: Option<(usize, u64)>,
    /// When the latest ACK that moved the cumulative ACK reached the sender.
    pub(super) last_ack_due: i64,
    /// The other side's last advertised window (bytes, scaled), this side's first FIN's frame,
    /// and the furthest right edge (ACK + window) the other side advertised, as captured —
    /// `Some(None)` for good once a window of unknown scale went by (no edge is known then).
    pub(super) rwnd: Option<u32>,
    pub(super) fin_frame: Option<u64>,
    pub(super) furthest_edge: Option<Option<SeqNumber>>,
    /// Its SYN (or SYN-ACK) is in the capture: its first round began the sending.
    pub(super) syn_seen: bool,
    /// The right edges of the other side's latest ACKs: a short segment ending at one filled
    /// the window, it did not run out of data (R4b-1, R4b-12); with when they passed here, the
    /// ACK's frame and its window in bytes.
    pub(super) edges: VecDeque<(SeqNumber, i64, u64, u32)>,
    pub(super) open: Option<Open>,
    pub(super) rounds: Vec<Round>,
    pub(super) recovering: Option<InRecovery>,
    /// Bytes the other side's latest ACK SACKed above its cumulative ACK.
    pub(super) sacked: u64,
    /// Past its last CWR segment: an ECE acking no further echoes that mark (RFC 3168 §6.1.3).
    pub(super) cwr_end: Option<SeqNumber>,
    /// The first echo the capture point saw since this side's last CWR: later ones repeat that
    /// mark. Decided as captured, not as the echoes reach the sender (R5e F5: echoes still on
    /// their way when the CWR went by are not new marks).
    pub(super) echo_since_cwr: Option<u64>,
    /// A new echo that reached the sender between two rounds: the next round's.
    pub(super) echo_between_rounds: Option<u64>,
    pub(super) reductions: Vec<Reduction>,
    /// The SACKed bytes of the latest ACKs that reached this side, with when the capture point
    /// saw each: what it may have heard a little sooner or later (R8a-08).
    pub(super) heard: VecDeque<(i64, u64)>,
    /// One of its rounds lost a segment or carried an ECN echo.
    pub(super) signal_seen: bool,
    /// The largest window of the ACKs that reached this side since its latest send.
    pub(super) window_between: Option<u32>,
    /// The TSecr of its latest data segment, and whether it ever changed: a moving echo says
    /// which ACKs had reached it (R18-8/9/10).
    pub(super) last_echo: Option<u32>,
    pub(super) echo_moves: bool,
}

impl Side {
    pub(super) fn flight(&self) -> u64 {
        match (self.una, self.high) {
            (Some(u), Some(h)) if u.before(h) => u64::from(h - u),
            _ => 0,
        }
    }

    pub(super) fn close(&mut self, end_ns: i64) {
        let Some(mut open) = self.open.take() else { return };
        let r = &mut open.round;
        r.end_ns = r.end_ns.max(end_ns);
        // Near the sender, a window met early in the round that then opened, the flight at its
        // largest a segment or more below it: the round's peak was not the receiver's limit
        // (R20A-1: lossy spurious_fast's round 5 at the sender, the window filled by frame 150,
        // then the flight held at 48 segments with the window open: ss's cwnd, cut by the fast
        // retransmit). (Away from it the flight and window are the sender's as estimated: an
        // edge met there stays the evidence, 206_example_b stream 1's frame 1509.)
        // (Only where that peak is no application's: a round that met the window, waited, then
        // ended with its data, short of the window, was held by both — R49-11: spurious's round
        // 6 at the sender, 29 ms at the window, ss's rwnd_limited +32 ms, then the last 9
        // segments of the transfer.)
        if open.near_sender && r.receiver_limited && !open.peak_window_full && !r.window_maybe_full && !open.short_before_last && !open.last_short {
            (r.receiver_limited, r.window_full_at, r.edge_frame, r.edge_announced) = (false, None, None, None);
        }
        // A short segment says the sender's queue ran dry then. One only at the round's end is
        // provisional: if full segments leave as soon as the round's ACK reaches the sender, the
        // application had written more meanwhile and the window, not it, ended the round (an
        // initial window of 10 whose 10th segment ends a write).
        // Short pieces that add up to whole segments are one segment's bytes cut in two, not a
        // queue that ran dry (R17b-7: 206_example_b's 1068 + 332 = 1400 inside rounds of 5, 8,
        // 12… full segments, the flight growing about 1.5× a round).
        let full = u64::from(self.mss.max(1));
        // (Only with real segments: under 536 bytes no MSS is that small, every one is short.)
        let cut_whole = open.short_bytes > 0 && full >= 536 && open.short_bytes % full == 0;
        // …or with the last short round's leftover: both were one segment cut in two.
        let completes = open.short_bytes > 0 && full >= 536 && !cut_whole && self.short_left.is_some_and(|(_, left)| (left + open.short_bytes) % full == 0);
        if completes {
            if let Some(earlier) = self.short_left.and_then(|(i, _)| self.rounds.get_mut(i)) {
                (earlier.application_limited, earlier.short_segment) = (false, None);
            }
        }
        // (A round whose own pieces make whole segments leaves the earlier leftover waiting.)
        if completes {
            self.short_left = None;
        } else if open.short_bytes > 0 && !cut_whole {
            self.short_left = Some((self.rounds.len(), open.short_bytes % full));
        }
        let cut_whole = cut_whole || completes;
        if !cut_whole {
            r.application_limited |= open.short_before_last || open.last_short;
            if open.last_short && r.short_segment.is_none() {
                r.short_segment = open.last_short_segment;
            }
        } else {
            r.short_segment = None;
        }
        self.provisional = (open.last_short && !open.short_before_last && r.segments > 1 && !cut_whole).then_some((self.rounds.len(), 0));
        // Less than one segment of the peer's MSS (less room for options) in a whole round, in one
        // segment or several (R17b-15: get-gzip's 17 + 325 bytes): no congestion window stops a
        // sender below one segment, its application gave no more.
        // (Without the peer's SYN, 536 bytes: no MSS is smaller, RFC 9293 §3.7.1.) Several
        // segments only under an initial window (RFC 6928: 10; Linux counts its window in
        // segments, so 372 segments of 88 bytes are no application's limit, real/bulk_100k) and
        // before any loss or ECN echo (after one the window may be 2 segments).
        let under_one = r.bytes + 40 < u64::from(self.mss_limit.unwrap_or(576)) && (r.segments == 1 || (r.segments < 10 && !self.signal_seen));
        self.signal_seen |= r.lost() || r.ecn_echoes > 0;
        if !r.lost() && !r.receiver_limited && under_one {
            r.single_short = !r.application_limited;
            r.application_limited = true;
            if r.single_short {
                self.provisional = None;
            }
        }
        self.rounds.push(open.round);
    }
}

/// The latest time the capture point can have seen an ACK the sender had surely heard when its
/// segment passed at `now_ns`: a round trip from here to the sender (`way`, from the handshake,
/// a tenth under) before, less a tenth and 1 ms for jitter.
pub(super) fn heard_by(now_ns: i64, way: i64) -> i64 {
    now_ns.saturating_sub(way.saturating_mul(10) / 9).saturating_sub((way / 9).max(1_000_000))
}

impl Side {
    /// An ACK of this side's data, as it reached this side.
    pub(super) fn take_ack(&mut self, a: &AckInTransit) {
        let ack = a.ack;
        if self.heard.len() >= 256 {
            self.heard.pop_front();
        }
        self.heard.push_back((a.seen_ns, a.sacked));
        if let Some(Some(w)) = a.window {
            self.window_between = self.window_between.max(Some(w));
        }
        // Counted before this ACK may close the round: the round it arrived in.
        match self.open.as_mut() {
            Some(open) if a.new_echo => {
                open.round.ecn_echoes += 1;
                open.round.first_echo_frame.get_or_insert(a.frame);
            }
            None if a.new_echo => self.echo_between_rounds = Some(a.frame),
            _ => {}
        }
        if let Some(w) = a.window {
            self.rwnd = w;
        }
        let advanced = self.una.is_none_or(|u| ack.after(u));
        // An ACK beyond every byte seen (a FIN takes one number past the data) acknowledges
        // bytes the capture never saw: they were sent and have arrived, so they are not in
        // flight; the flight counts from this ACK on (R2 F18).
        if advanced && self.high.is_some_and(|h| ack.after(h + 1)) {
            self.high = Some(ack);
        }
        if advanced && self.high.is_none_or(|h| ack.at_or_before(h + 1)) {
            self.una = Some(ack);
            self.last_ack_due = a.due_ns;
            if self.open.as_ref().is_some_and(|o| ack.at_or_after(o.marker)) {
                // Its data starts the next round.
                self.close(a.seen_ns);
                if let Some(p) = self.provisional.as_mut() {
                    p.1 = a.due_ns;
                }
            }
            if let Some(rec) = self.recovering.take_if(|r| ack.at_or_after(r.point)) {
                let mut reduction = rec.reduction;
                reduction.after_segments = rec.last_pipe.map(|b| b.div_ceil(u64::from(self.mss.max(1))) as u32);
                reduction.after_round = self.rounds.len() as u32 + 1;
                reduction.ratio = reduction.after_segments.map(|a| f64::from(a) / f64::from(reduction.before_pipe_segments.max(1)));
                self.reductions.push(reduction);
            }
        }
        self.sacked = a.sacked;
    }
}
