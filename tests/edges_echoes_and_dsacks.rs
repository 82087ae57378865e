//! A teacher's R5e reading (issue #23): sentences checked against numbers the test takes from
//! the packets themselves. A window the receiver never offered (its ACK + window, from every
//! ACK) is not a window it "withdrew"; the resends that back off after it are the timer's; an
//! ECN round names the first echo of its mark; one D-SACK answers one copy; an RST after a
//! retried connect is no closed port's; a hole already open when the capture starts dates no
//! recovery.
#![cfg(not(target_arch = "wasm32"))]

mod common;

use common::{corpus_dir, every_capture_and_shared, read};
use tcp_ladder::report::story::{story, story_text, Story};
use tcp_ladder::session::analyze_bytes;
use tcp_ladder::tcp::recovery::NotNeeded;

/// What the tests read of each segment (relative numbers).
struct Seen {
    frame: u64,
    from_client: bool,
    seq: u32,
    len: u32,
    ack: u32,
    window: u32,
    ece: bool,
    cwr: bool,
}

fn told(folder: &str, capture: &str, stream: u32) -> (Story, Vec<Seen>) {
    let session = analyze_bytes(&read(&corpus_dir(folder).join(capture))).unwrap();
    let conn = session.connection(stream).unwrap();
    let flag = |p: &tcp_ladder::tcp::TcpPacket, f| p.segment.flags.has(f);
    let packets = conn
        .packets()
        .map(|p| Seen {
            frame: p.frame,
            from_client: p.from_client,
            seq: p.seq,
            len: p.segment.payload_len,
            ack: p.ack,
            window: p.window,
            ece: flag(&p, tcp_ladder::decode::TcpFlags::ECE),
            cwr: flag(&p, tcp_ladder::decode::TcpFlags::CWR),
        })
        .collect();
    (story(&conn), packets)
}

fn segment(s: &Story, frame: u64) -> String {
    s.segments.iter().find(|w| w.frame == frame).map(|w| w.explanation.clone()).unwrap()
}

/// R5e F1, F3: zeek_http_206_example_b. The client's ACK + window never passes 136936 before
/// frame 216 (it stays there from frame 95 to 166): the server sent past it (frame 150 on), the
/// client withdrew nothing. The resend sentence and its episode say so with that number, and
/// the receiver-limited rounds say the flight went past the window.
#[test]
fn bytes_sent_past_every_offered_window_are_not_a_withdrawn_window() {
    let (s, packets) = told("public", "zeek_http_206_example_b.pcap", 0);
    let edge = packets.iter().filter(|p| p.from_client && p.frame > 3 && p.frame < 216).map(|p| p.ack + p.window).max().unwrap();
    assert_eq!(edge, 136936);
    let text = segment(&s, 217);
    assert!(text.contains(&format!("never reached past sequence number {edge} until the window reopened in frame 216")), "{text}");
    assert!(!text.contains("withdrew") && !text.contains("shrinks"), "{text}");
    let e = s.recovery.iter().find(|e| e.episode.resends.first().is_some_and(|r| r.frame == 217)).unwrap();
    assert!(e.caption.contains(&format!("its ACK plus window never past sequence number {edge} before that")), "{}", e.caption);
    let rounds = s.congestion.sentences.iter().find(|l| l.starts_with("server rounds 3–")).unwrap();
    let largest = packets.iter().filter(|p| p.from_client).map(|p| p.window).max().unwrap();
    assert!(rounds.contains(&format!("went past the receiver's advertised window ({largest} bytes at most)")), "{rounds}");
    // The first server segment ending past every ACK + window the client had sent before it.
    let mut furthest = 0u32;
    let first_past = packets
        .iter()
        .find(|p| {
            if p.from_client && p.frame > 3 {
                furthest = furthest.max(p.ack + p.window);
            }
            !p.from_client && p.len > 0 && furthest > 0 && p.seq + p.len > furthest
        })
        .unwrap()
        .frame;
    assert_eq!(first_past, 150);
    assert!(rounds.contains(&format!("first in frame {first_past}:")), "{rounds}");
    assert!(!s.congestion.sentences.iter().any(|l| l.contains("less one segment")));
}

/// R5e F2: after frame 1225 the client sends nothing; the server resends the same first bytes
/// with growing gaps (267 ms … 15.56 s): its timer backing off. Only the resends of bytes that
/// were outstanding when the window was zero are put down to the window; the later ones are
/// timeouts, counted as timeouts (not "resend 51").
#[test]
fn resends_backing_off_after_a_reopened_window_are_timeouts() {
    let (s, packets) = told("public", "zeek_http_206_example_b.pcap", 0);
    assert!(packets.iter().filter(|p| p.from_client).all(|p| p.frame <= 1225), "the client is silent after frame 1225");
    for frame in [1278, 1280, 1296] {
        let text = segment(&s, frame);
        assert!(text.contains("A timeout (inferred)") && !text.contains("window"), "{frame}: {text}");
    }
    assert!(segment(&s, 1278).contains("(the first timeout in this stall, after 50 other resends)"), "{}", segment(&s, 1278));
    assert!(segment(&s, 1280).contains("(timeout 2 in this stall;"), "{}", segment(&s, 1280));
    let e = s.recovery.iter().find(|e| e.episode.resends.iter().any(|r| r.frame == 1278)).unwrap();
    assert!(e.caption.contains("then 12 timeouts, backoff 267.2 ms → 358.0 ms"), "{}", e.caption);
}

