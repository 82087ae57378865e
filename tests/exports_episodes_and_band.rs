//! The loss-recovery episodes and the congestion band in the Mermaid and PlantUML exports
//! (issue #23): the page and the SVG draw them from the ladder model; the text exports say the
//! same, from the same model — every episode's caption and every band's sentence, with its
//! frames — and stay well-formed (each Mermaid `rect` and PlantUML `group` closed, boxes nested).
#![cfg(not(target_arch = "wasm32"))]

mod common;

use common::{corpus_dir, read};
use tcp_ladder::diagram::{layout, mermaid, plantuml, LadderOptions};
use tcp_ladder::session::analyze_bytes;

/// Whether `opens` and `end` lines balance and never close more than is open.
fn balanced(text: &str, opens: &str, end: &str) -> bool {
    let mut depth = 0i32;
    for line in text.lines().map(str::trim) {
        if line.starts_with(opens) {
            depth += 1;
        } else if line == end {
            depth -= 1;
            if depth < 0 {
                return false;
            }
        }
    }
    depth == 0
}

/// Whether a Mermaid box closes right after it opens (an empty `rect`, drawn with NaN sizes).
fn empty_box(text: &str) -> bool {
    let lines: Vec<&str> = text.lines().map(str::trim).collect();
    lines.windows(2).any(|w| w[0].starts_with("rect ") && w[1] == "end")
}

/// Cut at Mermaid's limit right after an episode's box opened, the box was left empty
/// (mermaid-cli drew NaN sizes: public/zeek_tcp_ssh-dups.pcap, 56 episodes of copies captured
/// twice): the cut drops a box that has nothing in it yet. The cut is put right after every
/// box's opening line in turn (a smaller limit than Mermaid's, the same rule).
#[test]
fn a_cut_leaves_no_empty_box() {
    let session = analyze_bytes(&read(&corpus_dir("public").join("zeek_tcp_ssh-dups.pcap"))).unwrap();
    let ladder = layout(&session.connection(0).unwrap(), &LadderOptions::default());
    let full = mermaid::render(&ladder);
    let mut cuts = 0;
    let mut at = 0;
    for line in full.lines() {
        at += line.len() + 1;
        if line.trim_start().starts_with("rect ") {
            let m = mermaid::render_within(&ladder, at + 600);
            assert!(m.starts_with("%% cut after frame"), "a limit of {} is meant to cut", at + 600);
            assert!(!empty_box(&m) && balanced(&m, "rect ", "end"), "cut after {at} characters:\n{m}");
            cuts += 1;
        }
    }
    assert!(cuts >= 50, "only {cuts} boxes to cut after");
}

#[test]
fn episodes_and_band_are_in_the_text_exports() {
    let (mut problems, mut episodes, mut bands) = (Vec::new(), 0, 0);
    for point in ["at_sender", "at_receiver"] {
        for name in ["drop_mid", "rto_backoff", "spurious", "spurious_fast", "rack", "reorder", "ecn"] {
            let session = analyze_bytes(&read(&corpus_dir("lossy").join(format!("{name}_{point}.pcap")))).unwrap();
            for view in [LadderOptions::default(), LadderOptions { expand_all: true, ..Default::default() }] {
                let ladder = layout(&session.connection(0).unwrap(), &view);
                let (m, p) = (mermaid::render(&ladder), plantuml::render(&ladder));
                let mut fail = |why: String| problems.push(format!("{name}_{point} (expand_all {}): {why}", view.expand_all));
                // Mermaid writes ';' as '#59;' (its statement separator); compare without them.
                let plain = |t: &str| t.replace("#59;", ";");
                // Mermaid draws at most 50 000 characters: a longer export is cut after a frame it
                // names; what starts after it is not asked of it.
                let cut: u64 = m.strip_prefix("%% cut after frame ").and_then(|r| r.split(':').next()?.parse().ok()).unwrap_or(u64::MAX);
                for e in &ladder.episodes {
                    episodes += 1;
                    let head = format!("loss recovery, {}'s data, frames {}–{}: ", if e.from_client { "client" } else { "server" }, e.first_frame, e.last_frame);
                    let want = format!("{head}{}", e.caption);
                    if e.first_frame <= cut && !plain(&m).contains(&want) {
                        fail(format!("Mermaid lacks the episode {want:?}"));
                    }
                    if !p.contains(&want) {
                        fail(format!("PlantUML lacks the episode {want:?}"));
                    }
                }
                for b in &ladder.congestion_bands {
                    bands += 1;
                    let want = format!("congestion, {}'s data, frames {}–{}: {}", if b.from_client { "client" } else { "server" }, b.first_frame, b.last_frame, b.label);
                    if (b.first_frame <= cut && !plain(&m).contains(&want)) || !p.contains(&want) {
                        fail(format!("an export lacks the band {want:?}"));
                    }
                }
                let said = |t: &str| t.matches("loss recovery, client's data, frames").count() + t.matches("loss recovery, server's data, frames").count();
                if said(&m) > ladder.episodes.len() || said(&p) != ladder.episodes.len() {
                    fail("episodes said more than once".into());
                }
                if !balanced(&m, "rect ", "end") || empty_box(&m) {
                    fail(format!("Mermaid boxes unbalanced:\n{m}"));
                }
                if !balanced(&p, "group ", "end") {
                    fail(format!("PlantUML groups unbalanced:\n{p}"));
                }
            }
        }
    }
    assert!(episodes >= 14 && bands >= 20, "{episodes} episodes, {bands} bands");
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
