//! Step-through lesson: the connection one segment at a time, as the source documents teach
//! it. For the step at segment `index`: each endpoint's RFC 9293 state and the transition just
//! taken, its send and receive variables as the packets show them, and for the segment just
//! delivered the receive-window acceptability test of RFC 9293 §3.10.7.4.

use serde::{Deserialize, Serialize};

use crate::connection::Connection;
use crate::tcp::lifecycle::TcpState;
use crate::tcp::seq::SeqNumber;

use super::explain_context::explain;
use super::vocab::Word;

/// One variable of RFC 9293 §3.3.1, relative to the connection's initial sequence numbers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Variable {
    #[serde(deserialize_with = "super::vocab::word")]
    pub name: Word,
    /// `None`: nothing in the capture tells yet.
    pub value: Option<u32>,
    /// The capture point cannot know the endpoint's own value (a segment may still be in
    /// flight, or received but not yet acknowledged).
    pub estimated: bool,
    /// Where the value comes from.
    pub source: String,
}

/// What one endpoint looks like after the step.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SideView {
    #[serde(deserialize_with = "super::vocab::word")]
    pub state: Word,
    /// The state before the transition this step made, if it made one.
    #[serde(default)]
    pub from: Option<String>,
    pub variables: Vec<Variable>,
}

/// RFC 9293 §3.10.7.4's first check, for the segment just delivered.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Acceptability {
    /// 1–4: (length 0 or not) × (receive window 0 or not); 0 when the test does not apply.
    pub case: u8,
    pub acceptable: bool,
    /// The test written out with the numbers.
    pub text: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LessonStep {
    pub index: usize,
    pub frame: u64,
    /// Segments in the connection.
    pub total: usize,
    pub from_client: bool,
    pub label: String,
    pub explanation: String,
    /// Client, then server.
    pub sides: [SideView; 2],
    pub acceptability: Acceptability,
}

/// The variables of one side, tracked over the segments seen so far (relative numbers).
#[derive(Debug, Clone, Copy, Default)]
struct Vars {
    snd_nxt: Option<u32>,
    snd_una: Option<u32>,
    snd_wnd: Option<u32>,
    rcv_nxt: Option<u32>,
    rcv_wnd: Option<u32>,
}

fn var(name: Word, value: Option<u32>, estimated: bool, source: &str) -> Variable {
    Variable { name, value, estimated, source: source.to_string() }
}

impl Vars {
    fn list(&self) -> Vec<Variable> {
        vec![
            var("SND.UNA", self.snd_una, true, "the highest ACK the other side sent (it may not have arrived yet)"),
            var("SND.NXT", self.snd_nxt, false, "just past the last sequence number this side sent"),
            var("SND.WND", self.snd_wnd, true, "the window the other side last advertised"),
            var("RCV.NXT", self.rcv_nxt, true, "the ACK this side last sent (it may have received more since)"),
            var("RCV.WND", self.rcv_wnd, false, "the window this side last advertised"),
        ]
    }
}

/// The acceptability test for a segment of `len` sequence numbers (SYN and FIN count) at
/// `seq`, at a receiver with RCV.NXT `nxt` and RCV.WND `wnd`.
pub fn acceptability(seq: u32, len: u32, nxt: Option<u32>, wnd: Option<u32>, syn: bool) -> Acceptability {
    let (Some(nxt), Some(wnd), false) = (nxt, wnd, syn) else {
        return Acceptability {
            case: 0,
            acceptable: true,
            text: "Not applied: the receiver has no RCV.NXT yet (a SYN is checked by the LISTEN and SYN-SENT rules instead).".to_string(),
        };
    };
    // RCV.NXT + RCV.WND, the right edge of the window.
    let edge = SeqNumber(nxt) + wnd;
    let in_window = |s: u32| SeqNumber(nxt).at_or_before(SeqNumber(s)) && SeqNumber(s).before(edge);
    let (case, acceptable, text) = match (len == 0, wnd == 0) {
        (true, true) => (1, seq == nxt, format!("Case 1 (length 0, window 0): acceptable if SEG.SEQ = RCV.NXT: {seq} = {nxt}")),
        (true, false) => (
            2,
            in_window(seq),
            format!("Case 2 (length 0, window > 0): acceptable if RCV.NXT ≤ SEG.SEQ < RCV.NXT + RCV.WND: {nxt} ≤ {seq} < {}", edge.0),
        ),
        (false, true) => (3, false, "Case 3 (length > 0, window 0): not acceptable (no room at all)".to_string()),
        (false, false) => {
            let last = (SeqNumber(seq) + (len - 1)).0;
            (
                4,
                in_window(seq) || in_window(last),
                format!(
                    "Case 4 (length {len}, window > 0): acceptable if its first or last sequence number is in [RCV.NXT, RCV.NXT + RCV.WND) = [{nxt}, {}): {seq} or {last}",
                    edge.0
                ),
            )
        }
    };
    let verdict = if acceptable { " → acceptable." } else { " → not acceptable: it is dropped, and an ACK is sent (unless it is an RST)." };
    Acceptability { case, acceptable, text: format!("{text}{verdict}") }
}

