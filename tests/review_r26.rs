//! What the readings of session 26 (and the open findings of R22/R23 it closed) found, each
//! against the packets that show it.
#![cfg(not(target_arch = "wasm32"))]

mod common;

/// R22-1, R23C-2: zeek_tcp_reassembly's server (capture close to it: its quickest ACK here
/// 0.06–0.08 ms) asked for byte 13391 in frame 65, 4.56 s after frame 48's copy of it had passed
/// here: that copy was not taken in, so frame 67 (ack=13403) answers frame 66's resend, 0.054 ms
/// before it — not "which copy arrived cannot be told". Likewise frames 69 (answers 68), 117
/// (answers 116) and 40 (frame 38 still asked for byte 6115, frame 16's; frame 39 brought it).
#[test]
fn an_earlier_ack_close_to_the_receiver_settles_which_copy_arrived() {
    let session = common::shared_session("zeek_tcp_reassembly.pcap");
    for (ack_frame, earlier, byte, copy) in [(40, 38, 6115, 39), (67, 65, 13391, 66), (69, 67, 13403, 68), (117, 115, 33134, 116)] {
        let words = common::segment_words(&session, 0, ack_frame);
        assert!(
            words.contains(&format!("The server's frame {earlier}, ")) && words.contains(&format!("still asked for byte {byte} (ack={byte})")) && words.contains(&format!("it answers frame {copy}, captured")) && !words.contains("Karn's ambiguity"),
            "frame {ack_frame}: {words}"
        );
    }
    // The client's frame 13 came 9.4 ms after frame 12's FIN copy, against its 30 ms round trip:
    // it answers an earlier copy, and which one does not show.
    let words = common::segment_words(&session, 0, 13);
    assert!(words.contains("which copy arrived cannot be told from this ACK alone"), "{words}");
}

/// R26 (found while mending R22-1): spurious_rto_at_sender's frame 162 asked for byte 144541
/// 30.8 ms after frame 129 carried it past the sender — but the relay held frame 129 for 450 ms
/// and, as the receiver's capture shows (its frame 131, IP id 0x2c6f, before the resend's
/// 0x2ca8), that first copy arrived before frame 188's resend. Far from the receiver, "had
/// passed here" is not "had arrived": no copy is named as the one answered.
#[test]
fn far_from_the_receiver_an_earlier_ack_settles_nothing() {
    let session = common::recorded("lossy", "spurious_rto_at_sender.pcap");
    let words = common::segment_words(&session, 0, 189);
    assert!(words.contains("which copy arrived cannot be told from this ACK alone") && !words.contains("it answers frame 188"), "{words}");
    let receiver = common::recorded("lossy", "spurious_rto_at_receiver.pcap");
    let words = common::segment_words(&receiver, 0, 132);
    assert!(!words.contains("sent again"), "{words}");
}

/// R25 NIT: "frame N carried 1 bytes" in the application-limited round lines, and "sends 1
/// bytes, sequence numbers 14481 to 14481" in a probe's explanation.
#[test]
fn one_byte_is_one_byte() {
    // (lossy's tail_loss, rack and rto_backoff had it; the large captures are left to the
    // gathering script.)
    for file in common::every_capture().into_iter().filter(|f| std::fs::metadata(f).is_ok_and(|m| m.len() < 2_000_000)) {
        let Ok(session) = tcp_ladder::session::analyze_bytes(&common::read(&file)) else { continue };
        for stream in 0..session.streams().len().min(64) as u32 {
            let told = common::story_text(&session, stream);
            let at = told.find(" 1 bytes").map(|i| &told[told[..i].rfind('\n').map_or(0, |n| n + 1)..]);
            assert!(at.is_none(), "{}: stream {stream}: {}", file.display(), at.unwrap_or_default().lines().next().unwrap_or_default());
        }
    }
}

/// R23C-9: zeek_tcp_reassembly's episode of frames 42–70 began with resends that followed frame
/// 35's timeout (no timer of their own); frames 64 and 68 came after silences of their own
/// (4.010 s, 510.2 ms): those timeouts came *then*, not "2 timeouts" of the first resend.
#[test]
fn timeouts_after_a_resending_that_followed_an_earlier_one_come_then() {
    let told = common::story_text(&common::shared_session("zeek_tcp_reassembly.pcap"), 0);
    assert!(told.contains("the resending that followed the timeout of frame 35, as the window allowed (no timer of its own); then 2 timeouts, waits 4.010 s → 510.2 ms"), "{told}");
}

