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

/// The whole text `explain` prints for one connection.

/// R20B-5/8/9 and R20B-3, real/bulk_100k (loopback, the client's MSS set to 100): 88 bytes is a
/// full segment (100 less 12 of timestamps), not "below any MSS, never under 536"; round 15's 579
/// segments came after round 14's 744 (receiver-limited): a fall, not growth, and round 12 no
/// longer rests on it; on one host every resend would pass the capture point, so a fall with
/// no resend is no unseen loss.
#[test]
fn bulk_100k_rounds_say_what_its_packets_show() {
    let session = common::recorded("real", "bulk_100k.pcap.gz");
    let words = tcp_ladder::report::story::story(&session.connection(0).unwrap()).congestion.sentences.join("\n");
    let line = |round: &str| words.lines().find(|l| l.contains(round)).unwrap_or_default().to_string();
    assert!(line("client round 174 ").contains("88 bytes: a full segment, the smaller MSS the handshake announced (100 bytes) less the 12 bytes of the timestamps option"), "{}", line("client round 174 "));
    assert!(!words.contains("never under 536"), "{words}");
    assert!(line("client round 15 ").contains("the flight fell to 579 segments") && line("client round 15 ").contains("this capture is at the sender"), "{}", line("client round 15 "));
    assert!(!line("client round 12 ").contains("a later round grows by half"), "{}", line("client round 12 "));
    assert!(!words.contains("a loss this capture point did not see"), "{words}");
}

/// R20B-1/2: every TCP header of pcap-snaplen-44 is cut after the sequence number: whether a
/// handshake opened it, or anything was sent again, cannot be told (pcap-snaplen-60, the same
/// conversation, shows SYN, SYN-ACK, ACK).
#[test]
fn headers_cut_before_their_flags_tell_no_handshake_and_no_resend() {
    let told = common::story_text(&common::recorded("generated", "pcap-snaplen-44.pcap"), 0);
    assert!(told.lines().next().unwrap().contains("whether a handshake opened the connection, and which side opened it, cannot be told") && !told.contains("no handshake captured"), "{told}");
    assert!(told.contains("whether any segment was sent again cannot be told") && !told.contains("no segment twice to repair a loss passed here"), "{told}");
}

/// R20C-1/2: ACKs of bytes the capture never held (zerowindowrecovery's 1 → 8761; miss_end_data's
/// FIN at 2903 after no data) show the peer sending: not "both idle" only.
#[test]
fn acks_and_fins_past_unseen_data_are_not_idle_time() {
    let told = common::story_text(&common::shared_session("chrissanders_tcp_zerowindowrecovery.pcapng"), 0);
    assert!(told.contains("0.000 ms–0.632 ms (frames 1–3): network / congestion (server)") && !told.contains("both idle"), "{told}");
    let told = common::story_text(&common::shared_session("zeek_tcp_miss_end_data.pcap"), 0);
    // (R21-1: when within the 10 s the uncaptured answer went does not show: said so.)
    assert!(told.contains("(frames 5–5): both idle, or the server's data going by: the server's next segment here starts past every byte of its seen so far") && told.contains("both idle or sending data not seen here by then 10.036 s"), "{told}");
    // A SYN with a new ISN on the same ports is no data gone by (ndpi_heuristic stream 3).
    let told = common::story_text(&common::shared_session("ndpi_heuristic_tcp_ack_payload.pcap"), 3);
    assert!(!told.contains("data going by"), "{told}");
}

/// R20C-12: zeek_tcp_reassembly frame 70 (ack=16299) covers bytes 15571–16298, which no frame
/// holds, though frame 62 (19126–19421) passed before: not "did pass the capture point".
#[test]
fn an_ack_over_a_hole_below_later_bytes_names_the_hole() {
    let words = common::segment_words(&common::shared_session("zeek_tcp_reassembly.pcap"), 0, 70);
    assert!(words.contains("bytes 15571 to 16298 (728 bytes), which the capture does not hold, though it holds later ones") && !words.contains("did pass the capture point"), "{words}");
}

/// R20A-2/3: at the receiver, a flight that fell before the relay's 450 ms stall may be segments
/// held on the way (spurious_rto); an IPv4 identification skip may be a loss (tail_loss).
#[test]
fn a_fall_or_a_skip_at_the_receiver_keeps_its_other_readings() {
    let words = tcp_ladder::report::story::story(&common::recorded("lossy", "spurious_rto_at_receiver.pcap").connection(0).unwrap()).congestion.sentences.join("\n");
    assert!(words.contains("the flight fell to 29 segments") && words.contains("segments held on the way to it that passed here later"), "{words}");
    let told = common::story_text(&common::recorded("lossy", "tail_loss_at_receiver.pcap"), 0);
    assert!(told.contains("but the sender's IP identifications skip, which may be a loss before this point") && !told.contains("no loss signal and no segment twice to repair a loss passed here"), "{told}");
}

