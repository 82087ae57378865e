//! Sentences about what a capture does not show, and about segments that belong to no
//! connection, read against the packets on every capture in the repository and in the shared
//! public corpus (issue #23; reviewers' R1 F14, F15, F18–F23, F27 and R2 F5, F9–F11, F15, F24,
//! F25). Each test forbids a false pattern a teacher found, with the facts recomputed here from
//! the raw packets (flags, raw sequence numbers, captured lengths, tshark's scale factor).
#![cfg(not(target_arch = "wasm32"))]

mod common;


use common::{every_capture_and_shared, read};
use tcp_ladder::diagram::explain_all;
use tcp_ladder::report::story::{story, story_text};
use tcp_ladder::session::{analyze_bytes, Session};
use tcp_ladder::tcp::{ScaleFactor, TcpPacket};

/// Every connection of every capture, its packets with their sentences.
fn each_explained(mut check: impl FnMut(&str, &Session, u32, &[(TcpPacket, String)])) {
    for path in every_capture_and_shared() {
        let Ok(session) = analyze_bytes(&read(&path)) else { continue };
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        for stream in 0..session.streams().len() as u32 {
            let Ok(conn) = session.connection(stream) else { continue };
            let explained: Vec<(TcpPacket, String)> = explain_all(&conn).into_iter().map(|(p, t, _)| (p, t)).collect();
            check(&name, &session, stream, &explained);
        }
    }
}

/// Bytes of the TCP header the frame holds, from the captured length and where the payload
/// starts (the header sits `header_len` bytes before it).
fn header_bytes_held(p: &TcpPacket) -> u32 {
    let header_at = u32::from(p.segment.payload_at).saturating_sub(u32::from(p.segment.header_len));
    p.cap_len.saturating_sub(header_at)
}

fn after(a: u32, b: u32) -> bool {
    let d = a.wrapping_sub(b);
    d != 0 && d < 1 << 31
}

/// R1 F15: a header the snap length cut before its flags gets no sentence built from the
/// missing bytes (no flags, no zero window, no retransmission) and says what is unknown.
#[test]
fn a_header_cut_before_its_flags_is_said_unknown() {
    let (mut cut, mut problems) = (0usize, Vec::new());
    each_explained(|name, _, _, explained| {
        for (p, text) in explained.iter().filter(|(p, _)| header_bytes_held(p) < 14) {
            cut += 1;
            let claims = ["no flags set", "Zero window", "Window:", "Sent again", "sends", "acknowledges"];
            if !text.contains(&format!("kept only {} bytes", p.cap_len)) || claims.iter().any(|c| text.contains(c)) {
                problems.push(format!("{name} frame {}: {text}", p.frame));
            }
        }
    });
    assert!(cut >= 11, "the 44-byte snap-length capture has 11 such frames, found {cut}");
    assert!(problems.is_empty(), "{} of {cut}:\n{}", problems.len(), problems.join("\n"));
}

/// Issue #23: a window belongs to the segment's sender (how much more IT can receive), also on a
/// data segment going the other way: every known-scale window sentence names its owner and the
/// byte count tshark gives (`tcp.window_size`, scaled) — unscaled where it was sent before its
/// sender had the peer's SYN.
#[test]
fn a_window_is_named_by_whose_it_is() {
    let (mut named, mut problems) = (0usize, Vec::new());
    each_explained(|name, session, stream, explained| {
        let roles = ["server", "client"];
        let _ = (session, stream);
        for (p, text) in explained.iter().filter(|(p, _)| !matches!(p.scale_factor, ScaleFactor::Unknown) && !p.segment.flags.rst() && header_bytes_held(p) >= 16) {
            let me = roles[usize::from(p.from_client)];
            if text.contains("Window") {
                named += 1;
                // Sent before its sender had the peer's SYN (no ACK): not scaled yet (RFC 7323
                // §2.2), where tshark scales it (R6b F1: zeek_tcp_fin_retransmission frame 2).
                let unscaled = !p.segment.flags.ack() && !p.segment.flags.syn() && p.segment.window != 0;
                let expected = if unscaled { format!("Window: {} — sent before the {me} had the peer's SYN", p.segment.window) } else { format!("Window: the {me} can still receive {} bytes", p.window) };
                if !text.contains(&expected) {
                    problems.push(format!("{name} frame {}: {text}", p.frame));
                }
            }
        }
    });
    assert!(named > 10_000, "only {named} window sentences");
    problems.truncate(10);
    assert!(problems.is_empty(), "{}", problems.join("\n").chars().take(4000).collect::<String>());
}

