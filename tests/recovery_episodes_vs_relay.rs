//! Loss-recovery episodes against the relay's log of what it did (tests/captures/lossy/truth/
//! `<scenario>.relay.jsonl`), at both capture points: every data segment the relay dropped is
//! repaired in exactly one loss episode and the episodes repair nothing else; a reordered
//! segment makes a reordering episode and no loss one; a segment only held makes episodes whose
//! resends were all not needed; a scenario with no fault has no episode with a resend.
#![cfg(not(target_arch = "wasm32"))]

mod common;

use std::collections::BTreeSet;

use common::{corpus_dir, read};
use serde_json::Value;
use tcp_ladder::session::analyze_bytes;
use tcp_ladder::tcp::recovery_episodes::{recovery_episodes, Episode, EpisodeKind};

/// The relay's lines for client → server frames, in arrival order.
fn relay_lines(name: &str) -> Vec<Value> {
    let text = String::from_utf8(read(&corpus_dir("lossy").join("truth").join(format!("{name}.relay.jsonl")))).unwrap();
    text.lines().map(|l| serde_json::from_str::<Value>(l).unwrap()).filter(|v| v["dir"] == "c2s" && v["action"].is_string()).collect()
}

/// The client's (the data sender's) episodes in one capture.
fn episodes(path: &std::path::Path) -> Vec<Episode> {
    let session = analyze_bytes(&read(path)).unwrap();
    let mut out = Vec::new();
    for stream in 0..session.streams().len() as u32 {
        let packets: Vec<_> = session.connection(stream).unwrap().packets().collect();
        out.extend(recovery_episodes(&packets).into_iter().filter(|e| e.from_client));
    }
    out
}

/// Whether a capture point after the relay can see the drop of `seq`: a later segment reached
/// the receiver before any copy of it did (so the receiver reports a hole).
fn hole_visible_after_relay(lines: &[Value], seq: u64) -> bool {
    for l in lines.iter().filter(|l| l["action"] != "drop") {
        let s = l["seq"].as_u64().unwrap();
        if s == seq {
            return false;
        }
        if s > seq && l["len"].as_u64().unwrap() > 0 {
            return true;
        }
    }
    false
}

