//! What the reading R48 (session 31's, of every sentence on every capture) found, each fix
//! against the packets that show it.
#![cfg(not(target_arch = "wasm32"))]

use tcp_ladder::tcp::congestion::congestion;
use tcp_ladder::tcp::congestion_phase::Phase;

mod common;

/// R48C-1: zeek_tcp_reassembly stream 0 — after the timeouts of rounds 5–12 everything was
/// acknowledged (frame 78); 280 ms later the client sent one segment (frame 79), its ACK (80),
/// then a short one 30 ms after that (81). Round 13's one segment was told "congestion
/// avoidance … 1 segment in the last": in congestion avoidance a window is two segments at least
/// (RFC 5681 §3.1's floor for the threshold), so one segment shows no phase.
#[test]
fn one_segment_is_no_congestion_avoidance() {
    let told = common::story_text(&common::shared_session("zeek_tcp_reassembly.pcap"), 0);
    let line = told.lines().find(|l| l.contains("client round 13 (frame 79)")).unwrap_or_default();
    assert!(line.contains("one segment in flight, no more than the round before") && !line.contains("congestion avoidance:"), "{told}");
    let mut one = 0;
    common::each_connection(&common::every_capture(), |_, name, stream, conn| {
        let p: Vec<_> = conn.packets().collect();
        for d in congestion(&p).directions {
            for r in &d.rounds {
                assert!(!(r.phase == Phase::CongestionAvoidance && r.max_flight_segments <= 1), "{name} stream {stream} round {}", r.number);
                one += usize::from(r.phase == Phase::OneSegment);
            }
        }
    });
    println!("{one} rounds of one segment");
}
