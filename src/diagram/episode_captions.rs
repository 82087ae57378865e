//! An episode of loss recovery in words (issue #23), for its bracket on the ladder, `explain`
//! and `analyze`: every number from the episode's own facts ([`Episode`]), and what the sender's
//! kernel decided said as inferred from the packets ("likely" where they allow two readings).

use crate::tcp::recovery::{NotNeeded, ResendKind, LONGER_THAN_A_FIRST_TIMEOUT_NS};
use crate::tcp::recovery_episodes::{Episode, EpisodeEnd, EpisodeKind, Trigger};
use crate::timefmt::{count, milliseconds};

/// The bracket's caption: "1 segment lost; repaired by fast retransmit after 3 SACKs; 21.0 ms".
pub fn episode_caption(e: &Episode) -> String {
    let took = milliseconds(e.duration_ns);
    match e.kind {
        EpisodeKind::Reordering => format!(
            "reordering, no loss: {} reported a hole, then the original filled it; no resend; {took}",
            signal_count(e).unwrap_or_else(|| "no ACK".into())
        ),
        EpisodeKind::Spurious => {
            // One clause per ACK that showed it, naming the resends it covers (R4b-25: one
            // D-SACK said three times read as three D-SACKs).
            let mut by: Vec<(NotNeeded, Vec<u64>)> = Vec::new();
            for r in &e.resends {
                let Some(n) = r.not_needed else { continue };
                match by.iter_mut().find(|(m, _)| *m == n) {
                    Some((_, list)) => list.push(r.frame),
                    None => by.push((n, vec![r.frame])),
                }
            }
            let several = e.resends.len() > 1;
            let how: Vec<String> = by
                .iter()
                .map(|(n, resends)| {
                    let of = if several { format!(" (for {})", frames(resends)) } else { String::new() };
                    match *n {
                        // The original came after its resend (sent first, by its TSval): only late.
                        NotNeeded::DSack(f) if !e.late_originals.is_empty() => format!(
                            "the original was only late: it arrived in {} after the resend (its TSval is older: it was sent first), and the D-SACK in frame {f} shows both copies arrived{of}",
                            frames(&e.late_originals)
                        ),
                        NotNeeded::DSack(f) => format!("the D-SACK in frame {f} shows the receiver got these bytes twice{of}"),
                        NotNeeded::AckTooSoon(f) => format!("the ACK in frame {f} came sooner than a round trip after the resend: the original's ACK was on its way{of}"),
                        NotNeeded::AckedBefore(f) => format!("frame {f} had acknowledged these bytes before the resend passed here: the original had arrived{of}"),
                        NotNeeded::EchoedOriginal(f) => format!("the ACK in frame {f} echoes the original's timestamp: the original had arrived{of}"),
                    }
                })
                .collect();
            format!("not needed: {}; {}, {}{}; {took}", how.join("; "), count(e.resends.len() as u64, "resend", "resends"), trigger_words(e), probe_words(e))
        }
        // Nothing says these were lost: a first "resend" after longer than any first timeout
        // is new sending over bytes the peer never acknowledged.
        EpisodeKind::Loss
            if e.resends.iter().all(|r| r.kind == ResendKind::Unexplained) && e.resends.first().is_some_and(|r| r.since_last_send_ns > LONGER_THAN_A_FIRST_TIMEOUT_NS) =>
        {
            let silence = e.resends.first().map(|r| milliseconds(r.since_last_send_ns)).unwrap_or_default();
            // R8b-15: a bare FIN again — no application sends one twice: its timer, late in its backoff.
            if e.resends.iter().all(|r| r.carries == "FIN") {
                format!("its FIN sent again {} after {silence} of silence: no application sends a FIN twice, so likely its retransmission timer far into its backoff (earlier firings not seen here); {took}", count(e.resends.len() as u64, "time", "times"))
            } else {
                format!("bytes sent again after {silence} of silence, far longer than any first retransmission timeout: not a timer's first resend, and the capture does not show why; {took}")
            }
        }
        // A connect refused by RST and tried again: no loss, no timer (R4b-26).
        EpisodeKind::Loss if e.resends.first().is_some_and(|r| r.after_refusal.is_some()) => {
            let (rst, since) = e.resends.first().and_then(|r| r.after_refusal).unwrap_or_default();
            format!("{} refused by RST (frame {rst}), then sent again {} after it: a retry of the refused connect, not a resend of a lost SYN; {took}", e.resends.first().map_or("SYN", |r| r.carries), milliseconds(since))
        }
        // R18-16: a SYN-ACK answering the peer's repeated SYN.
        EpisodeKind::Loss if e.resends.first().is_some_and(|r| r.answers_syn.is_some()) => {
            let (syn, since) = e.resends.first().and_then(|r| r.answers_syn).unwrap_or_default();
            format!("SYN-ACK sent again {} after the SYN came again (frame {syn}): the answer to that SYN, not a timer's resend; {took}", milliseconds(since))
        }
        // R4b-20: a window withdrawn while bytes beyond it were on their way.
        EpisodeKind::Loss if e.resends.first().is_some_and(|r| r.after_withdrawn.is_some()) => {
            let (zero, reopened) = e.resends.first().and_then(|r| r.after_withdrawn).unwrap_or_default();
            let n = count(e.segments_resent as u64, "segment", "segments");
            if let Some(edge) = e.resends.first().and_then(|r| r.beyond_offered) {
                return format!("{n} sent again once the receiver's window reopened (frame {reopened}): they had been sent beyond the window it offered (its ACK plus window never past sequence number {edge} before that), which a receiver drops (RFC 9293 §3.10.7.4){}; {took}", timeouts_after_first(e));
            }
            format!("{n} sent again after the receiver's window fell to 0 with them outstanding (frame {zero}) and reopened (frame {reopened}): the receiver may have dropped what lay beyond the window it withdrew; which rule made the sender resend does not show{}; {took}", timeouts_after_first(e))
        }
        EpisodeKind::CapturedTwice => {
            let n = count(e.segments_resent as u64, "segment", "segments");
            let gap = e.resends.iter().map(|r| r.since_last_send_ns).max().map_or_else(|| took.clone(), milliseconds);
            let times = count(e.resends.len() as u64, "more time", "more times");
            format!("no loss: {n} captured {times}, each at most {gap} after the sender's previous segment — too soon for any timer or any answer from the receiver: likely the same segment captured more than once (seen at two points, or duplicated on the way); {took}")
        }
        // Nothing says these were lost: no hole reported here, sooner than any timer.
        EpisodeKind::Loss if e.resends.iter().all(|r| r.kind == ResendKind::Unexplained && !r.fin_on_ack) => {
            let n = count(e.segments_resent as u64, "segment", "segments");
            let gap = e.resends.first().map(|r| milliseconds(r.since_last_send_ns)).unwrap_or_default();
            format!("{n} sent again, {gap} after the sender's previous segment: too soon for its timer and with no hole reported here, the capture does not show why; {took}")
        }
        EpisodeKind::Loss => {
            let lost = count(e.segments_repaired as u64, "segment", "segments");
            let resends = e.resends.len();
            // A SYN's, SYN-ACK's or FIN's copies carry no data: nothing "lost" shows, only that
            // it went again (a FIN also rides again on each ACK until it is acknowledged).
            // (A handshake segment and data in one episode with no data segment repaired: say
            // what went again, not "0 segments lost".)
            let mut kinds: Vec<&str> = Vec::new();
            for r in &e.resends {
                if !kinds.contains(&r.carries) {
                    kinds.push(r.carries);
                }
            }
            let handshake_or_close = kinds.iter().any(|&c| c != "data");
            let control = (handshake_or_close && (kinds.len() == 1 || e.segments_repaired == 0)).then(|| kinds.join(" and "));
            let unfinished = e.ended_by == EpisodeEnd::CaptureEnd;
            let mut s = if let Some(what) = &control {
                format!("{what} sent again {}: {}", count(resends as u64, "time", "times"), trigger_words(e))
            } else if unfinished {
                // How much was lost shows only once the recovery ends: here it did not.
                let resent = count(e.segments_resent as u64, "segment", "segments");
                let times = if resends > e.segments_resent { format!(" ({} resends)", resends) } else { String::new() };
                format!("{resent} resent{times}: {}", trigger_words(e))
            } else if resends > e.segments_repaired as usize {
                format!("{lost} lost, sent again {}: {}", count(resends as u64, "time", "times"), trigger_words(e))
            } else {
                format!("{lost} lost; repaired by {}", trigger_words(e))
            };
            s.push_str(&timeouts_after_first(e));
            s.push_str(&probe_words(e));
            if unfinished && control.is_some() {
                s.push_str("; not acknowledged before the capture ends");
            } else if unfinished && e.began_before_capture {
                s.push_str("; when the sender entered recovery, and so where it ends, does not show: the hole is still not filled when the capture ends");
            } else if unfinished {
                s.push_str(&format!("; the recovery is not over when the capture ends: the bytes below {} are not all acknowledged", e.recovery_point));
            }
            format!("{s}; {took}")
        }
    }
}

