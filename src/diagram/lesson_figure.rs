//! RFC 9293's state diagram (figure 5) as boxes and labelled edges for the lesson, the current
//! state and the transition just taken marked. Every edge carries its event over its action in
//! the RFC's own words ("rcv FIN" over "snd ACK"; "x": nothing is done); the UI draws the
//! figure at its own size, so the coordinates here are CSS pixels and the text is 11 px: two
//! figures (client and server) side by side beside the step's text at 1366 × 768.

use serde::{Deserialize, Serialize};

use super::lesson_figure_labels::{label_box, place, Room, FONT};
use super::vocab::Word;
use crate::draw::text_box::TextBox;

pub use super::lesson_figure_labels::LINE as LABEL_LINE;

/// A box of the state-machine figure.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FigureBox {
    #[serde(deserialize_with = "super::vocab::word")]
    pub state: Word,
    pub x: f32,
    pub y: f32,
    pub current: bool,
}

/// An edge of the state-machine figure.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FigureEdge {
    /// Box centres.
    pub from: (f32, f32),
    pub to: (f32, f32),
    /// The line to draw: from the first box's border to the second's, shifted sideways by
    /// `offset` so that an edge and its reverse (SYN-RECEIVED ⇄ LISTEN) are two lines.
    pub line: [f32; 4],
    /// "event / action".
    pub label: String,
    /// Where the label's first line (the event) is centred, on its baseline; the action is
    /// `LABEL_LINE` px below, the rule between them halfway.
    pub label_at: (f32, f32),
    /// The transition just taken.
    pub taken: bool,
    /// Not in the RFC's figure (an abort by RST, a state first seen mid-way), drawn only when
    /// taken.
    pub extra: bool,
    pub offset: f32,
    /// In the RFC's notes under the figure, not drawn in it (note 2: FIN-WAIT-1 straight to
    /// TIME-WAIT when the peer's FIN also acknowledges ours): `extra` too, drawn when taken.
    #[serde(default)]
    pub note: bool,
}

impl FigureEdge {
    /// The event and the action, one line each.
    pub fn label_lines(&self) -> (&str, &str) {
        self.label.split_once(" / ").unwrap_or((&self.label, ""))
    }

    /// The room its label takes.
    pub fn label_box(&self) -> TextBox {
        let (event, action) = self.label_lines();
        label_box(event, action, self.label_at.0, self.label_at.1)
    }
}

/// The figure: a second CLOSED at the bottom, as in the RFC's, where opened connections end.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StateFigure {
    pub width: f32,
    pub height: f32,
    pub box_width: f32,
    pub box_height: f32,
    /// The font size of every text in it, px.
    #[serde(default)]
    pub font: f32,
    pub boxes: Vec<FigureBox>,
    pub edges: Vec<FigureEdge>,
}

impl StateFigure {
    /// The room a state's box takes.
    pub fn box_of(&self, b: &FigureBox) -> TextBox {
        TextBox { x0: b.x - self.box_width / 2.0, x1: b.x + self.box_width / 2.0, y0: b.y - self.box_height / 2.0, y1: b.y + self.box_height / 2.0 }
    }
}

/// "SYN-RECEIVED" in 11 px monospace and a little air.
const BOX_W: f32 = 92.0;
const BOX_H: f32 = 20.0;
/// Where the figure's boxes go, how big it is and where some labels go by hand: the RFC's
/// layout (`WIDE`, 444 px, two side by side at 1366 × 768) or a phone's (`NARROW`, 348 px, the
/// columns closer and the rows further apart: at 444 px a 390 px phone scrolled it sideways).
pub struct Layout {
    width: f32,
    height: f32,
    places: &'static [(&'static str, f32, f32); 12],
    hints: &'static [(&'static str, &'static str, f32, f32)],
}

pub const WIDE: Layout = Layout { width: 444.0, height: 452.0, places: &FIGURE, hints: &HINTS };
pub const NARROW: Layout = Layout { width: 348.0, height: 632.0, places: &NARROW_FIGURE, hints: &[] };

