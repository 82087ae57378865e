//! Two captures of the same connections, opened together on the page (issue #26): both read
//! into sessions that keep their segments, merged (`merge::merge_with`), and each paired
//! connection answered as view data: its lines in words, its ladder with both capture points,
//! and the plot of its delays between the points. The offset the user sets by hand merges
//! again with it.

use serde::{Deserialize, Serialize};

use crate::diagram::merged_delays::{delay_plot, DelayPlot};
use crate::diagram::merged_layout::{layout, MergedLadder};
use crate::merge::{merge_with, Merge, MergeOptions};
use crate::session::{Session, SessionBuilder};

/// Rows of a merged ladder sent to the page at once (the rest: "show the next").
pub const ROWS_SHOWN: usize = 1000;

/// One paired connection, for the page's chooser.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PairChoice {
    pub stream_a: u32,
    pub stream_b: u32,
    /// "A#0 = B#0: 10.0.0.1:5000 → 10.0.0.2:80, 372 segments matched"
    pub label: String,
}

/// What the page shows of two captures merged.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MergeView {
    /// The two files' names, A and B.
    pub names: [String; 2],
    /// What the whole merge says (no connection in common, the same file twice, a damaged
    /// file and where) and what was not paired.
    pub notes: Vec<String>,
    pub pairs: Vec<PairChoice>,
    /// The pair shown (an index into `pairs`), its lines in words, its ladder and delay plot.
    pub shown: Option<ShownPair>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ShownPair {
    pub index: usize,
    pub lines: Vec<String>,
    /// B's clock minus A's as the packets give it, and as used (set by hand, or the same), ns.
    pub estimated_offset_ns: Option<i64>,
    pub offset_ns: Option<i64>,
    pub offset_by_hand: bool,
    pub uncertainty_ns: Option<i64>,
    pub ladder: MergedLadder,
    pub delays: Option<DelayPlot>,
}

enum Stage {
    Reading(Box<[SessionBuilder; 2]>),
    Read([Session; 2]),
    Failed,
}

/// The two files, read one after the other.
pub struct TwoPoints {
    names: [String; 2],
    stage: Stage,
    merged: Option<(MergeOptions, Merge)>,
}

impl TwoPoints {
    /// Two files about to be read (their names and sizes).
    pub fn new(names: [String; 2], sizes: [u64; 2]) -> Self {
        TwoPoints { names, stage: Stage::Reading(Box::new([SessionBuilder::new(Some(sizes[0])), SessionBuilder::new(Some(sizes[1]))])), merged: None }
    }

    /// The next piece of file `which` (0: A, 1: B). `Err`: that file is not a capture.
    pub fn push(&mut self, which: usize, piece: &[u8]) -> Result<(), String> {
        let Stage::Reading(builders) = &mut self.stage else { return Ok(()) };
        let result = builders[which.min(1)].push(piece).map_err(|e| format!("{}: {}", self.names[which.min(1)], e.message));
        if result.is_err() {
            self.stage = Stage::Failed;
        }
        result
    }

    /// File `which` wants more bytes (it is not damaged, nor finished).
    pub fn wants_more(&self, which: usize) -> bool {
        matches!(&self.stage, Stage::Reading(b) if !b[which.min(1)].stopped())
    }

    /// Both files read: merged with the estimate, the first pair shown.
    pub fn finish(&mut self) -> Result<MergeView, String> {
        let Stage::Reading(builders) = std::mem::replace(&mut self.stage, Stage::Failed) else { return Err("the two files are not being read".to_string()) };
        let [a, b] = *builders;
        let name = |k: usize| self.names[k].clone();
        let a = a.finish().map_err(|e| format!("{}: {}", name(0), e.message))?;
        let b = b.finish().map_err(|e| format!("{}: {}", name(1), e.message))?;
        self.stage = Stage::Read([a, b]);
        Ok(self.view(0, None, 0, false))
    }

    /// Pair `index` shown from its row `first_row` on, with B's clock minus A's set by hand
    /// (ns) or the estimate (`None`); `hide`: the endpoints' addresses and ports left out (the
    /// page's "hide addresses").
    pub fn view(&mut self, index: usize, offset_ns: Option<i64>, first_row: usize, hide: bool) -> MergeView {
        let Stage::Read(sessions) = &self.stage else {
            return MergeView { names: self.names.clone(), notes: vec!["the two files have not been read".to_string()], pairs: Vec::new(), shown: None };
        };
        let options = MergeOptions { offset_ns };
        if self.merged.as_ref().is_none_or(|(o, _)| *o != options) {
            self.merged = Some((options, merge_with(&sessions[0], &sessions[1], &options)));
        }
        let Some((_, merged)) = &self.merged else { unreachable!("merged just above") };
        let mut notes = Vec::new();
        for (k, s) in sessions.iter().enumerate() {
            if let Some(d) = &s.damage {
                notes.push(format!("{} ({}): {d}; what came before is merged", self.names[k], ["A", "B"][k]));
            }
        }
        notes.extend(merged.notes.iter().cloned());
        if !merged.unmatched_a.is_empty() || !merged.unmatched_b.is_empty() {
            notes.push(format!("not paired: {} connection(s) of A, {} of B (seen at one point only, or not told apart)", merged.unmatched_a.len(), merged.unmatched_b.len()));
        }
        let hidden: Vec<std::borrow::Cow<'_, crate::merge::MergedConnection>> = merged.connections.iter().map(|c| if hide { std::borrow::Cow::Owned(without_addresses(c)) } else { std::borrow::Cow::Borrowed(c) }).collect();
        let pairs = hidden
            .iter()
            .map(|c| PairChoice { stream_a: c.stream_a, stream_b: c.stream_b, label: format!("A#{} = B#{}: {} → {}, {} segments matched", c.stream_a, c.stream_b, c.client_a, c.server_a, c.segments_matched) })
            .collect();
        let names = (self.names[0].as_str(), self.names[1].as_str());
        let shown = hidden.get(index).map(|c| ShownPair {
            index,
            lines: crate::diagram::merged_words::connection_lines(c),
            estimated_offset_ns: c.estimated_offset_ns,
            offset_ns: c.offset_ns,
            offset_by_hand: c.offset_by_hand,
            uncertainty_ns: c.uncertainty_ns,
            ladder: layout(c, names, first_row, ROWS_SHOWN),
            delays: delay_plot(c),
        });
        MergeView { names: self.names.clone(), notes, pairs, shown }
    }
}

/// `c` with its endpoints named by role, not address: "client" and "server", or, where a NAT
/// between the points rewrote them, "client (at A)" and "client (at B)".
fn without_addresses(c: &crate::merge::MergedConnection) -> crate::merge::MergedConnection {
    let mut c = c.clone();
    let rewritten = (&c.client_a, &c.server_a) != (&c.client_b, &c.server_b);
    let name = |role: &str, at: &str| if rewritten { format!("{role} (at {at})") } else { role.to_string() };
    let (client_rewritten, server_rewritten) = (c.client_a != c.client_b, c.server_a != c.server_b);
    c.client_a = if client_rewritten { name("client", "A") } else { "client".to_string() };
    c.client_b = if client_rewritten { name("client", "B") } else { "client".to_string() };
    c.server_a = if server_rewritten { name("server", "A") } else { "server".to_string() };
    c.server_b = if server_rewritten { name("server", "B") } else { "server".to_string() };
    c
}
