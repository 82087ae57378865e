//! What the readings of sessions 22 and 23 (R17b, R18) found false, each against the packets
//! that show it (the frames are in the reports' words).
#![cfg(not(target_arch = "wasm32"))]

mod common;

use common::{corpus_dir, read};
use tcp_ladder::session::analyze_bytes;
use tcp_ladder::tcp::congestion::{congestion, Round};

fn rounds_of(session: &tcp_ladder::session::Session, stream: u32, from_client: bool) -> Vec<Round> {
    let packets: Vec<_> = session.connection(stream).unwrap().packets().collect();
    congestion(&packets).directions.into_iter().find(|d| d.from_client == from_client).map(|d| d.rounds).unwrap_or_default()
}

/// R18-8/9/10: a round's boundary fell inside one burst of the sender's, because an ACK passing
/// the capture point between two of its segments was taken as heard by the sender on its due
/// time, though the burst's segments all echo (TSecr) an older ACK. One transfer, captured at
/// the client, in the middle and at the server (tests/captures/delayed/): the sender's rounds
/// are the sender's, wherever they were seen — the same flights at all three points.
#[test]
fn one_transfer_has_the_same_rounds_at_every_capture_point() {
    let flights = |point: &str| -> Vec<u32> {
        let session = analyze_bytes(&read(&corpus_dir("delayed").join(format!("bulk_{point}.pcap")))).unwrap();
        rounds_of(&session, 0, true).iter().take(5).map(|r| r.max_flight_segments).collect()
    };
    let at_client = flights("at_client");
    assert_eq!(at_client.len(), 5, "{at_client:?}");
    // Slow start from an initial window of 10, an ACK for every other segment: about 1.8× a round.
    assert_eq!(at_client[0], 10, "{at_client:?}");
    assert!(at_client.windows(2).all(|w| w[1] * 10 >= w[0] * 17 && w[1] <= w[0] * 2 + 1), "{at_client:?}");
    assert_eq!(flights("middle"), at_client);
    assert_eq!(flights("at_server"), at_client);
}

/// R18-8 at the server: round 3's first segment (frame 60) is acknowledged by frame 62 (TSval
/// 2156150305); frames 98–128 all echo 2156150283 (frame 59's), the first echo of 305 is frame
/// 130: round 4 begins at 130, not at 124. R18-9: zeek_tcp_timestamp's server rounds begin where
/// its echo first names an ACK of the round before: 267, 437 (not 398), 709 (not 588).
#[test]
fn a_round_begins_where_the_sender_echoes_its_ack() {
    let session = analyze_bytes(&read(&corpus_dir("delayed").join("bulk_at_server.pcap"))).unwrap();
    let starts: Vec<u64> = rounds_of(&session, 0, true).iter().map(|r| r.first_frame).collect();
    assert!(starts.contains(&60) && starts.contains(&130) && !starts.contains(&124), "{starts:?}");
    let session = common::shared_session("zeek_tcp_timestamp.pcap");
    let starts: Vec<u64> = rounds_of(&session, 0, false).iter().map(|r| r.first_frame).collect();
    for (frame, not) in [(267, 0), (437, 398), (709, 588)] {
        assert!(starts.contains(&frame) && !starts.contains(&not), "{starts:?}");
    }
}

/// R17b-12: ndpi_1kxun stream 23 has no handshake in the capture; the capture is next to
/// 192.168.5.16, the data's sender 47 ms away. Frames 804–811 (six segments, 5040 bytes) left in
/// one burst before any ACK of them reached the sender (its first answer to the other side's
/// data, frame 815, comes 94 ms after frame 814): one round, not three, and no "congestion
/// avoidance" from ACKs seen here before the sender saw them.
#[test]
fn a_connection_without_its_handshake_learns_the_way_from_its_acks() {
    let session = common::shared_session("ndpi_1kxun.pcap");
    let rounds = rounds_of(&session, 23, true);
    let first = rounds.first().expect("a round");
    assert_eq!((first.first_frame, first.last_frame, first.segments, first.bytes), (804, 811, 6, 5040), "{rounds:?}");
    assert!(rounds.iter().all(|r| r.phase != tcp_ladder::tcp::congestion::Phase::CongestionAvoidance), "{rounds:?}");
}