/// R23C-5: 1000-requests (IPv6 loopback, MSS 65476) answers in writes of 238 and 615 bytes:
/// 615 bytes is the largest segment seen, not "a full segment".
#[test]
fn the_largest_segment_far_below_the_mss_is_not_called_full() {
    let told = common::story_text(&common::shared_session("zeek_http_1000-requests-one-dropped-response.pcap.gz"), 0);
    assert!(told.contains("(the first, frame 11: 238 bytes against 615 bytes, the largest segment this sender had sent by then: a full one could carry 65476 bytes less options") && !told.contains("615 bytes, a full segment's size"), "{told}");
}

/// R26B-1, R26C-2: a segment carrying the FIN shows nothing of Nagle (Linux's tcp_nagle_test
/// holds no final FIN): ipv6-hop-by-hop's frame 132 (188 bytes and the FIN) was taken for proof
/// that the NetBSD FTP server had Nagle off, while its frame 14 left right after the client's
/// delayed ACK (frame 13).
#[test]
fn a_fin_shows_nothing_of_nagle() {
    let told = common::story_text(&common::recorded("generated", "ipv6-hop-by-hop.pcap"), 0);
    assert!(!told.contains("its frame 132 left while a small segment of its was unacknowledged") && told.contains("(or its TCP held a small rest for an ACK: Nagle's algorithm, RFC 896)"), "{told}");
}

/// R26C-1: zeek_tcp_ssh-dups' client (OpenSSH sets TCP_NODELAY after the login) shows Nagle
/// off at frame 360, but its frame 56 left 0.139 ms after the delayed ACK (frame 52) of its
/// 16-byte frame 48: before frame 360 Nagle may have held its data.
#[test]
fn nagle_off_is_said_only_from_where_it_shows_after_a_hold() {
    let told = common::story_text(&common::shared_session("zeek_tcp_ssh-dups.pcap"), 0);
    let client_rounds: Vec<&str> = told.lines().filter(|l| l.trim_start().starts_with("client round")).collect();
    // (R27C-5: the round that holds frame 360 says it from that frame on, of no segment before.)
    assert!(!client_rounds.is_empty() && client_rounds.iter().all(|l| !l.contains("its TCP holds no small rest back")), "{client_rounds:?}");
}

/// R26D-1: ndpi_heuristic stream 5's server frame 229 left 217 ms after its previous segment
/// with no ACK between — a probe timer's send, which ignores Nagle — so it is no evidence;
/// frames 240/241 (30 µs apart, both small, unacknowledged) are.
#[test]
fn a_timers_send_shows_nothing_of_nagle() {
    let told = common::story_text(&common::shared_session("ndpi_heuristic_tcp_ack_payload.pcap"), 5);
    assert!(!told.contains("its frame 229 left while a small segment") && told.contains("from its frame 241 on: that frame left while a small segment of its was unacknowledged, so Nagle's algorithm was off"), "{told}");
}

/// R26B-2: ipv6-hop-by-hop stream 5, captured beside the server: the client's FIN (frame 123)
/// passed 8 µs behind its data, and the server's ACK of the data (frame 124) 0.065 ms after the
/// FIN, its quickest answer being 0.073 ms: the server had not processed the FIN, but the FIN
/// may well have arrived and waited — not "the two segments crossed".
#[test]
fn a_segment_sooner_than_the_quickest_answer_may_not_have_crossed() {
    let told = common::story_text(&common::recorded("generated", "ipv6-hop-by-hop.pcap"), 5);
    assert!(told.contains("It cannot have processed frame 123 before it sent frame 124, which passed here 0.065 ms after it — sooner than the quickest the server answered anything from here (0.073 ms): the two crossed on the way, or frame 123 had arrived and was still waiting to be taken in.") && !told.contains("the two segments crossed, whatever order"), "{told}");
}

/// R26C-4, R26C-5: zeek_tcp_reassembly's capture misses client datagrams that arrived (frame 70
/// acknowledges bytes 15571–16298 it never held; IP ids 0x7420 and 0x7422 are missing): a copy
/// not in it need not have been lost before the capture point. Frame 112's TSval is compared
/// with frame 108's, which lies inside it ("bytes after these" was wrong), and only 31674–32305
/// lack a first copy.
#[test]
fn a_capture_that_drops_datagrams_does_not_say_a_missing_copy_was_lost_before_it() {
    let session = common::shared_session("zeek_tcp_reassembly.pcap");
    for frame in [35, 71, 74] {
        let words = common::segment_words(&session, 0, frame);
        assert!(words.contains("No earlier copy is in the capture: the first copy was lost before the capture point, or went by uncaptured (this capture misses datagrams of this sender that arrived: frame 70 acknowledges bytes it does not hold)") && !words.contains("so the first was lost before it"), "frame {frame}: {words}");
    }
    let words = common::segment_words(&session, 0, 112);
    assert!(words.contains("later than that of frame 108 (224192), which carries bytes beyond this one's first") && words.contains("likely: the first copy of its bytes 31674 to 32305 is not in the capture") && !words.contains("never passed the capture point"), "{words}");
    let words = common::segment_words(&session, 0, 108);
    assert!(words.contains("Gap before it: bytes 31674 to 32305 are not in the capture yet") && !words.contains("have not passed the capture point yet"), "{words}");
}

