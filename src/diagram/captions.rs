//! The words of the ladder's phases and states: each phase's title and caption (the open, the
//! data transfer, the close) and why each endpoint state is where it is, from the same facts
//! `analyze` reports (`CaptionFacts`, the replayed `StateChange`s).

use crate::tcp::lifecycle::{CloseShape, ClosedBy, Evidence, Later, OpenShape, Shapes, StateChange};
use crate::tcp::ByteCounts;

use super::explain::who;

/// The title of a phase, as the page and the exports name it.
/// `syn_gaps_s`: the gaps between the client's SYNs (all shorter than any timer: copies of one
/// SYN the capture holds, not SYNs sent again).
pub fn open_title(shape: OpenShape, syn_retries: u32, completed: bool, syn_gaps_s: &[f64]) -> String {
    let base = match shape {
        OpenShape::Handshake if !completed => "Handshake not completed",
        OpenShape::Handshake => "Three-way handshake",
        OpenShape::SimultaneousOpen => "Simultaneous open",
        OpenShape::Refused => "Refused (SYN answered by RST)",
        OpenShape::Unanswered => "Unanswered SYN",
        OpenShape::BeforeCapture if completed => "Three-way handshake, its SYN not captured",
        OpenShape::BeforeCapture => "Opened before the capture",
    };
    // (Copies sooner after the one before than any timer are no SYN sent again: R17b-18,
    // ndpi_rtsp stream 4, two SYNs 505 ms apart, each captured four times.)
    let sent = 1 + syn_gaps_s.iter().filter(|&&g| !super::teacher_notes::all_too_soon(&[g])).count();
    let captured = syn_retries as usize + 1;
    if syn_retries > 0 && super::teacher_notes::all_too_soon(syn_gaps_s) {
        format!("{base}, SYN captured {captured} times")
    } else if syn_retries > 0 && !syn_gaps_s.is_empty() && sent < captured {
        format!("{base}, SYN sent {sent} times (captured {captured} times)")
    } else if syn_retries > 0 {
        format!("{base}, SYN sent {captured} times")
    } else {
        base.to_string()
    }
}

pub fn close_title(shape: CloseShape) -> &'static str {
    match shape {
        CloseShape::FourWay => "Four-way close",
        CloseShape::ThreeSegment => "Three-segment close (ACK+FIN merged)",
        CloseShape::Simultaneous => "Simultaneous close",
        CloseShape::Reset => "Reset",
        CloseShape::OpenAtEnd => "Still open at the end of the capture",
    }
}

/// The numbers the phase captions are made of, computed once per layout from the connection's
/// segments (the same computations as `analyze`'s fields).
#[derive(Debug, Clone, Default)]
pub struct CaptionFacts {
    pub shapes: Option<Shapes>,
    pub bytes: ByteCounts,
    /// Seconds between the client's successive SYNs (retries).
    pub syn_gaps_s: Vec<f64>,
    /// Segments inside the data-transfer bracket.
    pub data_segments: usize,
    /// Of those, the ones carrying data (the rest are ACKs and window updates; R8b-17).
    pub carrying_data: usize,
    /// The states each side (client, server) reached, from the evidence.
    pub reached: [Vec<crate::tcp::lifecycle::TcpState>; 2],
    /// For a close by RST: what was outstanding when it was sent.
    pub rst: Option<super::rst_facts::RstFacts>,
    /// The handshake's TCP Fast Open (cookie request, cookie, data on the SYN).
    pub fast_open: Option<super::fast_open::FastOpen>,
    /// Per side (client, server): bytes the peer's ACKs acknowledge beyond those the capture
    /// holds, and the highest such ACK (R2 F8: delivered, yet not in the capture).
    pub delivered_unseen: [(u64, u32); 2],
    /// No SYN in the capture and no segment before the RST carried ACK: nothing was ever
    /// synchronized (a scan probe answered by a closed port; R1 F21).
    pub no_connection: bool,
    /// Segments whose TCP header the snap length cut before its flags (and data offset): their
    /// data bytes are not known (R6c F3: pcap-snaplen-44 counted option bytes as data).
    pub flags_cut: usize,
    /// For an unanswered SYN: the capture after it and a SYN to the same port near it.
    pub unanswered: Option<super::unanswered_syn::UnansweredSyn>,
}

