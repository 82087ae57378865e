//! The ladder as Mermaid `sequenceDiagram` text, for documents that render Mermaid.

use super::export_text::mermaid_text as clean;
use super::ladder::Ladder;

/// Mermaid renders at most this many characters by default (`maxTextSize`, 50 000); beyond it,
/// it draws an error box. A longer diagram is cut short, and says so.
const MAX_TEXT: usize = 50_000;
/// Room kept for the closing lines and the note that says where the diagram was cut.
const CLOSING_ROOM: usize = 600;

pub fn render(ladder: &Ladder) -> String {
    let full = render_all(ladder);
    if full.len() <= MAX_TEXT {
        return full;
    }
    // Cut after the last message that fits, closing an open phase box, and say so at the top
    // (a comment) and at the end (a note in the picture).
    let budget = MAX_TEXT - CLOSING_ROOM;
    let mut kept = String::new();
    let mut open_boxes = 0i32;
    let mut last_frame = String::new();
    for line in full.lines() {
        if kept.len() + line.len() + 1 > budget {
            break;
        }
        let t = line.trim_start();
        if t.starts_with("rect ") {
            open_boxes += 1;
        } else if t == "end" {
            open_boxes -= 1;
        }
        if let Some(frame) = t.rsplit("(frame ").next().filter(|_| t.contains("->>")) {
            last_frame = frame.trim_end_matches(')').to_string();
        }
        kept.push_str(line);
        kept.push('\n');
    }
    for _ in 0..open_boxes.max(0) {
        kept.push_str("    end\n");
    }
    let why = format!(
        "cut after frame {last_frame}: Mermaid renders at most {MAX_TEXT} characters; the whole connection is in the SVG export, or collapse the long runs"
    );
    kept.push_str(&format!("    Note over C,S: ⋯ {} ⋯\n", clean(&why)));
    format!("%% {why}\n{kept}")
}

fn render_all(ladder: &Ladder) -> String {
    let mut out = String::from("sequenceDiagram\n");
    out.push_str(&format!("    participant C as client {}\n", clean(&ladder.client.name)));
    out.push_str(&format!("    participant S as server {}\n", clean(&ladder.server.name)));
    if let Some(c) = &ladder.capture {
        // Mermaid draws no slanted arrows: the timing view says where the capture was taken and
        // gives each message its capture time.
        out.push_str(&format!("    Note over C,S: {} (timing view: times are capture times)\n", clean(&c.label)));
    }
    let mut phases = ladder.phases.iter().peekable();
    let mut open_phase: Option<u64> = None;
    let mut groups = ladder.groups.iter().peekable();
    for a in &ladder.arrows {
        while let Some(g) = groups.peek() {
            if g.first_frame > a.frame {
                break;
            }
            out.push_str(&format!("    Note over C,S: {}\n", clean(&g.text)));
            groups.next();
        }
        // One phase box at a time: a phase that starts inside another (a reset in an unfinished
        // handshake) closes the open box first, so every `rect` has its `end`.
        while let Some(p) = phases.peek() {
            if p.first_frame > a.frame {
                break;
            }
            if open_phase.take().is_some() {
                out.push_str("    end\n");
            }
            out.push_str(&format!("    rect rgba(127, 127, 127, 0.12)\n    Note over C,S: {}\n", clean(&p.title)));
            open_phase = Some(p.last_frame);
            phases.next();
        }
        for st in ladder.states.iter().filter(|s| s.frame == a.frame && s.state == "LISTEN") {
            out.push_str(&format!("    Note {} {}: {}\n", if st.client { "left of" } else { "right of" }, if st.client { "C" } else { "S" }, st.display()));
        }
        let (from, to) = if a.from_client { ("C", "S") } else { ("S", "C") };
        let mut msg = a.label.clone();
        for t in &a.tags {
            msg.push_str(&format!(" [{}]", t.text));
        }
        if ladder.capture.is_some() {
            msg.push_str(&format!(" @ {} s", a.time));
        }
        out.push_str(&format!("    {from}->>{to}: {} (frame {})\n", clean(&msg), a.frame));
        for st in ladder.states.iter().filter(|s| s.frame == a.frame && s.state != "LISTEN") {
            out.push_str(&format!("    Note {} {}: {}\n", if st.client { "left of" } else { "right of" }, if st.client { "C" } else { "S" }, st.display()));
        }
        if open_phase.is_some_and(|last| last <= a.frame) {
            out.push_str("    end\n");
            open_phase = None;
        }
    }
    if open_phase.is_some() {
        out.push_str("    end\n");
    }
    out
}
