//! What made a loss-recovery episode's first resend (issue #23), told apart from the evidence the
//! episode walk ([`crate::tcp::recovery_episodes`]) gathered: classic fast retransmit after three
//! duplicate ACKs, RACK, SACKed bytes above the hole, a loss probe or a timeout.

use serde::Serialize;

use crate::tcp::recovery::{Resend, ResendKind};
use crate::tcp::seq::SeqNumber;

/// Duplicate ACKs that start a classic fast retransmit (RFC 5681's DupThresh).
const DUP_THRESH: u32 = 3;

/// What made the sender resend first, inferred from what it had heard by then.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Trigger {
    /// Three or more duplicate ACKs (RFC 5681 / RFC 6675).
    DupAcks,
    /// Fewer than three duplicate ACKs, but a segment sent later was SACKed and at least a
    /// quarter of the round trip passed: RACK (RFC 8985).
    Rack,
    /// Fewer than three duplicate ACKs and sooner than RACK's reordering window: SACKed bytes
    /// above the hole (RFC 6675's IsLost) or RACK with no window (Linux after reordering-free
    /// recovery); the capture cannot tell which.
    SackedAbove,
    TailLossProbe,
    Timeout,
    /// Too soon for any timer, with no hole reported (see `ResendKind::Unexplained`).
    Unexplained,
}

/// What made the first resend `r` of an episode (`dup_acks_before` and `wait_ns` its evidence): a fast retransmit is told apart as classic
/// (three duplicate ACKs) or RACK (fewer, a later segment SACKed and ≥ RTT/4 waited); "likely"
/// when the other rule would have resent it too.
pub(super) fn trigger(r: &Resend, dup_acks_before: u32, wait_ns: Option<i64>, min_rtt_ns: Option<i64>) -> (Trigger, bool) {
    match r.kind {
        ResendKind::FastRetransmit => {
            let sacked_later = r.sacked_above.is_some_and(|s| SeqNumber(s).after(SeqNumber(r.next_seq)));
            let waited = wait_ns.unwrap_or(0);
            let rack_window = min_rtt_ns.is_some_and(|rtt| waited >= rtt / 4);
            if dup_acks_before >= DUP_THRESH {
                // RACK resends the same segment once a later one is SACKed and the window passed.
                (Trigger::DupAcks, sacked_later && rack_window)
            } else if sacked_later && rack_window {
                // RFC 6675 also calls a segment lost once more than 2 segments above it are SACKed.
                let segment = r.next_seq.wrapping_sub(r.seq).max(1);
                let above = r.sacked_above.map_or(0, |s| s.wrapping_sub(r.next_seq));
                (Trigger::Rack, u64::from(above) > 2 * u64::from(segment))
            } else {
                (Trigger::SackedAbove, true)
            }
        }
        ResendKind::TailLossProbe => (Trigger::TailLossProbe, r.likely),
        ResendKind::Timeout => (Trigger::Timeout, r.likely),
        ResendKind::Unexplained => (Trigger::Unexplained, false),
    }
}