/// R1 F27, R2 F15: where tshark's scale factor is unknown (-1) the window is a field value,
/// never "Window: the client can still receive N bytes" — but a zero field is zero bytes.
#[test]
fn a_window_of_unknown_scale_is_no_byte_count() {
    let (mut unknown, mut problems) = (0usize, Vec::new());
    each_explained(|name, _, _, explained| {
        for (p, text) in explained.iter().filter(|(p, _)| p.scale_factor == ScaleFactor::Unknown && !p.segment.flags.rst() && header_bytes_held(p) >= 16) {
            unknown += 1;
            // A zero window is zero whatever the scale (R4 F3: it was "0 × 2^scale — is not known").
            let said = if p.segment.window == 0 { text.contains("Window: 0 — ") && !text.contains("is not known") } else { !text.contains("Window: the ") && text.contains(&format!("Window field {}", p.segment.window)) };
            if !said {
                problems.push(format!("{name} frame {}: {text}", p.frame));
            }
        }
    });
    assert!(unknown > 100, "only {unknown} segments of unknown scale");
    assert!(problems.is_empty(), "{} of {unknown}:\n{}", problems.len(), problems.join("\n").chars().take(4000).collect::<String>());
}

/// R1 F22, R2 F24: "earlier segments were not captured" only when no later segment of the same
/// side brings the first missing byte; "acknowledges data the capture never saw … capture
/// started late" never; an ACK of bytes the capture does not hold names them, computed here.
#[test]
fn gaps_and_acks_of_unseen_bytes_say_what_the_capture_holds() {
    let (mut late, mut unseen, mut problems) = (0usize, 0usize, Vec::new());
    each_explained(|name, _, _, explained| {
        let mut end: [Option<u32>; 2] = [None, None];
        // Every range of bytes (and SYN/FIN) each side's captured segments carried so far.
        let mut held: [Vec<(u32, u32)>; 2] = [Vec::new(), Vec::new()];
        for (i, (p, text)) in explained.iter().enumerate() {
            let me = usize::from(!p.from_client);
            let f = p.segment.flags;
            if text.contains("Gap before it") {
                if let Some(first) = end[me].filter(|&e| after(p.seq, e)) {
                    let filler = explained[i + 1..].iter().find(|(q, _)| q.from_client == p.from_client && q.segment.payload_len > 0 && !after(q.seq, first) && after(q.seq.wrapping_add(q.segment.payload_len), first));
                    match filler {
                        Some((q, _)) => {
                            late += 1;
                            if text.contains("not captured") || !text.contains(&format!("bytes {first} to {}", p.seq.wrapping_sub(1))) || !text.contains(&format!("in frame {}", q.frame)) {
                                problems.push(format!("{name} frame {}: bytes from {first} come in frame {}: {text}", p.frame, q.frame));
                            }
                        }
                        None if !text.contains("not captured") => problems.push(format!("{name} frame {}: {text}", p.frame)),
                        None => {}
                    }
                }
            }
            if text.contains("did pass the capture point") && end[1 - me].is_none_or(|e| after(p.ack, e)) {
                problems.push(format!("{name} frame {}: said seen, but the peer's bytes end at {:?}: {text}", p.frame, end[1 - me]));
            }
            if text.contains("capture started late") {
                problems.push(format!("{name} frame {}: the old ACK-of-unseen sentence: {text}", p.frame));
            }
            // R20C-12: bytes below later ones that no captured segment carried are named as a hole.
            if let (true, Some(peer_end)) = (text.contains("which the capture does not hold, though it holds later ones"), end[1 - me]) {
                unseen += 1;
                let named = text.split("It acknowledges the ").nth(1).and_then(|t| t.split("'s bytes ").nth(1)).and_then(|t| t.split_once(" to ")).and_then(|(a, _)| a.parse::<u32>().ok());
                let carried = |b: u32| held[1 - me].iter().any(|&(s, e)| !after(s, b) && after(e, b));
                if !named.is_some_and(|a| after(p.ack, a) && after(peer_end, a) && !carried(a)) {
                    problems.push(format!("{name} frame {}: a hole below {peer_end} not shown: {text}", p.frame));
                }
            } else if let (true, Some(peer_end)) = (text.contains("which the capture does not hold"), end[1 - me]) {
                unseen += 1;
                if !(f.ack() && after(p.ack, peer_end)) || !text.contains(&format!("bytes {peer_end} to {}", p.ack.wrapping_sub(1))) {
                    problems.push(format!("{name} frame {}: peer's bytes end at {peer_end}: {text}", p.frame));
                }
            }
            if p.segment.payload_len > 0 || f.syn() || f.fin() {
                let e = p.next_seq();
                held[me].push((p.seq, e));
                if end[me].is_none_or(|old| after(e, old)) {
                    end[me] = Some(e);
                }
            }
        }
    });
    assert!(late >= 3, "reorder/drop captures at the receiver have late gaps, found {late}");
    assert!(unseen > 0);
    assert!(problems.is_empty(), "{} problems:\n{}", problems.len(), problems.join("\n").chars().take(6000).collect::<String>());
}

