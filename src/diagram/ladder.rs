//! Geometry of the ladder: two lifelines, one arrow per segment, time flowing down; phase
//! brackets on the right, each endpoint's TCP state on its lifeline, analysis tags on arrows.

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};

use crate::session::Session;
use crate::tcp::analysis::AnalysisFlags;
use crate::tcp::lifecycle::{endpoint_states, EndpointStates, OpenShape, TcpState, Wire};
use crate::tcp::{byte_counts, capture_point, TcpPacket, Timed};

use super::vocab::Word;
use super::explain::{close_caption, close_title, data_caption, explain_segment, open_caption, open_title, state_reason, CaptionFacts, SegmentContext};

/// What the segment at `index` of connection `stream` does, in words. Computed on demand (for
/// the selected arrow), not for every arrow of a long connection.
pub fn explain(session: &Session, stream: u32, index: usize) -> Option<String> {
    explain_with(session, stream, index, &session.endpoint_states(stream)?)
}

/// The same, with the connection's endpoint states already replayed (the lesson has them).
pub fn explain_with(session: &Session, stream: u32, index: usize, states: &EndpointStates) -> Option<String> {
    let packet = session.stream_packet(stream, index)?;
    let cx = segment_context(session, stream, &packet, states);
    Some(explain_segment(&packet, &cx))
}

/// What the rest of the connection says about one of its segments.
fn segment_context(session: &Session, stream: u32, p: &TcpPacket, states: &EndpointStates) -> SegmentContext {
    let f = p.segment.flags;
    let before: Vec<TcpPacket> = session.stream_packets(stream).take_while(|q| q.frame < p.frame).collect();
    let peer_fin = before.iter().find(|q| q.from_client != p.from_client && q.segment.flags.fin());
    let peer_fin_end = peer_fin.map(|q| Wire::of(q).end());
    let covers = |q: &TcpPacket| q.segment.flags.ack() && peer_fin_end.is_some_and(|end| crate::tcp::seq::ge(q.segment.ack, end));
    // This FIN is the first segment of its side to acknowledge the peer's FIN: ACK and FIN merged.
    let acks_peer_fin = f.fin() && covers(p) && !before.iter().any(|q| q.from_client == p.from_client && covers(q));
    let passive_fin = f.fin() && states.side(p.from_client).iter().any(|c| c.state == TcpState::LastAck && c.cause == p.frame);
    // A FIN sent while the peer's earlier-captured FIN was still on its way (it sends FIN-WAIT-1).
    let crosses_peer_fin = peer_fin
        .filter(|_| f.fin() && !covers(p) && states.side(p.from_client).iter().any(|c| c.state == TcpState::FinWait1 && c.cause == p.frame))
        .map(|q| q.frame);
    let peer_window_zero = before.iter().rev().find(|q| q.from_client != p.from_client).is_some_and(|q| q.window == 0 && !q.segment.flags.syn());
    let since_first_copy_ns = if p.analysis.flags.has(AnalysisFlags::ANY_RETRANSMISSION) {
        // The latest earlier copy: a retransmission timer restarts at every send.
        before
            .iter()
            .rev()
            .find(|q| {
                let overlaps = q.seq == p.seq || (q.segment.payload_len > 0 && crate::tcp::seq::le(q.seq, p.seq) && crate::tcp::seq::lt(p.seq, q.next_seq()));
                q.from_client == p.from_client && overlaps && !(q.segment.flags.syn() && !q.segment.flags.ack() && f.syn() && f.ack())
            })
            .map(|q| p.time_ns.saturating_sub(q.time_ns))
    } else {
        None
    };
    let peer_syn = before.iter().find(|q| q.from_client != p.from_client && q.segment.flags.syn() && !q.segment.flags.ack()).filter(|_| f.syn() && f.ack());
    let peer_syn_data = peer_syn.map_or(0, |q| q.segment.payload_len);
    let peer_syn_ecn = peer_syn.is_some_and(|q| q.segment.flags.has(crate::decode::TcpFlags::ECE) && q.segment.flags.has(crate::decode::TcpFlags::CWR));
    let ignored = states.ignored_at(p.frame).map(|i| i.reason).collect();
    SegmentContext { acks_peer_fin, passive_fin, crosses_peer_fin, peer_window_zero, since_first_copy_ns, peer_syn_data, peer_syn_ecn, ignored }
}

use super::label::{analysis_tags, segment_label, spoken_label};
use super::text_box::{Anchor, Placed, TextBox};
use super::wrap::wrap_text;

/// The mark written where segments were not captured.
pub const GAP_TEXT: &str = "⋯ not captured ⋯";

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
    /// The height of the run's box (from 14 units above `y`).
    pub fn height(&self) -> f32 {
        (self.y_end - self.y).max(0.0) + 26.0
    }
}

/// Runs longer than this collapse; the first and last few segments of a run stay visible.
const RUN_MIN: usize = 16;
const RUN_KEEP: usize = 3;

/// What an arrow mainly is; the view maps it to a colour *and* a dash pattern so that it does
/// not rely on colour alone.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ArrowKind {
    Syn,
    Fin,
    Rst,
    Data,
    Ack,
}

impl ArrowKind {
    pub const ALL: [ArrowKind; 5] = [ArrowKind::Syn, ArrowKind::Fin, ArrowKind::Rst, ArrowKind::Data, ArrowKind::Ack];

    fn of(p: &TcpPacket) -> Self {
        let f = p.segment.flags;
        if f.rst() {
            ArrowKind::Rst
        } else if f.syn() {
            ArrowKind::Syn
        } else if f.fin() {
            ArrowKind::Fin
        } else if p.segment.payload_len > 0 {
            ArrowKind::Data
        } else {
            ArrowKind::Ack
        }
    }

