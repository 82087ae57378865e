//! The ladder as PlantUML sequence-diagram text.

use super::export_text::{comment_text, plantuml_text as text};
use super::ladder::{CongestionBand, EpisodeBracket, Ladder, Phase};
use super::sequence_walk::{band_text, episode_text, participant, walk, SequenceWriter};

pub fn render(ladder: &Ladder) -> String {
    let mut w = PlantUml { out: String::from("@startuml\n"), open_groups: Vec::new() };
    if let Some(line) = &ladder.time_line {
        w.out.push_str(&format!("' {}\n", comment_text(line)));
    }
    walk(ladder, &mut w);
    w.out
}

/// PlantUML's writing of the walk: a phase is a divider (`== title ==`) above the message it
/// starts with; a loss-recovery episode a `group` around its messages when it nests inside the
/// open groups (else a note across where it starts); the congestion band a note beside the
/// data's sender where each of its stretches starts.
struct PlantUml {
    out: String,
    /// The episodes whose group is open, as (first frame, last frame), innermost last.
    open_groups: Vec<(u64, u64)>,
}

impl SequenceWriter for PlantUml {
    fn participant(&mut self, letter: &str, role: &str, name: &str) {
        self.out.push_str(&format!("participant \"{role}\\n{}\" as {letter}\n", text(name)));
    }

    fn note_across(&mut self, t: &str) {
        self.out.push_str(&format!("note across : {}\n", text(t)));
    }

    fn run(&mut self, t: &str) {
        self.out.push_str(&format!("... {} ...\n", text(t)));
    }

    fn phases_before(&mut self, phases: &[Phase], frame: u64) {
        if let Some(p) = phases.iter().find(|p| p.first_frame == frame) {
            self.out.push_str(&format!("== {} ==\n", text(&p.title)));
        }
    }

    fn state(&mut self, client: bool, state: &str) {
        self.out.push_str(&format!("hnote over {} : {}\n", participant(client), text(state)));
    }

    fn episode_start(&mut self, e: &EpisodeBracket) {
        if self.open_groups.last().is_none_or(|o| e.last_frame <= o.1) {
            self.out.push_str(&format!("group {}\n", text(&episode_text(e))));
            self.open_groups.push((e.first_frame, e.last_frame));
        } else {
            self.note_across(&episode_text(e));
        }
    }

    fn episode_end(&mut self, e: &EpisodeBracket) {
        if let Some(i) = self.open_groups.iter().position(|o| *o == (e.first_frame, e.last_frame)) {
            for _ in i..self.open_groups.len() {
                self.out.push_str("end\n");
            }
            self.open_groups.truncate(i);
        }
    }

    fn band(&mut self, b: &CongestionBand) {
        self.out.push_str(&format!("note {} of {} : {}\n", if b.from_client { "left" } else { "right" }, participant(b.from_client), text(&band_text(b))));
    }

    fn message(&mut self, from_client: bool, t: &str, frame: u64) {
        let (from, to) = (participant(from_client), participant(!from_client));
        self.out.push_str(&format!("{from} -> {to} : {} (frame {frame})\n", text(t)));
    }

    fn finish(&mut self) {
        for _ in self.open_groups.drain(..) {
            self.out.push_str("end\n");
        }
        self.out.push_str("@enduml\n");
    }
}