#[test]
fn episodes_agree_with_the_relays_log() {
    let dir = corpus_dir("lossy");
    let (mut problems, mut report, mut checked) = (Vec::new(), Vec::new(), 0);
    for entry in std::fs::read_dir(dir.join("truth")).unwrap() {
        let path = entry.unwrap().path();
        let Some(name) = path.file_name().unwrap().to_str().unwrap().strip_suffix(".relay.jsonl") else { continue };
        let lines = relay_lines(name);
        let dropped: BTreeSet<u64> = lines.iter().filter(|l| l["action"] == "drop" && l["len"].as_u64() > Some(0)).map(|l| l["seq"].as_u64().unwrap()).collect();
        let reordered = lines.iter().any(|l| l["action"] == "reorder_hold");
        let held = lines.iter().any(|l| l["action"] == "hold");
        for point in ["at_sender", "at_receiver"] {
            let eps = episodes(&dir.join(format!("{name}_{point}.pcap")));
            let mut fail = |why: String| problems.push(format!("{name}_{point}: {why}: {eps:#?}"));
            let loss: Vec<&Episode> = eps.iter().filter(|e| e.kind == EpisodeKind::Loss).collect();
            // Each drop the capture point can see is repaired in exactly one loss episode.
            let mut expected = BTreeSet::new();
            for &seq in &dropped {
                if point == "at_sender" || hole_visible_after_relay(&lines, seq) {
                    expected.insert(seq);
                    let holding = loss.iter().filter(|e| e.resends.iter().any(|r| u64::from(r.seq) == seq && r.not_needed_by.is_none())).count();
                    if holding != 1 {
                        fail(format!("dropped seq {seq} repaired in {holding} loss episodes"));
                    }
                }
            }
            let repaired: BTreeSet<u64> = loss.iter().flat_map(|e| e.resends.iter().filter(|r| r.not_needed_by.is_none()).map(|r| u64::from(r.seq))).collect();
            if repaired != expected {
                fail(format!("repaired {repaired:?}, the relay dropped {expected:?} (of {dropped:?})"));
            }
            let counted: usize = loss.iter().map(|e| e.segments_repaired).sum();
            if counted != expected.len() {
                fail(format!("{counted} segments counted repaired, {} dropped", expected.len()));
            }
            if reordered && !eps.iter().any(|e| e.kind == EpisodeKind::Reordering) {
                fail("reordered, no reordering episode".into());
            }
            if held && dropped.is_empty() && (!loss.is_empty() || !eps.iter().any(|e| e.kind == EpisodeKind::Spurious)) {
                fail("held only: want spurious episodes and no loss".into());
            }
            if !held && dropped.is_empty() && eps.iter().any(|e| !e.resends.is_empty()) {
                fail("no fault, yet resends".into());
            }
            // The ladder: a bracket per episode with the same caption, and each resend's arrow
            // tagged with its inferred kind instead of Wireshark's generic tag.
            let session = analyze_bytes(&read(&dir.join(format!("{name}_{point}.pcap")))).unwrap();
            let ladder = tcp_ladder::diagram::layout(&session.connection(0).unwrap(), &tcp_ladder::diagram::LadderOptions { expand_all: true, ..Default::default() });
            let drawn: Vec<(u64, u64, &str)> = ladder.episodes.iter().filter(|b| b.from_client).map(|b| (b.first_frame, b.last_frame, b.caption.as_str())).collect();
            let captions: Vec<String> = eps.iter().map(tcp_ladder::diagram::episode_caption).collect();
            let want: Vec<(u64, u64, &str)> = eps.iter().zip(&captions).map(|(e, c)| (e.first_frame, e.last_frame, c.as_str())).collect();
            if drawn != want {
                fail(format!("ladder draws {drawn:?}"));
            }
            for r in eps.iter().flat_map(|e| &e.resends) {
                let tags: Vec<&str> = ladder.arrows.iter().filter(|a| a.frame == r.frame).flat_map(|a| a.tags.iter().map(|t| t.kind)).collect();
                if tags.iter().any(|k| k.ends_with("retransmission")) || !tags.iter().any(|k| k.starts_with("resend_")) {
                    fail(format!("resend frame {} tagged {tags:?}", r.frame));
                }
            }
            // `analyze` (streamed, a segment at a time) says the same.
            let (_, json) = common::analyze_cli(&dir.join(format!("{name}_{point}.pcap")));
            let said: Vec<(String, u64, String)> = json.unwrap()["streams"].as_array().unwrap().iter().flat_map(|s| s["recovery"].as_array().unwrap().clone()).filter(|e| e["from_client"] == true).map(|e| (e["kind"].as_str().unwrap().to_string(), e["first_frame"].as_u64().unwrap(), e["caption"].as_str().unwrap().to_string())).collect();
            let want: Vec<(String, u64, String)> = eps.iter().map(|e| (serde_json::to_value(e.kind).unwrap().as_str().unwrap().to_string(), e.first_frame, tcp_ladder::diagram::episode_caption(e))).collect();
            if said != want {
                fail(format!("analyze says {said:?}"));
            }
            let words: Vec<String> = eps.iter().map(|e| format!("{:?} frames {}–{} [{}]", e.kind, e.first_frame, e.last_frame, tcp_ladder::diagram::episode_caption(e))).collect();
            report.push(format!("{name}_{point}: dropped {dropped:?}, {}", if words.is_empty() { "no episode".into() } else { words.join("; ") }));
            checked += 1;
        }
    }
    eprintln!("{}", report.join("\n"));
    assert!(checked >= 18, "only {checked} captures");
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
