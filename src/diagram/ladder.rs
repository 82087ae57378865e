//! Geometry of the ladder: two lifelines, one arrow per segment, time flowing down.

use crate::session::Session;
use crate::tcp::{Endpoint, TcpPacket};

use super::label::segment_label;

/// Choices the reader makes in the view.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct LadderOptions {
    /// Show raw sequence numbers instead of relative ones.
    pub absolute: bool,
}

/// What an arrow mainly is; the view maps it to a colour *and* a dash pattern so that it does
/// not rely on colour alone.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
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
}

#[derive(Debug, Clone, PartialEq)]
pub struct Lifeline {
    pub x: f32,
    pub role: &'static str,
    pub name: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Arrow {
    pub frame: u64,
    pub from_client: bool,
    /// Start and end points: the arrow leaves the sender's lifeline at `y1` and reaches the
    /// receiver's at `y2` (a little lower: the segment takes time to travel).
    pub x1: f32,
    pub y1: f32,
    pub x2: f32,
    pub y2: f32,
    pub label: String,
    /// Where the label's middle goes, above the arrow.
    pub label_x: f32,
    pub label_y: f32,
    /// Seconds since the first frame of the file, for the time column.
    pub time: String,
    pub kind: ArrowKind,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Ladder {
    pub width: f32,
    pub height: f32,
    pub client: Lifeline,
    pub server: Lifeline,
    pub arrows: Vec<Arrow>,
}

const WIDTH: f32 = 760.0;
const CLIENT_X: f32 = 170.0;
const SERVER_X: f32 = 690.0;
const TOP: f32 = 76.0;
const ROW: f32 = 44.0;
const SLOPE: f32 = 22.0;
const BOTTOM: f32 = 40.0;

fn endpoint_name(e: &Endpoint) -> String {
    match e.addr {
        std::net::IpAddr::V6(a) => format!("[{a}]:{}", e.port),
        std::net::IpAddr::V4(a) => format!("{a}:{}", e.port),
    }
}

/// Lays out the connection `stream` of `session`. Returns `None` for an unknown stream.
pub fn layout(session: &Session, stream: u32, options: LadderOptions) -> Option<Ladder> {
    let s = session.streams.get(stream as usize)?;
    let arrows: Vec<Arrow> = session
        .stream_packets(stream)
        .enumerate()
        .map(|(row, p)| {
            let y1 = TOP + ROW * row as f32;
            let (x1, x2) = if p.from_client { (CLIENT_X, SERVER_X) } else { (SERVER_X, CLIENT_X) };
            Arrow {
                frame: p.frame,
                from_client: p.from_client,
                x1,
                y1,
                x2,
                y2: y1 + SLOPE,
                label: segment_label(p, options.absolute),
                label_x: (CLIENT_X + SERVER_X) / 2.0,
                // Above the arrow's start: the arrow only goes down from there.
                label_y: y1 - 5.0,
                time: format!("{:.6}", p.time_ns as f64 / 1e9),
                kind: ArrowKind::of(p),
            }
        })
        .collect();
    let height = TOP + ROW * arrows.len() as f32 + BOTTOM;
    Some(Ladder {
        width: WIDTH,
        height,
        client: Lifeline { x: CLIENT_X, role: "client", name: endpoint_name(&s.client) },
        server: Lifeline { x: SERVER_X, role: "server", name: endpoint_name(&s.server) },
        arrows,
    })
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use crate::session::analyze_bytes;

    fn whois() -> Session {
        let bytes = std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/captures/public/tcpdump_whois.pcap")).unwrap();
        analyze_bytes(&bytes).unwrap()
    }

    #[test]
    fn one_arrow_per_segment_in_capture_order_between_the_lifelines() {
        let session = whois();
        let ladder = layout(&session, 0, LadderOptions::default()).unwrap();
        assert_eq!(ladder.arrows.len(), 11);
        let frames: Vec<u64> = ladder.arrows.iter().map(|a| a.frame).collect();
        assert_eq!(frames, (1..=11).collect::<Vec<_>>());
        // The first SYN goes from the client (left) to the server (right), the SYN-ACK back.
        assert_eq!((ladder.arrows[0].x1, ladder.arrows[0].x2), (ladder.client.x, ladder.server.x));
        assert_eq!((ladder.arrows[1].x1, ladder.arrows[1].x2), (ladder.server.x, ladder.client.x));
        assert!(ladder.arrows.windows(2).all(|w| w[0].y1 < w[1].y1), "time flows down");
        assert!(ladder.arrows.iter().all(|a| a.y2 > a.y1 && a.y2 < ladder.height));
        assert_eq!(ladder.arrows[0].kind, ArrowKind::Syn);
        assert!(ladder.client.name.starts_with("10.0.2.15:"), "client named by address:port, got {}", ladder.client.name);
    }

    #[test]
    fn unknown_stream_has_no_layout() {
        assert!(layout(&whois(), 7, LadderOptions::default()).is_none());
    }
}
