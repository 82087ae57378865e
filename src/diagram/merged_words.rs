//! One connection seen at two capture points in words (`merge`): how it was paired, B's clock
//! against A's with what the estimate assumes (or that it was set by hand), the one-way delay
//! between the points each way, the answering end's own time against the path's, and what one
//! point saw and the other did not. `tcp-ladder merge`'s text and the page say these lines.

use crate::merge::{Delays, MergedConnection, Missing};

fn delays(d: &Option<Delays>) -> String {
    match d {
        Some(d) => format!("least {:.3} ms, median {:.3} ms, most {:.3} ms ({} segments)", d.min, d.median, d.max, d.segments),
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
            "  B's clock − A's: {:+.3} ms, set by hand, no drift; the delays below are the ones it gives. {}\n",
            off as f64 / 1e6,
            match (c.estimated_offset_ns, bound) {
                (Some(e), Some(b)) => format!(
                    "The packets' estimate: {:+.3} ms if the path's fixed delay is the same both ways; any offset from {:+.3} to {:+.3} ms keeps every delay between the points at or above 0",
                    e as f64 / 1e6,
                    (e - b) as f64 / 1e6,
                    (e + b) as f64 / 1e6
                ),
                _ => "The packets give no estimate: no segment was seen at both points each way".to_string(),
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
    for line in early_lines(c) {
        out.push_str(&format!("  {line}\n"));
    }
    out.push_str(&format!("  A → B: {}\n  B → A: {}\n", delays(&c.path_ms.a_to_b), delays(&c.path_ms.b_to_a)));
    for t in turns_lines(c) {
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

/// Each way whose delays this offset makes negative: how many segments, and by how much.
fn early_lines(c: &MergedConnection) -> Vec<String> {
    let mut out = Vec::new();
    let a_is_client_side = c.a_near != "server";
    for (from_client, total) in [(true, &c.path_ms.a_to_b), (false, &c.path_ms.b_to_a)].map(|(first_way, d)| (first_way == a_is_client_side, d)) {
        let Some(total) = total.as_ref().map(|d| d.segments) else { continue };
        let early: Vec<f64> = c.rows.iter().filter(|r| r.from_client == from_client).filter_map(|r| r.delay_ns).filter(|d| *d < 0.0).collect();
        if early.is_empty() {
            continue;
        }
        let (from, to) = if from_client == a_is_client_side { ("A", "B") } else { ("B", "A") };
        let most = early.iter().fold(0.0f64, |m, d| m.max(-d)) / 1e6;
        // (The clock's line above gives the range the packets allow.)
        out.push(format!("with this offset {} of the {total} {from} → {to} segments reach {to} before they passed {from} (by up to {most:.3} ms): the offset is outside what the packets allow", early.len()));
    }
    out
}

/// Each side's own time against the path's, from the turns (`Turn`): per next sender, the
/// medians per turn.
fn turns_lines(c: &MergedConnection) -> Vec<String> {
    let mut out = Vec::new();
    for who in ["server", "client"] {
        let turns: Vec<&crate::merge::Turn> = c.turns.iter().filter(|t| t.next_sender == who).collect();
        let Some(first) = turns.first() else { continue };
        let other = if who == "server" { "client" } else { "server" };
        let median = |f: &dyn Fn(&crate::merge::Turn) -> f64| {
            let mut v: Vec<f64> = turns.iter().map(|t| f(t)).collect();
            v.sort_by(f64::total_cmp);
            let n = v.len();
            if n % 2 == 1 { v[n / 2] } else { (v[n / 2 - 1] + v[n / 2]) / 2.0 }
        };
        let at = |end: &str| if c.a_near == "neither" { "at the one capture point".to_string() } else { format!("at the capture near the {end}") };
        let (near, far, path) = (median(&|t| t.near_next_sender_ms), median(&|t| t.near_other_ms), median(&|t| t.round_trip_between_points_ms));
        let head = if turns.len() == 1 {
            format!("once the {who} sent data after the {other}'s (A#{} after A#{}):", first.next_frame_a, first.last_frame_a)
        } else {
            format!("{} times the {who} sent data after the {other}'s: per turn, median", turns.len())
        };
        out.push(format!(
            "{head} {near:.3} ms {} (the {who}'s own time, plus any path between that capture and the {who}), {far:.3} ms {}; the way there and back between the points{} {path:.3} ms",
            at(who),
            at(other),
            if turns.len() == 1 { ":" } else { ", per turn: median" }
        ));
    }
    out
}
