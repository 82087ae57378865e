//! What the readings of session 22 found false (R13b-5, and R17's over the sentences of
//! 830ad19), each against the packets that show it (the frames are in the reports' words).
#![cfg(not(target_arch = "wasm32"))]

mod common;

use common::segment_words;
use tcp_ladder::tcp::bytes_not_taken::NotTakenEvidence;
use tcp_ladder::tcp::lifecycle::CloseShape;
use tcp_ladder::tcp::time_split::{time_split, TimeKind};

/// R13b-5: ndpi_heuristic_tcp_ack_payload. Every "pure" ACK carries a few zero bytes in its IP
/// length (client 2, server 6) that the receiver never acknowledges and the sender does not
/// count: stream 2 frame 149 (client seq=1357, 2 × 00) is followed by frame 150 at the same
/// seq=1357 with 46 other bytes, acknowledged by frame 151 (ack=1403 = 1357 + 46). Those bytes
/// are no data: frame 149 is an ACK (no piggyback, no resend in frame 150), and the 57.8 s
/// after it are the client's application, not "network / congestion".
#[test]
fn zero_bytes_no_end_took_are_not_data() {
    let session = common::shared_session("ndpi_heuristic_tcp_ack_payload.pcap");
    let conn = session.connection(2).unwrap();
    let found = |frame: u64| conn.not_taken().iter().find(|n| n.frame == frame).map(|n| n.evidence);
    assert_eq!(found(149), Some(NotTakenEvidence::SenderReused { frame: 150, fin: false }));
    // Frame 155: the client's FIN with 2 zeros at seq=1480; the server's frame 158 acks 1481.
    assert_eq!(found(155), Some(NotTakenEvidence::FinTakenAlone { frame: 158 }));
    // Frame 160: 2 zeros at seq=1481, after that FIN.
    assert_eq!(found(160), Some(NotTakenEvidence::AfterFin { fin_frame: 155 }));
    // Real data is untouched: frame 150's 46 bytes, and no segment with non-zero bytes.
    assert_eq!(found(150), None);
    let p149 = conn.packets().find(|p| p.frame == 149).unwrap();
    assert_eq!(p149.segment.payload_len, 0);
    let as_captured = (0..conn.len()).filter_map(|i| conn.packet_as_captured(i)).find(|p| p.frame == 149).unwrap();
    assert_eq!(as_captured.segment.payload_len, 2, "Wireshark's tcp.len stays where it is asked for");

    let words = segment_words(&session, 2, 149);
    assert!(!words.contains("piggybacked") && words.contains("no data of the stream") && words.contains("frame 150"), "{words}");
    let words = segment_words(&session, 2, 150);
    assert!(!words.contains("Sent again") && !words.contains("Retransmission"), "{words}");

    let packets: Vec<_> = conn.packets().collect();
    let split = time_split(&packets);
    let start = packets[0].time_ns;
    let at = 80_000_000_000i64; // 80 s in: between frame 149 (59.2 s) and frame 150 (117.0 s)
    let part = split.parts.iter().find(|p| p.start_ns <= at && p.end_ns > at).expect("a part covers it");
    assert_ne!(part.kind, TimeKind::Network, "{part:?} (start {start})");
}

/// R13b-5 addendum 2: the closes of that capture. Stream 1: client FIN with 2 zeros (frame 80,
/// seq=497); the server's FIN,ACK (81) acks 498 = the FIN alone; the client acks the server's
/// FIN (82): a three-segment close, not FINs that "crossed". Stream 0: server FIN (60), the
/// client's ACK (61) and FIN (62), the server's ACK (63): four segments.
#[test]
fn a_fin_taken_without_its_zeros_closes_as_the_acks_say() {
    let session = common::shared_session("ndpi_heuristic_tcp_ack_payload.pcap");
    let close = |stream: usize| session.streams().get(stream).unwrap().lifecycle.shapes().close;
    assert_eq!(close(1), Some(CloseShape::ThreeSegment));
    assert_eq!(close(0), Some(CloseShape::FourWay));
    for (stream, frame) in [(1u32, 81u64), (0, 62)] {
        let words = segment_words(&session, stream, frame);
        assert!(!words.contains("crossed") && !words.contains("Sent again"), "stream {stream} frame {frame}: {words}");
    }
}

