//! An episode opened, and its verdicts once its resends are all in: what the sender had heard
//! before its first resend, which resends were needed, the episode's kind, timeout backoff.

use super::{Episode, EpisodeEnd, EpisodeKind};
use crate::tcp::heard_before_resend::heard_before_resend;
use crate::tcp::episode_trigger::trigger;
use crate::tcp::recovery::{NotNeeded, Recovery, Resend, ResendKind};
use crate::tcp::{seq::SeqNumber, CapturePoint, TcpPacket};

pub(super) fn frame_of(n: NotNeeded) -> u64 {
    match n {
        NotNeeded::DSack(f) | NotNeeded::AckTooSoon(f) | NotNeeded::AckedBefore(f) | NotNeeded::EchoedOriginal(f) => f,
    }
}

/// What the sender had heard when it first resent ([`heard_before_resend`]), and what it made of it.
pub(super) fn first_resend_evidence(e: &mut Episode, point: Option<CapturePoint>, min_rtt_ns: Option<i64>, first: &Resend) {
    let heard = heard_before_resend(&e.signals, first.time_ns, e.from_client, point);
    e.away_from_sender = heard.away_from_sender;
    e.counted_away_from_sender = heard.estimated;
    (e.dup_acks_before, e.sacks_before, e.wait_ns, e.heard_spread) = (heard.dup_acks, heard.sacks, heard.wait_ns, heard.spread);
    let path_rtt_ns = point.map(|c| ((c.client_ms + c.server_ms) * 2e6) as i64);
    let (trigger, likely) = trigger(first, e.dup_acks_before, e.wait_ns, path_rtt_ns.or(min_rtt_ns));
    e.trigger = Some(trigger);
    e.trigger_likely = likely;
}

/// An episode starting at `p`, of the sender `from_client`, whose highest byte sent is `high`.
pub(super) fn open(from_client: bool, p: &TcpPacket, high: Option<SeqNumber>) -> Episode {
    Episode {
        from_client,
        kind: EpisodeKind::Reordering,
        first_frame: p.frame,
        last_frame: p.frame,
        start_ns: p.time_ns,
        end_ns: p.time_ns,
        duration_ns: 0,
        recovery_point: high.map_or(p.seq, |h| h.0),
        hole_at: p.ack,
        ended_by: EpisodeEnd::CaptureEnd,
        resends: Vec::new(),
        captured_twice: Vec::new(),
        late_originals: Vec::new(),
        probe_before: None,
        segments_resent: 0,
        segments_repaired: 0,
        bytes_repaired: 0,
        dup_acks_before: 0,
        sacks_before: 0,
        wait_ns: None,
        counted_away_from_sender: false,
        began_before_capture: false,
        away_from_sender: false,
        trigger: None,
        trigger_likely: false,
        timeout_waits_ns: Vec::new(),
        backoff_doubled: false,
        heard_spread: None,
        signals: Vec::new(),
    }
}

/// Verdicts, counts, kind and backoff once an episode's resends are all in.
pub(super) fn finish(mut e: Episode, recovery: &Recovery, point: Option<CapturePoint>, min_rtt_ns: Option<i64>) -> Episode {
    e.duration_ns = e.end_ns - e.start_ns;
    for r in &mut e.resends {
        r.not_needed = recovery.resends[r.pos].not_needed;
        // (A D-SACK may since have shown two copies arrived: not captured twice after all.)
        r.captured_twice = recovery.resends[r.pos].captured_twice;
        r.not_needed_by = r.not_needed.map(frame_of);
    }
    // Copies captured twice beside real resends are set apart: the episode is the real ones'.
    if e.resends.iter().any(|r| !r.captured_twice) {
        e.captured_twice = e.resends.iter().filter(|r| r.captured_twice).map(|r| r.frame).collect();
        e.resends.retain(|r| !r.captured_twice);
    }
    let resent_here = |frame| e.resends.iter().any(|r| r.frame == frame);
    e.late_originals = recovery.late_copies.iter().filter(|l| l.original && resent_here(l.earlier_frame)).map(|l| l.frame).collect();
    if let Some(first) = e.resends.first().map(|r| recovery.resends[r.pos]) {
        first_resend_evidence(&mut e, point, min_rtt_ns, &first);
    }
    let mut resent: Vec<(u32, u32, bool)> = Vec::new();
    for r in &e.resends {
        // Sent again as another datagram too soon for any timer (a split first segment, as
        // ndpi_heuristic_tcp_ack_payload's): a resend, but no sign of a loss.
        let whole = &recovery.resends[r.pos];
        let needed = r.not_needed_by.is_none() && !(whole.kind == ResendKind::Unexplained && whole.other_datagram.is_some());
        match resent.iter_mut().find(|(s, ..)| *s == r.seq) {
            // A segment is repaired when any of its resends was needed.
            Some(seg) => seg.2 &= !needed,
            None => resent.push((r.seq, r.next_seq, !needed)),
        }
    }
    e.segments_resent = resent.len();
    let repaired: Vec<_> = resent.iter().filter(|s| !s.2).collect();
    e.segments_repaired = repaired.len();
    e.bytes_repaired = repaired.iter().map(|s| u64::from(s.1.wrapping_sub(s.0))).sum();
    if e.resends.is_empty() {
        e.dup_acks_before = e.signals.iter().filter(|s| s.dup).count() as u32;
        e.sacks_before = e.signals.iter().filter(|s| s.sack).count() as u32;
    }
    e.kind = if e.resends.is_empty() {
        EpisodeKind::Reordering
    } else if e.resends.iter().all(|r| r.captured_twice) {
        EpisodeKind::CapturedTwice
    } else if e.resends.iter().all(|r| r.not_needed_by.is_some()) {
        EpisodeKind::Spurious
    } else {
        EpisodeKind::Loss
    };
    e.timeout_waits_ns = e.resends.iter().filter(|r| r.kind == ResendKind::Timeout && r.after_timeout.is_none()).map(|r| r.since_last_send_ns).collect();
    e.backoff_doubled = e.timeout_waits_ns.windows(2).any(|w| w[0] > 0 && (w[0].saturating_mul(3)..=w[0].saturating_mul(5)).contains(&w[1].saturating_mul(2)));
    e
}
