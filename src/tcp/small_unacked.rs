//! When a sender had a small segment (less than a full one) unacknowledged, as it knew it: the
//! only time Nagle's algorithm (RFC 896, RFC 1122 §4.2.3.4, Linux with Minshall's rule) can hold
//! the short rest of a write. A hold that ends with an ACK shows itself (the rest leaves as the
//! ACK reaches the sender: [`super::nagle_release`]); one that ends with the next write does not
//! (R10 N1: lossy/app_limited, a write's 552-byte rest waited 20 ms for the next write to fill a
//! full segment, and the packets look the same as an application that had written 1448 bytes).
//! So the time split says, of an application's or the network's time, how much of it a small
//! segment was unacknowledged: Nagle's algorithm *may* have held data then.
//!
//! Times are as seen at the capture point: a span starts when the small segment passes here and
//! ends when the ACK that covers it has had time to reach its sender and the data it released to
//! come back here (the ACK's time here plus the capture point's round trip to the sender).

use std::collections::VecDeque;

use super::time_split_kinds::{TimeKind, TimePart};

/// Spans kept per sender at most (older ones go first; the walk prunes those behind it).
const MOST_SPANS: usize = 4096;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Span {
    start: i64,
    /// `None` while no ACK has covered it.
    end: Option<i64>,
    /// The sender's latest new data since it (held data leaves at the latest when the ACK
    /// reaches the sender: after the last data sent by then, nothing was held).
    last_new: Option<i64>,
    frame: u64,
    /// While it was open, the sender acknowledged bytes of its peer's the capture does not
    /// hold: an ACK of it may have come in them, unseen — how long it lasted is not known
    /// (R28-2: ldap_gap's frame 9 acknowledges server bytes 211–1552, sent after frame 8).
    unsure: bool,
}

/// Per sender (index 1: the client), its small segments' spans in time order.
#[derive(Debug, Clone, Default)]
pub struct SmallUnacked {
    spans: [VecDeque<Span>; 2],
    /// Each sender's new data of the last round trip from here to it (time, bytes) and their
    /// sum: away from a sender, the ACKs seen here have not reached it yet, so its flight is at
    /// least what it sent in that time (delayed/bulk_at_server: ACKed here at once, 51 ms away).
    recent: [VecDeque<(i64, u32)>; 2],
    recent_sum: [u64; 2],
    /// The sender sent a small segment while an earlier one was unacknowledged: it does not
    /// apply Nagle's algorithm, so nothing is said of it (its spans are dropped). The frame of
    /// the first such segment.
    off: [Option<u64>; 2],
}

impl SmallUnacked {
    /// A small segment of new data from `client` passed here at `at` (frame `frame`). One still
    /// unacknowledged before it keeps its span (the two overlap: one span).
    pub fn small_sent(&mut self, client: bool, at: i64, frame: u64) {
        if self.off[usize::from(client)].is_some() {
            return;
        }
        let spans = &mut self.spans[usize::from(client)];
        if spans.back().is_some_and(|s| s.end.is_none()) {
            return;
        }
        if spans.len() == MOST_SPANS {
            spans.pop_front();
        }
        spans.push_back(Span { start: at, end: None, last_new: None, frame, unsure: false });
    }

    /// `client` showed it does not hold small data behind a small segment.
    pub fn nagle_off(&mut self, client: bool, frame: u64) {
        self.off[usize::from(client)].get_or_insert(frame);
        self.spans[usize::from(client)].clear();
    }

    /// Whether `client` showed it does not apply Nagle's algorithm.
    pub fn is_off(&self, client: bool) -> bool {
        self.off[usize::from(client)].is_some()
    }

    /// The first small segment `client` sent while an earlier one was unacknowledged.
    pub fn off_at(&self, client: bool) -> Option<u64> {
        self.off[usize::from(client)]
    }

    /// Where `client` showed Nagle off.
    pub fn off_from(&self, client: bool) -> Option<super::nagle_hold::NagleOff> {
        self.off[usize::from(client)].map(|frame| super::nagle_hold::NagleOff { frame })
    }

    /// New data from `client` (`len` bytes) passed here at `at`, `way` the round trip from here
    /// to it: the bytes it sent within that round trip, these included (its flight at least).
    pub fn sent_within(&mut self, client: bool, at: i64, len: u32, way: i64) -> u64 {
        let (recent, sum) = (&mut self.recent[usize::from(client)], &mut self.recent_sum[usize::from(client)]);
        while let Some(&(t, n)) = recent.front() {
            if t > at.saturating_sub(way) && recent.len() < MOST_SPANS {
                break;
            }
            recent.pop_front();
            *sum -= u64::from(n);
        }
        recent.push_back((at, len));
        *sum += u64::from(len);
        *sum
    }

