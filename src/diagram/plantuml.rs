//! The ladder as PlantUML sequence-diagram text.

use super::export_text::{comment_text, plantuml_text as text};
use super::ladder::{Ladder, Phase};
use super::sequence_walk::{participant, walk, SequenceWriter};

pub fn render(ladder: &Ladder) -> String {
    let mut w = PlantUml { out: String::from("@startuml\n") };
    if let Some(line) = &ladder.time_line {
        w.out.push_str(&format!("' {}\n", comment_text(line)));
    }
    walk(ladder, &mut w);
    w.out
}

/// PlantUML's writing of the walk: a phase is a divider (`== title ==`) above the message it
/// starts with.
struct PlantUml {
    out: String,
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

    fn message(&mut self, from_client: bool, t: &str, frame: u64) {
        let (from, to) = (participant(from_client), participant(!from_client));
        self.out.push_str(&format!("{from} -> {to} : {} (frame {frame})\n", text(t)));
    }

    fn finish(&mut self) {
        self.out.push_str("@enduml\n");
    }
}
