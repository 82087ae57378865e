//! What the fourteenth independent reading (R14, the sentences session 20 changed) found false
//! or misleading, each against the packets that show it (the frames are in the report's words).
#![cfg(not(target_arch = "wasm32"))]

mod common;

use common::segment_words;
use tcp_ladder::tcp::time_split::{time_split, TimeKind};

/// R14-8: zeek_tcp_reassembly stream 0. The client's data 50–62 lies above a hole at 11943 that
/// nine duplicate ACKs (49–63, to 3.630 s) report; 4.010 s of silence, then the hole resent
/// (frame 64, 7.640 s) and more resends (66–74) until ACK 76 (8.930 s) and new data 77
/// (8.960 s). A retransmission timeout and its recovery, with 7.5 kB outstanding: the network's
/// time, not an application with nothing to send. The server sends no timestamps, so the
/// client's TSecr never moves and cannot say that no ACK reached it.
#[test]
fn a_timeout_and_its_resends_are_the_network_not_the_application() {
    let session = common::shared_session("zeek_tcp_reassembly.pcap");
    let packets: Vec<_> = session.connection(0).unwrap().packets().collect();
    let split = time_split(&packets);
    let (rto, resend) = (3_700_000_000i64, 8_000_000_000i64);
    for at in [rto, resend] {
        let part = split.parts.iter().find(|p| p.start_ns <= at && p.end_ns > at).expect("a part covers the wait");
        assert_eq!(part.kind, TimeKind::Network, "{part:?}");
        assert_eq!(part.client, Some(true), "{part:?}");
    }
    // A part's frames lie within its times: none begins at a frame captured after its start.
    let times: std::collections::HashMap<u64, i64> = packets.iter().map(|p| (p.frame, p.time_ns - packets[0].time_ns)).collect();
    for part in &split.parts {
        let first = times[&part.first_frame];
        assert!(first <= part.start_ns + 1_000_000, "{part:?}: frame {} at {first} ns", part.first_frame);
    }
    // Frame 64 (the resent hole) is still explained as the timeout it was.
    assert!(segment_words(&session, 0, 64).contains("timeout"), "{}", segment_words(&session, 0, 64));
}

/// R14-3: ndpi_1kxun holds 219 pure ACKs (streams 1–29), so the capture was not filtered to
/// payload; stream 35 is four data segments with no handshake — a request and an answer whose
/// ACKs all ride on data. Its sentences said "this capture holds no segment without payload
/// (it was filtered to payload)": they now say what this connection shows, and both readings.
#[test]
fn a_connection_without_bare_segments_does_not_say_its_capture_was_filtered() {
    use tcp_ladder::report::story::story;
    let session = common::shared_session("ndpi_1kxun.pcap");
    let bare = session.packets().filter(|p| p.segment.payload_len == 0).count();
    assert!(bare > 200, "{bare} segments without payload in the capture");
    let conn = session.connection(35).unwrap();
    assert!(conn.payload_only());
    let s = story(&conn);
    let words = s.congestion.sentences.iter().chain(&s.time.parts).chain(std::iter::once(&s.time.summary)).cloned().collect::<Vec<_>>().join("\n");
    assert!(!words.contains("this capture holds") && !words.contains("(it was filtered to payload)"), "{words}");
    assert!(words.contains("or caught only an exchange whose every ACK rode on data"), "{words}");
}

fn local(folder: &str, file: &str) -> tcp_ladder::session::Session {
    tcp_ladder::session::analyze_bytes(&common::read(&common::corpus_dir(folder).join(file))).unwrap()
}

fn state_why(session: &tcp_ladder::session::Session, stream: u32, server: bool, state: &str) -> String {
    let s = tcp_ladder::report::story::story(&session.connection(stream).unwrap());
    let side = if server { &s.states.server } else { &s.states.client };
    side.iter().find(|w| w.state == state).map(|w| w.why.clone()).unwrap_or_default()
}

