//! What the eleventh independent reading (R11a on our recordings, R11b on the public captures)
//! found false, each against the packets that show it (the frames are in the reports' words).
#![cfg(not(target_arch = "wasm32"))]

mod common;

use common::read;
use tcp_ladder::report::story::story;
use tcp_ladder::session::{analyze_bytes, Session};
use tcp_ladder::tcp::congestion::congestion;
use tcp_ladder::tcp::congestion_phase::Phase;

fn shared(file: &str) -> Session {
    common::shared_session(file)
}

use common::segment_words;

/// R11a-5: real/bulk_100k, loopback, no loss, no resend, no ECN anywhere; rounds of 304 → 372 →
/// 732 segments were "congestion avoidance … about a segment a round". A sender leaves slow
/// start at a congestion signal: before any, no round is congestion avoidance.
#[test]
fn no_congestion_avoidance_before_any_congestion_signal() {
    let session = analyze_bytes(&read(&common::corpus_dir("real").join("bulk_100k.pcap.gz"))).unwrap();
    let packets: Vec<_> = session.connection(0).unwrap().packets().collect();
    let d = congestion(&packets).directions.into_iter().find(|d| d.from_client).unwrap();
    let ca: Vec<_> = d.rounds.iter().filter(|r| r.phase == Phase::CongestionAvoidance).map(|r| r.number).collect();
    assert!(ca.is_empty(), "rounds {ca:?} called congestion avoidance");
    // The round of 372 segments (frames 1152–1523; round 10 before the first round took the
    // whole initial window, session 22).
    let r10 = d.rounds.iter().find(|r| r.first_frame == 1152).unwrap();
    assert_eq!((r10.phase, r10.grew_later), (Phase::HeldBack, true), "round {}: {:?}", r10.number, r10.phase);
}

/// R11b-06: zeek_http_1000-requests…, round 325: an 853-byte reply against a 669 440-byte window
/// was "receiver-limited" because its last byte matched an edge announced long before.
#[test]
fn an_old_window_edge_matched_by_chance_is_no_full_window() {
    let session = shared("zeek_http_1000-requests-one-dropped-response.pcap.gz");
    let packets: Vec<_> = session.connection(0).unwrap().packets().collect();
    let d = congestion(&packets).directions.into_iter().find(|d| !d.from_client).unwrap();
    let limited: Vec<_> = d.rounds.iter().filter(|r| r.phase == Phase::ReceiverLimited).map(|r| (r.number, r.first_frame)).collect();
    assert!(limited.is_empty(), "receiver-limited rounds {limited:?}");
}

/// R11b-13: zeek_http_get-to-ssh-server: no segment carries FIN; the server's RST (frame 7)
/// was told as "close: the server's FIN sent, its ACK not back yet".
#[test]
fn an_rst_only_close_names_no_fin() {
    let session = shared("zeek_http_get-to-ssh-server.pcap");
    let words = story(&session.connection(0).unwrap()).time.parts;
    assert!(!words.iter().any(|l| l.contains("FIN sent")), "{}", words.join("\n"));
}

/// R11b-02: ndpi_1kxun stream 1: the client's delayed ACK (frame 46) came 200 ms after the
/// server's data (frame 34), then 44.8 s of silence; one 45 s part said "ACK not sent yet".
#[test]
fn an_ack_still_to_come_ends_when_it_comes() {
    let session = shared("ndpi_1kxun.pcap");
    let words = story(&session.connection(1).unwrap()).time.parts;
    let held = words.iter().find(|l| l.contains("ACK of the server's data not sent yet")).expect("the held ACK");
    assert!(held.starts_with("114.1 ms–314.2 ms (frames 34–34)"), "{held}");
    assert!(words.iter().any(|l| l.starts_with("314.2 ms–45.159 s (frames 46–944): both idle (neither side sending), ")), "{}", words.join("\n"));
}

/// R11b-01: fast009 frame 38: the hole (18591–21450) was filled by frame 36 (20021–21450);
/// frame 22 (20085–21450) lay inside it, the bytes above it came in frames 25–26.
#[test]
fn the_bytes_above_a_hole_start_past_its_repair() {
    let session = shared("zeek_tcp_retransmit-fast009.pcap");
    let words = segment_words(&session, 0, 38);
    assert!(words.contains("frame 25, the first of them, passed the capture point"), "{words}");
}

/// R11b-05: ndpi_ipp frame 230 acknowledges frame 229, 2896 bytes: two 1448-byte segments
/// (MSS 1460, timestamps on) the capturing host merged; not "less than two full segments".
#[test]
fn a_merged_frame_of_two_segments_is_not_less_than_two() {
    let session = shared("ndpi_ipp.pcap");
    let words = segment_words(&session, 1, 230);
    assert!(!words.is_empty());
    assert!(!words.contains("less than two full segments"), "{words}");
}

/// R11b-03: ndpi_1kxun streams 30–97 hold only segments with data (no ACK alone, SYN or FIN):
/// a client's 3.8 s think time was "network / congestion (server)", and an ACK 3.8 s late was
/// "piggybacked … so no separate ACK was needed". Without the ACKs who waited does not show.
#[test]
fn a_capture_filtered_to_payload_splits_no_time_and_claims_no_piggyback() {
    let session = shared("ndpi_1kxun.pcap");
    let conn = session.connection(47).unwrap();
    assert!(conn.packets().all(|p| p.segment.payload_len > 0) && conn.packets().count() >= 4);
    let st = story(&conn);
    assert!(st.time.parts.is_empty() && st.time.split.payload_only, "{:?}", st.time.parts);
    assert!(st.time.summary.starts_with("Where the time went cannot be told for this connection: the capture shows only its segments that carry data"), "{}", st.time.summary);
    let words = st.segments.iter().find(|s| s.frame == 1294).unwrap().explanation.clone();
    assert!(!words.contains("no separate ACK was needed") && words.contains("whether an ACK alone went earlier does not show"), "{words}");
    // A connection with its ACKs keeps its split.
    assert!(!story(&session.connection(1).unwrap()).time.parts.is_empty());
}
