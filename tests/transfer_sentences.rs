//! The sentences about a transfer, read against the packets on every capture in the repository
//! (issue #23): each false pattern a teacher found is forbidden, and each sentence's numbers
//! are checked against facts computed another way.
#![cfg(not(target_arch = "wasm32"))]

mod common;

use common::{each_connection, every_capture, read};
use tcp_ladder::diagram::explain;
use tcp_ladder::graph::series::tseq_rows;
use tcp_ladder::session::analyze_bytes;

/// An ACK with SACK blocks is explained by what it reports — the bytes that arrived beyond the
/// cumulative ACK (numbers from the time-sequence graph's own reading of the blocks, relative
/// to the other direction's first segment) — never as "nothing new but a larger window".
#[test]
fn sack_acks_say_which_bytes_arrived_and_where_the_hole_is() {
    let (mut checked, mut problems) = (0usize, Vec::new());
    for path in every_capture() {
        let Ok(session) = analyze_bytes(&read(&path)) else { continue };
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        for stream in 0..session.streams().len() as u32 {
            let conn = session.connection(stream).unwrap();
            for row in tseq_rows(&conn).filter(|r| r.sack_count > 0 && r.ack_flag) {
                let text = explain(&conn, row.index as usize).unwrap();
                checked += 1;
                if text.contains("nothing new but a larger window") {
                    problems.push(format!("{name} frame {}: a SACK ACK called a plain window update: {text}", row.frame));
                }
                for &(left, right) in &row.sack[..usize::from(row.sack_count)] {
                    let reported = match right.wrapping_sub(left) {
                        1 => format!("sequence number {left}"),
                        _ => format!("bytes {left} to {}", right.wrapping_sub(1)),
                    };
                    if !text.contains(&reported) {
                        problems.push(format!("{name} frame {}: SACK block {reported} not reported: {text}", row.frame));
                    }
                }
                let below_ack = row.sack[0].0.wrapping_sub(row.ack) > 1 << 31;
                if below_ack != text.contains("D-SACK") {
                    problems.push(format!("{name} frame {}: first block below ack={} is {below_ack}, D-SACK said {}: {text}", row.frame, row.ack, !below_ack));
                }
            }
        }
    }
    assert!(checked >= 90, "only {checked} SACK ACKs in the repository's captures");
    assert!(problems.is_empty(), "{} of {checked}:\n{}", problems.len(), problems.join("\n"));
}

/// A state entered "on the arrival" of a segment is said to be assumed only where nothing could
/// prove it: the segment occupies no sequence space (an ACK, an RST) or its receiver never
/// acknowledged it; one that carried data, a SYN or a FIN and was acknowledged names that ACK.
#[test]
fn arrival_is_assumed_only_where_nothing_acknowledges_the_segment() {
    use tcp_ladder::tcp::lifecycle::Evidence;
    let (mut checked, mut problems) = (0usize, Vec::new());
    each_connection(&every_capture(), |_, name, stream, conn| {
        let states = conn.states();
        let packets: Vec<_> = conn.packets().collect();
        for (side, changes) in states.sides.iter().enumerate() {
            let receiver_is_client = side == 0;
            for c in changes.iter().filter(|c| matches!(c.evidence, Evidence::Arrival | Evidence::Acknowledged)) {
                let Some(cause) = packets.iter().find(|p| p.frame == c.cause) else { continue };
                if cause.from_client == receiver_is_client {
                    continue; // Caused by its own segment: not an arrival.
                }
                checked += 1;
                let f = cause.segment.flags;
                let occupies = cause.segment.payload_len > 0 || f.syn() || f.fin();
                let end = cause.next_seq();
                let acked_later = packets.iter().any(|q| q.frame > cause.frame && q.from_client == receiver_is_client && q.segment.flags.ack() && q.ack.wrapping_sub(end) < 1 << 31);
                if c.evidence == Evidence::Arrival && occupies && acked_later && !f.rst() {
                    problems.push(format!("{name} stream {stream}: {:?} on the arrival of frame {}, which its receiver acknowledged later", c.state, c.cause));
                }
                if let (Evidence::Acknowledged, Some(by)) = (c.evidence, c.by) {
                    let ack = packets.iter().find(|q| q.frame == by).unwrap();
                    if ack.from_client != receiver_is_client || ack.ack.wrapping_sub(end) >= 1 << 31 {
                        problems.push(format!("{name} stream {stream}: frame {by} named as the ACK of frame {} does not acknowledge it", c.cause));
                    }
                }
            }
        }
    });
    assert!(checked > 500, "only {checked} received causes");
    assert!(problems.is_empty(), "{} of {checked}:\n{}", problems.len(), problems.join("\n"));
}