/// R5e F5: at the receiver the second congestion mark is echoed first in frame 234 (the first
/// ECE acknowledging past the sender's first CWR segment, frame 106); round 7 names it, not a
/// later repeat (243). At the sender the same echo is frame 263, answered by the CWR of 264.
#[test]
fn an_ecn_round_names_the_first_echo_of_its_mark() {
    for (capture, named_cwr) in [("ecn_at_receiver.pcap", 269), ("ecn_at_sender.pcap", 264)] {
        let (s, packets) = told("lossy", capture, 0);
        let first_cwr = packets.iter().find(|p| p.cwr && p.frame > 3).unwrap();
        assert!(first_cwr.frame < 200);
        // Echoes that acknowledge no further than the CWR segment repeat the first mark.
        let echo = packets.iter().find(|p| !p.from_client && p.ece && p.ack > first_cwr.seq + first_cwr.len).unwrap().frame;
        let line = s.congestion.sentences.iter().find(|l| l.contains("ECN echo answered") && l.contains(&format!("CWR (frame {named_cwr})"))).unwrap_or_else(|| panic!("{capture}: {:?}", s.congestion.sentences));
        assert!(line.contains(&format!("(ECE, frame {echo})")), "{capture}: first echo {echo}: {line}");
    }
}

/// R5e F7, M2: a D-SACK reports one duplicate arrival, so it is the verdict on one resend, in
/// every capture; ndpi_heuristic_tcp_ack_payload's three D-SACKs of bytes 1–1460 (frames 248,
/// 258, 265) answer its three copies of those bytes (230, 231, 232), and frame 293's answers
/// frame 292 only.
#[test]
fn one_dsack_is_the_verdict_on_one_resend() {
    let mut problems = Vec::new();
    common::each_connection(&every_capture_and_shared(), |_, name, stream, conn| {
        let mut by: Vec<u64> = Vec::new();
        for r in tcp_ladder::tcp::recovery::recovery(&conn.packets().collect::<Vec<_>>()).resends {
            if let Some(NotNeeded::DSack(f)) = r.not_needed {
                if by.contains(&f) {
                    problems.push(format!("{name} stream {stream}: D-SACK {f} again for frame {}", r.frame));
                }
                by.push(f);
            }
        }
    });
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    let (s, _) = told("public", "ndpi_heuristic_tcp_ack_payload.pcap", 5);
    let verdicts: Vec<(u64, u64)> = s.segments.iter().filter_map(|w| match w.resend.as_ref()?.not_needed? {
        NotNeeded::DSack(f) => Some((w.frame, f)),
        _ => None,
    }).collect();
    for pair in [(230, 248), (231, 258), (232, 265), (292, 293)] {
        assert!(verdicts.contains(&pair), "{pair:?} in {verdicts:?}");
    }
    assert!(!verdicts.iter().any(|&(frame, _)| frame == 225 || frame == 290), "{verdicts:?}");
}

/// R5e F4, M4: ndpi_rtsp stream 4's server refused the first SYN (frame 293) and accepted the
/// retry: its RST of frame 388 aborts an established connection, and the refusal's state line
/// says nothing was listening, not that sending the RST closed something.
#[test]
fn an_rst_after_a_retried_connect_is_no_closed_ports_reply() {
    let (s, _) = told("public", "ndpi_rtsp.pcap", 4);
    let text = segment(&s, 388);
    assert!(text.contains("aborts the connection") && !text.contains("already CLOSED"), "{text}");
    let refusal = s.states.server.iter().find(|w| w.frame == 293).unwrap();
    assert!(refusal.why.contains("nothing was listening when the client's SYN arrived"), "{}", refusal.why);
}

/// R5e M1, M3, U1: a FIN sent twice at its SYN's own number is said to be sent twice; a
/// malformed option's handling is not stated as a rule; an RST's ack counts the FIN it answers.
#[test]
fn small_sentences_say_what_the_packets_show() {
    let (s, _) = told("public", "zeek_tcp_fin_retransmission.pcap", 0);
    assert!(story_text(&s).contains("no loss signal, no resend: the client's FIN went by 2 times at seq=0 (frames 2, 4)"), "{}", story_text(&s));
    let (s, _) = told("public", "zeek_tcp_truncated-header.pcap", 0);
    let text = segment(&s, 1);
    assert!(text.contains("many stacks (Linux among them) skip") && !text.contains("which a receiver ignores"), "{text}");
    let (s, _) = told("public", "ndpi_tcp_scan.pcapng", 4);
    let text = segment(&s, 22);
    assert!(text.contains("SEG.SEQ + SEG.LEN, where a SYN or a FIN counts as one"), "{text}");
}

