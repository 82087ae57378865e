//! Issue #26's second part, below the page: two captures read in slices by the worker's
//! `TwoPoints` (what the page shows is what `tcp-ladder merge` says), an offset set by hand
//! (delays move by exactly the difference; the estimate and its bound stay beside it), the
//! answering end's own time told from the path's (against the delayed_ack program's 100 ms
//! wait and the relay's 15 ms each way), a capture damaged part-way, and the delay plot.
#![cfg(not(target_arch = "wasm32"))]

mod common;

use std::path::PathBuf;

use tcp_ladder::diagram::merged_delays::{delay_plot, PLOT_HEIGHT, PLOT_WIDTH};
use tcp_ladder::diagram::merged_words::connection_lines;
use tcp_ladder::merge::{merge, merge_with, MergeOptions};
use tcp_ladder::service::two_points::{TwoPoints, ROWS_SHOWN};
use tcp_ladder::session::analyze_bytes;

fn lossy(name: &str) -> PathBuf {
    common::corpus_dir("lossy").join(name)
}

fn pair(scenario: &str) -> (Vec<u8>, Vec<u8>) {
    (std::fs::read(lossy(&format!("{scenario}_at_sender.pcap"))).unwrap(), std::fs::read(lossy(&format!("{scenario}_at_receiver.pcap"))).unwrap())
}

/// The two files through `TwoPoints` as the worker reads them: 4 KiB slices, A then B.
fn read_two(a: &[u8], b: &[u8]) -> TwoPoints {
    let mut two = TwoPoints::new(["a.pcap".into(), "b.pcap".into()], [a.len() as u64, b.len() as u64]);
    for (k, bytes) in [a, b].into_iter().enumerate() {
        for piece in bytes.chunks(4096) {
            two.push(k, piece).unwrap();
            if !two.wants_more(k) {
                break;
            }
        }
    }
    two
}

#[test]
fn the_page_shows_what_merge_says() {
    let (a, b) = pair("drop_mid");
    let m = merge(&analyze_bytes(&a).unwrap(), &analyze_bytes(&b).unwrap());
    let c = &m.connections[0];
    let mut two = read_two(&a, &b);
    let view = two.finish().unwrap();
    assert!(view.notes.is_empty(), "{:?}", view.notes);
    assert_eq!(view.pairs.len(), 1);
    let shown = view.shown.unwrap();
    assert_eq!(shown.lines, connection_lines(c));
    assert_eq!((shown.offset_ns, shown.estimated_offset_ns, shown.uncertainty_ns, shown.offset_by_hand), (c.offset_ns, c.offset_ns, c.uncertainty_ns, false));
    // One row per segment, in merge's order; the one the relay dropped (frame 128 of A) lost
    // between the points, with its cross, and no other.
    let l = &shown.ladder;
    assert_eq!((l.rows.len(), l.rows_total), (c.rows.len().min(ROWS_SHOWN), c.rows.len()));
    let lost: Vec<_> = l.rows.iter().filter(|r| r.fate == "lost_between").collect();
    assert_eq!(lost.len(), 1);
    assert_eq!((lost[0].frame_a, lost[0].frame_b, lost[0].cross.is_some()), (Some(128), None, true));
    assert_eq!(l.columns.iter().filter(|c| c.point).map(|c| c.head.as_str()).collect::<Vec<_>>(), ["A", "B"]);
    // Each matched row's note is its delay as merge computed it.
    for (row, m) in l.rows.iter().zip(&c.rows) {
        assert_eq!((row.frame_a, row.frame_b), (m.frame_a, m.frame_b));
        if let Some(d) = m.delay_ns {
            assert_eq!(row.note, format!("{:.3} ms between the points", d / 1e6));
        }
    }
}

