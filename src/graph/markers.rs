//! tcptrace-style marks on the time-sequence graph, so a finding is told by its shape and its
//! letter, not only its colour: a segment is an I-beam (its sequence range with a cap at each
//! end); a retransmission a thick I-beam with "R"; an out-of-order segment one with "O"; a
//! SACK block a bar with "S"; a segment after bytes the capture missed an "×". The page and the
//! SVG export draw the same decorations from these functions.

use serde::{Deserialize, Serialize};

/// How a point is drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Marker {
    /// A plain mark (a dot or a bar, no letter).
    #[default]
    Plain,
    /// A data segment: an I-beam.
    Segment,
    /// A retransmission: a thick I-beam, "R".
    Retransmission,
    /// Out of order: an I-beam, "O".
    OutOfOrder,
    /// A SACK block: a bar, "S".
    Sack,
    /// A segment after bytes never captured: "×".
    Lost,
}

impl Marker {
    /// Where a mark of this kind is drawn among the others: a higher rank later, on top. A
    /// resend or a segment after a capture gap is what the reader looks for, and must not lie
    /// under the SACK blocks received around it (drop_mid's one retransmission was hidden
    /// under their purple in a zoomed time-sequence graph).
    pub fn draw_rank(self) -> u8 {
        match self {
            Marker::Plain => 0,
            Marker::Segment => 1,
            Marker::Sack => 2,
            Marker::OutOfOrder => 3,
            Marker::Lost => 4,
            Marker::Retransmission => 5,
        }
    }

    /// The marker of a series, from its CSS class.
    pub fn of_class(class: &str) -> Marker {
        match class.split(' ').next().unwrap_or("") {
            "g-data" => Marker::Segment,
            "g-retrans" => Marker::Retransmission,
            "g-ooo" => Marker::OutOfOrder,
            "g-sack" => Marker::Sack,
            "g-lost" => Marker::Lost,
            _ => Marker::Plain,
        }
    }

    /// tcptrace's letter beside the mark.
    pub fn letter(self) -> Option<&'static str> {
        match self {
            Marker::Retransmission => Some("R"),
            Marker::OutOfOrder => Some("O"),
            Marker::Sack => Some("S"),
            Marker::Lost => Some("×"),
            Marker::Plain | Marker::Segment => None,
        }
    }

    /// Half the width of the caps, in pixels (0: no caps).
    fn cap(self) -> f32 {
        match self {
            Marker::Segment | Marker::OutOfOrder | Marker::Sack => 2.5,
            Marker::Retransmission => 4.0,
            Marker::Plain | Marker::Lost => 0.0,
        }
    }
}

/// Letters are drawn while there are at most this many marks (beyond, they would cover the
/// data; the colour and the caps still tell the kinds apart).
pub const LETTERS_UP_TO: usize = 600;

/// The caps of a bar from (x, y1) to (x, y2) as an SVG path ("" for none, or for a dot): a
/// short horizontal stroke at each end.
pub fn caps_path(marker: Marker, dot: bool, x: f32, y1: f32, y2: f32) -> String {
    let c = marker.cap();
    if c == 0.0 || dot {
        return String::new();
    }
    format!("M{:.1},{y1:.1}H{:.1}M{:.1},{y2:.1}H{:.1}", x - c, x + c, x - c, x + c)
}

/// Where the letter of a mark whose top is at (x, y2) goes (right of it), and the letter.
pub fn letter_at(marker: Marker, x: f32, y2: f32) -> Option<(f32, f32, &'static str)> {
    marker.letter().map(|l| (x + 3.0, y2 - 2.0, l))
}

/// A legend swatch (an SVG fragment 22 × 14 with its origin at the top left): the series' own
/// mark, its letter, or a line for a line series.
pub fn swatch_svg(marker: Marker, class: &str, line: bool) -> String {
    let class = crate::draw::xml::escape_keeping_apostrophes(class);
    if line {
        return format!(r#"<line class="{class}" x1="1" x2="21" y1="7" y2="7" stroke-width="2"/>"#);
    }
    let cap = marker.cap();
    let width = if marker == Marker::Retransmission { 3 } else { 2 };
    let mut s = format!(r#"<line class="{class}" x1="6" x2="6" y1="2" y2="12" stroke-width="{width}"/>"#);
    if cap > 0.0 {
        s += &format!(r#"<path class="{class}" d="M{:.1},2H{:.1}M{:.1},12H{:.1}" stroke-width="1.5"/>"#, 6.0 - cap, 6.0 + cap, 6.0 - cap, 6.0 + cap);
    }
    if let Some(l) = marker.letter() {
        s += &format!(r#"<text class="{class} g-letter" x="12" y="11" stroke="none" font-size="10" font-weight="bold">{l}</text>"#);
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;


    #[test]
    fn findings_are_told_apart_by_shape_and_letter() {
        let kinds = ["g-data", "g-retrans", "g-ooo", "g-sack", "g-lost"].map(Marker::of_class);
        assert_eq!(kinds, [Marker::Segment, Marker::Retransmission, Marker::OutOfOrder, Marker::Sack, Marker::Lost]);
        let letters: Vec<_> = kinds.iter().map(|k| k.letter()).collect();
        assert_eq!(letters, [None, Some("R"), Some("O"), Some("S"), Some("×")]);
        // A retransmission's caps are wider than a plain segment's.
        assert_eq!(caps_path(Marker::Retransmission, false, 10.0, 50.0, 20.0), "M6.0,50.0H14.0M6.0,20.0H14.0");
        assert_eq!(caps_path(Marker::Segment, false, 10.0, 50.0, 20.0), "M7.5,50.0H12.5M7.5,20.0H12.5");
        assert_eq!(caps_path(Marker::Segment, true, 10.0, 50.0, 50.0), "");
        assert_eq!(letter_at(Marker::Retransmission, 10.0, 20.0), Some((13.0, 18.0, "R")));
        assert!(swatch_svg(Marker::Sack, "g-sack", false).contains(">S</text>"));
    }
}
