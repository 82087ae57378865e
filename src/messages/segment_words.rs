//! What one segment carries of the application's messages, for its explanation: the whole of
//! a message, its beginning, its end, or a part, with the frames the message spans.

use super::{summary, Messages, Placed};

/// Messages named in one sentence before "and N more".
const MAX_NAMED: usize = 4;

/// The sentence for segment `index` (sent by the client if `from_client`, with `payload_len`
/// bytes of payload), if it carries bytes of any message that was read (unknown data and gaps
/// are not named).
pub fn segment_messages(messages: &Messages, index: usize, from_client: bool, payload_len: u32) -> Option<String> {
    // A segment without payload carries nothing of any message (a bare ACK between the first
    // and the last segment of a body).
    if payload_len == 0 {
        return None;
    }
    let index = index as u32;
    let side = if from_client { "client's" } else { "server's" };
    let mine: Vec<&Placed> = messages
        .messages
        .iter()
        .filter(|p| p.message.from_client == from_client && p.first_index <= index && index <= p.last_index)
        .filter(|p| !matches!(p.message.what, crate::app::What::Unknown { .. } | crate::app::What::Gap))
        .collect();
    if mine.is_empty() {
        return None;
    }
    let mut parts: Vec<String> = mine
        .iter()
        .take(MAX_NAMED)
        .map(|p| {
            let what = summary(p);
            match (p.first_index == index, p.last_index == index) {
                (true, true) => format!("the whole of the {side} {what}"),
                (true, false) => format!("the beginning of the {side} {what}, complete in frame {}", p.last_frame),
                (false, true) => format!("the end of the {side} {what}, begun in frame {}", p.first_frame),
                (false, false) => format!("part of the {side} {what}, frames {}–{}", p.first_frame, p.last_frame),
            }
        })
        .collect();
    if mine.len() > MAX_NAMED {
        parts.push(format!("{} more messages", mine.len() - MAX_NAMED));
    }
    let list = match parts.len() {
        1 => parts.remove(0),
        _ => {
            let last = parts.pop().unwrap_or_default();
            format!("{}; and {last}", parts.join("; "))
        }
    };
    Some(format!("Application ({}): this segment carries {list}.", messages.protocol.name()))
}
