//! The "Congestion (estimated)" section of `tcp-ladder explain`: one sentence per run of rounds
//! of the same phase and one per reduction, every number taken from the same
//! [`CongestionJson`] that `analyze` prints, and every sentence saying it is estimated from the
//! capture (the sender's kernel keeps its window to itself).

use serde::Serialize;

use super::congestion_json::CongestionJson;
use crate::tcp::congestion_phase::{Phase, PhaseRun};
use crate::tcp::recovery::ResendKind;

#[derive(Debug, Clone, Serialize)]
pub struct CongestionStory {
    pub directions: Vec<CongestionJson>,
    pub sentences: Vec<String>,
}

/// (`payload_only`: the capture shows no segment of the connection without payload: no rounds are told.
/// `at_sender`: per sender, client's first, the capture was at it (or on the host of both ends),
/// where every copy it sent passes: no loss can hide from it. `nagle_off`: per sender, client's
/// first, it was seen sending a small segment while an earlier one was unacknowledged, so
/// Nagle's algorithm held nothing of it: R21-9, zeek_tcp-syslog's four short messages in a row.)
pub fn congestion_story(directions: Vec<CongestionJson>, payload_only: bool, at_sender: [bool; 2], nagle_off: [Option<crate::tcp::time_split::NagleOff>; 2]) -> CongestionStory {
    let mut sentences = Vec::new();
    if payload_only {
        sentences.push("No rounds are estimated: the capture shows no segment of this connection without payload (it was filtered to payload, or caught only an exchange whose every ACK rode on data), so no ACK alone shows where a round ended, and frames larger than a segment may be several merged by the capturing host.".to_string());
    }
    for d in &directions {
        let mut before: Option<&PhaseRun> = None;
        for (i, run) in d.phases.iter().enumerate() {
            let side = usize::from(d.sender != "client");
            let mut words = run_words(run, before, d.mss, d.mss_announced, at_sender[side]);
            // (R26C-1, R27C-5: zeek_tcp_ssh-dups' client, OpenSSH, sets TCP_NODELAY only after
            // the login: its frame 360 shows Nagle off at 4.93 s, not for the rounds before,
            // where frame 56 left right after the delayed ACK of frame 48. Said only of rounds
            // from that frame on.)
            if let Some(frame) = nagle_off[side].filter(|o| run.last_frame >= o.frame).map(|o| o.frame) {
                words = without_nagle(&words, frame, run.first_frame >= frame);
            }
            if run.phase == Phase::RestartAfterTimeout {
                words.push_str(&after_timeout(d.phases.get(i + 1)));
            }
            sentences.push(format!("{} {}: {}", d.sender, rounds_and_frames(run), words));
            before = Some(run);
        }
        for r in &d.reductions {
            let kind = match r.kind {
                ResendKind::FastRetransmit => "a fast retransmit",
                // (R23D-2: one segment in flight, a timeout resends the same one.)
                ResendKind::TailLossProbe if r.before_segments <= 1 => "a tail loss probe (or a timeout, if it was the sender's only segment outstanding: both resend that one)",
                ResendKind::TailLossProbe => "a tail loss probe",
                ResendKind::Timeout => "a timeout",
                ResendKind::Unexplained => "a resend",
            };
            // Away from the sender the SACKs it had heard when it resent can be a range (R8a-08).
            let not_sacked = if r.before_pipe_most > r.before_pipe_segments {
                format!("{}–{}", r.before_pipe_segments, r.before_pipe_most)
            } else {
                r.before_pipe_segments.to_string()
            };
            let range_note = if r.before_pipe_most > r.before_pipe_segments {
                " (a range: away from the sender the SACKs that had reached it when it resent are known only within the round trip's uncertainty)"
            } else {
                ""
            };
            let after = match (r.after_segments, r.ratio) {
                // One segment out (a probe): nothing to compare a cut with.
                (Some(_), Some(_)) if r.before_pipe_segments <= 1 => "one segment was all it had out, so the capture shows no cut to compare".to_string(),
                // Below even the fewest of the range: a cut whichever it was.
                (Some(after), Some(ratio)) if ratio < 1.0 && r.before_pipe_most == r.before_pipe_segments => format!(
                    "by the end of the recovery the flight less the SACKed bytes was down to {after}, {ratio:.2} of the {} not SACKed at the resend (cubic cuts its window to 0.7, Reno to 0.5) — estimated from the capture",
                    r.before_pipe_segments
                ),
                (Some(after), Some(ratio)) if ratio < 1.0 => format!(
                    "by the end of the recovery the flight less the SACKed bytes was down to {after}, {ratio:.2}–{:.2} of the {not_sacked} not SACKed at the resend{range_note} (cubic cuts its window to 0.7, Reno to 0.5) — estimated from the capture",
                    f64::from(after) / f64::from(r.before_pipe_most.max(1))
                ),
                // Within the range: the capture cannot tell whether it was cut.
                (Some(after), Some(_)) if after < r.before_pipe_most => format!(
                    "by the end of the recovery the flight less the SACKed bytes was {after}, within the {not_sacked} not SACKed at the resend{range_note}, so whether the window was cut does not show here"
                ),
                // R4b-11: "down to 34, 1.06 of it" was no cut at all.
                (Some(after), Some(_)) => format!(
                    "by the end of the recovery the flight less the SACKed bytes was {after}, no fewer than the {not_sacked} not SACKed at the resend{range_note}: no cut shows during the recovery (the flight only falls there as holes are repaired); a cut shows in the rounds after it, unless the sender undoes it on learning the resend was not needed (a D-SACK, or a timestamp)"
                ),
                // R8a-01: rto_backoff — the probe was not the repair: two timeouts followed it.
                _ if r.data_ended.is_none() && d.phases.iter().any(|p| p.phase == Phase::RestartAfterTimeout && (p.first_round..=p.last_round).contains(&r.loss_round)) => {
                    "timeouts followed it in that round, and after a timeout a sender starts again from one segment (RFC 5681 §3.1); it sent too little afterwards for the capture to show its window".to_string()
                }
                // All its data had gone: a cut window has nothing to show itself with.
                _ => match r.data_ended {
                    Some(fin) => format!("the sender sent nothing new in the recovery after it — it had sent all its data, its FIN (frame {fin}) went before the resend — so the capture does not show whether or how far its window was cut"),
                    // R9-04: the probe's remark only where a probe was inferred. (No claim on whether a
                    // probe that repaired a loss is followed by a cut: R23A-8 read Linux's code as
                    // cutting; tail_loss_at_sender's ss samples show cwnd 19 → 20 and no ssthresh, R24-4.)
                    None if r.kind == ResendKind::TailLossProbe => "the sender sent nothing new in the recovery after it, so the capture does not show whether or how far its window was cut".to_string(),
                    None => "the sender sent nothing new in the recovery after it, so the capture does not show whether or how far its window was cut (a fast retransmit starts a recovery that cuts it — Linux's cubic to 0.7 of the window — unless the sender finds the resend needless and undoes the cut; no new data followed to show which)".to_string(),
                },
            };
            sentences.push(format!(
                "{} round {}: frame {} resent, inferred {kind}, with {} in flight; {after}.",
                d.sender, r.loss_round, r.frame, segments(r.before_segments)
            ));
        }
    }
    CongestionStory { directions, sentences }
}

