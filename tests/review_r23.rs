//! What the whole-corpus reading R23 (session 25) found, each against the packets that show it.
#![cfg(not(target_arch = "wasm32"))]

mod common;

/// R23C-10: zeek_tcp_reassembly frame 112 (31674–33121) is a resend of bytes whose first copy
/// never passed here — but its bytes 32306–33121 had, in frames 108 and 110: not "no earlier
/// copy passed". Frame 64 likewise for 13367–13390 (frame 28).
#[test]
fn a_resend_whose_later_part_had_passed_says_which_part_did_not() {
    let session = common::shared_session("zeek_tcp_reassembly.pcap");
    let words = common::segment_words(&session, 0, 112);
    assert!(words.contains("No earlier copy of its bytes 31674 to 32305 is in the capture") && words.contains("its bytes 32306 to 33121 had passed, the first of them in frame 108") && !words.contains("No earlier copy passed the capture point"), "{words}");
    let words = common::segment_words(&session, 0, 64);
    assert!(words.contains("its bytes 13367 to 13390 had passed, the first of them in frame 28"), "{words}");
}

/// R23C-6: the server's frame 76 acknowledges 1 448 client bytes (17783–19230) no frame holds,
/// 30 ms before frame 77: the client was not silent for 620 ms, and frame 77 is no timer's
/// resend but part of a resending (since R26C-3: after the segment frame 76 acknowledges, which
/// ended 590 ms of silence, not after frame 68's timeout).
#[test]
fn bytes_acknowledged_unseen_end_a_senders_silence() {
    let words = common::segment_words(&common::shared_session("zeek_tcp_reassembly.pcap"), 0, 77);
    assert!(!words.contains("620.1 ms of silence") && !words.contains("405.3 ms of silence") && words.contains("Part of the resending after a segment the capture lacks"), "{words}");
}

/// R23C-7: zeek_tcp_rst-inject-rae's client data (frame 8) passed 2.253 ms after the RST, longer
/// than the client's quickest answer from here (1.625 ms): not "the two segments crossed" for
/// certain.
#[test]
fn a_segment_later_than_the_quickest_answer_did_not_surely_cross() {
    let told = common::story_text(&common::shared_session("zeek_tcp_rst-inject-rae.pcap"), 0);
    assert!(told.contains("It had not acted on frame 7 when it sent frame 8, which passed here 2.253 ms after it — longer than the quickest the client answered anything from here (1.625 ms)") && !told.contains("the two segments crossed"), "{told}");
}

/// R23C-3: zeek_http_get-to-ssh-server's 21 bytes were acknowledged by the client (frame 8)
/// after the server's RST: not "discarded in flight".
#[test]
fn an_rst_with_bytes_unacknowledged_does_not_say_they_were_discarded() {
    let told = common::story_text(&common::shared_session("zeek_http_get-to-ssh-server.pcap"), 0);
    assert!(told.contains("the server will not send again what the client had not acknowledged yet: its last 21 bytes (lost if they had not arrived") && !told.contains("discarded"), "{told}");
}

/// R23C-1: chrissanders_tcp_zerowindowrecovery's client ACKs 1 → 8761: all 8 760 bytes unseen
/// (the captured 2 920 lie above the ACK), not "at least 5840".
#[test]
fn bytes_delivered_unseen_count_only_captured_bytes_below_the_ack() {
    let told = common::story_text(&common::shared_session("chrissanders_tcp_zerowindowrecovery.pcapng"), 0);
    assert!(told.contains("show at least 8760 more bytes server → client were delivered that the capture does not hold"), "{told}");
}

/// R23B-1: real/bulk_100k round 9 is no proof of slow start: round 10's 732 segments followed
/// only 12 acknowledged, so the window was that large already.
#[test]
fn a_later_rounds_growth_does_not_say_slow_start() {
    let words = tcp_ladder::report::story::story(&common::recorded("real", "bulk_100k.pcap.gz").connection(0).unwrap()).congestion.sentences.join("\n");
    assert!(!words.contains("still in slow start"), "{words}");
    let line = words.lines().find(|l| l.contains("client round 9 ")).unwrap_or_default();
    assert!(line.contains("so these rounds did not show the congestion window"), "{line}");
}

/// R21-9: zeek_tcp-syslog's client sent four short messages with none acknowledged (frames
/// 4–7; frame 5 left while frame 4, short, was unacknowledged: R31-2): Nagle's algorithm was off, and
/// is not offered as a reading.
#[test]
fn nagle_is_not_offered_where_the_sender_showed_it_off() {
    let words = tcp_ladder::report::story::story(&common::shared_session("zeek_tcp-syslog.pcap").connection(0).unwrap()).congestion.sentences.join("\n");
    // (R27C-5: said from that frame on, within the round that holds it.)
    assert!(words.contains("no small rest back from its frame 5 on: that frame left while a small segment of its was unacknowledged, so Nagle's algorithm was off by then") && !words.contains("Nagle's algorithm, RFC 896"), "{words}");
}

