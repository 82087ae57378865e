//! Loss-recovery episodes (issue #23): the resends of [`recovery`](super::recovery) grouped into
//! the stretches a sender spent repairing a loss, as the capture point saw them.
//!
//! An episode starts at the first loss signal — an ACK reporting a hole (a duplicate ACK, or SACK
//! blocks above the cumulative ACK) or a resend with none before it (a timer's) — and ends when
//! the cumulative ACK reaches the highest byte sent when it started (RFC 6675's RecoveryPoint).
//! One whose hole was filled without any resend is reordering, not loss. Everything a sender's
//! kernel decided is inferred from the packets; the evidence is kept beside each verdict.

use serde::Serialize;

mod verdicts;
use verdicts::{finish, frame_of, open};

use crate::tcp::recovery::{sack_blocks, NotNeeded, Recovery, RecoveryWalk, Resend, ResendKind};
pub use crate::tcp::episode_trigger::Trigger;
use crate::tcp::{heard_before_resend::{HeardSpread, Report}, loss_probe::{probe_before, ProbeWithNewData}};
use crate::tcp::{analysis::AnalysisFlags, seq::SeqNumber, CapturePointMeter, TcpPacket, Timed};

/// What an episode turned out to be.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum EpisodeKind {
    /// Bytes were resent and at least one resend was needed (or nothing shows it was not).
    Loss,
    /// Every resend was shown not needed (a D-SACK, or an ACK too soon for the resend).
    Spurious,
    /// A hole was reported and filled by the original: no resend (the network reordered).
    Reordering,
    /// Every "resend" came sooner than half the path's round trip after its earlier copy: the
    /// same segments captured more than once, no recovery at all.
    CapturedTwice,
}

/// How an episode ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case", tag = "by", content = "frame")]
pub enum EpisodeEnd {
    /// The cumulative ACK reached the recovery point (this frame).
    RecoveryPointAcked(u64),
    /// A D-SACK showed every resend not needed (this frame): the sender undoes its recovery.
    DSackUndo(u64),
    /// The capture ended first.
    CaptureEnd,
}

/// One resend of an episode, as the ladder and the reports show it.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct EpisodeResend {
    /// Its place among the connection's resends.
    #[serde(skip)]
    pos: usize,
    pub frame: u64,
    pub seq: u32,
    pub next_seq: u32,
    pub kind: ResendKind,
    pub likely: bool,
    /// See [`Resend::alone`].
    #[serde(skip)]
    pub alone: Option<bool>,
    /// How, and the frame of the ACK showing it was not needed.
    pub not_needed: Option<NotNeeded>,
    pub not_needed_by: Option<u64>,
    pub since_last_send_ns: i64,
    /// That silence is by the sender's own clock (TSval): the path bunched its segments; and
    /// whether the resend carries TSval at all, and passed a capture point away from the sender.
    pub by_sender_clock: bool,
    pub stamped: bool,
    pub away_from_sender: bool,
    /// Most likely the earlier copy captured again (see [`Resend::captured_twice`]).
    pub captured_twice: bool,
    /// "data", "SYN", "SYN-ACK" or "FIN" (see [`Resend::carries`]).
    pub carries: &'static str,
    /// See [`Resend::fin_on_ack`].
    pub fin_on_ack: bool,
    #[serde(skip_serializing_if = "Option::is_none")] // (See [`Resend::after_timeout`], [`Resend::after_unseen`].)
    pub after_timeout: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")] pub after_unseen: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")] // (See [`Resend::after_refusal`], [`Resend::answers_syn`].)
    pub after_refusal: Option<(u64, i64)>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub answers_syn: Option<(u64, i64)>,
    /// See [`Resend::after_withdrawn`].
    #[serde(skip_serializing_if = "Option::is_none")]
    pub after_withdrawn: Option<(u64, u64)>,
    /// See [`Resend::beyond_offered`].
    #[serde(skip_serializing_if = "Option::is_none")]
    pub beyond_offered: Option<u32>,
}

