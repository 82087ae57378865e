//! What the fourteenth independent reading (R14, the sentences session 20 changed) found false
//! or misleading, each against the packets that show it (the frames are in the report's words).
#![cfg(not(target_arch = "wasm32"))]

mod common;

use common::segment_words;
use tcp_ladder::tcp::time_split::{time_split, TimeKind};

/// R14-8: zeek_tcp_reassembly stream 0. The client's data 50–62 lies above a hole at 11943 that
/// nine duplicate ACKs (49–63, to 3.630 s) report; 4.010 s of silence, then the hole resent
/// (frame 64, 7.640 s) and more resends (66–74) until ACK 76 (8.930 s) and new data 77
/// (8.960 s). A retransmission timeout and its recovery, with 7.5 kB outstanding: the network's
/// time, not an application with nothing to send. The server sends no timestamps, so the
/// client's TSecr never moves and cannot say that no ACK reached it.
#[test]
fn a_timeout_and_its_resends_are_the_network_not_the_application() {
    let session = common::shared_session("zeek_tcp_reassembly.pcap");
    let packets: Vec<_> = session.connection(0).unwrap().packets().collect();
    let split = time_split(&packets);
    let (rto, resend) = (3_700_000_000i64, 8_000_000_000i64);
    for at in [rto, resend] {
        let part = split.parts.iter().find(|p| p.start_ns <= at && p.end_ns > at).expect("a part covers the wait");
        assert_eq!(part.kind, TimeKind::Network, "{part:?}");
        assert_eq!(part.client, Some(true), "{part:?}");
    }
    // A part's frames lie within its times: none begins at a frame captured after its start.
    let times: std::collections::HashMap<u64, i64> = packets.iter().map(|p| (p.frame, p.time_ns - packets[0].time_ns)).collect();
    for part in &split.parts {
        let first = times[&part.first_frame];
        assert!(first <= part.start_ns + 1_000_000, "{part:?}: frame {} at {first} ns", part.first_frame);
    }
    // Frame 64 (the resent hole) is still explained as the timeout it was.
    assert!(segment_words(&session, 0, 64).contains("timeout"), "{}", segment_words(&session, 0, 64));
}

/// R14-3: ndpi_1kxun holds 219 pure ACKs (streams 1–29), so the capture was not filtered to
/// payload; stream 35 is four data segments with no handshake — a request and an answer whose
/// ACKs all ride on data. Its sentences said "this capture holds no segment without payload
/// (it was filtered to payload)": they now say what this connection shows, and both readings.
#[test]
fn a_connection_without_bare_segments_does_not_say_its_capture_was_filtered() {
    use tcp_ladder::report::story::story;
    let session = common::shared_session("ndpi_1kxun.pcap");
    let bare = session.packets().filter(|p| p.segment.payload_len == 0).count();
    assert!(bare > 200, "{bare} segments without payload in the capture");
    let conn = session.connection(35).unwrap();
    assert!(conn.payload_only());
    let s = story(&conn);
    let words = s.congestion.sentences.iter().chain(&s.time.parts).chain(std::iter::once(&s.time.summary)).cloned().collect::<Vec<_>>().join("\n");
    assert!(!words.contains("this capture holds") && !words.contains("(it was filtered to payload)"), "{words}");
    assert!(words.contains("or caught only an exchange whose every ACK rode on data"), "{words}");
}
