//! Tests of the ladder's layout on captures of the corpus: arrows, phases, states, collapsed
//! runs, time mode, analysis tags and gap marks, and the explanations of segments.

use super::*;
use crate::diagram::explain;
use crate::session::{analyze_bytes, Session};

fn load(dir: &str, name: &str) -> Session {
    let path = format!("{}/tests/captures/{dir}/{name}", env!("CARGO_MANIFEST_DIR"));
    analyze_bytes(&std::fs::read(path).unwrap()).unwrap()
}

#[test]
fn one_arrow_per_segment_in_capture_order_between_the_lifelines() {
    let session = load("public", "tcpdump_whois.pcap");
    let ladder = layout(&session.connection(0).unwrap(), &LadderOptions::default());
    assert_eq!(ladder.arrows.len(), 11);
    let frames: Vec<u64> = ladder.arrows.iter().map(|a| a.frame).collect();
    assert_eq!(frames, (1..=11).collect::<Vec<_>>());
    assert_eq!((ladder.arrows[0].x1, ladder.arrows[0].x2), (ladder.client.x, ladder.server.x));
    assert_eq!((ladder.arrows[1].x1, ladder.arrows[1].x2), (ladder.server.x, ladder.client.x));
    assert!(ladder.arrows.windows(2).all(|w| w[0].y1 < w[1].y1), "time flows down");
    assert!(ladder.arrows.iter().all(|a| a.y2 > a.y1 && a.y2 < ladder.height));
    assert_eq!(ladder.arrows[0].kind, ArrowKind::Syn);
    assert!(ladder.client.name.starts_with("10.0.2.15:"), "client named by address:port, got {}", ladder.client.name);
}

#[test]
fn unknown_stream_has_no_layout() {
    assert!(load("public", "tcpdump_whois.pcap").connection(7).is_err());
}

#[test]
fn seed_three_segment_close_phases_states_and_explanation() {
    let session = load("real", "seed_close_immediately.pcap");
    let ladder = layout(&session.connection(0).unwrap(), &LadderOptions::default());
    let phases: Vec<(&str, u64, u64)> = ladder.phases.iter().map(|p| (p.kind, p.first_frame, p.last_frame)).collect();
    assert_eq!(phases, [("handshake", 1, 3), ("data", 4, 7), ("three_segment", 8, 10)]);
    assert_eq!(ladder.phases[2].title, "Three-segment close (ACK+FIN merged)");
    // Brackets enclose their arrows and do not overlap.
    assert!(ladder.phases.windows(2).all(|w| w[0].y2 <= w[1].y1 + 1.0));
    let merged = explain(&session.connection(0).unwrap(), 8).unwrap();
    assert_eq!(ladder.arrows[8].frame, 9);
    assert!(merged.contains("ack=130") && merged.contains("three segments instead of four"), "{merged}");
    let data_ack = explain(&session.connection(0).unwrap(), 6).unwrap();
    assert!(data_ack.contains("ack=129") && !data_ack.contains("three segments"), "{data_ack}");
    let server: Vec<(&str, u64)> = ladder.states.iter().filter(|s| !s.client).map(|s| (s.state, s.frame)).collect();
    assert_eq!(server, [("LISTEN", 1), ("SYN-RECEIVED", 2), ("ESTABLISHED", 3), ("FIN-WAIT-1", 8), ("TIME-WAIT", 9)]);
    // Client labels sit left of the client lifeline, server labels right of the server's.
    assert!(ladder.states.iter().all(|s| if s.client { s.x < ladder.client.x } else { s.x > ladder.server.x }));
    let syn = explain(&session.connection(0).unwrap(), 0).unwrap();
    assert!(syn.contains("seq=1") && syn.contains("one byte"), "{syn}");
}

#[test]
fn seed_four_way_close_phase_and_time_mode() {
    let session = load("real", "seed_close_delayed.pcap");
    let ladder = layout(&session.connection(0).unwrap(), &LadderOptions { by_time: true, ..Default::default() });
    let close = ladder.phases.last().unwrap();
    assert_eq!((close.kind, close.first_frame, close.last_frame), ("four_way", 8, 11));
    // The server waited half a second before its FIN: in time mode that gap is the largest.
    let gaps: Vec<f32> = ladder.arrows.windows(2).map(|w| w[1].y1 - w[0].y1).collect();
    let widest = gaps.iter().cloned().fold(0.0, f32::max);
    assert_eq!(gaps.iter().position(|g| *g == widest), Some(8), "between frame 9 and frame 10");
    assert!(!ladder.ticks.is_empty());
}