#[test]
fn an_offset_set_by_hand_moves_each_delay_by_the_difference_and_keeps_the_estimate() {
    let (a, b) = pair("drop_mid");
    let (sa, sb) = (analyze_bytes(&a).unwrap(), analyze_bytes(&b).unwrap());
    let estimate = &merge(&sa, &sb).connections[0];
    let hand = -2_500_000i64;
    let set = &merge_with(&sa, &sb, &MergeOptions { offset_ns: Some(hand) }).connections[0];
    assert_eq!((set.offset_ns, set.offset_by_hand, set.estimated_offset_ns, set.uncertainty_ns), (Some(hand), true, estimate.offset_ns, estimate.uncertainty_ns));
    // (No drift is fitted on this 0.4 s connection: the estimate is one offset too.) B's
    // clock 2.5 ms behind where the packets put it: A → B delays grow by the difference,
    // B → A ones shrink by it.
    let diff = (estimate.offset_ns.unwrap() - hand) as f64;
    assert!(estimate.drift_ppm.is_none());
    let mut compared = 0;
    for (e, s) in estimate.rows.iter().zip(&set.rows) {
        assert_eq!((e.frame_a, e.frame_b, e.fate), (s.frame_a, s.frame_b, s.fate));
        if let (Some(de), Some(ds)) = (e.delay_ns, s.delay_ns) {
            let expected = if e.from_client { de + diff } else { de - diff };
            assert!((ds - expected).abs() < 2.0, "frame A#{:?}: {ds} ns against {expected}", e.frame_a);
            compared += 1;
        }
    }
    assert_eq!(compared, estimate.segments_matched);
    // The words say it was set by hand, with the estimate beside it, and that some segment
    // now arrives before it left (B → A delays of 15 ms less 15.5 ms).
    let words = connection_lines(set).join("\n");
    assert!(
        words.contains("-2.500 ms, set by hand, no drift; the delays below are the ones it gives. The packets' estimate: +0.013 ms if the path's fixed delay is the same both ways; any offset from -15.015 to +15.041 ms keeps every delay between the points at or above 0"),
        "{words}"
    );
    let far = &merge_with(&sa, &sb, &MergeOptions { offset_ns: Some(-20_000_000) }).connections[0];
    let far_words = connection_lines(far).join("\n");
    let early = far.rows.iter().filter(|r| !r.from_client && r.delay_ns.is_some_and(|d| d < 0.0)).count();
    assert_eq!(early, far.path_ms.b_to_a.as_ref().unwrap().segments, "every B → A segment early at -20 ms");
    assert!(far_words.contains(&format!("with this offset {early} of the {early} B → A segments reach A before they passed B (by up to 4.985 ms)")), "{far_words}");
    assert!(!words.contains("before they passed"), "{words}");
    // The page's view with the offset: the same.
    let mut two = read_two(&a, &b);
    two.finish().unwrap();
    let view = two.view(0, Some(hand), 0, false).shown.unwrap();
    assert_eq!((view.offset_ns, view.offset_by_hand, view.estimated_offset_ns), (Some(hand), true, estimate.offset_ns));
    assert!(view.ladder.title.ends_with("-2.500 ms (set by hand)"), "{}", view.ladder.title);
}

/// delayed_ack's program: 40 requests of 100 bytes; the server waits 100 ms after each has
/// arrived, then answers 1 000 bytes (tests/captures/lossy/programs.py); the relay between the
/// points holds every frame 15 ms each way. The point at the server sees the 100 ms; the point
/// at the client sees that and the 30 ms there and back.
#[test]
fn the_servers_own_time_is_told_from_the_paths() {
    let (a, b) = pair("delayed_ack");
    let c = &merge(&analyze_bytes(&a).unwrap(), &analyze_bytes(&b).unwrap()).connections[0];
    let answers: Vec<_> = c.turns.iter().filter(|t| t.next_sender == "server").collect();
    assert_eq!(answers.len(), 40, "{:?}", c.turns);
    let median = |turns: &[&tcp_ladder::merge::Turn], f: &dyn Fn(&tcp_ladder::merge::Turn) -> f64| {
        let mut v: Vec<f64> = turns.iter().map(|t| f(t)).collect();
        v.sort_by(f64::total_cmp);
        v[v.len() / 2]
    };
    let (own, path) = (median(&answers, &|t| t.near_next_sender_ms), median(&answers, &|t| t.round_trip_between_points_ms));
    assert!((100.0..101.5).contains(&own), "the server's own time {own} ms");
    assert!((30.0..31.5).contains(&path), "there and back between the points {path} ms");
    for t in &answers {
        // Each gap is read on one clock: the two agree with the difference.
        assert!((t.near_other_ms - t.near_next_sender_ms - t.round_trip_between_points_ms).abs() < 1e-9);
        assert!(t.near_next_sender_ms >= 100.0, "{t:?}");
    }
    // The client's own 20 ms between an answer and its next request, told the same way.
    let requests: Vec<_> = c.turns.iter().filter(|t| t.next_sender == "client").collect();
    assert_eq!(requests.len(), 39);
    let client_own = median(&requests, &|t| t.near_next_sender_ms);
    assert!((20.0..21.5).contains(&client_own), "the client's own time {client_own} ms");
    let words = connection_lines(c).join("\n");
    assert!(words.contains("40 times the server sent data after the client's: per turn, median 100."), "{words}");
    assert!(words.contains("39 times the client sent data after the server's: per turn, median 20."), "{words}");
    // No offset enters the turns: one set far off by hand changes none of them.
    for hand in [-150_000_000, -50_000_000, 120_000_000] {
        let set = &merge_with(&analyze_bytes(&a).unwrap(), &analyze_bytes(&b).unwrap(), &MergeOptions { offset_ns: Some(hand) }).connections[0];
        assert_eq!(set.turns, c.turns, "offset {hand} ns");
    }
    // A bulk transfer has no answer to time.
    let (a, b) = pair("drop_mid");
    assert!(merge(&analyze_bytes(&a).unwrap(), &analyze_bytes(&b).unwrap()).connections[0].turns.is_empty());
}

