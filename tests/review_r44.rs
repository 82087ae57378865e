//! What the readings R43 and R44 (session 30's) found, each fix against the packets that show it.
#![cfg(not(target_arch = "wasm32"))]

mod common;

/// R43-2: ndpi_anydesk stream 3 — the client (a BSD-like stack: IP ID 0, SYN options MSS, WS,
/// TS, SACK_PERM, EOL) had closed (FIN, frame 91); the server's data 94 (914 bytes) and 95 (40
/// bytes) found the connection gone and drew two RSTs alike (96, 97; seq=1551, their common
/// ACK). Each segment that finds no connection draws one: 96 answers 94, and 97 is most likely
/// 95's answer, not 96 captured twice.
#[test]
fn each_segment_that_finds_the_connection_gone_draws_its_own_rst() {
    let session = common::shared_session("ndpi_anydesk.pcapng");
    let told = common::story_text(&session, 3);
    assert!(told.contains("The server's segment (frame 94) was answered with an RST without ACK (frame 96)"), "{told}");
    let words = common::segment_words(&session, 3, 97);
    assert!(words.contains("most likely its answer to frame 95") && words.contains("could also be that RST captured twice") && !words.contains("A copy of frame 96"), "{words}");
    // (zeek_tcp_ctu-64702-888 holds every frame twice: its FINs 13 and 14 are one datagram, same
    // IPv4 identification, so the second RST is still told as a copy of the first, not an answer.)
    let session = common::shared_session("zeek_tcp_ctu-64702-888.pcap");
    assert!(common::story_text(&session, 0).contains("The client's FIN (frame 13) was answered with an RST without ACK (frame 15)"));
    assert!(common::segment_words(&session, 0, 16).contains("A copy of frame 15's RST"));
}

/// R44D-3: ndpi_1kxun stream 24 (no handshake) — the client's 838 and 840 left together; the
/// server's data 843 left before 840 can have reached it, then it held 840's ACK 43 ms (frame
/// 854) while its application prepared the answer (890 at 181.8 ms). A segment that crossed the
/// data is no answer to it, and without a handshake the quickest ACK's round trip (5.35 ms)
/// measures the path: the 48.7 ms were not the network's. ndpi_heuristic stream 0, frames 22–26,
/// the same shape with a handshake: the server's 42.7 ms held ACK, while the next request is
/// awaited, is said so.
#[test]
fn a_held_ack_is_not_the_network_though_the_receiver_sent_before_the_data_arrived() {
    let words = tcp_ladder::report::time_words::time_words(&common::shared_session("ndpi_1kxun.pcap").connection(24).unwrap());
    assert!(words.parts.iter().any(|l| l.starts_with("0.000 ms–6.039 ms (frames 838–845): network / congestion (client)")), "{}", words.parts.join("\n"));
    assert!(!words.parts.iter().any(|l| l.contains("network") && l.contains("48.7 ms")), "{}", words.parts.join("\n"));
    let words = tcp_ladder::report::time_words::time_words(&common::shared_session("ndpi_heuristic_tcp_ack_payload.pcap").connection(0).unwrap());
    assert!(words.parts.iter().any(|l| l.contains("(frames 25–25): waiting for the client's next request; meanwhile the server's ACK of the client's data not sent yet")), "{}", words.parts.join("\n"));
    assert!(!words.parts.iter().any(|l| l.contains("(frames 25–26): network")), "{}", words.parts.join("\n"));
}

