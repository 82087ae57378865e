//! What the eleventh independent reading (R11b, the public captures) found false and session 19
//! left open, each against the packets that show it (the frames are in the report's words).
#![cfg(not(target_arch = "wasm32"))]

mod common;

use common::read;
use tcp_ladder::report::story::story;
use tcp_ladder::session::{analyze_bytes, Session};

fn shared(file: &str) -> Session {
    common::shared_session(file)
}

use common::segment_words;

/// R11b-10: zeek_tcp_ctu-64702-888: the server's FIN (frame 5) arrived before the 13 bytes
/// sent ahead of it (frame 7, lower IP ID); the client's duplicate ACK (frame 9/10, ack=1)
/// asked for them and frame 11 (ack=15) acknowledged data and FIN together. The client's
/// CLOSE-WAIT was explained "the two segments crossed"; frame 11 named frame 8, a capture copy
/// of frame 7, as "the repair".
#[test]
fn a_fin_ahead_of_missing_bytes_waits_for_them_and_crossed_nothing() {
    let session = shared("zeek_tcp_ctu-64702-888.pcap");
    let s = story(&session.connection(0).unwrap());
    let close_wait = s.states.client.iter().find(|w| w.state == "CLOSE-WAIT").unwrap();
    assert!(!close_wait.why.contains("crossed"), "{}", close_wait.why);
    assert!(close_wait.why.contains("bytes sent before the FIN had not all arrived (frame 7 brought them)"), "{}", close_wait.why);
    let ack = segment_words(&session, 0, 11);
    assert!(ack.contains("only after frame 7 ") && !ack.contains("frame 8") && !ack.contains("repair"), "{ack}");
    // (Its IP identification, 0x37d6 under the FIN's 0x37d7, says it was sent before: R14-5.)
    assert!(ack.contains("sent before the bytes above the hole and overtaken by them on the way"), "{ack}");
}

/// Where the FINs really crossed (zeek_http_get-gzip frames 10/11: frame 11 left the server
/// about 11 ms before frame 10 could arrive) the crossing is still said.
#[test]
fn fins_that_crossed_are_still_said_to_cross() {
    let session = shared("zeek_http_get-gzip.pcap");
    let s = story(&session.connection(0).unwrap());
    let all: Vec<_> = s.states.client.iter().chain(&s.states.server).map(|w| w.why.as_str()).collect();
    assert!(all.iter().any(|w| w.contains("the two segments crossed")), "{all:#?}");
    assert!(!all.iter().any(|w| w.contains("had not all arrived")), "{all:#?}");
}

/// R11b-15: zeek_http_206_example_b stream 0, captured near the client (handshake: server
/// 35.8 ms away). From 0.53 s the server sends a burst every 72 ms, each answering the client's
/// ACKs within 0.5 ms and carrying more than a 65 535-byte window per 72 ms (65.8 → 141.4 KB):
/// it learned of those ACKs far sooner than 35.8 ms, so the window it "could have known" by that
/// estimate was no limit. 529 ms – 1.026 s had been "receiver's window" with ≥ 45 KB of the
/// window open after every segment.
#[test]
fn a_sender_that_outruns_the_estimated_lag_is_not_held_by_the_window_it_could_know() {
    use tcp_ladder::tcp::time_split::{time_split, TimeKind};
    let session = shared("zeek_http_206_example_b.pcap");
    let packets: Vec<_> = session.connection(0).unwrap().packets().collect();
    let split = time_split(&packets);
    let window: Vec<_> = split
        .parts
        .iter()
        .filter(|p| p.kind == TimeKind::ReceiverWindow && p.end_ns > 520_000_000 && p.start_ns < 960_000_000)
        .map(|p| (p.start_ns / 1_000_000, p.end_ns / 1_000_000, p.first_frame, p.last_frame))
        .collect();
    assert!(window.is_empty(), "receiver's window parts in 0.52–0.96 s: {window:?}");
    // The zero window the client's slow reading closed (frames 166–216) stays the receiver's.
    let zero = split.parts.iter().filter(|p| p.kind.window_limited() && p.start_ns < 436_000_000 && p.end_ns > 500_000_000).count();
    assert_eq!(zero, 1, "{:?}", split.parts.iter().map(|p| (p.kind, p.start_ns / 1_000_000, p.end_ns / 1_000_000)).collect::<Vec<_>>());
}