/// The timer's resends after the first resend: "; then 2 timeouts, backoff 236.0 ms → 484.0 ms"
/// (the waits are the silences before each, so a doubling is the RTO's backoff, RFC 6298 5.5).
fn timeouts_after_first(e: &Episode) -> String {
    // (R23C-9: a first resend that followed an earlier timeout is no timer's of its own, and its
    // wait is not among these: each of them came after it — "; then 2 timeouts".)
    let first_is_timeout = e.trigger == Some(Trigger::Timeout) && e.resends.first().is_none_or(|r| r.after_timeout.is_none());
    let waits: Vec<String> = e.timeout_waits_ns.iter().map(|&w| milliseconds(w)).collect();
    let mut s = match (first_is_timeout, waits.len()) {
        (_, 0) | (true, 1) => String::new(),
        (true, n) => format!("; {n} timeouts, {} {}", if e.backoff_doubled { "backoff" } else { "waits" }, waits.join(" → ")),
        (false, 1) => format!("; then a timeout after {}", waits[0]),
        (false, n) => format!("; then {n} timeouts, {} {}", if e.backoff_doubled { "backoff" } else { "waits" }, waits.join(" → ")),
    };
    // Silences ended by a segment the capture lacks (R26C-3), after the first resend.
    let mut told = e.resends.first().and_then(|r| r.after_timeout.filter(|_| r.after_unseen.is_some()));
    for r in e.resends.iter().skip(1) {
        if let (Some(ack), Some(silence)) = (r.after_timeout, r.after_unseen) {
            if told != Some(ack) {
                s.push_str(&format!("; then {}", unseen_timeout(ack, silence)));
                told = Some(ack);
            }
        }
    }
    s
}