/// R20D-2/7: an RST without ACK at the answered segment's ACK is also what a stack whose
/// application closed sends when data comes (irc-starttls frame 17 acknowledged the FIN and
/// carried the data the RST answers): not "let the connection go since".
#[test]
fn an_rst_answering_data_after_a_close_keeps_both_readings() {
    let told = common::story_text(&common::shared_session("zeek_tls_irc-starttls.pcap"), 0);
    assert!(told.contains("the client had let the connection go, or, its application gone, refused what came (the packets cannot tell which)") && !told.contains("let the connection go since"), "{told}");
}

/// R20D-20: ndpi_heuristic stream 5 frame 292 resends 4713–4844 (frames 287 and 290) and
/// carries 423 new bytes; the D-SACK covers only the first.
#[test]
fn a_resend_with_new_bytes_says_which_went_before() {
    let words = common::segment_words(&common::shared_session("ndpi_heuristic_tcp_ack_payload.pcap"), 5, 292);
    assert!(words.contains("its bytes 4713 to 4844 went by before, the first of them in frame 287") && words.contains("bytes 4845 to 5267 are new here") && words.contains("The bytes sent again were not needed"), "{words}");
}

/// R20D-11/12: ndpi_rtsp stream 4's round trip is the retried SYN's, not the refused one's 506 ms:
/// each server segment is its own round; a short round names Nagle's algorithm beside the
/// application (stream 2's 695 bytes left 0.25 ms after the delayed ACK of its 199).
#[test]
fn rtsp_rounds_follow_the_answered_syn_and_name_nagle() {
    let session = common::shared_session("ndpi_rtsp.pcap");
    let words = tcp_ladder::report::story::story(&session.connection(4).unwrap()).congestion.sentences.join("\n");
    // (R21-14: and frames 329 and 337 are two rounds, not one: rounds 1–3 of one segment each.)
    assert!(words.contains("server rounds 1–3 (frames 317–337): application-limited: one segment a round") && !words.contains("frames 317–373"), "{words}");
    let words = tcp_ladder::report::story::story(&session.connection(2).unwrap()).congestion.sentences.join("\n");
    assert!(words.contains("Nagle's algorithm, RFC 896") && !words.contains("its application gave no more,"), "{words}");
}

/// R20D-13: ndpi_heuristic stream 0's skipped identification 0x5105 most likely carried bytes
/// the server acknowledged (frame 55): a datagram the capture dropped is among the readings.
#[test]
fn a_skipped_identification_may_be_the_captures_own_drop() {
    let told = common::story_text(&common::shared_session("ndpi_heuristic_tcp_ack_payload.pcap"), 0);
    assert!(told.contains("1 datagram of the client's is missing from this capture before frame 56") && told.contains("dropped by the capture itself"), "{told}");
}

/// R20D-8: ndpi_1kxun stream 18 opens mid-connection with one byte at seq 1 (frame 617) that
/// the server's D-SACK in frame 619 reports it already had: a keep-alive probe (Windows sends
/// one byte), as its copy 618 and the later 1027 are called — not data an application gave.
#[test]
fn a_keep_alive_that_opens_the_capture_is_one() {
    let session = common::shared_session("ndpi_1kxun.pcap");
    for stream in [18, 21] {
        let conn = session.connection(stream).unwrap();
        let first = conn.packets().find(|p| p.segment.payload_len > 0).unwrap();
        let words = common::segment_words(&session, stream, first.frame);
        assert!(words.contains("Keep-alive:"), "stream {stream} frame {}: {words}", first.frame);
        let rounds = tcp_ladder::report::story::story(&conn).congestion.sentences.join("\n");
        assert!(!rounds.contains("application-limited"), "stream {stream}: {rounds}");
    }
}

/// R21-8: ndpi_ipp stream 1's round 76 (3 segments) follows round 72's loss and rounds 73–75 of
/// up to 2 segments (receiver-limited): the flight did not fall.
#[test]
fn a_round_above_the_one_before_did_not_fall() {
    let words = tcp_ladder::report::story::story(&common::shared_session("ndpi_ipp.pcap").connection(1).unwrap()).congestion.sentences.join("\n");
    let line = words.lines().find(|l| l.contains("client round 76 ")).unwrap_or_default();
    assert!(!line.contains("fell") && line.contains("3 segments"), "{line}");
}