/// R11b-04: ndpi_ipp stream 1, captured next to the client (0.005 ms). Frame 230 acknowledges
/// everything (nothing in flight) and leaves a 168-byte window, less than a segment: the client
/// waits for its persist timer and sends those 168 bytes 218 ms later (frame 231); its resend
/// (232) is not needed (frame 233 echoes 231's TSval) and the window closes. The 110.7 ms before
/// frame 230 (quickest ACK 0.7 ms) and the 218 ms after frame 231 are the server holding its
/// ACK with its window full. Three parts had said "network / congestion" (100.7, 208.0, 210.2 ms).
#[test]
fn a_window_below_a_segment_with_nothing_in_flight_and_an_ack_held_past_the_timer_are_the_receivers() {
    use tcp_ladder::tcp::time_split::{time_split, TimeKind};
    let session = shared("ndpi_ipp.pcap");
    let packets: Vec<_> = session.connection(1).unwrap().packets().collect();
    let split = time_split(&packets);
    let network: Vec<_> = split
        .parts
        .iter()
        .filter(|p| p.kind == TimeKind::Network && p.end_ns > 370_000_000 && p.start_ns < 1_130_000_000 && p.duration_ns() > 5_000_000)
        .map(|p| (p.start_ns / 1_000_000, p.end_ns / 1_000_000, p.first_frame, p.last_frame))
        .collect();
    assert!(network.is_empty(), "network parts in 0.37–1.13 s: {network:?}");
    let window_ms = split.parts.iter().filter(|p| p.kind.window_limited() && p.client == Some(true) && p.end_ns > 370_000_000 && p.start_ns < 1_130_000_000).map(|p| p.duration_ns()).sum::<i64>() / 1_000_000;
    assert!(window_ms > 700, "window-limited {window_ms} ms of 0.37–1.13 s");
}

fn lossy(file: &str) -> Session {
    analyze_bytes(&read(&common::corpus_dir("lossy").join(file))).unwrap()
}

/// R13a-F3: drop_mid_at_sender frame 371 acknowledges up to frame 265 (the last data, 0.353761
/// s); the repair (frame 269) left 46 µs after it, and the ACK came 31.9 ms after frame 265
/// against a quickest ACK-RTT of 30.2 ms: a round trip, not "no round trip". Same in
/// spurious_fast_at_sender frame 126 (repair 32 µs after frame 114, 30.6 ms).
/// R13a-F4: spurious_rto_at_sender frame 189: Karn's ambiguity forbids the sample; it does not
/// make the 480.7 ms "no round trip" (the D-SACK in frame 210 shows the first copy arrived).
#[test]
fn an_ack_after_a_repair_sent_at_once_still_measures_a_round_trip_and_karn_forbids_only_the_sample() {
    for (file, frame, since) in [("drop_mid_at_sender.pcap", 371, 265), ("spurious_fast_at_sender.pcap", 126, 114)] {
        let words = segment_words(&lossy(file), 0, frame);
        assert!(words.contains(&format!("since frame {since} (Wireshark's ACK-RTT) is still about a round trip")), "{file} {frame}: {words}");
        assert!(!words.contains("no round trip"), "{file} {frame}: {words}");
    }
    let words = segment_words(&lossy("spurious_rto_at_sender.pcap"), 0, 189);
    assert!(words.contains("Karn's ambiguity") && words.contains("cannot be taken as a round trip") && !words.contains("is no round trip"), "{words}");
    // Where the repair left long after (rack_at_sender: 44 ms), the ACK-RTT is still no round trip.
    let session = lossy("rack_at_sender.pcap");
    let conn = session.connection(0).unwrap();
    let no_rtt = story(&conn).segments.iter().filter(|s| s.explanation.contains("An ACK that waited for a hole") && s.explanation.contains("together, no round trip")).count();
    assert!(no_rtt >= 1, "rack_at_sender lost its hole-filled ACK");
}

/// R13a-F5: a FIN's ACK held by the receiver's delayed-ACK timer (delayed_ack_at_receiver frames
/// 125–126: 41.7 ms at the server) is no ACK "not back yet": the close part says only that the
/// FIN was not acknowledged yet.
#[test]
fn a_close_part_does_not_say_the_fins_ack_was_travelling() {
    let session = lossy("delayed_ack_at_receiver.pcap");
    let parts = story(&session.connection(0).unwrap()).time.parts;
    assert!(parts.iter().any(|l| l.contains("close: the client's FIN sent, not acknowledged yet")), "{}", parts.join("\n"));
    assert!(!parts.iter().any(|l| l.contains("not back yet")), "{}", parts.join("\n"));
}

