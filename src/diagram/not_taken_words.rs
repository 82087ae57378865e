//! Bytes a segment's IP length claims but neither end took as data (R13b-5), in words: what
//! they are and the packets that show it (`tcp::bytes_not_taken`).

use crate::tcp::bytes_not_taken::{NotTaken, NotTakenEvidence};

/// The sentence for a segment whose payload was not taken; `me`/`peer` name its sender and
/// receiver, `seq` is its relative sequence number.
pub(super) fn not_taken_sentence(n: &NotTaken, me: &str, peer: &str, seq: u32) -> String {
    let bytes = if n.len == 1 { "1 byte".to_string() } else { format!("{} bytes", n.len) };
    if let NotTakenEvidence::LikelyLikeItsEarlier { earlier, count, ack_frame } = n.evidence {
        return format!(
            "Its IP length also claims {bytes} after the TCP header, all zero, most likely no data of the stream (Wireshark counts them, tcp.len={}; here they are left out): {count} earlier segments of the {me}'s with {bytes} of zeros (the first in frame {earlier}) were not data — a later segment of the {me}'s put other bytes where they were — and the {me}'s bytes right after these are not in the capture, though the {peer}'s ACK in frame {ack_frame} goes past them: a segment the capture lacks most likely put other bytes here too (no captured packet shows it).",
            n.len
        );
    }
    let why = match n.evidence {
        // (R18-1/2/3: not always the sender's very next segment, nor from this one's first number.)
        NotTakenEvidence::SenderReused { frame, fin: false } => format!("a later segment of the {me}'s, frame {frame}, puts other bytes where these would be, so the {me} itself did not count them"),
        NotTakenEvidence::SenderStayed { frame } => format!("a later segment of the {me}'s, frame {frame}, carries no data and starts at these bytes' own sequence number: its next byte never moved past them, so the {me} itself did not count them"),
        NotTakenEvidence::SenderReused { frame, fin: true } => format!("the {me}'s FIN, frame {frame}, sits where these bytes would be, so its stream ended before them"),
        NotTakenEvidence::FinTakenAlone { frame } => format!("the {peer}'s ACK in frame {frame} takes the FIN alone (ack={}, one past the FIN's sequence number) and not the bytes", seq.wrapping_add(1)),
        NotTakenEvidence::AfterFin { fin_frame } => format!("they lie after the {me}'s FIN (frame {fin_frame}), past the end of its stream"),
        NotTakenEvidence::SameAsLater { frame } => format!("the same zeros at the same place as in frame {frame}, which were not taken either"),
        NotTakenEvidence::LikeItsEarlier => format!("like the {me}'s earlier segments with {bytes} of zeros, which no end took, and nothing acknowledges them"),
        NotTakenEvidence::LikelyLikeItsEarlier { .. } => String::new(), // (told above)
    };
    if n.kept > 0 {
        let last = if n.len == 1 { "its last byte, a zero, is".to_string() } else { format!("its last {bytes}, all zero, are") };
        return format!(
            "Of the {} bytes its IP length claims (Wireshark's tcp.len={}), {last} no data of the stream: {why}, and the {peer} never acknowledges {}.",
            n.len + n.kept,
            n.len + n.kept,
            if n.len == 1 { "it" } else { "them" }
        )
        .replace("where these would be", if n.len == 1 { "where it would be" } else { "where these would be" })
        .replace("did not count them", if n.len == 1 { "did not count it" } else { "did not count them" });
    }
    format!(
        "Its IP length also claims {bytes} after the TCP header, all zero, that are no data of the stream (Wireshark counts them, tcp.len={}; here they are left out): {why}, and the {peer} never acknowledges them.",
        n.len
    )
    .replace(", and nothing acknowledges them, and the", ", and the")
}