/// R14-1: delayed/bulk_at_client: the client's last burst (1955–1962, 4 µs) ends with data and
/// FIN in frame 1962; the server's 2435 acknowledges below the FIN and 2436, 19 µs later, all of
/// it. At the server (bulk_at_server) that ACK left before the burst's last frames arrived, in
/// order: no hole, nothing resent. From the client (62 ms against a 50.6 ms round trip) crossing
/// and bytes being taken in look alike: the words claim no hole. Where a segment below the FIN came after it
/// (drop_mid_at_sender: frame 269 fills 143353), the FIN waited for it, as before.
#[test]
fn a_fins_ack_below_it_with_no_hole_seen_claims_no_hole() {
    let why = state_why(&local("delayed", "bulk_at_client.pcap"), 0, true, "CLOSE-WAIT");
    assert!(why.contains("it was sent while the bytes before the FIN were still arriving or being taken in (nothing shows a hole") && !why.contains("had not all arrived"), "{why}");
    // R15-1: zeek_tcp_timestamp, captured next to the client: the FIN (873) had reached the
    // client 0.287 ms before its frame 875 acknowledged the bytes below it — no crossing.
    let why = state_why(&common::shared_session("zeek_tcp_timestamp.pcap"), 0, false, "CLOSE-WAIT");
    assert!(!why.contains("crossed") && why.contains("still arriving or being taken in"), "{why}");
    let why = state_why(&local("lossy", "drop_mid_at_sender.pcap"), 0, true, "CLOSE-WAIT");
    assert!(why.contains("had not all arrived (frame 269 brought them)"), "{why}");
}

/// R14-2: delayed/bulk_at_server: the window the sender filled is named, not the round's
/// largest (the bracket gave 476160, frame 576's window). Since R18-8 the rounds are the
/// sender's (round 6 from frame 381): its flight met the window of 235520 bytes the ACKs of
/// frames 402–410 announced, as at the client and in the middle (`review_r18.rs`).
#[test]
fn an_edge_filled_round_names_the_window_that_was_filled() {
    let s = tcp_ladder::report::story::story(&local("delayed", "bulk_at_server.pcap").connection(0).unwrap());
    let words = s.congestion.sentences.join("\n");
    assert!(words.contains("within one segment of the receiver's window then (235520 bytes"), "{words}");
    assert!(!words.contains("476160 bytes at most") && !words.contains("(612352 bytes at most)"), "{words}");
}

/// R14-4/5: the IP identifications tell what filled a hole. rack_at_receiver frame 22
/// (0x0b25, after frame 20's 0x0b24; the relay dropped the first copy) and
/// spurious_fast_at_receiver frame 117 (0xc446 after 116's 0xc445; the relay held the first
/// copy 80 ms, it passes in frame 178) are resends; reorder_at_receiver frame 132 (0xebb9, under
/// frame 128's 0xebba; the relay held it back) was sent before the bytes above and overtaken.
#[test]
fn what_filled_a_hole_is_told_by_the_ip_identification() {
    let rack = segment_words(&local("lossy", "rack_at_receiver.pcap"), 0, 23);
    assert!(rack.contains("only after frame 22 ") && rack.contains("a resend: its IP identification (0x0b25) follows frame 20's (0x0b24)"), "{rack}");
    let spurious = segment_words(&local("lossy", "spurious_fast_at_receiver.pcap"), 0, 118);
    assert!(spurious.contains("a resend: its IP identification (0xc446) follows frame 116's (0xc445)"), "{spurious}");
    let reorder = segment_words(&local("lossy", "reorder_at_receiver.pcap"), 0, 133);
    assert!(reorder.contains("overtaken by them on the way: its IP identification (0xebb9) is just below that of frame 128 (0xebba)"), "{reorder}");
    for w in [&rack, &spurious, &reorder] {
        assert!(!w.contains("the capture cannot tell"), "{w}");
    }
}

/// R14-6: zeek_tcp_ctu-64702-888: the server's FIN (frame 5) was all that lay above the hole;
/// it waited 0.215 ms for frame 7 and the ACK (11) came 0.201 ms after frame 7. The 0.416 ms was
/// "still about a round trip … frame 5's did not [wait]".
#[test]
fn a_lone_segment_above_the_hole_waited_itself() {
    let w = segment_words(&common::shared_session("zeek_tcp_ctu-64702-888.pcap"), 0, 11);
    assert!(!w.contains("still about a round trip") && !w.contains("frame 5's did not"), "{w}");
    assert!(w.contains("Frame 5 was all that lay above the hole, and this ACK came 0.201 ms after frame 7"), "{w}");
    assert!(w.contains("waited about 0.215 ms for it"), "{w}");
}

/// R14-7: ndpi_rtsp stream 2: frames 133–136 are one datagram (IP ID 0x5717, TTL 128/127)
/// captured four times; ACK 137 was said to be Karn-ambiguous. It measures frame 133.
#[test]
fn a_segment_captured_four_times_is_no_resend_for_its_ack() {
    let w = segment_words(&common::shared_session("ndpi_rtsp.pcap"), 2, 137);
    assert!(!w.contains("Karn") && !w.contains("were sent again"), "{w}");
    assert!(w.contains("It acknowledges frame 133 exactly, 0.433 ms after"), "{w}");
}

