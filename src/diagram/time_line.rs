//! "Where the time went" as one sentence ([`crate::tcp::time_split`]): the totals, largest
//! first, for the exports' line of text and for `explain` (the same words, the same numbers
//! as `analyze`'s `time_split`).

use crate::connection::Connection;
use crate::tcp::capture_point;
use crate::tcp::time_split::{TimeKind, TimeSplit, TimeSplitWalk};
use crate::timefmt::milliseconds;

fn share(ns: i64, of: i64) -> String {
    if of > 0 {
        format!("{:.0} %", ns as f64 * 100.0 / of as f64)
    } else {
        "0 %".into()
    }
}

/// Waiting for an answer from both ends: whose answers took how long ("; the server's answers
/// 2.777 s, the client's 820.0 ms").
fn by_endpoint(split: &TimeSplit, kind: TimeKind) -> String {
    if kind != TimeKind::AwaitingAnswer {
        return String::new();
    }
    let of = |client: bool| split.parts.iter().filter(|p| p.kind == kind && p.client == Some(client)).map(|p| p.duration_ns()).sum::<i64>();
    let (server, client) = (of(false), of(true));
    if server == 0 || client == 0 || split.parts_left_out > 0 {
        return String::new();
    }
    format!("; the server's answers {}, the client's next requests {}", milliseconds(server), milliseconds(client))
}

/// Seen from nearer the receiver, a pause before a sender's data looks the same whether its
/// application paused or a segment was lost before the capture point and sent again: said once,
/// for each sender with such a pause as long as a round trip at least.
fn far_from_sender(split: &TimeSplit) -> String {
    let Some(path) = split.path_ns else { return String::new() };
    let name = |client: bool| if client { "client" } else { "server" };
    [true, false]
        .into_iter()
        // Away from the sender: its round trip from here at least 1 ms and twice the other's
        // (not a loopback capture's microseconds of stack time).
        .filter(|&s| path[usize::from(s)] >= 1_000_000 && path[usize::from(s)] > path[usize::from(!s)].saturating_mul(2)) // (saturating: fuzzed times)
        // A resend comes no sooner than the sender's retransmission timer, never under its
        // round trip (RFC 6298's RTO, a loss probe's two round trips): a shorter pause is no
        // loss and resend (R35-2: zeek_ftp_ipv6's 9.9 ms against 107 ms).
        .filter(|&s| split.parts.iter().any(|p| p.kind == TimeKind::SenderApplication && p.client == Some(s) && p.duration_ns() >= path[0].saturating_add(path[1])))
        .map(|s| format!(" Seen from nearer the {}, a pause before the {}'s data may also be a segment lost before the capture point and sent again: the capture cannot tell them apart.", name(!s), name(s)))
        .collect()
}

/// Per sender, the time of its application's and the network's parts during which it had a small
/// segment unacknowledged: Nagle's algorithm may have held the rest of a write then (R10 N1/N3),
/// which the packets cannot tell apart; said once, with how much of each kind it was.
fn small_unacked(split: &TimeSplit) -> String {
    let name = |client: bool| if client { "client" } else { "server" };
    [true, false]
        .into_iter()
        .filter_map(|s| {
            // (Only the parts whose own words say it: R12-6.)
            let of = |k: TimeKind| split.parts.iter().filter(|p| p.kind == k && p.client == Some(s) && p.small_unacked_ns >= crate::tcp::time_split::NAGLE_WORTH_NS && p.small_frame != 0).map(|p| p.small_unacked_ns).sum::<i64>();
            let (app, net) = (of(TimeKind::SenderApplication), of(TimeKind::Network));
            let worth = |ns: i64| ns >= crate::tcp::time_split::NAGLE_WORTH_NS;
            if !worth(app + net) || split.parts_left_out > 0 {
                return None;
            }
            let kinds: Vec<String> = [(app, TimeKind::SenderApplication), (net, TimeKind::Network)].into_iter().filter(|(ns, _)| worth(*ns)).map(|(ns, k)| format!("{} of its {}", milliseconds(ns), k.label())).collect();
            Some(format!(
                " During {} the {} had a small segment unacknowledged, when Nagle's algorithm may have held the short rest of a write: the packets cannot tell that hold from its application or the network.",
                kinds.join(" and "),
                name(s)
            ))
        })
        .collect()
}

/// Why a connection with frames that carry no time gets no split (R3 T11: their 0, 1970, made
/// 47 years of "waiting for the server's answer").
pub fn untimed_sentence((first, last): (u64, u64)) -> String {
    let frames = if first == last { format!("frame {first} carries") } else { format!("frames {first}–{last} carry") };
    format!("Where the time went cannot be told for this connection: {frames} no timestamp (the file's simple packet blocks record none), so no time between them and the other frames is known.")
}

