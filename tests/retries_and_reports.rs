//! A teacher's R4 reading (issue #23), items about who tried again and what an ACK reported:
//! a connect refused by RST and tried again (ndpi_rtsp stream 4: the SYN of frame 289 refused
//! by frame 293, the same ISN again in frame 297 accepted in frame 301) is a retry, not a
//! timeout, on every line that speaks of it; an RST answer's numbers say they are absolute; a
//! capture that starts during a recovery counts its reports as "at least"; one ACK's verdict
//! is said once; a FIN at its sender's own ISN is not acceptable (no resend); a SYN whose
//! options the snap length cut, or one with a malformed option, says so; and an ECN echo
//! answered with CWR inside a round is named in that round.
#![cfg(not(target_arch = "wasm32"))]

mod common;

use common::{corpus_dir, every_capture_and_shared, read};
use tcp_ladder::report::story::story;
use tcp_ladder::session::analyze_bytes;

fn told(capture: &str, stream: u32) -> tcp_ladder::report::story::Story {
    let session = analyze_bytes(&read(&corpus_dir("public").join(capture))).unwrap();
    let conn = session.connection(stream).unwrap();
    story(&conn)
}

fn segment(s: &tcp_ladder::report::story::Story, frame: u64) -> String {
    s.segments.iter().find(|w| w.frame == frame).map(|w| w.explanation.clone()).unwrap()
}

/// R4 M10, R4b-26: the refused connect and its retry.
#[test]
fn a_connect_refused_by_rst_and_tried_again_is_a_retry_not_a_timeout() {
    let s = told("ndpi_rtsp.pcap", 4);
    let path = |side: &[tcp_ladder::report::story::StateWords]| side.iter().map(|w| format!("{}@{}", w.state, w.frame)).collect::<Vec<_>>().join(" ");
    // (R27D-2, session 26: the same SYN, same ISN, sent again after the RST: the attempt went on
    // in SYN-SENT; it was "CLOSED@293 SYN-SENT@297".)
    assert_eq!(path(&s.states.client), "SYN-SENT@289 ESTABLISHED@301 CLOSED@388");
    assert_eq!(path(&s.states.server), "CLOSED@293 LISTEN@297 SYN-RECEIVED@301 ESTABLISHED@305 CLOSED@388");
    let retry = segment(&s, 297);
    assert!(retry.contains("refused the earlier one with RST (frame 293)") && retry.contains("retry of the refused connect"), "{retry}");
    assert!(!retry.contains("timeout") && !retry.contains("timer fired"), "{retry}");
    let episode = s.recovery.iter().find(|e| e.episode.resends.iter().any(|r| r.frame == 297)).unwrap();
    assert!(episode.caption.contains("refused by RST (frame 293)") && !episode.caption.contains("RTO"), "{}", episode.caption);
    let open = &s.phases[0];
    assert!(open.caption.contains("first refused the SYN with RST (frame 293)") && open.caption.contains("this time the server answered"), "{}", open.caption);
    // The RST ending the connection is the one of frame 388, not the refusal.
    let reset = s.phases.iter().find(|p| p.title == "Reset").unwrap();
    // (Frames 389–392 are the capture's copies of that RST: they belong to the reset too.)
    assert_eq!((reset.first_frame, reset.last_frame), (388, 392));
    // The 58 s between requests are no "close": the close is the last moments only.
    let close: i64 = s.time.split.parts.iter().filter(|p| format!("{:?}", p.kind).contains("Clos")).map(|p| p.end_ns - p.start_ns).sum();
    assert!(close < 1_000_000, "close {close} ns: {}", s.time.summary);
}

/// R4 U2: the RST of a closed port gives seq and ack as the segment carries them, and says so.
#[test]
fn an_rst_answer_says_its_numbers_are_absolute() {
    let s = told("ndpi_tcp_scan.pcapng", 5);
    let text = segment(&s, 26);
    assert!(text.contains("ack=3092930907 in absolute numbers"), "{text}");
}

/// R4b-21: chrissanders_tcp_dupack's first frame already SACKs beyond a hole (four SACK
/// reports, frames 1, 3, 5, 7, before the resend of frame 8). R5e F6: that the sender was
/// already recovering then is a guess (it sends new data first), so the caption says only
/// that the hole was open, and not where a recovery it cannot date would end.
#[test]
fn a_capture_that_starts_during_a_recovery_counts_at_least() {
    let s = told("chrissanders_tcp_dupack.pcapng", 0);
    let e = s.recovery.iter().find(|e| e.episode.resends.iter().any(|r| r.frame == 8)).unwrap();
    assert_eq!(e.episode.first_frame, 1);
    assert!(e.caption.contains("after at least 4 SACKs (the hole was already open when the capture starts)"), "{}", e.caption);
    assert!(e.caption.contains("when the sender entered recovery, and so where it ends, does not show"), "{}", e.caption);
    assert!(!e.caption.contains("during this recovery") && !e.caption.contains("bytes below"), "{}", e.caption);
}