/// R1 F19, F21: a FIN without ACK is never a resend ("Sent again", a tail loss probe) nor the
/// close of a connection; and with no SYN in the capture the states never call either side
/// synchronized because of it.
#[test]
fn a_fin_without_ack_is_no_resend_and_no_close() {
    let (mut seen, mut problems) = (0usize, Vec::new());
    each_explained(|name, session, stream, explained| {
        let no_syn = !explained.iter().any(|(p, _)| p.segment.flags.syn());
        for (p, text) in explained.iter().filter(|(p, _)| p.segment.flags.fin() && !p.segment.flags.ack() && !p.segment.flags.rst() && header_bytes_held(p) >= 14) {
            seen += 1;
            if text.contains("Sent again") || text.contains("tail loss probe") || text.contains("has nothing more to send") {
                problems.push(format!("{name} frame {}: {text}", p.frame));
            }
        }
        let first_without_ack = explained.first().is_some_and(|(p, _)| !p.segment.flags.ack() && !p.segment.flags.rst());
        if no_syn && first_without_ack {
            let conn = session.connection(stream).unwrap();
            let text = story_text(&story(&conn));
            for bad in ["ESTABLISHED", "CLOSE-WAIT", "FIN-WAIT-1", "closed its side with FIN", "aborted the connection"] {
                if text.contains(bad) {
                    problems.push(format!("{name} stream {stream}: {bad} for a connection whose first segment lacks ACK"));
                }
            }
        }
    });
    assert!(seen >= 2, "only {seen} FINs without ACK");
    assert!(problems.is_empty(), "{} problems:\n{}", problems.len(), problems.join("\n").chars().take(6000).collect::<String>());
}

/// R1 F18, F23(b), R2 F9, F25: "answered with an RST" only when no later segment of the
/// receiver acknowledges the SYN; "a new connection … TIME-WAIT" never for a SYN with the ISN
/// of an earlier SYN of the stream, nor for a SYN-ACK that acknowledges such a SYN.
#[test]
fn an_injected_rst_and_a_repeated_syn_are_no_new_connection() {
    let (mut same_isn, mut problems) = (0usize, Vec::new());
    each_explained(|name, _, _, explained| {
        for (i, (p, text)) in explained.iter().enumerate() {
            let f = p.segment.flags;
            if f.syn() && !f.ack() && text.contains("answered with an RST") {
                let acked_later = explained[i + 1..].iter().any(|(q, _)| q.from_client != p.from_client && q.segment.flags.ack() && !q.segment.flags.rst() && q.segment.ack == p.segment.seq.wrapping_add(1));
                if acked_later {
                    problems.push(format!("{name} frame {}: the receiver acknowledged this SYN later: {text}", p.frame));
                }
            }
            if !f.syn() {
                continue;
            }
            let earlier_syn_same_isn = explained[..i].iter().any(|(q, _)| {
                let g = q.segment.flags;
                g.syn() && !g.ack() && if f.ack() { q.from_client != p.from_client && q.segment.seq.wrapping_add(1) == p.segment.ack } else { q.from_client == p.from_client && q.segment.seq == p.segment.seq }
            });
            if earlier_syn_same_isn && p.analysis.flags.has(tcp_ladder::tcp::analysis::AnalysisFlags::REUSED_PORTS) {
                same_isn += 1;
                if text.contains("a new connection on the same addresses") {
                    problems.push(format!("{name} frame {}: same connection attempt called a new connection: {text}", p.frame));
                }
            }
        }
    });
    assert!(same_isn >= 2, "rst-inject and ndpi_rtsp have such SYN-ACKs, found {same_isn}");
    assert!(problems.is_empty(), "{} problems:\n{}", problems.len(), problems.join("\n"));
}

