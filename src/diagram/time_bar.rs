//! "Where the time went" as the page's bar above the ladder: the parts of the split
//! ([`crate::tcp::time_split`]) in time order, each with its share and its first frame (a click
//! goes there), and the totals per kind, largest first, for the legend. The words and numbers
//! are those of the exports' line and of `analyze`'s `time_split`; the view only draws them.

use serde::{Deserialize, Serialize};

use crate::tcp::time_split::{TimeKind, TimePart, TimeSplit};
use crate::timefmt::milliseconds;

/// About the most marks the page draws: a connection of millions of segments can have as many
/// parts; shorter ones are drawn together (see [`drawn_parts`]).
const MOST_PARTS: usize = 2000;

/// The bar: parts in time order and totals per kind.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct TimeBar {
    pub duration_ns: i64,
    pub parts: Vec<TimeBarPart>,
    pub totals: Vec<TimeBarTotal>,
    /// Parts past the split's own cap (their time is in the totals, not in the strip).
    pub parts_left_out: u64,
}

/// One part: where it starts and how long it lasted, as fractions of the whole (0..=1).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TimeBarPart {
    /// `TimeKind::key` (`receiver_window`, `network`, …): the CSS class and `data-kind`.
    pub kind: String,
    pub start: f64,
    pub share: f64,
    pub first_frame: u64,
    pub last_frame: u64,
    /// "receiver's window (client), 4.401 s, frames 15–289".
    pub title: String,
}

/// One kind's total: "receiver's window 4.401 s (92 %)", and the first frame of its longest part.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TimeBarTotal {
    pub kind: String,
    pub text: String,
    pub frame: u64,
}

fn side(client: Option<bool>) -> &'static str {
    match client {
        Some(true) => " (client)",
        Some(false) => " (server)",
        None => "",
    }
}

/// The bar of `split`.
pub fn time_bar(split: &TimeSplit) -> TimeBar {
    let whole = split.duration_ns.max(1) as f64;
    let parts = drawn_parts(split, whole);
    // Kinds under 0.5 % of the duration would read "0 %": the strip's marks still hold them.
    let mut totals: Vec<(TimeKind, i64)> = TimeKind::ALL.iter().map(|k| (*k, split.total(*k))).filter(|(_, ns)| *ns as f64 >= whole * 0.005).collect();
    totals.sort_by_key(|(_, ns)| -ns);
    let totals = totals
        .into_iter()
        .map(|(kind, ns)| {
            let longest = split.parts.iter().filter(|p| p.kind == kind).max_by_key(|p| p.duration_ns());
            TimeBarTotal {
                kind: kind.key().to_string(),
                text: format!("{} {} ({:.0} %)", kind.label(), milliseconds(ns), ns as f64 * 100.0 / whole),
                frame: longest.map_or(0, |p| p.first_frame),
            }
        })
        .collect();
    TimeBar { duration_ns: split.duration_ns, parts, totals, parts_left_out: split.parts_left_out }
}

