//! The application's phases as the ladder brackets them, inside the data transfer's bracket
//! (`messages::app_phases` names them): each with how long it took by the capture's clock,
//! from the segment that brings its first byte to the one that brings its last.

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
            let took = milliseconds(b.time_ns - a.time_ns);
            let segments = p.last - p.first + 1;
            let caption = format!("frames {}–{}, {segments} segments of the connection: {took} from the first byte to the last, as captured here.", a.frame, b.frame);
            Some((format!("{}, {took}", p.title), caption, a.frame, b.frame))
        })
        .collect()
}