/// Phrases a teacher found false, never generated on any capture of the repository: the
/// three-segment close is not "because it had nothing left to send" (in a four-way close the
/// other side had nothing to send either), a simultaneous open's SYN-ACK is a resend of the SYN
/// by design, and the close's last ACK "ends it" only when the capture holds that ACK.
#[test]
fn close_and_open_captions_say_only_what_the_packets_show() {
    use tcp_ladder::diagram::{layout, LadderOptions};
    let (mut closes, mut problems) = (0usize, Vec::new());
    for path in every_capture() {
        let Ok(session) = analyze_bytes(&read(&path)) else { continue };
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        for stream in 0..session.streams().len() as u32 {
            let s = &session.streams()[stream as usize];
            let Ok(conn) = session.connection(stream) else { continue };
            let ladder = layout(&conn, &LadderOptions::default());
            let shapes = s.lifecycle.shapes();
            for phase in &ladder.phases {
                if phase.caption.contains("nothing left to send") {
                    problems.push(format!("{name} stream {stream}: {}", phase.caption));
                }
                if phase.kind == "three_segment" || phase.kind == "four_way" {
                    closes += 1;
                    let passive = usize::from(shapes.closed_by == Some(tcp_ladder::tcp::lifecycle::ClosedBy::Server));
                    let last_ack = shapes.fins[passive].and_then(|(_, ack)| ack);
                    let says_ended = phase.caption.contains("ACK ends it") || phase.caption.contains("acknowledges that and waits");
                    if says_ended != last_ack.is_some() {
                        problems.push(format!("{name} stream {stream}: last ACK {last_ack:?} but: {}", phase.caption));
                    }
                }
            }
            // The segments those phrases were said of: SYN-ACKs and FINs.
            let closing: Vec<usize> = conn.packets().enumerate().filter(|(_, p)| p.segment.flags.fin() || (p.segment.flags.syn() && p.segment.flags.ack())).map(|(i, _)| i).collect();
            for i in closing {
                let text = explain(&conn, i).unwrap();
                if text.contains("Not a resend") || text.contains("nothing left to send") {
                    problems.push(format!("{name} stream {stream} segment {i}: {text}"));
                }
            }
        }
    }
    assert!(closes >= 40, "only {closes} closes");
    assert!(problems.is_empty(), "{}:\n{}", problems.len(), problems.join("\n"));
}

/// A segment of keep-alive shape sent while the receiver's last window was zero is a
/// zero-window probe (Linux sends its probes one below the next sequence number), and its arrow
/// is tagged as one, not as a keep-alive.
#[test]
fn zero_window_probes_are_tagged_as_probes() {
    use tcp_ladder::diagram::{layout, LadderOptions};
    use tcp_ladder::tcp::analysis::AnalysisFlags;
    let (mut probes, mut problems) = (0usize, Vec::new());
    for path in every_capture() {
        let Ok(session) = analyze_bytes(&read(&path)) else { continue };
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        for stream in 0..session.streams().len() as u32 {
            let conn = session.connection(stream).unwrap();
            let packets: Vec<_> = conn.packets().collect();
            if !packets.iter().any(|p| p.analysis.flags.has(AnalysisFlags::KEEP_ALIVE)) {
                continue;
            }
            let ladder = layout(&conn, &LadderOptions { expand_all: true, ..Default::default() });
            for (i, p) in packets.iter().enumerate().filter(|(_, p)| p.analysis.flags.has(AnalysisFlags::KEEP_ALIVE)) {
                let closed = packets[..i].iter().rev().find(|q| q.from_client != p.from_client).is_some_and(|q| q.window == 0);
                let Some(arrow) = ladder.arrows.iter().find(|a| a.frame == p.frame) else { continue };
                let tags: Vec<&str> = arrow.tags.iter().map(|t| t.text.as_str()).collect();
                probes += usize::from(closed);
                if closed != tags.contains(&"Zero-window probe") || closed == tags.contains(&"Keep-alive") {
                    problems.push(format!("{name} frame {}: window closed {closed}, tags {tags:?}", p.frame));
                }
            }
        }
    }
    assert!(probes >= 3, "only {probes} zero-window probes of keep-alive shape");
    assert!(problems.is_empty(), "{}:\n{}", problems.len(), problems.join("\n"));
}