/// A capture that starts after the connection opened (chrissanders_tcp_zerowindowrecovery: no
/// SYN, windows of unknown scale after a zero window) names no phase for the first round it
/// shows and claims no send past a window whose size it cannot know; over every capture, no
/// sender whose SYN is missing has its first round called slow start.
#[test]
fn a_capture_that_starts_mid_connection_names_no_first_phase() {
    let (s, _) = told("public", "chrissanders_tcp_zerowindowrecovery.pcapng", 0);
    let line = s.congestion.sentences.iter().find(|l| l.starts_with("server round 1 ")).unwrap();
    assert!(line.contains("the first round the capture shows") && !line.contains("slow start") && !line.contains("went past"), "{line}");
    let mut problems = Vec::new();
    common::each_connection(&every_capture_and_shared(), |_, name, stream, conn| {
        let packets: Vec<_> = conn.packets().collect();
        for d in tcp_ladder::tcp::congestion::congestion(&packets).directions {
            let syn = packets.iter().any(|p| p.from_client == d.from_client && p.segment.flags.syn());
            let first = &d.rounds[0];
            if !syn && first.phase == tcp_ladder::tcp::congestion::Phase::SlowStart {
                problems.push(format!("{name} stream {stream}: round 1 slow start without a SYN"));
            }
        }
    });
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// The R6 readings (issue #23): a resend long enough after its sender's previous segment for a
/// timer is not called too soon for one (ndpi_heuristic s5 frame 232, 854.7 ms); bytes below the
/// first a sender was seen sending, in a capture without its SYN, were first sent before the
/// capture (chrissanders_tcp_dupack frame 8); a header cut before its flags leaves the bytes
/// uncounted (pcap-snaplen-44); a segment sent before its sender had the peer's SYN is not
/// scaled (zeek_tcp_fin_retransmission frame 2: 65535, not 1048560); a SYN-ACK's data is said
/// (zeek_tcp_payload-synack frame 2); equal 18 s gaps are no timer's backoff (ndpi_1kxun s19).
#[test]
fn r6_sentences_say_what_the_packets_show() {
    let (s, _) = told("public", "ndpi_heuristic_tcp_ack_payload.pcap", 5);
    let text = segment(&s, 232);
    // (Since R21-4 the handshake times no path here, and the timer's firing is inferred.)
    assert!(text.contains("A timeout (inferred): 854.7 ms of silence from the sender") && !text.contains("only 854.7 ms"), "{text}");
    let (s, _) = told("public", "chrissanders_tcp_dupack.pcapng", 0);
    assert!(segment(&s, 8).contains("their first copy was sent before the capture began"), "{}", segment(&s, 8));
    let (s, _) = told("generated", "pcap-snaplen-44.pcap", 0);
    let data = &s.phases.iter().find(|p| p.title == "Data transfer").unwrap().caption;
    assert!(data.contains("11 of them with a TCP header the snap length cut") && !data.contains("Sent again"), "{data}");
    let (s, _) = told("public", "zeek_tcp_fin_retransmission.pcap", 0);
    assert!(segment(&s, 2).contains("Window: 65535 — sent before the client had the peer's SYN"), "{}", segment(&s, 2));
    let (s, _) = told("public", "zeek_tcp_payload-synack.pcap", 0);
    assert!(segment(&s, 2).contains("It also carries 110 bytes of data, sequence numbers 1 to 110") && segment(&s, 2).contains("ack=111"), "{}", segment(&s, 2));
    assert!(s.phases[0].caption.contains("The server's SYN-ACK already carries 110 bytes of data"), "{}", s.phases[0].caption);
    let (s, _) = told("public", "ndpi_1kxun.pcap", 19);
    // (R4b-19: no timer's *first* resend; R8b-15: a bare FIN, so a later firing of its timer.)
    for frame in [779, 988] {
        let text = segment(&s, frame);
        assert!(text.contains("far into its backoff") && text.contains("earlier firings not having passed the capture point") && !text.contains("too soon"), "{frame}: {text}");
    }
}

/// R6a F5: an ACK 480.8 ms after its data (lossy/spurious_at_sender frame 128, quickest 30.6 ms)
/// is longer than Linux's delayed-ACK timer, not than "any": RFC 1122 allows up to 0.5 s.
#[test]
fn an_ack_under_half_a_second_late_does_not_rule_out_every_delayed_ack_timer() {
    let (s, _) = told("lossy", "spurious_at_sender.pcap", 0);
    let ack = s.segments.iter().find(|w| w.explanation.contains("acknowledges frame 128 exactly")).unwrap();
    // (Since R17b-16 the frame before it, 0.076 ms earlier, shows the server lacked frame 128's
    // bytes then: the relay held them; no timer is weighed at all.)
    assert!(ack.explanation.contains("longer than Linux's delayed-ACK timer (200 ms at most; RFC 1122 allows up to 0.5 s") || ack.explanation.contains("frame 128 was held that long on the way"), "{}", ack.explanation);
    assert!(!ack.explanation.contains("longer than any delayed-ACK timer"), "{}", ack.explanation);
}