    /// CSS class of the arrow.
    pub fn class(self) -> &'static str {
        match self {
            ArrowKind::Syn => "seg-syn",
            ArrowKind::Fin => "seg-fin",
            ArrowKind::Rst => "seg-rst",
            ArrowKind::Data => "seg-data",
            ArrowKind::Ack => "seg-ack",
        }
    }

    /// Legend text.
    pub fn legend(self) -> &'static str {
        match self {
            ArrowKind::Syn => "SYN / SYN-ACK",
            ArrowKind::Fin => "FIN (dashed)",
            ArrowKind::Rst => "RST (dotted)",
            ArrowKind::Data => "data (thick)",
            ArrowKind::Ack => "ACK only (thin)",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Lifeline {
    pub x: f32,
    #[serde(deserialize_with = "super::vocab::word")]
    pub role: Word,
    pub name: String,
    /// Where the name is centred: over the lifeline, moved in if a long name (an IPv6
    /// address and port) would run off the diagram's edge.
    #[serde(default)]
    pub name_x: f32,
}

impl Lifeline {
    fn new(x: f32, role: Word, name: String) -> Self {
        let name_x = centre_within_width(&name, 12.0, x);
        Lifeline { x, role, name, name_x }
    }
}

/// Where to centre `text` (of font `size`) so that it stands over `x` but never runs off the
/// diagram's sides.
fn centre_within_width(text: &str, size: f32, x: f32) -> f32 {
    let half = TextBox::new(text, 0.0, 0.0, size, Anchor::Start).x1 / 2.0 + 4.0;
    x.clamp(half, (WIDTH - half).max(half))
}

/// A Wireshark analysis finding shown on an arrow: an identifier and its text.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Tag {
    /// Analysis flag name (`retransmission`, `duplicate_ack`, …), also the CSS class suffix.
    #[serde(deserialize_with = "super::vocab::word")]
    pub kind: Word,
    pub text: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Arrow {
    pub frame: u64,
    /// Index of the segment in the connection (0-based).
    pub index: usize,
    pub from_client: bool,
    /// The arrow leaves the sender's lifeline at `y1` and reaches the receiver's at `y2`.
    pub x1: f32,
    pub y1: f32,
    pub x2: f32,
    pub y2: f32,
    /// Where the arrow passes the capture point (its capture time); rises with the frame
    /// number, so views find the arrows of a y-range by bisection.
    pub yc: f32,
    /// The label is drawn (the timing view leaves out labels that would overlap others; the
    /// tooltip still has them).
    pub show_label: bool,
    pub label: String,
    pub label_x: f32,
    pub label_y: f32,
    pub tags: Vec<Tag>,
    /// Where the tags are written: below the arrow's head in the even view, under the label
    /// in the timing view.
    pub tag_y: f32,
    /// Hover text: frame, options (MSS, window scale, SACK, timestamps) and analysis in words.
    pub detail: String,
    /// What a screen reader announces for the arrow: "frame 8, server to client, FIN ACK, …".
    #[serde(default)]
    pub spoken: String,
    /// Seconds since the first frame of the file.
    pub time: String,
    /// The time is written beside the arrow (the timing view leaves out times that would
    /// overlap others).
    pub show_time: bool,
    pub kind: ArrowKind,
}

impl Arrow {
    /// "[Retransmission] [Dup ACK 5#1]", or nothing.
    pub fn tag_text(&self) -> Option<String> {
        (!self.tags.is_empty()).then(|| format!("[{}]", self.tags.iter().map(|t| t.text.as_str()).collect::<Vec<_>>().join("] [")))
    }

}

/// A bracket beside the arrows naming a phase of the connection.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Phase {
    /// `handshake`, `data`, `four_way`, `three_segment`, … (the JSON identifiers).
    #[serde(deserialize_with = "super::vocab::word")]
    pub kind: Word,
    pub title: String,
    pub caption: String,
    pub first_frame: u64,
    pub last_frame: u64,
    pub x: f32,
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

/// A state an endpoint enters, written on its lifeline.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StateLabel {
    pub client: bool,
    /// RFC name with hyphens (`FIN-WAIT-1`).
    #[serde(deserialize_with = "super::vocab::word")]
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
}

impl Ladder {
    /// Every text the diagram draws, named, with the room it takes (what the views and the
    /// SVG export write, at the sizes their styles give).
    pub fn text_boxes(&self) -> Vec<(String, TextBox)> {
        let mut out = Vec::new();
        let mut add = |name: String, text: &str, x: f32, y: f32, size: f32, anchor: Anchor| out.push((format!("{name} {text:?}"), TextBox::new(text, x, y, size, anchor)));
        for l in [&self.client, &self.server] {
            add("role".into(), l.role, l.x, 22.0, 12.0, Anchor::Middle);
            add("name".into(), &l.name, l.name_x, 40.0, 12.0, Anchor::Middle);
        }
        if let Some(c) = &self.capture {
            add("capture point".into(), &c.label, c.label_x, c.label_y, 11.0, Anchor::Middle);
        }
        for t in &self.ticks {
            add("tick".into(), &t.label, TICK_X, t.y + 4.0, 11.0, Anchor::Start);
        }
        for p in &self.phases {
            for (i, line) in p.title_lines.iter().enumerate() {
                add(format!("phase {} title", p.kind), line, p.x + 14.0, p.title_y(i), 12.0, Anchor::Start);
            }
            for (i, line) in p.caption_lines.iter().enumerate() {
                add(format!("phase {} caption", p.kind), line, p.x + 14.0, p.caption_y(i), 11.0, Anchor::Start);
            }
        }
        for a in &self.arrows {
            if a.show_time {
                add(format!("time of frame {}", a.frame), &a.time, 8.0, a.yc + 4.0, 11.0, Anchor::Start);
            }
            if a.show_label {
                add(format!("label of frame {}", a.frame), &a.label, a.label_x, a.label_y, 12.0, Anchor::Middle);
                if let Some(tags) = a.tag_text() {
                    add(format!("tags of frame {}", a.frame), &tags, a.label_x, a.tag_y, 11.0, Anchor::Middle);
                }
            }
        }
        for g in &self.groups {
            add(format!("run {}", g.first_frame), &g.text, (self.client.x + self.server.x) / 2.0, g.y + 3.0, 11.0, Anchor::Middle);
        }
        for s in &self.states {
            add(format!("state at frame {}", s.frame), &s.display(), s.x, s.y, 11.0, if s.anchor_end { Anchor::End } else { Anchor::Start });
        }
        for g in &self.gaps {
            let left = g.x < (self.client.x + self.server.x) / 2.0;
            add(format!("gap at frame {}", g.frame), GAP_TEXT, if left { g.x - 8.0 } else { g.x + 8.0 }, g.y, 11.0, if left { Anchor::End } else { Anchor::Start });
        }
        out
    }
}

/// The capture point drawn between the lifelines (timing view).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CaptureLine {
    pub x: f32,
    /// `client`, `server`, `between`, or `unknown`.
    #[serde(deserialize_with = "super::vocab::word")]
    pub near: Word,
    /// "capture point: near the client (one way: client 0.01 ms, server 25.3 ms)".
    pub label: String,
    /// Where the label is centred: over the line, moved in so it stays within the diagram.
    #[serde(default)]
    pub label_x: f32,
    pub label_y: f32,
}

