//! What the reading R48 (session 31's, of every sentence on every capture) found, each fix
//! against the packets that show it.
#![cfg(not(target_arch = "wasm32"))]

use tcp_ladder::tcp::congestion::congestion;
use tcp_ladder::tcp::congestion_phase::Phase;

mod common;

/// R48C-1: zeek_tcp_reassembly stream 0 — after the timeouts of rounds 5–12 everything was
/// acknowledged (frame 78); 280 ms later the client sent one segment (frame 79), its ACK (80),
/// then a short one 30 ms after that (81). Round 13's one segment was told "congestion
/// avoidance … 1 segment in the last": in congestion avoidance a window is two segments at least
/// (RFC 5681 §3.1's floor for the threshold), so one segment shows no phase.
#[test]
fn one_segment_is_no_congestion_avoidance() {
    let told = common::story_text(&common::shared_session("zeek_tcp_reassembly.pcap"), 0);
    let line = told.lines().find(|l| l.contains("client round 13 (frame 79)")).unwrap_or_default();
    assert!(line.contains("one segment in flight, no more than the round before") && !line.contains("congestion avoidance:"), "{told}");
    let mut one = 0;
    common::each_connection(&common::every_capture(), |_, name, stream, conn| {
        let p: Vec<_> = conn.packets().collect();
        for d in congestion(&p).directions {
            for r in &d.rounds {
                assert!(!(r.phase == Phase::CongestionAvoidance && r.max_flight_segments <= 1), "{name} stream {stream} round {}", r.number);
                one += usize::from(r.phase == Phase::OneSegment);
            }
        }
    });
    println!("{one} rounds of one segment");
}

/// R48D-1: ndpi_heuristic_tcp_ack_payload stream 0 — the client pads its bare ACKs with two zero
/// bytes its IP length counts (frames 35, 42: its next segment, 36 and 43, puts a 42-byte TLS
/// record at the same sequence number). Frame 54 is one more such ACK; the record after it
/// (IPv4 identification 0x5105) is not in the capture, and frame 47's TLS record ends at byte
/// 5243, so byte 5244 starts the next record: the uncaptured datagram carried 5244–5285, which
/// ack=5286 covers. Frame 54 was told as the client's 2 bytes of data.
#[test]
fn zero_padding_before_an_uncaptured_segment_is_most_likely_no_data() {
    let session = common::shared_session("ndpi_heuristic_tcp_ack_payload.pcap");
    let words = common::segment_words(&session, 0, 54);
    assert!(!words.contains("The client sends 2 bytes") && words.contains("most likely no data of the stream") && words.contains("the server's ACK in frame 55 goes past them"), "{words}");
    assert!(common::segment_words(&session, 0, 55).contains("the client's bytes 5244 to 5285 (42 bytes)"));
    let told = common::story_text(&session, 0);
    assert!(told.contains("5243 bytes client → server") && told.contains("at least 42 more bytes client → server"), "{told}");
}

/// R20A-1 (regraded FALSE by R48A): lossy spurious_fast at the sender — after the fast
/// retransmit of round 4, round 5 filled the window (frame 150 ends at the edge of 44032), then
/// the window opened (frames 151, 172) and the flight held at 48–49 segments while ss's cwnd was
/// 49 (ssthresh 49, the cut, `rwnd_limited` 0) until the D-SACK (frame 231) undid it. The round
/// was told "receiver-limited"; near the sender its peak flight, a segment or more below the
/// window, shows the congestion window.
#[test]
fn a_window_met_then_opened_does_not_make_the_round_receiver_limited() {
    let session = common::recorded("lossy", "spurious_fast_at_sender.pcap");
    let p: Vec<_> = session.connection(0).unwrap().packets().collect();
    let d = congestion(&p).directions.into_iter().find(|d| d.from_client).unwrap();
    let r5 = d.rounds.iter().find(|r| r.number == 5).unwrap();
    assert_eq!((r5.phase, r5.cwnd_estimate), (Phase::CongestionAvoidance, Some(49)), "{r5:?}");
    // Round 6 met the window again at its peak, after the undo: receiver-limited.
    assert_eq!(d.rounds.iter().find(|r| r.number == 6).unwrap().phase, Phase::ReceiverLimited);
}