pub fn open_caption(facts: &CaptionFacts) -> String {
    let Some(shapes) = facts.shapes.as_ref() else { return String::new() };
    let mut text = match shapes.open {
        OpenShape::Handshake if !shapes.handshake_completed => format!(
            "SYN and SYN-ACK, but no acceptable ACK of the SYN-ACK in the capture: the handshake did not complete here{}. The server stays SYN-RECEIVED.",
            if shapes.syn_acks > 1 { format!(" (the server sent its SYN-ACK {} times)", shapes.syn_acks) } else { String::new() }
        ),
        OpenShape::Handshake => match facts.fast_open.filter(|f| f.data_accepted() == Some(true)) {
            Some(f) => format!("SYN, SYN-ACK, ACK: each side picks an initial sequence number and the other acknowledges it with ISN + 1 (a SYN counts as one byte) — the client's ISN + 1 + {} here, as its SYN carried data. Then both are ESTABLISHED.", f.syn_data),
            None => "SYN, SYN-ACK, ACK: each side picks an initial sequence number and the other acknowledges it with ISN + 1 (a SYN counts as one byte). Then both are ESTABLISHED.".to_string(),
        },
        OpenShape::SimultaneousOpen => "Both sides sent a SYN before receiving the other's: each answers with SYN-ACK and goes through SYN-RECEIVED to ESTABLISHED.".to_string(),
        OpenShape::Refused => "The SYN reached a host where nothing listens on that port: it answered with RST, and the connection never opened.".to_string(),
        // R8b-14: a scan's probes are single SYNs to hosts that answer other ports meanwhile.
        OpenShape::Unanswered if shapes.syn_retries == 0 => format!(
            "No SYN-ACK came back in the capture: the SYN or its answer was filtered or lost, nothing answered at that address, or the listener dropped it (Linux drops a SYN silently while the listener's accept queue is full).{}",
            super::unanswered_syn::went_by_once(facts.unanswered.as_ref())
        ),
        OpenShape::Unanswered => "No SYN-ACK came back in the capture: the SYN or its answer was filtered or lost, nothing answered at that address, or the listener dropped it (Linux drops a SYN silently while the listener's accept queue is full).".to_string(),
        OpenShape::BeforeCapture if shapes.open_frames.is_some() => format!(
            "The server's SYN-ACK{}: the last two segments of the three-way handshake. The client's SYN is not in the capture (it went by before the capture began, or past it), so the client's initial sequence number is known only from the SYN-ACK's ack − 1.",
            if shapes.handshake_completed { " and the client's ACK of it" } else { ", not acknowledged in the capture" }
        ),
        OpenShape::BeforeCapture => "The capture starts in the middle of the connection: its handshake and initial sequence numbers were not seen, so sequence numbers are relative to the first segment of each side.".to_string(),
    };
    let fast_open = facts.fast_open.map(|f| f.caption()).unwrap_or_default();
    if !fast_open.is_empty() {
        text.push(' ');
        text.push_str(&fast_open);
    }
    // Bytes counted "in the handshake" beyond the SYN's: carried by the ACK that completes it
    // (any segment with ACK may carry data), or by the SYN-ACK.
    let syn_data = u64::from(facts.fast_open.map_or(0, |f| f.syn_data));
    let in_handshake = facts.bytes.in_handshake;
    let later = [in_handshake[0].saturating_sub(syn_data), in_handshake[1]];
    if later[0] > 0 {
        text.push_str(&format!(" The client's ACK that completes the handshake already carries {} bytes of data (any segment with ACK may).", later[0]));
    }
    if later[1] > 0 {
        // (The server's first segment with ACK is its SYN-ACK: R6b-U1 found "or first ACK" unclear.)
        text.push_str(&format!(" The server's SYN-ACK already carries {} bytes of data (allowed by RFC 9293, unusual without TCP Fast Open).", later[1]));
    }
    let retries = shapes.syn_retries;
    if retries > 0 {
        text.push_str(&super::teacher_notes::syn_retries(retries, &facts.syn_gaps_s));
    }
    if let Some((rst, retry)) = shapes.refused_then_retried {
        let then = match shapes.open {
            OpenShape::Handshake | OpenShape::SimultaneousOpen => "and this time the server answered with SYN-ACK",
            OpenShape::Refused => "and the server refused it again",
            _ => "and the capture shows no answer to it",
        };
        text.push_str(&format!(
            " The server first refused the SYN with RST (frame {rst}); the client then sent the same SYN again (frame {retry}): a retry of the refused connect with the same ISN (some stacks, Windows among them, retry a refused connect after about half a second), not a retransmission after a timeout — {then}."
        ));
    }
    text
}

