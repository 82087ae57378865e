//! An ACK the explanation calls "the same ACK captured again" carries no "Dup ACK" tag on its
//! arrow: its tag says "copy" — on the page's ladder and in every export made from it (SVG,
//! Mermaid, PlantUML). Over every connection of every capture.
#![cfg(not(target_arch = "wasm32"))]

mod common;

use tcp_ladder::diagram::{explain_all, layout, mermaid, plantuml, svg, LadderOptions};

#[test]
fn an_ack_captured_twice_is_tagged_copy_not_dup_ack() {
    let (mut copies, mut bad) = (0, Vec::new());
    common::each_connection(&common::every_capture_and_shared(), |_, name, stream, conn| {
        let said_copy: Vec<u64> = explain_all(conn).into_iter().filter(|(_, text, _)| text.contains("the same ACK captured again")).map(|(p, _, _)| p.frame).collect();
        if said_copy.is_empty() {
            return;
        }
        let ladder = layout(conn, &LadderOptions { expand_all: true, ..LadderOptions::default() });
        let mut dup_tags = 0;
        for a in &ladder.arrows {
            let dup = a.tags.iter().any(|t| t.text.starts_with("Dup ACK"));
            dup_tags += usize::from(dup);
            if said_copy.contains(&a.frame) {
                copies += 1;
                if dup || !a.tags.iter().any(|t| t.text == "copy") {
                    bad.push(format!("{name} stream {stream} frame {}: explained as the same ACK captured twice, tagged {:?}", a.frame, a.tags.iter().map(|t| &t.text).collect::<Vec<_>>()));
                }
            }
        }
        // The exports draw the ladder's arrows and tags: as many "Dup ACK" tags, no more.
        for (export, text) in [("mermaid", mermaid::render(&ladder)), ("plantuml", plantuml::render(&ladder)), ("svg", svg::render(&ladder))] {
            let n = text.matches("[Dup ACK").count();
            if n > dup_tags {
                bad.push(format!("{name} stream {stream}: {export} has {n} Dup ACK tags, the ladder {dup_tags}"));
            }
        }
    });
    for b in bad.iter().take(20) {
        println!("{b}");
    }
    assert!(copies >= 10, "only {copies} ACK copies in the corpus");
    assert!(bad.is_empty(), "{} ACK copies tagged as duplicate ACKs", bad.len());
}
