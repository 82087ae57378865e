//! `tcp-ladder merge A B` as text (per connection seen at both points, how it was paired, B's
//! clock against A's with what the estimate assumes, the one-way delay between the points each
//! way, and what one point saw and the other did not) and as NDJSON.

use crate::merge::{Delays, Merge, Missing};

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

pub fn merge_text(m: &Merge) -> String {
    let mut out = String::new();
    for n in &m.notes {
        out.push_str(&format!("{n}\n"));
    }
    for c in &m.connections {
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
            (Some(off), Some(bound)) => out.push_str(&format!(
                "  B's clock − A's: {:+.3} ms, {} (if the path's fixed delay is the same both ways; whatever it is, the offset is within ±{:.3} ms of that)\n",
                off as f64 / 1e6,
                c.drift_ppm.map_or("drift not fitted (under 2 s, or too few segments each way)".to_string(), |d| format!("drift {d:+.1} ppm over {} windows", c.drift_windows)),
                bound as f64 / 1e6
            )),
            _ => out.push_str("  clocks: not compared (no segment seen at both points each way)\n"),
        }
        if let (Some(ab), Some(_)) = (&c.path_ms.a_to_b, &c.path_ms.b_to_a) {
            out.push_str(&format!("  fixed one-way delay between the points: {:.3} ms (the same both ways: the assumption above)\n", ab.min));
        }
        out.push_str(&format!("  A → B: {}\n  B → A: {}\n", delays(&c.path_ms.a_to_b), delays(&c.path_ms.b_to_a)));
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
    }
    if !m.unmatched_a.is_empty() || !m.unmatched_b.is_empty() {
        out.push_str(&format!("not paired: A streams {:?}, B streams {:?}\n", m.unmatched_a, m.unmatched_b));
    }
    out
}

/// One JSON object per line, each with a first member `record`: `connection` (as in the JSON
/// document's `connections`), `unmatched` (`{"capture": "a"|"b", "stream"}`), `note`.
pub fn merge_ndjson(m: &Merge) -> String {
    let mut out = String::new();
    let mut line = |record: &str, value: serde_json::Value| {
        let mut object = serde_json::Map::new();
        object.insert("record".into(), record.into());
        if let serde_json::Value::Object(members) = value {
            object.extend(members);
        }
        out.push_str(&serde_json::Value::Object(object).to_string());
        out.push('\n');
    };
    for c in &m.connections {
        line("connection", serde_json::to_value(c).unwrap_or_default());
    }
    for (capture, streams) in [("a", &m.unmatched_a), ("b", &m.unmatched_b)] {
        for s in streams {
            line("unmatched", serde_json::json!({ "capture": capture, "stream": s }));
        }
    }
    for n in &m.notes {
        line("note", serde_json::json!({ "text": n }));
    }
    out
}

/// Every segment of every connection seen at both points, one line each, with a header:
/// `stream_a,stream_b,time,dir,delay_ms,frame_a,frame_b,fate` — `time` in seconds from the
/// connection's first row by the client-side capture's clock, `dir` `a_to_b` or `b_to_a`,
/// `delay_ms` the one-way delay between the points (empty unless both saw it), `fate`
/// `matched` or why one point alone saw it.
pub fn merge_csv(m: &Merge) -> String {
    let mut out = String::from("stream_a,stream_b,time,dir,delay_ms,frame_a,frame_b,fate\n");
    for c in &m.connections {
        let t0 = c.rows.first().map_or(0, |r| r.passed_ns);
        for r in &c.rows {
            let a_to_b = r.from_client == (c.a_near == "client");
            let opt = |v: Option<u64>| v.map_or(String::new(), |f| f.to_string());
            out.push_str(&format!(
                "{},{},{:.6},{},{},{},{},{}\n",
                c.stream_a,
                c.stream_b,
                (r.passed_ns as f64 - t0 as f64) / 1e9,
                if a_to_b { "a_to_b" } else { "b_to_a" },
                r.delay_ns.map_or(String::new(), |d| format!("{:.3}", d / 1e6)),
                opt(r.frame_a),
                opt(r.frame_b),
                r.fate
            ));
        }
    }
    out
}
