//! `tcp-ladder graph --format csv` and the page's CSV export: one row per segment (per sample
//! for throughput), every value as `tcp-ladder analyze` computes it. `time` is seconds since
//! the capture's first frame (Wireshark's `frame.time_relative`); `dir` is c2s or s2c.

use std::fmt::Write as _;

use super::series::{inflight_samples, rtt_samples, throughput_samples, tseq_rows, window_samples, GraphKind, Sample};
use super::cwnd_line::{congestion_of, cwnd_at, cwnd_steps};
use crate::connection::Connection;

fn dir(from_client: bool) -> &'static str {
    if from_client {
        "c2s"
    } else {
        "s2c"
    }
}

/// Seconds with nanosecond digits, as tshark prints `frame.time_relative`.
fn seconds(ns: i64) -> String {
    let sign = if ns < 0 { "-" } else { "" };
    let ns = ns.unsigned_abs();
    format!("{sign}{}.{:09}", ns / 1_000_000_000, ns % 1_000_000_000)
}

/// The whole connection's CSV for `kind`. With `range` (seconds), only the rows within it
/// (the page exports what is shown).
pub fn graph_csv(conn: &Connection<'_>, kind: GraphKind, range: Option<(f64, f64)>) -> String {
    let keep = |ns: i64| range.is_none_or(|(a, b)| (ns as f64 / 1e9) >= a && (ns as f64 / 1e9) <= b);
    let mut out = String::new();
    match kind {
        GraphKind::Tseq => {
            out.push_str("time,frame,dir,seq,len,ack,win\n");
            for r in tseq_rows(conn).filter(|r| keep(r.time_ns)) {
                let _ = writeln!(out, "{},{},{},{},{},{},{}", seconds(r.time_ns), r.frame, dir(r.from_client), r.seq, r.len, r.ack, r.window);
            }
        }
        GraphKind::Rtt => {
            out.push_str("time,frame,rtt\n");
            for s in rtt_samples(conn).iter().filter(|s| keep(s.time_ns)) {
                let _ = writeln!(out, "{},{},{}", seconds(s.time_ns), s.frame, seconds((s.value * 1e9).round() as i64));
            }
        }
        GraphKind::Window | GraphKind::Inflight => {
            let (header, samples) = if kind == GraphKind::Window {
                ("time,frame,dir,window\n", window_samples(conn))
            } else {
                ("time,frame,dir,bytes_in_flight,cwnd_estimated_bytes\n", inflight_samples(conn))
            };
            out.push_str(header);
            // The estimated window in force at each row (empty where no round shows one).
            let steps = (kind == GraphKind::Inflight).then(|| cwnd_steps(&congestion_of(conn)));
            for s in samples.iter().filter(|s| keep(s.time_ns)) {
                let _ = write!(out, "{},{},{},{}", seconds(s.time_ns), s.frame, dir(s.from_client), s.value as u64);
                if let Some(steps) = &steps {
                    let _ = write!(out, ",{}", cwnd_at(steps, s.from_client, s.time_ns).map(|b| b.to_string()).unwrap_or_default());
                }
                out.push('\n');
            }
        }
        GraphKind::Throughput | GraphKind::Goodput => {
            out.push_str("time,dir,bytes_per_s\n");
            let samples: Vec<Sample> = throughput_samples(conn, super::throughput_window::of_connection(conn).ns, kind == GraphKind::Goodput);
            for s in samples.iter().filter(|s| keep(s.time_ns)) {
                let _ = writeln!(out, "{},{},{}", seconds(s.time_ns), dir(s.from_client), s.value.round() as u64);
            }
        }
    }
    out
}

/// What a graph shows, as CSV (the page's export): one row per point of each series; on a
/// summarized graph a row is a pixel column (`value` its smallest, `value_top` its largest).
pub fn shown_csv(data: &super::GraphData) -> String {
    let mut out = String::from("series,time,frame,value,value_top\n");
    for s in &data.series {
        // A name may hold a comma or a quote: quoted as CSV quotes.
        let name = format!("\"{}\"", s.name.replace('"', "\"\""));
        for p in &s.points {
            let _ = writeln!(out, "{name},{},{},{},{}", seconds((p.t * 1e9).round() as i64), p.frame, p.y, p.y2);
        }
    }
    out
}