/// R13a-F1: app_limited, captured at the receiver (client 15.1 ms away): the client's writes
/// every 20 ms went out on their own (frames 58, 60, 61 echo the same TSecr: no ACK had reached
/// the client between them; frame 60 left 8 ticks of the client's clock after 58), yet 587.5 ms
/// (26 %) were "network / congestion" against 28.9 ms at the sender. ss: cwnd 10, app-limited.
#[test]
fn writes_that_no_ack_prompted_are_the_applications_at_the_receiver_too() {
    use tcp_ladder::tcp::time_split::{time_split, TimeKind};
    let split = |file: &str| {
        let session = lossy(file);
        let packets: Vec<_> = session.connection(0).unwrap().packets().collect();
        time_split(&packets)
    };
    let (at_sender, at_receiver) = (split("app_limited_at_sender.pcap"), split("app_limited_at_receiver.pcap"));
    let ms = |s: &tcp_ladder::tcp::time_split::TimeSplit, k: TimeKind| s.total(k) as f64 / 1e6;
    let network = ms(&at_receiver, TimeKind::Network);
    // (It was 26 % of the duration; what is left is short gaps the path may have spread.)
    assert!(network < 0.1 * at_receiver.duration_ns as f64 / 1e6, "network at the receiver {network:.1} ms (at the sender {:.1})", ms(&at_sender, TimeKind::Network));
    let (app_s, app_r) = (ms(&at_sender, TimeKind::SenderApplication), ms(&at_receiver, TimeKind::SenderApplication));
    assert!((app_s - app_r).abs() < 0.1 * at_sender.duration_ns as f64 / 1e6, "sending application {app_s:.1} ms at the sender, {app_r:.1} at the receiver");
}

/// R13a-F2: rto_backoff_at_sender: the round after the timeout is frame 27 alone, a 1-byte
/// write 2 s later (application-limited): it cannot show the sender "started again from one
/// segment".
#[test]
fn a_round_with_nothing_more_to_send_does_not_show_the_restart_from_one_segment() {
    let session = lossy("rto_backoff_at_sender.pcap");
    let words = story(&session.connection(0).unwrap()).congestion.sentences.join("\n");
    assert!(!words.contains("out: the sender started again from one segment"), "{words}");
    assert!(words.contains("does not show whether the sender started again from one segment"), "{words}");
}

/// R13b-2: "the two segments crossed" was said of segments seconds apart: zeek_tcp_reassembly's
/// client FIN (frame 110) lay beyond a hole and was not kept; the server's frame 115, 3.25 s
/// later against a 0.05 ms quickest answer, could not have crossed it. Likewise the server's
/// FIN (frame 6) and the client's frame 11, 250 ms later against 9.4 ms.
/// R13b-4: frame 117 answers the resend of 110's tail (frame 116, 0.41 ms before), not frame
/// 110 "held somewhere on the way" for 3.27 s.
#[test]
fn segments_seconds_apart_did_not_cross_and_an_ack_of_a_resent_tail_is_karns() {
    let session = shared("zeek_tcp_reassembly.pcap");
    let s = story(&session.connection(0).unwrap());
    let whys: Vec<_> = s.states.client.iter().chain(&s.states.server).map(|w| w.why.clone()).collect();
    assert!(!whys.iter().any(|w| w.contains("crossed")), "{whys:#?}");
    assert_eq!(whys.iter().filter(|w| w.contains("they did not cross")).count(), 2, "{whys:#?}");
    let ack = segment_words(&session, 0, 117);
    // (R22-1/R23C-2, session 26: frame 115 still asked for byte 33134 3.25 s after frame 110's
    // copy passed, close to the server: frame 117 answers frame 116, no longer Karn's doubt.)
    assert!(ack.contains("it answers frame 116, captured 0.410 ms before it") && !ack.contains("held somewhere"), "{ack}");
}