/// "1 byte", "N bytes" (R23A-6).
fn n_bytes(n: u64) -> String {
    if n == 1 { "1 byte".to_string() } else { format!("{n} bytes") }
}

/// The caption of the data-transfer bracket: distinct bytes each way (as `analyze`'s
/// `distinct_payload_bytes_*`), bytes sent again apart, and what travelled in the handshake or
/// after a FIN.
pub fn data_caption(facts: &CaptionFacts) -> String {
    if facts.flags_cut > 0 {
        return format!(
            "{} segments, {} of them with a TCP header the snap length cut before its flags and data offset: how many data bytes those carried, and whether any were sent again, cannot be told.",
            facts.data_segments, facts.flags_cut
        );
    }
    let b = &facts.bytes;
    // (R23B-4: "1 segments, 1 of them" read wrongly.)
    let segments = match (facts.data_segments, facts.carrying_data) {
        (1, 1) => "1 segment, carrying data".to_string(),
        (1, _) => "1 segment, carrying no data".to_string(),
        (n, 1) => format!("{n} segments, 1 of them carrying data"),
        (n, c) => format!("{n} segments, {c} of them carrying data"),
    };
    let mut text = format!("{segments}. In the whole connection, {} client → server and {} server → client, each byte counted once.", n_bytes(b.distinct[0]), n_bytes(b.distinct[1]));
    for (side, (unseen, ack)) in facts.delivered_unseen.iter().enumerate().filter(|(_, (n, _))| *n > 0) {
        let (me, peer) = (who(side == 0), who(side != 0));
        text.push_str(&format!(
            " Those are the bytes the capture holds: the {peer}'s ACKs (up to ack={ack}) show at least {unseen} more {} {me} → {peer} {} delivered that the capture does not hold.",
            if *unseen == 1 { "byte" } else { "bytes" },
            if *unseen == 1 { "was" } else { "were" }
        ));
    }
    // Copies of one segment captured twice were not sent again (R6c F7): counted apart.
    let again = [0, 1].map(|d| b.retransmitted[d] - b.captured_twice[d].min(b.retransmitted[d]));
    if again[0] + again[1] > 0 {
        text.push_str(&format!(" Sent again: {} client → server, {} server → client (retransmissions and overlaps).", n_bytes(again[0]), n_bytes(again[1])));
    }
    if b.captured_twice[0] + b.captured_twice[1] > 0 {
        text.push_str(&format!(
            " Captured again, not sent again: {} client → server, {} server → client (the same segments held more than once by the capture: copies too soon after the first for any resend).",
            n_bytes(b.captured_twice[0]),
            n_bytes(b.captured_twice[1])
        ));
    }
    let in_handshake = b.in_handshake[0] + b.in_handshake[1];
    if in_handshake > 0 {
        text.push_str(&format!(" {in_handshake} of those bytes travelled in the handshake."));
    }
    for (side, other) in [(0, "server"), (1, "client")] {
        if b.after_peer_fin[side] > 0 {
            // R8b-16: ndpi_anydesk stream 3, the client refused them at once with an RST
            // without ACK: its socket was closed, not half-closed.
            let refused = facts.shapes.and_then(|s| s.rst).filter(|&(_, by)| (by == ClosedBy::Client) == (other == "client")).zip(facts.rst.and_then(|r| r.answers));
            let what = match refused {
                Some(((rst, _), _)) => format!("the {other} refused them with an RST without ACK (frame {rst}): it received no more — its application had closed the socket (or exited), or shut down its receiving side too, not only its sending side — and the data was lost to it"),
                None => "a half-close (one direction closed, the other still open)".to_string(),
            };
            text.push_str(&format!(" {} bytes {} → {other} were sent after the {other}'s FIN: {what}.", b.after_peer_fin[side], who(side == 0)));
        }
    }
    text
}