/// R18-11: a run of receiver-limited rounds named its largest window (612352 bytes) as the one
/// the flight met, 88 176 bytes above the flight. The send that met the window names the
/// window then: at all three capture points of one transfer, the same flight (234576 bytes)
/// within one segment (1448) of the same window (235520, the ACKs of frames 402–410 at the
/// server).
#[test]
fn a_receiver_limited_run_names_the_window_it_met() {
    for point in ["at_client", "middle", "at_server"] {
        let session = analyze_bytes(&read(&corpus_dir("delayed").join(format!("bulk_{point}.pcap")))).unwrap();
        let rounds = rounds_of(&session, 0, true);
        let (frame, window, flight) = rounds.iter().find_map(|r| r.window_full_at).expect("a round met the window");
        assert_eq!((window, flight), (235520, 234576), "{point}");
        assert!(flight + 1448 > u64::from(window), "{point}");
        let told = tcp_ladder::report::story::story(&session.connection(0).unwrap());
        let words = told.congestion.sentences.join("\n");
        // ("window then" in a run whose largest window is larger; at the client, since R20A-1,
        // round 6 alone, whose window met is its largest: "advertised window".)
        assert!(words.contains(&format!("frame {frame} took the flight to 234576 bytes, within one segment of the receiver's window then (235520 bytes")) || words.contains(&format!("frame {frame} took the flight to 234576 bytes, within one segment of the receiver's advertised window (235520 bytes)")), "{point}: {words}");
    }
}

/// R18-13: ndpi_heuristic_tcp_ack_payload stream 0, frame 63 (ack=5287) is one past the
/// client's FIN (frame 62, seq=5286, its 2 zero bytes no data), 49.7 ms after it: not frame 56's
/// zeros "held 14.948 s on the way".
#[test]
fn an_ack_names_the_segment_it_ends_at_without_the_zeros() {
    let session = common::shared_session("ndpi_heuristic_tcp_ack_payload.pcap");
    let words = common::segment_words(&session, 0, 63);
    assert!(words.contains("It acknowledges frame 62 exactly, 49.7 ms after") && !words.contains("held somewhere"), "{words}");
}

/// R18-15: stream 4's SYN-ACKs (frames 180–183) claim 2 zero bytes the client never
/// acknowledges (its ACKs stay at ack=1) and the server's frame 190 puts a ServerHello at: no
/// data, so frame 190 resends nothing, and the resend there is the SYN-ACK's (frame 182).
/// R18-14: stream 3's FIN (frame 176) carries the server's usual 6 zeros, answered by RST at
/// ack=4877: no "half-close" data after the client's FIN.
#[test]
fn a_syn_ack_and_a_last_fin_with_the_usual_zeros_carry_no_data() {
    let session = common::shared_session("ndpi_heuristic_tcp_ack_payload.pcap");
    let conn = session.connection(4).unwrap();
    let not_taken: Vec<u64> = conn.not_taken().iter().map(|n| n.frame).collect();
    for frame in [180, 181, 182, 183] {
        assert!(not_taken.contains(&frame), "{not_taken:?}");
    }
    let words = common::segment_words(&session, 4, 190);
    assert!(!words.contains("Sent again") && !words.contains("went by before"), "{words}");
    let packets: Vec<_> = conn.packets().collect();
    let resent: Vec<u64> = tcp_ladder::tcp::recovery_episodes::recovery_episodes(&packets).iter().flat_map(|e| e.resends.iter().filter(|r| !r.captured_twice).map(|r| r.frame)).collect();
    assert!(resent.contains(&182) && !resent.iter().any(|f| (184..=194).contains(f)), "the SYN-ACK went again, no data then: {resent:?}");
    let conn = session.connection(3).unwrap();
    assert!(conn.not_taken().iter().any(|n| n.frame == 176), "{:?}", conn.not_taken());
    let told = tcp_ladder::report::story::story(&conn);
    assert!(told.phases.iter().all(|p| !p.caption.contains("half-close")), "{:?}", told.phases);
}

/// R18-16: stream 5's SYN-ACK frame 222 passes 8.2 ms after the client's resent SYN (frame 219)
/// — the server's round trip from here: its answer to that SYN, not a timer after 2.048 s.
#[test]
fn a_syn_ack_answering_a_repeated_syn_is_no_timeout() {
    let session = common::shared_session("ndpi_heuristic_tcp_ack_payload.pcap");
    let packets: Vec<_> = session.connection(5).unwrap().packets().collect();
    let episodes = tcp_ladder::tcp::recovery_episodes::recovery_episodes(&packets);
    let r = episodes.iter().flat_map(|e| e.resends.iter()).find(|r| r.frame == 222).expect("frame 222 resends the SYN-ACK");
    assert_eq!(r.kind, tcp_ladder::tcp::recovery::ResendKind::Unexplained);
    let (syn, since) = r.answers_syn.expect("it answers the SYN");
    assert_eq!(syn, 219);
    assert!((8_100_000..8_300_000).contains(&since), "{since}");
    let words = common::segment_words(&session, 5, 222);
    assert!(words.contains("The answer to the client's SYN sent again (frame 219") && !words.contains("timeout"), "{words}");
}

