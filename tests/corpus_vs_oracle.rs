#![cfg(not(target_arch = "wasm32"))]
//! Runs `tcp-ladder analyze` on every capture of the public corpus and compares its JSON with
//! tshark's answers in the `.oracle.json` beside each file. Prints a table of what matched and
//! lists every disagreement with its frame number.

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

use common::{analyze_cli, corpus_files, load_oracle};
use serde_json::Value;

/// Per-frame fields that must equal the oracle's exactly (capture + decoding).
const EXACT_FIELDS: [&str; 8] = ["src", "srcport", "dst", "dstport", "flags", "seq_raw", "ack_raw", "len"];
/// Fields of the TCP analysis, reported as an agreement ratio.
const ANALYSIS_FIELDS: [&str; 3] = ["seq", "ack", "window_size"];

#[derive(Default)]
struct Tally {
    agree: u64,
    total: u64,
}

#[test]
fn every_public_capture_matches_tshark() {
    let files = corpus_files("public");
    assert!(files.len() >= 54, "expected the 54 public captures, found {}", files.len());
    compare_with_oracles(&files);
}

/// Container variants (byte orders, nanoseconds, several sections and interfaces with their own
/// timestamp resolution and offset, simple and obsolete packet blocks, custom blocks, gzip),
/// snap-length cuts and link types, all rewritten from the real captures by
/// `tests/captures/make_variants.sh`.
#[test]
fn every_container_and_link_variant_matches_tshark() {
    // IPv4 fragments included: both tshark and we put the datagram back together and show the
    // TCP segment at the fragment that completed it (tests/fragments.rs).
    let files: Vec<_> = corpus_files("generated");
    assert!(files.len() >= 19, "expected the generated variants, found {}", files.len());
    compare_with_oracles(&files);
}

/// Connections made by the kernel's TCP stack on loopback (tests/captures/real/record.sh).
#[test]
fn every_real_stack_capture_matches_tshark() {
    let files = corpus_files("real");
    assert!(files.len() >= 6, "expected the recorded captures, found {}", files.len());
    compare_with_oracles(&files);
}

/// Real stacks over a path with real one-way delays, each captured at the client, in the
/// middle and at the server (tests/captures/delayed/record.sh).
#[test]
fn every_delayed_path_capture_matches_tshark() {
    let files = corpus_files("delayed");
    assert!(files.len() >= 9, "expected the recorded captures, found {}", files.len());
    compare_with_oracles(&files);
}

/// Real stacks over a delayed path whose relay drops, reorders or holds chosen segments, each
/// captured at the sender and at the receiver (tests/captures/lossy/record.sh).
#[test]
fn every_lossy_path_capture_matches_tshark() {
    let files = corpus_files("lossy");
    assert!(files.len() >= 18, "expected the recorded captures, found {}", files.len());
    compare_with_oracles(&files);
}

/// Real stacks at two capture points with a NAT and a filling queue between them
/// (tests/captures/twopoint/record.sh).
#[test]
fn every_two_point_capture_matches_tshark() {
    let files = corpus_files("twopoint");
    assert!(files.len() >= 4, "expected the recorded captures, found {}", files.len());
    compare_with_oracles(&files);
}

/// A real exchange whose payloads, pcapng comments and interface names are markup and script
/// (tests/captures/hostile/record.sh): read like any other capture.
#[test]
fn every_hostile_text_capture_matches_tshark() {
    let files = corpus_files("hostile");
    assert!(files.len() >= 2, "expected the recorded captures, found {}", files.len());
    compare_with_oracles(&files);
}

