//! Why an endpoint's state is drawn at a later frame than the segment that caused it: one of
//! its own segments, sent after the cause passed the capture point, does not acknowledge it.
//! The two crossed (it left before the cause arrived), the cause was a FIN waiting for bytes
//! sent before it, or the cause had reached it long before and was not taken.

use std::collections::HashMap;

use super::evidence::{Later, Wire};

/// Why `frame` (the endpoint's own, `client` says which) does not acknowledge `cause`.
pub(super) fn why_later(segs: &[Wire], client: bool, frame: u64, cause: u64) -> Later {
    let find = |f: u64, mine: bool| segs.iter().find(|w| w.frame == f && w.from_client == (client == mine));
    let (Some(cause_w), Some(own)) = (find(cause, false), find(frame, true)) else { return Later::Crossed };
    let gap_ns = own.time_ns.saturating_sub(cause_w.time_ns);
    let quickest = quickest_answer(segs, client);
    let not_crossed = quickest.filter(|&q| gap_ns > q.saturating_mul(2).saturating_add(1_000_000));
    if cause_w.flags.fin() && own.flags.ack() && own.ack.before(cause_w.seq) {
        let filler = segs
            .iter()
            .find(|w| w.from_client != client && w.frame > cause && w.len > 0 && w.seq.at_or_before(own.ack) && w.end().after(own.ack))
            .map(|w| w.frame);
        // Crossed for certain only sooner than any answer from here; with no later segment
        // bringing bytes below the FIN, the words say those bytes were arriving or being taken
        // in, not that a hole was seen (R14-1, R15-1).
        if filler.is_none() && quickest.is_some_and(|q| gap_ns < q) {
            return Later::Crossed;
        }
        return Later::HoleBelow { filler };
    }
    match (not_crossed, quickest) {
        (Some(quickest_ns), _) => Later::NotTaken { gap_ns, quickest_ns },
        (None, Some(quickest_ns)) if gap_ns > quickest_ns => Later::Unprocessed { gap_ns, quickest_ns },
        // (For the cause to have arrived before the endpoint's segment left, the round trip
        // from here would be at most the gap, and the endpoint's quickest answer at least the
        // rest of it in processing: a millisecond and a tenth of it is more than a stack takes,
        // so they crossed. R27A-1: app_limited_at_sender's 11.9 ms against 30.2 ms; get-gzip's
        // 2.149 ms against 22.4 ms; crossing_middle's 25.8 ms against 51.1 ms.)
        (None, Some(quickest_ns)) if own.frame > cause_w.frame && quickest_ns.saturating_sub(gap_ns) < (quickest_ns / 10).max(1_000_000) => Later::TooSoon { gap_ns, quickest_ns },
        _ => Later::Crossed,
    }
}

/// Whether the peer's SYN or FIN `segs[i]` was stood in for by a later copy: the endpoint's
/// first segment acknowledging it (`confirms`) came far later than its quickest answer from here
/// (twice it and 1 ms) after this copy, and within that after a later copy — which it answered;
/// this one was lost after the capture point or not taken (R19-2: ndpi_heuristic stream 4,
/// SYN-ACK 180 and its copy 182 1.549 s later, the client's ACK 0.675 ms after 182).
pub(super) fn superseded(segs: &[Wire], i: usize, quickest: Option<i64>, confirms: impl Fn(&Wire) -> bool) -> bool {
    let w = &segs[i];
    let Some(q) = quickest.filter(|_| w.flags.syn() || w.flags.fin()) else { return false };
    let Some(own) = segs[i + 1..].iter().find(|o| o.from_client != w.from_client && confirms(o)) else { return false };
    let slow = |t: i64| own.time_ns.saturating_sub(t) > q.saturating_mul(2).saturating_add(1_000_000);
    // (No sooner than half its quickest answer, less 1 ms, after the copy either: R14-9,
    // zeek_tcp_reassembly's ACK 13 came 9.4 ms after the FIN's fourth copy against a 30.5 ms
    // quickest: no answer to it.)
    let answers = |t: i64| !slow(t) && own.time_ns.saturating_sub(t) >= (q / 2).saturating_sub(1_000_000);
    let copy = |c: &Wire| c.from_client == w.from_client && c.frame < own.frame && c.seq == w.seq && c.end() == w.end() && c.flags.syn() == w.flags.syn() && c.flags.fin() == w.flags.fin();
    slow(w.time_ns) && segs[i + 1..].iter().any(|c| copy(c) && answers(c.time_ns))
}

/// The quickest the endpoint acknowledged a segment of its peer's that occupied sequence space,
/// from when that segment passed the capture point: its round trip from here, at most.
/// A segment sent again is no sample (Karn, RFC 6298 §3: R14-9, zeek_tcp_reassembly's FIN sent
/// four times, the ACK 9.4 ms after the fourth answering an earlier copy; the client's round
/// trip from there is 30.5 ms); the same packet captured twice within a millisecond is one.
pub(super) fn quickest_answer(segs: &[Wire], client: bool) -> Option<i64> {
    const SAME_PACKET_NS: i64 = 1_000_000;
    // End seq → (first time, sent again).
    let mut ends: HashMap<u32, (i64, bool)> = HashMap::new();
    let mut best: Option<i64> = None;
    for w in segs {
        if w.from_client != client {
            if w.len > 0 || w.flags.syn() || w.flags.fin() {
                let e = ends.entry(w.end().0).or_insert((w.time_ns, false));
                e.1 |= w.time_ns.saturating_sub(e.0) >= SAME_PACKET_NS;
            }
        } else if w.flags.ack() {
            if let Some((t, again)) = ends.remove(&w.ack.0) {
                let d = w.time_ns.saturating_sub(t);
                if d >= 0 && !again {
                    best = Some(best.map_or(d, |b| b.min(d)));
                }
            }
        }
    }
    best
}