/// The step at segment `index` of the connection (`None`: it has no such segment).
pub fn lesson_step(conn: &Connection<'_>, index: usize) -> Option<LessonStep> {
    let states = conn.states();
    let total = conn.len();
    let mut vars = [Vars::default(), Vars::default()];
    let mut current = None;
    let mut before = [Vars::default(), Vars::default()];
    for (i, p) in conn.packets().enumerate().take(index + 1) {
        let me = usize::from(!p.from_client);
        let peer = 1 - me;
        before = vars;
        let f = p.segment.flags;
        let end = p.next_seq();
        vars[me].snd_nxt = Some(vars[me].snd_nxt.map_or(end, |n| SeqNumber(end).max(SeqNumber(n)).0));
        if !f.rst() {
            vars[me].rcv_wnd = Some(p.window);
            vars[peer].snd_wnd = Some(p.window);
        }
        if f.ack() && !f.rst() {
            vars[me].rcv_nxt = Some(p.ack);
            vars[peer].snd_una = Some(vars[peer].snd_una.map_or(p.ack, |u| SeqNumber(p.ack).max(SeqNumber(u)).0));
        }
        if i == index {
            current = Some(p);
        }
    }
    let p = current?;
    let frame = p.frame;
    let sides = [true, false].map(|client| {
        let side = states.side(client);
        // The states entered up to this segment (a state placed after a frame holds from it).
        let upto: Vec<_> = side.iter().filter(|c| c.frame <= frame).collect();
        let state = upto.last().map_or(TcpState::Unknown, |c| c.state);
        let here: Vec<_> = upto.iter().filter(|c| c.frame == frame).collect();
        // The last move of this step (a side can move twice at one frame: SYN-SENT, then
        // SYN-RECEIVED when the SYNs cross).
        let from = (!here.is_empty()).then(|| if upto.len() < 2 { TcpState::Closed } else { upto[upto.len() - 2].state }.rfc_name().to_string());
        SideView { state: state.rfc_name(), from, variables: vars[usize::from(!client)].list() }
    });
    // The receiver's variables before this segment arrived.
    let receiver = &before[usize::from(p.from_client)];
    let f = p.segment.flags;
    let len = p.segment.payload_len + u32::from(f.syn()) + u32::from(f.fin());
    Some(LessonStep {
        index,
        frame,
        total,
        from_client: p.from_client,
        label: super::segment_label(&p, false),
        explanation: explain(conn, index).unwrap_or_default(),
        sides,
        acceptability: acceptability(p.seq, len, receiver.rcv_nxt, receiver.rcv_wnd, f.syn()),
    })
}

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
    pub from: (f32, f32),
    pub to: (f32, f32),
    pub label: String,
    /// The transition just taken.
    pub taken: bool,
    /// Not in the RFC's figure (an abort), drawn only when taken.
    pub extra: bool,
    /// Sideways shift, so that an edge and its reverse (SYN-RECEIVED ⇄ LISTEN) are two lines.
    pub offset: f32,
}

/// RFC 9293's state diagram (figure 5) as boxes and edges, the current state and the
/// transition just taken marked. The figure has a second CLOSED at the bottom, as the RFC's
/// does, where connections end.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StateFigure {
    pub width: f32,
    pub height: f32,
    pub box_width: f32,
    pub box_height: f32,
    pub boxes: Vec<FigureBox>,
    pub edges: Vec<FigureEdge>,
}