/// R4b-25: no recovery caption repeats a clause (one D-SACK said three times read as three).
#[test]
fn no_recovery_caption_says_one_thing_twice() {
    let (mut captions, mut problems) = (0, Vec::new());
    common::each_connection(&every_capture_and_shared(), |_, name, stream, conn| {
        for e in tcp_ladder::report::recovery_json::recovery_json(conn) {
            captions += 1;
            let clauses: Vec<&str> = e.caption.split("; ").collect();
            if (1..clauses.len()).any(|i| clauses[..i].contains(&clauses[i])) {
                problems.push(format!("{name} stream {stream}: {}", e.caption));
            }
        }
    });
    assert!(captions > 200, "{captions}");
    assert!(problems.is_empty(), "{}:\n{}", problems.len(), problems.join("\n"));
}

/// R4 U3: the RACK sentence says how many bytes were SACKed above the hole, and SACK blocks'
/// last byte (the block's right edge minus one), as the rest of the text does.
#[test]
fn a_rack_resend_says_what_was_sacked() {
    let session = analyze_bytes(&read(&corpus_dir("lossy").join("rack_at_sender.pcap"))).unwrap();
    let s = story(&session.connection(0).unwrap());
    let text = segment(&s, 23);
    assert!(text.contains("SACK blocks up to byte 14480") && text.contains("reached only 1448 bytes above these (to byte 14480)"), "{text}");
    assert!(!text.contains("at most 2 segments above the hole were SACKed"), "{text}");
}

/// R4 M1: zeek_tcp_fin_retransmission frame 4 is a FIN,ACK at seq=0, the client's ISN: below
/// the server's RCV.NXT (1), not acceptable; no resend, no handshake completed by it, and the
/// server never ESTABLISHED.
#[test]
fn a_fin_at_its_senders_isn_is_not_acceptable() {
    let s = told("zeek_tcp_fin_retransmission.pcap", 0);
    let text = segment(&s, 4);
    assert!(text.contains("A FIN at seq=0, the sequence number of the client's own SYN (frame 1)") && text.contains("not acceptable there"), "{text}");
    assert!(!text.contains("Sent again") && !text.contains("Retransmission"), "{text}");
    assert!(s.segments.iter().all(|w| w.resend.is_none()));
    assert!(s.states.server.iter().all(|w| w.state != "ESTABLISHED"), "{:?}", s.states.server.iter().map(|w| w.state).collect::<Vec<_>>());
    assert!(s.phases[0].caption.contains("no acceptable ACK of the SYN-ACK"), "{}", s.phases[0].caption);
}

/// R4 M3: a SYN whose options the snap length cut says what it kept and that the rest is not
/// known (pcap-snaplen-60: 6 of its 20 option bytes, MSS and SACK permitted); a Timestamps
/// option 8 bytes long (zeek_tcp_truncated-header; RFC 7323 gives 10) is named as malformed.
#[test]
fn a_syn_with_options_cut_or_malformed_says_so() {
    let session = analyze_bytes(&read(&corpus_dir("generated").join("pcap-snaplen-60.pcap"))).unwrap();
    let s = story(&session.connection(0).unwrap());
    let text = segment(&s, 1);
    assert!(text.contains("It announces MSS 1460 (the largest segment it wants to receive), SACK permitted; the rest of its options were not captured"), "{text}");
    let s = told("zeek_tcp_truncated-header.pcap", 0);
    let text = segment(&s, 1);
    assert!(text.contains("a malformed option — Timestamps (should be 10 bytes, RFC 7323)"), "{text}");
}

