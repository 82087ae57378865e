//! Where each edge label of the lesson's state-machine figure goes: beside its own line, on
//! no state box and no other label, and, where the figure leaves room, across no other line.
//! Placed once for all the figure's edges in a fixed order, so a label never moves between
//! steps; an edge drawn only when taken (an abort by RST) is placed last, around the others.

use crate::draw::text_box::{Anchor, TextBox};

/// The labels' font size, px (the figure is drawn at its own size: 11 CSS px on every screen).
pub const FONT: f32 = 11.0;
/// From the event's baseline to the action's (the rule between them sits in the gap).
pub const LINE: f32 = 14.0;

/// The room an "event / action" label takes with its event's baseline centred at (x, y).
pub fn label_box(event: &str, action: &str, x: f32, y: f32) -> TextBox {
    let a = TextBox::new(event, x, y, FONT, Anchor::Middle);
    let b = TextBox::new(action, x, y + LINE, FONT, Anchor::Middle);
    TextBox { x0: a.x0.min(b.x0), x1: a.x1.max(b.x1), y0: a.y0, y1: b.y1 }
}

fn grown(b: &TextBox, by: f32) -> TextBox {
    TextBox { x0: b.x0 - by, x1: b.x1 + by, y0: b.y0 - by, y1: b.y1 + by }
}

/// Whether the segment `l` = [x1, y1, x2, y2] crosses the box (Liang–Barsky clipping).
pub fn crosses(l: [f32; 4], b: &TextBox) -> bool {
    let (dx, dy) = (l[2] - l[0], l[3] - l[1]);
    let (mut t0, mut t1) = (0.0f32, 1.0f32);
    for (p, q) in [(-dx, l[0] - b.x0), (dx, b.x1 - l[0]), (-dy, l[1] - b.y0), (dy, b.y1 - l[1])] {
        if p == 0.0 {
            if q < 0.0 {
                return false;
            }
        } else {
            let r = q / p;
            if p < 0.0 {
                t0 = t0.max(r);
            } else {
                t1 = t1.min(r);
            }
        }
    }
    t0 <= t1
}

/// What a label must keep clear of.
pub struct Room<'a> {
    pub width: f32,
    pub height: f32,
    /// The state boxes.
    pub boxes: &'a [TextBox],
    /// Every edge's line.
    pub lines: &'a [[f32; 4]],
}

/// Where the label of the edge drawn along `line` goes (its event's baseline centre), given
/// the labels placed before it; `hint` is tried first (the figure's hand-placed spot).
pub fn place(room: &Room<'_>, placed: &[TextBox], line: [f32; 4], event: &str, action: &str, hint: Option<(f32, f32)>) -> (f32, f32) {
    let size = label_box(event, action, 0.0, 0.0);
    let (w, h) = (size.x1 - size.x0, size.y1 - size.y0);
    // From the event's baseline to the box's centre.
    let down = (size.y0 + size.y1) / 2.0;
    let (dx, dy) = (line[2] - line[0], line[3] - line[1]);
    let length = (dx * dx + dy * dy).sqrt().max(1.0);
    let (nx, ny) = (-dy / length, dx / length);
    // How far the box's centre must be from the line for the box to clear it.
    let half = nx.abs() * w / 2.0 + ny.abs() * h / 2.0;
    let free = |at: (f32, f32), strict: bool| {
        let b = label_box(event, action, at.0, at.1);
        let inside = b.x0 >= 1.0 && b.x1 <= room.width - 1.0 && b.y0 >= 1.0 && b.y1 <= room.height - 1.0;
        inside
            && !room.boxes.iter().any(|s| grown(s, 2.0).overlaps(&b))
            && !placed.iter().any(|p| grown(p, 2.0).overlaps(&b))
            && (!strict || !room.lines.iter().any(|l| *l != line && crosses(*l, &grown(&b, -1.0))))
    };
    // A hand-placed spot is taken whenever it is clear of boxes and labels.
    if let Some(h) = hint.filter(|&h| free(h, false)) {
        return h;
    }
    let mut candidates: Vec<(f32, f32)> = hint.into_iter().collect();
    for t in [0.5, 0.4, 0.6, 0.3, 0.7, 0.2, 0.8] {
        for gap in [3.0, 9.0, 15.0, 24.0] {
            for side in [1.0, -1.0] {
                let (cx, cy) = (line[0] + dx * t + nx * side * (half + gap), line[1] + dy * t + ny * side * (half + gap));
                candidates.push((cx, cy - down));
            }
        }
    }
    // Then anywhere near the line's middle, nearest first (an abort's edge through a crowd).
    let beside = candidates.len();
    let (mx, my) = (line[0] + dx / 2.0, line[1] + dy / 2.0 - down);
    for ring in 1..=24 {
        let r = ring as f32 * 8.0;
        for k in 0..(ring * 8) {
            let angle = k as f32 * std::f32::consts::TAU / (ring * 8) as f32;
            candidates.push((mx + r * angle.cos(), my + r * angle.sin()));
        }
    }
    let first = |range: std::ops::Range<usize>, strict: bool| candidates[range].iter().copied().find(|&c| free(c, strict));
    let all = candidates.len();
    first(0..beside, true)
        .or_else(|| first(0..beside, false))
        .or_else(|| first(beside..all, true))
        .or_else(|| first(beside..all, false))
        .unwrap_or(candidates[0])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_line_crosses_a_box_only_when_it_passes_through_it() {
        let b = TextBox { x0: 10.0, x1: 20.0, y0: 10.0, y1: 20.0 };
        assert!(crosses([0.0, 15.0, 30.0, 15.0], &b));
        assert!(crosses([0.0, 0.0, 30.0, 30.0], &b));
        assert!(!crosses([0.0, 0.0, 30.0, 5.0], &b));
        assert!(!crosses([0.0, 15.0, 5.0, 15.0], &b), "stops short of it");
    }

    #[test]
    fn a_label_is_put_beside_its_line_clear_of_a_box_in_the_way() {
        let state = TextBox { x0: 40.0, x1: 140.0, y0: 40.0, y1: 60.0 };
        let room = Room { width: 300.0, height: 300.0, boxes: &[state], lines: &[] };
        let line = [90.0, 0.0, 90.0, 200.0];
        let (x, y) = place(&room, &[], line, "rcv FIN", "snd ACK", None);
        let b = label_box("rcv FIN", "snd ACK", x, y);
        assert!(!b.overlaps(&state) && !crosses(line, &b), "{b:?}");
        assert!((b.x0 - 90.0).abs() < 30.0 || (b.x1 - 90.0).abs() < 30.0, "next to its line: {b:?}");
    }
}