fn repo_session(folder: &str, file: &str) -> tcp_ladder::session::Session {
    let path = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/captures").join(folder).join(file);
    tcp_ladder::session::analyze_bytes(&common::read(&path)).unwrap()
}

fn congestion_lines(session: &tcp_ladder::session::Session, stream: u32) -> Vec<String> {
    tcp_ladder::report::story::story(&session.connection(stream).unwrap()).congestion.sentences
}

/// R17a-4: real/simultaneous_open. Frames 1/2 the two SYNs, 3 the client's SYN-ACK, 4 the
/// server's SYN-ACK (both 0.014 ms: they crossed), 5 the server's ACK with a D-SACK of frame 3's
/// SYN. Frame 4 answers the SYN of frame 1; it cannot show frame 3 processed. Frame 5 does.
#[test]
fn a_simultaneous_opens_syn_ack_is_confirmed_by_what_was_sent_after_it() {
    let session = repo_session("real", "simultaneous_open.pcap");
    let conn = session.connection(0).unwrap();
    let server = &conn.states().sides[1];
    let established = server.iter().find(|c| c.state == tcp_ladder::tcp::lifecycle::TcpState::Established).expect("the server is established");
    assert_eq!((established.cause, established.by), (3, Some(5)), "{established:?}");
}

/// R17a-3 and R17b-8: the application-limited words named a round's last segment short where
/// the short one came first (app_limited: 552 bytes, the rest of a 2000-byte write, then the next
/// write's full 1448) or where the last was the largest (1000-requests: 238 and 615 bytes).
/// They now say which segment was short. R17b-7: zeek_http_206_example_b stream 1, rounds of
/// 5, 8, 11, 17, 26 and 42 segments with a 1068- or 332-byte segment inside a burst: the
/// sender cutting what it had, not its queue running dry — not application-limited.
#[test]
fn application_limited_rounds_name_their_short_segment() {
    let session = repo_session("lossy", "app_limited_at_sender.pcap");
    let lines = congestion_lines(&session, 0);
    let app = lines.iter().find(|l| l.contains("application-limited")).expect("application-limited rounds");
    assert!(!app.contains("ended on a segment shorter"), "{app}");
    assert!(app.contains("frame 5: 552 bytes against 1448"), "{app}");

    let session = common::shared_session("zeek_http_206_example_b.pcap");
    for line in congestion_lines(&session, 1) {
        assert!(!(line.contains("application-limited") && line.contains("frames 1316")), "{line}");
    }
}

/// R17b-13: zeek_tcp_timestamp, captured next to the client (the server 25.4 ms away). The
/// server's frames 358 and 359 leave 0.1 ms apart echoing the same TSval (602505269): the
/// client's later ACKs had not reached it, so no round of the server's ends between them.
#[test]
fn a_round_does_not_end_between_segments_that_echo_the_same_ack() {
    let session = common::shared_session("zeek_tcp_timestamp.pcap");
    let conn = session.connection(0).unwrap();
    let congestion = tcp_ladder::tcp::congestion::congestion(&conn.packets().collect::<Vec<_>>());
    let server = congestion.directions.iter().find(|d| !d.from_client).expect("the server's rounds");
    let split = server.rounds.iter().any(|r| r.last_frame == 358);
    assert!(!split, "{:?}", server.rounds.iter().map(|r| (r.number, r.first_frame, r.last_frame)).collect::<Vec<_>>());
}

/// R17b-18: ndpi_rtsp stream 4: frames 289–292 one SYN (IPv4 id 0x575b) captured four times,
/// refused by RST (293); 297–300 the same SYN sent again 505 ms later (id 0x575c), four times
/// too. Sent twice, captured eight times — not "SYN sent 8 times".
#[test]
fn syn_copies_are_not_syns_sent_again() {
    let session = common::shared_session("ndpi_rtsp.pcap");
    let ladder = tcp_ladder::diagram::layout(&session.connection(4).unwrap(), &tcp_ladder::diagram::LadderOptions::default());
    let title = &ladder.phases[0].title;
    assert!(title.contains("SYN sent 2 times (captured 8 times)"), "{title}");
    assert!(!ladder.phases[0].caption.contains("sent its SYN again 7"), "{}", ladder.phases[0].caption);
}