/// A silence ended by a segment the capture does not hold, as frame `ack` shows (R26C-3).
fn unseen_timeout(ack: u64, silence: i64) -> String {
    format!("likely a timeout the capture does not show: frame {ack} acknowledges bytes no frame carries, after {} in which the capture holds nothing from the sender", milliseconds(silence))
}

/// How the first resend came about, with its evidence. The sender's decision is never seen:
/// each kind is marked "inferred", or "likely" where the packets allow two readings.
fn trigger_words(e: &Episode) -> String {
    let (likely, inferred) = if e.trigger_likely { ("likely ", "") } else { ("", " (inferred)") };
    let wait = e.wait_ns.map(milliseconds).unwrap_or_default();
    let first = e.resends.first();
    match e.trigger {
        Some(Trigger::DupAcks) => format!("{likely}fast retransmit{inferred} {}", signals(e)),
        Some(Trigger::Rack) => {
            let n = signal_count(e).unwrap_or_else(|| "no ACK reporting a hole".into());
            // Away from the sender the wait is estimated from the round trip (R4b-6).
            let when = if e.counted_away_from_sender { format!("resent about {wait} after the first reached the sender, estimated from the round trip") } else { format!("resent {wait} after the first") };
            format!("{likely}RACK fast retransmit{inferred} ({n}; {when}: a later segment was SACKed)")
        }
        Some(Trigger::SackedAbove) if e.dup_acks_before + e.sacks_before == 0 => "likely fast retransmit (a hole reported, not seen here before the resend)".to_string(),
        Some(Trigger::SackedAbove) => format!("likely fast retransmit {}", signals(e)),
        Some(Trigger::TailLossProbe) => {
            let after = first.map(|r| milliseconds(r.since_last_send_ns)).unwrap_or_default();
            // (R23D-2: with one segment outstanding a timeout resends the same one.)
            let or_timeout = match first.and_then(|r| r.alone) {
                Some(true) => " or timeout (one segment outstanding: the two look alike)",
                Some(false) => " (or timeout, if it was the only segment outstanding at the sender)",
                None => "",
            };
            format!("{likely}tail loss probe{or_timeout}{inferred} {after} after the last segment")
        }
        // Resent as ACKs came back after an earlier timeout: no timer of its own.
        Some(Trigger::Timeout) if first.is_some_and(|r| r.after_unseen.is_some()) => {
            let (ack, silence) = first.and_then(|r| r.after_timeout.zip(r.after_unseen)).unwrap_or_default();
            format!("the resending that followed a segment the capture lacks ({}), as the window allowed (no timer of its own)", unseen_timeout(ack, silence))
        }
        Some(Trigger::Timeout) if first.is_some_and(|r| r.after_timeout.is_some()) => {
            format!("the resending that followed the timeout of frame {}, as the window allowed (no timer of its own)", first.and_then(|r| r.after_timeout).unwrap_or_default())
        }
        Some(Trigger::Timeout) => {
            let after = first.map(|r| milliseconds(r.since_last_send_ns)).unwrap_or_default();
            // Away from the sender the path may bunch its segments: its own clock tells the wait.
            let clock = if first.is_some_and(|r| r.by_sender_clock) { " by the sender's clock (TSval; they passed here bunched together)" } else { "" };
            format!("{likely}timeout (RTO{}) after {after} of silence{clock}", if inferred.is_empty() { "" } else { ", inferred" })
        }
        Some(Trigger::Unexplained) if first.is_some_and(|r| r.fin_on_ack) => {
            "each copy rides on an ACK of what the peer sent just before (its data or its SYN) (the FIN is not yet acknowledged, so each segment carries it again): no timer, no probe".to_string()
        }
        Some(Trigger::Unexplained) if first.is_some_and(|r| r.answers_syn.is_some()) => {
            let (syn, since) = first.and_then(|r| r.answers_syn).unwrap_or_default();
            format!("the answer to the SYN sent again (frame {syn}), {} after it passed here: not a timer's resend", milliseconds(since))
        }
        // Away from the sender a copy may come right after a late original: the sender's reason
        // (its timer, or a hole reported earlier) is not visible there.
        Some(Trigger::Unexplained) if e.away_from_sender => "a resend whose cause is not visible from this capture point (what the sender heard, and when, is not what passed here)".to_string(),
        // R4b-19: an 18 s wait is not "too soon for any timer".
        Some(Trigger::Unexplained) if first.is_some_and(|r| r.since_last_send_ns > LONGER_THAN_A_FIRST_TIMEOUT_NS) => format!(
            "a resend after {} of silence, far longer than a first retransmission timeout: not a timer's first resend, and the capture does not show why",
            first.map(|r| milliseconds(r.since_last_send_ns)).unwrap_or_default()
        ),
        Some(Trigger::Unexplained) => "a resend the capture does not explain (too soon for any timer, no hole reported)".to_string(),
        None => "nothing".to_string(),
    }
}