/// A capture of a connection whose two ends are one host (loopback, or one address) says it was
/// taken on that host, never "between the two": microseconds of stack time are not a place on
/// a path. The timing view's line and `analyze`'s `near` agree.
#[test]
fn a_capture_on_the_host_of_both_ends_says_so() {
    use tcp_ladder::diagram::{layout, LadderOptions};
    use tcp_ladder::report::AnalyzeReport;
    let (mut one_host, mut problems) = (0usize, Vec::new());
    for path in every_capture() {
        let Ok(session) = analyze_bytes(&read(&path)) else { continue };
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let report = serde_json::to_value(AnalyzeReport::from_session(&session)).unwrap();
        for (stream, s) in session.streams().iter().enumerate().take(50) {
            let conn = session.connection(stream as u32).unwrap();
            let ladder = layout(&conn, &LadderOptions { timing: true, ..Default::default() });
            let Some(line) = ladder.capture.as_ref().filter(|l| l.near != "unknown") else { continue };
            let same = s.client.addr == s.server.addr || (s.client.addr.is_loopback() && s.server.addr.is_loopback());
            one_host += usize::from(same);
            let near = &report["streams"][stream]["capture_point"]["near"];
            if same != line.label.contains("on the host of both ends") || same != (near == "one_host") || (same && line.label.contains("between")) {
                problems.push(format!("{name} stream {stream}: one host {same}, label {:?}, near {near}", line.label));
            }
        }
    }
    assert!(one_host >= 5, "only {one_host} connections on one host");
    assert!(problems.is_empty(), "{}:\n{}", problems.len(), problems.join("\n"));
}

/// Bytes sent again are explained by why, from the packets (the kinds `tests/recovery_vs_kernel.rs`
/// checks against the sender's kernel), never as Wireshark's out-of-order guess; and the
/// explanations of a whole connection (`explain_all`, one walk, as `tcp-ladder explain` prints
/// them) are the page's, one segment at a time.
#[test]
fn resends_are_explained_by_their_inferred_cause() {
    use tcp_ladder::diagram::explain_all;
    use tcp_ladder::tcp::recovery::ResendKind;
    let (mut resends, mut compared, mut problems) = (0usize, 0usize, Vec::new());
    for path in every_capture() {
        let Ok(session) = analyze_bytes(&read(&path)) else { continue };
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        for stream in 0..session.streams().len() as u32 {
            let conn = session.connection(stream).unwrap();
            let all = explain_all(&conn);
            for (i, (p, text, resend)) in all.iter().enumerate() {
                // A header cut before its flags is explained as unknown, and a FIN without ACK
                // as no retransmission: neither repeats bytes (reviewers' R1 F15, F19).
                let header_cut = p.segment.truncated && p.cap_len.saturating_sub(u32::from(p.segment.payload_at).saturating_sub(u32::from(p.segment.header_len))) < 14;
                let fin_without_ack = p.segment.flags.fin() && !p.segment.flags.ack();
                // Its FIN again acknowledging the peer's FIN: the first sentence says so (R4 U1).
                let fin_again = text.contains("sends its FIN again (seq=");
                if let Some(r) = resend.filter(|_| !header_cut && !fin_without_ack && !fin_again) {
                    resends += 1;
                    let phrase = match r.kind {
                        ResendKind::FastRetransmit => "A fast retransmit (inferred)",
                        ResendKind::TailLossProbe => "A tail loss probe (RFC 8985, inferred)",
                        // (R26C-3: after a silence a segment the capture lacks ended.)
                        ResendKind::Timeout if r.after_unseen.is_some() => "Part of the resending after a segment the capture lacks",
                        ResendKind::Timeout if r.after_timeout.is_some() => "Part of the resending after the timeout of frame",
                        ResendKind::Timeout => "A timeout (inferred)",
                        ResendKind::Unexplained => "Too soon for any timer",
                    };
                    let long = r.since_last_send_ns > tcp_ladder::tcp::recovery::LONGER_THAN_A_FIRST_TIMEOUT_NS && r.timeouts_in_stall == 0;
                    // The same segment captured again (its sender's IPv4 identification, or
                    // nothing new from the peer, within 1 ms) is told as a copy (R29-3).
                    let copy = r.kind == ResendKind::Unexplained && r.other_datagram.is_none() && r.answers_syn.is_none() && !r.fin_on_ack && r.since_earlier_ns.is_some_and(|ns| ns < 1_000_000);
                    let phrase = match () {
                        _ if copy => "the same segment captured again (seen at several points, or duplicated on the way), not sent again",
                        _ if r.kind != ResendKind::Unexplained || text.contains(phrase) => phrase,
                        _ if r.fin_on_ack => "Its FIN again, on an ACK of what the peer sent just before",
                        // R4 M10: a connect refused by RST and tried again.
                        _ if r.after_refusal.is_some() => "a retry of the refused connect",
                        // R18-16: a SYN-ACK answering the peer's SYN sent again.
                        _ if r.answers_syn.is_some() => "The answer to the",
                        // R4b-20: resent after the receiver withdrew its window; R5e F1: or
                        // after the sender had sent past every window it was offered.
                        _ if r.after_withdrawn.is_some() && r.beyond_offered.is_some() => "They had gone beyond the window the",
                        _ if r.after_withdrawn.is_some() => "withdrew its window",
                        _ if r.after_timeout.is_some() && r.after_unseen.is_none() => "Part of the resending after the timeout of frame",
                        // Two datagrams (another IPv4 identification) within a millisecond.
                        _ if r.other_datagram.is_some() && r.since_earlier_ns.is_some_and(|ns| ns < 1_000_000) => "Not the same packet captured twice: another datagram",
                        // R8b-15: a bare FIN again after long silence: its timer, far into its backoff.
                        _ if long && r.carries == "FIN" => "its retransmission timer is the likely cause — far into its backoff",
                        _ if long => "Not a timer's",
                        // Away from the sender, no TSval to date the sending.
                        _ if r.away_from_sender && !r.stamped => "when the sender sent these bytes again, and what it had heard by then, cannot be told here",
                        _ => "Why the sender sent these bytes again does not show",
                    };
                    if (copy == text.contains("Sent again")) || !text.contains(phrase) || text.contains("Wireshark's guess") {
                        problems.push(format!("{name} frame {}: {:?}: {text}", p.frame, r.kind));
                    }
                }
                if all.len() <= 300 && i % 7 == 0 {
                    compared += 1;
                    if explain(&conn, i).as_deref() != Some(text.as_str()) {
                        problems.push(format!("{name} frame {}: explain and explain_all differ", p.frame));
                    }
                }
            }
        }
    }
    // (680 since R13b-5 left out ndpi_heuristic_tcp_ack_payload's resends of zero bytes no end took.)
    assert!(resends >= 650 && compared > 1000, "{resends} resends, {compared} compared");
    assert!(problems.is_empty(), "{}:\n{}", problems.len(), problems.join("\n"));
}

