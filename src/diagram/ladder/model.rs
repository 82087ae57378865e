//! The ladder as the views receive it: plain data (positions, texts, style classes) that the
//! Yew view, the SVG, Mermaid and PlantUML exports and the tests read, and the reader's choices
//! (`LadderOptions`) that shape it.

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};

use super::super::vocab::Word;
use super::text::centre_within_width;
pub use super::model_arrow::{Arrow, ArrowKind, LABEL_LINE};

/// The mark written where segments were not captured.
pub const GAP_TEXT: &str = "⋯ not captured ⋯";

/// The gap mark of a diagram `width` units wide: the compact columns have room for a short one.
pub fn gap_text(width: f32) -> &'static str {
    if width < super::WIDTH {
        "⋯ gap ⋯"
    } else {
        GAP_TEXT
    }
}

/// Choices the reader makes in the view.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct LadderOptions {
    /// Show raw sequence numbers instead of relative ones.
    pub absolute: bool,
    /// Place rows by capture time (shows delays and RTT) instead of evenly.
    pub by_time: bool,
    /// Show every segment: no run of plain data and ACKs is collapsed.
    pub expand_all: bool,
    /// Collapsed runs the reader opened, by [`Group::id`].
    pub expanded: BTreeSet<usize>,
    /// "As the endpoints saw it": each arrow leaves its sender at the estimated send time and
    /// reaches the receiver at the estimated arrival, crossing the capture point's line at its
    /// capture time (slanted by the real delays). Every segment is shown.
    #[serde(default)]
    pub timing: bool,
    /// Only the arrows within these diagram y-units are made (a view of a long connection
    /// asks for the part near its scroll position); `None`: all.
    #[serde(default)]
    pub window: Option<(u32, u32)>,
    /// Names the reader gave the endpoints ("browser", "web server"), client then server.
    #[serde(default)]
    pub names: [Option<String>; 2],
    /// Addresses and ports are left out of the diagram and every export (for publishing a
    /// diagram made from a real capture).
    #[serde(default)]
    pub hide_addresses: bool,
    /// The compact columns of a phone's pane (#24): no time or phase column, lanes closer, a
    /// long label on two lines, so the whole width is drawn at full text size. The page sets
    /// it from the window's width (never in a link); the timing view keeps its full width.
    #[serde(default)]
    pub compact: bool,
    /// The application's messages are left off the arrows (their TCP numbers only).
    #[serde(default)]
    pub hide_messages: bool,
    /// The application's data is hidden: messages are said by their type and size only, and
    /// the page hides the payload's bytes (the segment's hex, Follow stream).
    #[serde(default)]
    pub hide_app_data: bool,
}

impl LadderOptions {
    /// How an endpoint is named: the reader's name and/or its address, as the options say.
    pub fn endpoint_name(&self, client: bool, address: &str) -> String {
        let given = self.names[usize::from(!client)].as_deref().map(str::trim).filter(|n| !n.is_empty());
        match (given, self.hide_addresses) {
            (Some(name), true) => name.to_string(),
            (Some(name), false) => format!("{name} ({address})"),
            (None, true) => if client { "client" } else { "server" }.to_string(),
            (None, false) => address.to_string(),
        }
    }
}

/// A run of plain data/ACK segments shown as one summary row until the reader expands it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Group {
    /// Index (in the connection) of the first segment it hides; stable across layouts.
    pub id: usize,
    pub first_frame: u64,
    pub last_frame: u64,
    pub segments: usize,
    pub bytes_c2s: u64,
    pub bytes_s2c: u64,
    pub y: f32,
    /// Where the run's box ends: one row below `y`, or, in the view by capture time, as far
    /// down as the run lasted (a run of 0.4 s is as tall as 0.4 s is on the time axis).
    #[serde(default)]
    pub y_end: f32,
    pub text: String,
}

impl Group {
    /// The height of the run's box (from 14 units above `y`) in a diagram `width` wide.
    pub fn height(&self, width: f32) -> f32 {
        (self.y_end - self.y).max(0.0) + 26.0 + LABEL_LINE * (self.text_lines(width).len() - 1) as f32
    }