/// "3 SACKs", "2 duplicate ACKs (1 with SACK)"; `None` when no ACK reported the hole.
fn signal_count(e: &Episode) -> Option<String> {
    Some(match (e.dup_acks_before, e.sacks_before) {
        (0, 0) => return None,
        (d, s) if s >= d => count(u64::from(s), "SACK", "SACKs"),
        (d, 0) => count(u64::from(d), "duplicate ACK", "duplicate ACKs"),
        (d, s) => format!("{} ({s} with SACK)", count(u64::from(d), "duplicate ACK", "duplicate ACKs")),
    })
}

/// "after 3 SACKs". Away from the sender the count is of the ACKs that went by before the
/// resend came back past the capture point, not the ones the sender acted on: said so, with
/// the usual threshold (RFC 6675's DupThresh, 3).
fn signals(e: &Episode) -> String {
    match signal_count(e) {
        None => "with no ACK reporting a hole".to_string(),
        // Too close together for the estimate to count (R7a-1): when, not how many.
        Some(_) if e.heard_spread.is_some() => e.heard_spread.map(|s| format!("after the hole was reported ({})", spread_words(&s))).unwrap_or_default(),
        // An estimate from the round trip, said as one (R4b-5: 104 passed here, 3 reached it).
        Some(n) if e.counted_away_from_sender => format!("after the hole was reported (about {n} reached the sender before it resent, estimated from the round trip; a sender acts on the third)"),
        // R5e F6: the hole was open at the first ACK; that the sender was already recovering is a guess.
        Some(n) if e.began_before_capture => format!("after at least {n} (the hole was already open when the capture starts)"),
        Some(n) => format!("after {n}"),
    }
}