/// An arrow's tags say what its explanation says: an ACK with SACK blocks is tagged "SACK",
/// never Wireshark's "Window update"; bytes sent again carry the inferred kind of resend, never
/// Wireshark's "Out-of-order" beside it.
#[test]
fn arrow_tags_agree_with_the_explanations() {
    use tcp_ladder::diagram::{layout, LadderOptions};
    let (mut sack_arrows, mut resent_arrows, mut problems) = (0usize, 0usize, Vec::new());
    for path in every_capture() {
        let Ok(session) = analyze_bytes(&read(&path)) else { continue };
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        for stream in 0..session.streams().len() as u32 {
            let conn = session.connection(stream).unwrap();
            if conn.len() > 20_000 {
                continue;
            }
            let ladder = layout(&conn, &LadderOptions { expand_all: true, ..Default::default() });
            let packets: Vec<_> = conn.packets().collect();
            for a in &ladder.arrows {
                let Some(i) = packets.iter().position(|p| p.frame == a.frame) else { continue };
                let kinds: Vec<&str> = a.tags.iter().map(|t| t.kind).collect();
                if !packets[i].segment.options.sack_blocks().is_empty() && packets[i].segment.flags.ack() {
                    sack_arrows += 1;
                    if kinds.contains(&"window_update") {
                        problems.push(format!("{name} frame {}: a SACK ACK tagged Window update", a.frame));
                    }
                }
                if kinds.iter().any(|k| k.starts_with("resend_")) {
                    resent_arrows += 1;
                    if kinds.contains(&"out_of_order") {
                        problems.push(format!("{name} frame {}: a resend tagged {kinds:?}", a.frame));
                    }
                }
            }
        }
    }
    assert!(sack_arrows >= 90 && resent_arrows >= 50, "only {sack_arrows} SACK arrows and {resent_arrows} resend arrows");
    assert!(problems.is_empty(), "{}:\n{}", problems.len(), problems.join("\n"));
}

/// Every recovery episode's caption (the ladder's bracket, `explain`, `analyze`) marks what the
/// sender's kernel decided as inferred or likely — the capture never shows its timer or its
/// fast-retransmit decision (a reviewer found "repaired by fast retransmit after 3 SACKs" and
/// "timeout (RTO) after 244.6 ms" stated as fact) — and away from the sender never gives the
/// ACKs seen here as the ones the sender acted on ("after about 12 SACKs" near the receiver).
#[test]
fn episode_captions_say_the_senders_decisions_as_inferred() {
    let (mut captions, mut problems) = (0usize, Vec::new());
    each_connection(&every_capture(), |_, name, stream, conn| {
        let ladder = tcp_ladder::diagram::layout(&conn, &tcp_ladder::diagram::LadderOptions { expand_all: true, ..Default::default() });
        for b in &ladder.episodes {
            captions += 1;
            let c = &b.caption;
            for mechanism in ["fast retransmit", "tail loss probe", "timeout (RTO", "RACK"] {
                for (at, _) in c.match_indices(mechanism) {
                    let before = &c[..at];
                    let after = &c[at + mechanism.len()..];
                    if !(before.ends_with("likely ") || after.starts_with(" (inferred)") || after.starts_with(", inferred") || after.starts_with(" fast retransmit")) {
                        problems.push(format!("{name} stream {stream}: '{mechanism}' stated as fact: {c}"));
                    }
                }
            }
            // An unfinished recovery cannot show how much was lost (chrissanders_tcp_dupack:
            // "1 segment lost" where SACK showed a 4-segment hole; R1 F29, R2 F1).
            if c.contains("the recovery is not over") && c.contains(" lost") {
                problems.push(format!("{name} stream {stream}: a count of lost segments in an unfinished recovery: {c}"));
            }
            if c.contains("after about") {
                problems.push(format!("{name} stream {stream}: ACKs seen away from the sender given as its trigger: {c}"));
            }
        }
    });
    assert!(captions >= 20, "only {captions} episode captions");
    assert!(problems.is_empty(), "{}:\n{}", problems.len(), problems.join("\n"));
}