/// The phone's figure: the same three columns and seven rows, 348 px wide.
const NARROW_FIGURE: [(&str, f32, f32); 12] = [
    ("CLOSED", 174.0, 12.0),
    ("LISTEN", 174.0, 104.0),
    ("SYN-RECEIVED", 47.0, 204.0),
    ("SYN-SENT", 301.0, 204.0),
    ("ESTABLISHED", 174.0, 294.0),
    ("FIN-WAIT-1", 47.0, 376.0),
    ("CLOSE-WAIT", 301.0, 376.0),
    ("FIN-WAIT-2", 47.0, 466.0),
    ("CLOSING", 158.0, 466.0),
    ("LAST-ACK", 301.0, 466.0),
    ("TIME-WAIT", 158.0, 590.0),
    ("CLOSED ", 301.0, 590.0),
];

/// The RFC's figure, its three columns and seven rows.
const FIGURE: [(&str, f32, f32); 12] = [
    ("CLOSED", 220.0, 12.0),
    ("LISTEN", 220.0, 86.0),
    ("SYN-RECEIVED", 48.0, 164.0),
    ("SYN-SENT", 398.0, 164.0),
    ("ESTABLISHED", 220.0, 236.0),
    ("FIN-WAIT-1", 48.0, 300.0),
    ("CLOSE-WAIT", 398.0, 300.0),
    ("FIN-WAIT-2", 48.0, 372.0),
    ("CLOSING", 196.0, 372.0),
    ("LAST-ACK", 398.0, 372.0),
    ("TIME-WAIT", 196.0, 440.0),
    ("CLOSED ", 398.0, 440.0),
];

/// From, to, "event / action" in RFC 9293 figure 5's words ("x": no action), and where its
/// label goes when the placer (`lesson_figure_labels::place`) should not choose.
pub const EDGES: [(&str, &str, &str); 21] = [
    ("CLOSED", "LISTEN", "passive OPEN / create TCB"),
    ("LISTEN", "CLOSED", "CLOSE / delete TCB"),
    ("CLOSED", "SYN-SENT", "active OPEN / create TCB, snd SYN"),
    ("SYN-SENT", "CLOSED", "CLOSE / delete TCB"),
    ("LISTEN", "SYN-RECEIVED", "rcv SYN / snd SYN,ACK"),
    ("SYN-RECEIVED", "LISTEN", "rcv RST (note 1) / x"),
    ("LISTEN", "SYN-SENT", "SEND / snd SYN"),
    // RFC 793 had "snd ACK" here; RFC 9293 corrected it to the SYN,ACK actually sent.
    ("SYN-SENT", "SYN-RECEIVED", "rcv SYN / snd SYN,ACK"),
    ("SYN-SENT", "ESTABLISHED", "rcv SYN,ACK / snd ACK"),
    ("SYN-RECEIVED", "ESTABLISHED", "rcv ACK of SYN / x"),
    ("SYN-RECEIVED", "FIN-WAIT-1", "CLOSE / snd FIN"),
    ("ESTABLISHED", "FIN-WAIT-1", "CLOSE / snd FIN"),
    ("ESTABLISHED", "CLOSE-WAIT", "rcv FIN / snd ACK"),
    ("FIN-WAIT-1", "FIN-WAIT-2", "rcv ACK of FIN / x"),
    ("FIN-WAIT-1", "CLOSING", "rcv FIN / snd ACK"),
    ("FIN-WAIT-1", "TIME-WAIT", "rcv FIN, ACK of FIN / snd ACK (note 2)"),
    ("FIN-WAIT-2", "TIME-WAIT", "rcv FIN / snd ACK"),
    ("CLOSING", "TIME-WAIT", "rcv ACK of FIN / x"),
    ("CLOSE-WAIT", "LAST-ACK", "CLOSE / snd FIN"),
    ("LAST-ACK", "CLOSED ", "rcv ACK of FIN / x"),
    ("TIME-WAIT", "CLOSED ", "Timeout=2MSL / delete TCB"),
];

