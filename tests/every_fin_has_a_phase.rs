//! A FIN in the capture is part of a phase that tells the close (R6b U2): ndpi_1kxun streams 2,
//! 19, 20 and 29 each hold one side's FIN and none of the other's, and their phases listed no
//! close at all — the connection seemed to end in its data transfer. Every connection of every
//! capture: each FIN lies inside a close, reset, half-close or handshake phase (a SYN-FIN
//! probe's), or is named by the close's caption (sent before the data it follows was all
//! acknowledged: R8a-15), and a lone FIN at the end says the close is not complete.
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
                // A FIN sent before the data it follows was acknowledged lies in the data
                // transfer; the close's caption then names it (R8a-15).
                let named = format!("FIN left in frame {} ", p.frame);
                let covered = told.phases.iter().any(|ph| ph.kind != "data" && ((ph.first_frame..=ph.last_frame).contains(&p.frame) || ph.caption.contains(&named)));
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

/// R8b-15: ndpi_1kxun stream 19 holds the client's bare FIN three times, 18.09 s apart, with
/// nothing from the server and a new TSval each time (three transmissions): no application
/// sends a FIN twice, so the words name the sender's timer as the likely cause, not "not a
/// timer's resend".
#[test]
fn a_bare_fin_sent_again_after_a_long_silence_is_likely_its_timer() {
    let session = analyze_bytes(&read(&common::corpus_dir("public").join("ndpi_1kxun.pcap"))).unwrap();
    let conn = session.connection(19).unwrap();
    let packets: Vec<_> = conn.packets().collect();
    let fins: Vec<_> = packets.iter().filter(|p| p.segment.flags.fin()).collect();
    assert_eq!(fins.len(), 3);
    assert!(packets.iter().all(|p| p.from_client));
    let tsvals: std::collections::BTreeSet<_> = fins.iter().map(|p| p.segment.options.timestamps.map(|t| t.0)).collect();
    assert_eq!(tsvals.len(), 3, "three transmissions");
    let told = story(&conn);
    let caption = &told.recovery[0].caption;
    assert!(caption.contains(&format!("its FIN sent again {} times", fins.len() - 1)) && caption.contains("likely its retransmission timer"), "{caption}");
    assert!(!caption.contains("not a timer's"), "{caption}");
}
