//! A self-contained SVG document of a ladder (styles inline, no external font or image), for
//! the page's export button and `tcp-ladder render`: both call this, so they are byte-identical.

use std::fmt::Write;

use super::ladder::{gap_text, ArrowKind, Ladder};
use crate::draw::offsets::{BASELINE_BELOW_ROW, GAP_MARK_BESIDE, TIME_X};
use crate::draw::xml::escape;

/// Light-theme colours, chosen to stay apart for colour-blind readers (Okabe–Ito), with dash
/// patterns so that no kind is told by colour alone.
/// Kept in its own file so that the page's Content-Security-Policy can allow exactly this style
/// by its hash (scripts/finish_dist.py): the PNG export draws the SVG through a blob: image,
/// which is under the page's policy.
const STYLE: &str = include_str!("export_style.css");

/// The whole diagram as an SVG document.
pub fn render(ladder: &Ladder) -> String {
    let mut s = String::new();
    let (w, h) = (ladder.width, ladder.height);
    let _ = write!(
        s,
        r##"<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" viewBox="0 0 {w} {h}" role="img"><title>{}</title><style>{STYLE}</style><rect width="100%" height="100%" fill="#ffffff"/><defs>"##,
        escape(&ladder.title)
    );
    for kind in ArrowKind::ALL {
        let _ = write!(
            s,
            r#"<marker id="head-{0}" class="{0}" viewBox="0 0 10 10" refX="10" refY="5" markerUnits="userSpaceOnUse" markerWidth="10" markerHeight="10" orient="auto-start-reverse"><path d="M 0 0 L 10 5 L 0 10 z" style="stroke:none"/></marker>"#,
            kind.class()
        );
    }
    // A resent segment's own arrowhead, and a ring at its tail (`resent.rs`).
    s.push_str(r#"<marker id="head-resent" class="resent" viewBox="0 0 10 10" refX="10" refY="5" markerUnits="userSpaceOnUse" markerWidth="10" markerHeight="10" orient="auto-start-reverse"><path d="M 0 0 L 10 5 L 0 10 z" style="stroke:none"/></marker><marker id="tail-resent" class="resent" viewBox="0 0 10 10" refX="5" refY="5" markerUnits="userSpaceOnUse" markerWidth="10" markerHeight="10"><circle cx="5" cy="5" r="3.5" style="fill:#fff;stroke-width:1.6"/></marker>"#);
    s.push_str("</defs>");
    for l in [&ladder.client, &ladder.server] {
        let _ = write!(
            s,
            r#"<g><text class="role" x="{x}" y="22">{}</text><text class="name" x="{nx}" y="40">{}</text><line class="lifeline" x1="{x}" y1="52" x2="{x}" y2="{}"/></g>"#,
            l.role,
            escape(&l.name),
            h - 20.0,
            x = l.x,
            nx = l.name_x
        );
    }
    for t in &ladder.ticks {
        let _ = write!(s, r#"<text class="tick" x="{}" y="{}">{}</text>"#, t.x, t.y + BASELINE_BELOW_ROW, escape(&t.label));
    }
    if let Some(c) = &ladder.capture {
        let _ = write!(
            s,
            r#"<g class="capture-point" data-near="{}"><line x1="{x}" y1="56" x2="{x}" y2="{}" style="stroke:#5b6670;stroke-width:1.2;stroke-dasharray:6 4"/><text x="{lx}" y="{}" text-anchor="middle" class="capture-label">{}</text></g>"#,
            c.near,
            h - 20.0,
            c.label_y,
            escape(&c.label),
            x = c.x,
            lx = c.label_x
        );
        if !c.explain.is_empty() {
            let _ = write!(s, r#"<text class="capture-explain" x="{TIME_X}" y="{}">{}</text>"#, c.explain_y, escape(&c.explain));
        }
    }
    for hd in &ladder.headings {
        let _ = write!(s, r#"<text class="column-heading" x="{}" y="{}">{}<title>{}</title></text>"#, hd.x, hd.y, escape(&hd.text), escape(&hd.title));
    }
    // (Compact columns have no phase column: its brackets are not drawn.)
    for p in ladder.phases.iter().filter(|p| p.x < ladder.width) {
        let _ = write!(
            s,
            r#"<g data-kind="{}" data-frames="{}-{}"><path class="phase" d="M {x0} {y1} h 8 V {y2} h -8"/>"#,
            p.kind,
            p.first_frame,
            p.last_frame,
            x0 = p.x,
            y1 = p.y1,
            y2 = p.y2,
        );
        for (i, line) in p.title_lines.iter().enumerate() {
            let _ = write!(s, r#"<text class="phase-title" x="{}" y="{}">{}</text>"#, p.text_x(), p.title_y(i), escape(line));
        }
        for (i, line) in p.caption_lines.iter().enumerate() {
            let _ = write!(s, r#"<text class="phase-caption" x="{}" y="{}">{}</text>"#, p.text_x(), p.caption_y(i), escape(line));
        }
        s.push_str("</g>");
    }
    for e in ladder.episodes.iter().filter(|e| e.x < ladder.width) {
        let _ = write!(
            s,
            r#"<g class="episode" data-kind="{}" data-frames="{}-{}"><path class="episode-bracket" d="M {x0} {y1} h 6 V {y2} h -6"/>"#,
            e.kind,
            e.first_frame,
            e.last_frame,
            x0 = e.x,
            y1 = e.y1,
            y2 = e.y2,
        );
        for (i, line) in e.caption_lines.iter().enumerate() {
            let _ = write!(s, r#"<text class="episode-caption" x="{}" y="{}">{}</text>"#, e.text_x, e.caption_y(i), escape(line));
        }
        s.push_str("</g>");
    }
    for b in &ladder.message_brackets {
        let _ = write!(s, r#"<path class="msg-bracket" data-frames="{}-{}" d="{}"><title>{}</title></path>"#, b.first_frame, b.last_frame, b.path(), escape(&b.title));
    }
    for b in &ladder.congestion_bands {
        let _ = write!(
            s,
            r#"<g class="cwnd-band" data-phase="{}" data-frames="{}-{}"><rect x="{}" y="{}" width="5" height="{}" rx="2"/><text class="cwnd-band-label" transform="translate({} {}) rotate(-90)" text-anchor="end">{}</text><title>{}</title></g>"#,
            b.phase,
            b.first_frame,
            b.last_frame,
            b.x,
            b.y1,
            (b.y2 - b.y1).max(1.0),
            b.x + 16.0,
            b.y1,
            escape(&b.shown),
            escape(&b.label)
        );
    }
    for a in &ladder.arrows {
        let class = a.kind.class();
        let (resent, head, tail) = if a.resent { (" resent", "resent", r#" marker-start="url(#tail-resent)""#) } else { ("", class, "") };
        let _ = write!(s, r#"<g class="seg {class}{resent}" data-frame="{}">"#, a.frame);
        if a.show_time {
            let _ = write!(s, r#"<text class="time" x="{TIME_X}" y="{}">{}</text>"#, a.yc + BASELINE_BELOW_ROW, a.time);
        }
        let _ = write!(s, r#"<line x1="{}" y1="{}" x2="{}" y2="{}" marker-end="url(#head-{head})"{tail}><title>{}</title></line>"#, a.x1, a.y1, a.x2, a.y2, escape(&a.label));
        if a.show_label {
            for (line, y) in a.label_lines() {
                let _ = write!(s, r#"<text class="label" x="{}" y="{}">{}</text>"#, a.label_x, y, escape(line));
            }
            for (text, y) in a.tag_lines() {
                let _ = write!(s, r#"<text class="tag" x="{}" y="{}" text-anchor="middle">{}</text>"#, a.label_x, y, escape(&text));
            }
        }
        s.push_str("</g>");
    }
    for g in &ladder.groups {
        let (x1, x2) = (ladder.client.x, ladder.server.x);
        let _ = write!(
            s,
            r#"<g class="group" data-frames="{}-{}"><rect x="{x1}" y="{}" width="{}" height="{}" rx="4" style="fill:#eef1f4;stroke:#9aa5b1"/>"#,
            g.first_frame,
            g.last_frame,
            g.y - 14.0,
            x2 - x1,
            g.height(ladder.width),
        );
        for (line, y) in g.text_lines(ladder.width) {
            let _ = write!(s, r#"<text x="{}" y="{y}" text-anchor="middle">{}</text>"#, (x1 + x2) / 2.0, escape(line));
        }
        s.push_str("</g>");
    }
    for st in &ladder.states {
        let anchor = if st.anchor_end { "end" } else { "start" };
        let class = if st.inferred { "state inferred" } else { "state" };
        let _ = write!(s, r#"<text class="{class}" x="{}" y="{}" text-anchor="{anchor}">{}<title>{}</title></text>"#, st.x, st.y, st.display(), escape(&st.why));
    }
    for g in &ladder.gaps {
        let anchor = if g.x < (ladder.client.x + ladder.server.x) / 2.0 { "end" } else { "start" };
        let dx = if anchor == "end" { -GAP_MARK_BESIDE } else { GAP_MARK_BESIDE };
        let _ = write!(s, r#"<text class="gap" x="{}" y="{}" text-anchor="{anchor}">{}</text>"#, g.x + dx, g.y, gap_text(ladder.width));
    }
    if let Some(line) = &ladder.time_line {
        let lines = crate::diagram::ladder::time_line_lines(line, ladder.width);
        for (i, text) in lines.iter().enumerate() {
            let y = h - 6.0 - 16.0 * (lines.len() - 1 - i) as f32;
            let _ = write!(s, r#"<text class="time-split" x="10" y="{y}">{}</text>"#, escape(text));
        }
    }
    s.push_str("</svg>\n");
    s
}
