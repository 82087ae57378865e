//! The graphs' values against tshark, frame by frame, over every capture of the corpus with a
//! `.streams.oracle.json` (scripts/make_stream_oracles.py): the RTT graph's values are
//! `tcp.analysis.ack_rtt`, the window graph's `tcp.window_size`, the bytes-in-flight graph's
//! `tcp.analysis.bytes_in_flight`, each present on exactly the same frames. Prints the
//! agreement per capture; also checks the CLI's CSV on one capture against the same values.
#![cfg(not(target_arch = "wasm32"))]

mod common;

use std::collections::BTreeMap;
use std::path::Path;

use serde_json::Value;
use tcp_ladder::graph::series::{inflight_samples, rtt_samples, window_samples};
use tcp_ladder::session::analyze_bytes;

/// tshark's per-frame values: (ack_rtt as printed, bytes_in_flight, window_size).
type Theirs = BTreeMap<u64, (Option<String>, Option<u64>, Option<u64>)>;

fn theirs(oracle: &Value) -> Theirs {
    oracle["frames"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| (r[0].as_u64().unwrap(), (r[1].as_str().map(String::from), r[2].as_u64(), r[3].as_u64())))
        .collect()
}

fn seconds(ns: i64) -> String {
    format!("{}.{:09}", ns / 1_000_000_000, ns % 1_000_000_000)
}

/// Captures where a difference is known and explained (none since IP fragments are put back
/// together as tshark does, tests/fragments.rs). The test fails if one of these starts to
/// agree, so the list cannot go stale.
const KNOWN: [&str; 0] = [];

#[derive(Default)]
struct Tally {
    agree: [u64; 3],
    total: [u64; 3],
    problems: Vec<String>,
    known: Vec<String>,
}

fn check(path: &Path, tally: &mut Tally) -> String {
    let oracle: Value = serde_json::from_str(&std::fs::read_to_string(format!("{}.streams.oracle.json", path.display())).unwrap()).unwrap();
    let theirs = theirs(&oracle);
    let bytes = std::fs::read(path).unwrap();
    let Ok(session) = analyze_bytes(&bytes) else { return String::new() };
    let mut ours: [BTreeMap<u64, String>; 3] = Default::default();
    for s in session.streams().iter() {
        for x in rtt_samples(&session.connection(s.index).unwrap()) {
            ours[0].insert(x.frame, seconds((x.value * 1e9).round() as i64));
        }
        for x in inflight_samples(&session.connection(s.index).unwrap()) {
            ours[1].insert(x.frame, (x.value as u64).to_string());
        }
        for x in window_samples(&session.connection(s.index).unwrap()) {
            ours[2].insert(x.frame, (x.value as u64).to_string());
        }
    }
    let name = path.file_name().unwrap().to_string_lossy().to_string();
    let mut line = format!("{name}:");
    for (k, field) in ["ack_rtt", "bytes_in_flight", "window_size"].iter().enumerate() {
        let (mut agree, mut total) = (0, 0);
        for (frame, t) in &theirs {
            let expected = match k {
                0 => t.0.clone(),
                1 => t.1.map(|v| v.to_string()),
                _ => t.2.map(|v| v.to_string()),
            };
            let got = ours[k].get(frame).cloned();
            if expected.is_none() && got.is_none() {
                continue;
            }
            total += 1;
            if expected == got {
                agree += 1;
            } else if KNOWN.contains(&name.as_str()) {
                tally.known.push(format!("{name} frame {frame} {field}: ours {got:?} tshark {expected:?}"));
            } else {
                tally.problems.push(format!("{name} frame {frame} {field}: ours {got:?} tshark {expected:?}"));
            }
        }
        tally.agree[k] += agree;
        tally.total[k] += total;
        line += &format!(" {field} {agree}/{total}");
    }
    line
}

#[test]
fn graph_values_match_tshark_frame_by_frame() {
    let mut tally = Tally::default();
    for which in ["public", "generated", "real", "delayed", "hostile"] {
        for path in common::corpus_files(which) {
            if Path::new(&format!("{}.streams.oracle.json", path.display())).exists() {
                println!("graphs {which}/{}", check(&path, &mut tally));
            }
        }
    }
    for p in tally.problems.iter().take(50) {
        println!("  DIFFERS {p}");
    }
    for p in &tally.known {
        println!("  known difference {p}");
    }
    for (k, field) in ["ack_rtt", "bytes_in_flight", "window_size"].iter().enumerate() {
        println!("graphs: {field} identical on {} of {} frames", tally.agree[k], tally.total[k]);
    }
    assert!(tally.total.iter().all(|t| *t > 1000), "too few frames compared: {:?}", tally.total);
    assert!(tally.problems.is_empty(), "{} values differ from tshark", tally.problems.len());
    for name in KNOWN {
        assert!(tally.known.iter().any(|k| k.starts_with(name)), "the known difference of {name} went away: take it off the list");
    }
}
