//! Connections made by the kernel's own TCP stack on loopback (tests/captures/real/record.sh):
//! every open and close shape, who closed, and each endpoint's states, frame by frame. The two
//! seed programs of the source documents (004) come first.
#![cfg(not(target_arch = "wasm32"))]

mod common;

use common::{corpus_dir, read};
use tcp_ladder::session::{analyze_bytes, Session};
use tcp_ladder::tcp::lifecycle::{CloseShape, ClosedBy, OpenShape, Shapes};

fn session(name: &str) -> Session {
    analyze_bytes(&read(&corpus_dir("real").join(name))).unwrap()
}

/// Each endpoint's (state, frame) list of stream `stream`.
fn states(s: &Session, stream: usize, client: bool) -> Vec<(&'static str, u64)> {
    s.connection(stream as u32).unwrap().states().side(client).iter().map(|c| (c.state.rfc_name(), c.frame)).collect()
}

fn shapes(s: &Session, stream: usize) -> Shapes {
    s.streams()[stream].lifecycle.shapes()
}

#[test]
fn seed_server_closes_at_once_three_segment_close() {
    let s = session("seed_close_immediately.pcap");
    assert_eq!(s.packet_count(), 10, "the document's 10 frames");
    let sh = shapes(&s, 0);
    assert_eq!(sh.open, OpenShape::Handshake);
    assert_eq!(sh.open_frames, Some((1, 3)));
    assert_eq!(sh.close, Some(CloseShape::ThreeSegment));
    assert_eq!(sh.close_frames, Some((8, 10)));
    assert_eq!(sh.closed_by, Some(ClosedBy::Server));
    // Frame 7 acknowledges the data only (ack=129); frame 9 carries the client's FIN and its
    // ACK of the server's FIN (ack=130).
    assert_eq!((s.packet(6).unwrap().ack, s.packet(8).unwrap().ack), (129, 130));
    assert!(s.packet(8).unwrap().segment.flags.fin());
    assert_eq!(states(&s, 0, true), [("SYN-SENT", 1), ("ESTABLISHED", 2), ("CLOSE-WAIT", 8), ("LAST-ACK", 9), ("CLOSED", 10)]);
    assert_eq!(
        states(&s, 0, false),
        [("LISTEN", 1), ("SYN-RECEIVED", 2), ("ESTABLISHED", 3), ("FIN-WAIT-1", 8), ("TIME-WAIT", 9)]
    );
}

#[test]
fn seed_server_closes_later_four_way_close() {
    let s = session("seed_close_delayed.pcap");
    assert_eq!(s.packet_count(), 11, "the document's 11 frames");
    let sh = shapes(&s, 0);
    assert_eq!(sh.close, Some(CloseShape::FourWay));
    assert_eq!(sh.closed_by, Some(ClosedBy::Client));
    assert_eq!(sh.close_frames, Some((8, 11)));
    assert_eq!(
        states(&s, 0, true),
        [("SYN-SENT", 1), ("ESTABLISHED", 2), ("FIN-WAIT-1", 8), ("FIN-WAIT-2", 9), ("TIME-WAIT", 10)]
    );
    assert_eq!(
        states(&s, 0, false),
        [("LISTEN", 1), ("SYN-RECEIVED", 2), ("ESTABLISHED", 3), ("CLOSE-WAIT", 8), ("LAST-ACK", 10), ("CLOSED", 11)]
    );
    assert_eq!(s.streams()[0].lifecycle.zeek_conn_state(), "SF");
}

#[test]
fn refused_connection_is_a_syn_answered_by_rst() {
    let s = session("refused.pcap");
    let sh = shapes(&s, 0);
    assert_eq!((sh.open, sh.close, sh.closed_by), (OpenShape::Refused, None, None));
    assert_eq!(states(&s, 0, true), [("SYN-SENT", 1), ("CLOSED", 2)]);
    assert_eq!(s.streams()[0].lifecycle.zeek_conn_state(), "REJ");
}

#[test]
fn dropped_syns_are_unanswered_with_retries() {
    let s = session("unanswered.pcap");
    // Stream 0 fills the listener's queue; stream 1 is the connection whose SYNs are dropped.
    assert_eq!(shapes(&s, 0).open, OpenShape::Handshake);
    let sh = shapes(&s, 1);
    assert_eq!(sh.open, OpenShape::Unanswered);
    assert!(sh.syn_retries >= 2, "the kernel retried the SYN: {}", sh.syn_retries);
    assert_eq!(states(&s, 1, false), []);
    assert_eq!(s.streams()[1].lifecycle.zeek_conn_state(), "S0");
}

