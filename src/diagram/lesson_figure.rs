//! RFC 9293's state diagram (figure 5) as boxes and labelled edges for the lesson, the current
//! state and the transition just taken marked. Every edge carries its event and action as the
//! textbooks write them ("rcv FIN / snd ACK"); the UI draws the figure at its own size (labels
//! 12 px at 100 %), so the coordinates here are pixels: 482 × 456, to fit the lesson panel
//! beside the step's text at 1366 × 768.

use serde::{Deserialize, Serialize};

use super::vocab::Word;

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
    /// Where the label's first line is centred (the second, the action, is 13 px below).
    pub label_at: (f32, f32),
    /// The transition just taken.
    pub taken: bool,
    /// Not in the RFC's figure (an abort by RST, a state first seen mid-way), drawn only when
    /// taken.
    pub extra: bool,
    pub offset: f32,
}

impl FigureEdge {
    /// The event and the action, one line each.
    pub fn label_lines(&self) -> (&str, &str) {
        self.label.split_once(" / ").unwrap_or((&self.label, ""))
    }
}

/// The figure: a second CLOSED at the bottom, as in the RFC's, where opened connections end.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StateFigure {
    pub width: f32,
    pub height: f32,
    pub box_width: f32,
    pub box_height: f32,
    pub boxes: Vec<FigureBox>,
    pub edges: Vec<FigureEdge>,
}

const BOX_W: f32 = 104.0;
const BOX_H: f32 = 22.0;

const FIGURE: [(&str, f32, f32); 12] = [
    ("CLOSED", 232.0, 15.0),
    ("LISTEN", 232.0, 85.0),
    ("SYN-RECEIVED", 74.0, 153.0),
    ("SYN-SENT", 390.0, 153.0),
    ("ESTABLISHED", 232.0, 223.0),
    ("FIN-WAIT-1", 74.0, 280.0),
    ("CLOSE-WAIT", 390.0, 280.0),
    ("FIN-WAIT-2", 74.0, 357.0),
    ("CLOSING", 232.0, 357.0),
    ("LAST-ACK", 390.0, 357.0),
    ("TIME-WAIT", 152.0, 422.0),
    ("CLOSED ", 390.0, 422.0),
];

