//! One connection seen at two capture points in words (`merge`): how it was paired, B's clock
//! against A's with what the estimate assumes (or that it was set by hand), the one-way delay
//! between the points each way, the answering end's own time against the path's, and what one
//! point saw and the other did not. `tcp-ladder merge`'s text and the page say these lines.

use crate::merge::{Delays, MergedConnection, Missing};

fn delays(d: &Option<Delays>) -> String {
    match d {
        Some(d) => format!("median {:.3} ms, most {:.3} ms ({} segments)", d.median, d.max, d.segments),
        None => "no segment crossed".to_string(),
    }
}

fn list(missing: &[Missing]) -> String {
    let shown: Vec<String> = missing.iter().take(12).map(|m| format!("frame {} of {} ({} seq {} len {})", m.frame, m.capture.to_uppercase(), m.dir, m.seq, m.len)).collect();
    let more = missing.len().saturating_sub(shown.len());
    format!("{}{}", shown.join(", "), if more > 0 { format!(", and {more} more") } else { String::new() })
}

/// One merged connection in lines: the first says which streams and how they were paired,
/// the rest (indented by the text form) what the two points saw; the page shows the same lines.
pub fn connection_lines(c: &MergedConnection) -> Vec<String> {
    let mut out = String::new();
    let by = match c.paired_by {
        crate::merge::PairedBy::InitialSequenceNumbers => "the same initial sequence numbers",
        crate::merge::PairedBy::FirstSegments => "the same first segments each way",
    };
    let nearer = if c.a_near == "neither" { "both are one point".to_string() } else { format!("A is nearer the {}", c.a_near) };
    out.push_str(&format!("A stream {} = B stream {} ({by}); {nearer}\n", c.stream_a, c.stream_b));
    if (&c.client_a, &c.server_a) != (&c.client_b, &c.server_b) {
        out.push_str(&format!("  endpoints: {} → {} at A, {} → {} at B (rewritten between the points: a NAT)\n", c.client_a, c.server_a, c.client_b, c.server_b));
    }
    out.push_str(&format!("  segments: {} in A, {} in B, {} matched\n", c.segments_a, c.segments_b, c.segments_matched));
    if c.seq_offset.client != 0 || c.seq_offset.server != 0 {
        out.push_str(&format!("  sequence numbers: B's = A's + {} (client's), + {} (server's)\n", c.seq_offset.client, c.seq_offset.server));
    }
    match (c.offset_ns, c.uncertainty_ns) {
        (Some(off), bound) if c.offset_by_hand => out.push_str(&format!(
            "  B's clock − A's: {:+.3} ms, set by hand, no drift (the packets' estimate: {}); the delays below are the ones it gives\n",
            off as f64 / 1e6,
            match (c.estimated_offset_ns, bound) {
                (Some(e), Some(b)) => format!("{:+.3} ms ± {:.3} ms", e as f64 / 1e6, b as f64 / 1e6),
                _ => "none: no segment seen at both points each way".to_string(),
            }
        )),
        (Some(off), Some(bound)) => out.push_str(&format!(
            "  B's clock − A's: {:+.3} ms, {} (if the path's fixed delay is the same both ways; whatever it is, the offset is within ±{:.3} ms of that)\n",
            off as f64 / 1e6,
            c.drift_ppm.map_or("drift not fitted (under 2 s, or too few segments each way)".to_string(), |d| format!("drift {d:+.1} ppm over {} windows", c.drift_windows)),
            bound as f64 / 1e6
        )),
        _ => out.push_str("  clocks: not compared (no segment seen at both points each way)\n"),
    }
    if let (Some(ab), Some(_), false) = (&c.path_ms.a_to_b, &c.path_ms.b_to_a, c.offset_by_hand) {
        out.push_str(&format!("  fixed one-way delay between the points: {:.3} ms (the same both ways: the assumption above)\n", ab.min));
    }
    let arrived_early = [&c.path_ms.a_to_b, &c.path_ms.b_to_a].iter().any(|d| d.as_ref().is_some_and(|d| d.min < 0.0));
    if arrived_early {
        out.push_str("  with this offset some segment reaches the far point before it left the near one: the offset is too far one way\n");
    }
    out.push_str(&format!("  A → B: {}\n  B → A: {}\n", delays(&c.path_ms.a_to_b), delays(&c.path_ms.b_to_a)));
    if let Some(t) = turns_line(c) {
        out.push_str(&format!("  {t}\n"));
    }
    if !c.lost_between.is_empty() {
        out.push_str(&format!("  lost between the points: {}\n", list(&c.lost_between)));
    }
    for (only, here, there) in [(&c.only_in_a, "A", "B"), (&c.only_in_b, "B", "A")] {
        let (first, outside): (Vec<Missing>, Vec<Missing>) = only.iter().partition(|m| m.why == "not_seen_where_it_passed_first");
        if !first.is_empty() {
            out.push_str(&format!("  only in {here}, not seen at {there} where it passed first (sent by a middlebox between the points, or dropped by that capture): {}\n", list(&first)));
        }
        if !outside.is_empty() {
            out.push_str(&format!("  only in {here}, when {there}'s capture was not running: {}\n", list(&outside)));
        }
    }
    out.lines().map(|l| l.trim_start().to_string()).collect()
}

/// The answers' times at the two points (`Turn`s), summed up: the answering end's own time
/// against the path's.
fn turns_line(c: &MergedConnection) -> Option<String> {
    // The client's requests answered by the server (the other way round only where the client
    // never asked: a server that speaks alone).
    let asker = if c.turns.iter().any(|t| t.asked_by == "client") { "client" } else { "server" };
    let turns: Vec<&crate::merge::Turn> = c.turns.iter().filter(|t| t.asked_by == asker).collect();
    let first = *turns.first()?;
    let median = |f: &dyn Fn(&crate::merge::Turn) -> f64| {
        let mut v: Vec<f64> = turns.iter().map(|t| f(t)).collect();
        v.sort_by(f64::total_cmp);
        let n = v.len();
        if n % 2 == 1 { v[n / 2] } else { (v[n / 2 - 1] + v[n / 2]) / 2.0 }
    };
    let near = |who: &str| if c.a_near == "neither" { "at the one point".to_string() } else { format!("near the {who}") };
    let answerer = if first.asked_by == "client" { "server" } else { "client" };
    if turns.len() == 1 {
        return Some(format!(
            "answer (A#{} after A#{}): {:.3} ms {} (its own time, and the path beyond that point), {:.3} ms {}: {:.3} ms there and back between the points",
            first.answer_frame_a, first.request_frame_a, first.near_answerer_ms, near(answerer), first.near_asker_ms, near(first.asked_by), first.between_points_ms
        ));
    }
    Some(format!(
        "{} answers by the {answerer}: median {:.3} ms {} (its own time, and the path beyond that point), {:.3} ms {}: {:.3} ms there and back between the points",
        turns.len(),
        median(&|t| t.near_answerer_ms),
        near(answerer),
        median(&|t| t.near_asker_ms),
        near(first.asked_by),
        median(&|t| t.between_points_ms)
    ))
}