    /// The summary's lines and their baselines in a diagram `width` wide: one line, or in the
    /// compact columns two (what and where, then the bytes), each centred on the diagram.
    pub fn text_lines(&self, width: f32) -> Vec<(&str, f32)> {
        match self.text.split_once(": ").filter(|_| width < super::WIDTH) {
            // (The first line keeps its ": " so the two lines read as the run's accessible name.)
            Some((what, bytes)) => vec![(&self.text[..what.len() + 2], self.y + 3.0), (bytes, self.y + 3.0 + LABEL_LINE)],
            None => vec![(self.text.as_str(), self.y + 3.0)],
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Lifeline {
    pub x: f32,
    #[serde(deserialize_with = "crate::diagram::vocab::word")]
    pub role: Word,
    pub name: String,
    /// Where the name is centred: over the lifeline, moved in if a long name (an IPv6
    /// address and port) would run off the diagram's edge.
    #[serde(default)]
    pub name_x: f32,
}

impl Lifeline {
    /// Its name, centred over `x` within a diagram `width` wide; in the compact columns a name
    /// longer than the room between the lifelines is cut in its middle (the two stay apart).
    pub(super) fn new(x: f32, role: Word, name: String, width: f32, between: f32) -> Self {
        let name = if width < super::WIDTH { super::text::fit_name(&name, between - 10.0) } else { name };
        let name_x = centre_within_width(&name, 12.0, x, width);
        Lifeline { x, role, name, name_x }
    }
}

/// A bracket beside the arrows naming a phase of the connection.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Phase {
    /// `handshake`, `data`, `four_way`, `three_segment`, … (the JSON identifiers).
    #[serde(deserialize_with = "crate::diagram::vocab::word")]
    pub kind: Word,
    pub title: String,
    pub caption: String,
    pub first_frame: u64,
    pub last_frame: u64,
    pub x: f32,
    /// How much further right than usual its text is written (the data transfer's, when the
    /// application's phases are bracketed inside it: their brackets stand left of all text).
    #[serde(default)]
    pub text_inset: f32,
    pub y1: f32,
    pub y2: f32,
    /// Where the title is written (below the previous phase's caption if that runs long).
    pub text_y: f32,
    /// The title wrapped to the bracket's column (bold, so fewer characters per line).
    #[serde(default)]
    pub title_lines: Vec<String>,
    /// The caption wrapped to the bracket's column.
    pub caption_lines: Vec<String>,
}

impl Phase {
    /// Where its title and caption start.
    pub fn text_x(&self) -> f32 {
        self.x + crate::draw::offsets::PHASE_TEXT_RIGHT + self.text_inset
    }

    /// Baseline of title line `i`.
    pub fn title_y(&self, i: usize) -> f32 {
        self.text_y + 15.0 * i as f32
    }

    /// Baseline of caption line `i` (below the title's last line).
    pub fn caption_y(&self, i: usize) -> f32 {
        self.title_y(self.title_lines.len().max(1) - 1) + 16.0 + 13.0 * i as f32
    }

    /// Where the phase's texts end.
    pub fn text_bottom(&self) -> f32 {
        self.caption_y(self.caption_lines.len())
    }
}

/// A message brought by more than one segment (`message_brackets.rs`): a bracket beside its
/// sender's lifeline from the tail of the segment that brings its first byte to the tail of
/// the one that brings its last.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MessageBracket {
    pub from_client: bool,
    pub first_frame: u64,
    pub last_frame: u64,
    pub x: f32,
    /// Its ends' length, toward the lifeline (negative: to the left).
    pub end: f32,
    pub y1: f32,
    pub y2: f32,
    /// The message's words, size and frames (the tooltip).
    pub title: String,
}

impl MessageBracket {
    /// The bracket as an SVG path.
    pub fn path(&self) -> String {
        format!("M {} {} h {} V {} h {}", self.x + self.end, self.y1, -self.end, self.y2, self.end)
    }
}

/// A loss-recovery episode's bracket (issue #23), left of the phase brackets; its caption in
/// the phase column, below any phase's text.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EpisodeBracket {
    pub from_client: bool,
    /// `loss`, `spurious` or `reordering`.
    #[serde(deserialize_with = "crate::diagram::vocab::word")]
    pub kind: Word,
    pub caption: String,
    pub first_frame: u64,
    pub last_frame: u64,
    pub x: f32,
    pub y1: f32,
    pub y2: f32,
    /// Where its caption starts (the phase texts' column).
    pub text_x: f32,
    pub text_y: f32,
    pub caption_lines: Vec<String>,
}