/// A copy captured sooner than half the path's round trip (SYN to the handshake's ACK) after
/// the earlier copy answers nothing — no duplicate ACK, no timer could have produced it — and
/// is never called a fast retransmit, a loss probe or a timeout (public/ndpi_rtsp.pcap: the
/// same datagram captured 4 times within 0.071 ms, once called "lost, sent again 3 times:
/// fast retransmit", a reviewer's find). The exception the packets prove: the sender's own clock
/// (TSval) dates the copy at least half a round trip after the earlier one — the path held the
/// earlier copy and let both through together (lossy/spurious at the receiver, R1 F6).
#[test]
fn copies_sooner_than_a_round_trip_are_not_called_recovery() {
    use tcp_ladder::tcp::recovery::{recovery, ResendKind};
    let (mut copies, mut problems) = (0usize, Vec::new());
    each_connection(&every_capture(), |_, name, stream, conn| {
        let packets: Vec<_> = conn.packets().collect();
        let syn = packets.iter().find(|p| p.segment.flags.syn() && !p.segment.flags.ack());
        let syn_ack = packets.iter().find(|p| p.segment.flags.syn() && p.segment.flags.ack());
        let (Some(syn), Some(syn_ack)) = (syn, syn_ack) else { return };
        let Some(third) = packets.iter().find(|p| p.from_client && !p.segment.flags.syn() && p.segment.flags.ack() && p.frame > syn_ack.frame) else { return };
        // (A SYN sent again after the SYN-ACK went by: the handshake times no path, R21-4 —
        // ndpi_heuristic stream 5's ACK came 2.07 s after the first SYN, 1.8 ms after the second.)
        if packets.iter().any(|p| p.segment.flags.syn() && !p.segment.flags.ack() && p.frame > syn_ack.frame && p.frame < third.frame) {
            return;
        }
        let rtt = third.time_ns - syn.time_ns;
        for r in recovery(&packets).resends {
            let dated_later = r.by_sender_clock.and_then(|b| b.since_earlier_ns).is_some_and(|ns| ns >= rtt / 2);
            if r.since_earlier_ns.is_some_and(|ns| ns < rtt / 2) && !dated_later {
                copies += 1;
                if r.kind != ResendKind::Unexplained {
                    problems.push(format!("{name} stream {stream} frame {}: a copy {} µs after the earlier one (round trip {} µs) called {:?}", r.frame, r.since_earlier_ns.unwrap() / 1000, rtt / 1000, r.kind));
                }
            }
        }
    });
    assert!(copies >= 10, "only {copies} early copies");
    assert!(problems.is_empty(), "{}:\n{}", problems.len(), problems.join("\n"));
}

/// A first "resend" after longer than any first retransmission timeout, with nothing resent in
/// between, is not called a timeout or a loss probe (public/ndpi_heuristic_tcp_ack_payload:
/// the client's next request 28.6 s later, starting at 2 bytes the server never acknowledged,
/// was "repaired by timeout (RTO) after 28.648 s of silence" — a reviewer's find).
#[test]
fn no_timer_is_inferred_after_a_silence_longer_than_any_first_timeout() {
    use tcp_ladder::tcp::recovery::{recovery, ResendKind, LONGER_THAN_A_FIRST_TIMEOUT_NS};
    let (mut long, mut problems) = (0usize, Vec::new());
    each_connection(&every_capture(), |_, name, stream, conn| {
        let packets: Vec<_> = conn.packets().collect();
        for r in recovery(&packets).resends.iter().filter(|r| r.in_stall == 0 && r.since_last_send_ns > LONGER_THAN_A_FIRST_TIMEOUT_NS) {
            long += 1;
            if matches!(r.kind, ResendKind::Timeout | ResendKind::TailLossProbe) && r.dup_acks < 3 && r.sacked_above.is_none() {
                problems.push(format!("{name} stream {stream} frame {}: {:?} after {} ms of silence", r.frame, r.kind, r.since_last_send_ns / 1_000_000));
            }
        }
    });
    // (Two since R13b-5: ndpi_heuristic_tcp_ack_payload's "resends" after a minute were new data
    // at numbers only zero bytes no end took had used.)
    assert!(long >= 2, "only {long} first resends after a long silence");
    assert!(problems.is_empty(), "{}:\n{}", problems.len(), problems.join("\n"));
}

