//! A network part in which the sender only resent and the receiver said nothing: the time was
//! the sender's retransmission timer backing off against silence, and where the capture point is
//! next to the receiver, the receiver (or its last hop) had stopped answering — not a slow or
//! congested path (R13b-6: zeek_http_206_example_b stream 0, 24 copies over 80.8 s, 0.35 ms
//! from a client that had answered every segment within a millisecond until then).

use crate::connection::Connection;
use crate::tcp::analysis::AnalysisFlags;
use crate::tcp::time_split::{TimeKind, TimePart, TimeSplit};
use crate::timefmt::milliseconds;

/// Parts shorter than this are a recovery's ordinary resends, not a silence.
const SILENCE_NS: i64 = 1_000_000_000;
/// At least this many resends, none answered.
const RESENDS: u32 = 3;
/// A round trip to the receiver at most this long puts the capture point next to it.
const NEXT_TO_NS: i64 = 2_000_000;

/// For each part (by index) the words to add, empty where nothing is to be said.
pub(crate) fn unanswered_words(conn: &Connection<'_>, split: &TimeSplit) -> Vec<String> {
    let candidate = |p: &TimePart| p.kind == TimeKind::Network && p.client.is_some() && p.duration_ns() >= SILENCE_NS;
    // Per part: the sender's resends, anything else from the sender, anything from the receiver.
    let mut counts = vec![(0u32, 0u32, 0u32); split.parts.len()];
    let parts: Vec<(usize, &TimePart)> = split.parts.iter().enumerate().filter(|(_, p)| candidate(p)).collect();
    if parts.is_empty() {
        return vec![String::new(); split.parts.len()];
    }
    for p in conn.packets() {
        let Some(&(i, part)) = parts.iter().find(|(_, q)| (q.first_frame..=q.last_frame).contains(&p.frame)) else { continue };
        let sender = part.client == Some(p.from_client);
        let c = &mut counts[i];
        match (sender, p.analysis.flags.has(AnalysisFlags::ANY_RETRANSMISSION) && p.segment.payload_len > 0) {
            (true, true) => c.0 += 1,
            (true, false) => c.1 += 1,
            (false, _) => c.2 += 1,
        }
    }
    split
        .parts
        .iter()
        .zip(counts)
        .map(|(part, (resends, other, heard))| {
            let Some(s) = part.client.filter(|_| candidate(part) && resends >= RESENDS && other == 0 && heard == 0) else { return String::new() };
            let (sender, receiver) = if s { ("client", "server") } else { ("server", "client") };
            let to_receiver = split.path_ns.map(|w| w[usize::from(!s)]);
            match to_receiver {
                Some(rtt) if rtt <= NEXT_TO_NS => format!(
                    " — the {sender} only resent ({resends} copies), and the {receiver}, {} from this capture point, answered none of them: the {receiver}, or its last hop, had stopped answering, while the {sender}'s retransmission timer backed off",
                    milliseconds(rtt / 2)
                ),
                _ => format!(" — the {sender} only resent ({resends} copies) and no answer came past this capture point: lost on the way to the {receiver}, or the {receiver} had stopped answering (the capture point cannot tell), while the {sender}'s retransmission timer backed off"),
            }
        })
        .collect()
}
