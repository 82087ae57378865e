//! One connection seen at two capture points (`merge`), laid out as one ladder: the client's and
//! the server's lifelines with the two capture points between them as dashed lines, each
//! segment a row in the order it passed its first point, its arrow solid between the points
//! (both saw it: the one-way delay between them written beside it) and dotted beyond them
//! (the endpoints' own times are not in either capture). A segment lost between the points ends
//! in a cross half-way; one seen at a single point is drawn at that point alone.
//!
//! Plain geometry, drawn by the SVG export (`merged_svg.rs`) and by the page
//! (`ui/components/merged_view.rs`) alike, so both say the same.

use serde::{Deserialize, Serialize};

use crate::merge::{MergedConnection, Row};

pub const CLIENT_X: f32 = 110.0;
pub const NEAR_CLIENT_X: f32 = 270.0;
pub const NEAR_SERVER_X: f32 = 530.0;
pub const SERVER_X: f32 = 690.0;
pub const WIDTH: f32 = 950.0;
const TOP: f32 = 96.0;
const ROW: f32 = 34.0;
/// How far down an arrow's head is from its tail (each row's own slope; the view is even,
/// not by time: the delays are written, not drawn to scale).
const SLOPE: f32 = 14.0;

/// A lifeline or a capture point's line, with its heading.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Column {
    pub x: f32,
    /// `client`, `server`, or the capture's letter (`A`, `B`).
    pub head: String,
    /// The capture's file name under a capture point's letter.
    pub name: String,
    /// A capture point (dashed), not an endpoint's lifeline.
    pub point: bool,
}