/// R13b-16: zeek_tcp_timestamp (near the client, round trip 47.5–51.3 ms): the data 35.7 ms after
/// ACK 279 had left the server before that ACK could reach it: no application pause shows.
/// R13b-14: ndpi_1kxun streams 4 and 7: a whole initial window out (10–11 segments) and the next
/// data 65 ms after the ACK that freed room (round trip 54.7 ms): only the excess, about 11 ms
/// in stream 7 (19 ms in stream 4), can be the server's application.
#[test]
fn no_application_pause_shows_before_the_acks_round_trip() {
    use tcp_ladder::tcp::time_split::{time_split, TimeKind};
    // (The server's: since R26D-6 the client's pause before its first request, 4–6 ms in
    // 1kxun's streams, is its application's too.)
    let app_ms = |file: &str, stream: u32| {
        let session = shared(file);
        let packets: Vec<_> = session.connection(stream).unwrap().packets().collect();
        time_split(&packets).parts.iter().filter(|p| p.kind == TimeKind::SenderApplication && p.client == Some(false)).map(|p| p.duration_ns()).sum::<i64>() as f64 / 1e6
    };
    assert_eq!(app_ms("zeek_tcp_timestamp.pcap", 0), 0.0);
    let (s7, s4) = (app_ms("ndpi_1kxun.pcap", 7), app_ms("ndpi_1kxun.pcap", 4));
    assert!(s7 < 15.0 && s4 < 25.0, "sending application: stream 7 {s7:.1} ms, stream 4 {s4:.1} ms");
}

/// R13b-9: 206_example_b stream 1, round 9: "came within one segment of the receiver's
/// advertised window" for a flight of 35 segments against 65 535 bytes. What made it
/// receiver-limited is frame 1509 (1135 bytes) ending exactly at the edge ACK 1456 announced
/// (112 001 + 65 535 = 177 536), as frame 1522 ends at ACK 1473's: the words say that.
/// R11b-11 / R13b-17: ndpi_1kxun's payload-only streams (GRO-merged frames up to 21 600 bytes,
/// no ACK alone): no rounds, and the story says why.
#[test]
fn an_edge_filled_round_says_so_and_a_payload_only_capture_has_no_rounds() {
    let session = shared("zeek_http_206_example_b.pcap");
    let words = story(&session.connection(1).unwrap()).congestion.sentences.join("\n");
    assert!(words.contains("frame 1509, shorter than a full segment, ends exactly at the right edge"), "{words}");
    assert!(!words.contains("came within one segment of the receiver's advertised window (65535"), "{words}");
    let session = shared("ndpi_1kxun.pcap");
    for stream in [42, 49] {
        let conn = session.connection(stream).unwrap();
        assert!(conn.payload_only());
        let c = story(&conn).congestion;
        assert!(c.directions.is_empty() && c.sentences.len() == 1 && c.sentences[0].contains("filtered to payload"), "{:?}", c.sentences);
    }
}

/// R13b-1: ndpi_1kxun streams 6, 7, 9 (near the client, the server 27 ms away): the server sent
/// its short last segment while its short first one was unacknowledged as it knew it (the ACK
/// passed here 7 ms before, 54.7 ms from the server): its TCP held no short rest, so no part
/// offers Nagle as a reading.
#[test]
fn a_sender_that_sent_a_second_short_segment_before_the_ack_reached_it_is_no_nagle_sender() {
    let session = shared("ndpi_1kxun.pcap");
    for stream in [6, 7, 9] {
        let parts = story(&session.connection(stream).unwrap()).time.parts;
        assert!(!parts.iter().any(|l| l.contains("holding the short rest")), "stream {stream}: {}", parts.join("\n"));
    }
}

/// R13b-8: chrissanders_tcp_retransmissions: the client's 648 bytes sent six times on a
/// doubling timer and nothing from the server: data segments only, but nothing was filtered —
/// the server was silent. Filtered to payload needs data from both ends.
#[test]
fn a_sender_resending_into_silence_is_no_capture_filtered_to_payload() {
    let session = shared("chrissanders_tcp_retransmissions.pcapng");
    let conn = session.connection(0).unwrap();
    assert!(!conn.payload_only());
    let s = story(&conn);
    assert!(!s.time.parts.iter().chain(&s.congestion.sentences).any(|l| l.contains("filtered to payload")), "{:?}", s.time.parts);
}

/// R13a-F7: spurious_at_sender's FIN (frame 257) rides on its last 456 bytes: the application
/// had closed while they were queued, and ss shows the socket in FIN-WAIT-1 0.52 s before.
/// The state's words say the frame is the latest it can have been; a bare FIN's stay as they were.
#[test]
fn a_fin_riding_on_queued_data_dates_fin_wait_1_at_the_latest() {
    let words = |file: &str| story(&lossy(file).connection(0).unwrap()).states.client.iter().find(|w| w.state == "FIN-WAIT-1").map(|w| w.why.clone()).unwrap();
    let riding = words("spurious_at_sender.pcap");
    assert!(riding.contains("its FIN riding on 456 bytes of data") && riding.contains("frame 257 is the latest it can have been"), "{riding}");
    let bare = words("app_limited_at_sender.pcap");
    assert!(!bare.contains("riding on"), "{bare}");
}