/// No connection existed ([`crate::tcp::lifecycle::no_connection`], as the ladder's caption
/// says): a probe and a port's answer, no connection's time to split (R13b-12: ndpi_tcp_scan's
/// FIN and Xmas probes were "close: the client's FIN sent", its NULL probe "both idle").
fn probe_answered(conn: &Connection<'_>) -> Option<String> {
    let (rst_frame, _) = conn.stream().lifecycle.shapes().rst?;
    let wires = conn.wires();
    if !crate::tcp::lifecycle::no_connection(wires, rst_frame) {
        return None;
    }
    let rst = wires.iter().find(|w| w.frame == rst_frame)?;
    let probe = wires.iter().find(|w| w.frame < rst.frame && w.from_client != rst.from_client)?;
    let (who, answerer) = if probe.from_client { ("client", "server") } else { ("server", "client") };
    Some(format!(
        "Where the time went is not split for this stream: no connection existed (no handshake, and no segment before the RST carried ACK). The {who}'s segment (frame {}) and the {answerer}'s RST that answered it (frame {}, {} later) are a probe and a port's answer to it, as to a port scanner's.",
        probe.frame,
        rst.frame,
        milliseconds(rst.time_ns - probe.time_ns)
    ))
}

/// The split of `conn` (every part kept) and its sentence.
pub fn time_line(conn: &Connection<'_>) -> (TimeSplit, String) {
    let mut walk = TimeSplitWalk::new(usize::MAX);
    if let Some(untimed) = conn.untimed_frames() {
        return (walk.finish(), untimed_sentence(untimed));
    }
    if conn.packets().all(|p| !p.flags_captured()) {
        return (walk.finish(), "Where the time went cannot be told for this connection: the snap length cut every TCP header before its flags.".to_string());
    }
    if let Some(words) = probe_answered(conn) {
        return (walk.finish(), words);
    }
    conn.packets().for_each(|p| walk.push(&p));
    let split = walk.finish();
    if split.payload_only {
        return (split, "Where the time went cannot be told for this connection: the capture shows only its segments that carry data — none of its ACKs without data, SYNs, FINs or RSTs (the capture was filtered to payload, or caught only an exchange whose every ACK rode on data) — so when anything was acknowledged, and so who waited for whom, does not show.".to_string());
    }
    let s = conn.stream();
    let at = capture_point(conn.timed()).map(|p| p.between(s.client.addr, s.server.addr).describe()).unwrap_or_else(|| "at its capture point".into());
    let mut totals: Vec<(TimeKind, i64)> = TimeKind::ALL.iter().map(|k| (*k, split.total(*k))).filter(|(_, ns)| *ns > 0).collect();
    totals.sort_by_key(|(_, ns)| -ns);
    // (R21-1: idle time that uncaptured data went by in is not said to be idle only.)
    // (R30-2: a span an ACK shows uncaptured data went by in holds both ends' time and the
    // network's, not idle time.)
    let other = |f: &dyn Fn(&crate::tcp::time_split::TimePart) -> bool| split.parts.iter().any(|p| p.kind == TimeKind::Other && f(p));
    let (acked_unseen, unseen_in_idle, idle) = (other(&|p| p.unseen_ack_frame != 0), other(&|p| p.client.is_some() && p.unseen_ack_frame == 0), other(&|p| p.client.is_none()));
    let label = |k: TimeKind| match k {
        TimeKind::Other if acked_unseen && !unseen_in_idle && !idle => "not told apart (data not seen here going by, with both ends' time and the network's)",
        TimeKind::Other if acked_unseen => "both idle, or data not seen here going by (with both ends' time and the network's)",
        TimeKind::Other if unseen_in_idle => "both idle or sending data not seen here by then",
        _ => k.label(),
    };
    let list: Vec<String> = totals.iter().map(|(k, ns)| format!("{} {} ({}{})", label(*k), milliseconds(*ns), share(*ns, split.duration_ns), by_endpoint(&split, *k))).collect();
    let mut line = format!(
        "Where the time went, estimated from the capture {at}: {} from the first segment to the last — {}.",
        milliseconds(split.duration_ns),
        if list.is_empty() { "no time passed".to_string() } else { list.join(", ") }
    );
    line.push_str(&far_from_sender(&split));
    line.push_str(&small_unacked(&split));
    (split, line)
}
