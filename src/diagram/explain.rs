//! Plain-language explanations, generated from the analysis (never written per capture): what
//! each segment does, with its sequence arithmetic, and what each phase is.

use crate::decode::TcpOptions;
use crate::tcp::lifecycle::{CloseShape, ClosedBy, Evidence, OpenShape, Shapes, StateChange};
use crate::tcp::TcpPacket;

use super::findings::findings;

fn who(from_client: bool) -> &'static str {
    if from_client {
        "client"
    } else {
        "server"
    }
}

fn options_text(o: &TcpOptions) -> Option<String> {
    let mut parts = Vec::new();
    if let Some(mss) = o.mss {
        parts.push(format!("MSS {mss} (the largest segment it wants to receive)"));
    }
    if let Some(ws) = o.window_scale {
        parts.push(format!("window scale {ws} (its windows count in units of {} bytes once both sides agree)", 1u64 << ws.min(14)));
    }
    if o.sack_permitted {
        parts.push("SACK permitted".to_string());
    }
    if o.timestamps.is_some() {
        parts.push("timestamps".to_string());
    }
    (!parts.is_empty()).then(|| parts.join(", "))
}

/// What one segment does, in words, with the numbers that make it so.
pub fn explain_segment(p: &TcpPacket, peer_fin_acked_here: bool) -> String {
    let s = &p.segment;
    let f = s.flags;
    let me = who(p.from_client);
    let peer = who(!p.from_client);
    let next = p.next_seq();
    let mut text = if f.rst() {
        if f.ack() && p.seq <= 1 && p.ack <= 1 && !p.from_client {
            format!("The {me} refuses or aborts the connection with RST: nothing is listening, or the connection no longer exists. RST needs no answer; both sides are CLOSED at once.")
        } else {
            format!("The {me} aborts the connection with RST (seq={}): data still in flight is discarded, nothing is acknowledged, and both sides go straight to CLOSED.", p.seq)
        }
    } else if f.syn() && !f.ack() {
        let mut t = format!(
            "The {me} asks to open a connection: SYN with its initial sequence number (ISN) {}, shown as relative seq=0. A SYN counts as one byte of sequence space, so the {me}'s first data byte will be seq=1.",
            s.seq
        );
        if let Some(o) = options_text(&s.options) {
            t.push_str(&format!(" It announces {o}."));
        }
        t
    } else if f.syn() {
        let mut t = format!(
            "The {me} accepts: its own SYN (ISN {}, relative seq=0) and ack={} — the {peer}'s ISN + 1, because the {peer}'s SYN counted as one byte.",
            s.seq, p.ack
        );
        if let Some(o) = options_text(&s.options) {
            t.push_str(&format!(" It announces {o}."));
        }
        t
    } else if f.fin() && peer_fin_acked_here {
        format!(
            "The {me} acknowledges the {peer}'s FIN (ack={}: the FIN counted as one byte) and sends its own FIN in the same segment (seq={}): it had nothing left to send, so the close needs three segments instead of four.",
            p.ack, p.seq
        )
    } else if f.fin() {
        format!(
            "The {me} has nothing more to send: FIN at seq={}{}. The FIN counts as one sequence number, so the {peer} acknowledges it with ack={next}. The {me} can still receive.",
            p.seq,
            if s.payload_len > 0 { format!(", after {} bytes of data", s.payload_len) } else { String::new() }
        )
    } else if s.payload_len > 0 {
        format!(
            "The {me} sends {} bytes, sequence numbers {} to {}. The {peer} acknowledges them with ack={next} = seq + len: the next byte it expects.",
            s.payload_len,
            p.seq,
            next.wrapping_sub(1)
        )
    } else if f.ack() {
        let mut t = format!("The {me} acknowledges: ack={} is the next byte it expects, so everything before it has arrived.", p.ack);
        if p.analysis.acked_frame > 0 {
            t.push_str(&format!(
                " It acknowledges frame {} exactly, {:.3} ms after it was captured (the round-trip time seen here).",
                p.analysis.acked_frame,
                p.analysis.ack_rtt_ns as f64 / 1e6
            ));
        }
        t
    } else {
        format!("A segment from the {me} with no flags set: unusual, and ignored by most stacks.")
    };
    text.push_str(&format!(" Window: {} bytes it can still receive.", p.window));
    for note in analysis_notes(p) {
        text.push(' ');
        text.push_str(&note);
    }
    text
}

/// Sentences for Wireshark's analysis flags of a segment.
pub fn analysis_notes(p: &TcpPacket) -> Vec<String> {
    findings(p).into_iter().map(|(_, _, note)| note).collect()
}