// The diagram is as narrow as its texts allow, so that on a laptop beside the connection list
// and the segment panel it is drawn at full size (11 px text at least) and needs no shrinking:
// times and states left of the client, the longest labels between the lifelines, states right
// of the server, then the phase column.
pub const WIDTH: f32 = 930.0;
pub const CLIENT_X: f32 = 160.0;
pub const SERVER_X: f32 = 560.0;
const PHASE_X: f32 = 690.0;
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
/// The timing view's scale: the one-way path spans this many diagram units, within these
/// bounds on the whole height.
const TIMING_PATH_UNITS: f64 = 120.0;
const TIMING_MAX_HEIGHT: f64 = 8_000_000.0;
const BOTTOM: f32 = 60.0;

/// Which segments a collapsed run hides: `Some(group id)` for each hidden segment.
/// What the layout needs of every segment of a connection (32 bytes). Full segments are made
/// only for the arrows drawn, so a connection of millions of segments, nearly all of them in
/// collapsed runs, is laid out without making millions of full segments.
#[derive(Debug, Clone, Copy)]
struct Seg {
    frame: u64,
    time_ns: i64,
    payload_len: u32,
    flags: crate::decode::TcpFlags,
    analysis: AnalysisFlags,
    from_client: bool,
    /// Raw sequence and acknowledgement numbers (for replaying each endpoint's states).
    seq: u32,
    ack: u32,
    /// Wireshark's ACK RTT when it acknowledges a data segment exactly (capture point).
    ack_rtt_ns: Option<i64>,
}

impl Seg {
    fn of(p: &TcpPacket) -> Self {
        Seg {
            frame: p.frame,
            time_ns: p.time_ns,
            payload_len: p.segment.payload_len,
            flags: p.segment.flags,
            analysis: p.analysis.flags,
            from_client: p.from_client,
            seq: p.segment.seq,
            ack: p.segment.ack,
            ack_rtt_ns: (p.analysis.acked_frame > 0).then_some(p.analysis.ack_rtt_ns),
        }
    }

    fn timed(&self) -> Timed {
        Timed { from_client: self.from_client, flags: self.flags, time_ns: self.time_ns, ack_rtt_ns: self.ack_rtt_ns }
    }

    /// Its arrow carries analysis tags.
    fn tagged(&self) -> bool {
        !self.analysis.is_empty()
    }

    fn wire(&self) -> Wire {
        Wire { frame: self.frame, from_client: self.from_client, flags: self.flags, seq: self.seq, ack: self.ack, len: self.payload_len }
    }
}

fn collapsed_runs(packets: &[Seg], data: Option<(u64, u64)>, options: &LadderOptions) -> Vec<Option<usize>> {
    let mut hidden = vec![None; packets.len()];
    let (Some((first, last)), false) = (data, options.expand_all) else { return hidden };
    let plain = |p: &Seg| {
        let f = p.flags;
        p.frame >= first && p.frame <= last && !f.syn() && !f.fin() && !f.rst() && p.analysis.is_empty()
    };
    let mut i = 0;
    while i < packets.len() {
        if !plain(&packets[i]) {
            i += 1;
            continue;
        }
        let start = i;
        while i < packets.len() && plain(&packets[i]) {
            i += 1;
        }
        if i - start >= RUN_MIN {
            let (from, to) = (start + RUN_KEEP, i - RUN_KEEP);
            if !options.expanded.contains(&from) {
                hidden[from..to].iter_mut().for_each(|h| *h = Some(from));
            }
        }
    }
    hidden
}

/// A shown item: a segment, or a collapsed run (its first segment and its last one's time).
type Item = (Seg, Option<i64>);

/// Row positions of the shown items (segments and collapsed runs), with where each item's
/// row ends: evenly spaced, or by capture time, never closer than a row's own text needs (its
/// label above the arrow, tags below it, a gap mark above the label). By capture time a run
/// reaches down to its last segment's time, so the time axis stays true across it.
fn row_positions(items: &[Item], by_time: bool) -> Vec<(f32, f32)> {
    let room_above = |(p, run): &Item| if run.is_none() && p.analysis.has(AnalysisFlags::LOST_SEGMENT) { GAP_ROOM } else { 0.0 };
    let height = |(p, run): &Item| ROW + if run.is_none() && p.tagged() { TAG_ROOM } else { 0.0 };
    let mut rows = Vec::with_capacity(items.len());
    let mut next = TOP;
    // The earliest and latest times (a clock may step back): the time axis spans them.
    let t0 = items.iter().map(|(p, _)| p.time_ns).min().unwrap_or(0);
    let t_last = items.iter().map(|(p, run)| run.unwrap_or(p.time_ns).max(p.time_ns)).max().unwrap_or(t0);
    let span = (i128::from(t_last) - i128::from(t0)).max(1) as f64;
    let scale = ROW as f64 * items.len() as f64 / span;
    let at = |t: i64| TOP + ((i128::from(t) - i128::from(t0)) as f64 * scale) as f32;
    for item in items {
        let mut y = next + room_above(item);
        if by_time {
            y = y.max(at(item.0.time_ns));
        }
        let mut end = y;
        if let (true, Some(last)) = (by_time, item.1) {
            end = end.max(at(last));
        }
        rows.push((y, end));
        next = end + height(item);
    }
    rows
}

/// Where each segment's arrow starts, ends and passes the capture point.
struct Geometry {
    tail: Vec<f32>,
    head: Vec<f32>,
    cross: Vec<f32>,
    /// Timing view: the capture line and the time → y mapping.
    timing: Option<(CaptureLine, TimeAxis)>,
}

/// The timing view's time → y mapping. Idle stretches much longer than the path's round trip
/// are cut short (each cut is marked), so a pause of seconds does not push the rest of the
/// connection off the screen.
struct TimeAxis {
    t0: i64,
    per_ns: f64,
    /// (start, length) of each cut, in capture time, in order.
    cuts: Vec<(i64, i64)>,
}

impl TimeAxis {
    fn y(&self, t: i64) -> f32 {
        // In i128: a damaged capture's times can be far enough apart to overflow i64 sums.
        let cut: i128 = self.cuts.iter().map(|&(start, len)| (i128::from(t) - i128::from(start)).clamp(0, i128::from(len))).sum();
        TOP + ((i128::from(t) - i128::from(self.t0) - cut) as f64 * self.per_ns) as f32
    }

    fn inside_cut(&self, t: i64) -> bool {
        self.cuts.iter().any(|(start, len)| t > *start && t < start + len)
    }
}

impl Geometry {
    fn axis(&self) -> Option<&TimeAxis> {
        self.timing.as_ref().map(|(_, axis)| axis)
    }
}

