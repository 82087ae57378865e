//! One walk of a ladder for the sequence-diagram exports (Mermaid, PlantUML): the order in
//! which the participants, the capture note, the collapsed runs, the phases, the states and
//! the messages are written, with the loss-recovery episodes and the congestion band (issue
//! #23) from the same ladder model the page and the SVG draw. Each language writes them its own way through [`SequenceWriter`]
//! (`mermaid.rs`, `plantuml.rs`).

use super::ladder::{CongestionBand, EpisodeBracket, Ladder, Phase};

/// How one language writes what [`walk`] meets. Texts arrive as the ladder holds them; each
/// writer makes them safe for its language (`export_text.rs`).
pub(super) trait SequenceWriter {
    /// A participant: `letter` (C or S) for the `role` ("client", "server") of that name.
    fn participant(&mut self, letter: &str, role: &str, name: &str);
    /// A note across both participants.
    fn note_across(&mut self, text: &str);
    /// A run of segments collapsed into one line (by default a note across).
    fn run(&mut self, text: &str) {
        self.note_across(text);
    }
    /// Before the message of `frame`: the phases that start there (the writer says which, of
    /// all the ladder's `phases`, it opens).
    fn phases_before(&mut self, phases: &[Phase], frame: u64);
    /// A state an endpoint is in (`client`: the client's), written above or below a message.
    fn state(&mut self, client: bool, state: &str);
    /// A message from C to S (`from_client`) or back, with its words and frame number.
    fn message(&mut self, from_client: bool, text: &str, frame: u64);
    /// A loss-recovery episode begins before this message (by default a note across naming its
    /// frames), and ends after the message of its last frame (or the last message before it).
    fn episode_start(&mut self, e: &EpisodeBracket) {
        self.note_across(&episode_text(e));
    }
    fn episode_end(&mut self, _e: &EpisodeBracket) {}
    /// A stretch of the congestion band begins before this message.
    fn band(&mut self, b: &CongestionBand);
    /// After the message of `frame` and its states.
    fn after_message(&mut self, _frame: u64) {}
    /// After the last message.
    fn finish(&mut self) {}
}

/// Walks `ladder` in the order of its messages, telling `w` what to write.
pub(super) fn walk(ladder: &Ladder, w: &mut impl SequenceWriter) {
    w.participant("C", "client", &ladder.client.name);
    w.participant("S", "server", &ladder.server.name);
    if let Some(c) = &ladder.capture {
        // Neither language draws slanted arrows (PlantUML's teoz `->(N)` needs 1.2021 or
        // later; the PlantUML most systems ship, Debian's 1.2020, rejects them): the timing
        // view says where the capture was taken and gives each message its capture time.
        w.note_across(&format!("{} (timing view: times are capture times)", c.label));
    }
    let mut groups = ladder.groups.iter().peekable();
    let (mut next_episode, mut next_band, mut open_episodes) = (0, 0, Vec::new());
    for a in &ladder.arrows {
        while let Some(g) = groups.peek() {
            if g.first_frame > a.frame {
                break;
            }
            w.run(&g.text);
            groups.next();
        }
        w.phases_before(&ladder.phases, a.frame);
        while let Some(e) = ladder.episodes.get(next_episode).filter(|e| e.first_frame <= a.frame) {
            w.episode_start(e);
            open_episodes.push(e);
            next_episode += 1;
        }
        while let Some(b) = ladder.congestion_bands.get(next_band).filter(|b| b.first_frame <= a.frame) {
            w.band(b);
            next_band += 1;
        }
        // LISTEN held before the SYN arrived: its note goes above the arrow.
        for st in ladder.states.iter().filter(|s| s.frame == a.frame && s.state == "LISTEN") {
            w.state(st.client, &st.display());
        }
        let mut msg = a.label.clone();
        for t in &a.tags {
            msg.push_str(&format!(" [{}]", t.text));
        }
        if ladder.capture.is_some() {
            msg.push_str(&format!(" @ {} s", a.time));
        }
        w.message(a.from_client, &msg, a.frame);
        for st in ladder.states.iter().filter(|s| s.frame == a.frame && s.state != "LISTEN") {
            w.state(st.client, &st.display());
        }
        // Latest opened first, so that boxes close inside out.
        while let Some(i) = open_episodes.iter().rposition(|e| e.last_frame <= a.frame) {
            w.episode_end(open_episodes.remove(i));
        }
        w.after_message(a.frame);
    }
    for e in open_episodes.into_iter().rev() {
        w.episode_end(e);
    }
    w.finish();
}

/// "C" or "S", the participant of the client or the server.
pub(super) fn participant(client: bool) -> &'static str {
    if client {
        "C"
    } else {
        "S"
    }
}

/// An episode's words in an export: whose data, its frames, and the bracket's caption.
pub(super) fn episode_text(e: &EpisodeBracket) -> String {
    format!("loss recovery, {}'s data, frames {}–{}: {}", if e.from_client { "client" } else { "server" }, e.first_frame, e.last_frame, e.caption)
}

/// A stretch of the congestion band in an export: its frames and its whole sentence.
pub(super) fn band_text(b: &CongestionBand) -> String {
    format!("congestion, {}'s data, frames {}–{}: {}", if b.from_client { "client" } else { "server" }, b.first_frame, b.last_frame, b.label)
}