/// A fast retransmit follows the receiver's report within about a round trip (RFC 5681 §3.2):
/// none is inferred after a second of the sender's silence (zeek_tcp_reassembly frame 35 came
/// 1.61 s after the sender's last segment and 2.0 s after the third duplicate ACK, and was
/// called a fast retransmit "so the sender did not wait for its timer"; 206_example_b's
/// twelve backed-off resends likewise — reviewers' F30, R2 F21, F26). And a FIN riding again
/// on an ACK of new peer data is neither a probe nor a timer's (R2 F17).
#[test]
fn no_fast_retransmit_after_a_long_silence_and_no_probe_on_an_ack() {
    use tcp_ladder::tcp::recovery::{recovery, ResendKind};
    let (mut fast, mut problems, mut seen_reassembly) = (0usize, Vec::new(), false);
    each_connection(&every_capture(), |_, name, stream, conn| {
        let packets: Vec<_> = conn.packets().collect();
        for r in recovery(&packets).resends {
            if r.kind == ResendKind::FastRetransmit {
                fast += 1;
                if r.since_last_send_ns > 1_000_000_000 {
                    problems.push(format!("{name} stream {stream} frame {}: fast retransmit after {} ms of silence", r.frame, r.since_last_send_ns / 1_000_000));
                }
            }
            if r.fin_on_ack && matches!(r.kind, ResendKind::TailLossProbe | ResendKind::Timeout) {
                problems.push(format!("{name} stream {stream} frame {}: a FIN on an ACK called {:?}", r.frame, r.kind));
            }
        }
        if name == "zeek_tcp_reassembly.pcap" && stream == 0 {
            seen_reassembly = true;
            let r = recovery(&packets).resends.into_iter().find(|r| r.frame == 35).expect("frame 35 is a resend");
            assert_eq!(r.kind, ResendKind::Timeout, "frame 35");
        }
    });
    assert!(seen_reassembly, "zeek_tcp_reassembly.pcap not among the captures");
    // 41 since the segments a sender resends right behind a timeout's resend are that
    // resending's (zeek_tcp_reassembly 36, 206_example_b 1279–1301; R4 F4, R4b-8), no longer
    // fast retransmits.
    // 34 since the resends after zeek_http_206_example_b's withdrawn window (frames 217–264,
    // R4b-20) are said as that, no longer as fast retransmits.
    assert!(fast >= 30, "only {fast} fast retransmits");
    assert!(problems.is_empty(), "{}:\n{}", problems.len(), problems.join("\n"));
}

/// The congestion phases follow RFC 5681's order and say nothing a flight cannot show: no
/// return to "slow start" after the flight grew slowly or fell without a timeout between
/// (bulk_100k had 3 such returns; R1 F25), and a round of one segment shorter than any MSS
/// (under 536 bytes) is application-limited, never "congestion avoidance … 1 segments"
/// (half_close, get-gzip, pptp, rst-inject; R1 F2-addendum, R2 F13).
#[test]
fn congestion_phases_follow_rfc_5681_and_the_flight() {
    use tcp_ladder::tcp::congestion::congestion;
    use tcp_ladder::tcp::congestion_phase::Phase;
    let (mut rounds, mut problems, mut seen_iw10) = (0usize, Vec::new(), false);
    each_connection(&every_capture(), |_, name, stream, conn| {
        let packets: Vec<_> = conn.packets().collect();
        for d in congestion(&packets).directions {
            // An initial window of 10 whose 10th segment ends a write, then full segments as
            // soon as ACKs arrive: cwnd-limited, not "nothing more queued" (R2 F14).
            if name == "zeek_tcp_retransmit-fast009.pcap" && !d.from_client {
                seen_iw10 = true;
                assert_eq!((d.rounds[0].phase, d.rounds[0].cwnd_estimate), (Phase::SlowStart, Some(10)), "fast009's first server round");
            }
            let mut left = false;
            for r in &d.rounds {
                rounds += 1;
                match r.phase {
                    Phase::RestartAfterTimeout => left = false,
                    Phase::CongestionAvoidance | Phase::Reduction | Phase::EcnReduction | Phase::LossRecovery => left = true,
                    Phase::SlowStart if left => problems.push(format!("{name} stream {stream} round {}: slow start again with no timeout", r.number)),
                    _ => {}
                }
                let short_single = r.segments == 1 && r.bytes < 536 && !r.lost() && !r.receiver_limited;
                if short_single && !matches!(r.phase, Phase::ApplicationLimited | Phase::OnlyResent) {
                    problems.push(format!("{name} stream {stream} round {}: one {}-byte segment called {:?}", r.number, r.bytes, r.phase));
                }
            }
        }
    });
    assert!(rounds > 2_000 && seen_iw10, "only {rounds} rounds (fast009 seen: {seen_iw10})");
    assert!(problems.is_empty(), "{}:\n{}", problems.len(), problems.iter().take(30).cloned().collect::<Vec<_>>().join("\n"));
}