/// One loss-recovery episode of one sender.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Episode {
    /// The sender whose bytes were lost or delayed.
    pub from_client: bool,
    pub kind: EpisodeKind,
    pub first_frame: u64,
    pub last_frame: u64,
    pub start_ns: i64,
    pub end_ns: i64,
    pub duration_ns: i64,
    /// Just past the highest byte sent when it started (relative).
    pub recovery_point: u32,
    /// Where the hole began (the ACK that first reported it): with no resend, the episode is
    /// over once the cumulative ACK moves past it (R4b-7: a 0.05 ms reordering was "28.5 ms").
    #[serde(skip)]
    hole_at: u32,
    pub ended_by: EpisodeEnd,
    pub resends: Vec<EpisodeResend>,
    /// Copies captured twice among real resends (frames): kept apart, they count in nothing.
    pub captured_twice: Vec<u64>,
    /// Originals of resent bytes that arrived after their resend (older TSval; frames).
    pub late_originals: Vec<u64>,
    /// A tail loss probe with new data that went before the first resend (inferred).
    pub probe_before: Option<ProbeWithNewData>,
    /// Distinct segments resent, and those of them no ACK showed not needed, with their bytes.
    pub segments_resent: usize,
    pub segments_repaired: usize,
    pub bytes_repaired: u64,
    /// ACKs reporting the hole before the first resend: duplicate ACKs, and ACKs with SACK
    /// blocks above the cumulative ACK.
    pub dup_acks_before: u32,
    pub sacks_before: u32,
    /// The capture point is far from the sender: the counts above are of the ACKs that passed
    /// here early enough to reach the sender before its resend left it (an estimate).
    pub counted_away_from_sender: bool,
    /// The first ACK of this direction in the capture already reported the hole: the capture
    /// starts during the recovery, so more reports may have gone before it (R4b-21).
    pub began_before_capture: bool,
    /// The capture point is away from this direction's sender (by the capture-point estimate):
    /// what the sender heard and when is not what passed here.
    pub away_from_sender: bool,
    /// From the first loss signal to the first resend.
    pub wait_ns: Option<i64>,
    /// What made the first resend, and whether another reading fits the same packets.
    pub trigger: Option<Trigger>,
    pub trigger_likely: bool,
    /// The silences before each timeout resend, and whether one doubled the one before (RFC
    /// 6298's backoff; within 1.5–2.5× for the capture point's jitter).
    pub timeout_waits_ns: Vec<i64>,
    pub backoff_doubled: bool,
    /// Away from the sender, the reports passed here too close together to say how many had
    /// reached it when it resent (R7a-1): then only how soon after the first it resent is said.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub heard_spread: Option<HeardSpread>,
    /// The ACKs reporting the hole before the first resend passed here.
    #[serde(skip)]
    signals: Vec<Report>,
}

/// Per sender, as the walk goes.
#[derive(Default)]
struct Side {
    una: Option<SeqNumber>,
    high: Option<SeqNumber>,
    min_rtt_ns: Option<i64>,
    open: Option<Episode>,
}

/// The episodes of one connection (its segments in capture order).
pub fn recovery_episodes(packets: &[TcpPacket]) -> Vec<Episode> {
    let mut walk = EpisodeWalk::default();
    for (index, p) in packets.iter().enumerate() {
        walk.add(index, p);
    }
    walk.finish().1
}

/// The same, a segment at a time (a connection of millions of segments is never held); it walks
/// the resends too ([`RecoveryWalk`]) and hands back both.
#[derive(Default)]
pub struct EpisodeWalk {
    recovery: RecoveryWalk,
    point: CapturePointMeter,
    sides: [Side; 2],
    out: Vec<Episode>,
    last: Option<(u64, i64)>,
}

impl EpisodeWalk {
    /// Heap bytes held beyond the resends (for a memory limit): the open episodes' ACKs.
    pub fn heap_bytes(&self) -> usize {
        let open: usize = self.sides.iter().filter_map(|s| s.open.as_ref()).map(|e| e.signals.capacity() * std::mem::size_of::<Report>() + e.resends.capacity() * 96).sum();
        open + self.out.capacity() * std::mem::size_of::<Episode>() + self.recovery.resends().len() * std::mem::size_of::<Resend>()
    }

    /// The resends so far (the walk it runs).
    pub fn recovery(&self) -> &RecoveryWalk {
        &self.recovery
    }