/// R4b-3, R4b-4: on the ecn recording the sender's round 4 holds the first echo (frame 101)
/// and its CWR (frame 102), round 7 the second (263, 264); neither is "congestion avoidance",
/// and ss's ssthresh falls after each (40 → 31, then 31 → 23: tests/captures/lossy/README.md).
#[test]
fn an_ecn_echo_answered_inside_a_round_is_named_there() {
    let session = analyze_bytes(&read(&corpus_dir("lossy").join("ecn_at_sender.pcap"))).unwrap();
    let s = story(&session.connection(0).unwrap());
    let lines: Vec<&String> = s.congestion.sentences.iter().collect();
    let round = |n: &str| lines.iter().find(|l| l.contains(n)).map(|l| l.as_str()).unwrap_or_else(|| panic!("no {n}: {lines:?}"));
    assert!(round("round 4 (frames 97–131)").contains("ECE, frame 101") && round("round 4 (frames 97–131)").contains("CWR (frame 102)"), "{lines:?}");
    assert!(lines.iter().any(|l| l.contains("ECE, frame 263") && l.contains("CWR (frame 264)")), "{lines:?}");
    assert!(round("round 5 (frames 133–174)").contains("reduction after an ECN echo"), "{lines:?}");
    for l in &lines {
        assert!(!(l.contains("congestion avoidance") && (l.contains("97–131") || l.contains("–270)"))), "{l}");
    }
}

/// R4b-20: zeek_http_206_example_b's client advertised a zero window at ack 136936 (frame 166)
/// with the server's bytes up to 180601 already sent, reopened it in frame 216, and the server
/// resent from 136936: not a fast retransmit after "a hole reported", and said so. (R5e F1:
/// the client never shrank its window — the server had sent past it; `window_edges.rs`.)
#[test]
fn a_resend_after_a_withdrawn_window_says_so() {
    let s = told("zeek_http_206_example_b.pcap", 0);
    let e = s.recovery.iter().find(|e| e.episode.resends.first().is_some_and(|r| r.frame == 217)).unwrap();
    assert!(e.caption.contains("sent again once the receiver's window reopened (frame 216): they had been sent beyond the window it offered"), "{}", e.caption);
    assert!(!e.caption.contains("fast retransmit") && !e.caption.contains("lost"), "{}", e.caption);
    let text = segment(&s, 217);
    assert!(text.contains("They had gone beyond the window the client offered") && !text.contains("A fast retransmit"), "{text}");
}

/// R4 M9: zeek_ldap_gap-data-missing's client FIN (frame 17, seq 2673) is followed by the
/// server's RST (frame 18) with ack=2673: the RST stops short of the FIN, it answered the
/// unread data; the FIN is not said to be what the receiver "had no connection for".
#[test]
fn a_fin_overtaken_by_an_rst_names_the_rst_that_stops_short_of_it() {
    let s = told("zeek_ldap_gap-data-missing.pcapng", 0);
    let text = segment(&s, 17);
    assert!(text.contains("RST (frame 18) whose ACK stops short of it"), "{text}");
    assert!(!text.contains("it had no connection for it."), "{text}");
    // An RST without ACK (zeek_tls_irc-starttls frame 20, after the server's FIN of frame 19)
    // is a closed endpoint's reply: it stops short of nothing.
    let s = told("zeek_tls_irc-starttls.pcap", 0);
    let text = segment(&s, 19);
    assert!(text.contains("answered with an RST (frame 20, without ACK): it had no connection for it any more"), "{text}");
}

/// An episode of resent SYN-ACKs (ndpi_heuristic_tcp_ack_payload stream 5: frames 222–223) says
/// what was resent — since R13b-5 the SYN-ACKs alone: frame 224's 6 zero bytes at seq=1 were
/// no data (frame 225 puts other bytes there), so frame 225 is new data, not a resend — and no
/// caption anywhere counts "0 segments lost". (R5e F7: the D-SACK of frame 248 reports data
/// bytes 1–1460 and is no verdict on this episode's SYN-ACKs.)
#[test]
fn an_episode_of_a_syn_ack_and_data_names_both() {
    let s = told("ndpi_heuristic_tcp_ack_payload.pcap", 5);
    let text = tcp_ladder::report::story::story_text(&s);
    assert!(text.contains("frames 222–228, server's SYN-ACK: not needed: the D-SACK in frame 233"), "{text}");
    assert!(!text.contains("D-SACK in frame 248 shows the receiver got these bytes twice (for frame 225)"), "{text}");
    let mut zero = Vec::new();
    common::each_connection(&every_capture_and_shared(), |_, name, stream, conn| {
        for e in tcp_ladder::report::recovery_json::recovery_json(conn) {
            if e.caption.starts_with("0 segments") || e.caption.contains(" 0 segments lost") {
                zero.push(format!("{name} stream {stream}: {}", e.caption));
            }
        }
    });
    assert!(zero.is_empty(), "{}", zero.join("\n"));
}
