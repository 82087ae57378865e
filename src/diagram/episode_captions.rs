//! An episode of loss recovery in words (issue #23), for its bracket on the ladder, `explain`
//! and `analyze`: every number from the episode's own facts ([`Episode`]), and what the sender's
//! kernel decided said as inferred from the packets ("likely" where they allow two readings).

use crate::tcp::recovery::{NotNeeded, ResendKind};
use crate::tcp::recovery_episodes::{Episode, EpisodeEnd, EpisodeKind, Trigger};
use crate::timefmt::{count, milliseconds};

/// The bracket's caption: "1 segment lost; repaired by fast retransmit after 3 SACKs; 21.0 ms".
pub fn episode_caption(e: &Episode) -> String {
    let took = milliseconds(e.duration_ns);
    match e.kind {
        EpisodeKind::Reordering => format!(
            "reordering, no loss: {} reported a hole, then the original filled it; no resend; {took}",
            signals(e)
        ),
        EpisodeKind::Spurious => {
            let how: Vec<String> = e
                .resends
                .iter()
                .filter_map(|r| r.not_needed)
                .map(|n| match n {
                    NotNeeded::DSack(f) => format!("D-SACK in frame {f} shows both copies arrived"),
                    NotNeeded::AckTooSoon(f) => format!("the ACK in frame {f} came sooner than a round trip after the resend: the original's ACK was on its way"),
                })
                .collect();
            format!("not needed: {} ({}: {}); {took}", how.join("; "), count(e.resends.len() as u64, "resend", "resends"), trigger_words(e))
        }
        // Nothing says these were lost: no hole reported, sooner than any timer.
        EpisodeKind::Loss if e.resends.iter().all(|r| r.kind == ResendKind::Unexplained) => {
            let n = count(e.segments_resent as u64, "segment", "segments");
            format!("{n} sent again within {took}, too soon for any timer and with no hole reported: the capture does not show why (a copy captured twice?)")
        }
        EpisodeKind::Loss => {
            let lost = count(e.segments_repaired as u64, "segment", "segments");
            let mut s = format!("{lost} lost; repaired by {}", trigger_words(e));
            let timeouts = e.timeout_waits_ns.len();
            if timeouts > 1 {
                let waits: Vec<String> = e.timeout_waits_ns.iter().map(|&w| milliseconds(w)).collect();
                s.push_str(&format!("; {timeouts} timeouts, {} {}", if e.backoff_doubled { "backoff" } else { "waits" }, waits.join(" → ")));
            }
            if e.ended_by == EpisodeEnd::CaptureEnd {
                s.push_str("; not acknowledged before the capture ends");
            }
            format!("{s}; {took}")
        }
    }
}

/// How the first resend came about, with its evidence.
fn trigger_words(e: &Episode) -> String {
    let likely = if e.trigger_likely { "likely " } else { "" };
    let wait = e.wait_ns.map(milliseconds).unwrap_or_default();
    let first = e.resends.first();
    match e.trigger {
        Some(Trigger::DupAcks) => format!("{likely}fast retransmit after {}", signals(e)),
        Some(Trigger::Rack) => format!("{likely}RACK fast retransmit ({}, {wait} after the first: a later segment was SACKed)", signals(e)),
        Some(Trigger::SackedAbove) if e.dup_acks_before + e.sacks_before == 0 => "likely fast retransmit (a hole reported, not seen here before the resend)".to_string(),
        Some(Trigger::SackedAbove) => format!("likely fast retransmit after {} (SACKed bytes above the hole)", signals(e)),
        Some(Trigger::TailLossProbe) => {
            let after = first.map(|r| milliseconds(r.since_last_send_ns)).unwrap_or_default();
            let also = if e.resends.iter().skip(1).any(|r| r.kind == ResendKind::Timeout) { " then timeout" } else { "" };
            format!("{likely}tail loss probe {after} after the last segment{also}")
        }
        Some(Trigger::Timeout) => {
            let after = first.map(|r| milliseconds(r.since_last_send_ns)).unwrap_or_default();
            format!("{likely}timeout (RTO) after {after} of silence")
        }
        Some(Trigger::Unexplained) => "a resend the capture does not explain (too soon for any timer, no hole reported)".to_string(),
        None => "nothing".to_string(),
    }
}

/// "3 duplicate ACKs", "1 SACK", "2 duplicate ACKs with SACK".
fn signals(e: &Episode) -> String {
    let about = if e.counted_away_from_sender && e.dup_acks_before + e.sacks_before > 0 { "about " } else { "" };
    let n = match (e.dup_acks_before, e.sacks_before) {
        (0, 0) => "no ACK reporting a hole".to_string(),
        (d, s) if s >= d => count(u64::from(s), "SACK", "SACKs"),
        (d, 0) => count(u64::from(d), "duplicate ACK", "duplicate ACKs"),
        (d, s) => format!("{} ({s} with SACK)", count(u64::from(d), "duplicate ACK", "duplicate ACKs")),
    };
    format!("{about}{n}")
}
