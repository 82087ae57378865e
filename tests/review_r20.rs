//! What the final reading of issue #23 (R20, session 24) found, each against the packets that
//! show it.
#![cfg(not(target_arch = "wasm32"))]

mod common;

/// zeek_tcp_reassembly frame 44 (ack=10471) covers frame 24's bytes 2.231 s after they passed,
/// but the server's frame 43, 80.6 ms earlier, still asked for byte 9023 (frame 22 carried it at
/// 0.66 s; its resend after the timeout is not in the capture): the server lacked that byte,
/// whatever it held beyond it (frame 24 may have waited out of order: no SACK to tell). Before,
/// only "held somewhere on the way", as if frame 24 itself had been.
#[test]
fn an_ack_after_one_that_stopped_below_the_segment_names_the_missing_byte() {
    let session = common::shared_session("zeek_tcp_reassembly.pcap");
    let words = common::segment_words(&session, 0, 44);
    for part in ["It acknowledges frame 24 exactly", "the server's frame 43", "still asked for byte 9023 (ack=9023)", "to frame 24's last (10470)", "whatever it held beyond it", "a copy sent again that this capture does not hold"] {
        assert!(words.contains(part), "{part}: {words}");
    }
    assert!(!words.contains("did not have all of frame 24's bytes"), "{words}");
    // Frame 41's earlier ACK stopped inside the frame it covers: the words for that case stay.
    let words = common::segment_words(&session, 0, 41);
    assert!(words.contains("a byte frame 20 carries, and no further"), "{words}");
}

/// At the data's sender (spurious_at_sender: the relay froze segment 100 and everything behind
/// it for 450 ms), an ACK after one that stopped below its segment says the bytes were held on
/// the way — the capture holds every copy the client sent — or waited in the receiver's queue.
#[test]
fn at_the_sender_a_missing_byte_was_held_not_resent_unseen() {
    let session = tcp_ladder::session::analyze_bytes(&common::read(&common::corpus_dir("lossy").join("spurious_at_sender.pcap"))).unwrap();
    let words = common::segment_words(&session, 0, 206);
    assert!(words.contains("still asked for byte 166521") && words.contains("held that long on the way (this capture, at the client, holds every copy it sent)") && !words.contains("a copy sent again that this capture does not hold"), "{words}");
}

/// R18-17: ndpi_heuristic_tcp_ack_payload stream 5, frame 229 claims 6 bytes (48 11 c6 36 65
/// 00) at 5557; the server's frame 240 puts 0x17 at 5562 and the client acknowledges 5562 (frame
/// 237), never 5563: the last zero was padding the server did not count. Frame 229 carries 5
/// bytes, frame 240 resends nothing (before: "Sent again: these bytes went by before in frame
/// 229", one recovery episode for it, and the server's "Sent again" 4 381 bytes).
#[test]
fn trailing_zeros_the_sender_overwrote_are_no_data() {
    let session = common::shared_session("ndpi_heuristic_tcp_ack_payload.pcap");
    let words = common::segment_words(&session, 5, 229);
    assert!(words.contains("The server sends 5 bytes, sequence numbers 5557 to 5561") && words.contains("its last byte, a zero, is no data of the stream") && words.contains("frame 240"), "{words}");
    let words = common::segment_words(&session, 5, 240);
    assert!(!words.contains("Sent again"), "{words}");
    let told = tcp_ladder::report::story::story(&session.connection(5).unwrap());
    assert!(told.recovery.iter().all(|e| e.episode.first_frame != 240 && !e.caption.contains("reordering")), "{:?}", told.recovery);
    // As analyze counts it too: the story's bytes and analyze's are one computation.
    let conn = session.connection(5).unwrap();
    let packets: Vec<_> = conn.packets().collect();
    assert_eq!(packets.iter().find(|p| p.frame == 229).map(|p| p.segment.payload_len), Some(5));
}

/// Duplicate ACKs whose only SACK block is a D-SACK (bytes below the ack that arrived twice)
/// report no hole: stream 5's frames 248, 258, 265 answer the resends 230–232 of bytes 1–1460;
/// stream 3's frame 171 a second copy of the SYN-ACK (before: "reordering, no loss: 3
/// duplicate ACKs reported a hole, then the original filled it").
#[test]
fn a_dsack_alone_reports_no_hole() {
    let session = common::shared_session("ndpi_heuristic_tcp_ack_payload.pcap");
    for stream in [3, 5] {
        let told = tcp_ladder::report::story::story(&session.connection(stream).unwrap());
        assert!(told.recovery.iter().all(|e| !e.caption.contains("reordering")), "stream {stream}: {:?}", told.recovery);
    }
}