fn rounds_and_frames(run: &PhaseRun) -> String {
    let rounds = if run.first_round == run.last_round { format!("round {}", run.first_round) } else { format!("rounds {}–{}", run.first_round, run.last_round) };
    if run.first_frame == run.last_frame {
        format!("{rounds} (frame {})", run.first_frame)
    } else {
        format!("{rounds} (frames {}–{})", run.first_frame, run.last_frame)
    }
}

/// What the round after a timeout showed (R11a-3: "the next rounds show which" was never
/// answered): a sender that starts again from one segment has one or two out in the next round;
/// many more means it undid the cut (Linux does on finding the timeout spurious, by timestamps
/// or a D-SACK: spurious_at_sender, 56 segments right after the first ACK).
fn after_timeout(next: Option<&PhaseRun>) -> String {
    match next {
        None => " The capture ends before another round shows which.".to_string(),
        // R13a-F2: rto_backoff's round after the timeout was one 1-byte write: it shows no window.
        Some(n) if n.phase == Phase::ApplicationLimited && n.max_flight_segments <= 3 => format!(
            " The round after it had only {} to send (application-limited), so the capture does not show whether the sender started again from one segment, as RFC 5681 §3.1 has it do.",
            segments(n.max_flight_segments)
        ),
        // R49-1: zeek_tcp_reassembly's round 13, one segment after an application's pause, is
        // no sign of the restart: it shows no phase (its own line says so).
        Some(n) if n.phase == Phase::OneSegment => " The round after it had one segment out, held back by something other than the congestion window (its own line says why), so the capture does not show whether the sender started again from one segment, as RFC 5681 §3.1 has it do.".to_string(),
        Some(n) if n.max_flight_segments <= 3 => format!(" The round after it had {} out: the sender started again from one segment.", segments(n.max_flight_segments)),
        Some(n) => format!(
            " The round after it (round {}) already had {} out, where a sender starting again from one segment has one or two: it undid the cut, as a sender does on finding the timeout spurious (estimated from the capture).",
            n.first_round,
            segments(n.max_flight_segments)
        ),
    }
}

