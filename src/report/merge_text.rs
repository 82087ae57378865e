//! `tcp-ladder merge A B` as text (per connection seen at both points, how it was paired, B's
//! clock against A's with what the estimate assumes, the one-way delay between the points each
//! way, and what one point saw and the other did not) and as NDJSON.

use crate::diagram::merged_words::connection_lines;
use crate::merge::Merge;

pub fn merge_text(m: &Merge) -> String {
    let mut out = String::new();
    for n in &m.notes {
        out.push_str(&format!("{n}\n"));
    }
    for c in &m.connections {
        for (k, line) in connection_lines(c).iter().enumerate() {
            out.push_str(if k == 0 { "" } else { "  " });
            out.push_str(line);
            out.push('\n');
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