/// R23D-2/9: one segment outstanding, a tail loss probe and a timeout resend the same one
/// (ndpi_ipp stream 1 frame 232, 218 ms after the window probe 231).
#[test]
fn a_lone_segments_resend_is_a_probe_or_a_timeout() {
    let told = common::story_text(&common::shared_session("ndpi_ipp.pcap"), 1);
    assert!(told.contains("likely tail loss probe or timeout (one segment outstanding: the two look alike) 218.0 ms") && told.contains("inferred a tail loss probe (or a timeout, if it was the sender's only segment outstanding"), "{told}");
    // R24-2: away from the sender, one segment outstanding as seen here is not said to be the
    // sender's only one (ndpi_1kxun stream 7's frame 393: ACK 391 passed 46 ms before, the
    // server 54 ms away, three segments still out there).
    let session = common::shared_session("ndpi_1kxun.pcap");
    let words = common::segment_words(&session, 7, 393);
    assert!(!words.contains("with only this segment outstanding") && !words.contains("or a timeout"), "{words}");
    // R25-1: its bytes had been acknowledged here before it passed: not the only one outstanding.
    let words = common::segment_words(&session, 28, 920);
    assert!(!words.contains("or a timeout"), "{words}");
    assert!(!common::story_text(&session, 7).contains("or timeout (one segment outstanding"), "{}", common::story_text(&session, 7));
}

/// R24-3: zeek_tcp_tcp-fast-open's 86 client bytes ride in the SYN (sequence numbers 1–86), and
/// ack=88 covers them and the FIN: no byte went by unseen.
#[test]
fn a_syns_data_is_counted_from_one_past_its_number() {
    let told = common::story_text(&common::shared_session("zeek_tcp_tcp-fast-open.pcap"), 1);
    assert!(!told.contains("delivered that the capture does not hold"), "{told}");
}

/// R23D-4: ndpi_1kxun's keep-alives are each one datagram captured twice (same identification,
/// 47 µs apart): stream 1's second copy of frame 942 is captured again, not sent again.
#[test]
fn a_keep_alive_captured_twice_is_not_sent_twice() {
    let told = common::story_text(&common::shared_session("ndpi_1kxun.pcap"), 1);
    assert!(told.contains("Sent again: 1 byte client → server") && told.contains("Captured again, not sent again: 415 bytes client → server"), "{told}");
}

/// R23D-7: ndpi_heuristic stream 0's missing client datagram 0x5105 carried bytes 5244–5285
/// (5246 until R48D-1: frame 54's two zero bytes before them were no data), which the server
/// acknowledged in frame 55: it arrived.
#[test]
fn a_missing_datagram_whose_bytes_were_acknowledged_arrived() {
    let told = common::story_text(&common::shared_session("ndpi_heuristic_tcp_ack_payload.pcap"), 0);
    assert!(told.contains("most likely the one that carried bytes 5244 to 5285, which frame 55 acknowledges: it arrived"), "{told}");
}

/// R23D-8: ndpi_heuristic stream 2's client answered the server's FIN copy 159 in 0.089 ms (the
/// states say it took that copy): no "the original's ACK was on its way".
#[test]
fn an_ack_the_states_credit_to_a_copy_does_not_call_it_unneeded() {
    let told = common::story_text(&common::shared_session("ndpi_heuristic_tcp_ack_payload.pcap"), 2);
    assert!(!told.contains("the original's ACK was on its way") && told.contains("client TIME-WAIT at frame 159"), "{told}");
}

/// R23A-2: an ACK well above its side's quickest is not told as "the round trip" alone.
#[test]
fn a_slower_ack_says_more_than_the_round_trip() {
    let told = common::story_text(&common::recorded("lossy", "receiver_limited_at_sender.pcap"), 0);
    assert!(told.contains("more than the server's quickest ACK") && told.contains("and time the server took to answer (its delayed-ACK timer, or its application) or a slower path this time"), "{told}");
}

/// R23D-16: ndpi_heuristic stream 3's client reset the connection (frame 177, ack=4877) before
/// taking the server's FIN,ACK (176, FIN at 4877): it never reached FIN-WAIT-2 on 176's ACK.
#[test]
fn a_segment_reset_before_it_was_taken_moves_no_state() {
    let told = common::story_text(&common::shared_session("ndpi_heuristic_tcp_ack_payload.pcap"), 3);
    assert!(!told.contains("client FIN-WAIT-2 at frame 176") && told.contains("client FIN-WAIT-1 at frame 175") && told.contains("client CLOSED at frame 177"), "{told}");
}

/// R23D-10: ndpi_heuristic stream 5's frame 228 (ack=1 again, a D-SACK of a SYN-ACK copy)
/// acknowledges nothing anew: no "33.1 ms after frame 222: the round trip". R21-5/R23D-15: its
/// and frame 248's D-SACK-only duplicate ACKs report a copy, not a hole (RFC 6675's DupAck).
#[test]
fn an_ack_that_moves_nothing_times_nothing_and_a_dsack_reports_no_hole() {
    let session = common::shared_session("ndpi_heuristic_tcp_ack_payload.pcap");
    let words = common::segment_words(&session, 5, 228);
    assert!(!words.contains("It acknowledges frame 222 exactly") && words.contains("it reports a copy that arrived twice, not a hole"), "{words}");
    let words = common::segment_words(&session, 5, 248);
    assert!(words.contains("RFC 6675 counts no such ACK toward a fast retransmit") && !words.contains("that resend may already be on its way"), "{words}");
}