/// The timing view: estimated send and arrival times from the capture point's delays.
fn timing_geometry(packets: &[Seg]) -> Geometry {
    let point = capture_point(packets.iter().map(Seg::timed));
    let (client_ns, server_ns) = point.map_or((0, 0), |p| ((p.client_ms * 1e6) as i64, (p.server_ms * 1e6) as i64));
    // Saturating: a damaged capture's round trips can be absurd (fuzzing found one).
    let path = client_ns.saturating_add(server_ns);
    // The earliest and latest times, not the first and last segment's: a clock that steps
    // back must not make the span negative (and the diagram unbounded).
    let first = packets.iter().map(|p| p.time_ns).min().unwrap_or(0);
    let last = packets.iter().map(|p| p.time_ns).max().unwrap_or(0);
    // Keep at least four one-way paths of every pause (both arrow ends stay out of the cut).
    let keep = path.saturating_mul(4).max(last.saturating_sub(first) / 50).max(1);
    let mut cuts = Vec::new();
    for w in packets.windows(2) {
        let gap = w[1].time_ns.saturating_sub(w[0].time_ns);
        if gap > keep.saturating_mul(2) {
            cuts.push((w[0].time_ns.saturating_add(keep), gap - 2 * keep));
        }
    }
    let shown = (i128::from(last) - i128::from(first) - cuts.iter().map(|c| i128::from(c.1)).sum::<i128>() + i128::from(path)) as f64;
    let cap = TIMING_MAX_HEIGHT.min((60.0 * packets.len() as f64).max(2000.0));
    let mut per_ns = if path > 0 { TIMING_PATH_UNITS / path as f64 } else { f64::INFINITY };
    if shown > 0.0 {
        per_ns = per_ns.min(cap / shown);
    }
    if !per_ns.is_finite() {
        per_ns = 1.0;
    }
    let axis = TimeAxis { t0: first.saturating_sub(client_ns.max(server_ns)), per_ns, cuts };
    let delays = |p: &Seg| if p.from_client { (client_ns, server_ns) } else { (server_ns, client_ns) };
    let tail = packets.iter().map(|p| axis.y(p.time_ns.saturating_sub(delays(p).0))).collect();
    let head = packets.iter().map(|p| axis.y(p.time_ns.saturating_add(delays(p).1))).collect();
    let cross = packets.iter().map(|p| axis.y(p.time_ns)).collect();
    let fraction = point.map_or(0.5, |p| p.fraction()) as f32;
    let x = CLIENT_X + fraction * (SERVER_X - CLIENT_X);
    let label = match point {
        Some(p) => format!("capture point: {}", p.describe()),
        None => "capture point: unknown (no round trip on one side); drawn without delays".to_string(),
    };
    let label_x = centre_within_width(&label, 11.0, x);
    let line = CaptureLine { x, near: point.map_or("unknown", |p| p.near.id()), label, label_x, label_y: 66.0 };
    Geometry { tail, head, cross, timing: Some((line, axis)) }
}