impl EpisodeBracket {
    /// Baseline of caption line `i`.
    pub fn caption_y(&self, i: usize) -> f32 {
        self.text_y + 13.0 * i as f32
    }
}

/// A stretch of the congestion band: one run of rounds of one phase of the main sender, its
/// rows, and its words (estimated from the capture).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CongestionBand {
    pub from_client: bool,
    /// `slow_start`, `congestion_avoidance`, `loss_recovery`, `reduction`,
    /// `ecn_reduction`, `ecn_echo`, `restart_after_timeout`, `receiver_limited`, `application_limited`, `flight_grew`, `held_back`, `first_seen`, `one_segment`, `only_resent`.
    #[serde(deserialize_with = "crate::diagram::vocab::word")]
    pub phase: Word,
    pub first_frame: u64,
    pub last_frame: u64,
    pub x: f32,
    pub y1: f32,
    pub y2: f32,
    /// The whole sentence (the tooltip) and what fits along the band (may be shorter or empty).
    pub label: String,
    pub shown: String,
}

/// A state an endpoint enters, written on its lifeline.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StateLabel {
    pub client: bool,
    /// RFC name with hyphens (`FIN-WAIT-1`).
    #[serde(deserialize_with = "crate::diagram::vocab::word")]
    pub state: Word,
    pub frame: u64,
    /// The segment that caused it.
    pub cause: u64,
    /// The capture cannot decide it (drawn in italics with a question mark).
    pub inferred: bool,
    /// Why the capture says so (the label's tooltip).
    pub why: String,
    pub x: f32,
    pub y: f32,
    /// Text runs leftwards (client side) or rightwards (server side).
    pub anchor_end: bool,
}

impl StateLabel {
    /// The text drawn: the state's name, with a question mark when the capture cannot decide it.
    pub fn display(&self) -> String {
        if self.inferred {
            format!("{}?", self.state)
        } else {
            self.state.to_string()
        }
    }
}

/// A mark on the sender's lifeline where segments were not captured.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Gap {
    pub frame: u64,
    pub x: f32,
    pub y: f32,
}

/// A time-ruler tick (time mode).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Tick {
    pub y: f32,
    pub label: String,
    /// Where its text starts: the time column (`TICK_X`), or between the lanes for the idle
    /// marks of the compact columns, which have no time column.
    pub x: f32,
}

impl Ladder {
    /// The height the page draws: without the room kept under the ladder for the time line,
    /// which only the exports write (the page draws its own bar above).
    pub fn screen_height(&self) -> f32 {
        self.height - self.time_line.as_deref().map_or(0.0, |l| time_line_room(l, self.width))
    }

    /// The rows of frames `first..=last` (units, top and bottom): their arrows with their
    /// labels and tags, the collapsed runs among them, the states they caused; `None` when the
    /// connection has none of those frames.
    pub fn frames_span(&self, first: u64, last: u64) -> Option<(f32, f32)> {
        let within = |f: u64| (first..=last).contains(&f);
        let arrows = self.arrows.iter().filter(|a| within(a.frame)).map(Arrow::extent);
        let groups = self.groups.iter().filter(|g| g.first_frame <= last && g.last_frame >= first).map(|g| (g.y - 14.0, g.y - 14.0 + g.height(self.width)));
        let states = self.states.iter().filter(|s| within(s.frame)).map(|s| (s.y - super::model_arrow::TEXT_ASCENT, s.y + super::model_arrow::TEXT_DESCENT));
        arrows.chain(groups).chain(states).reduce(|(t, b), (t2, b2)| (t.min(t2), b.max(b2)))
    }