/// R26C-6: zeek_tcp_ctu-64702-888's frame 8 is frame 7 captured twice (IP id 0x37d6, same
/// time) and frame 4 frame 3 twice: frame 9 asks for byte 1 with nothing "sent again".
#[test]
fn a_segment_captured_twice_is_no_resend_and_no_second_ack_for_the_duplicate_words() {
    let words = common::segment_words(&common::shared_session("zeek_tcp_ctu-64702-888.pcap"), 0, 9);
    assert!(words.contains("Duplicate ACK #2 of frame 3 (Wireshark also counts frame 4, the same ACK captured twice): the 2nd ACK asking for byte 1") && !words.contains("sent again in frame 8"), "{words}");
}

/// R26C-3: zeek_tcp_reassembly's client sent nothing the capture holds for 590 ms after frame
/// 74 with bytes outstanding; frame 76 then acknowledges 17783–19230, which no frame carries.
/// Frame 77 follows that segment (likely a timer's), not frame 68's timeout.
#[test]
fn a_silence_ended_by_a_segment_the_capture_lacks_is_likely_a_timeout() {
    let session = common::shared_session("zeek_tcp_reassembly.pcap");
    let words = common::segment_words(&session, 0, 77);
    assert!(words.contains("Part of the resending after a segment the capture lacks: frame 76 acknowledges bytes no frame carries, after 590.4 ms in which the capture holds nothing from the client") && !words.contains("after the timeout of frame 68"), "{words}");
    let told = common::story_text(&session, 0);
    assert!(told.contains("frames 71–78, client's data: 3 segments lost; repaired by the resending that followed the timeout of frame 68, as the window allowed (no timer of its own); then likely a timeout the capture does not show: frame 76 acknowledges bytes no frame carries"), "{told}");
}

/// R27C-3: ldap_gap's client frame 11 acknowledges frame 10, the segment whose ACK covered its
/// small frame 9: it had that ACK, so frame 11 shows nothing of Nagle. R27D-1: ndpi_anydesk
/// stream 1's "server" is a NAT answering in 0.08 ms, against a 165 ms handshake: ACK 23 had
/// reached it when frame 24 left (frame 46, after 45 with no ACK between, does show Nagle off).
#[test]
fn an_ack_that_reached_the_sender_leaves_no_nagle_evidence() {
    let told = common::story_text(&common::shared_session("zeek_ldap_gap-data-missing.pcapng"), 0);
    assert!(!told.contains("its frame 11 left while a small segment") && !told.contains("Nagle's algorithm was off"), "{told}");
    let told = common::story_text(&common::shared_session("ndpi_anydesk.pcapng"), 1);
    assert!(!told.contains("its frame 24 left while") && !told.contains("frame 24 on") && told.contains("from its frame 46 on: that frame left while a small segment of its was unacknowledged"), "{told}");
}

/// R26D-12: ndpi_rtsp holds each datagram 2–4 times; frame 63 is frame 60 again (IP id 0xcd96)
/// with a fourth capture of frame 57 between: a copy, not "another ACK of the same point".
#[test]
fn the_same_datagram_is_a_copy_whatever_copies_pass_between() {
    let words = common::segment_words(&common::shared_session("ndpi_rtsp.pcap"), 1, 63);
    assert!(words.contains("A copy of frame 60, 0.053 ms after it, alike in every TCP field and option, its IPv4 identification too (this sender numbers each datagram anew)") && !words.contains("Another ACK of the same point"), "{words}");
}

/// R26B-3, R26D-15: a simultaneous open's SYNs and a keep-alive's byte go by twice; what did
/// not pass is a resend to repair a loss.
#[test]
fn no_recovery_does_not_say_nothing_went_twice() {
    let told = common::story_text(&common::recorded("real", "simultaneous_open.pcap"), 0);
    assert!(told.contains("no loss signal and no segment twice to repair a loss passed here") && !told.contains("no segment sent twice"), "{told}");
}