/// The application-limited words where the sender showed it does not hold small data back
/// (`before`: it showed so before these rounds; else within them, and of their segments before
/// that frame nothing is said).
fn without_nagle(words: &str, frame: u64, before: bool) -> String {
    let off = if before {
        format!("its TCP holds no small rest back: its frame {frame} left while a small segment of its was unacknowledged, so Nagle's algorithm was off")
    } else {
        format!("its TCP held no small rest back from its frame {frame} on: that frame left while a small segment of its was unacknowledged, so Nagle's algorithm was off by then — of its segments before that frame this says nothing")
    };
    words.replace(", or its TCP held a small rest for the ACK of what it had sent (Nagle's algorithm, RFC 896),", &format!(" ({off}),")).replace(" (or its TCP held a small rest for an ACK: Nagle's algorithm, RFC 896)", &format!(" ({off})"))
}

fn run_words(run: &PhaseRun, before: Option<&PhaseRun>, mss: u32, announced: Option<u32>, at_sender: bool) -> String {
    let flight = run.max_flight_segments;
    let flight_words = segments(flight);
    // Of short segments, the flight in full segments' bytes (R36D-1: ndpi_ipp stream 1's two of
    // 144 and 148 bytes are "1 segment's worth", not 1 segment).
    // (One at least: the round's own segment, even when the ACK before it passed here first,
    // R38-1: ndpi_heuristic stream 4's frame 204.)
    let worth = || if flight <= 1 { "1 segment's worth".to_string() } else { format!("{flight} segments' worth") };
    match run.phase {
        Phase::SlowStart => match before.filter(|b| b.phase == Phase::SlowStart).and_then(|b| b.last_estimate) {
            // R8b-11: zeek_http_206_example_b, 5 then 35: slow start at most doubles a round
            // (one segment per ACK; RFC 3465's L = 2 allows two), so the round before did not
            // show the window.
            Some(prev) if flight > prev.saturating_mul(5) / 2 => format!(
                "the flight jumped to {} from {prev} the round before — more than slow start's doubling a round (RFC 5681 §3.1; at most two segments an ACK with RFC 3465), so the window was already larger than the round before used: that round was held back by something else (the application, or the data it had) (estimated from the capture).",
                segments(flight)
            ),
            Some(prev) => format!("slow start, {} in flight, {prev} the round before (estimated from the capture: the flight roughly doubles each round).", segments(flight)),
            None => format!("slow start, {} in flight (estimated from the capture).", segments(flight)),
        },
        Phase::CongestionAvoidance => format!(
            "congestion avoidance: the flight steady or growing by about a segment a round, {} in the last (estimated from the capture).",
            segments(run.last_estimate.unwrap_or(flight))
        ),
        Phase::Reduction if before.is_some_and(|b| matches!(b.phase, Phase::LossRecovery | Phase::RestartAfterTimeout)) => {
            format!("the flight fell to {flight_words} after the loss: the sender cut its window (estimated from the capture).")
        }
        // (R20B-3: at the sender every resend passes the capture point.)
        Phase::Reduction if at_sender => format!(
            "the flight fell to {flight_words} with no loss before it (this capture is at the sender, where every copy it sends passes): a smaller window or less data to send (the packets cannot tell which)."
        ),
        Phase::Reduction => format!(
            "the flight fell to {flight_words} with no loss seen before it: a smaller window, less data to send, a loss this capture point did not see, or segments held on the way to it that passed here later (the packets cannot tell which)."
        ),
        Phase::EcnReduction => format!(
            "reduction after an ECN echo, no loss: the flight fell to {flight_words} once the receiver's echo of a Congestion Experienced mark (ECE) had reached the sender: it cut its window without any segment lost (estimated from the capture)."
        ),
        Phase::EcnEcho => {
            let (echo, cwr) = run.echo_and_cwr.unwrap_or_default();
            format!(
                "ECN echo answered: the flight reached {flight_words}; then the receiver's echo of a Congestion Experienced mark (ECE, frame {echo}) reached the sender and it answered with CWR (frame {cwr}): it cut its window from there, without any segment lost (estimated from the capture)."
            )
        }
        Phase::FlightGrew => format!(
            "the flight grew to {flight_words}{} with no loss or timeout before it: a sender out of slow start does not return to it on its own (RFC 5681), so the smaller rounds before were held back by something else — the receiver's window, the application, or ACKs arriving in bunches (estimated from the capture).",
            before.and_then(|b| b.last_estimate).map(|p| format!(" ({p} the round before)")).unwrap_or_default()
        ),
        Phase::HeldBack if run.grew_later => format!(
            // (R23B-1: not "still in slow start": bulk_100k's round 10 carried 732 segments after
            // 12 were acknowledged, so its window was that large already — a later flight's
            // growth says these rounds showed no window, not which phase the sender was in.)
            "the flight at up to {flight_words}, neither doubling nor cut, with no loss or ECN echo before it; a later round's flight is larger by half or more with no signal between, so these rounds did not show the congestion window: something else held them back — the application, the receiver's window, or ACKs arriving in bunches (estimated from the capture)."
        ),
        Phase::HeldBack => format!(
            "the flight at up to {flight_words}, neither doubling nor cut, with no loss or ECN echo before it: a sender leaves slow start at such a signal (RFC 5681), so either something else held these rounds back — the application, the receiver's window, or ACKs arriving in bunches — or the sender left slow start without a loss (Linux's HyStart does, on a rising round trip), which the packets do not show (estimated from the capture)."
        ),
        // (After rounds that showed no window, it is the first with a flight to compare: R13b-17.)
        Phase::FirstSeen if run.first_round > 1 => format!(
            "the first round whose flight shows anything, {flight_words} in flight: the rounds before it were held back by the application or the receiver's window, and the capture starts after the connection opened, so which phase the sender was in does not show (estimated from the capture)."
        ),
        Phase::FirstSeen => format!(
            "the first round the capture shows, {flight_words} in flight: the capture starts after the connection opened, so which phase the sender was in does not show (estimated from the capture)."
        ),
        // R48C-1: zeek_tcp_reassembly's round 13 was "congestion avoidance … 1 segment".
        // (R49-2: not the receiver's window: a round that met it is receiver-limited.)
        Phase::OneSegment => "one segment in flight, no more than the round before: in congestion avoidance a sender's window is at least two segments (RFC 5681 §3.1 never sets the slow-start threshold below two), and the receiver's window was open, so something else held this round back — most likely the application, with no more to send — and it does not show which phase the sender was in (estimated from the capture).".to_string(),
        // R39-1: heuristic stream 4's round 3 was one 258-byte resend, told application-limited.
        Phase::OnlyResent => format!(
            "only bytes sent before, sent again for a reason the capture does not show (see Recovery): a resend's size was set when its bytes were first sent, so {} neither the application's pace nor the congestion window.",
            if run.first_round == run.last_round { "the round shows" } else { "these rounds show" }
        ),
        // R8b-18: ndpi_1kxun stream 28, a resend of bytes already acknowledged: nothing in flight.
        Phase::LossRecovery if flight == 0 => "a resend of bytes already acknowledged, nothing else in flight: no loss (the resend's own line says why it was not needed).".to_string(),
        Phase::LossRecovery => format!("loss recovery, inferred from the resends in it, up to {flight_words} in flight (lost ones included)."),
        Phase::RestartAfterTimeout => format!(
            "a retransmission timeout inferred from the capture in this round (up to {flight_words} in flight): after a timeout a sender starts again from one segment (RFC 5681 §3.1), unless it finds the timeout spurious and undoes the cut — the next rounds show which."
        ),
        // R5e F3: a flight of 122 segments is no "window less one segment" of 65 535 bytes.
        Phase::ReceiverLimited => match (run.beyond_window_frame, run.largest_window_bytes) {
            (Some(frame), Some(window)) => format!(
                "the flight (up to {flight_words}) went past the receiver's advertised window ({window} bytes at most), first in frame {frame}: the sender sent beyond every window the receiver had advertised by then (its ACK plus window), bytes a receiver may drop (RFC 9293 §3.10.7.4), so these rounds show neither the congestion window nor the receiver's limit."
            ),
            (_, Some(_)) if run.edge_frame.is_some() && !run.receiver_limited_far => format!(
                "receiver-limited: frame {}, shorter than a full segment, ends exactly at the right edge of {}: the sender filled the window it knew. The flight seen here (up to {flight_words}) can be smaller, as ACKs pass here before they reach the sender; the round does not show the congestion window.",
                run.edge_frame.unwrap_or_default(),
                run.edge_announced.map_or("a window the receiver had announced".to_string(), |(frame, w)| format!("the window frame {frame} announced (its ACK plus {w} bytes)"))
            ),
            (_, Some(window)) if run.receiver_limited_far => format!(
                "receiver-limited as far as this capture point can tell: the flight seen here (up to {flight_words}) came within a tenth of the receiver's advertised window (up to {window} bytes), and the sender hears the receiver's ACKs later than they pass here, so the window it knew may have been full: the flight does not show the congestion window."
            ),
            // R18-11: the window met is the one the sender knew at that send, not the run's largest.
            (_, Some(window)) => match run.window_full_at {
                Some((frame, met, in_flight)) if met < window => format!(
                    "receiver-limited: frame {frame} took the flight to {in_flight} bytes, within one segment of the receiver's window then ({met} bytes; the largest in these rounds: {window}), and the flight reached up to {flight_words}: it does not show the congestion window."
                ),
                Some((frame, met, in_flight)) => format!(
                    "receiver-limited: frame {frame} took the flight to {in_flight} bytes, within one segment of the receiver's advertised window ({met} bytes), and the flight reached up to {flight_words}: it does not show the congestion window."
                ),
                None => format!(
                    "receiver-limited, the flight (up to {flight_words}) came within one segment of the receiver's advertised window ({window} bytes at most), so it does not show the congestion window."
                ),
            },
            _ => format!("receiver-limited, the flight (up to {flight_words}) filled the receiver's advertised window, so it does not show the congestion window."),
        },
        // (R16-1/2: the full segment is the largest this capture shows, not the peer's MSS; a
        // round may hold one that large before its short last one.)
        Phase::ApplicationLimited if run.single_short && run.single_short_split => format!(
            "application-limited: {} less than one segment any MSS allows (the one the peer's SYN announced, or 536 bytes without it): no congestion window stops a sender below one segment: its application gave no more then, or its TCP held a small rest for the ACK of what it had sent (Nagle's algorithm, RFC 896), so the flight (up to {}) does not show the congestion window.",
            if run.first_round == run.last_round { "the round's segments together carried" } else { "each round's segments together carried" },
            worth()
        ),
        Phase::ApplicationLimited if run.single_short => format!(
            "application-limited: one segment {}, shorter than any MSS allows (the one the peer's SYN announced, or 536 bytes without it): no congestion window stops a sender at one short segment: its application gave no more then, or its TCP held a small rest for the ACK of what it had sent (Nagle's algorithm, RFC 896), so the flight (up to {}) does not show the congestion window.",
            if run.first_round == run.last_round { "in the round" } else { "a round" },
            worth()
        ),
        // (R17a-3, R17b-8: the short segment need not be a round's last; say which one it was.)
        Phase::ApplicationLimited => {
            // (R18-4/6/7/12: the full size is an estimate — the largest segment seen on either
            // side, at most the MSS announced less options — and is said as one. R20B-5: an MSS
            // can be announced below 536 bytes, real/bulk_100k's 100; 536 is only the default.)
            let full_words = |full: u32| match announced {
                Some(m) if full < 536 && full == m => format!("{full} bytes: a full segment, the smaller MSS the handshake announced"),
                Some(m) if full < 536 && full + 12 == m => format!("{full} bytes: a full segment, the smaller MSS the handshake announced ({m} bytes) less the 12 bytes of the timestamps option"),
                Some(m) if full < 536 => format!("{full} bytes, the largest seen by then, below the smaller MSS the handshake announced ({m} bytes)"),
                None if full < 536 => format!("{full} bytes, the largest seen by then, below the 536 bytes a sender may assume without an MSS announced (RFC 9293 §3.7.1)"),
                // (R23C-5: 1000-requests' loopback MSS 65476 against writes of 238 and 615
                // bytes: the largest seen is no full segment.)
                Some(m) if full.saturating_mul(2) <= m => format!("{full} bytes, the largest segment this sender had sent by then: a full one could carry {m} bytes less options, the smaller MSS the handshake announced, so none of its segments was full"),
                // (R27D-3: 1 001 or 1 300 bytes against an MSS of 1 460 is full only if the
                // path's MTU is what stops it: say the estimate and what it rests on.)
                Some(m) if full.saturating_add(40) < m => format!("{full} bytes, the largest segment this sender had sent by then, taken for a full one: the MSS announced ({m} bytes less options) allows more, unless the path's MTU is smaller"),
                _ => format!("{full} bytes, a full segment's size as estimated from the capture: the largest seen by then (this sender's own where an MSS was announced), at most the MSS announced less its options"),
            };
            let short = match run.short_segment {
                Some((frame, len, full)) if run.first_round == run.last_round => format!("frame {frame} carried {}, less than a full segment ({}), with the window open", n_bytes(len), full_words(full)),
                Some((frame, len, full)) => format!("each round held a segment shorter than a full one (the first, frame {frame}: {} against {}), with the window open", n_bytes(len), full_words(full)),
                None => format!("a segment shorter than a full one ({mss} bytes) with the window open"),
            };
            format!("application-limited: {short}: a sender with more queued sends full segments, so its queue had most likely run dry (or its TCP held a small rest for an ACK: Nagle's algorithm, RFC 896), and the flight (up to {flight_words}) does not show the congestion window.")
        }
    }
}

/// "1 byte", "N bytes" (R25: "frame N carried 1 bytes").
fn n_bytes(n: u32) -> String {
    if n == 1 { "1 byte".into() } else { format!("{n} bytes") }
}

fn segments(n: u32) -> String {
    if n == 1 { "1 segment".into() } else { format!("{n} segments") }
}
