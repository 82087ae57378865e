//! The timing view on the delayed-path and lossy captures (issue #24, points 1 and 5): every
//! segment's label placed, no two texts over each other, no two arrows on top of each other,
//! the close's FIN arrows labelled FIN, the header's sentence and headings, and the arrows
//! drawn as resent against the sending kernel's own retransmission counter.

use super::*;
use crate::draw::text_box::overlapping_pairs;
use crate::session::{analyze_bytes, Session};

fn captures(dir: &str) -> Vec<(String, Session)> {
    let path = format!("{}/tests/captures/{dir}", env!("CARGO_MANIFEST_DIR"));
    let mut out: Vec<(String, Session)> = std::fs::read_dir(path)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "pcap"))
        .map(|p| (p.file_name().unwrap().to_string_lossy().into_owned(), analyze_bytes(&std::fs::read(&p).unwrap()).unwrap()))
        .collect();
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out
}

fn timing(session: &Session, stream: u32) -> Ladder {
    layout(&session.connection(stream).unwrap(), &LadderOptions { timing: true, ..Default::default() })
}

/// What is wrong with one timing-view ladder: labels left out, texts over each other, arrows
/// on top of each other.
fn problems(name: &str, ladder: &Ladder) -> Vec<String> {
    let mut out = Vec::new();
    let unlabelled: Vec<u64> = ladder.arrows.iter().filter(|a| !a.show_label).map(|a| a.frame).collect();
    if !unlabelled.is_empty() {
        out.push(format!("{name}: {} of {} labels left out (frames {:?})", unlabelled.len(), ladder.arrows.len(), &unlabelled[..unlabelled.len().min(8)]));
    }
    for (a, b) in overlapping_pairs(&ladder.text_boxes()).into_iter().take(5) {
        out.push(format!("{name}: {a} overlaps {b}"));
    }
    let near = |a: f32, b: f32| (a - b).abs() < 1.0;
    for (i, a) in ladder.arrows.iter().enumerate() {
        for b in &ladder.arrows[i + 1..] {
            let same = a.from_client == b.from_client && near(a.y1, b.y1) && near(a.y2, b.y2);
            let reversed = a.from_client != b.from_client && near(a.y1, b.y2) && near(a.y2, b.y1);
            if same || reversed {
                out.push(format!("{name}: the arrows of frames {} and {} coincide", a.frame, b.frame));
            }
        }
    }
    out
}

#[test]
fn every_label_placed_apart_and_no_arrow_hidden_on_the_delayed_and_lossy_captures() {
    let (mut checked, mut all) = (0, Vec::new());
    for dir in ["delayed", "lossy"] {
        for (name, session) in captures(dir) {
            for stream in 0..session.streams().len() as u32 {
                let ladder = timing(&session, stream);
                all.extend(problems(&format!("{dir}/{name} #{stream}"), &ladder));
                checked += ladder.arrows.len();
            }
        }
    }
    assert!(checked > 1000, "only {checked} arrows");
    assert!(all.is_empty(), "{}", all.join("\n"));
}

#[test]
fn the_delayed_seed_exchange_shows_its_ten_labels_and_its_fins_as_fins() {
    for (name, session) in captures("delayed").into_iter().filter(|(n, _)| n.starts_with("seed_")) {
        let ladder = timing(&session, 0);
        assert_eq!(ladder.arrows.len(), 10, "{name}");
        assert!(ladder.arrows.iter().all(|a| a.show_label), "{name}");
        // Each arrow's colour (its kind) and its label are the same segment's.
        for a in &ladder.arrows {
            assert_eq!(a.kind == ArrowKind::Fin, a.label.starts_with("FIN"), "{name} frame {}: {:?} labelled {}", a.frame, a.kind, a.label);
            assert_eq!(a.kind == ArrowKind::Data, a.label.contains("PSH"), "{name} frame {}: {:?} labelled {}", a.frame, a.kind, a.label);
        }
        // The header: what the dashed line is, and what each time column is.
        let capture = ladder.capture.as_ref().unwrap();
        assert!(capture.explain.starts_with("Dashed line: where this capture was taken"), "{name}: {}", capture.explain);
        // It ends left of the phase column (11 px monospace: 0.6 em a character), not under the
        // segment panel at 1366 px.
        let end = crate::draw::offsets::TIME_X + capture.explain.chars().count() as f32 * 6.6;
        assert!(end < super::PHASE_X, "{name}: the sentence ends at {end}");
        let headings: Vec<&str> = ladder.headings.iter().map(|h| h.text.as_str()).collect();
        assert_eq!(headings, ["captured", "s, file", "since 1st", "segment"], "{name}");
        let first = ladder.arrows.iter().map(|a| a.y1.min(a.y2)).fold(f32::MAX, f32::min);
        assert!(ladder.headings.iter().all(|h| h.y + 4.0 < first - 11.0), "{name}: headings reach the first arrow at {first}");
    }
}

/// On each capture at the sender, the arrows drawn as resent from the sender are as many as
/// the segments its kernel retransmitted (`TcpRetransSegs`).
#[test]
fn arrows_drawn_resent_match_the_senders_kernel() {
    let dir = format!("{}/tests/captures/lossy", env!("CARGO_MANIFEST_DIR"));
    let mut problems = Vec::new();
    let mut scenarios = 0;
    for (name, session) in captures("lossy").into_iter().filter(|(n, _)| n.ends_with("_at_sender.pcap")) {
        let scenario = name.trim_end_matches("_at_sender.pcap");
        let Ok(bytes) = std::fs::read(format!("{dir}/truth/{scenario}.nstat.json")) else { continue };
        let truth: serde_json::Value = serde_json::from_slice(&bytes).unwrap();
        let sender = truth["sender_namespace"].as_str().unwrap();
        let want = truth[sender]["TcpRetransSegs"].as_u64().unwrap_or(0) as usize;
        for view in [LadderOptions { timing: true, ..Default::default() }, LadderOptions { expand_all: true, ..Default::default() }] {
            let drawn: usize = (0..session.streams().len() as u32)
                .map(|s| layout(&session.connection(s).unwrap(), &view).arrows.iter().filter(|a| a.resent && a.from_client == (sender == "client")).count())
                .sum();
            if drawn != want {
                problems.push(format!("{scenario} (timing view: {}): {drawn} arrows drawn resent, the kernel retransmitted {want}", view.timing));
            }
        }
        scenarios += 1;
    }
    assert!(scenarios >= 9, "only {scenarios} scenarios");
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
