//! `explain`'s "Where the time went": the connection's time split ([`crate::tcp::time_split`])
//! in words, every number from the same split `analyze` prints as `time_split`.

use serde::Serialize;

use crate::connection::Connection;
use crate::diagram::time_line;
use crate::tcp::time_split::{TimeKind, TimePart, TimeSplit};
use crate::timefmt::milliseconds;

/// The split and its sentences.
#[derive(Debug, Clone, Serialize)]
pub struct TimeWords {
    /// "Where the time went, estimated from the capture …: 4.785 s from the first segment to
    /// the last: …" — the totals, largest first.
    pub summary: String,
    /// One line per part: its span, frames, kind and endpoint.
    pub parts: Vec<String>,
    pub split: TimeSplit,
}

pub fn time_words(conn: &Connection<'_>) -> TimeWords {
    let (split, summary) = time_line(conn);
    let who = |c: Option<bool>| match c {
        Some(true) => " (client)",
        Some(false) => " (server)",
        None => "",
    };
    let name = |client: bool| if client { "client" } else { "server" };
    // Request/response words name who was awaited and for what.
    let what = |k: TimeKind, c: Option<bool>, held: bool, outstanding: Option<bool>, unseen_ack: u64| match (k, c) {
        // The question not acknowledged yet: its ACK held (delayed, or to come with the answer);
        // "all": an ACK of part of it may have gone (R36C-1: 1000-requests' frame 42).
        (TimeKind::AwaitingAnswer, Some(r)) if held => format!("{}, its ACK of all the {}'s data not sent yet (held by its delayed-ACK timer, or to come with its own data)", if r { "waiting for the client's next request" } else { "waiting for the server's answer" }, name(!r)),
        // The awaited side's own data unacknowledged meanwhile: the other side's held ACK,
        // which held nothing up (R44D-3: ndpi_heuristic stream 0, the server's 42.7 ms ACK).
        (TimeKind::AwaitingAnswer, Some(r)) if outstanding == Some(r) => format!("{}; meanwhile the {}'s ACK of the {}'s data not sent yet (its delayed-ACK timer, or its processing)", if r { "waiting for the client's next request" } else { "waiting for the server's answer" }, name(!r), name(r)),
        (TimeKind::AwaitingAnswer, Some(false)) => "waiting for the server's answer".to_string(),
        (TimeKind::AwaitingAnswer, Some(true)) => "waiting for the client's next request".to_string(),
        (TimeKind::ReceiverReading, Some(s)) => format!("the {}'s application reading slowly (the {}'s data waited for its window)", name(!s), name(s)),
        // R29-1: the other side's ACK covers its bytes: they went by in it, with whatever the
        // other side did meanwhile (its next request, ldap_gap's frame 9).
        (TimeKind::Other, Some(s)) if unseen_ack != 0 => format!("not told apart: the {1}'s ACK in frame {unseen_ack} covers bytes of the {0}'s the capture does not hold (missed by the capture), received by the {1} since its previous ACK: this span holds the {0}'s sending, the {1}'s and the network's time in proportions the capture cannot show", name(s), name(!s)),
        // A held ACK that nothing followed (the capture ends, or a FIN came): the receiver's
        // ACK was still to come (ndpi_1kxun stream 13: 193 ms, then the capture ends).
        (TimeKind::Other, _) if outstanding.is_some() => outstanding.map(|s| format!("both idle (neither side sending; the {}'s ACK of the {}'s data not sent yet: its delayed-ACK timer, or its processing)", name(!s), name(s))).unwrap_or_default(),
        // R21-1: its sender's data passed uncaptured somewhere in it (its sequence number jumps).
        (TimeKind::Other, Some(s)) => format!("both idle, or the {0}'s data going by: the {0}'s next segment here starts past every byte of its seen so far, so bytes it sent before had not passed the capture point (missed by the capture, or passing later); when within this span they went does not show", name(s)),
        (TimeKind::Other, _) => "both idle (neither side sending)".to_string(),
        (TimeKind::ReceiverDelay, Some(r)) => format!("the {} holding its ACK (its delayed-ACK timer, or its processing)", name(r)),
        (TimeKind::Close, Some(open)) => format!("close: the {}'s end still open, its application not closed yet (CLOSE-WAIT)", name(open)),
        (TimeKind::Close, None) if outstanding.is_some() => outstanding.map(|s| format!("close: the {}'s FIN sent, not acknowledged yet", name(s))).unwrap_or_default(),
        (TimeKind::SenderNagle, Some(s)) => format!("the {}'s TCP holding the small rest of a write until the ACK of its previous small segment came (Nagle's algorithm, likely: the ACK released it at once)", name(s)),
        _ => format!("{}{}", k.label(), who(c)),
    };
    let unanswered = super::unanswered_words::unanswered_words(conn, &split);
    let mut parts: Vec<String> = split
        .parts
        .iter()
        .zip(&unanswered)
        .map(|(p, silence)| format!("{}–{} (frames {}–{}): {}, {}{}{silence}", milliseconds(p.start_ns), milliseconds(p.end_ns), p.first_frame, p.last_frame, what(p.kind, p.client, p.client.is_some() && p.outstanding == p.client.map(|c| !c), p.outstanding, p.unseen_ack_frame), milliseconds(p.duration_ns()), small_unacked_words(p)))
        .collect();
    if split.parts_left_out > 0 {
        parts.push(format!("and {} more parts (in the totals above)", split.parts_left_out));
    }
    TimeWords { summary, parts, split }
}

/// A sending application's or the network's part during which its sender had a small segment
/// unacknowledged: Nagle's algorithm may have held a write's rest then (R10 N1/N3), said as a
/// possibility with its evidence, never as what happened.
pub(crate) fn small_unacked_words(p: &TimePart) -> String {
    let Some(s) = p.client else { return String::new() };
    if p.small_unacked_ns < crate::tcp::time_split::NAGLE_WORTH_NS || p.small_frame == 0 {
        return String::new();
    }
    let name = if s { "client" } else { "server" };
    let how_long = if p.small_unacked_ns >= p.duration_ns() { "all of it".to_string() } else { format!("for {} of it", milliseconds(p.small_unacked_ns)) };
    format!(" — or, {how_long}, the {name}'s TCP holding the short rest of a write: a small segment of the {name}'s was unacknowledged as the {name} knew it (frame {} the longest), and Nagle's algorithm holds a short rest behind one; the packets cannot tell that from {}", p.small_frame, if p.kind == TimeKind::Network { "the wait for the network" } else { "an application with nothing to send" })
}
