//! The lesson's RFC 9293 §3.3.1 variables and RFC 6675 scoreboard of each endpoint after a step
//! (issue #23): each variable changes at the step of the segment that changes it, the same step
//! as the state. The segment's sender changes SND.NXT and RCV.WND when it sends it; its
//! receiver changes RCV.NXT, SND.UNA and SND.WND when it arrives, which the lesson takes to be
//! when it passes the capture point. Only values that rest on that guess, for an endpoint the
//! capture point is far from, are marked estimated.

use serde::{Deserialize, Serialize};

use crate::connection::Connection;
use crate::tcp::scoreboard::{BoardRange, Piece, Scoreboard};
use crate::tcp::{capture_point, CapturePoint, Near, TcpPacket};

use super::vocab::Word;

/// One variable of RFC 9293 §3.3.1, relative to the connection's initial sequence numbers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Variable {
    #[serde(deserialize_with = "super::vocab::word")]
    pub name: Word,
    /// `None`: nothing in the capture tells yet.
    pub value: Option<u32>,
    /// The value rests on a segment reaching the endpoint, and the capture point is far from it:
    /// the segment may still be on its way, or be lost on it.
    pub estimated: bool,
    /// Where the value comes from.
    pub source: String,
}

/// An endpoint's sent-but-unacknowledged bytes and received-out-of-order bytes (RFC 6675 /
/// RFC 2018), relative sequence numbers.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Board {
    /// `[SND.UNA, SND.NXT)` in pieces: SACKed, hole, in flight; resent or not.
    pub outstanding: Vec<BoardRange>,
    /// Ranges held beyond RCV.NXT, waiting for the bytes before them.
    pub held: Vec<(u32, u32)>,
}

/// Per endpoint (client first): the variables and whether each rests on an arrival.
#[derive(Debug, Clone, Copy, Default)]
struct Vars {
    snd_nxt: Option<u32>,
    snd_wnd: Option<u32>,
    rcv_wnd: Option<u32>,
    /// The last ACK this endpoint sent: RCV.NXT at or below it is confirmed by the endpoint.
    ack_sent: Option<u32>,
}

/// The replay of the segments up to a step.
pub struct VarsAt {
    vars: [Vars; 2],
    board: Scoreboard,
    /// The capture point is far from the client / the server.
    far: [bool; 2],
}

/// Whether a segment arriving at each endpoint (client, server) passed the capture point with
/// a path still ahead of it. Unknown (no round trip of one side) counts as far.
fn far_from(point: Option<CapturePoint>) -> [bool; 2] {
    match point.map(|p| p.near) {
        Some(Near::OneHost) => [false, false],
        Some(Near::Client) => [false, true],
        Some(Near::Server) => [true, false],
        Some(Near::Between) | None => [true, true],
    }
}

impl VarsAt {
    /// Both endpoints before the connection's first segment `count` segments.
    pub fn replay(conn: &Connection<'_>, point: Option<CapturePoint>, count: usize) -> Self {
        let mut at = VarsAt { vars: [Vars::default(); 2], board: Scoreboard::default(), far: far_from(point) };
        for p in conn.packets().take(count) {
            at.add(&p);
        }
        at
    }

    /// Processes one more segment: its sender sends it, its receiver takes it.
    pub fn add(&mut self, p: &TcpPacket) {
        let me = usize::from(!p.from_client);
        let f = p.segment.flags;
        let end = p.next_seq();
        let v = &mut self.vars[me];
        if end != p.seq || v.snd_nxt.is_none() {
            v.snd_nxt = Some(v.snd_nxt.map_or(end, |n| n.max(end)));
        }
        if !f.rst() && p.window_captured() {
            v.rcv_wnd = Some(p.window);
            self.vars[1 - me].snd_wnd = Some(p.window);
        }
        if f.ack() && !f.rst() {
            self.vars[me].ack_sent = Some(p.ack);
        }
        self.board.add(p);
    }

    /// RCV.NXT and RCV.WND of the endpoint before the next segment arrives, for the window test.
    pub fn receive_window(&self, client: bool) -> (Option<u32>, Option<u32>) {
        (self.board.rcv_nxt(client), self.vars[usize::from(!client)].rcv_wnd)
    }

    pub fn list(&self, client: bool) -> Vec<Variable> {
        let i = usize::from(!client);
        let (v, far) = (&self.vars[i], self.far[i]);
        let rcv_nxt = self.board.rcv_nxt(client);
        // Ahead of the endpoint's own last ACK: it rests on arrivals only.
        let unconfirmed = rcv_nxt.is_some_and(|n| v.ack_sent.is_none_or(|a| n > a));
        let var = |name: Word, value: Option<u32>, estimated: bool, source: &str| Variable { name, value, estimated: estimated && value.is_some(), source: source.to_string() };
        vec![
            var("SND.UNA", self.board.snd_una(client), far, "the oldest byte it sent that no ACK it received covers (ISS right after its SYN)"),
            var("SND.NXT", v.snd_nxt, false, "just past the last sequence number it sent"),
            var("SND.WND", v.snd_wnd, far, "the window in the last segment it received"),
            var("RCV.NXT", rcv_nxt, far && unconfirmed, "just past the bytes it received in order (its ACKs say so; a SYN or FIN counts one)"),
            var("RCV.WND", v.rcv_wnd, false, "the window in the last segment it sent"),
        ]
    }

    pub fn board(&self, client: bool) -> Board {
        Board { outstanding: self.board.outstanding(client), held: self.board.held(client) }
    }
}

/// Where the connection was captured, as the rest of the tool estimates it.
pub fn capture_point_of(conn: &Connection<'_>) -> Option<CapturePoint> {
    capture_point(conn.timed()).map(|p| p.between(conn.stream().client.addr, conn.stream().server.addr))
}

/// Said once in the lesson: where the values come from and what "estimated" means.
pub fn reading_note(point: Option<CapturePoint>) -> String {
    let place = point.map_or("at a point the packets do not place (no round trip of one side)".to_string(), |p| p.describe());
    format!(
        "How the values are read: the capture shows what each endpoint sent and received. SND.NXT and RCV.WND come from the segments an endpoint sent; RCV.NXT from the segments it received (checked against the ACKs it sent); SND.UNA and SND.WND from the ACKs and windows it received. Each endpoint is taken to process a segment at the step it passes the capture point, which is {place}. \"estimated\" marks a value that rests on a segment still travelling to an endpoint far from the capture point: it may not have arrived yet, or may be lost on the way."
    )
}

impl Board {
    /// Each outstanding piece in words: "143353–144801 (1448 bytes) hole, sent again".
    pub fn outstanding_words(&self) -> Vec<String> {
        self.outstanding
            .iter()
            .map(|r| {
                let what = match r.piece {
                    Piece::Sacked => "SACKed by the peer",
                    Piece::Hole => "hole: bytes after it were SACKed",
                    Piece::InFlight => "in flight, no word on it yet",
                };
                format!("{}–{} ({} bytes) {what}{}", r.start, r.end, r.end - r.start, if r.resent { ", sent again" } else { "" })
            })
            .collect()
    }

    /// Each held range in words: "144801–200001 (55200 bytes)".
    pub fn held_words(&self) -> Vec<String> {
        self.held.iter().map(|&(a, b)| format!("{a}–{b} ({} bytes)", b - a)).collect()
    }
}