/// Lays out the connection `stream` of `session`. Returns `None` for an unknown stream.
pub fn layout(session: &Session, stream: u32, options: &LadderOptions) -> Option<Ladder> {
    let s = session.streams().get(stream as usize)?;
    // Exactly as many as the connection has: collecting a filtered iterator doubles the
    // vector as it grows, and the wasm heap keeps its peak (1.5–2× this, millions of segments).
    let mut segs: Vec<Seg> = Vec::with_capacity(session.stream_index_len(stream));
    segs.extend(session.stream_packets(stream).map(|p| Seg::of(&p)));
    let packets = &segs;
    // A connection's frames rise, so a frame is found by bisection (no map of millions).
    let index_of = |frame: u64| packets.binary_search_by_key(&frame, |p| p.frame).ok();
    let lifecycle = &s.lifecycle;
    let shapes = lifecycle.shapes();
    // Data transfer: everything between the open and the close (none if it never opened).
    let never_opened = matches!(shapes.open, OpenShape::Refused | OpenShape::Unanswered);
    let data_span = {
        let first = packets.iter().find(|p| shapes.open_frames.is_none_or(|(_, end)| p.frame > end));
        let last = packets.iter().rev().find(|p| shapes.close_frames.is_none_or(|(start, _)| p.frame < start));
        first.zip(last).map(|(a, b)| (a.frame, b.frame)).filter(|(a, b)| a <= b && !never_opened)
    };
    // The timing view shows every segment: the window in flight is what it is for.
    let collapse_options = LadderOptions { expand_all: options.expand_all || options.timing, ..options.clone() };
    let hidden = collapsed_runs(packets, data_span, &collapse_options);
    // Each endpoint's states from the evidence; a SYN, FIN or RST received only after its
    // receiver sent a later segment is drawn crossing that segment.
    let wires: Vec<Wire> = packets.iter().map(Seg::wire).collect();
    let evidence = endpoint_states(&wires, shapes.open == OpenShape::BeforeCapture);

    // Where each collapsed run's row ends, by its first segment's index.
    let mut run_ends: Vec<(usize, f32)> = Vec::new();
    let mut geometry = if options.timing {
        timing_geometry(packets)
    } else {
        // One row per shown item: a segment, or the first segment of a collapsed run.
        let shown: Vec<Item> = packets
            .iter()
            .enumerate()
            .filter(|(i, _)| hidden[*i].is_none_or(|id| id == *i))
            .map(|(i, p)| (*p, hidden[i].map(|id| packets[id..].iter().zip(&hidden[id..]).take_while(|(_, h)| **h == Some(id)).last().map_or(p.time_ns, |(q, _)| q.time_ns))))
            .collect();
        let item_rows = row_positions(&shown, options.by_time);
        let mut rows = Vec::with_capacity(packets.len());
        let mut item = 0usize;
        for (i, h) in hidden.iter().enumerate() {
            if i > 0 && h.is_none_or(|id| id == i) {
                item += 1;
            }
            let (y, end) = item_rows[item];
            // By capture time, a segment inside a collapsed run sits where its time falls in
            // the run's box (the ruler's marks inside the run land there too).
            let y = match (*h, shown[item].1) {
                (Some(id), Some(last)) if options.by_time && id != i && last > packets[id].time_ns => {
                    let f = packets[i].time_ns.saturating_sub(packets[id].time_ns) as f64 / last.saturating_sub(packets[id].time_ns) as f64;
                    y + (end - y) * f.clamp(0.0, 1.0) as f32
                }
                _ => y,
            };
            rows.push(y);
            if *h == Some(i) {
                run_ends.push((i, end));
            }
        }
        let head = rows.iter().map(|y| y + SLOPE).collect();
        Geometry { cross: rows.clone(), tail: rows, head, timing: None }
    };
    if !options.timing {
        // Crossing segments: the head goes below the receiver's own later segment.
        for &(frame, after) in &evidence.late_arrivals {
            if let (Some(i), Some(j)) = (index_of(frame), index_of(after)) {
                geometry.head[i] = geometry.head[i].max(geometry.tail[j] + SLOPE * 0.6);
            }
        }
    }
    let rows = &geometry.tail;

    let mut groups = Vec::new();
    for (i, h) in hidden.iter().enumerate() {
        if *h != Some(i) {
            continue;
        }
        let run: Vec<&Seg> = packets[i..].iter().zip(&hidden[i..]).take_while(|(_, h)| **h == Some(i)).map(|(p, _)| p).collect();
        let c2s: u64 = run.iter().filter(|p| p.from_client).map(|p| u64::from(p.payload_len)).sum();
        let s2c: u64 = run.iter().filter(|p| !p.from_client).map(|p| u64::from(p.payload_len)).sum();
        let (first_frame, last_frame) = (run[0].frame, run[run.len() - 1].frame);
        let lasted = crate::timefmt::human_duration(run[run.len() - 1].time_ns.saturating_sub(run[0].time_ns));
        let y_end = run_ends.iter().find(|(id, _)| *id == i).map_or(rows[i], |(_, end)| *end);
        groups.push(Group {
            id: i,
            first_frame,
            last_frame,
            segments: run.len(),
            bytes_c2s: c2s,
            bytes_s2c: s2c,
            y: rows[i],
            y_end,
            text: format!("⋯ {} segments in {lasted}, frames {first_frame}–{last_frame}: {c2s} bytes →, {s2c} bytes ←", run.len()),
        });
    }

    let in_window = |i: usize| {
        options.window.is_none_or(|(lo, hi)| {
            let (a, b) = (geometry.tail[i].min(geometry.head[i]), geometry.tail[i].max(geometry.head[i]));
            b >= lo as f32 && a <= hi as f32
        })
    };
    // Texts already placed: labels and tags between the lifelines, and each lifeline's outer
    // side (states, gap marks; on the left also the capture times and the ruler). States are
    // placed first and never left out; gap marks next; times and ruler marks only where free.
    let (mut middle, mut sides) = (Placed::default(), [Placed::default(), Placed::default()]);
    // A run's summary is wide: where it reaches over the left side, nothing else goes.
    for g in &groups {
        let b = TextBox::new(&g.text, (CLIENT_X + SERVER_X) / 2.0, g.y + 3.0, 11.0, Anchor::Middle);
        if b.x0 < CLIENT_X {
            sides[0].take(b);
        }
    }
    let mut states: Vec<StateLabel> = Vec::new();
    for client in [true, false] {
        let column = &mut sides[usize::from(!client)];
        for change in evidence.side(client) {
            let (Some(i), Some(at)) = (index_of(change.cause), index_of(change.frame)) else { continue };
            // At the tail of the arrow this side sent; else where the cause arrives (after the
            // side's own segment `frame` when it arrived later than that). Never over another
            // state of the same side.
            let y = if change.state == TcpState::Listen {
                geometry.tail[i] - 2.0
            } else if change.by_sending() {
                geometry.tail[i] + 13.0
            } else {
                // After the side's own later segment: just below its tail (the timing view's
                // geometry already has the arrival in time order).
                let after_own = match (at == i, options.timing) {
                    (true, _) => f32::MIN,
                    (false, true) => geometry.tail[at] + 1.0,
                    (false, false) => geometry.tail[at] + SLOPE * 0.6,
                };
                geometry.head[i].max(after_own) + 13.0
            };
            let x = if client { CLIENT_X - 8.0 } else { SERVER_X + 8.0 };
            let label = if change.inferred() { format!("{}?", change.state.rfc_name()) } else { change.state.rfc_name().to_string() };
            let y = y + column.push_down(TextBox::new(&label, x, y, 11.0, if client { Anchor::End } else { Anchor::Start }));
            states.push(StateLabel {
                client,
                state: change.state.rfc_name(),
                frame: change.frame,
                cause: change.cause,
                inferred: change.inferred(),
                why: state_reason(change, client),
                x,
                y,
                anchor_end: client,
            });
        }
    }

    let mut gaps = Vec::new();
    for i in (0..packets.len()).filter(|i| hidden[*i].is_none() && in_window(*i) && packets[*i].analysis.has(AnalysisFlags::LOST_SEGMENT)) {
        let p = &packets[i];
        let side = usize::from(!p.from_client);
        let x1 = if p.from_client { CLIENT_X } else { SERVER_X };
        let anchor = if p.from_client { Anchor::End } else { Anchor::Start };
        let (x, y) = (if p.from_client { x1 - 8.0 } else { x1 + 8.0 }, geometry.tail[i] - if options.timing { 4.0 } else { 17.0 });
        let moved = sides[side].push_down(TextBox::new(GAP_TEXT, x, y, 11.0, anchor));
        gaps.push(Gap { frame: p.frame, x: x1, y: y + moved });
    }
    let mut max_slant = 0.0f32;
    let arrows: Vec<Arrow> = (0..packets.len())
        .filter(|i| hidden[*i].is_none() && in_window(*i))
        .filter_map(|i| session.stream_packet(stream, i).map(|p| (i, p)))
        .map(|(i, p)| {
            let p = &p;
            let (y1, y2, yc) = (geometry.tail[i], geometry.head[i], geometry.cross[i]);
            max_slant = max_slant.max((yc - y1).abs()).max((y2 - yc).abs());
            let (x1, x2) = if p.from_client { (CLIENT_X, SERVER_X) } else { (SERVER_X, CLIENT_X) };
            let tags = analysis_tags(p);
            let label = segment_label(p, options.absolute);
            let tag_text = (!tags.is_empty()).then(|| format!("[{}]", tags.iter().map(|t| t.text.as_str()).collect::<Vec<_>>().join("] [")));
            // The even view writes the label above the arrow's start and the tags below its
            // head. The timing view writes them above the arrow, at its middle or, where that is
            // taken, a quarter from either end; if none is free the label is left out (the
            // tooltip has it).
            let (label_x, label_y, tag_y, show_label) = if options.timing {
                let spot = [0.5f32, 0.28, 0.72].into_iter().find_map(|f| {
                    let (x, y) = (x1 + (x2 - x1) * f, y1 + (y2 - y1) * f - 6.0);
                    let boxes = [Some(TextBox::new(&label, x, y, 12.0, Anchor::Middle)), tag_text.as_ref().map(|t| TextBox::new(t, x, y + 13.0, 11.0, Anchor::Middle))];
                    // Between the lifelines (beyond them are the states), and free.
                    let between = boxes.iter().flatten().all(|b| b.x0 > CLIENT_X + 4.0 && b.x1 < SERVER_X - 4.0);
                    (between && boxes.iter().flatten().all(|b| middle.free(b))).then(|| {
                        boxes.into_iter().flatten().for_each(|b| middle.take(b));
                        (x, y)
                    })
                });
                match spot {
                    Some((x, y)) => (x, y, y + 13.0, true),
                    None => ((CLIENT_X + SERVER_X) / 2.0, (y1 + y2) / 2.0 - 6.0, (y1 + y2) / 2.0 + 7.0, false),
                }
            } else {
                // Below where the head would be without crossing (a crossing arrow's head reaches
                // into later rows; its row's room is below its own tail).
                ((CLIENT_X + SERVER_X) / 2.0, y1 - 5.0, y1 + SLOPE + 12.0, true)
            };
            let time = format!("{:.6}", p.time_ns as f64 / 1e9);
            let time_box = TextBox::new(&time, 8.0, yc + 4.0, 11.0, Anchor::Start);
            let show_time = sides[0].free(&time_box);
            if show_time {
                sides[0].take(time_box);
            }
            Arrow {
                frame: p.frame,
                index: i,
                from_client: p.from_client,
                x1,
                y1,
                x2,
                y2,
                yc,
                show_label,
                label,
                label_x,
                label_y,
                tag_y,
                detail: hover_detail(p),
                spoken: spoken_label(p, options.absolute, &tags),
                tags,
                time,
                show_time,
                kind: ArrowKind::of(p),
            }
        })
        .collect();

    let mut phases = Vec::new();
    let mut text_bottom = f32::MIN;
    let mut push_phase = |kind: &'static str, title: String, caption: String, a: u64, b: u64| {
        if let (Some(i), Some(j)) = (index_of(a), index_of(b)) {
            let caption_lines = wrap_text(&caption, PHASE_COLUMN_CHARS);
            let title_lines = wrap_text(&title, PHASE_TITLE_CHARS);
            let y1 = geometry.tail[i].min(geometry.head[i]) - 14.0;
            let y2 = geometry.head[j].max(geometry.tail[j]) + 4.0;
            // A long caption pushes the next phase's text down, never over it.
            let text_y = (y1 + 12.0).max(text_bottom + 16.0);
            let phase = Phase { kind, title, caption, first_frame: a, last_frame: b, x: PHASE_X, y1, y2, text_y, title_lines, caption_lines };
            text_bottom = phase.text_bottom();
            phases.push(phase);
        }
    };
    let mut facts = caption_facts(packets, &wires, shapes, data_span);
    facts.reached = [true, false].map(|client| evidence.side(client).iter().map(|c| c.state).collect());
    if let Some((a, b)) = shapes.open_frames {
        push_phase(shapes.open.id(), open_title(shapes.open, shapes.syn_retries, shapes.handshake_completed), open_caption(&facts), a, b);
    }
    if let Some((first, last)) = data_span {
        push_phase("data", "Data transfer".to_string(), data_caption(&facts), first, last);
    }
    if let (Some(close), Some((a, b))) = (shapes.close, shapes.close_frames) {
        push_phase(close.id(), close_title(close).to_string(), close_caption(&facts), a, b);
    }

    let ticks = match geometry.axis() {
        Some(axis) => timing_ticks(packets, axis, &mut sides[0]),
        None if options.by_time => time_ticks(packets, rows, &mut sides[0]),
        None => Vec::new(),
    };
    let bottom = geometry.head.iter().chain(geometry.tail.iter()).fold(TOP, |m, y| m.max(*y));
    let height = [bottom + BOTTOM, text_bottom + 20.0]
        .into_iter()
        .chain(states.iter().map(|s| s.y + 20.0))
        .fold(TOP + BOTTOM, f32::max);
    let capture = geometry.timing.map(|(line, _)| line);
    let (client_name, server_name) = (options.endpoint_name(true, &s.client.to_string()), options.endpoint_name(false, &s.server.to_string()));
    Some(Ladder {
        width: WIDTH,
        height,
        title: format!("TCP connection #{stream}: {client_name} → {server_name}"),
        client: Lifeline::new(CLIENT_X, "client", client_name),
        server: Lifeline::new(SERVER_X, "server", server_name),
        arrows,
        groups,
        phases,
        states,
        gaps,
        ticks,
        capture,
        max_slant,
        window: options.window,
    })
}

