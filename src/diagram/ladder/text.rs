//! The room the ladder's texts take (`Ladder::text_boxes`, what the overlap tests check), where
//! a centred text stays within the diagram, and an arrow's hover text.

use crate::tcp::seq::SeqNumber;
use crate::tcp::TcpPacket;

use crate::draw::offsets::{BASELINE_BELOW_ROW, GAP_MARK_BESIDE, TIME_X};
use crate::draw::text_box::{Anchor, TextBox};
use super::{gap_text, Ladder};

/// Where to centre `text` (of font `size`) so that it stands over `x` but never runs off the
/// diagram's sides.
pub(super) fn centre_within_width(text: &str, size: f32, x: f32, width: f32) -> f32 {
    let half = TextBox::new(text, 0.0, 0.0, size, Anchor::Start).x1 / 2.0 + 4.0;
    x.clamp(half, (width - half).max(half))
}

/// `name` cut in its middle with "…" to fit `room` units at 12 px (an IPv6 address keeps its
/// start and its port): the compact columns' lane names; the whole one is in the title.
pub(super) fn fit_name(name: &str, room: f32) -> String {
    let chars: Vec<char> = name.chars().collect();
    let fits = |n: usize| TextBox::new(&"m".repeat(n), 0.0, 0.0, 12.0, Anchor::Start).x1 <= room;
    if fits(chars.len()) {
        return name.to_string();
    }
    let keep = (1..chars.len()).take_while(|&n| fits(n + 1)).last().unwrap_or(1);
    let tail = keep / 2 + keep % 2;
    let head = keep - tail;
    format!("{}…{}", chars[..head].iter().collect::<String>(), chars[chars.len() - tail..].iter().collect::<String>())
}

impl Ladder {
    /// Every text the diagram draws, named, with the room it takes (what the views and the
    /// SVG export write, at the sizes their styles give).
    pub fn text_boxes(&self) -> Vec<(String, TextBox)> {
        let mut out = Vec::new();
        let mut add = |name: String, text: &str, x: f32, y: f32, size: f32, anchor: Anchor| out.push((format!("{name} {text:?}"), TextBox::new(text, x, y, size, anchor)));
        for l in [&self.client, &self.server] {
            add("role".into(), l.role, l.x, 22.0, 12.0, Anchor::Middle);
            add("name".into(), &l.name, l.name_x, 40.0, 12.0, Anchor::Middle);
        }
        if let Some(c) = &self.capture {
            add("capture point".into(), &c.label, c.label_x, c.label_y, 11.0, Anchor::Middle);
            if !c.explain.is_empty() {
                add("capture line's sentence".into(), &c.explain, TIME_X, c.explain_y, 11.0, Anchor::Start);
            }
        }
        for h in &self.headings {
            add("heading".into(), &h.text, h.x, h.y, 11.0, Anchor::Start);
        }
        for t in &self.ticks {
            add("tick".into(), &t.label, t.x, t.y + BASELINE_BELOW_ROW, 11.0, Anchor::Start);
        }
        for p in &self.phases {
            for (i, line) in p.title_lines.iter().enumerate() {
                add(format!("phase {} title", p.kind), line, p.text_x(), p.title_y(i), 12.0, Anchor::Start);
            }
            for (i, line) in p.caption_lines.iter().enumerate() {
                add(format!("phase {} caption", p.kind), line, p.text_x(), p.caption_y(i), 11.0, Anchor::Start);
            }
        }
        for e in &self.episodes {
            for (i, line) in e.caption_lines.iter().enumerate() {
                add(format!("episode {} caption", e.first_frame), line, e.text_x, e.caption_y(i), 11.0, Anchor::Start);
            }
        }
        for a in &self.arrows {
            if a.show_time {
                add(format!("time of frame {}", a.frame), &a.time, TIME_X, a.yc + BASELINE_BELOW_ROW, 11.0, Anchor::Start);
            }
            if a.show_label {
                for (line, y) in a.label_lines() {
                    add(format!("label of frame {}", a.frame), line, a.label_x, y, 12.0, Anchor::Middle);
                }
                for (tags, y) in a.tag_lines() {
                    add(format!("tags of frame {}", a.frame), &tags, a.label_x, y, 11.0, Anchor::Middle);
                }
            }
        }
        for g in &self.groups {
            for (line, y) in g.text_lines(self.width) {
                add(format!("run {}", g.first_frame), line, (self.client.x + self.server.x) / 2.0, y, 11.0, Anchor::Middle);
            }
        }
        for s in &self.states {
            add(format!("state at frame {}", s.frame), &s.display(), s.x, s.y, 11.0, if s.anchor_end { Anchor::End } else { Anchor::Start });
        }
        for g in &self.gaps {
            let left = g.x < (self.client.x + self.server.x) / 2.0;
            add(format!("gap at frame {}", g.frame), gap_text(self.width), if left { g.x - GAP_MARK_BESIDE } else { g.x + GAP_MARK_BESIDE }, g.y, 11.0, if left { Anchor::End } else { Anchor::Start });
        }
        out
    }
}

/// The tooltip of an arrow: the label's frame, the segment's options, and analysis notes.
pub(super) fn hover_detail(p: &TcpPacket) -> String {
    let o = &p.segment.options;
    let mut parts = vec![format!("frame {}, {:.6} s", p.frame, p.time_ns as f64 / 1e9)];
    if let Some(mss) = o.mss {
        parts.push(format!("MSS={mss}"));
    }
    if let Some(ws) = o.window_scale {
        parts.push(format!("WS={ws} (×{})", 1u32 << ws.min(14)));
    }
    if o.sack_permitted {
        parts.push("SACK_PERM".to_string());
    }
    // Relative to the peer's ISN, as seq and ack are (and as Wireshark shows them): the ACK
    // field's raw and relative values give the base.
    let base = SeqNumber(p.segment.ack) - p.ack;
    for b in o.sack_blocks() {
        parts.push(format!("SACK {}–{}", SeqNumber(b.left) - base, SeqNumber(b.right) - base));
    }
    if let Some((val, ecr)) = o.timestamps {
        parts.push(format!("TSval={val} TSecr={ecr}"));
    }
    if p.analysis.ack_rtt_ns > 0 && p.analysis.acked_frame > 0 {
        parts.push(format!("ACKs frame {} after {:.3} ms", p.analysis.acked_frame, p.analysis.ack_rtt_ns as f64 / 1e6));
    }
    if p.analysis.bytes_in_flight > 0 {
        parts.push(format!("{} bytes in flight", p.analysis.bytes_in_flight));
    }
    parts.join(" · ")
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    /// SACK edges in the arrow's tooltip are relative, as seq and ack are: tshark gives frame
    /// 158 of drop_mid at the receiver `tcp.ack` 143353 and `tcp.options.sack_le`/`_re`
    /// 144801/146249 (they were the raw 32-bit edges).
    #[test]
    fn sack_edges_are_relative_like_seq_and_ack() {
        let bytes = std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/captures/lossy/drop_mid_at_receiver.pcap")).unwrap();
        let session = crate::session::analyze_bytes(&bytes).unwrap();
        let conn = session.connection(0).unwrap();
        let p = conn.packets().find(|p| p.frame == 158).unwrap();
        assert!(super::hover_detail(&p).contains("SACK 144801–146249"), "{}", super::hover_detail(&p));
    }
}
