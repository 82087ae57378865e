//! Where the ladder writes a text beside what it labels, in px: one place for the offsets the
//! SVG export (`diagram::svg`), the page's view (`ui::components::ladder_view`) and the room
//! the layout counts (`Ladder::text_boxes`) all use, so that the three cannot drift apart.

/// A one-line text written at a row's y (a tick of the ruler, an arrow's capture time) has its
/// baseline this far below it, so that its 11 px letters stand centred on the row.
pub const BASELINE_BELOW_ROW: f32 = 4.0;

/// The x of an arrow's capture time, in the left margin.
pub const TIME_X: f32 = 8.0;

/// A phase's title and caption start this far right of its bracket.
pub const PHASE_TEXT_RIGHT: f32 = 14.0;

/// A gap's mark stands this far beside its lifeline (to the left of the client's, to the right
/// of the server's).
pub const GAP_MARK_BESIDE: f32 = 8.0;
