//! The application's phases as the ladder brackets them, inside the data transfer's bracket
//! (`messages::app_phases` names them): each with how long it took by the capture's clock,
//! from the segment that brings its first byte to the one that brings its last, and for an
//! exchange how long the answer took to begin after the question's last byte.

use crate::connection::Connection;
use crate::messages::MessageMarks;
use crate::timefmt::milliseconds;

/// (title, caption, first frame, last frame) of each phase, in the order they begin.
pub(super) fn app_phase_texts(conn: &Connection<'_>, marks: &MessageMarks) -> Vec<(String, String, u64, u64)> {
    let mut phases: Vec<_> = marks.phases.iter().collect();
    phases.sort_by_key(|p| (p.first, p.last));
    phases
        .into_iter()
        .filter_map(|p| {
            let (a, b) = (conn.packet(p.first)?, conn.packet(p.last)?);
            let segments = p.last - p.first + 1;
            let span = if segments == 1 { format!("frame {}, 1 segment", a.frame) } else { format!("frames {}–{}, {segments} segments of the connection", a.frame, b.frame) };
            let took = milliseconds(b.time_ns - a.time_ns);
            // One segment has no duration of its own; a phase the capture cuts short lasted at least this.
            let (title, mut caption) = match (segments, p.cut_short) {
                (1, _) => (p.title.clone(), format!("{span}.")),
                (_, true) => (format!("{}, at least {took}", p.title), format!("{span}: at least {took} from its first byte to the last one captured here.")),
                _ => (format!("{}, {took}", p.title), format!("{span}: {took} from the first byte to the last, as captured here.")),
            };
            if let Some((asked, answered)) = p.asked_then_answered.and_then(|(q, r)| Some((conn.packet(q)?, conn.packet(r)?))) {
                let wait = answered.time_ns - asked.time_ns;
                if wait >= 0 && answered.frame != asked.frame {
                    caption.push_str(&format!(" The answer's first byte (frame {}) came {} after the question's last (frame {}).", answered.frame, milliseconds(wait), asked.frame));
                }
            }
            if let Some(note) = &p.note {
                caption.push(' ');
                caption.push_str(note);
            }
            Some((title, caption, a.frame, b.frame))
        })
        .collect()
}
