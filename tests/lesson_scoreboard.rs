//! The lesson's scoreboard (issue #23) against the relays' logs of tests/captures/lossy/: the
//! holes the data sender's scoreboard shows are exactly the segments the relay dropped, held or
//! reordered; a hole closes when the bytes are cumulatively acknowledged; the receiver holds
//! the bytes after the hole beyond its RCV.NXT meanwhile. Read at both capture points.
#![cfg(not(target_arch = "wasm32"))]

mod common;

use common::{corpus_dir, read};
use serde_json::Value;
use tcp_ladder::diagram::lesson::lesson_step;
use tcp_ladder::session::analyze_bytes;
use tcp_ladder::tcp::scoreboard::{Piece, Scoreboard};

/// The client → server segments the relay did not forward at once: (seq, len, action).
fn relay_faults(name: &str) -> Vec<(u32, u32, String)> {
    let text = String::from_utf8(read(&corpus_dir("lossy").join(format!("truth/{name}.relay.jsonl")))).unwrap();
    text.lines()
        .map(|l| serde_json::from_str::<Value>(l).unwrap())
        .filter(|v| v["dir"] == "c2s" && v["action"].as_str().is_some_and(|a| a != "forward" && a != "reorder_release"))
        .map(|v| (v["seq"].as_u64().unwrap() as u32, v["len"].as_u64().unwrap() as u32, v["action"].as_str().unwrap().to_string()))
        .collect()
}

/// Per step: the client's holes (start, end, resent) and the server's RCV.NXT and held ranges.
struct Seen {
    holes: Vec<Vec<(u32, u32, bool)>>,
    server_nxt: Vec<Option<u32>>,
    server_held: Vec<Vec<(u32, u32)>>,
}

fn replay(file: &str) -> Seen {
    let session = analyze_bytes(&read(&corpus_dir("lossy").join(file))).unwrap();
    let conn = session.connection(0).unwrap();
    let mut board = Scoreboard::default();
    let mut seen = Seen { holes: Vec::new(), server_nxt: Vec::new(), server_held: Vec::new() };
    for p in conn.packets() {
        board.add(&p);
        seen.holes.push(board.outstanding(true).iter().filter(|r| r.piece == Piece::Hole).map(|r| (r.start, r.end, r.resent)).collect());
        seen.server_nxt.push(board.rcv_nxt(false));
        seen.server_held.push(board.held(false));
    }
    seen
}

#[test]
fn drop_mid_shows_exactly_the_dropped_segment_as_the_hole_until_its_resend_is_acknowledged() {
    let faults = relay_faults("drop_mid");
    assert_eq!(faults.len(), 1, "{faults:?}");
    let (seq, len, _) = faults[0];
    assert_eq!(seq, 143353);
    for at in ["sender", "receiver"] {
        let seen = replay(&format!("drop_mid_at_{at}.pcap"));
        let with_hole: Vec<usize> = (0..seen.holes.len()).filter(|&i| !seen.holes[i].is_empty()).collect();
        assert!(!with_hole.is_empty(), "{at}: no hole shown");
        // One unbroken run of steps, always the one dropped segment.
        let (first, last) = (with_hole[0], *with_hole.last().unwrap());
        assert_eq!(with_hole.len(), last - first + 1, "{at}: the hole closed and opened again");
        for &i in &with_hole {
            let h = &seen.holes[i];
            assert!(h.len() == 1 && h[0].0 == seq && h[0].1 == seq + len, "{at} step {i}: {h:?}");
            // Meanwhile the receiver is missing exactly those bytes, holding what came after.
            if at == "receiver" && !h[0].2 {
                assert_eq!(seen.server_nxt[i], Some(seq), "{at} step {i}");
                assert_eq!(seen.server_held[i].first().map(|r| r.0), Some(seq + len), "{at} step {i}");
            }
        }
        // It is marked resent before it closes, and it closes once the resend is acknowledged.
        assert!(seen.holes[last][0].2, "{at}: the resend is not shown");
        assert!(seen.server_nxt[last + 1].is_some_and(|n| n > seq + len), "{at}: closed at step {} without the ACK", last + 1);
        assert!(seen.server_held[last + 1].is_empty() || seen.server_held[last + 1][0].0 > seq + len);
    }
}

#[test]
fn reorder_shows_the_late_segment_as_a_hole_never_resent() {
    let faults = relay_faults("reorder");
    let (seq, len, _) = faults[0];
    for at in ["sender", "receiver"] {
        let seen = replay(&format!("reorder_at_{at}.pcap"));
        let holes: Vec<_> = seen.holes.iter().flatten().collect();
        assert!(!holes.is_empty(), "{at}: the SACK above the late segment shows no hole");
        assert!(holes.iter().all(|h| h.0 == seq && h.1 == seq + len && !h.2), "{at}: {holes:?}");
        assert!(seen.holes.last().unwrap().is_empty());
    }
}

