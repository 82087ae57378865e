//! What the readings R29 (session 26's last) found and session 27 fixed, each against the
//! packets that show it.
#![cfg(not(target_arch = "wasm32"))]

mod common;

use tcp_ladder::tcp::time_split::TimeKind;

/// R29-1: zeek_ldap_gap-data-missing's client acknowledges in frame 9 (ack=1553) 1342 bytes of
/// the server's the capture does not hold (its frame 8 still said ack=211): the server answered
/// between frames 8 and 9. That span was told "network / congestion (client), 13.8 ms", the
/// client's data in the network, as a fact; it holds the server's answer too, in proportions
/// the capture cannot show.
#[test]
fn a_span_in_which_the_peers_uncaptured_bytes_went_by_is_not_told_as_the_network() {
    let session = common::shared_session("zeek_ldap_gap-data-missing.pcapng");
    let conn = session.connection(0).unwrap();
    let words = tcp_ladder::report::time_words::time_words(&conn);
    let parts = &words.split.parts;
    let unseen: Vec<_> = parts.iter().filter(|p| p.unseen_ack_frame != 0).collect();
    assert_eq!(unseen.len(), 1, "{parts:#?}");
    let p = unseen[0];
    assert!(p.kind == TimeKind::Other && p.client == Some(false) && p.unseen_ack_frame == 9 && p.first_frame == 8, "{p:?}");
    // Frame 8 (58.1 ms) to frame 9 (70.8 ms): none of it the client's network time any more.
    assert!(p.start_ns < 60_000_000 && p.end_ns >= 70_800_000, "{p:?}");
    assert!(!parts.iter().any(|q| q.kind == TimeKind::Network && q.start_ns < 70_000_000 && q.end_ns > 60_000_000), "{parts:#?}");
    let line = words.parts.iter().find(|l| l.contains("frame 9 covers")).cloned().unwrap_or_default();
    assert!(line.starts_with("58.3 ms–70.8 ms (frames 8–8): not told apart: the client's ACK in frame 9 covers bytes of the server's the capture does not hold"), "{:#?}", words.parts);
    // The summary counts it apart from the network.
    assert!(words.summary.contains("not told apart (data not seen here going by, with both ends' time and the network's) 12.5 ms"), "{}", words.summary);
    // R30-1: the server's frame 10 answers all of frame 9 0.482 ms after it, the way to the
    // server and back 0.215 ms: the rest was the server's answer, not the network.
    let after9: Vec<_> = parts.iter().filter(|q| q.first_frame == 9).collect();
    assert!(after9.len() == 2 && after9[0].kind == TimeKind::Network && after9[0].duration_ns() < 250_000 && after9[1].kind == TimeKind::AwaitingAnswer && after9[1].client == Some(false), "{after9:#?}");
    // `analyze` names the frame too.
    let (_, json) = common::analyze_cli(&common::corpus_dir("public").join("zeek_ldap_gap-data-missing.pcapng"));
    let parts = json.unwrap()["streams"][0]["time_split"]["parts"].clone();
    let named: Vec<_> = parts.as_array().unwrap().iter().filter(|p| p.get("unseen_acknowledged_in_frame").is_some()).collect();
    assert!(named.len() == 1 && named[0]["unseen_acknowledged_in_frame"] == 9 && named[0]["kind"] == "other" && named[0]["endpoint"] == "server", "{named:?}");
}

/// R29-3: a FIN (or SYN, or data) captured again with its sender's IPv4 identification was told
/// as a fresh act ("The client has nothing more to send: FIN at seq=795 …") and "Sent again" as
/// a fact, while the same datagram's identification says it was not sent again.
#[test]
fn a_segment_captured_again_is_told_as_a_copy_not_a_fresh_send() {
    for (file, stream, copies, original) in [
        ("ndpi_rtsp.pcap", 3, &[282u64, 283, 284][..], 281u64),
        ("zeek_tcp_ssh-dups.pcap", 0, &[372, 373][..], 371),
        ("ndpi_heuristic_tcp_ack_payload.pcap", 4, &[213][..], 212),
        ("zeek_tcp_ctu-64702-888.pcap", 0, &[14][..], 13),
    ] {
        let session = common::shared_session(file);
        for &frame in copies {
            let words = common::segment_words(&session, stream, frame);
            assert!(
                words.starts_with(&format!("A copy of frame {original}'s FIN (seq=")) && words.contains("its IPv4 identification too (this sender numbers each datagram anew): the same segment captured again") && words.contains("not sent again")
                    && !words.contains("Sent again") && !words.contains("nothing more to send"),
                "{file} frame {frame}: {words}"
            );
        }
        // The first copy keeps its own story.
        let words = common::segment_words(&session, stream, original);
        assert!(!words.contains("A copy of frame") && words.contains("FIN"), "{file} frame {original}: {words}");
    }
    // A SYN captured again by a sender that puts one identification on every datagram: likely.
    let session = common::shared_session("zeek_vlan-pcp-dei.pcapng");
    let words = common::segment_words(&session, 0, 2);
    assert!(words.starts_with("A copy of frame 1's SYN (ISN ") && words.contains("with nothing new from the server between: most likely the same segment captured again"), "{words}");
}

