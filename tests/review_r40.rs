//! What the readings R39 and R40 (session 29's, the whole corpus) found, each fix against the
//! packets that show it.
#![cfg(not(target_arch = "wasm32"))]

mod common;

use tcp_ladder::tcp::congestion_phase::Phase;

/// R39-1: ndpi_heuristic stream 4's server round 3 is frame 204 alone, frame 200's 258 bytes
/// sent again 213.8 ms later, and zeek_tcp_retransmit-timeout's client round 2 is frame 3,
/// frame 1's 18 bytes again after 300 s: a resend's size was set when the bytes were first
/// sent, so such a round is no sign of an application that "gave no more" or of Nagle's
/// algorithm ("application-limited" had said both).
#[test]
fn a_round_of_nothing_but_a_resend_is_told_as_one() {
    for (file, stream, from_client, number, frame) in [("ndpi_heuristic_tcp_ack_payload.pcap", 4, false, 3, 204), ("zeek_tcp_retransmit-timeout.pcapng", 0, true, 2, 3)] {
        let session = common::shared_session(file);
        let connection = session.connection(stream).unwrap();
        let computed = tcp_ladder::tcp::congestion::congestion(&connection.packets().collect::<Vec<_>>());
        let round = computed.directions.iter().filter(|d| d.from_client == from_client).flat_map(|d| d.rounds.iter()).find(|r| r.number == number).expect("the round");
        assert!(round.first_frame == frame && round.phase == Phase::OnlyResent && !round.application_limited, "{file}: {round:?}");
        let story = tcp_ladder::report::story::story(&connection);
        let head = format!("{} round {number} (frame {frame}): ", if from_client { "client" } else { "server" });
        let line = story.congestion.sentences.iter().find(|s| s.starts_with(&head)).cloned().unwrap_or_default();
        assert!(line.contains("only bytes sent before, sent again for a reason the capture does not show") && !line.contains("application-limited") && !line.contains("Nagle"), "{file}: {}", story.congestion.sentences.join("\n"));
    }
}

/// R40C-1: zeek_http_get-gzip's client sent its FIN again (frame 12) with the ACK of the
/// server's FIN; the server's frame 13 (ack=81) echoes the first FIN's TSval (frame 10) and
/// passed 20.2 ms after frame 12, under the server's 22.4 ms round trip: it answers frame 10, so
/// it does not show frame 12 arrived. The server's TIME-WAIT rests on frame 12's arrival, assumed.
#[test]
fn an_ack_that_covers_a_first_copy_too_does_not_show_the_repeat_arrived() {
    let told = common::story_text(&common::shared_session("zeek_http_get-gzip.pcap"), 0);
    // R43-1: what moved the server is frame 12's ACK field (ack=344, the first ACK of its FIN);
    // R43-3: the repeated part is named, a FIN, with its first copy.
    assert!(told.contains("server TIME-WAIT at frame 12: TIME-WAIT: on the arrival of frame 12, whose ACK field acknowledges the server's FIN. Its arrival is assumed: an ACK is never acknowledged, and the rest of frame 12 is the client's FIN sent again (first sent in frame 10)") && !told.contains("received frame 12; its own frame 13"), "{told}");
    // (A simultaneous open's SYN-ACKs repeat the SYNs; the D-SACKs of frames 5 and 6 show both arrived.)
    let told = common::story_text(&common::recorded("real", "simultaneous_open.pcap"), 0);
    assert!(told.contains("client ESTABLISHED at frame 4: ESTABLISHED: the client received frame 4; its own frame 6 acknowledges it"), "{told}");
}

/// R40C-2: zeek_tls_irc-starttls's client sent its FIN (frame 16) and answered the server's 31
/// bytes (frame 17) with an RST without ACK (frame 18): its socket was closed for receiving too,
/// so "the client can still receive until the server closes too" was not what happened.
#[test]
fn a_fin_whose_sender_then_refused_data_is_not_told_as_a_half_close() {
    let session = common::shared_session("zeek_tls_irc-starttls.pcap");
    let words = common::segment_words(&session, 0, 16);
    assert!(words.contains("its RST without ACK (frame 18) after the server's data of frame 17 shows that by then it received no more: its application had closed the socket (or exited), or shut down its receiving side too") && !words.contains("can still receive until"), "{words}");
}

/// R40D-2: ndpi_1kxun stream 50 (no handshake) — frame 1314 carries 1459 bytes where the
/// server's single segments are 1440: two datagrams the capturing host merged, which used the
/// identification 0xc130 the next frame seems to skip. No datagram is missing there.
#[test]
fn a_record_longer_than_any_single_datagram_may_be_two() {
    let told = common::story_text(&common::shared_session("ndpi_1kxun.pcap"), 50);
    assert!(!told.contains("0xc12f") && !told.contains("missing from this capture before frame 1326"), "{told}");
    // (A skip after a full segment is still told: lossy/tail_loss_at_receiver's 0x0180 → 0x0182.)
    let told = common::story_text(&common::recorded("lossy", "tail_loss_at_receiver.pcap"), 0);
    assert!(told.contains("0x0180") && told.contains("0x0182"), "{told}");
}

/// R38-4: zeek_ldap_gap's client answered the SYN-ACK 3.864 ms after it passed here, but its
/// ACK of data in frame 11 came 0.391 ms after the data: its path from here is no longer than
/// that. The server's frame 13 is on the network that long, not the handshake's 3.864 ms; the
/// rest until the client's ACK is the client holding it.
#[test]
fn the_network_takes_the_quickest_round_trip_seen_so_far_not_only_the_handshakes() {
    let words = tcp_ladder::report::time_words::time_words(&common::shared_session("zeek_ldap_gap-data-missing.pcapng").connection(0).unwrap());
    assert!(words.parts.iter().any(|l| l.contains("(frames 13–13): network / congestion (server), 0.391 ms")), "{}", words.parts.join("\n"));
    assert!(words.parts.iter().any(|l| l.contains("92.3 ms–151.1 ms (frames 13–14): waiting for the client's next request")), "{}", words.parts.join("\n"));
}

/// R41B-1: ndpi_heuristic stream 2's server sent its FIN again (frame 159, first in 157); the
/// client's frame 160 (ack=34977) covers both copies and passed 0.089 ms after 159, sooner than
/// the client's quickest answer from here: it does not show frame 159 arrived.
#[test]
fn a_fin_sent_again_is_not_shown_received_by_an_ack_that_covers_its_first_copy() {
    let told = common::story_text(&common::shared_session("ndpi_heuristic_tcp_ack_payload.pcap"), 2);
    assert!(told.contains("client TIME-WAIT at frame 159: TIME-WAIT: on the arrival of frame 159, which carries the server's FIN sent again (first sent in frame 157)") && !told.contains("received frame 159; its own frame 160"), "{told}");
}

/// R41A-1: zeek_tcp_reassembly's server was reporting a hole (duplicate ACKs at 4655) when the
/// client's frame 33 arrived above it; a receiver answers such a segment at once (RFC 5681
/// §4.2), so the 11.4 ms before its next duplicate ACK (frame 34) is no ACK it held.
#[test]
fn a_receiver_reporting_a_hole_is_not_said_to_hold_its_ack() {
    let words = tcp_ladder::report::time_words::time_words(&common::shared_session("zeek_tcp_reassembly.pcap").connection(0).unwrap());
    assert!(!words.parts.iter().any(|l| l.contains("holding its ACK")), "{}", words.parts.join("\n"));
}