/// An ACK alike in every field to the one just before, with nothing from the peer between, is
/// said to be that ACK captured twice, not a duplicate ACK reporting a hole (tcpdump_pptp
/// frame 7; R2 F12); the real duplicate ACKs of the relay's recordings (each reports more SACK,
/// or follows a segment that arrived out of order) are never called copies.
#[test]
fn acks_captured_twice_are_not_duplicate_acks() {
    let (mut copies, mut real_dups, mut problems) = (0usize, 0usize, Vec::new());
    for path in every_capture() {
        let Ok(session) = analyze_bytes(&read(&path)) else { continue };
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let lossy = path.to_string_lossy().contains("/lossy/");
        for stream in 0..session.streams().len() as u32 {
            let Ok(conn) = session.connection(stream) else { continue };
            for (p, text, _) in tcp_ladder::diagram::explain_all(&conn) {
                let copy = text.contains("the same ACK captured again");
                copies += usize::from(copy);
                if lossy && p.analysis.dup_ack_num > 0 {
                    real_dups += 1;
                    if copy {
                        problems.push(format!("{name} frame {}: a real duplicate ACK called a copy", p.frame));
                    }
                }
                if name == "tcpdump_pptp.pcap" && p.frame == 7 && !copy {
                    problems.push(format!("{name} frame 7: {text}"));
                }
            }
        }
    }
    assert!(copies >= 5 && real_dups >= 10, "{copies} copies, {real_dups} real duplicate ACKs");
    assert!(problems.is_empty(), "{}:\n{}", problems.len(), problems.join("\n"));
}

/// A FIN sits after its segment's data: "FIN at seq=" gives seq + len, the number an ACK of it
/// acknowledges less one (R4 M2: zeek_tcp_timestamp frame 873 said "FIN at seq=999121, after
/// 880 bytes of data", the first data byte's number; tshark's nxtseq is 1000002).
#[test]
fn a_fin_is_placed_after_its_data() {
    let (mut fins, mut problems) = (0usize, Vec::new());
    each_connection(&every_capture(), |_, name, _, conn| {
        for (p, text, _) in tcp_ladder::diagram::explain_all(conn) {
            let Some(rest) = text.split("FIN at seq=").nth(1) else { continue };
            fins += 1;
            let said: u32 = rest.split(|c: char| !c.is_ascii_digit()).next().and_then(|n| n.parse().ok()).unwrap_or(u32::MAX);
            if said != p.seq.wrapping_add(p.segment.payload_len) {
                problems.push(format!("{name} frame {}: seq {} len {}: {text}", p.frame, p.seq, p.segment.payload_len));
            }
        }
    });
    assert!(fins >= 100, "{fins} FINs");
    assert!(problems.is_empty(), "{}:\n{}", problems.len(), problems.iter().take(10).cloned().collect::<Vec<_>>().join("\n"));
}

