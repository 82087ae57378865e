//! Step-through lesson: the connection one segment at a time, as the source documents teach
//! it. For the step at segment `index`: each endpoint's RFC 9293 state and the transition just
//! taken, its send and receive variables as the packets show them, and for the segment just
//! delivered the receive-window acceptability test of RFC 9293 §3.10.7.4.

use serde::{Deserialize, Serialize};

use crate::connection::Connection;
use crate::tcp::lifecycle::TcpState;
use crate::tcp::seq::SeqNumber;

use super::explain_context::explain;
pub use super::lesson_figure::{figure_in, state_figure, FigureBox, FigureEdge, StateFigure, LABEL_LINE, NARROW, WIDE};
pub use super::lesson_vars::{Board, Variable};
pub use crate::tcp::scoreboard::{BoardRange, Piece};
use super::lesson_vars::{capture_point_of, reading_note, VarsAt};
use super::vocab::Word;

/// What one endpoint looks like after the step.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SideView {
    #[serde(deserialize_with = "super::vocab::word")]
    pub state: Word,
    /// The state before the transition this step made, if it made one.
    #[serde(default)]
    pub from: Option<String>,
    pub variables: Vec<Variable>,
    /// The move was an abort by an RST (sent or received).
    #[serde(default)]
    pub reset: bool,
    /// What it has sent and not had acknowledged, what it holds out of order.
    #[serde(default)]
    pub board: Board,
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
    /// Where the variables come from and what "estimated" means, said once.
    #[serde(default)]
    pub reading: String,
}

/// The acceptability test for a segment of `len` sequence numbers (SYN and FIN count) at
/// `seq`, at a receiver in state `receiver` with RCV.NXT `nxt` and RCV.WND `wnd`.
pub fn acceptability(seq: u32, len: u32, nxt: Option<u32>, wnd: Option<u32>, receiver: TcpState) -> Acceptability {
    let not_applied = |why: &str| Acceptability { case: 0, acceptable: true, text: format!("Not applied: {why}") };
    // RFC 9293 §3.10.7.1–3: these states have their own rules and no receive window yet.
    let rules = match receiver {
        TcpState::Closed => Some("the receiver is CLOSED (§3.10.7.1: anything but an RST is answered with an RST)."),
        TcpState::Listen => Some("the receiver is in LISTEN, which has no RCV.NXT yet; a SYN is checked by the LISTEN rules (§3.10.7.2)."),
        TcpState::SynSent => Some("the receiver is in SYN-SENT, which has no RCV.NXT yet; its ACK is checked against ISS and SND.NXT instead (§3.10.7.3)."),
        _ => None,
    };
    if let Some(why) = rules {
        return not_applied(why);
    }
    let (Some(nxt), Some(wnd)) = (nxt, wnd) else {
        return not_applied("the capture has not shown the receiver's RCV.NXT and RCV.WND yet (it began after the handshake).");
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
    let p = conn.packet(index)?;
    // Each endpoint's variables before this segment (the receiver's window test) and after.
    let point = capture_point_of(conn);
    let mut after = VarsAt::replay(conn, point, index);
    // The receiver's state and variables before this segment arrived.
    let receiver = !p.from_client;
    let (nxt, wnd) = after.receive_window(receiver);
    after.add(&p);
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
        SideView { state: state.rfc_name(), reset: from.is_some() && p.segment.flags.rst(), from, variables: after.list(client), board: after.board(client) }
    });
    let receiver_state = states.side(receiver).iter().filter(|c| c.frame < frame).last().map_or(TcpState::Unknown, |c| c.state);
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
        acceptability: acceptability(p.seq, len, nxt, wnd, receiver_state),
        reading: reading_note(point),
    })
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use crate::session::{analyze_bytes, Session};

    fn seed() -> Session {
        analyze_bytes(&std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/captures/real/seed_close_immediately.pcap")).unwrap()).unwrap()
    }

    const E: TcpState = TcpState::Established;

    #[test]
    fn the_four_cases_of_the_acceptability_test() {
        assert!(acceptability(5, 0, Some(5), Some(0), E).acceptable);
        assert!(!acceptability(6, 0, Some(5), Some(0), E).acceptable);
        assert!(acceptability(7, 0, Some(5), Some(10), E).acceptable);
        assert!(!acceptability(15, 0, Some(5), Some(10), E).acceptable);
        assert_eq!(acceptability(5, 3, Some(5), Some(0), E).case, 3);
        assert!(!acceptability(5, 3, Some(5), Some(0), E).acceptable);
        // Case 4: a segment starting before RCV.NXT but ending inside the window is acceptable.
        let a = acceptability(3, 4, Some(5), Some(10), E);
        assert!(a.acceptable && a.case == 4, "{a:?}");
        assert!(!acceptability(0, 4, Some(5), Some(10), E).acceptable);
        assert_eq!(acceptability(0, 1, None, None, TcpState::Listen).case, 0);
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

    /// Issue #23: each variable changes at the step of the segment that changes it, with the
    /// state: the FIN's receiver is CLOSE-WAIT and its RCV.NXT counts the FIN at that step.
    #[test]
    fn variables_change_with_the_state() {
        let s = seed();
        let conn = s.connection(0).unwrap();
        let value = |st: &LessonStep, side: usize, name: &str| st.sides[side].variables.iter().find(|v| v.name == name).unwrap().value;
        let steps: Vec<LessonStep> = (0..10).map(|i| lesson_step(&conn, i).unwrap()).collect();
        // After the SYN: the client's SND.UNA is its ISS (0 relative), SND.NXT ISS + 1, and the
        // server, which received it, has RCV.NXT = IRS + 1.
        assert_eq!((value(&steps[0], 0, "SND.UNA"), value(&steps[0], 0, "SND.NXT")), (Some(0), Some(1)));
        assert_eq!(value(&steps[0], 1, "RCV.NXT"), Some(1));
        for st in &steps {
            for (side, peer) in [(0, 1), (1, 0)] {
                // Every FIN an endpoint has received is in its RCV.NXT at the step it shows
                // CLOSE-WAIT, CLOSING, TIME-WAIT or LAST-ACK.
                if matches!(st.sides[side].state, "CLOSE-WAIT" | "TIME-WAIT" | "LAST-ACK" | "CLOSING") {
                    let fin_end = conn.packets().take(st.index + 1).filter(|p| p.from_client == (peer == 0) && p.segment.flags.fin()).map(|p| p.next_seq()).max();
                    if st.sides[side].state != "LAST-ACK" || fin_end.is_some() {
                        assert_eq!(value(st, side, "RCV.NXT"), fin_end, "step {} side {side}", st.index);
                    }
                }
            }
        }
        assert_eq!(value(&steps[7], 0, "RCV.NXT"), Some(130), "the client has the server's FIN at 129");
        // SYN-RECEIVED has an RCV.NXT: the ACK that completes the handshake is tested.
        assert_eq!(steps[1].sides[1].state, "SYN-RECEIVED");
        assert_eq!(steps[2].acceptability.case, 2, "{:?}", steps[2].acceptability);
        assert!(steps.iter().all(|st| !st.acceptability.text.contains("no RCV.NXT yet") || !st.acceptability.text.contains("SYN-RECEIVED")));
        // "estimated" is explained once, and stands only beside arrival-made values.
        assert!(steps[0].reading.contains("estimated"));
        for st in &steps {
            for v in st.sides.iter().flat_map(|s| &s.variables) {
                assert!(!v.estimated || matches!(v.name, "SND.UNA" | "SND.WND" | "RCV.NXT"), "{v:?}");
            }
        }
    }
}