/// The segment from centre `a` to centre `b`, cut at both boxes' borders.
fn clipped(a: (f32, f32), b: (f32, f32), offset: f32) -> [f32; 4] {
    let (dx, dy) = (b.0 - a.0, b.1 - a.1);
    // The fraction of the way out of a box of the figure's size, along (dx, dy).
    let out = |dx: f32, dy: f32| {
        let tx = if dx == 0.0 { f32::INFINITY } else { (BOX_W / 2.0) / dx.abs() };
        let ty = if dy == 0.0 { f32::INFINITY } else { (BOX_H / 2.0) / dy.abs() };
        tx.min(ty)
    };
    let t = out(dx, dy);
    let length = (dx * dx + dy * dy).sqrt().max(1.0);
    // Shifted to its right (seen along the edge).
    let (ox, oy) = (-dy / length * offset, dx / length * offset);
    [a.0 + dx * t + ox, a.1 + dy * t + oy, b.0 - dx * t + ox, b.1 - dy * t + oy]
}

/// Labels placed by hand, where the placer's first free spot is far from the line's start
/// (the event's baseline centre).
const HINTS: [(&str, &str, f32, f32); 4] = [
    ("TIME-WAIT", "CLOSED ", 296.0, 430.0),
    ("CLOSED", "SYN-SENT", 369.0, 31.0),
    ("CLOSING", "TIME-WAIT", 247.0, 400.0),
    ("LAST-ACK", "CLOSED ", 347.0, 400.0),
];

fn place_of(l: &Layout, name: &str) -> Option<(f32, f32)> {
    l.places.iter().find(|(n, _, _)| *n == name).map(|(_, x, y)| (*x, *y))
}

fn state_boxes(l: &Layout) -> Vec<TextBox> {
    l.places.iter().map(|(_, x, y)| TextBox { x0: x - BOX_W / 2.0, x1: x + BOX_W / 2.0, y0: y - BOX_H / 2.0, y1: y + BOX_H / 2.0 }).collect()
}

/// The RFC's edges, lines and labels placed (the same for every step).
fn rfc_edges(l: &Layout) -> Vec<FigureEdge> {
    let lines: Vec<([f32; 4], f32)> = EDGES
        .iter()
        .map(|&(a, b, _)| {
            let offset = if EDGES.iter().any(|(x, y, _)| *x == b && *y == a) { 5.0 } else { 0.0 };
            // CLOSED ⇄ SYN-SENT leave CLOSED by its right-hand corner, as in the RFC's figure,
            // clear of CLOSED ⇄ LISTEN.
            let port = |name: &str| {
                let (x, y) = place_of(l, name).unwrap_or_default();
                let corner = name == "CLOSED" && matches!((a, b), ("CLOSED", "SYN-SENT") | ("SYN-SENT", "CLOSED"));
                (if corner { x + 36.0 } else { x }, y)
            };
            (clipped(port(a), port(b), offset), offset)
        })
        .collect();
    let all: Vec<[f32; 4]> = lines.iter().map(|(l, _)| *l).collect();
    let boxes = state_boxes(l);
    let room = Room { width: l.width, height: l.height, boxes: &boxes, lines: &all };
    // Hand-placed labels first, then the figure's edges in order, then note 2's, which is
    // drawn only when taken (the RFC's figure leaves it out), around all the others.
    let note = |label: &str| label.contains("(note 2)");
    let mut order: Vec<usize> = (0..EDGES.len()).collect();
    order.sort_by_key(|&i| (note(EDGES[i].2), !l.hints.iter().any(|h| h.0 == EDGES[i].0 && h.1 == EDGES[i].1)));
    let mut placed = Vec::new();
    let mut at = vec![(0.0, 0.0); EDGES.len()];
    for i in order {
        let (a, b, label) = EDGES[i];
        let (event, action) = label.split_once(" / ").unwrap_or((label, ""));
        let hint = l.hints.iter().find(|h| h.0 == a && h.1 == b).map(|h| (h.2, h.3));
        at[i] = place(&room, &placed, lines[i].0, event, action, hint);
        placed.push(label_box(event, action, at[i].0, at[i].1));
    }
    EDGES
        .iter()
        .zip(&lines)
        .zip(at)
        .map(|((&(a, b, label), &(line, offset)), at)| {
            let (from, to) = (place_of(l, a).unwrap_or_default(), place_of(l, b).unwrap_or_default());
            FigureEdge { from, to, line, label: label.to_string(), label_at: at, taken: false, extra: note(label), offset, note: note(label) }
        })
        .collect()
}

