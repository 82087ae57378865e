//! What the reading R49 (of the lines session 31's fixes changed) found, each fix against the
//! packets that show it.
#![cfg(not(target_arch = "wasm32"))]

use tcp_ladder::tcp::congestion::congestion;
use tcp_ladder::tcp::congestion_phase::Phase;

mod common;

/// R49-1: zeek_tcp_reassembly stream 0 — the timeout rounds' line said "The round after it had
/// 1 segment out: the sender started again from one segment" of round 13, whose own line says
/// something other than the congestion window held it (an application's pause of 250 ms).
/// R49-2: the receiver's window (16 430 bytes) was open, so it is not offered as the reason.
#[test]
fn a_round_held_back_is_no_sign_of_a_restart() {
    let told = common::story_text(&common::shared_session("zeek_tcp_reassembly.pcap"), 0);
    let timeout = told.lines().find(|l| l.contains("client rounds 5–12")).unwrap_or_default();
    assert!(!timeout.contains("the sender started again from one segment.") && timeout.contains("does not show whether the sender started again"), "{told}");
    let round13 = told.lines().find(|l| l.contains("client round 13")).unwrap_or_default();
    assert!(round13.contains("the receiver's window was open") && !round13.contains("or the receiver's window"), "{round13}");
}

/// R49-3/4: ndpi_heuristic_tcp_ack_payload stream 0 — after the client's ACK 54, its next record
/// (datagram 0x5105) went by uncaptured, and the server acknowledged it in frame 55, 94.7 ms
/// later: the client's sending, the path and the server's ACK delay in proportions the capture
/// cannot show. It was told as the server's data on the network (49.8 ms after everything was
/// acknowledged) and then "waiting for the client's next request" (sent before that span).
/// The same rule on zeek_http_1000-requests-one-dropped-response's frame 6 (the server's answer
/// uncaptured) says the same.
#[test]
fn a_span_in_which_uncaptured_data_went_by_is_not_told_apart() {
    let conn = common::shared_session("ndpi_heuristic_tcp_ack_payload.pcap");
    let words = tcp_ladder::report::time_words::time_words(&conn.connection(0).unwrap()).parts.join("\n");
    assert!(words.contains("70.594 s–70.688 s (frames 54–54): not told apart: the server's ACK in frame 55 covers bytes of the client's the capture does not hold"), "{words}");
    assert!(!words.contains("70.643 s") && words.contains("70.586 s–70.594 s (frames 51–53): network / congestion (server)"), "{words}");
}

/// R49-7: the same capture's frame 55 — its six zero bytes' evidence is frame 57, a bare ACK at
/// the same sequence number, not "other bytes where these would be".
#[test]
fn a_bare_ack_at_the_same_number_is_no_other_bytes() {
    let words = common::segment_words(&common::shared_session("ndpi_heuristic_tcp_ack_payload.pcap"), 0, 55);
    assert!(words.contains("frame 57, carries no data and starts at these bytes' own sequence number") && !words.contains("frame 57, puts other bytes"), "{words}");
}

/// R49-11: lossy spurious (and spurious_rto) at the sender — round 6 met the window (frame 247),
/// waited 29 ms for the next update (ss: rwnd_limited +32 ms), then sent the transfer's last
/// nine segments, short of the window: held by the window and then by the data's end, not the
/// "application-limited" round R20A-1's first fix made of it.
#[test]
fn a_round_that_waited_at_the_window_then_ran_out_of_data_stays_receiver_limited() {
    for name in ["spurious_at_sender.pcap", "spurious_rto_at_sender.pcap"] {
        let session = common::recorded("lossy", name);
        let p: Vec<_> = session.connection(0).unwrap().packets().collect();
        let d = congestion(&p).directions.into_iter().find(|d| d.from_client).unwrap();
        assert_eq!(d.rounds.iter().find(|r| r.number == 6).unwrap().phase, Phase::ReceiverLimited, "{name}");
    }
}
