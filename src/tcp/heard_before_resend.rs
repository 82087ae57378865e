//! What a sender had heard when it first resent, seen from the capture point (issue #23).
//!
//! Near the sender the reports of the hole (duplicate ACKs, ACKs with SACK blocks above the
//! cumulative ACK) that passed before its resend are the ones it acted on. Away from it, an
//! ACK reaches the sender and the resend comes back here each one way later, so what it had
//! heard passed here two one-way delays before the resend: an estimate. Where the reports passed
//! closer together than that estimate can tell apart, it gives no count, only how soon after
//! the first report reached the sender it resent (R7a-1: drop_mid at the receiver, where 104
//! reports passed 0.02 ms apart before the resend arrived; the estimate said "about 12", the
//! sender's own capture shows it resent on the 3rd).

use serde::Serialize;

use crate::tcp::CapturePoint;

/// Away from the sender, the reports passed here too close together for the round-trip
/// estimate to say how many had reached the sender when it resent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct HeardSpread {
    /// The first report of the hole, and how long before the resend it passed here.
    pub first_frame: u64,
    pub first_to_resend_ns: i64,
    /// The round trip from here to the sender and back (the capture-point estimate).
    pub round_trip_ns: i64,
    /// How far off the estimate of when the resend left may be (± this): a tenth of the path's
    /// round trip, at least 1 ms — a loaded path queues more than the handshake showed.
    pub uncertainty_ns: i64,
    /// Reports that passed here before the resend did.
    pub passed_here: u32,
}

impl HeardSpread {
    /// How long after the first report reached the sender it resent, at most (the estimate plus
    /// its uncertainty; never below the uncertainty).
    pub fn within_ns(&self) -> i64 {
        (((self.first_to_resend_ns - self.round_trip_ns).max(0) + self.uncertainty_ns + 99_999) / 100_000) * 100_000
    }
}

/// What the sender had heard by its first resend, as counted or estimated here.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(super) struct Heard {
    pub dup_acks: u32,
    pub sacks: u32,
    /// From the first report to when the sender resent (estimated away from it).
    pub wait_ns: Option<i64>,
    /// The counts are estimated from the round trip (the capture point is away from the sender).
    pub estimated: bool,
    pub away_from_sender: bool,
    pub spread: Option<HeardSpread>,
}

/// One report of the hole: when it passed, its frame, whether a duplicate ACK, whether with
/// SACK blocks above the cumulative ACK.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Report {
    pub time_ns: i64,
    pub frame: u64,
    pub dup: bool,
    pub sack: bool,
}

/// What the sender of a resend passing at `resend_ns` had heard of `reports` (those that passed
/// before it, in order), from capture point `point`. Near the sender (under an eighth of the
/// round trip away) the report just before a resend is the one it answered: no correction,
/// which the estimate's jitter would only blur.
pub(super) fn heard_before_resend(reports: &[Report], resend_ns: i64, from_client: bool, point: Option<CapturePoint>) -> Heard {
    let path_rtt_ns = point.map(|c| ((c.client_ms + c.server_ms) * 2e6) as i64);
    let mut one_way = point.map_or(0, |c| ((if from_client { c.client_ms } else { c.server_ms }) * 1e6) as i64);
    if !path_rtt_ns.is_some_and(|rtt| one_way.saturating_mul(16) >= rtt) { // (saturating: fuzzed times)
        one_way = 0;
    }
    let away_from_sender = one_way > 0;
    let mut heard_by = resend_ns.saturating_sub(one_way.saturating_mul(2));
    if !reports.iter().any(|r| r.time_ns <= heard_by) {
        // None early enough by the estimate (a capture point the estimate places wrongly, or
        // a resend on other evidence): count those seen here before the resend, not estimated.
        (heard_by, one_way) = (resend_ns, 0);
    }
    let count = |by: i64| reports.iter().filter(|r| r.time_ns <= by).count();
    let heard: Vec<_> = reports.iter().filter(|r| r.time_ns <= heard_by).collect();
    let spread = match (one_way > 0, path_rtt_ns, reports.first()) {
        (true, Some(rtt), Some(first)) => {
            // (In tenths of a millisecond: an uncertainty said to the microsecond would claim too much.)
            let uncertainty_ns = (rtt / 10).max(1_000_000) / 100_000 * 100_000;
            let (fewest, most) = (count(heard_by.saturating_sub(uncertainty_ns)), count(heard_by.saturating_add(uncertainty_ns)));
            (most > fewest + 1).then(|| HeardSpread {
                first_frame: first.frame,
                first_to_resend_ns: resend_ns.saturating_sub(first.time_ns),
                round_trip_ns: one_way.saturating_mul(2),
                uncertainty_ns,
                passed_here: reports.len() as u32,
            })
        }
        _ => None,
    };
    Heard {
        dup_acks: heard.iter().filter(|r| r.dup).count() as u32,
        sacks: heard.iter().filter(|r| r.sack).count() as u32,
        wait_ns: heard.first().map(|r| heard_by.saturating_sub(r.time_ns)),
        estimated: one_way > 0,
        away_from_sender,
        spread,
    }
}
