//! The sentence that says why an ACK came when it did, from [`AckTiming`] (the walk in
//! `ack_timing.rs` decides; this file only words it).

use super::ack_timing::{AckTiming, FillerOrder, Lacked, Settled};

/// The sentence of an ACK's timing (after "The {me} acknowledges: …").
/// (`dsack`: the ACK carries a D-SACK, RFC 2883: both copies of resent bytes arrived.)
pub fn ack_timing_sentence(t: &AckTiming, me: &str, peer: &str, dsack: bool) -> String {
    let ms = |ns: i64| crate::timefmt::milliseconds(ns);
    match *t {
        AckTiming::Prompt { frame, rtt_ns: 0 } => {
            format!("It acknowledges frame {frame} exactly; the capture gives both the same time (it stamped packets in a batch), so how long the {me} took cannot be measured here.")
        }
        AckTiming::Prompt { frame, rtt_ns } => format!(
            "It acknowledges frame {frame} exactly, {} after that frame passed the capture point: the round trip from the capture point to the {me} and back, with whatever time the {me} took to answer.",
            ms(rtt_ns)
        ),
        AckTiming::Longer { frame, rtt_ns, base_ns } => format!(
            "It acknowledges frame {frame} exactly, {} after that frame passed the capture point, {} more than the {me}'s quickest ACK ({}): the round trip from the capture point to the {me} and back, and time the {me} took to answer (its delayed-ACK timer, or its application) or a slower path this time — the capture cannot tell which.",
            ms(rtt_ns),
            ms(rtt_ns - base_ns),
            ms(base_ns)
        ),
        AckTiming::Delayed { frame, rtt_ns, base_ns, wait_ns, bytes } => format!(
            "A delayed ACK, likely the delayed-ACK timer: a pure ACK of the {peer}'s frame {frame} ({}, with no data of its own to carry), {} after that frame passed the capture point where the {me}'s quickest ACKs took {}: it waited about {} (Linux's timer waits at least 40 ms, other stacks about 200 ms) for data to ride on, then sent the ACK alone.",
            if bytes > 0 { format!("{bytes} bytes, less than two full segments") } else { "its FIN".to_string() },
            ms(rtt_ns),
            ms(base_ns),
            ms(wait_ns)
        ),
        AckTiming::HoleFilled { frame, rtt_ns, filler, filler_ago_ns, bytes, first_above, waited_ns, hole_wait_ns, filler_order, repair_at_once } => {
            let what = match filler_order {
                FillerOrder::Resent => String::new(),
                FillerOrder::FirstResent { id, after, after_id } => format!(" — a resend: its IP identification ({id:#06x}) follows frame {after}'s ({after_id:#06x}), the last above the hole, so it left the {peer} after them (a sender numbers its datagrams in the order it sends them), and no earlier copy of those bytes had passed the capture point"),
                FillerOrder::FirstOvertaken { id, before, before_id } => format!(" — sent before the bytes above the hole and overtaken by them on the way: its IP identification ({id:#06x}) is just below that of frame {before} ({before_id:#06x}), the first above the hole (a sender numbers its datagrams in the order it sends them)"),
                FillerOrder::First => " — the first copy of those bytes in this capture: sent before the bytes above and overtaken by them, or a resend of a copy that did not pass the capture point (the capture cannot tell)".to_string(),
            };
            let waited_for = if matches!(filler_order, FillerOrder::Resent | FillerOrder::FirstResent { .. }) { "the repair" } else { "the bytes below" };
            let above = if first_above == frame {
                // Only the acknowledged frame lay above the hole (R14-6: ctu-64702-888's lone FIN,
                // 0.215 ms waiting, then 0.201 ms to the ACK: no round trip, and no "earlier" bytes).
                format!("Frame {frame} was all that lay above the hole, and this ACK came {} after frame {filler}: the {} since frame {frame} (Wireshark's ACK-RTT) is that wait and the answer to frame {filler} together, no round trip.", ms(filler_ago_ns), ms(rtt_ns))
            } else if repair_at_once {
                format!("Frame {filler} passed the capture point {} after frame {frame}, so the {} since frame {frame} (Wireshark's ACK-RTT) is still about a round trip: the earlier bytes above the hole waited for {waited_for}, frame {frame}'s did not.", ms(rtt_ns - filler_ago_ns), ms(rtt_ns))
            } else {
                format!("The {} since frame {frame} (Wireshark's ACK-RTT) is therefore no round trip: the ACK waited for {waited_for}.", ms(rtt_ns))
            };
            // The wait above the hole runs from its first bytes to the repair, both seen here (at
            // the sender's capture point both a one-way trip from the receiver: R14-10).
            format!(
                "An ACK that waited for a hole to be filled: it acknowledges {bytes} bytes at once, up to the end of frame {frame}, only after frame {filler} (captured {} before this ACK) filled the hole below them{what}. The bytes above the hole waited about {} for it: frame {first_above}, the first of them, passed the capture point {} before frame {filler} ({} before this ACK). {above}",
                ms(filler_ago_ns),
                ms(hole_wait_ns),
                ms(hole_wait_ns),
                ms(waited_ns),
            )
        }
        // Its own D-SACK says both copies arrived (R4 F10: zeek_ldap_gap-data-missing frame 15).
        AckTiming::Resent { frame, rtt_ns, resend, resend_ago_ns, echoed: None, .. } if dsack => format!(
            "The bytes it acknowledges, frame {frame}'s, were sent again in frame {resend}, captured {} before this ACK: both copies arrived (its D-SACK, below, reports the second as a duplicate), so the {} since frame {frame} is no round trip.",
            ms(resend_ago_ns),
            ms(rtt_ns)
        ),
        AckTiming::Resent { frame, rtt_ns, echoed: None, settled: Some(Settled { earlier, earlier_ago_ns, passed_ns, base_ns, byte, copy, copy_ago_ns }), .. } => format!(
            "The bytes it acknowledges end with frame {frame}'s, and were sent again. The {me}'s frame {earlier}, {} before this ACK, still asked for byte {byte} (ack={byte}), {} or more after every earlier copy of it had passed the capture point, which is close to the {me} (its quickest ACK here: {}): none of those copies was taken in. So this ACK could move only once frame {copy} brought byte {byte}: it answers frame {copy}, captured {} before it. The {} since frame {frame} is no round trip (nor would a sender take an RTT sample from a resent segment, RFC 6298 §3).",
            ms(earlier_ago_ns),
            ms(passed_ns),
            ms(base_ns),
            ms(copy_ago_ns),
            ms(rtt_ns)
        ),
        AckTiming::Resent { frame, rtt_ns, resend, resend_ago_ns, echoed: None, .. } => format!(
            "The bytes it acknowledges, frame {frame}'s, were sent again in frame {resend}, captured {} before this ACK: which copy arrived cannot be told from this ACK alone (Karn's ambiguity, RFC 6298 §3), so the {} since frame {frame} cannot be taken as a round trip (a sender takes no RTT sample from it).",
            ms(resend_ago_ns),
            ms(rtt_ns)
        ),
        AckTiming::Resent { frame, rtt_ns, resend, echoed: Some((copy, ago_ns, tsecr)), .. } if copy != frame => format!(
            "The bytes it acknowledges, frame {frame}'s, were sent again (last in frame {resend}); this ACK echoes frame {copy}'s timestamp (TSecr {tsecr}, RFC 7323), so frame {copy}'s copy is the one that arrived: {} after it passed the capture point. The {} since frame {frame} is no round trip.",
            ms(ago_ns),
            ms(rtt_ns)
        ),
        AckTiming::Resent { frame, rtt_ns, resend, resend_ago_ns, echoed: Some((_, _, tsecr)), .. } => format!(
            "The bytes it acknowledges, frame {frame}'s, were sent again in frame {resend} ({} before this ACK), but this ACK echoes frame {frame}'s own timestamp (TSecr {tsecr}, RFC 7323): the first copy arrived, {} after it passed the capture point, and frame {resend} was not needed for this ACK.",
            ms(resend_ago_ns),
            ms(rtt_ns)
        ),
        // R6a F5: RFC 1122 lets a delayed ACK wait up to 0.5 s; only Linux's stops at 200 ms.
        AckTiming::Held { frame, rtt_ns, lacked: Some(Lacked { earlier, ago_ns, earlier_ack, within: true, at_sender, ids_unbroken, .. }), .. } => format!(
            "It acknowledges frame {frame} exactly, {} after that frame passed the capture point — but the {me}'s frame {earlier}, {} before this ACK, acknowledged everything below ack={earlier_ack}, a byte frame {frame} carries, and no further: the {me} did not have all of frame {frame}'s bytes then. {} the {} is no round trip.",
            ms(rtt_ns),
            ms(ago_ns),
            if at_sender { format!("They reached its TCP since: frame {frame} was held that long on the way (this capture, at the {peer}, holds every copy it sent), or waited in a busy {me}'s queue;") } else if ids_unbroken { format!("They reached its TCP since: frame {frame} was held that long on the way (every datagram the {peer} sent since passed here: its IPv4 identifications go up by one without a gap), or waited in a busy {me}'s queue;") } else { format!("They arrived since, in a copy sent again that this capture does not hold, or in frame {frame} itself held that long on the way (or they waited in a busy {me}'s queue);") },
            ms(rtt_ns)
        ),
        // Only the first missing byte is known: the receiver may have held the bytes beyond it
        // out of order (without SACK the capture cannot tell).
        AckTiming::Held { frame, rtt_ns, lacked: Some(Lacked { earlier, ago_ns, earlier_ack, last, within: false, at_sender, ids_unbroken }), .. } => format!(
            "It acknowledges frame {frame} exactly, {} after that frame passed the capture point — but the {me}'s frame {earlier}, {} before this ACK, still asked for byte {earlier_ack} (ack={earlier_ack}), though every byte from there to frame {frame}'s last ({last}) had passed here in time: the {me} lacked byte {earlier_ack} then, whatever it held beyond it. {} the {} is no round trip.",
            ms(rtt_ns),
            ms(ago_ns),
            if at_sender { format!("The bytes from there reached its TCP since: held that long on the way (this capture, at the {peer}, holds every copy it sent), or waiting in a busy {me}'s queue;") } else if ids_unbroken { format!("The bytes from there reached its TCP since: held that long on the way (every datagram the {peer} sent since passed here: its IPv4 identifications go up by one without a gap), or waiting in a busy {me}'s queue;") } else { format!("What filled the gap arrived since: a copy sent again that this capture does not hold, or a segment held that long on the way (or waiting in a busy {me}'s queue);") },
            ms(rtt_ns)
        ),
        AckTiming::Held { frame, rtt_ns, base_ns, .. } => format!(
            "It acknowledges frame {frame} exactly, {} after that frame passed the capture point — far longer than the {me}'s quickest ACK ({}), and longer than {}: the data or this ACK was held somewhere on the way (or the {me} was busy), so this is not one round trip.",
            ms(rtt_ns),
            ms(base_ns),
            if rtt_ns - base_ns < 500_000_000 { "Linux's delayed-ACK timer (200 ms at most; RFC 1122 allows up to 0.5 s, so a slower stack's delayed ACK cannot be ruled out)" } else { "any delayed-ACK timer (RFC 1122: under 0.5 s)" }
        ),
        AckTiming::Slower { frame, rtt_ns, base_ns } => format!(
            "It acknowledges frame {frame} exactly, {} after that frame passed the capture point: {} more than the {me}'s quickest ACK ({}) — a slower path this time, a delayed ACK (RFC 1122 allows up to 0.5 s), or the {me} busy or waiting for its application (an ACK that reopens a full window goes when the application reads); the capture cannot tell which, so this is not a measure of the round trip.",
            ms(rtt_ns),
            ms(rtt_ns - base_ns),
            ms(base_ns)
        ),
        AckTiming::Piggybacked { frame, rtt_ns, ack, alone_unseen: true } => format!(
            "Its ACK field moves too: ack={ack} acknowledges the {peer}'s frame {frame}, {} after that frame passed the capture point. The capture shows none of the connection's segments without data (it was filtered to payload, or caught only an exchange whose every ACK rode on data), so whether an ACK alone went earlier does not show.",
            ms(rtt_ns)
        ),
        AckTiming::Piggybacked { frame, rtt_ns, ack, .. } => format!(
            "Its ACK field moves too: ack={ack} acknowledges the {peer}'s frame {frame}, {} after that frame passed the capture point — a piggybacked ACK, riding on data, so no separate ACK was needed.",
            ms(rtt_ns)
        ),
    }
}