/// R14-9: zeek_tcp_reassembly: the server's FIN went four times (6, 8, 10, 12); the client's
/// ACK 13 came 9.4 ms after the fourth, answering an earlier copy. The client's round trip from
/// here is 30.5 ms (SYN-ACK 2 → ACK 3): a segment sent again gives no sample (Karn).
#[test]
fn the_quickest_answer_takes_no_sample_from_a_segment_sent_again() {
    let why = state_why(&common::shared_session("zeek_tcp_reassembly.pcap"), 0, false, "CLOSE-WAIT");
    assert!(why.contains("more than twice the quickest the client acknowledged anything from here (30.5 ms)"), "{why}");
}

/// R14-10: drop_mid_at_sender (the sender's capture): the bytes above the hole (from frame 129)
/// waited for the resend (269) about 30.7 ms at the receiver — both passed here a one-way trip
/// from it; the 62.5 ms from frame 129 to the ACK includes the ACK's way back.
#[test]
fn the_wait_above_a_hole_runs_to_the_repair_not_to_the_ack() {
    let w = segment_words(&local("lossy", "drop_mid_at_sender.pcap"), 0, 371);
    assert!(w.contains("The bytes above the hole waited about 30.7 ms for it: frame 129, the first of them, passed the capture point 30.7 ms before frame 269 (62.5 ms before this ACK)"), "{w}");
}

/// R13b-7: ndpi_1kxun stream 81 is a request (1584) and its answer (1678) 1.084 s later, no
/// segment without data: how much was the path and how much the server does not show. It was
/// "network / congestion 1.084 s (100 %)"; the answer's ACK "piggybacked … so no separate ACK
/// was needed".
#[test]
fn a_lone_request_and_its_answer_without_acks_split_no_time() {
    use tcp_ladder::report::story::story;
    let session = common::shared_session("ndpi_1kxun.pcap");
    let conn = session.connection(81).unwrap();
    assert_eq!(conn.packets().count(), 2);
    assert!(conn.payload_only());
    let s = story(&conn);
    assert!(s.time.parts.is_empty() && s.time.summary.starts_with("Where the time went cannot be told"), "{}", s.time.summary);
    let answer = s.segments.iter().find(|w| w.frame == 1678).unwrap();
    assert!(!answer.explanation.contains("no separate ACK was needed"), "{}", answer.explanation);
}

/// R15-2: zeek_tcp_reassembly: after ACK 78 (8.960 s) everything the client sent is acknowledged
/// and it sends nothing until frame 79 (9.240 s): its application's time. The client's TSvals
/// tick about every 90 ms, so 77 and 79, one tick apart, may have left 180 ms apart: no proof
/// that the path held frame 79.
/// R15-3: a part's first frame is the one at its start time (ndpi_heuristic_tcp_ack_payload
/// stream 0: 115.696 s is frame 56, not frame 55 of 70.688 s).
#[test]
fn a_coarse_timestamp_clock_proves_no_hold_and_parts_start_at_their_frame() {
    let session = common::shared_session("zeek_tcp_reassembly.pcap");
    let packets: Vec<_> = session.connection(0).unwrap().packets().collect();
    let split = time_split(&packets);
    let part = split.parts.iter().find(|p| p.start_ns <= 9_100_000_000 && p.end_ns > 9_100_000_000).unwrap();
    assert_eq!((part.kind, part.client), (TimeKind::SenderApplication, Some(true)), "{part:?}");
    let session = common::shared_session("ndpi_heuristic_tcp_ack_payload.pcap");
    let packets: Vec<_> = session.connection(0).unwrap().packets().collect();
    let origin = packets[0].time_ns;
    let split = time_split(&packets);
    for part in &split.parts {
        let at = packets.iter().find(|p| p.frame == part.first_frame).map(|p| p.time_ns - origin).unwrap();
        // A frame captured at the part's very start is the one it names.
        let at_start = packets.iter().any(|p| p.time_ns - origin == part.start_ns);
        assert!(at <= part.start_ns && (!at_start || at == part.start_ns), "{part:?}: its first frame at {at} ns");
    }
}

/// R13b-12: ndpi_tcp_scan streams 4–6: a FIN probe, a NULL probe and an Xmas probe, each
/// answered by an RST: no connection existed, so there is no close (stream 4 was "close: the
/// client's FIN sent, its ACK not back yet") and no idle time (stream 5 was "both idle").
#[test]
fn a_probe_and_its_rst_are_no_connections_time() {
    use tcp_ladder::report::story::story;
    let session = common::shared_session("ndpi_tcp_scan.pcapng");
    for (stream, probe, rst) in [(4, 21, 22), (5, 25, 26), (6, 29, 30)] {
        let t = story(&session.connection(stream).unwrap()).time;
        assert!(t.parts.is_empty(), "stream {stream}: {:?}", t.parts);
        assert!(t.summary.contains("no connection existed") && t.summary.contains(&format!("(frame {probe})")) && t.summary.contains(&format!("(frame {rst},")), "stream {stream}: {}", t.summary);
    }
}

