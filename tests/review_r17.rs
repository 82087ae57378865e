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