/// R44A-1: lossy spurious and spurious_rto — the relay froze the server's ACKs for 450 ms; the
/// client timed out and resent (cwnd 1, ss) and heard nothing until the ACKs reached it at
/// ~810 ms (~804 ms). From near the server, the window looked full only as the client last knew
/// it, while it was in its timeout's recovery: Linux counts that time cwnd-limited, and
/// `rwnd_limited_ms` stays flat until the ACKs arrive. The receiver's window after the stall is
/// the same ~30 ms from both capture points (it was 59 ms from near the receiver, 30 from near
/// the sender).
#[test]
fn a_sender_in_its_timeouts_recovery_is_not_held_by_the_receivers_window() {
    for name in ["spurious", "spurious_rto"] {
        let window_after = |at: &str, from_ms: f64| {
            let session = common::recorded("lossy", &format!("{name}_at_{at}.pcap"));
            let packets: Vec<_> = session.connection(0).unwrap().packets().collect();
            let split = tcp_ladder::tcp::time_split::time_split(&packets);
            let parts: Vec<_> = split.parts.iter().filter(|p| p.kind.window_limited() && p.client == Some(true) && p.start_ns as f64 / 1e6 >= from_ms).map(|p| (p.start_ns as f64 / 1e6, p.duration_ns() as f64 / 1e6)).collect();
            (parts.first().map_or(f64::NAN, |p| p.0), parts.iter().map(|p| p.1).sum::<f64>())
        };
        let (sender_start, sender_window) = window_after("sender", 700.0);
        let (receiver_start, receiver_window) = window_after("receiver", 700.0);
        assert!(receiver_start >= 800.0, "{name}: the window's part from near the receiver starts at {receiver_start:.1} ms, before the ACKs reached the client");
        assert!((receiver_window - sender_window).abs() <= 5.0, "{name}: receiver's window after the stall {receiver_window:.1} ms from near the receiver, {sender_window:.1} ms from near the sender");
    }
}

/// R45-2: zeek_tls_irc-starttls — the client's RSTs 18 and 20 carry IPv4 identifications
/// 0x464b and 0x464c: two datagrams, so "that RST captured twice" is ruled out there (and left
/// open in ndpi_anydesk stream 3, whose client sends identification 0 on every datagram).
#[test]
fn an_rst_of_another_identification_is_no_copy_captured_twice() {
    let words = common::segment_words(&common::shared_session("zeek_tls_irc-starttls.pcap"), 0, 20);
    assert!(words.contains("most likely its answer to frame 19") && words.contains("another datagram, not that RST captured twice") && !words.contains("cannot rule that out"), "{words}");
}

/// R45-1: ndpi_heuristic stream 5 sent its SYN again after the SYN-ACK, so the handshake gave
/// no round trip; the client's quickest ACK by frame 283 (1.138 s) was no path either. The
/// server's data waiting seconds for the client's ACKs (frame 284: longer than any delayed-ACK
/// timer) stays the network's, not "the client holding its ACK".
#[test]
fn no_round_trip_from_a_handshake_that_gave_none() {
    let words = tcp_ladder::report::time_words::time_words(&common::shared_session("ndpi_heuristic_tcp_ack_payload.pcap").connection(5).unwrap());
    assert!(!words.parts.iter().any(|l| l.contains("holding its ACK")), "{}", words.parts.join("\n"));
}

/// R44C-3: zeek_tls_irc-starttls — at the client's FIN (frame 16) nothing was outstanding; the
/// server's 31 bytes (frame 17, 333.6 ms later, capture near the client, server 166.8 ms away)
/// acknowledge that FIN for the first time and echo its timestamp: the server's answer to the
/// FIN, the close's time, not data an ACK released ("network / congestion" had said so); the
/// part names the FIN outstanding until that ACK (R47-1: not the server's CLOSE-WAIT). After
/// the peer's own request a FIN's answer stays the answer's wait (real/half_close frame 6).
#[test]
fn data_that_answers_a_fin_is_the_close_not_the_network() {
    let words = tcp_ladder::report::time_words::time_words(&common::shared_session("zeek_tls_irc-starttls.pcap").connection(0).unwrap());
    assert!(words.parts.iter().any(|l| l.starts_with("4.590 s–4.923 s (frames 16–17): close: the client's FIN sent, not acknowledged yet")), "{}", words.parts.join("\n"));
    assert!(!words.parts.iter().any(|l| l.starts_with("4.590 s") && l.contains("network")), "{}", words.parts.join("\n"));
    let words = tcp_ladder::report::time_words::time_words(&common::recorded("real", "half_close.pcap").connection(0).unwrap());
    assert!(words.parts.iter().any(|l| l.contains("(frames 6–6): waiting for the server's answer")), "{}", words.parts.join("\n"));
}