/// R17b-15: a first round of a few short segments that together carry less than one segment
/// (zeek_http_get-gzip's server: 17 + 325 bytes, frames 6 and 8; ndpi_ocsp stream 4's 445 + 472
/// against MSS 1460) is the application's limit, not "slow start, 2 segments in flight"; many
/// small segments (real/bulk_100k: 372 of 88 bytes) stay the window's, as Linux counts it in
/// segments (`review_r11.rs`).
#[test]
fn a_round_of_less_than_one_segment_is_the_applications() {
    for (file, stream, from_client, frames) in [("zeek_http_get-gzip.pcap", 0, false, (6, 8)), ("ndpi_ocsp.pcapng", 4, false, (124, 125))] {
        let session = common::shared_session(file);
        let rounds = rounds_of(&session, stream, from_client);
        let first = &rounds[0];
        assert_eq!((first.first_frame, first.last_frame), frames, "{file}");
        assert!(first.segments > 1 && first.bytes < 1400, "{file}: {first:?}");
        assert_eq!((first.phase, first.single_short), (tcp_ladder::tcp::congestion::Phase::ApplicationLimited, true), "{file}");
        let told = tcp_ladder::report::story::story(&session.connection(stream).unwrap());
        let words = told.congestion.sentences.join("\n");
        assert!(words.contains("the round's segments together carried less than one segment any MSS allows") && !words.contains("slow start, 2 segments"), "{file}: {words}");
    }
}

/// R17b-16: zeek_tcp_reassembly frame 41 (ack=9011) covers frame 20's bytes 2.230 s after frame
/// 20 passed, but frame 40, 80 ms earlier, acknowledged only up to 7563, frame 20's first byte:
/// the server did not have them then. Not "held on the way for 2.2 s" as if that were the only
/// reading: a copy the capture does not hold (it misses the client's bytes 7543–7562 too) or
/// frame 20 held that long.
#[test]
fn an_ack_after_one_that_lacked_the_bytes_says_so() {
    let session = common::shared_session("zeek_tcp_reassembly.pcap");
    // (Frame 44 differs: frame 43's ack=9023 stops below frame 24, so frame 24 may have waited
    // out of order: tests/review_r20.rs.)
    for (frame, acked, earlier, earlier_ack) in [(41u64, 20u64, 40u64, 7563u32)] {
        let words = common::segment_words(&session, 0, frame);
        assert!(words.contains(&format!("It acknowledges frame {acked} exactly")) && words.contains(&format!("the server's frame {earlier}")) && words.contains(&format!("acknowledged everything below ack={earlier_ack}, a byte frame {acked} carries, and no further")), "{words}");
    }
}

/// R19-2: stream 4's client answered the SYN-ACK's copy, not the first: frame 184 (ack=1)
/// passed 0.675 ms after frame 182 (sent again 1.549 s after frame 180, the client next to the
/// capture point): the client became ESTABLISHED on frame 182; frame 180 drew no answer.
#[test]
fn an_endpoint_enters_its_state_on_the_copy_it_answered() {
    let session = common::shared_session("ndpi_heuristic_tcp_ack_payload.pcap");
    let told = tcp_ladder::report::story::story(&session.connection(4).unwrap());
    let line = told.states.client.iter().find(|s| s.state == "ESTABLISHED").expect("the client's ESTABLISHED");
    assert_eq!(line.cause, 182, "{line:?}");
}

/// The same rule at stream 2's close: the server's FIN (frame 157) drew no ACK from the client
/// for 351 ms, its copy (frame 159) one in 0.089 ms (frame 160): the client took the copy, after
/// frame 158 had acknowledged its own FIN — FIN-WAIT-2 then TIME-WAIT, not CLOSING; the
/// caption says each side's path instead of "no side acknowledging the other's FIN".
#[test]
fn a_close_names_each_sides_path_when_one_took_a_fin_copy() {
    let session = common::shared_session("ndpi_heuristic_tcp_ack_payload.pcap");
    let told = tcp_ladder::report::story::story(&session.connection(2).unwrap());
    let client: Vec<(&str, u64)> = told.states.client.iter().map(|s| (s.state, s.cause)).collect();
    assert!(client.contains(&("FIN-WAIT-2", 158)) && client.contains(&("TIME-WAIT", 159)) && !client.iter().any(|(s, _)| *s == "CLOSING"), "{client:?}");
    let caption = &told.phases.iter().find(|p| p.caption.contains("Both sides sent a FIN")).expect("the close").caption;
    assert!(caption.contains("the client goes FIN-WAIT-1 → FIN-WAIT-2 → TIME-WAIT") && caption.contains("the server goes FIN-WAIT-1 → CLOSING → TIME-WAIT"), "{caption}");
}