/// R27C-5: zeek_tcp_ssh-dups' server (OpenSSH sets TCP_NODELAY when the session turns
/// interactive) shows Nagle off only in frame 160, at 1.04 s: its key-exchange rounds before
/// (frames 12–28, 40–…) show nothing either way, so "Nagle's algorithm was off" is not said of
/// them; nor of the client's before its frame 360 (R26C-1).
#[test]
fn nagle_off_is_said_only_from_the_frame_that_shows_it() {
    let told = common::story_text(&common::shared_session("zeek_tcp_ssh-dups.pcap"), 0);
    let rounds: Vec<&str> = told.lines().filter(|l| l.trim_start().starts_with("server rounds") || l.trim_start().starts_with("client rounds")).collect();
    assert!(rounds.len() >= 4, "{told}");
    for line in &rounds {
        let first: u64 = line.split("(frames ").nth(1).and_then(|r| r.split('–').next()).and_then(|n| n.parse().ok()).unwrap_or(0);
        let evidence = if line.trim_start().starts_with("server") { 160 } else { 360 };
        let last: u64 = line.split("(frames ").nth(1).and_then(|r| r.split('–').nth(1)).and_then(|r| r.split(')').next()).and_then(|n| n.parse().ok()).unwrap_or(0);
        if first >= evidence {
            assert!(line.contains(&format!("its frame {evidence} left while a small segment of its was unacknowledged, so Nagle's algorithm was off")), "{line}");
        } else if last >= evidence {
            assert!(line.contains(&format!("no small rest back from its frame {evidence} on")) && line.contains("was off by then — of its segments before that frame this says nothing"), "{line}");
        } else if line.contains("application-limited") {
            assert!(!line.contains("was off") && line.contains("Nagle's algorithm, RFC 896"), "{line}");
        }
    }
    assert!(rounds.iter().any(|l| l.contains("server rounds 1–2 (frames 12–28)") && !l.contains("was off")), "{rounds:#?}");
    assert!(rounds.iter().any(|l| l.contains("server rounds 3–28 (frames 40–348)") && l.contains("from its frame 160 on")), "{rounds:#?}");
}

/// R30-3: ndpi_heuristic_tcp_ack_payload stream 4's client ACKs carry 2 or 6 zero bytes past the
/// TCP header that tshark counts as data, so it flags no duplicate ACK; each is captured twice
/// (184/185 both 0x3ea1, at the same instant) and the copy was told as another ACK.
#[test]
fn an_ack_copy_wireshark_does_not_flag_is_still_a_copy() {
    let session = common::shared_session("ndpi_heuristic_tcp_ack_payload.pcap");
    for (copy, of) in [(185u64, 184u64), (189, 188), (195, 194), (197, 196), (203, 202), (207, 206), (215, 214)] {
        let words = common::segment_words(&session, 4, copy);
        assert!(words.contains(&format!("A copy of frame {of}, ")) && words.contains("the same ACK captured again (seen at several points, or duplicated on the way), not another ACK sent."), "frame {copy}: {words}");
    }
}

/// R30-5: a resend named the last capture of its bytes, a copy, as their earlier sending (heuristic
/// stream 4 frame 182 → 181, a copy of 180; 1kxun stream 14 frame 522 → 500, a copy of 499; rtsp
/// stream 4 frame 297 → 292, a copy of 289): a copy captured again is no send.
#[test]
fn a_resend_names_the_first_copy_not_a_copy_captured_again() {
    for (file, stream, frame, earlier) in [("ndpi_heuristic_tcp_ack_payload.pcap", 4, 182u64, 180u64), ("ndpi_heuristic_tcp_ack_payload.pcap", 4, 204, 200), ("ndpi_1kxun.pcap", 14, 522, 499), ("ndpi_rtsp.pcap", 4, 297, 289)] {
        let words = common::segment_words(&common::shared_session(file), stream, frame);
        assert!(words.contains(&format!("went by before in frame {earlier}, ")), "{file} frame {frame}: {words}");
    }
}