/// The title of a phase, as the page and the exports name it.
pub fn open_title(shape: OpenShape, syn_retries: u32) -> String {
    let base = match shape {
        OpenShape::Handshake => "Three-way handshake",
        OpenShape::SimultaneousOpen => "Simultaneous open",
        OpenShape::Refused => "Refused (SYN answered by RST)",
        OpenShape::Unanswered => "Unanswered SYN",
        OpenShape::BeforeCapture => "Opened before the capture",
    };
    if syn_retries > 0 {
        format!("{base}, SYN sent {} times", syn_retries + 1)
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

pub fn open_caption(shape: OpenShape, retries: u32) -> String {
    let mut text = match shape {
        OpenShape::Handshake => "SYN, SYN-ACK, ACK: each side picks an initial sequence number and the other acknowledges it with ISN + 1 (a SYN counts as one byte). Then both are ESTABLISHED.".to_string(),
        OpenShape::SimultaneousOpen => "Both sides sent a SYN before receiving the other's: each answers with SYN-ACK and goes through SYN-RECEIVED to ESTABLISHED.".to_string(),
        OpenShape::Refused => "The SYN reached a host where nothing listens on that port: it answered with RST, and the connection never opened.".to_string(),
        OpenShape::Unanswered => "No SYN-ACK came back in the capture: the server is down, filtered, or too busy to answer.".to_string(),
        OpenShape::BeforeCapture => "The capture starts in the middle of the connection: its handshake and initial sequence numbers were not seen, so sequence numbers are relative to the first segment of each side.".to_string(),
    };
    if retries > 0 {
        text.push_str(&format!(" The client sent its SYN again {retries} time(s), each after a longer timeout."));
    }
    text
}

pub fn close_caption(shapes: &Shapes) -> String {
    let (active, passive) = match shapes.closed_by {
        Some(ClosedBy::Server) => ("server", "client"),
        _ => ("client", "server"),
    };
    match shapes.close {
        Some(CloseShape::FourWay) => format!(
            "The {active} sends FIN (FIN-WAIT-1); the {passive} acknowledges it (CLOSE-WAIT) and later sends its own FIN (LAST-ACK); the {active} acknowledges that and waits in TIME-WAIT for 2×MSL."
        ),
        Some(CloseShape::ThreeSegment) => format!(
            "The {active} sends FIN; the {passive} acknowledges it and sends its own FIN in one segment, because it had nothing left to send; the {active}'s ACK ends it: three segments instead of four."
        ),
        Some(CloseShape::Simultaneous) => "Both sides sent a FIN before receiving the other's: both go FIN-WAIT-1 → CLOSING → TIME-WAIT once their FIN is acknowledged.".to_string(),
        Some(CloseShape::Reset) => format!("The {active} aborted the connection with RST instead of closing it with FIN: no acknowledgement, no TIME-WAIT."),
        Some(CloseShape::OpenAtEnd) => "No complete close in the capture: the connection was still open (or only half-closed) when the capture ended.".to_string(),
        None => String::new(),
    }
}

/// Why the capture says an endpoint entered a state (the tooltip of a state label).
pub fn state_reason(change: &StateChange, client: bool) -> String {
    let me = who(client);
    let state = change.state.rfc_name();
    let cause = change.cause;
    let mut text = match change.evidence {
        Evidence::Sent => format!("{state}: the {me} sent frame {cause}."),
        Evidence::Acknowledged => format!(
            "{state}: the {me} received frame {cause}; its own frame {} acknowledges it, so it had processed it by then.",
            change.by.unwrap_or(cause)
        ),
        Evidence::Arrival => format!("{state}: on the arrival of frame {cause} (an ACK or RST is never acknowledged, so its arrival is assumed)."),
        Evidence::Answered => format!("{state}: the {me} answered the SYN of frame {cause}, so it was listening before that SYN arrived."),
        Evidence::Unconfirmed => format!(
            "{state} (inferred): frame {cause} is taken to have arrived, but nothing the {me} sent afterwards acknowledges it, so the capture cannot confirm it."
        ),
        Evidence::BeforeCapture => format!("{state} (inferred): the capture starts in the middle of the connection, so the {me} was already synchronized."),
    };
    if change.frame != cause {
        text.push_str(&format!(
            " It cannot have processed frame {cause} before it sent frame {}: the two segments crossed, whatever order the capture point saw them in.",
            change.frame
        ));
    }
    text
}