/// A stroke of a row: `beyond` (dotted, outside the points), `both` (between the points, both
/// saw it), `lost` (seen where it was sent from, not after), `only` (seen at one point only).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Stroke {
    pub class: String,
    pub x1: f32,
    pub y1: f32,
    pub x2: f32,
    pub y2: f32,
    /// Ends in an arrow head.
    pub head: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MergedRow {
    /// `matched`, `lost_between`, `not_seen_where_it_passed_first`, `other_capture_not_running`.
    pub fate: String,
    pub frame_a: Option<u64>,
    pub frame_b: Option<u64>,
    /// "PSH,ACK seq=1 len=100 · A#5 B#5", centred between the points above the arrow.
    pub label: String,
    pub label_x: f32,
    pub label_y: f32,
    pub strokes: Vec<Stroke>,
    /// The centre of the cross of a segment lost between the points.
    pub cross: Option<(f32, f32)>,
    /// Right of the server's lifeline: the one-way delay between the points, or what happened.
    pub note: String,
    pub note_y: f32,
    /// The note says what went wrong (drawn in the warning colour).
    pub note_warns: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MergedLadder {
    pub width: f32,
    pub height: f32,
    /// "Connection A#0 = B#0 at two capture points; B's clock − A's +0.013 ms ± 15.028 ms"
    pub title: String,
    pub columns: Vec<Column>,
    /// How far down the lines go.
    pub line_top: f32,
    pub line_bottom: f32,
    /// Under the headings, centred between the points.
    pub caption: String,
    pub rows: Vec<MergedRow>,
    /// The connection's rows in all, and the first drawn (`rows` holds at most the number asked).
    pub rows_total: usize,
    pub first_row: usize,
}

fn flags(f: u8) -> String {
    let names: Vec<&str> = [(0x02, "SYN"), (0x01, "FIN"), (0x04, "RST"), (0x08, "PSH"), (0x10, "ACK")].into_iter().filter(|(bit, _)| f & bit != 0).map(|(_, n)| n).collect();
    names.join(",")
}

fn label(r: &Row) -> String {
    let frames = match (r.frame_a, r.frame_b) {
        (Some(a), Some(b)) => format!("A#{a} B#{b}"),
        (Some(a), None) => format!("A#{a}"),
        (None, Some(b)) => format!("B#{b}"),
        (None, None) => String::new(),
    };
    format!("{} seq={} len={} · {frames}", flags(r.flags), r.seq, r.len)
}

/// The offset as the title says it: the value, and its bound or that it was set by hand.
pub fn offset_words(c: &MergedConnection) -> String {
    match c.offset_ns {
        None => "not compared".to_string(),
        Some(o) if c.offset_by_hand => format!("{:+.3} ms (set by hand)", o as f64 / 1e6),
        Some(o) => format!("{:+.3} ms ± {:.3} ms", o as f64 / 1e6, c.uncertainty_ns.unwrap_or(0) as f64 / 1e6),
    }
}

/// Merged connection `c` laid out; `names`: the two captures' names (A, B); rows
/// `first..first + count` of it (all: `0, usize::MAX`).
pub fn layout(c: &MergedConnection, names: (&str, &str), first: usize, count: usize) -> MergedLadder {
    let (near_client, near_server) = if c.a_near == "client" { ("A", "B") } else { ("B", "A") };
    let (near_client_name, near_server_name) = if c.a_near == "client" { names } else { (names.1, names.0) };
    let first = first.min(c.rows.len());
    let shown = &c.rows[first..first + count.min(c.rows.len() - first)];
    let height = TOP + ROW * shown.len() as f32 + 40.0;
    let title = format!("Connection A#{} = B#{} at two capture points; B's clock − A's {}", c.stream_a, c.stream_b, offset_words(c));
    let columns = [(CLIENT_X, "client", String::new()), (NEAR_CLIENT_X, near_client, near_client_name.to_string()), (NEAR_SERVER_X, near_server, near_server_name.to_string()), (SERVER_X, "server", String::new())]
        .into_iter()
        .map(|(x, head, name)| Column { x, head: head.to_string(), name, point: head != "client" && head != "server" })
        .collect();
    let rows = shown
        .iter()
        .enumerate()
        .map(|(k, r)| {
            let y = TOP + ROW * k as f32 + 12.0;
            let (from, first, second, to) = if r.from_client { (CLIENT_X, NEAR_CLIENT_X, NEAR_SERVER_X, SERVER_X) } else { (SERVER_X, NEAR_SERVER_X, NEAR_CLIENT_X, CLIENT_X) };
            // The slope shared across the row: a quarter in each stub, half between the points.
            let (y1, y2, y3, y4) = (y, y + SLOPE * 0.25, y + SLOPE * 0.75, y + SLOPE);
            let stroke = |class: &str, x1, y1, x2, y2, head| Stroke { class: class.to_string(), x1, y1, x2, y2, head };
            let (strokes, cross, note, warns) = match r.fate {
                "matched" => (
                    vec![stroke("beyond", from, y1, first, y2, false), stroke("both", first, y2, second, y3, false), stroke("beyond", second, y3, to, y4, true)],
                    None,
                    r.delay_ns.map_or(String::new(), |d| format!("{:.3} ms between the points", d / 1e6)),
                    false,
                ),
                "lost_between" => {
                    let (xm, ym) = ((first + second) / 2.0, (y2 + y3) / 2.0);
                    (vec![stroke("beyond", from, y1, first, y2, false), stroke("lost", first, y2, xm, ym, false)], Some((xm, ym)), "lost between the capture points".to_string(), true)
                }
                why => {
                    // Seen at one point only: drawn at that point.
                    let seen_near_client = r.frame_a.is_some() == (c.a_near == "client");
                    let x = if seen_near_client { NEAR_CLIENT_X } else { NEAR_SERVER_X };
                    let words = if why == "other_capture_not_running" { "seen at one point; the other capture was not running" } else { "seen at one point only: a middlebox's, or a capture's drop" };
                    (vec![stroke("only", x - 30.0, y2, x + 30.0, y3, false)], None, words.to_string(), true)
                }
            };
            MergedRow { fate: r.fate.to_string(), frame_a: r.frame_a, frame_b: r.frame_b, label: label(r), label_x: (NEAR_CLIENT_X + NEAR_SERVER_X) / 2.0, label_y: y - 3.0, strokes, cross, note, note_y: y + 8.0, note_warns: warns }
        })
        .collect();
    MergedLadder {
        width: WIDTH,
        height,
        title,
        columns,
        line_top: 70.0,
        line_bottom: height - 20.0,
        caption: "each row: a segment when it passed its first point (the far point's order may differ)".to_string(),
        rows,
        rows_total: c.rows.len(),
        first_row: first,
    }
}
