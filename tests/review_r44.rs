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