fn compare_with_oracles(files: &[std::path::PathBuf]) {
    let mut table = String::new();
    let mut failures = Vec::new();
    let mut analysis: BTreeMap<&str, Tally> = BTreeMap::new();
    let mut disagreements: Vec<String> = Vec::new();

    writeln!(table, "{:<55} {:>7} {:>7} {:>7} {:>6}  result", "file", "frames", "tcp", "streams", "exit").unwrap();
    for path in files {
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        let oracle = load_oracle(path);
        let (code, ours) = analyze_cli(path);
        let mut problems = Vec::new();

        let oracle_failed = oracle["errors"]["tshark_rc"].as_i64().unwrap_or(0) != 0;
        let expected_frames = oracle["summary"]["packets_in_file"].as_u64();
        match (&ours, expected_frames) {
            (None, None) => {}
            (None, Some(n)) => problems.push(format!("we read nothing (exit {code}), tshark read {n} frames")),
            (Some(_), None) => problems.push("tshark could not read this file but we did".to_string()),
            (Some(json), Some(n)) => {
                let got = json["format"]["packets"].as_u64().unwrap_or(0);
                if got != n {
                    problems.push(format!("frames: ours {got}, tshark {n}"));
                }
            }
        }
        if oracle_failed && code == 0 {
            problems.push("tshark reports damage, we exited 0".to_string());
        }
        if !oracle_failed && code != 0 {
            problems.push(format!("exit {code} on a file tshark reads whole"));
        }

        let mut tcp_count = 0;
        let mut stream_count = 0;
        if let Some(json) = &ours {
            let ours_by_frame: BTreeMap<u64, &Value> =
                json["packets"].as_array().unwrap().iter().map(|p| (p["frame"].as_u64().unwrap(), p)).collect();
            let oracle_by_frame: BTreeMap<u64, &Value> =
                oracle["packets"].as_array().unwrap().iter().map(|p| (p["frame"].as_u64().unwrap(), p)).collect();
            tcp_count = ours_by_frame.len();
            let ours_set: BTreeSet<_> = ours_by_frame.keys().collect();
            let oracle_set: BTreeSet<_> = oracle_by_frame.keys().collect();
            if ours_set != oracle_set {
                let missing: Vec<_> = oracle_set.difference(&ours_set).take(5).collect();
                let extra: Vec<_> = ours_set.difference(&oracle_set).take(5).collect();
                problems.push(format!("TCP frames differ: missing {missing:?}, extra {extra:?}"));
            }
            for (frame, o) in &oracle_by_frame {
                let Some(p) = ours_by_frame.get(frame) else { continue };
                for field in EXACT_FIELDS {
                    // tshark leaves a field empty when the snap length cut the header before it.
                    if o[field].is_null() && p["truncated"] == true {
                        continue;
                    }
                    if p[field] != o[field] {
                        problems.push(format!("frame {frame}: {field} ours {} tshark {}", p[field], o[field]));
                    }
                }
                // tshark gives no stream to a segment whose header the snap length cut; we keep
                // it in its connection and mark it truncated.
                let stream_ok = if o["stream"].is_null() { p["truncated"] == true } else { p["stream"] == o["stream"] };
                if !stream_ok {
                    problems.push(format!("frame {frame}: stream ours {} tshark {}", p["stream"], o["stream"]));
                }
                // A simple packet block has no timestamp: tshark shows none.
                if let (Some(t_ours), Some(t_oracle)) = (p["time_relative"].as_f64(), o["time_relative"].as_f64()) {
                    if (t_ours - t_oracle).abs() > 1e-6 {
                        problems.push(format!("frame {frame}: time_relative ours {t_ours} tshark {t_oracle}"));
                    }
                }
                for field in ANALYSIS_FIELDS {
                    if o[field].is_null() && p["truncated"] == true {
                        continue;
                    }
                    let t = analysis.entry(field).or_default();
                    t.total += 1;
                    if p[field] == o[field] {
                        t.agree += 1;
                    } else if disagreements.len() < 200 {
                        disagreements.push(format!("{name} frame {frame}: {field} ours {} tshark {}", p[field], o[field]));
                    }
                }
            }

            // Per-connection packet counts, endpoints and completeness.
            let ours_streams = json["streams"].as_array().unwrap();
            let oracle_streams = oracle["streams"].as_array().unwrap();
            stream_count = ours_streams.len();
            let all_cut = oracle_streams.is_empty() && ours_by_frame.values().all(|p| p["truncated"] == true);
            if ours_streams.len() != oracle_streams.len() && !all_cut {
                problems.push(format!("streams: ours {}, tshark {}", ours_streams.len(), oracle_streams.len()));
            }
            for (s, o) in ours_streams.iter().zip(oracle_streams) {
                let id = o["stream"].as_u64().unwrap();
                if s["packets"] != o["packets"] {
                    problems.push(format!("stream {id}: packets ours {} tshark {}", s["packets"], o["packets"]));
                }
                if endpoints(s) != endpoints(o) {
                    problems.push(format!("stream {id}: endpoints ours {:?} tshark {:?}", endpoints(s), endpoints(o)));
                }
                let t = analysis.entry("completeness").or_default();
                t.total += 1;
                if s["completeness"] == o["completeness"] {
                    t.agree += 1;
                } else if disagreements.len() < 200 {
                    disagreements.push(format!("{name} stream {id}: completeness ours {} tshark {}", s["completeness"], o["completeness"]));
                }
            }
        }

        let result = if problems.is_empty() { "ok".to_string() } else { format!("{} problem(s)", problems.len()) };
        writeln!(table, "{name:<55} {:>7} {tcp_count:>7} {stream_count:>7} {code:>6}  {result}", expected_frames.map_or("n/a".into(), |n| n.to_string())).unwrap();
        for p in problems.iter().take(8) {
            failures.push(format!("{name}: {p}"));
        }
    }

    println!("{table}");
    println!("analysis agreement with tshark (reported here, enforced by the TCP analysis issue's test):");
    for (field, t) in &analysis {
        println!("  {field:<14} {:>7}/{:<7} {:.2} %", t.agree, t.total, 100.0 * t.agree as f64 / t.total.max(1) as f64);
    }
    for d in disagreements.iter().take(40) {
        println!("  disagrees: {d}");
    }
    assert!(failures.is_empty(), "{} mismatches with the oracle:\n{}", failures.len(), failures.join("\n"));
}

/// The two endpoints of a stream as an unordered pair: the client of a stream whose SYN was not
/// captured is a guess, and ours differs from the oracle's rule when the capture starts at the
/// SYN-ACK (we name its receiver the client).
fn endpoints(stream: &Value) -> BTreeSet<String> {
    ["client", "server"].iter().map(|side| format!("{}:{}", stream[side]["addr"], stream[side]["port"])).collect()
}