/// R1 F14, R2 F23: a client that never answered a SYN-ACK its peer sent more than once is not
/// "ESTABLISHED"; R1 F20: SYN retries of one ISN are not "an application's own retry".
#[test]
fn an_unanswered_syn_ack_leaves_no_established_client_and_syn_retries_are_the_kernels() {
    let (mut scans, mut problems) = (0usize, Vec::new());
    each_explained(|name, session, stream, explained| {
        let Some(syn_ack_at) = explained.iter().position(|(p, _)| !p.from_client && p.segment.flags.syn() && p.segment.flags.ack()) else { return };
        let copies = explained.iter().filter(|(p, _)| !p.from_client && p.segment.flags.syn() && p.segment.flags.ack()).count();
        let client_silent = !explained[syn_ack_at..].iter().any(|(p, _)| p.from_client);
        let conn = session.connection(stream).unwrap();
        let st = story(&conn);
        if copies > 1 && client_silent {
            scans += 1;
            if st.states.client.iter().any(|s| s.state == "ESTABLISHED") {
                problems.push(format!("{name} stream {stream}: client never answered {copies} SYN-ACKs but ESTABLISHED"));
            }
        }
        if story_text(&st).contains("application's own retry") {
            problems.push(format!("{name} stream {stream}: SYN retries of one ISN called an application's retry"));
        }
    });
    assert!(scans >= 3, "the SYN scan has 3 such streams, found {scans}");
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// R2 F11, R1 F14: a recovery line says "X's data" only when a resent segment carried data;
/// R1 F23, R2 F5: without a SYN in the capture the roles line says they are a guess.
#[test]
fn recovery_lines_name_what_was_resent_and_roles_without_handshake_are_hedged() {
    let (mut control, mut problems) = (0usize, Vec::new());
    each_explained(|name, session, stream, explained| {
        let conn = session.connection(stream).unwrap();
        let text = story_text(&story(&conn));
        let no_syn = !explained.iter().any(|(p, _)| p.segment.flags.syn());
        // (R20B-2: headers cut before their flags leave the handshake unknown, said so.)
        let hedged = text.lines().next().unwrap_or("");
        if no_syn != (hedged.contains("no handshake captured") || hedged.contains("whether a handshake opened the connection, and which side opened it, cannot be told")) {
            problems.push(format!("{name} stream {stream}: roles line {:?} with {} SYN", text.lines().next(), if no_syn { "no" } else { "a" }));
        }
        for line in text.lines().skip_while(|l| *l != "Recovery").take_while(|l| !l.starts_with("Congestion")) {
            let Some(frames) = line.trim().strip_prefix("frames ") else { continue };
            let Some((range, _)) = frames.split_once(',') else { continue };
            let Some((a, b)) = range.split_once('–') else { continue };
            let (Ok(a), Ok(b)) = (a.parse::<u64>(), b.parse::<u64>()) else { continue };
            let side_client = line.contains("client's ");
            let data = explained.iter().any(|(p, _)| p.frame >= a && p.frame <= b && p.from_client == side_client && p.segment.payload_len > 0);
            if line.contains("'s data:") && !data && !line.contains("no resend") {
                problems.push(format!("{name} stream {stream}: no data resent in frames {a}–{b}: {line}"));
            }
            if !line.contains("'s data:") {
                control += 1;
            }
        }
    });
    assert!(control >= 3, "SYN, SYN-ACK and FIN resends exist, found {control}");
    assert!(problems.is_empty(), "{} problems:\n{}", problems.len(), problems.join("\n").chars().take(6000).collect::<String>());
}

/// R2 F8: when a side's peer acknowledges more bytes than the capture holds from that side, the
/// data caption says how many (at least), computed here from the captured payload ranges and
/// the peer's highest ACK; and it says so only then.
#[test]
fn bytes_acknowledged_but_not_captured_are_counted_in_the_data_caption() {
    let (mut said, mut problems) = (0usize, Vec::new());
    each_explained(|name, session, stream, explained| {
        let conn = session.connection(stream).unwrap();
        let ladder = tcp_ladder::diagram::layout(&conn, &tcp_ladder::diagram::LadderOptions::default());
        let Some(caption) = ladder.phases.iter().find(|p| p.kind == "data").map(|p| p.caption.clone()) else { return };
        for (client, me, peer) in [(true, "client", "server"), (false, "server", "client")] {
            let mine: Vec<&TcpPacket> = explained.iter().map(|(p, _)| p).filter(|p| p.from_client == client).collect();
            let top = explained.iter().map(|(p, _)| p).filter(|p| p.from_client != client && p.segment.flags.ack() && !p.segment.flags.rst()).map(|p| p.ack).reduce(|a, b| if after(b, a) { b } else { a });
            let expected = match top.filter(|&t| !mine.is_empty() && after(t, 1)) {
                None => 0,
                Some(top) => {
                    let fin = mine.iter().any(|p| p.segment.flags.fin() && after(top, p.seq.wrapping_add(p.segment.payload_len)));
                    // Only the captured bytes below the ACK (R23C-1), a SYN's data one past its number (R24-3).
                    let mut ranges: Vec<(u64, u64)> = mine
                        .iter()
                        .filter(|p| p.segment.payload_len > 0)
                        .map(|p| { let start = u64::from(p.seq) + u64::from(p.segment.flags.syn()); (start.max(1), (start + u64::from(p.segment.payload_len)).min(u64::from(top))) })
                        .filter(|(a, b)| b > a)
                        .collect();
                    ranges.sort();
                    let (mut held, mut reach) = (0u64, 0u64);
                    for (a, b) in ranges {
                        let a = a.max(reach);
                        if b > a {
                            held += b - a;
                            reach = b;
                        }
                    }
                    u64::from(top.wrapping_sub(1).min(1 << 30)).saturating_sub(u64::from(fin)).saturating_sub(held)
                }
            };
            let phrase = if expected == 1 { format!("more byte {me} → {peer} was delivered that the capture does not hold") } else { format!("more bytes {me} → {peer} were delivered that the capture does not hold") };
            let said_here = caption.contains(&format!("{me} → {peer} were delivered that the capture does not hold")) || caption.contains(&format!("{me} → {peer} was delivered that the capture does not hold"));
            if said_here != (expected > 0) || (expected > 0 && !caption.contains(&format!("at least {expected} {phrase}"))) {
                problems.push(format!("{name} stream {stream}: {expected} bytes {me} → {peer} acknowledged beyond the capture: {caption}"));
            }
            said += usize::from(expected > 0);
        }
    });
    assert!(said >= 2, "zeek_tcp_miss_end_data and others have such bytes, found {said}");
    assert!(problems.is_empty(), "{} problems:\n{}", problems.len(), problems.join("\n").chars().take(6000).collect::<String>());
}

/// A TCP header the snap length cut before its flags says nothing of flags, window or length:
/// no resend, round, time or label is read from it (R4 F12, R4b-22: pcap-snaplen-44 had
/// "(no flags) … win=0 len=20", resends and slow-start rounds from 10 captured header bytes).
#[test]
fn headers_cut_before_their_flags_are_not_read() {
    let mut cut = 0usize;
    for path in every_capture_and_shared() {
        let Ok(session) = analyze_bytes(&read(&path)) else { continue };
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        for stream in 0..session.streams().len() as u32 {
            let Ok(conn) = session.connection(stream) else { continue };
            let packets: Vec<TcpPacket> = conn.packets().collect();
            let cut_frames: Vec<u64> = packets.iter().filter(|p| header_bytes_held(p) < 14).map(|p| p.frame).collect();
            if cut_frames.is_empty() {
                continue;
            }
            cut += cut_frames.len();
            let r = tcp_ladder::tcp::recovery::recovery(&packets);
            assert!(r.resends.iter().all(|x| !cut_frames.contains(&x.frame)), "{name} stream {stream}: a resend read from a cut header");
            let c = tcp_ladder::tcp::congestion::congestion(&packets);
            assert!(c.directions.iter().flat_map(|d| &d.rounds).all(|x| !cut_frames.contains(&x.first_frame)), "{name} stream {stream}: a round from a cut header");
            let story = story(&conn);
            for s in story.segments.iter().filter(|s| cut_frames.contains(&s.frame)) {
                assert!(s.label.starts_with("header cut: seq="), "{name} frame {}: {}", s.frame, s.label);
            }
            if cut_frames.len() == packets.len() {
                assert!(story_text(&story).contains("Where the time went cannot be told for this connection: the snap length cut every TCP header"), "{name} stream {stream}");
            }
        }
    }
    assert!(cut >= 10, "{cut} cut headers");
}
