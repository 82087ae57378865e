//! One connection seen at two capture points as an SVG file (`tcp-ladder merge --svg N`): the
//! layout of `merged_layout.rs`, which the page draws too, written out with its own style.

use std::fmt::Write;

use super::merged_layout::{layout, MergedLadder, NEAR_CLIENT_X, NEAR_SERVER_X, SERVER_X};
use crate::draw::xml::escape;
use crate::merge::MergedConnection;

const STYLE: &str = "text{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:11px;fill:#1d232a}.life{stroke:#9aa5b1;stroke-width:2}.point{stroke:#5b6670;stroke-width:1.5;stroke-dasharray:6 4}.head{font-weight:700;text-anchor:middle}.mid{text-anchor:middle}.both{stroke:#1b7f3b;stroke-width:1.8}.beyond{stroke:#1b7f3b;stroke-width:1.2;stroke-dasharray:2 3}.lost{stroke:#b3261e;stroke-width:2}.only{stroke:#7a4b00;stroke-width:1.5;stroke-dasharray:4 3}.delay{fill:#3b444e}.why{fill:#b3261e}";

/// The SVG of merged connection `c`; `names`: the two captures' names (A, B).
pub fn render(c: &MergedConnection, names: (&str, &str)) -> String {
    write_svg(&layout(c, names, 0, usize::MAX))
}

fn write_svg(l: &MergedLadder) -> String {
    let (w, h) = (l.width, l.height);
    let mut s = String::new();
    let _ = write!(
        s,
        r##"<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" viewBox="0 0 {w} {h}" role="img"><title>{}</title><style>{STYLE}</style><rect width="100%" height="100%" fill="#ffffff"/><defs><marker id="head" viewBox="0 0 10 10" refX="10" refY="5" markerUnits="userSpaceOnUse" markerWidth="9" markerHeight="9" orient="auto"><path d="M 0 0 L 10 5 L 0 10 z" fill="#1b7f3b"/></marker></defs>"##,
        escape(&l.title)
    );
    let _ = write!(s, r#"<text x="8" y="16">{}</text>"#, escape(&l.title));
    for c in &l.columns {
        let class = if c.point { "point" } else { "life" };
        let _ = write!(s, r#"<text class="head" x="{}" y="44">{}</text><text class="mid" x="{}" y="60">{}</text><line class="{class}" x1="{}" y1="{}" x2="{}" y2="{}"/>"#, c.x, escape(&c.head), c.x, escape(&c.name), c.x, l.line_top, c.x, l.line_bottom);
    }
    let _ = write!(s, r#"<text class="mid" x="{}" y="84">{}</text>"#, (NEAR_CLIENT_X + NEAR_SERVER_X) / 2.0, escape(&l.caption));
    for r in &l.rows {
        let frame = |f: Option<u64>| f.map_or(String::new(), |f| f.to_string());
        let _ = write!(s, r#"<g class="seg" data-fate="{}" data-frame-a="{}" data-frame-b="{}"><title>{}</title>"#, r.fate, frame(r.frame_a), frame(r.frame_b), escape(&r.label));
        let _ = write!(s, r#"<text class="mid" x="{}" y="{}">{}</text>"#, r.label_x, r.label_y, escape(&r.label));
        for k in &r.strokes {
            let head = if k.head { r#" marker-end="url(#head)""# } else { "" };
            let _ = write!(s, r#"<line class="{}" x1="{}" y1="{}" x2="{}" y2="{}"{head}/>"#, k.class, k.x1, k.y1, k.x2, k.y2);
        }
        if let Some((x, y)) = r.cross {
            let _ = write!(s, r#"<path class="lost" d="M {} {} l 10 10 M {} {} l -10 10"/>"#, x - 5.0, y - 5.0, x + 5.0, y - 5.0);
        }
        if !r.note.is_empty() {
            let _ = write!(s, r#"<text class="{}" x="{}" y="{}">{}</text>"#, if r.note_warns { "why" } else { "delay" }, SERVER_X + 12.0, r.note_y, escape(&r.note));
        }
        s.push_str("</g>");
    }
    s.push_str("</svg>\n");
    s
}
