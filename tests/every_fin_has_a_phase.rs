//! A FIN in the capture is part of a phase that tells the close (R6b U2): ndpi_1kxun streams 2,
//! 19, 20 and 29 each hold one side's FIN and none of the other's, and their phases listed no
//! close at all — the connection seemed to end in its data transfer. Every connection of every
//! capture: each FIN lies inside a close, reset, half-close or handshake phase (a SYN-FIN
//! probe's), and a lone FIN at the end says the close is not complete.
#![cfg(not(target_arch = "wasm32"))]

mod common;

use common::{every_capture, read};
use tcp_ladder::report::story::story;
use tcp_ladder::session::analyze_bytes;

#[test]
fn every_fin_lies_in_a_phase_that_tells_the_close() {
    let (mut fins, mut lone, mut problems) = (0usize, 0usize, Vec::new());
    for path in every_capture() {
        let Ok(session) = analyze_bytes(&read(&path)) else { continue };
        for s in session.streams().iter() {
            let Ok(conn) = session.connection(s.index) else { continue };
            let told = story(&conn);
            let packets: Vec<_> = conn.packets().filter(|p| p.flags_captured()).collect();
            let fin_sides: Vec<bool> = packets.iter().filter(|p| p.segment.flags.fin()).map(|p| p.from_client).collect();
            for p in packets.iter().filter(|p| p.segment.flags.fin()) {
                fins += 1;
                let covered = told.phases.iter().any(|ph| ph.kind != "data" && (ph.first_frame..=ph.last_frame).contains(&p.frame));
                if !covered {
                    problems.push(format!("{} stream {}: FIN in frame {} in no close phase", path.display(), s.index, p.frame));
                }
            }
            let one_side = !fin_sides.is_empty() && fin_sides.iter().all(|&c| c == fin_sides[0]);
            let reset = packets.iter().any(|p| p.segment.flags.rst());
            if one_side && !reset {
                if let Some(ph) = told.phases.iter().find(|ph| ph.kind == "half_close" && ph.title.starts_with("Half-closed at the end")) {
                    lone += 1;
                    assert!(ph.caption.contains("not complete"), "{}: {}", path.display(), ph.caption);
                }
            }
        }
    }
    assert!(fins >= 300 && lone >= 4, "{fins} FINs, {lone} lone FINs at the end");
    assert!(problems.is_empty(), "{}:\n{}", problems.len(), problems.join("\n"));
}