/// R31-1/2: a segment far below any path's full size (141 bytes, against an MSS of 1460) is small
/// even when it is the largest seen so far: ndpi_ipp stream 2's frame 257 left 0.020 ms after
/// frame 256, before its ACK could come (the server's quickest: 0.755 ms), so Nagle was off from
/// frame 257, not from 270; zeek_tcp-syslog's from frame 5 (frame 4's 54 bytes unacknowledged).
#[test]
fn a_segment_below_any_paths_full_size_is_small_from_the_first() {
    for (file, stream, evidence) in [("ndpi_ipp.pcap", 2, 257u64), ("zeek_tcp-syslog.pcap", 0, 5)] {
        let words = tcp_ladder::report::story::story(&common::shared_session(file).connection(stream).unwrap()).congestion.sentences.join("\n");
        assert!(words.contains(&format!("no small rest back from its frame {evidence} on: that frame left while a small segment of its was unacknowledged")), "{file}: {words}");
    }
}

/// R26D-6: the client's pause between the handshake and its first request was counted as the
/// network's (ndpi_ocsp stream 0: frame 3's ACK at 28.7 ms, the request, frame 4, 6.3 ms later,
/// nothing in flight): its first data follows no ACK of data and spaces no burst.
#[test]
fn the_pause_before_the_first_request_is_the_applications() {
    let session = common::shared_session("ndpi_ocsp.pcapng");
    let words = tcp_ladder::report::time_words::time_words(&session.connection(0).unwrap());
    let first = words.split.parts.iter().find(|p| p.first_frame == 3).copied();
    assert!(first.is_some_and(|p| p.kind == TimeKind::SenderApplication && p.client == Some(true) && (6_200_000..6_400_000).contains(&p.duration_ns())), "{:#?}", words.split.parts);
}

/// R33-2: the server's first data after the client's handshake ACK, captured near the client,
/// comes a round trip later at the least: that way is the network's, not the server's
/// application's (zeek_tcp_timestamp: 51.8 ms against a 51.3 ms round trip; zeek_ftp_ipv6's
/// banner 117.9 ms against 107.0). R33-3: tens of microseconds after its own ACK is no pause of
/// an application's (delayed/crossing_middle, 0.025 ms).
#[test]
fn a_first_answer_after_the_peers_ack_waits_a_round_trip_first() {
    for file in ["zeek_tcp_timestamp.pcap", "zeek_ftp_ipv6.pcap"] {
        let words = tcp_ladder::report::time_words::time_words(&common::shared_session(file).connection(0).unwrap());
        let first = words.split.parts.iter().find(|p| p.first_frame == 3).copied();
        assert!(first.is_some_and(|p| p.kind == TimeKind::Network && p.client == Some(false)), "{file}: {:#?}", words.split.parts);
    }
    let words = tcp_ladder::report::time_words::time_words(&common::recorded("delayed", "crossing_middle.pcap").connection(0).unwrap());
    assert!(!words.split.parts.iter().any(|p| p.kind == TimeKind::SenderApplication && p.duration_ns() < 100_000), "{:#?}", words.split.parts);
    // R34-1/R35-1: ftp_ipv6's banner came 10.9 ms past the handshake's round trip: 1 ms of it is
    // the path's variation, 9.9 ms the server's, not a tenth of the round trip's slack (stream 1:
    // 2.842 ms past, 1.842 ms the server's). R35-3: the server's time lies between the ACK's way
    // there and the banner's way back, half the round trip each, not after both.
    let session = common::shared_session("zeek_ftp_ipv6.pcap");
    for (stream, app) in [(0, 9_800_000..10_000_000), (1, 1_800_000..1_900_000)] {
        let words = tcp_ladder::report::time_words::time_words(&session.connection(stream).unwrap());
        let parts = &words.split.parts;
        let i = parts.iter().position(|p| p.kind == TimeKind::SenderApplication && p.client == Some(false));
        assert!(i.is_some_and(|i| app.contains(&parts[i].duration_ns())), "stream {stream}: {parts:#?}");
        let i = i.unwrap();
        let half = |p: &tcp_ladder::tcp::time_split::TimePart| p.kind == TimeKind::Network && p.client == Some(false) && (53_000_000..56_000_000).contains(&p.duration_ns());
        assert!(half(&parts[i - 1]) && half(&parts[i + 1]), "stream {stream}: {parts:#?}");
        // R35-2: no loss and resend fits in a pause shorter than a round trip.
        assert!(!words.summary.contains("segment lost before the capture point"), "stream {stream}: {}", words.summary);
    }
    // R34-3: 0.061 ms between the client's ACK and its request, captured 5 µs from it: its host's.
    let words = tcp_ladder::report::time_words::time_words(&common::shared_session("ndpi_ipp.pcap").connection(1).unwrap());
    assert!(words.split.parts.iter().any(|p| p.kind == TimeKind::SenderApplication && p.client == Some(true) && p.first_frame == 21), "{:#?}", words.split.parts);
}