pub fn close_caption(facts: &CaptionFacts) -> String {
    let text = close_shape_caption(facts);
    super::teacher_notes::with_time_wait(text, &facts.reached)
}

fn close_shape_caption(facts: &CaptionFacts) -> String {
    let Some(shapes) = facts.shapes.as_ref() else { return String::new() };
    let (active, passive) = match shapes.closed_by {
        Some(ClosedBy::Server) => ("server", "client"),
        _ => ("client", "server"),
    };
    // The last ACK (of the passive side's FIN) may lie beyond the end of the capture.
    let passive_index = usize::from(shapes.closed_by == Some(ClosedBy::Server));
    let last_ack_captured = shapes.fins[passive_index].is_some_and(|(_, ack)| ack.is_some());
    match shapes.close {
        Some(CloseShape::FourWay) if last_ack_captured => format!(
            "The {active} sends FIN (FIN-WAIT-1); the {passive} acknowledges it (CLOSE-WAIT) and later sends its own FIN (LAST-ACK); the {active} acknowledges that and waits in TIME-WAIT for 2×MSL."
        ),
        Some(CloseShape::FourWay) => format!(
            "The {active} sends FIN (FIN-WAIT-1); the {passive} acknowledges it (CLOSE-WAIT) and later sends its own FIN (LAST-ACK); the capture ends before the {active}'s ACK of that FIN."
        ),
        Some(CloseShape::ThreeSegment) if last_ack_captured => format!(
            "The {active} sends FIN; the {passive} acknowledges it and sends its own FIN in one segment (its application closed before an ACK went out alone); the {active}'s ACK ends it: three segments instead of four."
        ),
        Some(CloseShape::ThreeSegment) => format!(
            "The {active} sends FIN; the {passive} acknowledges it and sends its own FIN in one segment (its application closed before an ACK went out alone); the capture ends before the {active}'s ACK of that FIN."
        ),
        Some(CloseShape::Simultaneous) => {
            use crate::tcp::lifecycle::TcpState::{Closing, FinWait2, TimeWait};
            let closing = facts.reached.iter().all(|r| r.contains(&Closing));
            // R19-2's close: one side took the other's FIN only from a later copy, once its own
            // was acknowledged (ndpi_heuristic stream 2: the client's ACK came 0.089 ms after
            // the server's FIN sent again, 351 ms after the first).
            let path = |r: &Vec<_>| match () {
                _ if r.contains(&Closing) => "FIN-WAIT-1 → CLOSING → TIME-WAIT",
                _ if r.contains(&FinWait2) && r.contains(&TimeWait) => "FIN-WAIT-1 → FIN-WAIT-2 → TIME-WAIT, as it took the other's FIN only after its own FIN was acknowledged",
                _ => "",
            };
            let [client, server] = [path(&facts.reached[0]), path(&facts.reached[1])];
            if !closing && !client.is_empty() && !server.is_empty() {
                format!("Both sides sent a FIN before receiving the other's (neither FIN's ACK field covers the other FIN): the client goes {client}; the server goes {server}.")
            } else if closing {
                "Both sides sent a FIN before receiving the other's (neither FIN's ACK field covers the other FIN): both go FIN-WAIT-1 → CLOSING → TIME-WAIT once their FIN is acknowledged.".to_string()
            } else {
                "Both sides sent a FIN, and neither FIN's ACK field covers the other's: they crossed. The capture shows no side acknowledging the other's FIN, so each is last seen in FIN-WAIT-1.".to_string()
            }
        }
        Some(CloseShape::Reset) => {
            let Some((rst, by)) = shapes.rst else { return String::new() };
            let sender = if by == ClosedBy::Client { "client" } else { "server" };
            let other = if by == ClosedBy::Client { "server" } else { "client" };
            // R8b-08: zeek_tcp_ctu-64702-888, the server's RST without ACK answering the client's FIN.
            if let Some((answered, fin)) = facts.rst.and_then(|r| r.answers).filter(|_| !facts.no_connection) {
                let closed = match shapes.fins[usize::from(by != ClosedBy::Client)] {
                    Some((f, Some(a))) if f < rst => format!(" It had closed its side with FIN (frame {f}, acknowledged in frame {a})."),
                    Some((f, None)) if f < rst => format!(" It had closed its side with FIN (frame {f})."),
                    _ => String::new(),
                };
                return format!(
                    "The {other}'s {} (frame {answered}) was answered with an RST without ACK (frame {rst}) whose sequence number is that segment's ACK: the form a host gives a segment that finds no connection (RFC 9293 §3.10.7.1), and also a stack whose application has closed the socket when data still comes: the {sender} had let the connection go, or, its application gone, refused what came (the packets cannot tell which).{closed} Of the data: {}. An RST is never acknowledged, and there is no TIME-WAIT.",
                    if fin { "FIN" } else { "segment" },
                    cut_off(facts, by)
                );
            }
            match shapes.fins[usize::from(by != ClosedBy::Client)] {
                Some((fin, acked)) if fin < rst => format!(
                    "The {sender} had closed its side with FIN (frame {fin}{}) and then aborted with RST (frame {rst}): {}. Whatever still arrives is refused, and there is no TIME-WAIT.",
                    acked.map_or(", not yet acknowledged".to_string(), |a| format!(", acknowledged in frame {a}")),
                    cut_off(facts, by)
                ),
                _ if facts.no_connection => format!(
                    "No connection existed: no handshake was captured and no segment before the RST carried ACK (every segment of a synchronized connection does, RFC 9293 §3.10.7.4). The {sender}'s RST (frame {rst}) is how a port with no connection answers a segment (RFC 9293 §3.10.7.1), as it answers a port scanner's probe."
                ),
                _ => {
                    let other = if by == ClosedBy::Client { "server" } else { "client" };
                    let before = match shapes.fins[usize::from(by == ClosedBy::Client)] {
                        Some((fin, acked)) if fin < rst => format!(
                            "The {other} had closed its side with FIN (frame {fin}{}); then, instead of a FIN of its own, the {sender}",
                            match acked {
                                Some(a) => format!(", acknowledged in frame {a}"),
                                // The RST's own ACK field may cover it: the FIN had arrived.
                                None if facts.rst.is_some_and(|r| r.acks_peer_fin) => ", received: the RST's ACK field covers it".to_string(),
                                None => ", not acknowledged".to_string(),
                            }
                        ),
                        _ => format!("The {sender}"),
                    };
                    format!("{before} aborted the connection with RST (frame {rst}): {}. An RST is never acknowledged, and there is no TIME-WAIT.", cut_off(facts, by))
                }
            }
        }
        Some(CloseShape::OpenAtEnd) => "No complete close in the capture: the connection was still open (or only half-closed) when the capture ended.".to_string(),
        None => String::new(),
    }
}

