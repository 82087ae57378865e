//! The connection in one line, for the page's panel while no segment is selected: what the
//! diagram's own columns do not say (the phases' words are in the phase column already).

use super::Ladder;

impl Ladder {
    /// "TCP connection #0: client → server: 10 segments over 52.1 ms." (A connection laid out
    /// in windows holds only some of its arrows: the count is left out there.)
    pub fn summary_line(&self) -> String {
        let segments = self.arrows.len() + self.groups.iter().map(|g| g.segments).sum::<usize>();
        let count = (self.window.is_none()).then(|| crate::timefmt::count(segments as u64, "segment", "segments"));
        let span = self.time_bar.as_ref().map(|b| crate::timefmt::milliseconds(b.duration_ns));
        match (count, span) {
            (Some(c), Some(s)) => format!("{}: {c} over {s}.", self.title),
            (Some(c), None) => format!("{}: {c}.", self.title),
            (None, Some(s)) => format!("{}: {s} from its first segment to its last.", self.title),
            (None, None) => format!("{}.", self.title),
        }
    }

    /// Whether the drawing has a phase column (compact columns list the phases below instead).
    pub fn phase_column(&self) -> bool {
        self.phases.iter().any(|p| p.x < self.width)
    }
}

impl Ladder {
    /// The rows (arrows and collapsed runs, top to bottom) wholly within diagram units
    /// `top..=bottom`: the first's and the last's place (from 1) and how many there are, or
    /// None when no row is wholly within.
    pub fn rows_within(&self, top: f32, bottom: f32) -> Option<(usize, usize, usize)> {
        let mut rows: Vec<(f32, f32)> = self.arrows.iter().map(|a| (a.y1.min(a.y2), a.y1.max(a.y2))).chain(self.groups.iter().map(|g| (g.y - 14.0, g.y_end.max(g.y)))).collect();
        rows.sort_by(|a, b| a.0.total_cmp(&b.0));
        let inside: Vec<usize> = rows.iter().enumerate().filter(|(_, (a, b))| *a >= top && *b <= bottom).map(|(i, _)| i + 1).collect();
        Some((*inside.first()?, *inside.last()?, rows.len()))
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::super::{layout, LadderOptions};

    #[test]
    fn the_summary_line_and_the_rows_within_a_span() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/captures/real/seed_close_immediately.pcap");
        let session = crate::session::analyze_bytes(&std::fs::read(path).unwrap()).unwrap();
        let ladder = layout(&session.connection(0).unwrap(), &LadderOptions::default());
        let line = ladder.summary_line();
        assert!(line.starts_with("TCP connection #0: ") && line.contains(": 10 segments over ") && line.ends_with(" ms."), "{line}");
        assert!(ladder.phase_column());
        // Everything: rows 1 to 10 of 10; a span holding frames 2 and 3's lines only: 2–3.
        assert_eq!(ladder.rows_within(0.0, ladder.height), Some((1, 10, 10)));
        let (a, b) = (&ladder.arrows[1], &ladder.arrows[2]);
        assert_eq!(ladder.rows_within(a.y1.min(a.y2), b.y1.max(b.y2)), Some((2, 3, 10)));
        assert_eq!(ladder.rows_within(a.y1 + 1.0, a.y1 + 2.0), None);
    }
}
