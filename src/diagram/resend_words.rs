//! Why bytes were sent again, in words: the inferred kind of a resend with its evidence
//! (issue #23), for the explanation of the segment that carries them.

/// Why bytes were sent again, with its evidence, said as inferred (`original_later`: the frame
/// of an original that passes the capture point after this resend, delayed on the path).
/// `drops`: the capture misses datagrams of this sender that arrived (the first ACK that covered
/// bytes of them): a first copy not captured may have gone by.
pub(super) fn resend_note(r: &crate::tcp::recovery::Resend, original_later: Option<u64>, stamps: Option<crate::tcp::stamp_evidence::StampVerdict>, drops: Option<u64>) -> String {
    /// Linux's shortest retransmission timeout.
    const MIN_RTO_NS: i64 = 200_000_000;
    use crate::tcp::recovery::{NotNeeded, ResendKind};
    let ms = |ns: i64| crate::timefmt::milliseconds(ns);
    let first = match (r.earlier_frame, r.since_earlier_ns) {
        // Bytes never sent before after the resent ones: say which went by before.
        (Some(frame), Some(ns)) if r.carries == "data" && r.new_from.is_some() => {
            let new = r.new_from.unwrap_or(r.seq);
            format!("Sent again: its bytes {} to {} went by before, the first of them in frame {frame}, {} earlier; bytes {new} to {} are new here.", r.seq, new.wrapping_sub(1), ms(ns), r.next_seq.wrapping_sub(1))
        }
        // A SYN, SYN-ACK or FIN alone carries no bytes: say what went by before.
        (Some(frame), Some(ns)) if r.carries != "data" => format!("Sent again: this {} went by before in frame {frame}, {} earlier.", r.carries, ms(ns)),
        (Some(frame), Some(ns)) => match r.by_sender_clock.and_then(|b| Some((b, b.since_earlier_ns?, b.earlier_tsval?))) {
            // The path bunched the segments: the sender's own clock dates the two sends.
            Some((b, sent, earlier)) => format!(
                "Sent again: these bytes went by before in frame {frame}, {} earlier here; by the sender's own clock (TSval {} against that copy's {}, about {} a tick as estimated from the capture) it left {} after it.",
                ms(ns),
                b.tsval,
                earlier,
                ms(b.ns_per_tick.round() as i64),
                ms(sent)
            ),
            None => format!("Sent again: these bytes went by before in frame {frame}, {} earlier.", ms(ns)),
        },
        // The original comes after all (R4 F1: spurious_fast at the receiver, frame 178).
        _ => match original_later {
            Some(late) => format!("Sent again: no earlier copy of these bytes had passed the capture point yet, though bytes after them had; the first copy passes later, in frame {late}, sent before this one by the sender's own clock — delayed on the path, not lost."),
            None if r.before_capture => "Sent again: these bytes lie below the first the sender was seen sending, and the capture starts after the connection opened: their first copy was sent before the capture began, so where it was lost does not show here.".to_string(),
            // The stamps show it was sent after the hole was reported (R8a-16): a missing first
            // copy alone could also be an original still on its way.
            None => match stamps {
                Some(crate::tcp::stamp_evidence::StampVerdict::SentAfter { later_frame, later_tsval, tsval, tsecr, report_frame }) => format!(
                    "Sent again: its TSval ({tsval}) is later than that of frame {later_frame} ({later_tsval}), which carries bytes beyond this one's first, so by the sender's own clock it left after them: a retransmission{}. {}",
                    report_frame.map_or(String::new(), |f| format!(" (it echoes TSecr {tsecr}, the TSval of frame {f}, an ACK still asking for these bytes: the sender had heard of the hole)")),
                    match r.passed_from {
                        Some((from, f)) if drops.is_some() => format!("No earlier copy of its bytes {} to {} is in the capture (its bytes {from} to {} had passed, the first of them in frame {f}): {}.", r.seq, from.wrapping_sub(1), r.next_seq.wrapping_sub(1), went_by(drops, "their")),
                        Some((from, f)) => format!("No earlier copy of its bytes {} to {} passed the capture point, so their first was lost before it (its bytes {from} to {} had passed, the first of them in frame {f}).", r.seq, from.wrapping_sub(1), r.next_seq.wrapping_sub(1)),
                        None => format!("No earlier copy {}.", lost_before(drops, "the")),
                    }
                ),
                _ => match r.passed_from {
                    Some((from, f)) if drops.is_some() => format!("Sent again: no earlier copy of its bytes {} to {} is in the capture, though bytes after them are (its bytes {from} to {} had passed, the first of them in frame {f}): {}.", r.seq, from.wrapping_sub(1), r.next_seq.wrapping_sub(1), went_by(drops, "their")),
                    None if drops.is_some() => format!("Sent again: no earlier copy of these bytes is in the capture, though bytes after them are: {}.", went_by(drops, "the")),
                    Some((from, f)) => format!("Sent again: no earlier copy of its bytes {} to {} passed the capture point, though bytes after them did, so their first copy was lost before it (its bytes {from} to {} had passed, the first of them in frame {f}).", r.seq, from.wrapping_sub(1), r.next_seq.wrapping_sub(1)),
                    None => "Sent again: no earlier copy of these bytes passed the capture point, though bytes after them did, so the first copy was lost before it.".to_string(),
                },
            },
        },
    };
    let why = match r.kind {
        ResendKind::FastRetransmit => {
            let dups = |n: u32| format!("{n} duplicate ACK{}", if n == 1 { "" } else { "s" });
            let evidence = match (r.dup_acks, r.sacked_above) {
                // A SACK block's right edge is the byte after the last one received (R4 U3).
                (n, Some(high)) if n > 0 => format!("{}, and SACK blocks up to byte {}", dups(n), high.wrapping_sub(1)),
                (_, Some(high)) => format!("SACK blocks reporting bytes up to {} beyond them", high.wrapping_sub(1)),
                (n, None) => dups(n),
            };
            // Fewer than three duplicate ACKs but a later segment SACKed: the classic rule
            // (RFC 5681) cannot have fired; RACK (RFC 8985), Linux's default, can — and so can
            // RFC 6675's when more than 2 segments above the hole were SACKed (the same test
            // as the episode's trigger, recovery_episodes.rs).
            let rack = match r.sacked_above.filter(|_| r.dup_acks < 3) {
                Some(high) if high.wrapping_sub(r.next_seq) <= 2 * r.next_seq.wrapping_sub(r.seq).max(1) => format!(
                    " Likely RACK (RFC 8985): only {} came back, fewer than the classic rule's 3, and the SACK blocks reached only {} bytes above these (to byte {}), too few for RFC 6675's rule (more than 2 segments SACKed above the hole), but a segment sent after these bytes had arrived; RACK then calls them lost once about a quarter of a round trip more has passed.",
                    dups(r.dup_acks),
                    high.wrapping_sub(r.next_seq),
                    high.wrapping_sub(1)
                ),
                Some(_) => format!(
                    " Only {} came back, fewer than the classic rule's 3: either RACK (RFC 8985: a segment sent after these bytes had arrived) or RFC 6675's rule (more than 2 segments SACKed above the hole) fits.",
                    dups(r.dup_acks)
                ),
                None => String::new(),
            };
            match r.heard_spread {
                // R7a-1: counted here until the resend *arrived*, half a round trip after it left.
                Some(spread) => format!(
                    "A fast retransmit (inferred), not a retransmission timer's: the receiver had reported the hole before it was resent — {}.",
                    super::episode_captions::spread_words(&spread)
                ),
                None if r.away_from_sender => format!(
                    "A fast retransmit (inferred): the receiver had reported the hole before it was resent ({evidence} passed here before this resend did; it had left the sender about a one-way delay earlier, so not all of them need have reached it), so the sender did not wait for its timer.{rack}"
                ),
                None => format!("A fast retransmit (inferred): the receiver had reported the hole ({evidence}) before it was resent, so the sender did not wait for its timer.{rack}"),
            }
        }
        ResendKind::TailLossProbe => format!(
            "A tail loss probe (RFC 8985, inferred): the last segment sent, resent {} after the sender's previous segment, with no ACK of it and no hole reported{}.",
            ms(r.since_last_send_ns),
            // (R23D-9, R24-2: away from the sender, ACKs seen here may not have reached it —
            // ndpi_1kxun stream 7's frame 393 left with three segments out at the server.)
            match (r.likely, r.alone, r.earlier_frame.is_some()) {
                (true, Some(true), _) => " — or a timeout: with only this segment outstanding the two look alike",
                (true, Some(false), _) => " — or a timeout, if it was the only segment outstanding at the sender: it was the only one here, and what the sender had heard does not show from this capture point",
                (true, None, false) => " — or a timeout: no earlier copy of it passed here, so what the sender had outstanding when it resent does not show",
                _ => "",
            }
        ),
        // R26C-3: zeek_tcp_reassembly frame 77, after ACK 76 of bytes no frame holds.
        ResendKind::Timeout if r.after_unseen.is_some() => format!(
            "Part of the resending after a segment the capture lacks: frame {} acknowledges bytes no frame carries, after {} in which the capture holds nothing from the {} — likely a timeout whose resend the capture does not hold. Once its retransmission timer fires a sender resends what follows the first unacknowledged byte as its window allows (RFC 5681 §3.1), so this one needed no timer, probe or report of its own.",
            r.after_timeout.unwrap_or_default(),
            ms(r.after_unseen.unwrap_or_default()),
            if r.from_client { "client" } else { "server" }
        ),
        // R4 F4, F7: frames 36 and 116 of zeek_tcp_reassembly, right behind a timeout's resend.
        ResendKind::Timeout if r.after_timeout.is_some() => format!(
            "Part of the resending after the timeout of frame {}: once its retransmission timer fires a sender goes back to the first unacknowledged byte and resends what follows as its window allows (RFC 5681 §3.1: one full-sized segment's worth at first, more as ACKs return), so this one needed no timer, probe or report of its own.",
            r.after_timeout.unwrap_or_default()
        ),
        ResendKind::Timeout if r.dup_acks >= 3 || r.sacked_above.is_some() => format!(
            "A timeout (inferred): {} of silence from the sender although the receiver had reported the hole ({}) long before — a fast retransmit would have followed that report within about a round trip — so its retransmission timer fired{}.",
            ms(r.since_last_send_ns),
            if r.dup_acks > 0 { format!("{} duplicate ACKs", r.dup_acks) } else { "SACK blocks above it".to_string() },
            stall_words(r)
        ),
        ResendKind::Timeout => format!(
            "A timeout (inferred): {} of silence from the sender{} and {}, so its retransmission timer fired{}{}.",
            ms(r.since_last_send_ns),
            if r.by_sender_clock.is_some() { " by its own clock (here its segments passed bunched together: the path held them)" } else { "" },
            // R4b-23: two duplicate ACKs are a report, if too few for a fast retransmit.
            match r.dup_acks {
                0 => "no hole reported".to_string(),
                n => format!("only {n} duplicate ACK{} reporting the hole, fewer than the three a fast retransmit waits for", if n == 1 { "" } else { "s" }),
            },
            stall_words(r),
            // (R26C-5: where part had passed, or the capture drops datagrams, say only what the
            // capture lacks.)
            match (r.likely, r.earlier_frame, r.passed_from) {
                (false, ..) => String::new(),
                (true, None, Some((from, _))) => format!("; likely: the first copy of its bytes {} to {} is not in the capture, so when it left cannot be seen", r.seq, from.wrapping_sub(1)),
                (true, None, None) if drops.is_some() => "; likely: the first copy of these bytes is not in the capture, so when it left cannot be seen".to_string(),
                (true, None, None) => "; likely: the first copy of these bytes never passed the capture point, so when it left cannot be seen".to_string(),
                (true, Some(_), _) => "; likely, as it resends bytes after the first unacknowledged one".to_string(),
            }
        ),
        // R4 M10: ndpi_rtsp stream 4, refused by RST and tried again 505 ms later.
        ResendKind::Unexplained if r.after_refusal.is_some() => {
            let (rst, since) = r.after_refusal.unwrap_or_default();
            let (me, peer) = if r.from_client { ("client", "server") } else { ("server", "client") };
            format!(
                "Not a resend of a lost SYN: the {peer} refused the earlier one with RST (frame {rst}), and {} after that RST the {me} tried to connect again with the same initial sequence number — a retry of the refused connect (some stacks, Windows among them, retry a refused connect after about half a second), not a retransmission timer's.",
                ms(since)
            )
        }
        // R5e F1: zeek_http_206_example_b — the client never shrank; the server sent past its edge.
        ResendKind::Unexplained if r.after_withdrawn.is_some() && r.beyond_offered.is_some() => {
            let (_, reopened) = r.after_withdrawn.unwrap_or_default();
            let (me, peer) = if r.from_client { ("client", "server") } else { ("server", "client") };
            format!(
                "They had gone beyond the window the {peer} offered — its ACK plus window never reached past sequence number {} until the window reopened in frame {reopened} — and a receiver drops a segment outside its window (RFC 9293 §3.10.7.4), so the {me} had to send them again; which of its rules timed this resend does not show in the capture.",
                r.beyond_offered.unwrap_or_default()
            )
        }
        ResendKind::Unexplained if r.after_withdrawn.is_some() => {
            let (zero, reopened) = r.after_withdrawn.unwrap_or_default();
            let peer = if r.from_client { "server" } else { "client" };
            format!(
                "After the {peer} withdrew its window: it advertised 0 bytes (frame {zero}) while these bytes were already sent beyond its ACK, and reopened the window in frame {reopened}. A receiver that shrinks its window may drop what lay beyond it (RFC 9293 §3.8.6.2.2 asks receivers not to shrink it), and the sender then resends from the first unacknowledged byte; which rule made it resend does not show in the capture."
            )
        }
        ResendKind::Unexplained if r.answers_syn.is_some() => {
            let (syn, since) = r.answers_syn.unwrap_or_default();
            let (me, peer) = if r.from_client { ("client", "server") } else { ("server", "client") };
            format!(
                "The answer to the {peer}'s SYN sent again (frame {syn}, {} before this passed here): a {me} that has sent its SYN-ACK and receives the SYN again answers it with the SYN-ACK again (Linux does), so this is not a retransmission timer's resend.",
                ms(since)
            )
        }
        ResendKind::Unexplained if r.fin_on_ack => {
            "Its FIN again, on an ACK of what the peer sent just before (its data or its SYN): the FIN is not yet acknowledged, so each segment this side sends carries it — not a timer's or a probe's resend.".to_string()
        }
        // Another IPv4 identification: the sender did send it twice (R4 F6).
        ResendKind::Unexplained if r.since_earlier_ns.is_some_and(|ns| ns < 1_000_000) && r.other_datagram.is_some() => {
            let (earlier, this) = r.other_datagram.unwrap_or_default();
            format!("Not the same packet captured twice: another datagram (IPv4 identification {this:#06x}, the earlier copy's {earlier:#06x}), so the sender did send these bytes again; why, so soon, does not show at this capture point.")
        }
        ResendKind::Unexplained if r.since_earlier_ns.is_some_and(|ns| ns < 1_000_000) => {
            "Too soon for any timer or for news from the receiver: most likely the capture holds the same segment twice (seen on two interfaces, or duplicated on the way).".to_string()
        }
        // R8b-15: ndpi_1kxun stream 19, a bare FIN three times, 18.09 s apart, nothing from the server.
        ResendKind::Unexplained if r.carries == "FIN" && r.since_last_send_ns > crate::tcp::recovery::LONGER_THAN_A_FIRST_TIMEOUT_NS && r.timeouts_in_stall == 0 => format!(
            "Its FIN again, {} after its previous segment, with no data from the peer to answer: no application sends a FIN twice and no segment prompted this one, so its retransmission timer is the likely cause — far into its backoff (that silence is much longer than a first timeout), earlier firings not having passed the capture point.",
            ms(r.since_last_send_ns)
        ),
        ResendKind::Unexplained if r.since_last_send_ns > crate::tcp::recovery::LONGER_THAN_A_FIRST_TIMEOUT_NS && r.timeouts_in_stall == 0 => format!(
            "Not a timer's first resend: {} of silence from the sender is far longer than a first retransmission timeout (about a second by RFC 6298, 200 ms and up on Linux), and {}. {}",
            ms(r.since_last_send_ns),
            if r.in_stall == 0 { "no resend passed here in between" } else { "no timer's resend went before it in this stall" },
            "The capture does not show why the sender repeated these bytes (an application writing them again, a stack's own rule, or earlier resends that did not pass the capture point)."
        ),
        // Away from the sender, with no timestamps to date the sending.
        ResendKind::Unexplained if r.away_from_sender && !r.stamped => format!(
            "The capture point is away from the sender and its segments carry no TCP timestamps: when the sender sent these bytes again, and what it had heard by then, cannot be told here ({}{} after its previous segment here, but the path may have held both).",
            if r.since_last_send_ns < MIN_RTO_NS { "only " } else { "" },
            ms(r.since_last_send_ns)
        ),
        // R6c F1: "only 854.7 ms … a timer waits at least 200 ms" argued against a timer it allowed.
        ResendKind::Unexplained if r.since_last_send_ns >= MIN_RTO_NS => format!(
            "Why the sender sent these bytes again does not show at this capture point: {} since its previous segment passed here — long enough for a retransmission timer (at least 200 ms on Linux, one second by RFC 6298) — and no hole reported before it here, but sooner after its earlier copy than half the round trip the handshake showed, and the ACKs that prompted it, or a first copy that came late, may have passed here at other times than the sender met them.",
            ms(r.since_last_send_ns)
        ),
        ResendKind::Unexplained => format!(
            "Why the sender sent these bytes again does not show at this capture point: only {} since its previous segment passed here (a retransmission timer waits at least 200 ms on Linux, one second by RFC 6298) and no hole reported before it here — yet the ACKs that prompted it, or a first copy that came late, may have passed here at other times than the sender met them.",
            ms(r.since_last_send_ns)
        ),
    };
    let needed = match r.not_needed {
        Some(NotNeeded::DSack(frame)) if r.new_from.is_some() => format!(" The bytes sent again were not needed: the receiver's D-SACK in frame {frame} reports they arrived twice."),
        Some(NotNeeded::DSack(frame)) => format!(" Not needed: the receiver's D-SACK in frame {frame} reports these bytes arrived twice."),
        Some(NotNeeded::AckTooSoon(frame)) => format!(" Likely not needed: frame {frame} acknowledged them sooner after this resend than any round trip, so the first copy had arrived."),
        Some(NotNeeded::AckedBefore(frame)) => format!(" Not needed: frame {frame} had acknowledged these bytes before this copy passed the capture point, so the first copy had arrived (why the sender resent them does not show: that ACK may not have reached it)."),
        Some(NotNeeded::EchoedOriginal(frame)) => format!(" Not needed: the ACK in frame {frame} echoes the first copy's timestamp, not this one's (RFC 7323; the Eifel test, RFC 3522), so the first copy had arrived."),
        None => String::new(),
    };
    format!("{first} {why}{needed}")
}

