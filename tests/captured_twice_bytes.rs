//! Bytes the capture holds twice are not bytes sent again (R6c F7). ndpi_1kxun holds each of the
//! client's data segments twice, 0.04 ms apart (one datagram seen twice): its data caption said
//! "Sent again: 336 bytes client → server". The copies are counted apart — in `analyze`'s
//! `captured_twice_bytes_*` and in the caption — and "Sent again" keeps only real resends.
#![cfg(not(target_arch = "wasm32"))]

mod common;

use common::{analyze_cli, corpus_dir, every_capture, read};
use tcp_ladder::report::story::story;
use tcp_ladder::session::analyze_bytes;

/// ndpi_1kxun stream 10: the client's 336 bytes went once, each segment captured twice (the
/// test finds the pairs itself: same direction, sequence number, length and IPv4
/// identification, under a millisecond apart).
#[test]
fn one_segment_captured_twice_is_not_sent_again() {
    let path = corpus_dir("public").join("ndpi_1kxun.pcap");
    let session = analyze_bytes(&read(&path)).unwrap();
    let conn = session.connection(10).unwrap();
    let data: Vec<_> = conn.packets().filter(|p| p.segment.payload_len > 0).collect();
    let twice: u64 = data
        .iter()
        .enumerate()
        .filter(|(i, p)| {
            data[..*i].iter().any(|q| q.from_client == p.from_client && q.seq == p.seq && q.segment.payload_len == p.segment.payload_len && q.segment.ip_id == p.segment.ip_id && p.time_ns - q.time_ns < 1_000_000)
        })
        .map(|(_, p)| u64::from(p.segment.payload_len))
        .sum();
    assert_eq!(twice, 336);
    let caption = story(&conn).phases.into_iter().find(|p| p.kind == "data").unwrap().caption;
    assert!(caption.contains("Captured again, not sent again: 336 bytes client → server, 0 bytes server → client"), "{caption}");
    assert!(!caption.contains("Sent again"), "{caption}");
    let (_, json) = analyze_cli(&path);
    let s = &json.unwrap()["streams"][10];
    assert_eq!((s["retransmitted_bytes_c2s"].as_u64(), s["captured_twice_bytes_c2s"].as_u64()), (Some(336), Some(336)));
}

/// Everywhere: the copies captured twice are part of the bytes repeated, and the caption's
/// "Sent again" is what is left of those.
#[test]
fn sent_again_leaves_out_the_copies_captured_twice() {
    let mut with_copies = 0;
    for path in every_capture() {
        let Ok(session) = analyze_bytes(&read(&path)) else { continue };
        let (_, Some(json)) = analyze_cli(&path) else { continue };
        for s in json["streams"].as_array().unwrap() {
            let n = |k: &str| s[k].as_u64().unwrap();
            let (again, twice) = ([n("retransmitted_bytes_c2s"), n("retransmitted_bytes_s2c")], [n("captured_twice_bytes_c2s"), n("captured_twice_bytes_s2c")]);
            assert!(twice[0] <= again[0] && twice[1] <= again[1], "{}: stream {}", path.display(), s["stream"]);
            if twice == [0, 0] {
                continue;
            }
            with_copies += 1;
            let conn = session.connection(s["stream"].as_u64().unwrap() as u32).unwrap();
            let Some(caption) = story(&conn).phases.into_iter().find(|p| p.kind == "data").map(|p| p.caption) else { continue };
            let left = [again[0] - twice[0], again[1] - twice[1]];
            if left != [0, 0] {
                let b = |n: u64| if n == 1 { "1 byte".to_string() } else { format!("{n} bytes") };
                assert!(caption.contains(&format!("Sent again: {} client → server, {} server → client", b(left[0]), b(left[1]))), "{}: {caption}", path.display());
            } else {
                assert!(!caption.contains("Sent again"), "{}: {caption}", path.display());
            }
        }
    }
    assert!(with_copies >= 10, "only {with_copies} connections hold copies captured twice");
}

/// A SYN the capture holds several times within a millisecond was not "sent again" (zeek's
/// vlan-pcp-dei: three SYNs 0.000 ms apart were "SYN sent 3 times … sent its SYN again 2
/// time(s)"): the title and caption say "captured" where every gap is shorter than any timer,
/// "sent" where one is not; the gaps are the test's own, from the packets.
#[test]
fn syn_copies_are_captured_again_not_sent_again() {
    let (mut captured, mut sent) = (0, 0);
    for path in every_capture() {
        let Ok(session) = analyze_bytes(&read(&path)) else { continue };
        for s in session.streams().iter() {
            let Ok(conn) = session.connection(s.index) else { continue };
            let syns: Vec<i64> = conn.packets().filter(|p| p.from_client && p.segment.flags.syn() && !p.segment.flags.ack()).map(|p| p.time_ns).collect();
            let Some(open) = story(&conn).phases.into_iter().next() else { continue };
            let copies_only = syns.len() > 1 && syns.windows(2).all(|w| w[1] - w[0] < 200_000_000);
            if open.title.contains(", SYN captured") {
                captured += 1;
                assert!(copies_only && open.caption.contains("not retries after a timeout"), "{}: {} {}", path.display(), open.title, open.caption);
            }
            if open.title.contains(", SYN sent") {
                sent += 1;
                assert!(!copies_only, "{}: {} {}", path.display(), open.title, open.caption);
            }
        }
    }
    assert!(captured >= 1 && sent >= 3, "{captured} captured, {sent} sent");
}

/// A copy of the opening's last segment belongs to the opening (R8b-13's second half): the
/// handshake's ACK captured twice in zeek_tcp_ctu-64702-888 (frames 3 and 4, same IPv4
/// identification) and ndpi_rtsp stream 1's four copies of each handshake segment (13–24).
#[test]
fn copies_of_the_handshakes_last_segment_are_in_its_phase() {
    for (file, stream, frames) in [("zeek_tcp_ctu-64702-888.pcap", 0, (1, 4)), ("ndpi_rtsp.pcap", 1, (13, 24))] {
        let session = analyze_bytes(&read(&corpus_dir("public").join(file))).unwrap();
        let conn = session.connection(stream).unwrap();
        let told = story(&conn);
        let open = told.phases.first().unwrap();
        assert!(open.title.starts_with("Three-way handshake"), "{file}: {}", open.title);
        assert_eq!((open.first_frame, open.last_frame), frames, "{file} stream {stream}");
        assert!(told.phases.iter().skip(1).all(|p| p.first_frame > frames.1), "{file}: a phase starts inside the opening");
    }
}
