//! The timing view's header (issue #24, point 1): one sentence under the capture point's label
//! saying what the dashed line is, and a heading over each of the left margin's time columns,
//! so that no text on the diagram needs a hover to be understood.

use crate::draw::offsets::TIME_X;

use super::model::Heading;
use super::TICK_X;

/// Where the sentence and the headings' two lines are written.
pub(super) const EXPLAIN_Y: f32 = 80.0;
const HEADING_Y: [f32; 2] = [98.0, 111.0];
/// The timing view's arrows start below this (a state is written 13 units above an arrow's
/// tail at most), so the header keeps its room.
pub(super) const HEADER_BOTTOM: f32 = 130.0;

/// What the dashed line is, in one sentence (`known`: the capture point could be estimated),
/// short enough to end left of the phase column (it was cut off at 1366 px).
pub(super) fn capture_line_sentence(known: bool) -> String {
    if known {
        "Dashed line: where this capture was taken (shortest round trips); arrows cross it when captured.".to_string()
    } else {
        "Dashed line: where this capture was taken, unknown here; each arrow crosses it when it was captured.".to_string()
    }
}

/// The headings of the two time columns: each arrow's capture time (seconds from the file's
/// first frame, `Arrow::time`) and the ruler (time since the connection's first segment).
pub(super) fn time_headings() -> Vec<Heading> {
    let captured = "Each arrow's capture time: seconds since the first frame of the file";
    let ruler = "Ruler: time since this connection's first segment (⋯ marks a pause cut short)";
    [(TIME_X, "captured", captured), (TIME_X, "s, file", captured), (TICK_X, "since 1st", ruler), (TICK_X, "segment", ruler)]
        .into_iter()
        .enumerate()
        .map(|(i, (x, text, title))| Heading { x, y: HEADING_Y[i % 2], text: text.to_string(), title: title.to_string() })
        .collect()
}
