//! One connection seen at two capture points (`merge`), drawn as one ladder: the client's and
//! the server's lifelines with the two capture points between them as dashed lines, each
//! segment a row in the order it passed its first point, its arrow solid between the points
//! (both saw it: the one-way delay between them written beside it) and dotted beyond them
//! (the endpoints' own times are not in either capture). A segment lost between the points ends
//! in a cross half-way; one seen at a single point is drawn at that point alone.

use std::fmt::Write;

use crate::draw::xml::escape;
use crate::merge::{MergedConnection, Row};

const CLIENT_X: f32 = 110.0;
const NEAR_CLIENT_X: f32 = 270.0;
const NEAR_SERVER_X: f32 = 530.0;
const SERVER_X: f32 = 690.0;
const WIDTH: f32 = 950.0;
const TOP: f32 = 96.0;
const ROW: f32 = 34.0;
/// How far down an arrow's head is from its tail (each row's own slope; the view is even,
/// not by time: the delays are written, not drawn to scale).
const SLOPE: f32 = 14.0;

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

/// The SVG of merged connection `c`; `names`: the two captures' names (A, B).
pub fn render(c: &MergedConnection, names: (&str, &str)) -> String {
    let (near_client, near_server) = if c.a_near == "client" { ("A", "B") } else { ("B", "A") };
    let (near_client_name, near_server_name) = if c.a_near == "client" { names } else { (names.1, names.0) };
    let height = TOP + ROW * c.rows.len() as f32 + 40.0;
    let mut s = String::new();
    let offset = c.offset_ns.map_or("not compared".to_string(), |o| format!("{:+.3} ms ± {:.3} ms", o as f64 / 1e6, c.uncertainty_ns.unwrap_or(0) as f64 / 1e6));
    let title = format!("Connection A#{} = B#{} at two capture points; B's clock − A's {offset}", c.stream_a, c.stream_b);
    let _ = write!(
        s,
        r##"<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{height}" viewBox="0 0 {WIDTH} {height}" role="img"><title>{}</title><style>text{{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:11px;fill:#1d232a}}.life{{stroke:#9aa5b1;stroke-width:2}}.point{{stroke:#5b6670;stroke-width:1.5;stroke-dasharray:6 4}}.head{{font-weight:700;text-anchor:middle}}.mid{{text-anchor:middle}}.both{{stroke:#1b7f3b;stroke-width:1.8}}.beyond{{stroke:#1b7f3b;stroke-width:1.2;stroke-dasharray:2 3}}.lost{{stroke:#b3261e;stroke-width:2}}.only{{stroke:#7a4b00;stroke-width:1.5;stroke-dasharray:4 3}}.delay{{fill:#3b444e}}.why{{fill:#b3261e}}</style><rect width="100%" height="100%" fill="#ffffff"/><defs><marker id="head" viewBox="0 0 10 10" refX="10" refY="5" markerUnits="userSpaceOnUse" markerWidth="9" markerHeight="9" orient="auto"><path d="M 0 0 L 10 5 L 0 10 z" fill="#1b7f3b"/></marker></defs>"##,
        escape(&title)
    );
    let _ = write!(s, r#"<text x="8" y="16">{}</text>"#, escape(&title));
    for (x, head, name) in [(CLIENT_X, "client", String::new()), (NEAR_CLIENT_X, near_client, near_client_name.to_string()), (NEAR_SERVER_X, near_server, near_server_name.to_string()), (SERVER_X, "server", String::new())] {
        let class = if head == "client" || head == "server" { "life" } else { "point" };
        let _ = write!(s, r#"<text class="head" x="{x}" y="44">{}</text><text class="mid" x="{x}" y="60">{}</text><line class="{class}" x1="{x}" y1="70" x2="{x}" y2="{}"/>"#, escape(head), escape(&name), height - 20.0);
    }
    let _ = write!(s, r#"<text class="mid" x="{}" y="84">each row: a segment when it passed its first point (the far point's order may differ)</text>"#, (NEAR_CLIENT_X + NEAR_SERVER_X) / 2.0);
    for (k, r) in c.rows.iter().enumerate() {
        let y = TOP + ROW * k as f32 + 12.0;
        let (from, first, second, to) = if r.from_client { (CLIENT_X, NEAR_CLIENT_X, NEAR_SERVER_X, SERVER_X) } else { (SERVER_X, NEAR_SERVER_X, NEAR_CLIENT_X, CLIENT_X) };
        // The slope shared across the row: a quarter in each stub, half between the points.
        let (y1, y2, y3, y4) = (y, y + SLOPE * 0.25, y + SLOPE * 0.75, y + SLOPE);
        let _ = write!(s, r#"<g class="seg" data-fate="{}" data-frame-a="{}" data-frame-b="{}"><title>{}</title>"#, r.fate, r.frame_a.map_or(String::new(), |f| f.to_string()), r.frame_b.map_or(String::new(), |f| f.to_string()), escape(&label(r)));
        let _ = write!(s, r#"<text class="mid" x="{}" y="{}">{}</text>"#, (NEAR_CLIENT_X + NEAR_SERVER_X) / 2.0, y - 3.0, escape(&label(r)));
        match r.fate {
            "matched" => {
                let _ = write!(s, r#"<line class="beyond" x1="{from}" y1="{y1}" x2="{first}" y2="{y2}"/><line class="both" x1="{first}" y1="{y2}" x2="{second}" y2="{y3}"/><line class="beyond" x1="{second}" y1="{y3}" x2="{to}" y2="{y4}" marker-end="url(#head)"/>"#);
                if let Some(d) = r.delay_ns {
                    let _ = write!(s, r#"<text class="delay" x="{}" y="{}">{:.3} ms between the points</text>"#, SERVER_X + 12.0, y + 8.0, d / 1e6);
                }
            }
            "lost_between" => {
                let (xm, ym) = ((first + second) / 2.0, (y2 + y3) / 2.0);
                let _ = write!(s, r#"<line class="beyond" x1="{from}" y1="{y1}" x2="{first}" y2="{y2}"/><line class="lost" x1="{first}" y1="{y2}" x2="{xm}" y2="{ym}"/><path class="lost" d="M {} {} l 10 10 M {} {} l -10 10"/><text class="why" x="{}" y="{}">lost between the capture points</text>"#, xm - 5.0, ym - 5.0, xm + 5.0, ym - 5.0, SERVER_X + 12.0, y + 8.0);
            }
            why => {
                // Seen at one point only: drawn at that point.
                let seen_near_client = (r.frame_a.is_some()) == (c.a_near == "client");
                let x = if seen_near_client { NEAR_CLIENT_X } else { NEAR_SERVER_X };
                let words = if why == "other_capture_not_running" { "seen at one point; the other capture was not running" } else { "seen at one point only: a middlebox's, or a capture's drop" };
                let _ = write!(s, r#"<line class="only" x1="{}" y1="{y2}" x2="{}" y2="{y3}"/><text class="why" x="{}" y="{}">{words}</text>"#, x - 30.0, x + 30.0, SERVER_X + 12.0, y + 8.0);
            }
        }
        s.push_str("</g>");
    }
    s.push_str("</svg>\n");
    s
}
