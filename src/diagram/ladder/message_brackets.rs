//! A message brought by more than one segment, bracketed beside its sender's lifeline from the
//! segment that brings its first byte to the one that brings its last (as Stevens draws a
//! request spread over segments), its words, size and frames in the tooltip. The arrow that
//! completes it carries its words; the bracket shows which arrows between belong to it.

use super::model::MessageBracket;
use super::seg::Seg;
use crate::messages::MessageMarks;

/// How far outside the sender's lifeline a bracket stands (a state's text starts at 8).
const OUTSIDE: f32 = 4.0;
/// A bracket that starts where the sender's previous one ends stands this much further out,
/// so two messages in one segment are told apart.
const NEXT_LEVEL: f32 = 3.0;
/// Its ends, toward the lifeline.
const END: f32 = 3.0;

/// The brackets of `marks`' messages over more than one segment, at the arrows' tails.
pub(super) fn message_brackets(marks: &MessageMarks, packets: &[Seg], tail: &[f32], lifelines: (f32, f32)) -> Vec<MessageBracket> {
    // The last bracket each side drew: where it ends and at which level.
    let mut last: [Option<(f32, u8)>; 2] = [None, None];
    let mut brackets = Vec::new();
    let mut spans: Vec<_> = marks.spans.iter().collect();
    spans.sort_by_key(|m| (m.first, m.last));
    for m in spans {
        let (Some(&y1), Some(&y2), Some(a), Some(b)) = (tail.get(m.first), tail.get(m.last), packets.get(m.first), packets.get(m.last)) else { continue };
        // (Both ends in one collapsed run's row: the run's title says it.)
        if y2 - y1 < 1.0 {
            continue;
        }
        let side = usize::from(!m.from_client);
        let level = match last[side] {
            Some((end, level)) if end >= y1 - 1.0 => 1 - level,
            _ => 0,
        };
        last[side] = Some((y2, level));
        let out = OUTSIDE + NEXT_LEVEL * f32::from(level);
        let (x, end) = if m.from_client { (lifelines.0 - out, END) } else { (lifelines.1 + out, -END) };
        let carrying = packets[m.first..=m.last].iter().filter(|p| p.from_client == m.from_client && p.payload_len > 0).count();
        let sender = if m.from_client { "client" } else { "server" };
        let segments = if carrying == 1 { "1 of its segments".to_string() } else { format!("{carrying} of its segments") };
        let title = format!("{}: {} bytes of the {sender}'s stream, in {segments} with data, frames {}–{}", m.words, m.bytes, a.frame, b.frame);
        brackets.push(MessageBracket { from_client: m.from_client, first_frame: a.frame, last_frame: b.frame, x, end, y1, y2, title });
    }
    brackets
}