/// Away from the sender, reports too close together to count those that had reached it: how
/// soon after the first it resent, estimated from the round trip (R7a-1: drop_mid at the
/// receiver).
pub(super) fn spread_words(s: &crate::tcp::heard_before_resend::HeardSpread) -> String {
    let tenths = |ns: i64| format!("{:.1} ms", ns as f64 / 1e6);
    format!(
        "its first report, frame {}, passed here {} before the resend did, and the round trip from here to the sender and back is about {}: the sender resent within about {} of the first report reaching it; how many had reached it by then does not show from here, where {} passed before the resend, too close together for the estimate (±{}) to count; a sender acts on the third (RFC 6675), or sooner (RFC 8985)",
        s.first_frame,
        milliseconds(s.first_to_resend_ns),
        milliseconds(s.round_trip_ns),
        tenths(s.within_ns()),
        s.passed_here,
        tenths(s.uncertainty_ns)
    )
}

/// "frame 178", "frames 178, 190".
fn frames(list: &[u64]) -> String {
    let all: Vec<String> = list.iter().map(u64::to_string).collect();
    format!("{} {}", if list.len() == 1 { "frame" } else { "frames" }, all.join(", "))
}

/// The tail loss probe with new data that went before the first resend (RFC 8985 §7.3: new
/// data when there is some), or, away from the sender without timestamps, that whether one went
/// cannot be told.
fn probe_words(e: &Episode) -> String {
    match e.probe_before {
        Some(p) => format!(
            "; before it, likely tail loss probe with new data: frame {} left {} after the sender's previous segment (at least two round trips) with no ACK between",
            p.frame,
            milliseconds(p.since_last_send_ns)
        ),
        // A timer's resend may follow a probe; away from the sender, without timestamps, when
        // segments left cannot be told (a probe's own resend needs no such note).
        None if matches!(e.trigger, Some(Trigger::Timeout | Trigger::Unexplained)) && e.resends.first().is_some_and(|r| r.away_from_sender && !r.stamped && r.carries == "data") => {
            "; whether a loss probe with new data went before it cannot be told here (no timestamps to date the sending)".to_string()
        }
        None => String::new(),
    }
}