/// R27A-1: app_limited_at_sender's server FIN (frame 281) passed 11.9 ms after the client's FIN
/// (frame 279), against the server's quickest answer of 30.2 ms: for frame 279 to have arrived
/// first the server would have taken 18 ms to answer at its quickest — they crossed (the
/// receiver's capture shows its ACK left 18.3 ms before the FIN arrived).
#[test]
fn far_sooner_than_the_quickest_answer_is_a_crossing() {
    let told = common::story_text(&common::recorded("lossy", "app_limited_at_sender.pcap"), 0);
    assert!(told.contains("It cannot have processed frame 279 before it sent frame 281: the two segments crossed") && !told.contains("frame 279 had arrived and was still waiting"), "{told}");
}

/// R27D-2: ndpi_rtsp stream 4's client sent the same SYN (ISN 439451506) again 505 ms after the
/// server's RST: its attempt went on in SYN-SENT, not to CLOSED.
#[test]
fn a_refused_syn_sent_again_stays_in_syn_sent() {
    let session = common::shared_session("ndpi_rtsp.pcap");
    let told = common::story_text(&session, 4);
    assert!(!told.contains("client CLOSED at frame 293"), "{told}");
    let words = common::segment_words(&session, 4, 293);
    assert!(words.contains("frame 297 is the same SYN again, with the same ISN") && !words.contains("both sides are CLOSED at once"), "{words}");
}

/// R27D-5: ndpi_heuristic stream 2's client announces window 0 with its ACK of the server's FIN
/// (frame 160), having received nothing since it announced 66 048 bytes: not "the receiver's
/// buffer is full".
#[test]
fn a_zero_window_with_the_ack_of_the_peers_fin_holds_nothing_back() {
    let words = common::segment_words(&common::shared_session("ndpi_heuristic_tcp_ack_payload.pcap"), 2, 160);
    assert!(words.contains("Window 0, announced with the ACK of the server's FIN") && !words.contains("the receiver's buffer is full"), "{words}");
}

/// R27D-3: ndpi_anydesk stream 1's largest segment, 1 300 bytes, against an MSS of 1 460 is a
/// full one only if the path's MTU stops it there: the estimate says what it rests on.
#[test]
fn a_largest_segment_below_the_mss_is_said_as_an_estimate() {
    let told = common::story_text(&common::shared_session("ndpi_anydesk.pcapng"), 1);
    assert!(told.contains("5 bytes against 1300 bytes, the largest segment this sender had sent by then, taken for a full one: the MSS announced (1460 bytes less options) allows more, unless the path's MTU is smaller"), "{told}");
}

/// R28-1: zeek_vlan-pcp-dei's client puts 0x0001 on every datagram (its SYN and its ACK alike):
/// the identification says nothing there, so its ACK's copies are told by the older rule.
#[test]
fn a_constant_identification_says_nothing_of_a_copy() {
    let words = common::segment_words(&common::shared_session("zeek_vlan-pcp-dei.pcapng"), 0, 8);
    assert!(words.contains("A copy of frame 7") && !words.contains("its IPv4 identification too"), "{words}");
}

/// R28-2: ldap_gap's client frame 9 acknowledges server bytes 211–1552 the capture does not
/// hold, sent after its small frame 8: an ACK of frame 8 may have come in them, so how long frame
/// 8 was unacknowledged (12.5 ms by the captured ACKs) is not known — no Nagle span is told.
#[test]
fn a_small_segments_span_is_not_told_where_its_ack_may_have_passed_unseen() {
    let told = common::story_text(&common::shared_session("zeek_ldap_gap-data-missing.pcapng"), 0);
    assert!(!told.contains("for 12.5 ms of it, the client's TCP holding the short rest") && !told.contains("During 12.5 ms of its network"), "{told}");
}

/// R28-3: a FIN sent again after its ACK covered the peer's FIN: not "can still receive until
/// the client closes too" (ndpi_heuristic_tcp_ack_payload stream 2 frame 159, a timeout's
/// resend, ack=1481 covers the client's FIN). (The FIN copies captured again that R28-3 named,
/// ctu-64702-888 frame 14 among them, are told as copies since R29-3: `tests/review_r27.rs`.)
#[test]
fn a_fin_whose_ack_covers_the_peers_fin_says_so() {
    let words = common::segment_words(&common::shared_session("ndpi_heuristic_tcp_ack_payload.pcap"), 2, 159);
    assert!(words.contains("Its ack=1481 covers the client's FIN too: the client had closed already.") && !words.contains("can still receive until the client closes too"), "{words}");
}
