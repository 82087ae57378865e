//! How much room a text takes in the diagram, without a DOM (widths from
//! [`super::text_width`]): the layout uses these boxes to keep texts apart, and the tests
//! count overlapping pairs.

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Anchor {
    Start,
    Middle,
    End,
}

/// A text's extent: x from `x0` to `x1`, y from `y0` (top of the capitals) to `y1` (bottom of
/// the descenders).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TextBox {
    pub x0: f32,
    pub x1: f32,
    pub y0: f32,
    pub y1: f32,
}

impl TextBox {
    /// The box of `text` written at baseline `y` in a font of `size` px.
    pub fn new(text: &str, x: f32, y: f32, size: f32, anchor: Anchor) -> Self {
        let width = super::text_width::mono(text, size);
        let x0 = match anchor {
            Anchor::Start => x,
            Anchor::Middle => x - width / 2.0,
            Anchor::End => x - width,
        };
        TextBox { x0, x1: x0 + width, y0: y - 0.78 * size, y1: y + 0.22 * size }
    }

    pub fn overlaps(&self, other: &TextBox) -> bool {
        self.x0 < other.x1 && other.x0 < self.x1 && self.y0 < other.y1 && other.y0 < self.y1
    }

    /// The same box moved down by `dy`.
    pub fn down(self, dy: f32) -> Self {
        TextBox { y0: self.y0 + dy, y1: self.y1 + dy, ..self }
    }
}

/// Texts already placed in one part of the diagram, found by their top edge.
#[derive(Debug, Default)]
pub struct Placed {
    by_top: std::collections::BTreeMap<i64, Vec<TextBox>>,
    tallest: f32,
}

fn key(y: f32) -> i64 {
    (y * 4.0).floor() as i64
}

impl Placed {
    pub fn free(&self, b: &TextBox) -> bool {
        let from = key(b.y0 - self.tallest).saturating_sub(1);
        !self.by_top.range(from..=key(b.y1)).flat_map(|(_, v)| v).any(|o| o.overlaps(b))
    }

    pub fn take(&mut self, b: TextBox) {
        self.tallest = self.tallest.max(b.y1 - b.y0);
        self.by_top.entry(key(b.y0)).or_default().push(b);
    }

    /// Places `b`, moved down as little as needed; returns how far it moved.
    pub fn push_down(&mut self, mut b: TextBox) -> f32 {
        let mut moved = 0.0;
        // Steps of 2 units, or more far down the diagram, where 2 is below f32's precision
        // (a step that changes nothing would never end).
        let step = 2.0f32.max(b.y1.abs() * f32::EPSILON * 4.0);
        while !self.free(&b) {
            b = b.down(step);
            moved += step;
        }
        self.take(b);
        moved
    }
}

/// Pairs of overlapping boxes, counted with a sweep over y (for the layout tests).
pub fn overlapping_pairs(boxes: &[(String, TextBox)]) -> Vec<(String, String)> {
    let mut order: Vec<usize> = (0..boxes.len()).collect();
    order.sort_by(|a, b| boxes[*a].1.y0.total_cmp(&boxes[*b].1.y0));
    let mut out = Vec::new();
    for (k, &i) in order.iter().enumerate() {
        for &j in &order[k + 1..] {
            if boxes[j].1.y0 >= boxes[i].1.y1 {
                break;
            }
            if boxes[i].1.overlaps(&boxes[j].1) {
                out.push((boxes[i].0.clone(), boxes[j].0.clone()));
            }
        }
    }
    out
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;

    #[test]
    fn boxes_follow_the_anchor_and_overlap_only_when_they_share_area() {
        let a = TextBox::new("FIN-WAIT-1", 200.0, 100.0, 10.0, Anchor::End);
        assert!((a.x1 - 200.0).abs() < 1e-3 && (a.x1 - a.x0 - 62.0).abs() < 1e-3);
        let b = TextBox::new("CLOSING", 200.0, 110.0, 10.0, Anchor::End);
        assert!(!a.overlaps(&b), "a line apart");
        assert!(a.overlaps(&TextBox::new("X", 190.0, 105.0, 10.0, Anchor::Start)));
        let mut placed = Placed::default();
        placed.take(a);
        assert!(placed.push_down(a) >= 10.0);
        let pairs = overlapping_pairs(&[("a".into(), a), ("b".into(), b), ("c".into(), a.down(3.0))]);
        assert_eq!(pairs.len(), 2);
    }
}