const FIGURE: [(&str, f32, f32); 12] = [
    ("CLOSED", 170.0, 20.0),
    ("LISTEN", 170.0, 70.0),
    ("SYN-RECEIVED", 60.0, 120.0),
    ("SYN-SENT", 280.0, 120.0),
    ("ESTABLISHED", 170.0, 170.0),
    ("FIN-WAIT-1", 60.0, 220.0),
    ("CLOSE-WAIT", 280.0, 220.0),
    ("FIN-WAIT-2", 60.0, 275.0),
    ("CLOSING", 170.0, 275.0),
    ("LAST-ACK", 280.0, 275.0),
    ("TIME-WAIT", 115.0, 330.0),
    ("CLOSED ", 280.0, 330.0),
];

const EDGES: [(&str, &str, &str); 18] = [
    ("CLOSED", "LISTEN", "passive open"),
    ("CLOSED", "SYN-SENT", "active open: snd SYN"),
    ("LISTEN", "SYN-RECEIVED", "rcv SYN: snd SYN,ACK"),
    ("LISTEN", "SYN-SENT", "send: snd SYN"),
    ("SYN-SENT", "SYN-RECEIVED", "rcv SYN: snd SYN,ACK"),
    ("SYN-SENT", "ESTABLISHED", "rcv SYN,ACK: snd ACK"),
    ("SYN-RECEIVED", "ESTABLISHED", "rcv ACK of SYN"),
    ("SYN-RECEIVED", "FIN-WAIT-1", "close: snd FIN"),
    ("SYN-RECEIVED", "LISTEN", "rcv RST"),
    ("ESTABLISHED", "FIN-WAIT-1", "close: snd FIN"),
    ("ESTABLISHED", "CLOSE-WAIT", "rcv FIN: snd ACK"),
    ("FIN-WAIT-1", "FIN-WAIT-2", "rcv ACK of FIN"),
    ("FIN-WAIT-1", "CLOSING", "rcv FIN: snd ACK"),
    ("FIN-WAIT-1", "TIME-WAIT", "rcv FIN + ACK of FIN"),
    ("FIN-WAIT-2", "TIME-WAIT", "rcv FIN: snd ACK"),
    ("CLOSING", "TIME-WAIT", "rcv ACK of FIN"),
    ("CLOSE-WAIT", "LAST-ACK", "close: snd FIN"),
    ("LAST-ACK", "CLOSED ", "rcv ACK of FIN"),
];

