//! Data held back by Nagle's algorithm is named (R8b-12: "the word Nagle appears in none of the
//! 4473 sentence files"): a small segment alone in flight, a pure ACK of it a millisecond or
//! more later, and the sender's next data within a millisecond of that ACK. The instances the
//! reader found by hand are named; every naming in the corpus is checked against the packets
//! by the test's own reading; none is said in a bulk transfer.
#![cfg(not(target_arch = "wasm32"))]

mod common;

use common::{corpus_dir, every_capture, read};
use tcp_ladder::report::story::story;
use tcp_ladder::session::analyze_bytes;

fn explanation(capture: &str, stream: u32, frame: u64) -> String {
    let session = analyze_bytes(&read(&corpus_dir("public").join(capture))).unwrap();
    story(&session.connection(stream).unwrap()).segments.into_iter().find(|w| w.frame == frame).unwrap().explanation
}

#[test]
fn the_holds_the_reader_found_are_named() {
    for (capture, stream, frame, small) in [
        ("zeek_http_http-11-request-then-cruft.pcap", 0, 6, 4),
        ("zeek_http_http-11-request-then-cruft.pcap", 0, 17, 15),
        ("ndpi_rtsp.pcap", 1, 53, 45),
        ("zeek_tcp_ssh-dups.pcap", 0, 56, 48),
        ("ndpi_1kxun.pcap", 23, 816, 814),
    ] {
        let text = explanation(capture, stream, frame);
        assert!(text.contains("likely Nagle's algorithm") && text.contains(&format!("small segment (frame {small},")), "{capture} frame {frame}: {text}");
    }
}

#[test]
fn every_nagle_hold_said_is_in_the_packets() {
    let mut said = 0;
    for path in every_capture() {
        let Ok(session) = analyze_bytes(&read(&path)) else { continue };
        for s in session.streams().iter() {
            let Ok(conn) = session.connection(s.index) else { continue };
            let packets: Vec<_> = conn.packets().collect();
            for w in story(&conn).segments.iter().filter(|w| w.explanation.contains("likely Nagle's algorithm")) {
                said += 1;
                let i = packets.iter().position(|p| p.frame == w.frame).unwrap();
                let p = &packets[i];
                let mine = |q: &&tcp_ladder::tcp::TcpPacket| q.from_client == p.from_client && q.segment.payload_len > 0;
                let small = packets[..i].iter().rev().find(mine).unwrap();
                let ack = packets[..i].iter().rev().find(|q| q.from_client != p.from_client).unwrap();
                let ok = small.segment.payload_len < 1420
                    && small.seq.wrapping_add(small.segment.payload_len) == p.seq
                    && ack.segment.payload_len == 0
                    && ack.ack == p.seq
                    && ack.time_ns - small.time_ns >= 1_000_000
                    && p.time_ns - ack.time_ns <= 1_000_000;
                assert!(ok, "{} stream {} frame {}: {}", path.display(), s.index, w.frame, w.explanation);
                assert!(!path.to_string_lossy().contains("/lossy/") && !path.to_string_lossy().contains("/delayed/bulk"), "{}", path.display());
            }
        }
    }
    assert!(said >= 8, "only {said} holds named");
}