/// By capture time, a collapsed run is as tall as it lasted: the time axis is the same
/// above, across and below it (issue 11: 0.4 s were squeezed into one row).
#[test]
fn a_collapsed_run_by_capture_time_spans_its_duration() {
    let session = load("public", "zeek_http_1000-requests-one-dropped-response.pcap.gz");
    let ladder = layout(&session.connection(0).unwrap(), &LadderOptions { by_time: true, ..Default::default() });
    let g = ladder.groups.iter().max_by_key(|g| g.segments).expect("a collapsed run");
    let packets: Vec<_> = session.connection(0).unwrap().packets().collect();
    let time = |frame: u64| packets.iter().find(|p| p.frame == frame).unwrap().time_ns as f64 / 1e9;
    // Units per second, from the arrows on either side of the run.
    let before = ladder.arrows.iter().rev().find(|a| a.frame < g.first_frame).unwrap();
    let after = ladder.arrows.iter().find(|a| a.frame > g.last_frame).unwrap();
    let per_s = f64::from(after.y1 - before.y1) / (time(after.frame) - time(before.frame));
    let lasted = time(g.last_frame) - time(g.first_frame);
    assert!(lasted > 0.3, "a long run: {lasted} s");
    let drawn = f64::from(g.y_end - g.y);
    assert!((drawn - lasted * per_s).abs() < 0.1 * lasted * per_s + 2.0 * f64::from(ROW), "{drawn} units for {lasted} s at {per_s} units/s");
    assert!(after.y1 >= g.y_end, "the next arrow is below the run");
    // The ruler marks the seconds inside the run, in order, within its box.
    let inside: Vec<f32> = ladder.ticks.iter().map(|t| t.y).filter(|y| *y > g.y && *y < g.y_end).collect();
    assert!(inside.len() >= 3 && inside.windows(2).all(|w| w[0] < w[1]), "ticks inside the run: {inside:?}");
    assert!(g.text.contains(" s, frames"), "{}", g.text);
}

/// Every real-stack capture: the phases the layout brackets are the shapes the analysis found.
#[test]
fn phases_name_every_shape_of_the_real_stack_captures() {
    let cases = [
        ("seed_close_immediately.pcap", 0, vec!["handshake", "data", "three_segment"]),
        ("seed_close_delayed.pcap", 0, vec!["handshake", "data", "four_way"]),
        ("refused.pcap", 0, vec!["refused"]),
        ("unanswered.pcap", 1, vec!["unanswered"]),
        ("reset.pcap", 0, vec!["handshake", "data", "reset"]),
        ("half_close.pcap", 0, vec!["handshake", "data", "half_close", "four_way"]),
        // Frames 5–6 are two pure ACKs: no data, so no data-transfer phase (R2 F15).
        ("simultaneous_open.pcap", 0, vec!["simultaneous_open", "three_segment"]),
    ];
    for (file, stream, expected) in cases {
        let session = load("real", file);
        let ladder = layout(&session.connection(stream).unwrap(), &LadderOptions::default());
        let kinds: Vec<&str> = ladder.phases.iter().map(|p| p.kind).collect();
        assert_eq!(kinds, expected, "{file}");
        assert_eq!(ladder.arrows.len(), session.streams()[stream as usize].packets as usize, "{file}: short connections are not collapsed");
        // Every state change of both endpoints is written on a lifeline.
        let evidence = session.connection(stream).unwrap().states().clone();
        let changes = evidence.side(true).len() + evidence.side(false).len();
        assert_eq!(ladder.states.len(), changes, "{file}");
    }
    let unanswered = layout(&load("real", "unanswered.pcap").connection(1).unwrap(), &LadderOptions::default());
    assert!(unanswered.phases[0].title.contains("SYN sent"), "{}", unanswered.phases[0].title);
    let syn = &load("real", "seed_close_immediately.pcap");
    let first = &layout(&syn.connection(0).unwrap(), &LadderOptions::default()).arrows[0];
    assert!(first.detail.contains("MSS=") && first.detail.contains("SACK_PERM"), "{}", first.detail);
}

#[test]
fn long_runs_collapse_into_one_row_and_expand() {
    let session = load("public", "zeek_http_1000-requests-one-dropped-response.pcap.gz");
    let collapsed = layout(&session.connection(0).unwrap(), &LadderOptions::default());
    let total = session.streams()[0].packets as usize;
    let hidden: usize = collapsed.groups.iter().map(|g| g.segments).sum();
    assert!(!collapsed.groups.is_empty());
    assert_eq!(collapsed.arrows.len() + hidden, total, "every segment is an arrow or in a group");
    let g = &collapsed.groups[0];
    assert!(g.text.contains(&format!("{} segments", g.segments)));
    // Problem segments and control segments are never hidden.
    assert!(collapsed.arrows.iter().any(|a| !a.tags.is_empty()));
    // Rows stay in time order with groups interleaved.
    assert!(collapsed.arrows.windows(2).all(|w| w[0].y1 < w[1].y1));
    let mut options = LadderOptions::default();
    options.expanded.insert(g.id);
    let opened = layout(&session.connection(0).unwrap(), &options);
    assert_eq!(opened.groups.len(), collapsed.groups.len() - 1);
    assert_eq!(opened.arrows.len(), collapsed.arrows.len() + g.segments);
    let all = layout(&session.connection(0).unwrap(), &LadderOptions { expand_all: true, ..Default::default() });
    assert_eq!((all.arrows.len(), all.groups.len()), (total, 0));
}