/// The timing view's ruler: about eight round capture times, and a mark at each cut pause.
fn timing_ticks(packets: &[Seg], axis: &TimeAxis, column: &mut Placed) -> Vec<Tick> {
    let (Some(first), Some(last)) = (packets.first(), packets.last()) else { return Vec::new() };
    let span = last.time_ns.saturating_sub(first.time_ns) as f64 / 1e9;
    if span <= 0.0 {
        return Vec::new();
    }
    let mut ticks = Vec::new();
    for (start, len) in &axis.cuts {
        let (y, label) = (axis.y(*start), format!("⋯ {:.3} s ⋯", *len as f64 / 1e9));
        let moved = column.push_down(TextBox::new(&label, TICK_X, y + 4.0, 11.0, Anchor::Start));
        ticks.push(Tick { y: y + moved, label });
    }
    let step = round_step(span / 8.0);
    let mut t = 0.0;
    while t <= span + 1e-12 {
        let at = first.time_ns + (t * 1e9) as i64;
        let (y, label) = (axis.y(at), format!("+{:.*} s", decimals(step), t));
        let b = TextBox::new(&label, TICK_X, y + 4.0, 11.0, Anchor::Start);
        if !axis.inside_cut(at) && column.free(&b) {
            column.take(b);
            ticks.push(Tick { y, label });
        }
        t += step;
    }
    ticks.sort_by(|a, b| a.y.total_cmp(&b.y));
    ticks
}

fn round_step(raw: f64) -> f64 {
    let magnitude = 10f64.powf(raw.log10().floor());
    [1.0, 2.0, 5.0, 10.0].iter().map(|m| m * magnitude).find(|s| *s >= raw).unwrap_or(raw)
}

/// The numbers of the captions, from the same computations as `analyze`.
fn caption_facts(packets: &[Seg], wires: &[Wire], shapes: crate::tcp::lifecycle::Shapes, data_span: Option<(u64, u64)>) -> CaptionFacts {
    let syn_times: Vec<i64> = packets.iter().filter(|p| p.from_client && p.flags.syn() && !p.flags.ack()).map(|p| p.time_ns).collect();
    CaptionFacts {
        shapes: Some(shapes),
        bytes: byte_counts(wires),
        syn_gaps_s: syn_times.windows(2).map(|w| (w[1] - w[0]) as f64 / 1e9).collect(),
        data_segments: data_span.map_or(0, |(a, b)| packets.iter().filter(|p| p.frame >= a && p.frame <= b).count()),
        reached: Default::default(),
    }
}

