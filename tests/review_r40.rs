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