/// A round is receiver-limited only against a window known in bytes: a window field of unknown
/// scale (no SYN captured) is not bytes and limits nothing known, unless it is zero (R4b-24:
/// 75 such rounds, ndpi_1kxun stream 35, zeek_tcp_missing-syn). And a reduction is "down to"
/// only where the flight fell: "down to 34, 1.06 of it" was no cut (R4b-11).
#[test]
fn receiver_limits_need_a_known_window_and_cuts_a_fall() {
    use tcp_ladder::report::congestion_words::congestion_story;
    use tcp_ladder::tcp::congestion::congestion;
    use tcp_ladder::tcp::congestion_phase::Phase;
    use tcp_ladder::tcp::ScaleFactor;
    let (mut limited, mut cuts, mut problems) = (0usize, 0usize, Vec::new());
    each_connection(&every_capture(), |_, name, stream, conn| {
        let packets: Vec<_> = conn.packets().collect();
        let c = congestion(&packets);
        for d in &c.directions {
            for r in d.rounds.iter().filter(|r| r.phase == Phase::ReceiverLimited) {
                limited += 1;
                // The receiver's ACKs in the round: some known in bytes, or a zero window.
                let known = packets.iter().filter(|p| p.from_client != d.from_client && p.frame >= r.first_frame && p.frame <= r.last_frame && p.segment.flags.ack()).any(|p| p.scale_factor != ScaleFactor::Unknown || p.window == 0);
                let before = packets.iter().filter(|p| p.from_client != d.from_client && p.frame < r.first_frame && p.segment.flags.ack()).any(|p| p.scale_factor != ScaleFactor::Unknown || p.window == 0);
                if !known && !before {
                    problems.push(format!("{name} stream {stream}: round {} receiver-limited with no window known in bytes", r.number));
                }
            }
        }
        for s in congestion_story(tcp_ladder::report::congestion_json::congestion_json(&c), false, [false, false], [None, None]).sentences {
            // (Away from the sender the not-SACKed count can be a range, R8a-08: within it, no verdict.)
            cuts += usize::from(s.contains("no fewer than the") || s.contains("so whether the window was cut does not show here"));
            // R9-04: a tail loss probe is spoken of only where one was inferred (rack, fast009).
            if s.contains("tail loss probe") && !s.contains("inferred a tail loss probe") {
                problems.push(format!("{name} stream {stream}: {s}"));
            }
            if let Some(rest) = s.split("was down to ").nth(1) {
                cuts += 1;
                let ratio: f64 = rest.split(", ").nth(1).and_then(|r| r.split([' ', '–']).next()).and_then(|r| r.parse().ok()).unwrap_or(9.0);
                if ratio >= 1.0 {
                    problems.push(format!("{name} stream {stream}: {s}"));
                }
            }
        }
    });
    // (2 cuts since zeek_http_206_example_b's resends after its withdrawn window, R4b-20, are
    // no loss recovery, so no cut is measured after them.)
    assert!(limited >= 20 && cuts >= 2, "{limited} receiver-limited rounds, {cuts} cuts");
    assert!(problems.is_empty(), "{}:\n{}", problems.len(), problems.iter().take(20).cloned().collect::<Vec<_>>().join("\n"));
}

/// A segment shorter than a full one that ends where the receiver's window ended filled the
/// window; it is no sign the application ran dry (R4b-1: spurious_fast at the receiver, frame
/// 151 of a 1 MB write; R4b-12: delayed/bulk at the server, frame 729, ending at ACK 406's
/// edge 630825; tshark flags its copy at the client `window_full`).
#[test]
fn a_short_segment_at_the_window_edge_is_the_receivers_limit() {
    use tcp_ladder::tcp::congestion::congestion;
    use tcp_ladder::tcp::congestion_phase::Phase;
    for (folder, file, frame) in [("lossy", "spurious_fast_at_receiver.pcap", 151), ("delayed", "bulk_at_server.pcap", 729), ("delayed", "bulk_middle.pcap", 654)] {
        let session = analyze_bytes(&read(&common::corpus_dir(folder).join(file))).unwrap();
        let packets: Vec<_> = session.connection(0).unwrap().packets().collect();
        let short = packets.iter().find(|p| p.frame == frame).unwrap();
        let edge = short.seq.wrapping_add(short.segment.payload_len);
        assert!(packets.iter().any(|p| !p.from_client && p.frame < frame && p.ack.wrapping_add(p.window) == edge), "{file}: frame {frame} ends at no window edge");
        let c = congestion(&packets);
        let round = c.directions.iter().flat_map(|d| &d.rounds).find(|r| r.first_frame <= frame && frame <= r.last_frame).unwrap();
        assert_eq!(round.phase, Phase::ReceiverLimited, "{file}: round {} with frame {frame}", round.number);
    }
}

/// "Duplicate ACK … still waiting for byte N" only where the peer sent something beyond N: the
/// closing side's last ACK of a FIN repeated reports no hole (R4 M5: zeek_http_get-gzip frame
/// 14, ack=344 one past the server's FIN).
#[test]
fn a_duplicate_ack_waits_only_for_bytes_that_were_sent() {
    let (mut dups, mut none_beyond, mut problems) = (0usize, 0usize, Vec::new());
    each_connection(&every_capture(), |_, name, stream, conn| {
        let all = tcp_ladder::diagram::explain_all(conn);
        for (i, (p, text, _)) in all.iter().enumerate() {
            let waits = text.contains("Duplicate ACK #");
            let no_loss = text.contains("so this duplicate reports no loss");
            if !waits && !no_loss {
                continue;
            }
            let beyond = all[..i].iter().any(|(q, ..)| q.from_client != p.from_client && (q.next_seq().wrapping_sub(p.ack) as i32) > 0);
            dups += usize::from(waits);
            none_beyond += usize::from(no_loss);
            if waits != beyond {
                problems.push(format!("{name} stream {stream} frame {}: peer data beyond ack={}: {beyond}: {text}", p.frame, p.ack));
            }
        }
    });
    assert!(dups >= 100 && none_beyond >= 1, "{dups} duplicate ACKs, {none_beyond} with nothing beyond");
    assert!(problems.is_empty(), "{}:\n{}", problems.len(), problems.iter().take(10).cloned().collect::<Vec<_>>().join("\n"));
}