/// Where a timeout stands in its stall: the timer's n-th firing (its waits back off), or the
/// first after other resends.
fn stall_words(r: &crate::tcp::recovery::Resend) -> String {
    use crate::timefmt::count;
    match (r.timeouts_in_stall, r.in_stall) {
        (0, 0) => String::new(),
        (0, n) => format!(" (the first timeout in this stall, after {})", count(u64::from(n), "other resend", "other resends")),
        (t, _) => format!(" (timeout {} in this stall; RFC 6298 doubles the timer after each firing, not every stack does)", t + 1),
    }
}

/// The words for a segment Wireshark calls out of order that its stamps show was the original.
pub(super) fn original_sentence(v: &crate::tcp::stamp_evidence::StampVerdict) -> Option<String> {
    let crate::tcp::stamp_evidence::StampVerdict::Original { with_frame, tsval, tsecr, report_frame, report_tsval } = *v else { return None };
    Some(format!(
        "Out of order, and the original: it carries the same TSval ({tsval}) and TSecr ({tsecr}) as frame {with_frame}, which follows it in sequence and passed here first, so the two were sent together and this one was overtaken on the path. A resend would have been sent after the report of the hole (frame {report_frame}, TSval {report_tsval}) reached the sender, and would echo that TSval or a later one: this is no retransmission."
    ))
}

/// "passed the capture point, so the first was lost before it" — unless the capture misses
/// datagrams of this sender that arrived (R26C-4: zeek_tcp_reassembly's 0x7420 and 0x7422,
/// acknowledged 0.1 ms after they would have passed, are not in it).
fn lost_before(drops: Option<u64>, the: &str) -> String {
    match drops {
        Some(_) => format!("is in the capture: {}", went_by(drops, the)),
        None => format!("passed the capture point, so {the} first was lost before it"),
    }
}

/// The two readings where the capture drops datagrams that arrived.
fn went_by(drops: Option<u64>, the: &str) -> String {
    format!("{the} first copy was lost before the capture point, or went by uncaptured (this capture misses datagrams of this sender that arrived: frame {} acknowledges bytes it does not hold)", drops.unwrap_or_default())
}