#[test]
fn abort_with_linger_zero_is_a_reset_by_the_client() {
    let s = session("reset.pcap");
    let sh = shapes(&s, 0);
    assert_eq!((sh.close, sh.closed_by), (Some(CloseShape::Reset), Some(ClosedBy::Client)));
    assert!(s.streams()[0].client.addr.is_ipv6());
    let last = s.packets().last().unwrap();
    assert_eq!(states(&s, 0, true).last(), Some(&("CLOSED", last.frame)));
    assert_eq!(states(&s, 0, false).last(), Some(&("CLOSED", last.frame)));
    assert_eq!(s.streams()[0].lifecycle.zeek_conn_state(), "RSTO");
}

#[test]
fn server_keeps_sending_after_the_clients_fin_half_close() {
    let s = session("half_close.pcap");
    let sh = shapes(&s, 0);
    assert!(sh.half_close);
    assert_eq!((sh.close, sh.closed_by), (Some(CloseShape::FourWay), Some(ClosedBy::Client)));
    let client = states(&s, 0, true);
    assert_eq!(client[2].0, "FIN-WAIT-1");
    assert_eq!(client[3].0, "FIN-WAIT-2");
    assert_eq!(client.last().unwrap().0, "TIME-WAIT");
}

#[test]
fn simultaneous_close_from_a_real_capture() {
    // Loopback delivers a FIN before the other side can send its own, so the crossing-FINs case
    // comes from the public corpus (zeek's get-gzip trace, a real stack).
    let s = analyze_bytes(&read(&corpus_dir("public").join("zeek_http_get-gzip.pcap"))).unwrap();
    let sh = shapes(&s, 0);
    assert_eq!((sh.close, sh.closed_by), (Some(CloseShape::Simultaneous), Some(ClosedBy::Both)));
    let client = states(&s, 0, true);
    assert!(client.iter().any(|c| c.0 == "CLOSING"), "{client:?}");
}

#[test]
fn crossing_syns_are_a_simultaneous_open() {
    let s = session("simultaneous_open.pcap");
    let sh = shapes(&s, 0);
    assert_eq!((sh.open, sh.open_frames), (OpenShape::SimultaneousOpen, Some((1, 4))));
    // RFC 9293 figure 8: each side goes SYN-SENT → SYN-RECEIVED → ESTABLISHED. The SYN-ACKs
    // (frames 3 and 4) cross too: the server sent its SYN-ACK before the client's arrived, so it
    // is ESTABLISHED only after frame 4, not at frame 3 where the capture point saw it.
    assert_eq!(&states(&s, 0, true)[..3], [("SYN-SENT", 1), ("SYN-RECEIVED", 2), ("ESTABLISHED", 4)]);
    assert_eq!(&states(&s, 0, false)[..3], [("SYN-SENT", 2), ("SYN-RECEIVED", 2), ("ESTABLISHED", 4)]);
    assert!(states(&s, 0, false).iter().all(|(state, _)| *state != "LISTEN"), "nobody listened");
}

#[test]
fn a_connection_still_open_when_the_capture_ends() {
    // A handshake and nothing more (a real stack, from the public corpus).
    let s = analyze_bytes(&read(&corpus_dir("public").join("chrissanders_tcp_handshake.pcapng"))).unwrap();
    let sh = shapes(&s, 0);
    assert_eq!((sh.open, sh.close, sh.closed_by), (OpenShape::Handshake, Some(CloseShape::OpenAtEnd), None));
    assert_eq!(states(&s, 0, true).last(), Some(&("ESTABLISHED", 2)));
    assert_eq!(s.streams()[0].lifecycle.zeek_conn_state(), "S1");
}

#[test]
fn closing_the_listener_resets_the_connection_left_in_its_queue() {
    let s = session("unanswered.pcap");
    let sh = shapes(&s, 0);
    assert_eq!((sh.close, sh.closed_by), (Some(CloseShape::Reset), Some(ClosedBy::Server)));
}

#[test]
fn connection_picked_up_mid_way_is_before_capture_with_unknown_start() {
    let s = analyze_bytes(&read(&corpus_dir("public").join("chrissanders_tcp_teardown.pcapng"))).unwrap();
    let sh = shapes(&s, 0);
    assert_eq!(sh.open, OpenShape::BeforeCapture);
    assert_eq!(sh.close, Some(CloseShape::FourWay));
    assert!(!s.streams()[0].client_from_syn);
}