/// The figure for one endpoint in `state`, having just gone `from` → `state` (if it moved);
/// `reset`: the move was an abort by RST (the RFC's figure has no edge for most of those).
pub fn state_figure(state: &str, from: Option<&str>, reset: bool) -> StateFigure {
    figure_in(&WIDE, state, from, reset)
}

/// The same figure laid out as `layout` (`NARROW` on a phone).
pub fn figure_in(layout: &Layout, state: &str, from: Option<&str>, reset: bool) -> StateFigure {
    let l = layout;
    // A connection that had opened ends in the bottom CLOSED, as in the RFC's figure.
    let opened = from.is_some_and(|f| !matches!(f, "SYN-SENT" | "LISTEN" | "CLOSED" | "unknown"));
    let current = if state == "CLOSED" && opened { "CLOSED " } else { state };
    let boxes = l.places.iter().map(|(name, x, y)| FigureBox { state: name.trim_end(), x: *x, y: *y, current: *name == current }).collect();
    let aborted = reset && state == "CLOSED";
    let mut edges = rfc_edges(l);
    for (e, &(a, b, _)) in edges.iter_mut().zip(&EDGES) {
        e.taken = !aborted && from == Some(a) && current == b;
    }
    if let (Some(f), false) = (from, edges.iter().any(|e| e.taken)) {
        // A move the figure has no edge for: an abort by RST, or another way to CLOSED the
        // replay found (a connection first seen mid-way has no `from` box and no edge).
        if let (Some(a), Some(b)) = (place_of(l, f), place_of(l, current)) {
            let label = if aborted { "RST / delete TCB" } else { "not in figure 5 / x" };
            let (event, action) = label.split_once(" / ").unwrap_or((label, ""));
            // Along an edge of the figure (SYN-SENT → CLOSED by RST rather than CLOSE): drawn
            // in that edge's place, its label where that edge's was (no wider), that one hidden.
            let same_way = edges.iter().position(|e| !e.extra && e.from == a && e.to == b);
            let (line, at) = match same_way {
                Some(i) if label_box(event, action, 0.0, 0.0).x1 <= edges[i].label_box().x1 - edges[i].label_at.0 => {
                    edges[i].extra = true;
                    (edges[i].line, edges[i].label_at)
                }
                _ => {
                    let line = clipped(a, b, 0.0);
                    let lines: Vec<[f32; 4]> = edges.iter().map(|e| e.line).chain([line]).collect();
                    let boxes = state_boxes(l);
                    let placed: Vec<TextBox> = edges.iter().filter(|e| !e.extra).map(FigureEdge::label_box).collect();
                    (line, place(&Room { width: l.width, height: l.height, boxes: &boxes, lines: &lines }, &placed, line, event, action, None))
                }
            };
            edges.push(FigureEdge { from: a, to: b, line, label: label.to_string(), label_at: at, taken: true, extra: true, offset: 0.0, note: false });
        }
    }
    StateFigure { width: l.width, height: l.height, box_width: BOX_W, box_height: BOX_H, font: FONT, boxes, edges }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::draw::text_box::overlapping_pairs;

    #[test]
    fn the_figure_marks_the_state_and_the_transition_taken() {
        let fig = state_figure("FIN-WAIT-1", Some("ESTABLISHED"), false);
        assert_eq!(fig.boxes.iter().filter(|b| b.current).map(|b| b.state).collect::<Vec<_>>(), ["FIN-WAIT-1"]);
        let taken: Vec<&FigureEdge> = fig.edges.iter().filter(|e| e.taken).collect();
        assert_eq!(taken.len(), 1);
        assert_eq!(taken[0].label_lines(), ("CLOSE", "snd FIN"));
        // The end of an opened connection is the bottom CLOSED; a refused one the top.
        let end = state_figure("CLOSED", Some("LAST-ACK"), false);
        assert_eq!(end.boxes.iter().position(|b| b.current), Some(11));
        let refused = state_figure("CLOSED", Some("SYN-SENT"), true);
        assert_eq!(refused.boxes.iter().position(|b| b.current), Some(0));
        assert!(refused.edges.iter().any(|e| e.taken && e.extra));
    }

    /// Issue #24 point 4: every edge of RFC 9293's figure 5, in its words, the ways to CLOSED
    /// included; the transition the replay makes is the one marked.
    #[test]
    fn every_edge_of_rfc_9293_figure_5_in_its_words() {
        let label = |from: &str, to: &str| {
            let fig = state_figure(to, Some(from), false);
            let taken: Vec<_> = fig.edges.iter().filter(|e| e.taken).collect();
            assert_eq!(taken.len(), 1, "{from} → {to}");
            assert!(!taken[0].extra, "{from} → {to}");
            taken[0].label.clone()
        };
        for (from, to, words) in [
            ("CLOSED", "LISTEN", "passive OPEN / create TCB"),
            ("CLOSED", "SYN-SENT", "active OPEN / create TCB, snd SYN"),
            ("LISTEN", "CLOSED", "CLOSE / delete TCB"),
            ("SYN-SENT", "CLOSED", "CLOSE / delete TCB"),
            ("LISTEN", "SYN-RECEIVED", "rcv SYN / snd SYN,ACK"),
            ("LISTEN", "SYN-SENT", "SEND / snd SYN"),
            ("SYN-SENT", "SYN-RECEIVED", "rcv SYN / snd SYN,ACK"),
            ("SYN-SENT", "ESTABLISHED", "rcv SYN,ACK / snd ACK"),
            ("SYN-RECEIVED", "ESTABLISHED", "rcv ACK of SYN / x"),
            ("ESTABLISHED", "FIN-WAIT-1", "CLOSE / snd FIN"),
            ("ESTABLISHED", "CLOSE-WAIT", "rcv FIN / snd ACK"),
            ("FIN-WAIT-1", "FIN-WAIT-2", "rcv ACK of FIN / x"),
            ("FIN-WAIT-1", "CLOSING", "rcv FIN / snd ACK"),
            ("FIN-WAIT-2", "TIME-WAIT", "rcv FIN / snd ACK"),
            ("CLOSING", "TIME-WAIT", "rcv ACK of FIN / x"),
            ("CLOSE-WAIT", "LAST-ACK", "CLOSE / snd FIN"),
            ("LAST-ACK", "CLOSED", "rcv ACK of FIN / x"),
            ("TIME-WAIT", "CLOSED", "Timeout=2MSL / delete TCB"),
        ] {
            assert_eq!(label(from, to), words, "{from} → {to}");
        }
        let fig = state_figure("LISTEN", None, false);
        assert_eq!(fig.edges.len(), 21, "RFC 9293 figure 5's 20 edges and note 2's");
        assert_eq!(fig.edges.iter().filter(|e| !e.extra).count(), 20, "drawn always: the figure's 20");
        for e in &fig.edges {
            let (event, action) = e.label_lines();
            assert!(!event.is_empty() && !action.is_empty(), "{e:?}");
        }
    }

    /// Labels never overlap one another or a state box, and stay inside the figure: for the
    /// figure as drawn at every step (an abort's or a first sighting's extra edge included).
    #[test]
    fn labels_overlap_no_label_and_no_state_box() {
        let names: Vec<&str> = FIGURE.iter().map(|(n, _, _)| n.trim_end()).collect();
        let mut figures = Vec::new();
        // Every move the state replay makes (`tcp::lifecycle::valid_transition`): the
        // figure's edges, and any state to CLOSED, by RST or not; in both layouts.
        for l in [&WIDE, &NARROW] {
            figures.push(figure_in(l, "LISTEN", None, false));
            for from in &names {
                figures.push(figure_in(l, "CLOSED", Some(from), true));
                figures.push(figure_in(l, "CLOSED", Some(from), false));
            }
            for (from, to, _) in EDGES {
                figures.push(figure_in(l, to.trim_end(), Some(from), false));
            }
        }
        for fig in &figures {
            let mut boxes: Vec<(String, TextBox)> = fig.edges.iter().filter(|e| !e.extra || e.taken).map(|e| (e.label.clone(), e.label_box())).collect();
            for (e, b) in &boxes {
                if b.x0 < 0.0 || b.x1 > fig.width || b.y0 < 0.0 || b.y1 > fig.height { panic!("{e} outside the figure: {b:?}") }
            }
            boxes.extend(fig.boxes.iter().map(|b| (format!("box {}", b.state), fig.box_of(b))));
            assert_eq!(overlapping_pairs(&boxes), Vec::<(String, String)>::new());
        }
        // Each label beside its own line: its box within 30 px of the line's middle part (on
        // the phone's figure note 2's, drawn only when taken and then in the taken edge's
        // colour, goes under TIME-WAIT: the rows beside its line have no room for it).
        let narrow = figure_in(&NARROW, "LISTEN", None, false);
        for e in state_figure("LISTEN", None, false).edges.iter().chain(narrow.edges.iter().filter(|e| !e.note)) {
            let b = e.label_box();
            let near = (2..=8).any(|k| {
                let t = k as f32 / 10.0;
                let (x, y) = (e.line[0] + (e.line[2] - e.line[0]) * t, e.line[1] + (e.line[3] - e.line[1]) * t);
                x > b.x0 - 30.0 && x < b.x1 + 30.0 && y > b.y0 - 30.0 && y < b.y1 + 30.0
            });
            assert!(near, "{} is far from its line: {b:?} {:?}", e.label, e.line);
        }
    }

    /// Not a check: writes the figure as SVG to look at (`cargo test -- --ignored figure_preview`).
    #[test]
    #[ignore]
    fn figure_preview() {
        let fig = figure_in(if std::env::var("NARROW").is_ok() { &NARROW } else { &WIDE }, "CLOSE-WAIT", Some("ESTABLISHED"), false);
        let mut svg = format!("<svg xmlns='http://www.w3.org/2000/svg' width='{}' height='{}' font-family='DejaVu Sans Mono' font-size='11'><rect width='100%' height='100%' fill='white'/>", fig.width, fig.height);
        for e in fig.edges.iter().filter(|e| !e.extra || e.taken) {
            let [a, b, c, d] = e.line;
            let colour = if e.taken { "red" } else { "#999" };
            svg += &format!("<line x1='{a}' y1='{b}' x2='{c}' y2='{d}' stroke='{colour}'/><circle cx='{c}' cy='{d}' r='2'/>");
        }
        for b in &fig.boxes {
            svg += &format!("<rect x='{}' y='{}' width='{}' height='{}' fill='#eee' stroke='#888'/><text x='{}' y='{}' text-anchor='middle'>{}</text>", b.x - BOX_W / 2.0, b.y - BOX_H / 2.0, BOX_W, BOX_H, b.x, b.y + 4.0, b.state);
        }
        for e in fig.edges.iter().filter(|e| !e.extra || e.taken) {
            let (ev, ac) = e.label_lines();
            let (x, y) = e.label_at;
            let bx = e.label_box();
            svg += &format!("<rect x='{}' y='{}' width='{}' height='{}' fill='none' stroke='#cde'/><text x='{x}' y='{y}' text-anchor='middle'>{ev}</text><text x='{x}' y='{}' text-anchor='middle'>{ac}</text>", bx.x0, bx.y0, bx.x1 - bx.x0, bx.y1 - bx.y0, y + LABEL_LINE);
        }
        svg += "</svg>";
        std::fs::write("/tmp/lesson-figure.svg", svg).unwrap();
    }
}