/// What the closing RST cut off, in words.
fn cut_off(facts: &CaptionFacts, by: ClosedBy) -> String {
    let (me, peer) = if by == ClosedBy::Client { ("client", "server") } else { ("server", "client") };
    facts.rst.map(|r| super::rst_facts::rst_cut_off(&r, me, peer)).unwrap_or_else(|| "an abort".to_string())
}

/// The bytes that rode with the FIN by which an endpoint entered FIN-WAIT-1 or LAST-ACK: its
/// application had closed while they were queued (R13a-F7).
pub fn queued_fin_data(wires: &[crate::tcp::lifecycle::Wire], change: &StateChange) -> u32 {
    if !matches!(change.state, crate::tcp::lifecycle::TcpState::FinWait1 | crate::tcp::lifecycle::TcpState::LastAck) || change.evidence != Evidence::Sent {
        return 0;
    }
    wires.binary_search_by_key(&change.cause, |w| w.frame).ok().map(|i| &wires[i]).filter(|w| w.flags.fin()).map_or(0, |w| w.len)
}

/// What a segment that repeats a FIN or bytes carries again, and where it was first sent, as
/// a noun phrase: "the client's FIN sent again (first sent in frame 10)" (R43-3: the tool
/// knows which of the two it is).
fn repeated_part(wires: &[crate::tcp::lifecycle::Wire], cause: u64, sender: &str) -> String {
    let Ok(i) = wires.binary_search_by_key(&cause, |w| w.frame) else { return format!("a FIN or bytes the {sender} had sent before") };
    let w = &wires[i];
    let what = match (w.flags.fin(), w.len) {
        (true, 0) => format!("the {sender}'s FIN sent again"),
        (true, n) => format!("the {sender}'s FIN and {n} bytes sent again"),
        (false, n) => format!("{n} bytes the {sender} sent again"),
    };
    match crate::tcp::lifecycle::first_copy(wires, i) {
        Some(o) => format!("{what} (first sent in frame {})", o.frame),
        None => what,
    }
}