/// In every lossy scenario, a hole is a segment the relay did not forward at once.
#[test]
fn every_hole_is_a_segment_the_relay_held_back() {
    let dir = corpus_dir("lossy");
    let mut problems = Vec::new();
    for entry in std::fs::read_dir(dir.join("truth")).unwrap() {
        let path = entry.unwrap().path();
        let Some(name) = path.file_name().unwrap().to_str().unwrap().strip_suffix(".relay.jsonl") else { continue };
        let faults = relay_faults(name);
        for at in ["sender", "receiver"] {
            let seen = replay(&format!("{name}_at_{at}.pcap"));
            for h in seen.holes.iter().flatten() {
                // A hole may span several segments held back one after another.
                let covered = |s: u32| faults.iter().any(|f| f.0 <= s && s < f.0 + f.1);
                if !(covered(h.0) && covered(h.1 - 1)) {
                    problems.push(format!("{name} at {at}: hole {h:?} not among {faults:?}"));
                    break;
                }
            }
        }
    }
    assert!(problems.is_empty(), "{problems:#?}");
}

/// The lesson step carries the same scoreboard.
#[test]
fn the_lesson_shows_the_scoreboard() {
    let session = analyze_bytes(&read(&corpus_dir("lossy").join("drop_mid_at_receiver.pcap"))).unwrap();
    let conn = session.connection(0).unwrap();
    let seen = replay("drop_mid_at_receiver.pcap");
    let i = seen.holes.iter().position(|h| !h.is_empty()).unwrap();
    let step = lesson_step(&conn, i).unwrap();
    let holes: Vec<_> = step.sides[0].board.outstanding.iter().filter(|r| r.piece == Piece::Hole).map(|r| r.start).collect();
    assert_eq!(holes, [143353]);
    assert_eq!(step.sides[1].board.held.first().map(|r| r.0), Some(143353 + 1448));
}

/// Over every capture of tests/captures/ (the first connections, the first steps of each): a
/// FIN's receiver that moves at the FIN's step (CLOSE-WAIT, CLOSING, TIME-WAIT) shows the FIN
/// in its RCV.NXT at that same step, an endpoint that sent a SYN has SND.UNA, and an endpoint
/// in SYN-RECEIVED or later with an RCV.NXT gets the window test.
#[test]
fn the_variables_move_with_the_state_on_every_capture() {
    let mut problems = Vec::new();
    let mut fins = 0;
    for path in common::every_capture() {
        let Ok(session) = analyze_bytes(&read(&path)) else { continue };
        for stream in 0..session.streams().len().min(4) as u32 {
            let Ok(conn) = session.connection(stream) else { continue };
            let packets: Vec<_> = conn.packets().take(120).collect();
            for (i, p) in packets.iter().enumerate() {
                let f = p.segment.flags;
                let step = lesson_step(&conn, i).unwrap();
                let receiver = &step.sides[usize::from(p.from_client)];
                let value = |side: &tcp_ladder::diagram::lesson::SideView, name: &str| side.variables.iter().find(|v| v.name == name).unwrap().value;
                // (Not after bytes the capture missed: the replay holds such a FIN out of order
                // until the receiver's ACK says it had the bytes before it.)
                let gap = p.analysis.flags.has(tcp_ladder::tcp::analysis::AnalysisFlags::LOST_SEGMENT);
                if f.fin() && !f.rst() && !gap && receiver.from.is_some() && matches!(receiver.state, "CLOSE-WAIT" | "CLOSING" | "TIME-WAIT") {
                    fins += 1;
                    if value(receiver, "RCV.NXT") != Some(p.next_seq()) {
                        problems.push(format!("{} stream {stream} step {i}: {} with RCV.NXT {:?}, the FIN ends at {}", path.display(), receiver.state, value(receiver, "RCV.NXT"), p.next_seq()));
                    }
                }
                let sender = &step.sides[usize::from(!p.from_client)];
                if f.syn() && value(sender, "SND.UNA").is_none() {
                    problems.push(format!("{} stream {stream} step {i}: SYN sent, SND.UNA unknown", path.display()));
                }
                if step.acceptability.text.contains("no RCV.NXT") && !matches!(receiver.from.as_deref().unwrap_or(""), "LISTEN" | "SYN-SENT") && value(receiver, "RCV.NXT").is_some() && step.index > 0 {
                    let before = lesson_step(&conn, i - 1).unwrap();
                    let state = before.sides[usize::from(p.from_client)].state;
                    if !matches!(state, "LISTEN" | "SYN-SENT" | "CLOSED") {
                        problems.push(format!("{} stream {stream} step {i}: {state} told it has no RCV.NXT", path.display()));
                    }
                }
            }
        }
    }
    assert!(fins > 10, "only {fins} FINs checked");
    assert!(problems.is_empty(), "{} problems: {:#?}", problems.len(), &problems[..problems.len().min(20)]);
}
