//! Where a request's time went: each time one side sends data after the other side's, how long
//! the turn took as each capture point saw it. The point nearer the side that sends next sees
//! that side's own time (plus any path between that point and it); the point nearer the other
//! side sees that and the way there and back between the points. Each gap is read on one
//! capture's clock, so neither the clocks' offset nor its estimate enters: the turns are found
//! in the order of the capture nearer the side that sends next (where its data can only leave
//! after what it answers arrived), and timed in both.

use serde::Serialize;

use super::Seen;

/// The other side's last data segment, and the first data segment after it of the side that
/// sends next, timed at both points.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Turn {
    /// Who sends next: `server` (an answer to the client's data) or `client` (its next request
    /// after the server's data).
    pub next_sender: &'static str,
    /// The other side's last data segment before the turn, in each capture.
    pub last_frame_a: u64,
    pub last_frame_b: u64,
    /// The next sender's first data segment, in each capture.
    pub next_frame_a: u64,
    pub next_frame_b: u64,
    /// From the one to the other at the point nearer the next sender (its own time, plus any
    /// path between that point and it), ms.
    pub near_next_sender_ms: f64,
    /// The same at the point nearer the other side, ms.
    pub near_other_ms: f64,
    /// The difference: the way there and back between the two points, ms.
    pub round_trip_between_points_ms: f64,
}

/// The turns of a pair whose segments `pairs` (index into A, index into B) both points saw;
/// `a_near_client`: A is the point nearer the client.
pub fn turns(pairs: &[(usize, usize)], a: &[Seen], b: &[Seen], a_near_client: bool) -> Vec<Turn> {
    let mut out = Vec::new();
    for next_is_client in [false, true] {
        // The capture nearer the next sender: there, its data leaves after what it follows
        // has arrived.
        let near_is_a = next_is_client == a_near_client;
        let mut data: Vec<(usize, usize)> = pairs.iter().copied().filter(|&(i, _)| a[i].len > 0).collect();
        data.sort_by_key(|&(i, j)| (if near_is_a { a[i].time_ns } else { b[j].time_ns }, a[i].frame));
        let mut last_other: Option<(usize, usize)> = None;
        for (i, j) in data {
            if a[i].from_client != next_is_client {
                last_other = Some((i, j));
                continue;
            }
            let Some((qi, qj)) = last_other.take() else { continue };
            let gap = |x: &[Seen], from: usize, to: usize| (x[to].time_ns as f64 - x[from].time_ns as f64) / 1e6;
            let (at_a, at_b) = (gap(a, qi, i), gap(b, qj, j));
            let (near, other) = if near_is_a { (at_a, at_b) } else { (at_b, at_a) };
            out.push(Turn {
                next_sender: if next_is_client { "client" } else { "server" },
                last_frame_a: a[qi].frame,
                last_frame_b: b[qj].frame,
                next_frame_a: a[i].frame,
                next_frame_b: b[j].frame,
                near_next_sender_ms: near,
                near_other_ms: other,
                round_trip_between_points_ms: other - near,
            });
        }
    }
    out.sort_by_key(|t| t.next_frame_a);
    out
}