/// What the ACK field that moved an endpoint into `state` acknowledged: its SYN (into
/// ESTABLISHED) or its FIN (into FIN-WAIT-2, TIME-WAIT or CLOSED).
fn acked_control(state: crate::tcp::lifecycle::TcpState) -> &'static str {
    match state {
        crate::tcp::lifecycle::TcpState::Established => "SYN",
        _ => "FIN",
    }
}

/// Why the capture says an endpoint entered a state (the tooltip of a state label).
/// `refusal`: the server's RST that refused a SYN, if any. `wires`: the connection's segments
/// (the bytes that rode with the FIN it entered FIN-WAIT-1 or LAST-ACK by; what a repeated
/// segment repeated).
pub fn state_reason(change: &StateChange, client: bool, refusal: Option<u64>, wires: &[crate::tcp::lifecycle::Wire]) -> String {
    let fin_data = queued_fin_data(wires, change);
    let me = who(client);
    let state = change.state.rfc_name();
    let cause = change.cause;
    let mut text = match change.evidence {
        // R5e M4: the refusal shows the port was CLOSED when the SYN came; sending it ends nothing.
        Evidence::Sent if !client && change.state == crate::tcp::lifecycle::TcpState::Closed && refusal == Some(cause) => format!(
            "{state}: nothing was listening when the client's SYN arrived — the {me} refused it with RST (frame {cause}), as a port with no listener does (RFC 9293 §3.10.7.1)."
        ),
        // R13a-F7: spurious_at_sender's FIN rides on its last 456 bytes; ss shows the socket in
        // FIN-WAIT-1 0.52 s before (RFC 9293 §3.10.4: the close queues the FIN behind the data).
        Evidence::Sent if fin_data > 0 => format!(
            "{state}: the {me} sent frame {cause}, its FIN riding on {fin_data} bytes of data: its application had closed while data was still queued, and RFC 9293 §3.10.4 enters {state} at that close, which the packets cannot date — frame {cause} is the latest it can have been."
        ),
        Evidence::Sent => format!("{state}: the {me} sent frame {cause}."),
        Evidence::Acknowledged => format!(
            "{state}: the {me} received frame {cause}; its own frame {} acknowledges it, so it had processed it by then.",
            change.by.unwrap_or(cause)
        ),
        Evidence::Arrival => format!("{state}: on the arrival of frame {cause} (nothing later acknowledges it — an ACK or RST never is — so its arrival is assumed)."),
        // (R41B-1: ndpi_heuristic_tcp_ack_payload frame 159, a FIN sent again after an RTO.)
        Evidence::ArrivalOfRepeat => format!(
            "{state}: on the arrival of frame {cause}, which carries {}: a later ACK of the {me}'s covers the first copy too, so it does not show that this one arrived; its arrival is assumed.",
            repeated_part(wires, cause, who(!client))
        ),
        // (R40C-1, R43-1: zeek_http_get-gzip frame 12, the client's FIN sent again with the
        // first ACK of the server's FIN: the ACK field is what moved the server.)
        Evidence::AckOnRepeat => format!(
            "{state}: on the arrival of frame {cause}, whose ACK field acknowledges the {me}'s {}. Its arrival is assumed: an ACK is never acknowledged, and the rest of frame {cause} is {}, so a later ACK of the {me}'s could not tell this copy's arrival from the first's.",
            acked_control(change.state),
            repeated_part(wires, cause, who(!client))
        ),
        Evidence::Answered => format!("{state}: the {me} answered the SYN of frame {cause}, so it was listening before that SYN arrived."),
        Evidence::Unconfirmed => format!(
            "{state} (inferred): frame {cause} is taken to have arrived, but nothing the {me} sent afterwards acknowledges it, so the capture cannot confirm it."
        ),
        Evidence::BeforeCapture => format!("{state} (inferred): the capture starts in the middle of the connection, so the {me} was already synchronized."),
    };
    match change.later {
        Some(Later::HoleBelow { filler: Some(f) }) => text.push_str(&format!(
            " Its frame {} still acknowledges only bytes below that FIN: bytes sent before the FIN had not all arrived (frame {f} brought them), and a FIN is processed only after every byte before it (RFC 9293 §3.10.7.4), so it waited for them.",
            change.frame
        )),
        // No later segment brought bytes below the FIN: they were on their way behind a queue or
        // being taken in (R15-1: zeek_tcp_timestamp frame 875, captured next to the client, the
        // FIN there 0.287 ms before; R14-1: bulk_at_client frame 2435, 62 ms after the FIN
        // against a 50.6 ms round trip, the ACK sent before the burst's end arrived).
        Some(Later::HoleBelow { filler: None }) => text.push_str(&format!(
            " Its frame {} still acknowledges only bytes below that FIN: it was sent while the bytes before the FIN were still arriving or being taken in (nothing shows a hole: no later segment brought any of them), and a FIN is processed only after every byte before it (RFC 9293 §3.10.7.4).",
            change.frame
        )),
        Some(Later::NotTaken { gap_ns, quickest_ns }) => text.push_str(&format!(
            " Its frame {} does not acknowledge it yet, though it passed the capture point {} after frame {cause} — more than twice the quickest the {me} acknowledged anything from here ({}): unless frame {cause} was held on its way that much longer than the quickest, they did not cross — it was lost after the capture point or not taken when it arrived, and only later was it (or a copy) taken.",
            change.frame,
            crate::timefmt::milliseconds(gap_ns),
            crate::timefmt::milliseconds(quickest_ns)
        )),
        Some(Later::Unprocessed { gap_ns, quickest_ns }) => text.push_str(&format!(
            " It had not acted on frame {cause} when it sent frame {}, which passed here {} after it — longer than the quickest the {me} answered anything from here ({}): the two crossed only if frame {cause} was slower on its way than that; else the {me} had it and had not processed it yet.",
            change.frame,
            crate::timefmt::milliseconds(gap_ns),
            crate::timefmt::milliseconds(quickest_ns)
        )),
        Some(Later::TooSoon { gap_ns, quickest_ns }) => text.push_str(&format!(
            " It cannot have processed frame {cause} before it sent frame {}, which passed here {} after it — sooner than the quickest the {me} answered anything from here ({}): the two crossed on the way, or frame {cause} had arrived and was still waiting to be taken in.",
            change.frame,
            crate::timefmt::milliseconds(gap_ns),
            crate::timefmt::milliseconds(quickest_ns)
        )),
        Some(Later::Crossed) => text.push_str(&format!(
            " It cannot have processed frame {cause} before it sent frame {}: the two segments crossed, whatever order the capture point saw them in.",
            change.frame
        )),
        None => {}
    }
    text
}