#[test]
fn a_capture_damaged_part_way_is_merged_up_to_the_damage_and_says_where() {
    let (a, b) = pair("drop_mid");
    // B cut in the middle of a record: what came before it is still read.
    let cut = &b[..b.len() / 2 + 7];
    let mut two = read_two(&a, cut);
    let view = two.finish().unwrap();
    assert!(view.notes.iter().any(|n| n.starts_with("b.pcap (B):") && n.contains("what came before is merged")), "{:?}", view.notes);
    let shown = view.shown.unwrap();
    // The segments after the cut are "the other capture was not running", never lost.
    assert!(shown.ladder.rows.iter().all(|r| r.fate != "lost_between" || r.frame_a == Some(128)));
    assert!(shown.ladder.rows.iter().any(|r| r.fate == "other_capture_not_running"));
    // A file that is no capture at all: said, with its name.
    let mut two = TwoPoints::new(["a.pcap".into(), "notes.txt".into()], [a.len() as u64, 12]);
    for piece in a.chunks(65536) {
        two.push(0, piece).unwrap();
    }
    // (Twelve bytes are too few to tell on their own: the end of the file tells.)
    let refused = two.push(1, b"hello, world").and_then(|_| two.finish().map(|_| ())).unwrap_err();
    assert!(refused.starts_with("notes.txt: "), "{refused}");
}

#[test]
fn the_delay_plot_keeps_two_points_a_column_inside_its_frame() {
    for scenario in ["drop_mid", "receiver_limited", "spurious_fast"] {
        let (a, b) = pair(scenario);
        let c = &merge(&analyze_bytes(&a).unwrap(), &analyze_bytes(&b).unwrap()).connections[0];
        let plot = delay_plot(c).unwrap();
        assert_eq!(plot.ways.len(), 2, "{scenario}");
        assert_eq!(plot.ways.iter().map(|w| w.segments).sum::<usize>(), c.segments_matched, "{scenario}");
        for w in &plot.ways {
            assert!(w.points.len() <= 2 * PLOT_WIDTH as usize, "{scenario}: {} points", w.points.len());
            assert!(w.points.iter().all(|&(x, y)| (0.0..=PLOT_WIDTH).contains(&x) && (0.0..=PLOT_HEIGHT).contains(&y)), "{scenario}");
            // Column after column (a column's least and most in either order).
            assert!(w.points.windows(2).all(|p| p[0].0.floor() <= p[1].0.floor()), "{scenario}: time order");
        }
        assert_eq!(plot.lost.len(), c.lost_between.len(), "{scenario}");
        assert!(plot.y_ticks.len() >= 3 && plot.x_ticks.len() >= 3, "{scenario}: {:?} {:?}", plot.y_ticks, plot.x_ticks);
    }
}

/// "Hide addresses" in the merged view: no address or port of either point in anything the
/// page gets (its lines, its chooser, its ladder's title); a NAT's rewriting still said, by role.
#[test]
fn hidden_addresses_leave_no_address_in_the_merged_view() {
    let dir = common::corpus_dir("twopoint");
    let (a, b) = (std::fs::read(dir.join("nat_at_client.pcap")).unwrap(), std::fs::read(dir.join("nat_at_server.pcap")).unwrap());
    let mut two = read_two(&a, &b);
    let shown = two.finish().unwrap();
    let text = serde_json::to_string(&shown).unwrap();
    assert!(text.contains("10.79.1.1:45001") && text.contains("10.79.2.254:61042"), "the addresses are shown when not hidden");
    let hidden = serde_json::to_string(&two.view(0, None, 0, true)).unwrap();
    for leak in ["10.79.", "45001", "61042", "48201"] {
        assert!(!hidden.contains(leak), "{leak} in {hidden}");
    }
    assert!(hidden.contains("client (at A) → server at A, client (at B) → server at B (rewritten between the points: a NAT)"), "{hidden}");
}