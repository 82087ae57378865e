//! What the capture's clock did between frames. A file's timestamps normally rise; two captures
//! joined into one file, a clock set during the capture, or merged interfaces make them jump
//! or step back, and then "the capture lasted 2 132 days" is true but misleading. This notes
//! the steps back (capinfos's "Strict time order") and the largest step forward, so the page
//! can say where the clock jumped.

/// A forward step worth saying: at least an hour, and most of the capture's span.
const JUMP_MIN_NS: i64 = 3_600 * 1_000_000_000;

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Clock {
    /// Frames whose time is earlier than the frame before them.
    pub backward_steps: u64,
    /// The first such frame.
    pub first_backward_frame: Option<u64>,
    /// The largest forward step between consecutive frames: the later frame and the step.
    pub largest_step: Option<(u64, i64)>,
    /// The earliest and the latest time of any frame (capinfos's first and last packet time:
    /// with steps back, not the first and last frame's).
    pub earliest_ns: Option<i64>,
    pub latest_ns: Option<i64>,
    previous_ns: Option<i64>,
    /// Runs of frames whose record carries no time (first, last frame), the first
    /// [`UNTIMED_RUNS_KEPT`]; their times are 0 and every time to or from them means nothing.
    pub untimed: Vec<(u64, u64)>,
}

/// Untimed runs kept (a file of simple packet blocks only is one run).
const UNTIMED_RUNS_KEPT: usize = 64;

impl Clock {
    /// Notes frame `number`'s time (frames in file order); `timed`: its record carries one.
    pub fn add(&mut self, number: u64, time_ns: i64, timed: bool) {
        if !timed {
            let kept = self.untimed.len();
            match self.untimed.last_mut() {
                Some(run) if run.1 + 1 == number => run.1 = number,
                _ if kept < UNTIMED_RUNS_KEPT => self.untimed.push((number, number)),
                _ => {}
            }
        }
        if let Some(previous) = self.previous_ns {
            let step = time_ns.saturating_sub(previous);
            if step < 0 {
                self.backward_steps += 1;
                self.first_backward_frame.get_or_insert(number);
            } else if self.largest_step.is_none_or(|(_, largest)| step > largest) {
                self.largest_step = Some((number, step));
            }
        }
        self.previous_ns = Some(time_ns);
        self.earliest_ns = Some(self.earliest_ns.map_or(time_ns, |t| t.min(time_ns)));
        self.latest_ns = Some(self.latest_ns.map_or(time_ns, |t| t.max(time_ns)));
    }

    /// From the earliest frame's time to the latest's, as capinfos gives a capture's duration.
    pub fn span_ns(&self) -> i64 {
        match (self.earliest_ns, self.latest_ns) {
            (Some(a), Some(b)) => b.saturating_sub(a),
            _ => 0,
        }
    }

    /// The frames without a time among frames `first..=last` (a connection's): the first and
    /// the last of them.
    pub fn untimed_within(&self, first: u64, last: u64) -> Option<(u64, u64)> {
        let inside: Vec<(u64, u64)> = self.untimed.iter().filter(|(a, b)| *a <= last && *b >= first).map(|(a, b)| ((*a).max(first), (*b).min(last))).collect();
        Some((inside.first()?.0, inside.last()?.1))
    }

    /// The jump worth telling the reader about, if any: a step forward of an hour or more that
    /// is more than half of the whole span `duration_ns`.
    pub fn jump(&self, duration_ns: i64) -> Option<(u64, i64)> {
        self.largest_step.filter(|&(_, step)| step >= JUMP_MIN_NS && step > duration_ns / 2)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn steps_back_and_the_largest_jump_are_found() {
        let mut c = Clock::default();
        for (n, t) in [(1, 10), (2, 20), (3, 15), (4, 10_000_000_000_000), (5, 10_000_000_000_001)] {
            c.add(n, t, true);
        }
        assert_eq!((c.backward_steps, c.first_backward_frame), (1, Some(3)));
        assert_eq!(c.largest_step.map(|s| s.0), Some(4));
        assert_eq!(c.jump(10_000_000_000_000).map(|j| j.0), Some(4));
        let mut steady = Clock::default();
        (1..100).for_each(|n| steady.add(n, n as i64 * 1_000_000_000, true));
        assert_eq!(steady.jump(99_000_000_000), None);
    }

    #[test]
    fn frames_without_a_time_are_kept_as_runs() {
        let mut c = Clock::default();
        for (n, timed) in [(1, false), (2, false), (3, true), (4, false), (5, true)] {
            c.add(n, 0, timed);
        }
        assert_eq!(c.untimed, vec![(1, 2), (4, 4)]);
        assert_eq!(c.untimed_within(2, 5), Some((2, 4)));
        assert_eq!(c.untimed_within(3, 3), None);
        assert_eq!(c.untimed_within(5, 9), None);
    }
}
