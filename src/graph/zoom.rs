//! Zooming a graph on both axes, as tcptrace and Wireshark do it: a box dragged on the plot
//! names a time window and a value window; lines are CLIPPED at the window, not dropped, so a
//! line whose two ends are both outside (the ACK line across an RTO stall) still crosses it;
//! with no value window the value axis fits what is visible in the time window (the crossing
//! lines included), so zoomed-in data never lies flat along the bottom.
//!
//! Pure arithmetic in data units (seconds, bytes): the plot maps the result to pixels.

use serde::{Deserialize, Serialize};

use super::{Series, Style};

/// What the reader zoomed to: a time window (seconds since the capture's first frame) and,
/// after a box zoom, a value window (`None`: fitted to the visible data).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Zoom {
    pub t: (f64, f64),
    pub y: Option<(f64, f64)>,
}

/// A point in data units: (time, value).
pub type P = (f64, f64);

/// The part of segment `a`–`b` inside the window `t` × `y` (Liang–Barsky), or `None` when it
/// misses it. A segment whose ends are both outside but that crosses the window is kept.
pub fn clip_segment(a: P, b: P, t: (f64, f64), y: (f64, f64)) -> Option<(P, P)> {
    let (dx, dy) = (b.0 - a.0, b.1 - a.1);
    let (mut lo, mut hi) = (0.0f64, 1.0f64);
    // Each edge as p·u ≤ q: entering where p < 0, leaving where p > 0.
    for (p, q) in [(-dx, a.0 - t.0), (dx, t.1 - a.0), (-dy, a.1 - y.0), (dy, y.1 - a.1)] {
        if p == 0.0 {
            if q < 0.0 {
                return None;
            }
        } else {
            let r = q / p;
            if p < 0.0 {
                lo = lo.max(r);
            } else {
                hi = hi.min(r);
            }
        }
    }
    (lo <= hi).then(|| ((a.0 + lo * dx, a.1 + lo * dy), (a.0 + hi * dx, a.1 + hi * dy)))
}

/// The segments a series' line is made of: straight from point to point, or (a step line,
/// tcptrace's ACK and window lines) level until the next point, then up or down to it.
pub fn line_segments(points: &[P], step: bool) -> Vec<(P, P)> {
    let mut out = Vec::with_capacity(points.len() * 2);
    for w in points.windows(2) {
        let (a, b) = (w[0], w[1]);
        if step {
            out.push((a, (b.0, a.1)));
            out.push(((b.0, a.1), b));
        } else {
            out.push((a, b));
        }
    }
    // A lone point is a segment of no length (drawn as a dot-sized stroke when inside).
    if points.len() == 1 {
        out.push((points[0], points[0]));
    }
    out
}

/// The runs of a line inside the window: each run a polyline to draw without lifting the pen
/// (a new run starts where the line left the window and came back).
pub fn clip_line(points: &[P], step: bool, t: (f64, f64), y: (f64, f64)) -> Vec<Vec<P>> {
    let mut runs: Vec<Vec<P>> = Vec::new();
    for (a, b) in line_segments(points, step) {
        let Some((a, b)) = clip_segment(a, b, t, y) else { continue };
        match runs.last_mut() {
            Some(run) if run.last() == Some(&a) => {
                if b != a {
                    run.push(b);
                }
            }
            _ => runs.push(if a == b { vec![a] } else { vec![a, b] }),
        }
    }
    runs
}

/// The value range of what is visible in time window `t`: every bar or dot whose time is in
/// it, and every line's clipped pieces (a step line across the window counts with its level).
/// `None` when nothing is visible.
pub fn fit_y(series: &[Series], t: (f64, f64)) -> Option<(f64, f64)> {
    let all = (f64::NEG_INFINITY, f64::INFINITY);
    let mut lo = f64::INFINITY;
    let mut hi = f64::NEG_INFINITY;
    let mut take = |v: f64| {
        if v.is_finite() {
            lo = lo.min(v);
            hi = hi.max(v);
        }
    };
    for s in series {
        match s.style {
            Style::Bars | Style::Dots => {
                for p in s.points.iter().filter(|p| p.t >= t.0 && p.t <= t.1) {
                    take(p.y);
                    take(p.y2);
                }
            }
            Style::Step | Style::Line => {
                let points: Vec<P> = s.points.iter().map(|p| (p.t, p.y)).collect();
                for run in clip_line(&points, s.style == Style::Step, t, all) {
                    run.iter().for_each(|p| take(p.1));
                }
                // A summarized column's extent (its largest value) where it is visible.
                for p in s.points.iter().filter(|p| p.t >= t.0 && p.t <= t.1) {
                    take(p.y2);
                }
            }
        }
    }
    (lo <= hi).then_some((lo, hi))
}

/// A little room above and below `range` (3 % of it, or of the value when it is flat), so a
/// line at the top or bottom is not drawn on the frame.
pub fn pad(range: (f64, f64)) -> (f64, f64) {
    let span = range.1 - range.0;
    let room = if span > 0.0 { span * 0.03 } else { range.1.abs().max(1.0) * 0.05 };
    (range.0 - room, range.1 + room)
}