/// From, to, "event / action" (RFC 9293 figure 5, in the textbooks' words), label centre.
const EDGES: [(&str, &str, &str, f32, f32); 21] = [
    ("CLOSED", "LISTEN", "passive open / create TCB", 162.0, 44.0),
    ("LISTEN", "CLOSED", "appl close / delete TCB", 302.0, 34.0),
    ("CLOSED", "SYN-SENT", "active open / snd SYN", 397.0, 51.0),
    ("LISTEN", "SYN-RECEIVED", "rcv SYN / snd SYN,ACK", 107.0, 100.0),
    ("SYN-RECEIVED", "LISTEN", "rcv RST / —", 172.0, 134.0),
    ("LISTEN", "SYN-SENT", "appl send / snd SYN", 332.0, 102.0),
    ("SYN-SENT", "CLOSED", "close or timeout / delete TCB", 397.0, 85.0),
    ("SYN-SENT", "SYN-RECEIVED", "rcv SYN / snd ACK", 232.0, 162.0),
    ("SYN-SENT", "ESTABLISHED", "rcv SYN,ACK / snd ACK", 377.0, 197.0),
    ("SYN-RECEIVED", "ESTABLISHED", "rcv ACK of SYN / —", 182.0, 185.0),
    ("SYN-RECEIVED", "FIN-WAIT-1", "appl close / snd FIN", 52.0, 211.0),
    ("ESTABLISHED", "FIN-WAIT-1", "appl close / snd FIN", 162.0, 252.0),
    ("ESTABLISHED", "CLOSE-WAIT", "rcv FIN / snd ACK", 302.0, 252.0),
    ("FIN-WAIT-1", "FIN-WAIT-2", "rcv ACK of FIN / —", 58.0, 304.0),
    ("FIN-WAIT-1", "CLOSING", "rcv FIN / snd ACK", 172.0, 306.0),
    ("FIN-WAIT-1", "TIME-WAIT", "rcv FIN,ACK / snd ACK", 103.0, 333.0),
    ("FIN-WAIT-2", "TIME-WAIT", "rcv FIN / snd ACK", 60.0, 389.0),
    ("CLOSING", "TIME-WAIT", "rcv ACK of FIN / —", 252.0, 384.0),
    ("CLOSE-WAIT", "LAST-ACK", "appl close / snd FIN", 432.0, 314.0),
    ("LAST-ACK", "CLOSED ", "rcv ACK of FIN / delete TCB", 432.0, 384.0),
    ("TIME-WAIT", "CLOSED ", "timeout 2·MSL / delete TCB", 271.0, 435.0),
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

/// The figure for one endpoint in `state`, having just gone `from` → `state` (if it moved);
/// `reset`: the move was an abort by RST (the RFC's figure has no edge for most of those).
pub fn state_figure(state: &str, from: Option<&str>, reset: bool) -> StateFigure {
    // A connection that had opened ends in the bottom CLOSED, as in the RFC's figure.
    let opened = from.is_some_and(|f| !matches!(f, "SYN-SENT" | "LISTEN" | "CLOSED" | "unknown"));
    let current = if state == "CLOSED" && opened { "CLOSED " } else { state };
    let place = |name: &str| FIGURE.iter().find(|(n, _, _)| *n == name).map(|(_, x, y)| (*x, *y));
    let boxes = FIGURE.iter().map(|(name, x, y)| FigureBox { state: name.trim_end(), x: *x, y: *y, current: *name == current }).collect();
    let aborted = reset && state == "CLOSED";
    let mut edges: Vec<FigureEdge> = EDGES
        .iter()
        .filter_map(|&(a, b, label, lx, ly)| {
            let taken = !aborted && from == Some(a) && current == b;
            let offset = if EDGES.iter().any(|(x, y, ..)| *x == b && *y == a) { 5.0 } else { 0.0 };
            let (pa, pb) = (place(a)?, place(b)?);
            Some(FigureEdge { from: pa, to: pb, line: clipped(pa, pb, offset), label: label.to_string(), label_at: (lx, ly), taken, extra: false, offset })
        })
        .collect();
    if let (Some(f), false) = (from, edges.iter().any(|e| e.taken)) {
        // A move the figure has no edge for (an abort by RST, a state first seen mid-way).
        if let (Some(a), Some(b)) = (place(f), place(current)) {
            let label = if aborted { "RST / delete TCB (abort)" } else { "first seen here / —" };
            let at = ((a.0 + b.0) / 2.0, (a.1 + b.1) / 2.0);
            edges.push(FigureEdge { from: a, to: b, line: clipped(a, b, 0.0), label: label.to_string(), label_at: at, taken: true, extra: true, offset: 0.0 });
        }
    }
    StateFigure { width: 482.0, height: 456.0, box_width: BOX_W, box_height: BOX_H, boxes, edges }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_figure_marks_the_state_and_the_transition_taken() {
        let fig = state_figure("FIN-WAIT-1", Some("ESTABLISHED"), false);
        assert_eq!(fig.boxes.iter().filter(|b| b.current).map(|b| b.state).collect::<Vec<_>>(), ["FIN-WAIT-1"]);
        let taken: Vec<&FigureEdge> = fig.edges.iter().filter(|e| e.taken).collect();
        assert_eq!(taken.len(), 1);
        assert_eq!(taken[0].label_lines(), ("appl close", "snd FIN"));
        // The end of an opened connection is the bottom CLOSED; a refused one the top.
        let end = state_figure("CLOSED", Some("LAST-ACK"), false);
        assert_eq!(end.boxes.iter().position(|b| b.current), Some(11));
        let refused = state_figure("CLOSED", Some("SYN-SENT"), true);
        assert_eq!(refused.boxes.iter().position(|b| b.current), Some(0));
        assert!(refused.edges.iter().any(|e| e.taken && e.extra));
    }

    /// Issue #23: the RFC's ways to CLOSED were missing, and no edge said its event and action.
    #[test]
    fn every_way_to_closed_is_drawn_and_every_edge_says_event_and_action() {
        for (from, to, event) in [("TIME-WAIT", "CLOSED", "timeout 2·MSL"), ("LISTEN", "CLOSED", "appl close"), ("SYN-SENT", "CLOSED", "close or timeout")] {
            let fig = state_figure(to, Some(from), false);
            let taken: Vec<_> = fig.edges.iter().filter(|e| e.taken).collect();
            assert_eq!(taken.len(), 1, "{from} → {to}");
            assert!(!taken[0].extra && taken[0].label_lines().0 == event, "{from} → {to}: {:?}", taken[0]);
        }
        let fig = state_figure("LISTEN", None, false);
        for e in &fig.edges {
            let (event, action) = e.label_lines();
            assert!(!event.is_empty() && !action.is_empty(), "{e:?}");
            // Inside the figure.
            assert!(e.label_at.0 > 0.0 && e.label_at.0 < fig.width && e.label_at.1 + 13.0 < fig.height, "{e:?}");
        }
        assert_eq!(fig.edges.len(), EDGES.len());
    }
}
