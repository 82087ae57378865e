//! The ladder as Mermaid `sequenceDiagram` text, for documents that render Mermaid.

use super::export_text::{comment_text, mermaid_text as clean};
use super::ladder::{CongestionBand, EpisodeBracket, Ladder, Phase};
use super::sequence_walk::{band_text, episode_text, participant, walk, SequenceWriter};

/// Mermaid renders at most this many characters by default (`maxTextSize`, 50 000); beyond it,
/// it draws an error box. A longer diagram is cut short, and says so.
const MAX_TEXT: usize = 50_000;
/// Room kept for the closing lines and the note that says where the diagram was cut.
const CLOSING_ROOM: usize = 600;

pub fn render(ladder: &Ladder) -> String {
    render_within(ladder, MAX_TEXT)
}

/// The export cut to at most `max_text` characters (Mermaid's limit in [`render`]; a smaller
/// one lets a test put the cut anywhere).
pub fn render_within(ladder: &Ladder, max_text: usize) -> String {
    let full = render_all(ladder);
    if full.len() <= max_text {
        return full;
    }
    // Cut after the last message that fits, closing an open phase box, and say so at the top
    // (a comment) and at the end (a note in the picture).
    let budget = max_text.saturating_sub(CLOSING_ROOM);
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
    // A box cut right after it opened would be empty, which Mermaid draws with NaN sizes.
    while kept.lines().last().is_some_and(|l| l.trim_start().starts_with("rect ")) {
        kept.truncate(kept[..kept.len() - 1].rfind('\n').map_or(0, |i| i + 1));
        open_boxes -= 1;
    }
    for _ in 0..open_boxes.max(0) {
        kept.push_str("    end\n");
    }
    let why = format!(
        "cut after frame {last_frame}: Mermaid renders at most {max_text} characters; the whole connection is in the SVG export, or collapse the long runs"
    );
    kept.push_str(&format!("    Note over C,S: ⋯ {} ⋯\n", clean(&why)));
    format!("%% {why}\n{kept}")
}

fn render_all(ladder: &Ladder) -> String {
    let mut w = Mermaid { out: String::from("sequenceDiagram\n"), next_phase: 0, open_phase: None, open_episodes: Vec::new() };
    if let Some(line) = &ladder.time_line {
        w.out.push_str(&format!("%% {}\n", comment_text(line)));
    }
    walk(ladder, &mut w);
    w.out
}

/// Mermaid's writing of the walk: a phase is a shaded `rect` box around its messages; a
/// loss-recovery episode a reddish box inside it, when it fits inside the open boxes (Mermaid's
/// boxes nest, they cannot cross), else a note where it starts; the congestion band a note
/// beside the data's sender where each of its stretches starts.
struct Mermaid {
    /// The episodes whose box is open, as (first frame, last frame), innermost last.
    open_episodes: Vec<(u64, u64)>,
    out: String,
    /// The first phase not opened yet.
    next_phase: usize,
    /// The last frame of the phase whose box is open.
    open_phase: Option<u64>,
}

impl SequenceWriter for Mermaid {
    fn participant(&mut self, letter: &str, role: &str, name: &str) {
        self.out.push_str(&format!("    participant {letter} as {role} {}\n", clean(name)));
    }

    fn phases_before(&mut self, phases: &[Phase], frame: u64) {
        // One phase box at a time: a phase that starts inside another (a reset in an unfinished
        // handshake) closes the open box first, so every `rect` has its `end`.
        while let Some(p) = phases.get(self.next_phase) {
            if p.first_frame > frame {
                break;
            }
            // The application's phases sit inside the data transfer's box: a note, not a box.
            if p.kind == "app" {
                self.note_across(&p.title);
                self.next_phase += 1;
                continue;
            }
            // (An episode box inside it closes with it: boxes cannot cross.)
            for _ in self.open_episodes.drain(..) {
                self.out.push_str("    end\n");
            }
            if self.open_phase.take().is_some() {
                self.out.push_str("    end\n");
            }
            self.out.push_str("    rect rgba(127, 127, 127, 0.12)\n");
            self.note_across(&p.title);
            self.open_phase = Some(p.last_frame);
            self.next_phase += 1;
        }
    }

    fn note_across(&mut self, text: &str) {
        self.out.push_str(&format!("    Note over C,S: {}\n", clean(text)));
    }

    fn episode_start(&mut self, e: &EpisodeBracket) {
        let room = self.open_episodes.iter().map(|o| o.1).chain(self.open_phase).min();
        if room.is_none_or(|last| e.last_frame <= last) {
            self.out.push_str("    rect rgba(214, 39, 40, 0.10)\n");
            self.open_episodes.push((e.first_frame, e.last_frame));
        }
        self.note_across(&episode_text(e));
    }

    fn episode_end(&mut self, e: &EpisodeBracket) {
        if let Some(i) = self.open_episodes.iter().position(|o| *o == (e.first_frame, e.last_frame)) {
            // Inner boxes first (they end no later, so they are closed already or now).
            for _ in i..self.open_episodes.len() {
                self.out.push_str("    end\n");
            }
            self.open_episodes.truncate(i);
        }
    }

    fn band(&mut self, b: &CongestionBand) {
        self.out.push_str(&format!("    Note {} {}: {}\n", if b.from_client { "left of" } else { "right of" }, participant(b.from_client), clean(&band_text(b))));
    }

    fn after_message(&mut self, frame: u64) {
        if self.open_phase.is_some_and(|last| last <= frame) {
            for _ in self.open_episodes.drain(..) {
                self.out.push_str("    end\n");
            }
            self.out.push_str("    end\n");
            self.open_phase = None;
        }
    }

    fn state(&mut self, client: bool, state: &str) {
        self.out.push_str(&format!("    Note {} {}: {state}\n", if client { "left of" } else { "right of" }, participant(client)));
    }

    fn finish(&mut self) {
        for _ in self.open_episodes.drain(..) {
            self.out.push_str("    end\n");
        }
        if self.open_phase.is_some() {
            self.out.push_str("    end\n");
        }
    }

    fn message(&mut self, from_client: bool, text: &str, frame: u64) {
        let (from, to) = (participant(from_client), participant(!from_client));
        self.out.push_str(&format!("    {from}->>{to}: {} (frame {frame})\n", clean(text)));
    }
}