/// The parts as drawn: each part at least 1/[`MOST_PARTS`] of the duration on its own; runs of
/// shorter ones (a busy connection alternates kinds every few microseconds) as one mark named
/// by the kind that took most of its time and titled with how many parts it holds, so the
/// strip covers the whole duration with at most about [`MOST_PARTS`] marks.
fn drawn_parts(split: &TimeSplit, whole: f64) -> Vec<TimeBarPart> {
    let small = (whole / MOST_PARTS as f64).max(1.0) as i64;
    let mut out = Vec::new();
    let mut run: Vec<&TimePart> = Vec::new();
    let flush = |run: &mut Vec<&TimePart>, out: &mut Vec<TimeBarPart>| {
        let (Some(first), Some(last)) = (run.first(), run.last()) else { return };
        let frames = if first.first_frame == last.last_frame { format!("frame {}", first.first_frame) } else { format!("frames {}–{}", first.first_frame, last.last_frame) };
        let took = last.end_ns - first.start_ns;
        let (kind, title) = if run.len() == 1 {
            (first.kind, format!("{}{}, {}, {frames}", first.kind.label(), side(first.client), milliseconds(took)))
        } else {
            let mut by_kind: Vec<(TimeKind, i64)> = TimeKind::ALL.iter().map(|k| (*k, run.iter().filter(|p| p.kind == *k).map(|p| p.duration_ns()).sum())).collect();
            by_kind.sort_by_key(|(_, ns)| -ns);
            (by_kind[0].0, format!("{} short parts, mostly {}, {}, {frames}", run.len(), by_kind[0].0.label(), milliseconds(took)))
        };
        out.push(TimeBarPart {
            kind: kind.key().to_string(),
            start: first.start_ns as f64 / whole,
            share: took as f64 / whole,
            first_frame: first.first_frame,
            last_frame: last.last_frame,
            title,
        });
        run.clear();
    };
    for p in &split.parts {
        if p.duration_ns() >= small {
            flush(&mut run, &mut out);
            run.push(p);
            flush(&mut run, &mut out);
        } else {
            run.push(p);
            if run.last().map_or(0, |l| l.end_ns) - run[0].start_ns >= small {
                flush(&mut run, &mut out);
            }
        }
    }
    flush(&mut run, &mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tcp::time_split::TimePart;

    fn part(kind: TimeKind, start_ns: i64, end_ns: i64, first_frame: u64) -> TimePart {
        TimePart { kind, start_ns, end_ns, first_frame, last_frame: first_frame + 1, client: Some(true), outstanding: None, small_unacked_ns: 0, small_frame: 0, unseen_ack_frame: 0 }
    }

    #[test]
    fn shares_sum_to_one_and_totals_go_to_the_longest_part() {
        let parts = vec![part(TimeKind::Handshake, 0, 10, 1), part(TimeKind::ReceiverWindow, 10, 40, 4), part(TimeKind::Network, 40, 50, 9), part(TimeKind::ReceiverWindow, 50, 100, 12)];
        let mut totals_ns = [0; 10];
        for p in &parts {
            totals_ns[TimeKind::ALL.iter().position(|k| *k == p.kind).unwrap()] += p.duration_ns();
        }
        let bar = time_bar(&TimeSplit { duration_ns: 100, totals_ns, parts, parts_left_out: 0, path_ns: None, payload_only: false, nagle_off: [None; 2] });
        let sum: f64 = bar.parts.iter().map(|p| p.share).sum();
        assert!((sum - 1.0).abs() < 1e-9);
        assert_eq!(bar.totals[0].kind, "receiver_window");
        assert_eq!(bar.totals[0].frame, 12, "the longest receiver-window part starts at frame 12");
        assert!(bar.totals[0].text.ends_with("(80 %)"), "{}", bar.totals[0].text);
        assert_eq!(bar.parts[1].title, "receiver's window (client), 0.000 ms, frames 4–5");
        assert_eq!(bar.parts.len(), 4, "none shorter than 1/2000 of the whole");
    }

    #[test]
    fn many_short_parts_are_drawn_together_and_cover_the_whole() {
        let parts: Vec<TimePart> = (0..10_000).map(|i| part(if i % 2 == 0 { TimeKind::Network } else { TimeKind::ReceiverWindow }, i * 100, i * 100 + 100, i as u64)).collect();
        let mut totals_ns = [0; 10];
        for p in &parts {
            totals_ns[TimeKind::ALL.iter().position(|k| *k == p.kind).unwrap()] += p.duration_ns();
        }
        let bar = time_bar(&TimeSplit { duration_ns: 1_000_000, totals_ns, parts, parts_left_out: 0, path_ns: None, payload_only: false, nagle_off: [None; 2] });
        assert!(bar.parts.len() <= 2001, "{} marks", bar.parts.len());
        let sum: f64 = bar.parts.iter().map(|p| p.share).sum();
        assert!((sum - 1.0).abs() < 1e-9, "the strip covers the whole duration: {sum}");
        assert!(bar.parts[0].title.contains("short parts, mostly"), "{}", bar.parts[0].title);
    }
}