/// The tooltip of an arrow: the label's frame, the segment's options, and analysis notes.
fn hover_detail(p: &TcpPacket) -> String {
    let o = &p.segment.options;
    let mut parts = vec![format!("frame {}, {:.6} s", p.frame, p.time_ns as f64 / 1e9)];
    if let Some(mss) = o.mss {
        parts.push(format!("MSS={mss}"));
    }
    if let Some(ws) = o.window_scale {
        parts.push(format!("WS={ws} (×{})", 1u32 << ws.min(14)));
    }
    if o.sack_permitted {
        parts.push("SACK_PERM".to_string());
    }
    for b in o.sack_blocks() {
        parts.push(format!("SACK {}–{}", b.left, b.right));
    }
    if let Some((val, ecr)) = o.timestamps {
        parts.push(format!("TSval={val} TSecr={ecr}"));
    }
    if p.analysis.ack_rtt_ns > 0 && p.analysis.acked_frame > 0 {
        parts.push(format!("ACKs frame {} after {:.3} ms", p.analysis.acked_frame, p.analysis.ack_rtt_ns as f64 / 1e6));
    }
    if p.analysis.bytes_in_flight > 0 {
        parts.push(format!("{} bytes in flight", p.analysis.bytes_in_flight));
    }
    parts.join(" · ")
}

/// About eight ticks at round intervals of the capture time.
fn time_ticks(packets: &[Seg], rows: &[f32], column: &mut Placed) -> Vec<Tick> {
    let (Some(first), Some(last)) = (packets.first(), packets.last()) else { return Vec::new() };
    let span = last.time_ns.saturating_sub(first.time_ns) as f64 / 1e9;
    if span <= 0.0 {
        return Vec::new();
    }
    let step = round_step(span / 8.0);
    let mut ticks = Vec::new();
    let mut t = 0.0;
    while t <= span + 1e-12 {
        // The row at or after this time gives the y (rows are monotonic in time).
        let target = first.time_ns + (t * 1e9) as i64;
        if let Some(i) = packets.iter().position(|p| p.time_ns >= target) {
            // Only where nothing is written yet (two round times can fall in one row).
            let label = format!("+{:.*} s", decimals(step), t);
            let b = TextBox::new(&label, TICK_X, rows[i] + 4.0, 11.0, Anchor::Start);
            if column.free(&b) {
                column.take(b);
                ticks.push(Tick { y: rows[i], label });
            }
        }
        t += step;
    }
    ticks
}