    /// New data from `client` passed here at `at`: if its small segment's ACK had not yet reached
    /// it (`slack`: how late data released by the ACK may pass here), Nagle may have held it.
    pub fn new_data(&mut self, client: bool, at: i64, slack: i64) {
        if let Some(s) = self.spans[usize::from(client)].back_mut() {
            if at > s.start && s.end.is_none_or(|e| at <= e.saturating_add(slack.max(1_000_000))) {
                s.last_new = Some(at);
            }
        }
    }

    /// The ACK covering `client`'s latest small segment passed here at `at`; `way` is the
    /// capture point's round trip to `client`.
    /// `client` acknowledged bytes of its peer's the capture does not hold: its open span's end
    /// may have passed unseen.
    pub fn peer_unseen(&mut self, client: bool) {
        if let Some(s) = self.spans[usize::from(client)].back_mut().filter(|s| s.end.is_none()) {
            s.unsure = true;
        }
    }

    pub fn acked(&mut self, client: bool, at: i64, way: i64) {
        if let Some(s) = self.spans[usize::from(client)].back_mut().filter(|s| s.end.is_none()) {
            s.end = Some(at.saturating_add(way.max(0)).max(s.start));
        }
    }

    /// How long within `start..end` (capture time, ns) `client` had a small segment
    /// unacknowledged as it knew it, and the frame of the segment unacknowledged longest there
    /// (0: none).
    pub fn within(&self, client: bool, start: i64, end: i64) -> (i64, u64) {
        let (mut covered, mut until, mut longest) = (0i64, start, (0i64, 0u64));
        for s in self.spans[usize::from(client)].iter().filter(|s| !s.unsure) {
            // Held data leaves by the ACK's arrival at the latest: not after the last data sent.
            let last = s.last_new.unwrap_or(s.start);
            let (a, b) = (s.start.max(until), s.end.unwrap_or(i64::MAX).min(last).min(end));
            if b > a {
                covered = covered.saturating_add(b - a);
                until = b;
                if b - a > longest.0 {
                    longest = (b - a, s.frame);
                }
            }
            if s.start >= end {
                break;
            }
        }
        (covered, longest.1)
    }

    /// Forgets the spans that ended before `at` (the walk emits no part that starts earlier).
    pub fn forget_before(&mut self, at: i64) {
        for spans in &mut self.spans {
            while spans.front().is_some_and(|s| s.end.is_some_and(|e| e < at)) {
                spans.pop_front();
            }
        }
    }

    /// An application's or the network's part (times from `origin`), with how long its sender
    /// had a small segment out in it.
    pub(crate) fn mark(&self, part: TimePart, origin: i64) -> TimePart {
        let Some(s) = part.client.filter(|_| matches!(part.kind, TimeKind::SenderApplication | TimeKind::Network)) else { return part };
        let (ns, frame) = self.within(s, origin.saturating_add(part.start_ns), origin.saturating_add(part.end_ns));
        TimePart { small_unacked_ns: ns, small_frame: frame, ..part }
    }

    pub fn heap_bytes(&self) -> usize {
        self.spans.iter().map(|s| s.capacity() * std::mem::size_of::<Span>()).sum::<usize>() + self.recent.iter().map(|r| r.capacity() * 16).sum::<usize>()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn overlapping_spans_count_once_and_open_ones_run_on() {
        let mut s = SmallUnacked::default();
        s.small_sent(true, 10, 3);
        s.new_data(true, 20, 0);
        s.acked(true, 30, 5); // 10..35, data up to 35
        s.new_data(true, 35, 0);
        s.small_sent(true, 33, 7); // 33..open
        s.new_data(true, 1_100_000, 0);
        assert_eq!(s.within(true, 0, 100), (90, 7));
        assert_eq!(s.within(true, 0, 40), (30, 3));
        assert_eq!(s.within(true, 36, 50), (14, 7));
        assert_eq!(s.within(false, 0, 100), (0, 0));
        s.forget_before(40);
        assert_eq!(s.within(true, 0, 100), (67, 7));
    }

    #[test]
    fn nothing_held_after_the_last_data_before_the_ack() {
        // A request, its ACK a round trip later, the next request long after: nothing was held.
        let mut s = SmallUnacked::default();
        s.small_sent(true, 0, 4);
        s.acked(true, 30_000_000, 0);
        s.new_data(true, 150_000_000, 0);
        assert_eq!(s.within(true, 0, 200_000_000), (0, 0));
        // A full segment 10 ms after it: held data could have waited until then, not after.
        s.small_sent(true, 200_000_000, 8);
        s.new_data(true, 210_000_000, 0);
        s.acked(true, 230_000_000, 0);
        assert_eq!(s.within(true, 200_000_000, 300_000_000), (10_000_000, 8));
    }
}