    /// The connection's next segment, `index` from 0.
    pub fn add(&mut self, index: usize, p: &TcpPacket) {
        self.recovery.add(index, p);
        self.point.add(&Timed::of(p));
        self.last = Some((p.frame, p.time_ns));
        if !p.flags_captured() {
            return;
        }
        // An ACK captured again reports no hole (R4b-10: zeek_tcp_ssh-dups' one ACK four times).
        let copy = self.recovery.last_was_copy();
        let f = p.segment.flags;
        // As an ACK of the other side's bytes.
        if f.ack() && !f.rst() {
            let side = &mut self.sides[usize::from(p.from_client)];
            let ack = SeqNumber(p.ack);
            if p.analysis.acked_frame > 0 && p.analysis.ack_rtt_ns > 0 {
                side.min_rtt_ns = Some(side.min_rtt_ns.map_or(p.analysis.ack_rtt_ns, |m| m.min(p.analysis.ack_rtt_ns)));
            }
            let first_ack = side.una.is_none() && !f.syn();
            let advanced = side.una.is_none_or(|u| ack.after(u));
            let dup = !advanced && side.una == Some(ack) && p.segment.payload_len == 0 && !f.syn() && !f.fin();
            let blocks = sack_blocks(p);
            let sack_above = blocks.iter().any(|&(l, _)| l.after(ack));
            // Only D-SACK blocks (all below the ack, RFC 2883): copies that arrived twice, no hole
            // (R20: ndpi_heuristic stream 5's answers to resends of bytes 1–1460).
            let dsack_only = !blocks.is_empty() && blocks.iter().all(|&(_, r)| r.at_or_before(ack));
            if advanced {
                side.una = Some(ack);
            }
            // The recovery point acknowledged, or a D-SACK (this ACK) showing every resend so far
            // was not needed: the sender undoes its recovery (RFC 2883 / RFC 3708).
            let all = self.recovery.resends();
            let verdict = |r: &EpisodeResend| all[r.pos].not_needed.map(frame_of);
            let acked = side.open.as_ref().is_some_and(|e| ack.at_or_after(SeqNumber(e.recovery_point)) || (e.resends.is_empty() && ack.after(SeqNumber(e.hole_at))));
            let undone = side.open.as_ref().is_some_and(|e| !e.resends.is_empty() && e.resends.iter().all(|r| verdict(r).is_some()) && e.resends.iter().any(|r| verdict(r) == Some(p.frame)));
            if acked || undone {
                let mut e = side.open.take().unwrap();
                e.last_frame = p.frame;
                e.end_ns = p.time_ns;
                e.ended_by = if acked { EpisodeEnd::RecoveryPointAcked(p.frame) } else { EpisodeEnd::DSackUndo(p.frame) };
                self.out.push(e);
            }
            // SACKed bytes above the ACK were sent, whether or not they passed here (a capture
            // that starts during a recovery: chrissanders_tcp_dupack's first frame).
            if let Some(edge) = sack_blocks(p).iter().map(|&(_, r)| r).filter(|r| r.after(ack)).reduce(|a, b| a.max(b)) {
                side.high = Some(side.high.map_or(edge, |h| h.max(edge)));
            }
            let outstanding = side.una.zip(side.high).is_some_and(|(u, h)| u.before(h));
            let hole = outstanding && !copy && (sack_above || (dup && !dsack_only && p.analysis.flags.has(AnalysisFlags::DUPLICATE_ACK)));
            if hole {
                let e = side.open.get_or_insert_with(|| open(!p.from_client, p, side.high));
                e.began_before_capture |= first_ack && e.signals.is_empty();
                if e.resends.is_empty() {
                    e.signals.push(Report { time_ns: p.time_ns, frame: p.frame, dup, sack: sack_above });
                }
            }
        }
        // As a send.
        let side = &mut self.sides[usize::from(!p.from_client)];
        let all = self.recovery.resends();
        if let Some(pos) = all.len().checked_sub(1).filter(|&i| all[i].index == index) {
            let r = &all[pos];
            let high = side.high;
            let e = side.open.get_or_insert_with(|| open(p.from_client, p, high));
            e.resends.push(EpisodeResend {
                pos,
                frame: r.frame,
                seq: r.seq, next_seq: r.next_seq,
                kind: r.kind, likely: r.likely, alone: r.alone,
                not_needed: None,
                not_needed_by: None,
                since_last_send_ns: r.since_last_send_ns,
                by_sender_clock: r.by_sender_clock.is_some(),
                stamped: r.stamped,
                away_from_sender: r.away_from_sender,
                captured_twice: r.captured_twice,
                carries: r.carries,
                fin_on_ack: r.fin_on_ack, after_timeout: r.after_timeout, after_unseen: r.after_unseen, after_refusal: r.after_refusal,
                answers_syn: r.answers_syn, after_withdrawn: r.after_withdrawn, beyond_offered: r.beyond_offered,
            });
            e.last_frame = p.frame;
            e.end_ns = p.time_ns;
        }
        let len = p.segment.payload_len + u32::from(f.syn()) + u32::from(f.fin());
        if len > 0 && !f.rst() {
            let end = SeqNumber(p.seq) + len;
            side.high = Some(side.high.map_or(end, |h| h.max(end)));
        }
    }

    /// The resends and the episodes, in the order they start.
    pub fn finish(mut self) -> (Recovery, Vec<Episode>) {
        if let Some((frame, time_ns)) = self.last {
            for side in &mut self.sides {
                if let Some(mut e) = side.open.take() {
                    e.last_frame = e.last_frame.max(frame);
                    e.end_ns = e.end_ns.max(time_ns);
                    self.out.push(e);
                }
            }
        }
        let point = self.point.finish();
        let min_rtt = [self.sides[0].min_rtt_ns, self.sides[1].min_rtt_ns];
        let mut recovery = self.recovery.finish();
        let mut out: Vec<Episode> = self.out.into_iter().map(|e| {
            let rtt = min_rtt[usize::from(!e.from_client)];
            finish(e, &recovery, point, rtt)
        }).collect();
        // The first resend's own sentence says what the episode estimated (R7a-1).
        for e in &out {
            if let Some(r) = e.resends.first() {
                recovery.resends[r.pos].heard_spread = e.heard_spread;
            }
        }
        out.sort_by_key(|e| e.first_frame);
        // A probe with new data goes before the first resend of the same sender, after its last episode.
        let mut last_end = [0u64; 2];
        for e in &mut out {
            let first = e.resends.first().map_or(e.first_frame, |r| r.frame);
            e.probe_before = probe_before(&recovery.probes_with_new_data, e.from_client, last_end[usize::from(e.from_client)], first);
            last_end[usize::from(e.from_client)] = e.last_frame;
        }
        (recovery, out)
    }
}
