//! What the reading of session 24's changed lines (R21), R20C-5, and the reading of those
//! fixes (R22) found, each against the packets that show it.
#![cfg(not(target_arch = "wasm32"))]

mod common;

/// R21-3: ndpi_heuristic stream 2, capture 0.14 ms from the client. Frame 123 acknowledges all
/// the client had sent (ack=894) at 147.2 ms; its next record, frame 124, comes 87.8 ms later.
/// The client's IPv4 identification skips one (0x10d9 → 0x10db), but beside the client that is
/// the capture's drop, and the server acknowledged nothing past 894 until 24 ms after frame 124:
/// the pause was the client's own, not "network / congestion" (before: one 115.6 ms part).
#[test]
fn a_skip_beside_the_sender_does_not_make_its_pause_the_networks() {
    let told = common::story_text(&common::shared_session("ndpi_heuristic_tcp_ack_payload.pcap"), 2);
    assert!(!told.contains("(frames 122–124): network / congestion (client), 115.6 ms"), "{told}");
    let line = told.lines().find(|l| l.contains("234.9 ms") && l.contains("(frames 123–123)")).unwrap_or_default();
    assert!(line.contains("sending application (client)"), "{line}");
}

/// R21-4: ndpi_heuristic stream 5's client sent its SYN again (219) after both SYN-ACKs (217,
/// 218) had passed here, and its ACK (220) came 1.8 ms after that second SYN, 2.07 s after the
/// first: the handshake times no path, so no sentence puts this capture "at the server" (it is
/// between the two: capture_point says client 16.6 ms, server 4.09 ms).
#[test]
fn a_handshake_whose_syn_was_sent_again_after_the_syn_ack_places_no_capture() {
    let told = common::story_text(&common::shared_session("ndpi_heuristic_tcp_ack_payload.pcap"), 5);
    assert!(!told.contains("this capture, at the server"), "{told}");
    assert!(told.contains("between the two (one way: client 16.6 ms, server 4.09 ms)"), "{told}");
    // (What frame 270's ACK then says is R22-5's, below.)
}

/// R21-14: ndpi_rtsp stream 4's server answered its SYN in 0.83 ms but data in 0.15–0.23 ms:
/// frame 337 left 0.36 ms after the client's ACK 333 passed here, after it reached the server,
/// so 329 and 337 are two rounds of one segment each (as streams 1–3, 5, 6 are told).
#[test]
fn a_slow_syn_ack_does_not_merge_two_rounds() {
    let words = tcp_ladder::report::story::story(&common::shared_session("ndpi_rtsp.pcap").connection(4).unwrap()).congestion.sentences.join("\n");
    assert!(!words.contains("server round 2 (frames 329–337)") && !words.contains("(up to 2 segments)"), "{words}");
    assert!(words.contains("server rounds 1–3 (frames 317–337): application-limited: one segment a round"), "{words}");
}

/// R20C-5: zeek_tcp_reassembly's frames 7, 26, 35 (1440 bytes recorded) and 39, 85 (1428) were
/// written shorter than their IP length (1500: 1448 payload bytes); the server's ACKs count all
/// 1448 (frame 8 ack=1723 = 275 + 1448). The story counts the IP header's length; Wireshark's
/// tcp.len (and `analyze`'s packets) keep what the frame holds; frame 9's gap was no gap.
#[test]
fn a_frame_recorded_short_counts_what_its_ip_header_claims() {
    let session = common::shared_session("zeek_tcp_reassembly.pcap");
    let words = common::segment_words(&session, 0, 7);
    assert!(words.contains("The client sends 1448 bytes, sequence numbers 275 to 1722") && words.contains("its IP header counts 8 bytes more") && !words.contains("snap length"), "{words}");
    let words = common::segment_words(&session, 0, 9);
    assert!(!words.contains("Gap before it"), "{words}");
    let words = common::segment_words(&session, 0, 85);
    assert!(words.contains("sequence numbers 22016 to 23463") && words.contains("only 1428 of them were recorded"), "{words}");
    // The frame as captured keeps Wireshark's length; Follow shows only the recorded bytes.
    let conn = session.connection(0).unwrap();
    let as_captured = (0..conn.len()).filter_map(|i| conn.packet_as_captured(i)).find(|p| p.frame == 7).unwrap();
    assert_eq!((as_captured.segment.payload_len, as_captured.segment.beyond_frame, as_captured.captured_payload_len()), (1440, 8, 1440));
    let story = conn.packets().find(|p| p.frame == 7).unwrap();
    assert_eq!((story.segment.payload_len, story.captured_payload_len()), (1448, 1440));
}

/// R22-3/4: ndpi_heuristic stream 5's first resend of bytes 1–1460 (frame 230) is the first
/// timeout of its stall: the three resends before it were the handshake's SYN-ACK copies (218,
/// 222, 223), and the client's frame 228 (ack=1, its one SACK block 0–1, a D-SACK of the SYN-ACK
/// copy) reports no hole in the data.
#[test]
fn a_syn_acks_copies_and_their_dsack_are_no_part_of_the_datas_stall() {
    let session = common::shared_session("ndpi_heuristic_tcp_ack_payload.pcap");
    let words = common::segment_words(&session, 5, 230);
    assert!(words.contains("216.0 ms of silence from the sender and no hole reported") && !words.contains("other resends") && !words.contains("duplicate ACK"), "{words}");
    let words = common::segment_words(&session, 5, 231);
    assert!(words.contains("(timeout 2 in this stall"), "{words}");
}

/// R22-5: the server of ndpi_heuristic stream 5 numbers its datagrams 0xd2c2, 0xd2c3, … one by
/// one (its SYN-ACKs carry 0, before the connection's counter); from frame 259 (0xd2d8) to the
/// client's ACK 270 every number passed here, so no copy of frame 259 went by unseen: it was
/// held on the way (or the client was busy), not resent out of sight.
#[test]
fn identifications_without_a_gap_leave_no_unseen_copy() {
    let words = common::segment_words(&common::shared_session("ndpi_heuristic_tcp_ack_payload.pcap"), 5, 270);
    assert!(words.contains("frame 259 was held that long on the way (every datagram the server sent since passed here: its IPv4 identifications go up by one without a gap)") && !words.contains("a copy sent again that this capture does not hold"), "{words}");
    // Where the numbering has a gap, or too few steps to trust, the unseen copy stays a reading.
    let words = common::segment_words(&common::shared_session("zeek_tcp_reassembly.pcap"), 0, 44);
    assert!(words.contains("a copy sent again that this capture does not hold"), "{words}");
}