/// The figure for one endpoint in `state`, having just gone `from` → `state` (if it moved).
pub fn state_figure(state: &str, from: Option<&str>) -> StateFigure {
    // A connection that had opened ends in the bottom CLOSED, as in the RFC's figure.
    let opened = from.is_some_and(|f| !matches!(f, "SYN-SENT" | "LISTEN" | "CLOSED" | "unknown"));
    fn shown(name: &str, opened: bool) -> &str {
        if name == "CLOSED" && opened {
            "CLOSED "
        } else {
            name
        }
    }
    let place = |name: &str| FIGURE.iter().find(|(n, _, _)| *n == name).map(|(_, x, y)| (*x, *y));
    let current = shown(state, opened);
    let boxes = FIGURE.iter().map(|(name, x, y)| FigureBox { state: name.trim_end(), x: *x, y: *y, current: *name == current }).collect();
    let from_box = from.map(|f| if f == "CLOSED" { "CLOSED" } else { f });
    let mut edges: Vec<FigureEdge> = EDGES
        .iter()
        .filter_map(|(a, b, label)| {
            let taken = from_box == Some(*a) && current == *b;
            let reverse = EDGES.iter().any(|(x, y, _)| x == b && y == a);
            Some(FigureEdge { from: place(a)?, to: place(b)?, label: label.to_string(), taken, extra: false, offset: if reverse { 4.0 } else { 0.0 } })
        })
        .collect();
    if let (Some(f), false) = (from_box, edges.iter().any(|e| e.taken)) {
        // A move the figure has no edge for (an abort by RST, a state first seen mid-way).
        if let (Some(a), Some(b)) = (place(f), place(current)) {
            let label = if state == "CLOSED" { "RST / abort" } else { "first seen here" };
            edges.push(FigureEdge { from: a, to: b, label: label.to_string(), taken: true, extra: true, offset: 0.0 });
        }
    }
    StateFigure { width: 360.0, height: 350.0, box_width: 100.0, box_height: 22.0, boxes, edges }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use crate::session::{analyze_bytes, Session};

    fn seed() -> Session {
        analyze_bytes(&std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/captures/real/seed_close_immediately.pcap")).unwrap()).unwrap()
    }

    #[test]
    fn the_four_cases_of_the_acceptability_test() {
        assert!(acceptability(5, 0, Some(5), Some(0), false).acceptable);
        assert!(!acceptability(6, 0, Some(5), Some(0), false).acceptable);
        assert!(acceptability(7, 0, Some(5), Some(10), false).acceptable);
        assert!(!acceptability(15, 0, Some(5), Some(10), false).acceptable);
        assert_eq!(acceptability(5, 3, Some(5), Some(0), false).case, 3);
        assert!(!acceptability(5, 3, Some(5), Some(0), false).acceptable);
        // Case 4: a segment starting before RCV.NXT but ending inside the window is acceptable.
        let a = acceptability(3, 4, Some(5), Some(10), false);
        assert!(a.acceptable && a.case == 4, "{a:?}");
        assert!(!acceptability(0, 4, Some(5), Some(10), false).acceptable);
        assert_eq!(acceptability(0, 1, None, None, true).case, 0);
    }

    #[test]
    fn the_seed_exchange_step_by_step() {
        let s = seed();
        let conn = s.connection(0).unwrap();
        let steps: Vec<LessonStep> = (0..10).map(|i| lesson_step(&conn, i).unwrap()).collect();
        assert!(steps.iter().all(|st| st.total == 10));
        let states = |st: &LessonStep| (st.sides[0].state, st.sides[1].state);
        assert_eq!(states(&steps[0]), ("SYN-SENT", "LISTEN"));
        assert_eq!(states(&steps[1]), ("ESTABLISHED", "SYN-RECEIVED"));
        assert_eq!(states(&steps[2]), ("ESTABLISHED", "ESTABLISHED"));
        // Frame 8: the server's FIN; the client is CLOSE-WAIT once it has it.
        assert_eq!(states(&steps[7]), ("CLOSE-WAIT", "FIN-WAIT-1"));
        assert_eq!(steps[7].sides[1].from.as_deref(), Some("ESTABLISHED"));
        assert_eq!(states(&steps[8]), ("LAST-ACK", "TIME-WAIT"));
        assert_eq!(states(&steps[9]), ("CLOSED", "TIME-WAIT"));
        // The variables as the packets show them after frame 4 (128 bytes client → server).
        let client = &steps[3].sides[0].variables;
        let value = |vars: &[Variable], name: &str| vars.iter().find(|v| v.name == name).unwrap().value;
        assert_eq!(value(client, "SND.NXT"), Some(129));
        assert_eq!(value(client, "SND.UNA"), Some(1));
        assert_eq!(value(client, "RCV.NXT"), Some(1));
        // Frame 8 (the FIN at seq 129) meets the client's RCV.NXT = 129: case 4, acceptable.
        assert_eq!((steps[7].acceptability.case, steps[7].acceptability.acceptable), (4, true));
        assert_eq!(steps[0].acceptability.case, 0, "a SYN is not tested against a window");
        assert!(steps[7].explanation.contains("FIN"));
    }

    #[test]
    fn the_figure_marks_the_state_and_the_transition_taken() {
        let fig = state_figure("FIN-WAIT-1", Some("ESTABLISHED"));
        assert_eq!(fig.boxes.iter().filter(|b| b.current).map(|b| b.state).collect::<Vec<_>>(), ["FIN-WAIT-1"]);
        let taken: Vec<&FigureEdge> = fig.edges.iter().filter(|e| e.taken).collect();
        assert_eq!(taken.len(), 1);
        assert_eq!(taken[0].label, "close: snd FIN");
        // The end of an opened connection is the bottom CLOSED; a refused one the top.
        let end = state_figure("CLOSED", Some("LAST-ACK"));
        assert_eq!(end.boxes.iter().position(|b| b.current), Some(11));
        let refused = state_figure("CLOSED", Some("SYN-SENT"));
        assert_eq!(refused.boxes.iter().position(|b| b.current), Some(0));
        assert!(refused.edges.iter().any(|e| e.taken && e.extra));
    }
}