fn decimals(step: f64) -> usize {
    if step >= 1.0 {
        0
    } else {
        (-step.log10().floor()) as usize
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use crate::session::analyze_bytes;

    fn load(dir: &str, name: &str) -> Session {
        let path = format!("{}/tests/captures/{dir}/{name}", env!("CARGO_MANIFEST_DIR"));
        analyze_bytes(&std::fs::read(path).unwrap()).unwrap()
    }

    #[test]
    fn one_arrow_per_segment_in_capture_order_between_the_lifelines() {
        let session = load("public", "tcpdump_whois.pcap");
        let ladder = layout(&session, 0, &LadderOptions::default()).unwrap();
        assert_eq!(ladder.arrows.len(), 11);
        let frames: Vec<u64> = ladder.arrows.iter().map(|a| a.frame).collect();
        assert_eq!(frames, (1..=11).collect::<Vec<_>>());
        assert_eq!((ladder.arrows[0].x1, ladder.arrows[0].x2), (ladder.client.x, ladder.server.x));
        assert_eq!((ladder.arrows[1].x1, ladder.arrows[1].x2), (ladder.server.x, ladder.client.x));
        assert!(ladder.arrows.windows(2).all(|w| w[0].y1 < w[1].y1), "time flows down");
        assert!(ladder.arrows.iter().all(|a| a.y2 > a.y1 && a.y2 < ladder.height));
        assert_eq!(ladder.arrows[0].kind, ArrowKind::Syn);
        assert!(ladder.client.name.starts_with("10.0.2.15:"), "client named by address:port, got {}", ladder.client.name);
    }

    #[test]
    fn unknown_stream_has_no_layout() {
        assert!(layout(&load("public", "tcpdump_whois.pcap"), 7, &LadderOptions::default()).is_none());
    }

    #[test]
    fn seed_three_segment_close_phases_states_and_explanation() {
        let session = load("real", "seed_close_immediately.pcap");
        let ladder = layout(&session, 0, &LadderOptions::default()).unwrap();
        let phases: Vec<(&str, u64, u64)> = ladder.phases.iter().map(|p| (p.kind, p.first_frame, p.last_frame)).collect();
        assert_eq!(phases, [("handshake", 1, 3), ("data", 4, 7), ("three_segment", 8, 10)]);
        assert_eq!(ladder.phases[2].title, "Three-segment close (ACK+FIN merged)");
        // Brackets enclose their arrows and do not overlap.
        assert!(ladder.phases.windows(2).all(|w| w[0].y2 <= w[1].y1 + 1.0));
        let merged = explain(&session, 0, 8).unwrap();
        assert_eq!(ladder.arrows[8].frame, 9);
        assert!(merged.contains("ack=130") && merged.contains("three segments instead of four"), "{merged}");
        let data_ack = explain(&session, 0, 6).unwrap();
        assert!(data_ack.contains("ack=129") && !data_ack.contains("three segments"), "{data_ack}");
        let server: Vec<(&str, u64)> = ladder.states.iter().filter(|s| !s.client).map(|s| (s.state, s.frame)).collect();
        assert_eq!(server, [("LISTEN", 1), ("SYN-RECEIVED", 2), ("ESTABLISHED", 3), ("FIN-WAIT-1", 8), ("TIME-WAIT", 9)]);
        // Client labels sit left of the client lifeline, server labels right of the server's.
        assert!(ladder.states.iter().all(|s| if s.client { s.x < ladder.client.x } else { s.x > ladder.server.x }));
        let syn = explain(&session, 0, 0).unwrap();
        assert!(syn.contains("seq=1") && syn.contains("one byte"), "{syn}");
    }

    #[test]
    fn seed_four_way_close_phase_and_time_mode() {
        let session = load("real", "seed_close_delayed.pcap");
        let ladder = layout(&session, 0, &LadderOptions { by_time: true, ..Default::default() }).unwrap();
        let close = ladder.phases.last().unwrap();
        assert_eq!((close.kind, close.first_frame, close.last_frame), ("four_way", 8, 11));
        // The server waited half a second before its FIN: in time mode that gap is the largest.
        let gaps: Vec<f32> = ladder.arrows.windows(2).map(|w| w[1].y1 - w[0].y1).collect();
        let widest = gaps.iter().cloned().fold(0.0, f32::max);
        assert_eq!(gaps.iter().position(|g| *g == widest), Some(8), "between frame 9 and frame 10");
        assert!(!ladder.ticks.is_empty());
    }

    /// By capture time, a collapsed run is as tall as it lasted: the time axis is the same
    /// above, across and below it (issue 11: 0.4 s were squeezed into one row).
    #[test]
    fn a_collapsed_run_by_capture_time_spans_its_duration() {
        let session = load("public", "zeek_http_1000-requests-one-dropped-response.pcap.gz");
        let ladder = layout(&session, 0, &LadderOptions { by_time: true, ..Default::default() }).unwrap();
        let g = ladder.groups.iter().max_by_key(|g| g.segments).expect("a collapsed run");
        let packets: Vec<_> = session.stream_packets(0).collect();
        let time = |frame: u64| packets.iter().find(|p| p.frame == frame).unwrap().time_ns as f64 / 1e9;
        // Units per second, from the arrows on either side of the run.
        let before = ladder.arrows.iter().rev().find(|a| a.frame < g.first_frame).unwrap();
        let after = ladder.arrows.iter().find(|a| a.frame > g.last_frame).unwrap();
        let per_s = f64::from(after.y1 - before.y1) / (time(after.frame) - time(before.frame));
        let lasted = time(g.last_frame) - time(g.first_frame);
        assert!(lasted > 0.3, "a long run: {lasted} s");
        let drawn = f64::from(g.y_end - g.y);
        assert!((drawn - lasted * per_s).abs() < 0.1 * lasted * per_s + 2.0 * f64::from(ROW), "{drawn} units for {lasted} s at {per_s} units/s");
        assert!(after.y1 >= g.y_end, "the next arrow is below the run");
        // The ruler marks the seconds inside the run, in order, within its box.
        let inside: Vec<f32> = ladder.ticks.iter().map(|t| t.y).filter(|y| *y > g.y && *y < g.y_end).collect();
        assert!(inside.len() >= 3 && inside.windows(2).all(|w| w[0] < w[1]), "ticks inside the run: {inside:?}");
        assert!(g.text.contains(" s, frames"), "{}", g.text);
    }

    /// Every real-stack capture: the phases the layout brackets are the shapes the analysis found.
    #[test]
    fn phases_name_every_shape_of_the_real_stack_captures() {
        let cases = [
            ("seed_close_immediately.pcap", 0, vec!["handshake", "data", "three_segment"]),
            ("seed_close_delayed.pcap", 0, vec!["handshake", "data", "four_way"]),
            ("refused.pcap", 0, vec!["refused"]),
            ("unanswered.pcap", 1, vec!["unanswered"]),
            ("reset.pcap", 0, vec!["handshake", "data", "reset"]),
            ("half_close.pcap", 0, vec!["handshake", "data", "four_way"]),
            ("simultaneous_open.pcap", 0, vec!["simultaneous_open", "data", "three_segment"]),
        ];
        for (file, stream, expected) in cases {
            let session = load("real", file);
            let ladder = layout(&session, stream, &LadderOptions::default()).unwrap();
            let kinds: Vec<&str> = ladder.phases.iter().map(|p| p.kind).collect();
            assert_eq!(kinds, expected, "{file}");
            assert_eq!(ladder.arrows.len(), session.streams()[stream as usize].packets as usize, "{file}: short connections are not collapsed");
            // Every state change of both endpoints is written on a lifeline.
            let evidence = session.endpoint_states(stream).unwrap();
            let changes = evidence.side(true).len() + evidence.side(false).len();
            assert_eq!(ladder.states.len(), changes, "{file}");
        }
        let unanswered = layout(&load("real", "unanswered.pcap"), 1, &LadderOptions::default()).unwrap();
        assert!(unanswered.phases[0].title.contains("SYN sent"), "{}", unanswered.phases[0].title);
        let syn = &load("real", "seed_close_immediately.pcap");
        let first = &layout(syn, 0, &LadderOptions::default()).unwrap().arrows[0];
        assert!(first.detail.contains("MSS=") && first.detail.contains("SACK_PERM"), "{}", first.detail);
    }

    #[test]
    fn long_runs_collapse_into_one_row_and_expand() {
        let session = load("public", "zeek_http_1000-requests-one-dropped-response.pcap.gz");
        let collapsed = layout(&session, 0, &LadderOptions::default()).unwrap();
        let total = session.streams()[0].packets as usize;
        let hidden: usize = collapsed.groups.iter().map(|g| g.segments).sum();
        assert!(!collapsed.groups.is_empty());
        assert_eq!(collapsed.arrows.len() + hidden, total, "every segment is an arrow or in a group");
        let g = &collapsed.groups[0];
        assert!(g.text.contains(&format!("{} segments", g.segments)));
        // Problem segments and control segments are never hidden.
        assert!(collapsed.arrows.iter().any(|a| !a.tags.is_empty()));
        // Rows stay in time order with groups interleaved.
        assert!(collapsed.arrows.windows(2).all(|w| w[0].y1 < w[1].y1));
        let mut options = LadderOptions::default();
        options.expanded.insert(g.id);
        let opened = layout(&session, 0, &options).unwrap();
        assert_eq!(opened.groups.len(), collapsed.groups.len() - 1);
        assert_eq!(opened.arrows.len(), collapsed.arrows.len() + g.segments);
        let all = layout(&session, 0, &LadderOptions { expand_all: true, ..Default::default() }).unwrap();
        assert_eq!((all.arrows.len(), all.groups.len()), (total, 0));
    }

    #[test]
    fn analysis_tags_and_gap_markers_are_on_the_arrows() {
        let session = load("public", "zeek_tcp_reassembly.pcap");
        let ladder = layout(&session, 0, &LadderOptions::default()).unwrap();
        let frame8 = ladder.arrows.iter().find(|a| a.frame == 8).unwrap();
        let kinds: Vec<&str> = frame8.tags.iter().map(|t| t.kind).collect();
        assert!(kinds.contains(&"fast_retransmission"), "{kinds:?}");
        assert!(ladder.gaps.iter().any(|g| g.frame == 9), "lost segment before frame 9 is marked");
        let dup = ladder.arrows.iter().find(|a| a.tags.iter().any(|t| t.kind == "duplicate_ack")).unwrap();
        assert!(dup.tags.iter().any(|t| t.text.starts_with("Dup ACK")), "{:?}", dup.tags);
    }
}