/// Whether a bar from `y` to `y2` shows in value window `w`.
pub fn bar_visible(y: f64, y2: f64, w: (f64, f64)) -> bool {
    y.min(y2) <= w.1 && y.max(y2) >= w.0
}

/// A valid window: finite, in order, not empty.
pub fn valid(w: (f64, f64)) -> bool {
    w.0.is_finite() && w.1.is_finite() && w.1 > w.0
}

/// Zoomed in or out around the window's middle by `factor` (0.5: half as wide), time only,
/// kept within `full` (the keyboard's + and −).
pub fn scaled(t: (f64, f64), full: (f64, f64), factor: f64) -> (f64, f64) {
    let mid = (t.0 + t.1) / 2.0;
    let half = ((t.1 - t.0) * factor / 2.0).min((full.1 - full.0) / 2.0);
    let (mut a, mut b) = (mid - half, mid + half);
    if a < full.0 {
        (a, b) = (full.0, full.0 + 2.0 * half);
    }
    if b > full.1 {
        (a, b) = ((full.1 - 2.0 * half).max(full.0), full.1);
    }
    (a, b)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::graph::Point;

    const ALL: (f64, f64) = (f64::NEG_INFINITY, f64::INFINITY);

    fn series(style: Style, pts: &[(f64, f64)]) -> Series {
        let points = pts.iter().enumerate().map(|(i, &(t, y))| Point { t, y, y2: y, frame: i as u64 + 1, index: i as u32 }).collect();
        Series { name: "s".into(), class: "c".into(), style, points }
    }

    #[test]
    fn a_segment_whose_two_ends_are_outside_is_clipped_not_dropped() {
        // An ACK line from t = 1 s to t = 5 s, zoomed to 2–3 s: both ends outside.
        let clipped = clip_segment((1.0, 100.0), (5.0, 500.0), (2.0, 3.0), ALL).expect("it crosses the window");
        assert_eq!(clipped, ((2.0, 200.0), (3.0, 300.0)));
        // Also in the value window: 250–260 is crossed between t = 2.5 and 2.6.
        let ((t0, y0), (t1, y1)) = clip_segment((1.0, 100.0), (5.0, 500.0), (2.0, 3.0), (250.0, 260.0)).unwrap();
        assert!((t0 - 2.5).abs() < 1e-12 && (t1 - 2.6).abs() < 1e-12 && (y0 - 250.0).abs() < 1e-9 && (y1 - 260.0).abs() < 1e-9);
        // One that passes beside the window is dropped.
        assert_eq!(clip_segment((1.0, 0.0), (5.0, 10.0), (2.0, 3.0), (100.0, 200.0)), None);
        assert_eq!(clip_segment((0.0, 0.0), (1.0, 0.0), (2.0, 3.0), ALL), None);
    }

    #[test]
    fn a_step_line_across_an_rto_stall_is_drawn_across_it() {
        // The ACK stays at 1000 from 1 s until 4 s (a stall), then jumps to 9000.
        let runs = clip_line(&[(1.0, 1000.0), (4.0, 9000.0)], true, (2.0, 3.0), ALL);
        assert_eq!(runs, vec![vec![(2.0, 1000.0), (3.0, 1000.0)]]);
        // Leaving the value window and coming back starts a new run.
        let runs = clip_line(&[(0.0, 0.0), (1.0, 10.0), (2.0, 0.0), (3.0, 10.0)], true, (0.0, 3.0), (-1.0, 5.0));
        assert_eq!(runs, vec![vec![(0.0, 0.0), (1.0, 0.0), (1.0, 5.0)], vec![(2.0, 5.0), (2.0, 0.0), (3.0, 0.0), (3.0, 5.0)]]);
        assert!(runs.iter().flatten().all(|p| p.1 >= -1.0 && p.1 <= 5.0));
    }

    #[test]
    fn y_fits_the_visible_data_including_lines_crossing_the_window() {
        let data = series(Style::Bars, &[(0.5, 10.0), (2.5, 5000.0), (9.0, 1e9)]);
        let ack = series(Style::Step, &[(1.0, 4000.0), (8.0, 2e9)]);
        // In 2–3 s: the bar at 5000 and the ACK level 4000 (both of its samples are outside).
        assert_eq!(fit_y(&[data.clone(), ack.clone()], (2.0, 3.0)), Some((4000.0, 5000.0)));
        // The whole range: every value.
        assert_eq!(fit_y(&[data, ack], (0.0, 10.0)), Some((10.0, 2e9)));
        assert_eq!(fit_y(&[series(Style::Dots, &[(5.0, 1.0)])], (0.0, 1.0)), None);
        let (a, b) = pad((100.0, 200.0));
        assert!(a < 100.0 && b > 200.0 && a > 90.0);
    }

    #[test]
    fn keyboard_zoom_stays_within_the_connection() {
        assert_eq!(scaled((2.0, 4.0), (0.0, 10.0), 0.5), (2.5, 3.5));
        assert_eq!(scaled((0.0, 2.0), (0.0, 10.0), 2.0), (0.0, 4.0));
        assert_eq!(scaled((8.0, 10.0), (0.0, 10.0), 8.0), (0.0, 10.0));
        assert!(bar_visible(0.0, 10.0, (5.0, 6.0)) && !bar_visible(0.0, 4.0, (5.0, 6.0)));
    }
}
