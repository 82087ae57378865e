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
    if cause_w.flags.fin() && own.flags.ack() && own.ack.before(cause_w.seq) {
        let filler = segs
            .iter()
            .find(|w| w.from_client != client && w.frame > cause && w.len > 0 && w.seq.at_or_before(own.ack) && w.end().after(own.ack))
            .map(|w| w.frame);
        return Later::HoleBelow { filler };
    }
    let gap_ns = own.time_ns.saturating_sub(cause_w.time_ns);
    match quickest_answer(segs, client) {
        Some(quickest_ns) if gap_ns > quickest_ns.saturating_mul(2).saturating_add(1_000_000) => Later::NotTaken { gap_ns, quickest_ns },
        _ => Later::Crossed,
    }
}

/// The quickest the endpoint acknowledged a segment of its peer's that occupied sequence space,
/// from when that segment passed the capture point: its round trip from here, at most.
fn quickest_answer(segs: &[Wire], client: bool) -> Option<i64> {
    let mut ends: HashMap<u32, i64> = HashMap::new();
    let mut best: Option<i64> = None;
    for w in segs {
        if w.from_client != client {
            if w.len > 0 || w.flags.syn() || w.flags.fin() {
                ends.insert(w.end().0, w.time_ns);
            }
        } else if w.flags.ack() {
            if let Some(t) = ends.remove(&w.ack.0) {
                let d = w.time_ns.saturating_sub(t);
                if d >= 0 {
                    best = Some(best.map_or(d, |b| b.min(d)));
                }
            }
        }
    }
    best
}