    /// `top..bottom` widened to whole rows: an arrow that either edge cuts is taken whole, its
    /// label above it too (#24: the PNG of the rows on screen cut the top row's label).
    pub fn whole_rows(&self, top: f32, bottom: f32) -> (f32, f32) {
        self.arrows
            .iter()
            .map(Arrow::extent)
            .filter(|&(t, b)| b >= top && t <= bottom)
            .fold((top, bottom), |(t, b), (t2, b2)| (t.min(t2), b.max(b2)))
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Ladder {
    pub width: f32,
    pub height: f32,
    pub title: String,
    pub client: Lifeline,
    pub server: Lifeline,
    pub arrows: Vec<Arrow>,
    /// Collapsed runs, in order; each takes one row.
    pub groups: Vec<Group>,
    pub phases: Vec<Phase>,
    /// Loss-recovery episodes.
    #[serde(default)]
    pub episodes: Vec<EpisodeBracket>,
    /// The application's messages over more than one segment.
    #[serde(default)]
    pub message_brackets: Vec<MessageBracket>,
    /// The congestion band beside the rows (estimated; `congestion_band.rs`).
    #[serde(default)]
    pub congestion_bands: Vec<CongestionBand>,
    pub states: Vec<StateLabel>,
    pub gaps: Vec<Gap>,
    pub ticks: Vec<Tick>,
    /// The timing view's capture-point line.
    pub capture: Option<CaptureLine>,
    /// The largest distance between an arrow's `yc` and either end (for finding the arrows
    /// of a y-range).
    pub max_slant: f32,
    /// The window the arrows were made for, if any.
    pub window: Option<(u32, u32)>,
    /// "Where the time went, …": one line of text under the ladder in the exports (the page
    /// draws its own bar). Kept in the last [`time_line_room`] of the height, wrapped.
    #[serde(default)]
    pub time_line: Option<String>,
    /// The same split as the page's bar above the ladder (`diagram/time_bar.rs`).
    #[serde(default)]
    pub time_bar: Option<crate::diagram::TimeBar>,
    /// What the left margin's columns are (timing view), one text line each.
    #[serde(default)]
    pub headings: Vec<Heading>,
}

/// One line of a column's heading, left-aligned at `x`, with its whole meaning as tooltip.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Heading {
    pub x: f32,
    pub y: f32,
    pub text: String,
    pub title: String,
}

/// Characters of [`Ladder::time_line`] per line in the exports (12 px monospace within the
/// diagram's width): a longer sentence wraps instead of running off the right edge.
pub const TIME_LINE_CHARS: usize = 124;

/// The time line's lines as the exports write them, in a diagram `width` units wide (124
/// characters in the full width, fewer in the compact one).
pub fn time_line_lines(line: &str, width: f32) -> Vec<String> {
    let chars = (TIME_LINE_CHARS as f32 * width / super::WIDTH).floor().max(20.0) as usize;
    crate::diagram::wrap::wrap_text(line, chars.min(TIME_LINE_CHARS))
}

/// Height added under the ladder for [`Ladder::time_line`]: 16 units a line, and 8 more.
pub fn time_line_room(line: &str, width: f32) -> f32 {
    8.0 + 16.0 * time_line_lines(line, width).len() as f32
}

/// The capture point drawn between the lifelines (timing view).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CaptureLine {
    pub x: f32,
    /// `client`, `server`, `between`, or `unknown`.
    #[serde(deserialize_with = "crate::diagram::vocab::word")]
    pub near: Word,
    /// "capture point: near the client (one way: client 0.01 ms, server 25.3 ms)".
    pub label: String,
    /// Where the label is centred: over the line, moved in so it stays within the diagram.
    #[serde(default)]
    pub label_x: f32,
    pub label_y: f32,
    /// One sentence saying what the dashed line is, written left-aligned at `explain_y`.
    #[serde(default)]
    pub explain: String,
    #[serde(default)]
    pub explain_y: f32,
}