#[test]
fn analysis_tags_and_gap_markers_are_on_the_arrows() {
    let session = load("public", "zeek_tcp_reassembly.pcap");
    let ladder = layout(&session.connection(0).unwrap(), &LadderOptions::default());
    let frame8 = ladder.arrows.iter().find(|a| a.frame == 8).unwrap();
    let kinds: Vec<&str> = frame8.tags.iter().map(|t| t.kind).collect();
    // Wireshark calls it a fast retransmission; the arrow carries the kind inferred from the
    // packets instead (recovery.rs), never both.
    assert!(kinds.iter().any(|k| k.starts_with("resend_")) && !kinds.contains(&"fast_retransmission"), "{kinds:?}");
    // Frame 16 starts at 6103, past everything the client sent before (4655): a real gap. Frame
    // 9's gap is only frame 7's, recorded 8 bytes shorter than its IP length (R20C-5).
    assert!(ladder.gaps.iter().any(|g| g.frame == 16), "lost segment before frame 16 is marked");
    assert!(!ladder.gaps.iter().any(|g| g.frame == 9), "no gap before frame 9: frame 7 carried 1448 bytes by its IP header");
    let dup = ladder.arrows.iter().find(|a| a.tags.iter().any(|t| t.kind == "duplicate_ack")).unwrap();
    assert!(dup.tags.iter().any(|t| t.text.starts_with("Dup ACK")), "{:?}", dup.tags);
}

/// By capture time, each idle pause (1 s or more with nothing sent) is marked on the ruler
/// with its length and left out of the time scale (#24: a keep-alive's 10 s were drawn as
/// tall as a 3 ms gap): ndpi_ocsp's stream 1 keeps its connection open with a keep-alive
/// every 10.2 s, 20 pauses in all.
#[test]
fn idle_pauses_by_capture_time_are_marked_with_their_length() {
    let session = load("public", "ndpi_ocsp.pcapng");
    let conn = session.connection(1).unwrap();
    let ladder = layout(&conn, &LadderOptions { by_time: true, ..Default::default() });
    let marks: Vec<&str> = ladder.ticks.iter().map(|t| t.label.as_str()).filter(|l| l.starts_with("idle ")).collect();
    assert_eq!(marks.len(), 20, "{marks:?}");
    assert_eq!(marks[0], "idle 10.01 s");
    // Frames 30 → 31 (10.0 s apart) against frames 24 → 25 (3.4 ms apart).
    let y = |frame: u64| ladder.arrows.iter().find(|a| a.frame == frame).unwrap().y1;
    assert!(y(31) - y(30) >= 1.5 * (y(25) - y(24)), "{} vs {}", y(31) - y(30), y(25) - y(24));
    // The even view has no pause marks.
    let even = layout(&conn, &LadderOptions::default());
    assert!(even.ticks.iter().all(|t| !t.label.starts_with("idle")));
    // A phone's compact columns have no time column: the same marks between the lanes, each
    // below the row before its pause and above the one after, over no other text.
    let compact = layout(&conn, &LadderOptions { by_time: true, compact: true, ..Default::default() });
    let idle: Vec<&Tick> = compact.ticks.iter().filter(|t| t.label.starts_with("idle ")).collect();
    assert_eq!(idle.iter().map(|t| t.label.as_str()).collect::<Vec<_>>(), marks);
    assert!(compact.ticks.len() == idle.len() && idle.iter().all(|t| t.x > compact.client.x && t.x < compact.server.x), "{idle:?}");
    let ys = |frame: u64| compact.arrows.iter().find(|a| a.frame == frame).map(|a| (a.y1.max(a.y2), a.y1.min(a.y2))).unwrap();
    assert!(idle[0].y > ys(30).0 && idle[0].y < ys(31).1, "{:?} between {:?} and {:?}", idle[0], ys(30), ys(31));
    let boxes = compact.text_boxes();
    let overlaps = crate::draw::text_box::overlapping_pairs(&boxes);
    assert!(overlaps.is_empty(), "{overlaps:?}");
}

#[test]
fn a_frame_range_and_the_rows_on_screen_take_whole_rows_with_their_labels() {
    let session = load("real", "seed_close_immediately.pcap");
    for compact in [false, true] {
        let ladder = layout(&session.connection(0).unwrap(), &LadderOptions { compact, ..LadderOptions::default() });
        let (four, seven) = (&ladder.arrows[3], &ladder.arrows[6]);
        let label_top = four.label_lines()[0].1 - 12.0;
        let (top, bottom) = ladder.frames_span(4, 7).unwrap();
        assert!(top <= label_top && top > ladder.arrows[2].y2, "frames 4–7 start at {top}: frame 4's label from {label_top}, frame 3 ends at {}", ladder.arrows[2].y2);
        assert!(bottom >= seven.y1.max(seven.y2) && bottom < ladder.arrows[7].label_lines()[0].1, "frames 4–7 end at {bottom}");
        assert_eq!(ladder.frames_span(400, 500), None);
        // An edge through frame 4's label takes the label whole, and its arrow.
        let (t, b) = ladder.whole_rows(four.label_y - 2.0, four.label_y);
        assert!(t <= label_top && b >= four.y1.max(four.y2), "rows cut at frame 4's label: {t}..{b}");
    }
}