/// R13b-15: zeek_ftp_ipv6 (captured near the client, the server 53.4 ms away): the server sends
/// a full segment (frame 12, 1208 bytes) and its 1009-byte rest (frame 14) only after the
/// client's delayed ACK of it (frame 13, 100.3 ms) has reached it — frame 14 echoes frame 13's
/// TSval. RFC 896's Nagle holds a short segment while anything is unacknowledged; the ACK of
/// the earlier 6 bytes (frame 11) freed no room for it. It was "sending application 209.5 ms".
#[test]
fn a_short_rest_held_behind_a_full_segment_until_its_delayed_ack_is_not_the_application() {
    let session = common::shared_session("zeek_ftp_ipv6.pcap");
    let packets: Vec<_> = session.connection(0).unwrap().packets().collect();
    let split = time_split(&packets);
    let at = |ns: i64| split.parts.iter().find(|p| p.start_ns <= ns && p.end_ns > ns).map(|p| (p.kind, p.client)).unwrap();
    assert_eq!(at(4_100_000_000), (TimeKind::ReceiverDelay, Some(true)));
    assert_eq!(at(4_250_000_000), (TimeKind::Network, Some(false)));
}

/// R13b-13: zeek_tcp_timestamp (near the client): the client delays its ACK of frame 130 (131,
/// 40.3 ms), but ACK 129 had released the next round, which arrives 47.5 ms after it (frame 132):
/// the server never waited for ACK 131. 212.0–251.9 ms was "the client holding its ACK".
#[test]
fn a_held_ack_holds_nothing_up_while_the_previous_acks_round_is_on_its_way() {
    let session = common::shared_session("zeek_tcp_timestamp.pcap");
    let packets: Vec<_> = session.connection(0).unwrap().packets().collect();
    let split = time_split(&packets);
    assert!(!split.parts.iter().any(|p| p.kind == TimeKind::ReceiverDelay && p.start_ns < 260_000_000 && p.end_ns > 212_000_000), "{:?}", split.parts);
}

/// R13b-6: zeek_http_206_example_b stream 0 (captured 0.35 ms from the client): from 1.552 s the
/// server only resends (24 copies, its timer backing off to 15.6 s) and the client, which had
/// answered every segment within a millisecond, answers none; the server gives up with RST at
/// 82.3 s. "network / congestion" alone suggested a slow path.
#[test]
fn resends_that_draw_no_answer_next_to_the_receiver_say_it_stopped_answering() {
    use tcp_ladder::report::story::story;
    let session = common::shared_session("zeek_http_206_example_b.pcap");
    let parts = story(&session.connection(0).unwrap()).time.parts;
    let line = parts.iter().find(|l| l.contains("(frames 1278–1301)")).unwrap();
    assert!(line.contains("the server only resent (24 copies), and the client, 0.348 ms from this capture point, answered none of them"), "{line}");
    // An ordinary recovery's network part says nothing of the kind.
    let lossy = tcp_ladder::session::analyze_bytes(&common::read(&common::corpus_dir("lossy").join("rto_backoff_at_sender.pcap"))).unwrap();
    let words = story(&lossy.connection(0).unwrap()).time.parts.join("\n");
    assert!(!words.contains("answered none of them"), "{words}");
}

/// R16-1/2: the application-limited words named "a full segment (N bytes or the peer's MSS)"
/// where the round held a segment of exactly N bytes (ndpi_anydesk, zeek_redis_pubsub) and "1
/// bytes" for a round of one 1-byte segment (ndpi_1kxun stream 18). They now say which rule
/// applied: the round ended short of the largest segment the capture shows, or it was one
/// segment shorter than any MSS allows.
#[test]
fn application_limited_words_say_which_rule_applied() {
    use tcp_ladder::report::story::story;
    let session = common::shared_session("ndpi_1kxun.pcap");
    let words = story(&session.connection(18).unwrap()).congestion.sentences.join("\n");
    // (R20D-8: that 1-byte segment is a keep-alive probe the server D-SACKs: no round at all.)
    assert!(!words.contains("(1 bytes") && !words.contains("application-limited"), "{words}");
    for (file, stream) in [("ndpi_anydesk.pcapng", 0), ("zeek_redis_pubsub.pcap", 0)] {
        let words = story(&common::shared_session(file).connection(stream).unwrap()).congestion.sentences.join("\n");
        assert!(!words.contains("or the peer's MSS"), "{file}: {words}");
    }
}
