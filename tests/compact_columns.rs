//! The compact columns of a phone's pane (#24): on every connection of every capture the
//! diagram is 348 units wide (a 390 px phone's pane draws it whole at full size), every label
//! line fits between the lifelines at its own size (a long one on two lines or more), every state
//! label inside the drawing, and nothing is drawn in a time or phase column that is not there
//! (phases and episodes keep their words for the list below the diagram).
#![cfg(not(target_arch = "wasm32"))]

mod common;

use common::every_capture_and_shared;
use tcp_ladder::diagram::{layout, LadderOptions};
use tcp_ladder::draw::text_width::mono;

#[test]
fn a_compact_ladder_fits_a_phone_at_full_text_size() {
    let compact = LadderOptions { compact: true, ..Default::default() };
    let (mut arrows, mut broken, mut problems) = (0usize, 0usize, Vec::new());
    common::each_connection(&every_capture_and_shared(), |_, name, stream, conn| {
        let ladder = layout(conn, &compact);
        let full = layout(conn, &LadderOptions::default());
        let at = format!("{name} stream {stream}");
        if ladder.width > 348.0 {
            problems.push(format!("{at}: {} wide", ladder.width));
        }
        let (left, right) = (ladder.client.x, ladder.server.x);
        for a in ladder.arrows.iter().filter(|a| a.show_label) {
            arrows += 1;
            let lines = a.label_lines();
            broken += usize::from(lines.len() >= 2);
            // The words are the label's, whole, in order.
            let joined = lines.iter().map(|(l, _)| *l).collect::<Vec<_>>().join(" ");
            if joined.split_whitespace().ne(a.label.split_whitespace()) {
                problems.push(format!("{at} frame {}: {joined:?} is not {:?}", a.frame, a.label));
            }
            for (line, _) in &lines {
                let w = mono(line, 12.0);
                if lines.len() >= 2 && (a.label_x - w / 2.0 < left || a.label_x + w / 2.0 > right) {
                    problems.push(format!("{at} frame {}: {line:?} ({w:.0} units) leaves the lanes", a.frame));
                }
            }
            if a.show_time {
                problems.push(format!("{at} frame {}: a time in a column that is not there", a.frame));
            }
            // A run's box is drawn over the arrows: no label line may lie under one.
            for (line, y) in &lines {
                let (top, bottom) = (y - 0.78 * 12.0, y + 0.22 * 12.0);
                if let Some(g) = ladder.groups.iter().find(|g| top < g.y - 14.0 + g.height(ladder.width) && bottom > g.y - 14.0) {
                    problems.push(format!("{at} frame {}: {line:?} under the run of frame {}", a.frame, g.first_frame));
                }
            }
        }
        for s in &ladder.states {
            let w = mono(s.display().as_str(), 11.0);
            let (x0, x1) = if s.anchor_end { (s.x - w, s.x) } else { (s.x, s.x + w) };
            if x0 < 0.0 || x1 > ladder.width + 1.0 {
                problems.push(format!("{at}: state {} at {x0:.0}–{x1:.0}", s.state));
            }
        }
        if ladder.phases.iter().any(|p| p.x < ladder.width || !p.caption_lines.is_empty()) || ladder.episodes.iter().any(|e| e.x < ladder.width) || !ladder.ticks.is_empty() {
            problems.push(format!("{at}: something drawn in the phase or time column"));
        }
        // The same phases and episodes, with the same words, for the list below the diagram.
        let words = |l: &tcp_ladder::diagram::Ladder| (l.phases.iter().map(|p| p.caption.clone()).collect::<Vec<_>>(), l.episodes.iter().map(|e| e.caption.clone()).collect::<Vec<_>>());
        if words(&ladder) != words(&full) {
            problems.push(format!("{at}: the compact ladder's phases or episodes differ"));
        }
    });
    assert!(arrows > 5_000 && broken > 1_000, "{arrows} labels, {broken} on two lines");
    assert!(problems.is_empty(), "{}:\n{}", problems.len(), problems.iter().take(30).cloned().collect::<Vec<_>>().join("\n"));
}

/// The timing view keeps the full columns: its slants are its point.
#[test]
fn the_timing_view_keeps_its_full_width() {
    let bytes = common::read(&common::corpus_dir("delayed").join("crossing_at_client.pcap"));
    let session = tcp_ladder::session::analyze_bytes(&bytes).unwrap();
    let conn = session.connection(0).unwrap();
    let timing = layout(&conn, &LadderOptions { compact: true, timing: true, ..Default::default() });
    assert_eq!(timing.width, 930.0);
    assert!(timing.arrows.iter().all(|a| a.label_breaks.is_empty()));
}
