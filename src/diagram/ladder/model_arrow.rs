//! An arrow of the ladder (one segment) and what kind it is: where it runs, its label and tags
//! and where they are written (on more lines in narrow lanes), its tooltip and spoken name.

use serde::{Deserialize, Serialize};

use crate::tcp::TcpPacket;

use super::super::label::Tag;

/// What an arrow mainly is; the view maps it to a colour *and* a dash pattern so that it does
/// not rely on colour alone.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ArrowKind {
    Syn,
    Fin,
    Rst,
    Data,
    Ack,
}

impl ArrowKind {
    pub const ALL: [ArrowKind; 5] = [ArrowKind::Syn, ArrowKind::Fin, ArrowKind::Rst, ArrowKind::Data, ArrowKind::Ack];

    pub(super) fn of(p: &TcpPacket) -> Self {
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

    /// Legend text.
    pub fn legend(self) -> &'static str {
        match self {
            ArrowKind::Syn => "SYN / SYN-ACK",
            ArrowKind::Fin => "FIN (dashed)",
            ArrowKind::Rst => "RST (dotted)",
            ArrowKind::Data => "data (thick)",
            ArrowKind::Ack => "ACK only (thin)",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Arrow {
    pub frame: u64,
    /// Index of the segment in the connection (0-based).
    pub index: usize,
    pub from_client: bool,
    /// The arrow leaves the sender's lifeline at `y1` and reaches the receiver's at `y2`.
    pub x1: f32,
    pub y1: f32,
    pub x2: f32,
    pub y2: f32,
    /// Where the arrow passes the capture point (its capture time); rises with the frame
    /// number, so views find the arrows of a y-range by bisection.
    pub yc: f32,
    /// The label is drawn (the timing view leaves out labels that would overlap others; the
    /// tooltip still has them).
    pub show_label: bool,
    pub label: String,
    /// Where a label too long for narrow lanes goes on to another line (byte indices into
    /// `label`, each after a space); its last line is drawn at `label_y`, the others above.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub label_breaks: Vec<usize>,
    /// The same for its tags' text ([`Arrow::tag_text`]): its first line at `tag_y`, the
    /// others below.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tag_breaks: Vec<usize>,
    pub label_x: f32,
    pub label_y: f32,
    pub tags: Vec<Tag>,
    /// Where the tags are written: below the arrow's head in the even view, under the label
    /// in the timing view.
    pub tag_y: f32,
    /// Hover text: frame, options (MSS, window scale, SACK, timestamps) and analysis in words.
    pub detail: String,
    /// What a screen reader announces for the arrow: "frame 8, server to client, FIN ACK, …".
    #[serde(default)]
    pub spoken: String,
    /// Seconds since the first frame of the file.
    pub time: String,
    /// The time is written beside the arrow (the timing view leaves out times that would
    /// overlap others).
    pub show_time: bool,
    pub kind: ArrowKind,
    /// The segment sends bytes again (a retransmission, by Wireshark's analysis or the inferred
    /// resend): drawn in its own style, its tag on the arrow.
    #[serde(default)]
    pub resent: bool,
}

impl Arrow {
    /// "[Retransmission] [Dup ACK 5#1]", or nothing.
    pub fn tag_text(&self) -> Option<String> {
        (!self.tags.is_empty()).then(|| format!("[{}]", self.tags.iter().map(|t| t.text.as_str()).collect::<Vec<_>>().join("] [")))
    }

    /// The label's lines with their baselines: one, or more where it was broken (the last at
    /// `label_y`, each other one a line above the next).
    pub fn label_lines(&self) -> Vec<(&str, f32)> {
        let lines = split_at(&self.label, &self.label_breaks);
        let n = lines.len();
        lines.into_iter().enumerate().map(|(k, line)| (line, self.label_y - LABEL_LINE * (n - 1 - k) as f32)).collect()
    }

    /// How far up and down the arrow reaches with its texts (units): its label's first line
    /// (a line's ascent above its baseline), the line and its head, its tags' last line.
    pub fn extent(&self) -> (f32, f32) {
        let (lines, tags) = (self.label_lines(), self.tag_lines());
        let top = lines.first().filter(|_| self.show_label).map_or(f32::MAX, |(_, y)| y - TEXT_ASCENT);
        let bottom = tags.last().filter(|_| self.show_label).map_or(f32::MIN, |(_, y)| y + TEXT_DESCENT);
        // (The arrowhead reaches 5 units either side of its line's end.)
        (top.min(self.y1).min(self.y2), bottom.max(self.y1.max(self.y2) + 6.0))
    }

    /// The tags' lines with their baselines (the first at `tag_y`), none without tags.
    pub fn tag_lines(&self) -> Vec<(String, f32)> {
        let Some(text) = self.tag_text() else { return Vec::new() };
        split_at(&text, &self.tag_breaks).into_iter().enumerate().map(|(k, line)| (line.to_string(), self.tag_y + LABEL_LINE * k as f32)).collect()
    }
}

/// `text` cut before each of `breaks` (byte indices; ones that are not inside it are skipped).
fn split_at<'a>(text: &'a str, breaks: &[usize]) -> Vec<&'a str> {
    let mut starts: Vec<usize> = vec![0];
    starts.extend(breaks.iter().copied().filter(|&i| i > 0 && i < text.len() && text.is_char_boundary(i)));
    starts.dedup();
    (0..starts.len()).map(|k| text[starts[k]..starts.get(k + 1).copied().unwrap_or(text.len())].trim_end()).collect()
}

/// A 12-unit text's reach above and below its baseline (units), with a little air.
pub const TEXT_ASCENT: f32 = 13.0;
pub const TEXT_DESCENT: f32 = 5.0;

/// One line of a label written above another (units).
pub const LABEL_LINE: f32 = 13.0;
