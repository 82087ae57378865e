//! Geometry of the ladder: two lifelines, one arrow per segment, time flowing down; phase
//! brackets on the right, each endpoint's TCP state on its lifeline, analysis tags on arrows.
//!
//! In rooms: `model` holds the data a view draws (`Ladder` and its parts), `layout` makes it
//! for one connection, `seg` is what the layout keeps of each segment, `rows` places the rows
//! of the even view and the view by capture time and collapses long runs, `timing` is the
//! timing view's geometry, `ticks` its rulers, `text` the room texts take and the hover text.
//! The measures below are shared by all of them.

mod episodes;
mod congestion_band;
mod geometry;
mod app_phases;
mod label_breaks;
mod message_brackets;
mod layout;
mod model;
mod model_arrow;
mod rows;
mod seg;
mod summary;
mod text;
mod ticks;
mod timing;
mod timing_header;
mod timing_labels;
mod resent;

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests;
#[cfg(all(test, not(target_arch = "wasm32")))]
mod timing_tests;

pub use layout::{layout, layout_with_messages};
pub use model::{gap_text, time_line_lines, Arrow, ArrowKind, CaptureLine, CongestionBand, EpisodeBracket, Gap, Group, Ladder, LadderOptions, Lifeline, MessageBracket, Phase, StateLabel, Tick, GAP_TEXT};

// The diagram is as narrow as its texts allow, so that on a laptop beside the connection list
// and the segment panel it is drawn at full size (11 px text at least) and needs no shrinking:
// times and states left of the client, the longest labels between the lifelines, states right
// of the server, then the phase column.
pub const WIDTH: f32 = 930.0;
pub const CLIENT_X: f32 = 160.0;
pub const SERVER_X: f32 = 560.0;
const PHASE_X: f32 = 690.0;
/// How far the application's phases (an HTTP exchange, TLS's handshake) sit inside the data
/// transfer's bracket.
const APP_PHASE_INSET: f32 = 12.0;

/// The drawing's columns. The full ones above; on a phone (#24) the compact ones: no time
/// column on the left nor phase column on the right (the phases and episodes are listed below
/// the diagram), the lanes 156 apart (a long label goes on two lines), the states beside them —
/// 348 wide, a 390 px phone's pane, so "fit" draws it whole with 11 px text.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Columns {
    pub width: f32,
    pub client_x: f32,
    pub server_x: f32,
    /// The time column and the phase column are drawn.
    pub side_columns: bool,
}

impl Columns {
    pub const FULL: Columns = Columns { width: WIDTH, client_x: CLIENT_X, server_x: SERVER_X, side_columns: true };
    pub const COMPACT: Columns = Columns { width: 348.0, client_x: 96.0, server_x: 252.0, side_columns: false };

    /// The timing view keeps the full columns (its arrows' slants are its point).
    pub fn of(options: &LadderOptions) -> Columns {
        if options.compact && !options.timing {
            Columns::COMPACT
        } else {
            Columns::FULL
        }
    }
}
const PHASE_COLUMN_CHARS: usize = 32;
const PHASE_TITLE_CHARS: usize = 29;
const TOP: f32 = 86.0;
const ROW: f32 = 46.0;
const SLOPE: f32 = 22.0;
/// Extra room below a row whose arrow carries analysis tags, and above one with a gap mark.
const TAG_ROOM: f32 = 16.0;
const GAP_ROOM: f32 = 14.0;
/// Time-ruler labels sit right of the per-arrow capture times.
pub const TICK_X: f32 = 70.0;
const BOTTOM: f32 = 60.0;
