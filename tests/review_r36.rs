//! What the reading R36 (session 28's, the whole corpus) found, each fix against the packets
//! that show it.
#![cfg(not(target_arch = "wasm32"))]

mod common;

/// R36A-1: at the receiver of lossy/tail_loss the sender's loss probe (frame 22, seq 13033, the
/// relay's log: its first copy dropped) passes once, right after an IPv4 identification skip
/// (0x0180 → 0x0182). "No … resend to repair a loss passed here" denied it; no segment passed
/// twice is what the packets show. At the sender the probe and its original both pass.
#[test]
fn a_resend_of_a_segment_lost_before_here_passes_once() {
    for file in ["tail_loss_at_receiver.pcap", "rto_backoff_at_receiver.pcap"] {
        let told = common::story_text(&common::recorded("lossy", file), 0);
        assert!(told.contains("no duplicate ACK or SACK passed here, and no segment twice to repair a loss (a resend of one lost before this point passes it once") && !told.contains("resend to repair a loss passed here"), "{file}: {told}");
    }
}

/// R36C-1: on one host (zeek_http_1000-requests), the client ACKs the server's frame 40 at once
/// (frame 42, ack=5357) and frame 41's bytes only with its next request (frame 43, 0.75 ms
/// later): that wait was the client's, not the server's data in the network. An ACK of part of
/// the data leaves the rest's ACK held, as at frames 37–38 where no partial ACK went by.
#[test]
fn an_ack_of_part_of_the_data_still_holds_the_rests() {
    let session = common::shared_session("zeek_http_1000-requests-one-dropped-response.pcap.gz");
    let words = tcp_ladder::report::time_words::time_words(&session.connection(0).unwrap());
    let line = words.parts.iter().find(|l| l.contains("(frames 42–42)")).cloned().unwrap_or_default();
    assert!(line.contains("waiting for the client's next request, its ACK of all the server's data not sent yet") && line.ends_with("0.750 ms"), "{}", words.parts.join("\n"));
    assert!(!words.parts.iter().any(|l| l.contains("(frames 60–98): network")), "{}", words.parts.join("\n"));
}

/// R36B-1: at the server of delayed/seed the client's request passed 0.224 ms after its
/// handshake ACK; its own capture has the two 0.064 ms apart and the middle 0.026 ms: the rest
/// is the relays' and the path's (its round trips from here vary by 2 ms). Within 1 ms (and
/// no more than the one way) after its own segment, a far sender's gap is the path's variation.
/// R36D-2: ndpi_1kxun stream 28 (no handshake): the client's frame 918 passed 0.88 ms after the
/// server's ACK 917 emptied the flight, the client 7.2 ms away and 918 on the same tick of its
/// clock as 916: it left before that ACK reached it.
#[test]
fn a_far_senders_next_segment_within_the_paths_variation_is_no_pause_of_its_application() {
    use tcp_ladder::tcp::time_split::TimeKind;
    let words = tcp_ladder::report::time_words::time_words(&common::recorded("delayed", "seed_at_server.pcap").connection(0).unwrap());
    assert!(!words.split.parts.iter().any(|p| p.kind == TimeKind::SenderApplication && p.client == Some(true)), "{}", words.parts.join("\n"));
    let words = tcp_ladder::report::time_words::time_words(&common::shared_session("ndpi_1kxun.pcap").connection(28).unwrap());
    assert!(words.parts.iter().any(|l| l.contains("(frames 916–918): network / congestion (client), 0.960 ms")), "{}", words.parts.join("\n"));
}

/// R36C-2: zeek_ldap_gap's client (0.2 ms from here) stayed silent after the server's frame 13
/// until the loss probe, frame 14, 58.5 ms later; its frame 15 D-SACKs the bytes: the first
/// copy had arrived, the client held its ACK — its time, not the server's data in the network.
#[test]
fn a_dsack_of_the_resend_that_ended_a_held_ack_says_the_ack_was_held() {
    let words = tcp_ladder::report::time_words::time_words(&common::shared_session("zeek_ldap_gap-data-missing.pcapng").connection(0).unwrap());
    assert!(words.parts.iter().any(|l| l.contains("(frames 13–14): waiting for the client's next request, its ACK of all the server's data not sent yet")), "{}", words.parts.join("\n"));
    assert!(!words.parts.iter().any(|l| l.contains("(frames 13–14): network")), "{}", words.parts.join("\n"));
}

/// R37-1: zeek_tcp_truncated-header's server, 0.227 ms from here, sent its banner 7.598 ms after
/// the client's handshake ACK: the path's variation is at most a tenth of that round trip, not
/// 1 ms (which had taken 1 ms of the server's 7.4 ms).
#[test]
fn a_short_paths_variation_is_a_tenth_of_its_round_trip() {
    use tcp_ladder::tcp::time_split::TimeKind;
    let words = tcp_ladder::report::time_words::time_words(&common::shared_session("zeek_tcp_truncated-header.pcap").connection(0).unwrap());
    assert!(words.split.parts.iter().any(|p| p.kind == TimeKind::SenderApplication && p.client == Some(false) && (7_300_000..7_400_000).contains(&p.duration_ns())), "{}", words.parts.join("\n"));
}

/// R36D-1: ndpi_ipp stream 1's client round 1 holds two short segments (144 and 148 bytes): the
/// flight is "1 segment's worth" of bytes, not "1 segment".
#[test]
fn a_flight_of_short_segments_is_told_in_full_segments_worth() {
    let sentences = tcp_ladder::report::story::story(&common::shared_session("ndpi_ipp.pcap").connection(1).unwrap()).congestion.sentences;
    let round = sentences.iter().find(|s| s.starts_with("client round 1 (frames 22–23)")).cloned().unwrap_or_default();
    assert!(round.contains("so the flight (up to 1 segment's worth) does not show the congestion window"), "{}", sentences.join("\n"));
}

/// R36D-5: ndpi_rtsp stream 2's server resets 0.34 ms after the client's 149-byte request with
/// no ACK of it before: closed with the bytes unread, or read them and aborted (SO_LINGER 0),
/// which the packets do not tell apart; "likely unread" chose one.
#[test]
fn an_rst_over_unacknowledged_bytes_does_not_say_whether_they_were_read() {
    let told = common::story_text(&common::shared_session("ndpi_rtsp.pcap"), 2);
    assert!(told.contains("with the client's last 149 bytes unread, or read them and aborted it:") && told.contains("and so is one aborted with SO_LINGER at 0: the packets do not tell the two apart") && !told.contains("likely its application closed"), "{told}");
}

/// R38-1: ndpi_heuristic stream 4's server round 3 is frame 204 alone, the ACK before it passed
/// here first, not at the server: no flight of "0". (R39-1: that round is a resend, told as one
/// in `review_r40.rs`.)
#[test]
fn a_rounds_flight_is_at_least_its_own_segment() {
    let sentences = tcp_ladder::report::story::story(&common::shared_session("ndpi_heuristic_tcp_ack_payload.pcap").connection(4).unwrap()).congestion.sentences;
    assert!(!sentences.iter().any(|s| s.contains("0 segments' worth") || s.contains("(up to 0 segments)")), "{}", sentences.join("\n"));
    assert!(sentences.iter().any(|s| s.starts_with("server round 3 (frame 204)")), "{}", sentences.join("\n"));
}
