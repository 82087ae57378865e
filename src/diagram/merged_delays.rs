//! The one-way delay between the two capture points over the connection, each way, as a plot
//! (a filling queue shows as a line that climbs; a clock drift as the two ways leaning apart):
//! plain geometry the page draws. At most two points per way and pixel column are kept (the
//! least and the most delay in it), so a connection of millions of segments is a few thousand
//! points; segments lost between the points are ticks under the axis at their time.

use serde::{Deserialize, Serialize};

use crate::draw::ticks::round_step;
use crate::merge::MergedConnection;

pub const PLOT_WIDTH: f32 = 900.0;
pub const PLOT_HEIGHT: f32 = 220.0;
/// The plotting area inside the frame: room for the axes' numbers left and below.
pub const LEFT: f32 = 64.0;
pub const RIGHT: f32 = 16.0;
pub const TOP: f32 = 14.0;
pub const BOTTOM: f32 = 40.0;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Tick {
    /// Position along its axis, in the plot's pixels.
    pub at: f32,
    pub text: String,
}

/// One way's delays: `client → server` or `server → client`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Way {
    pub name: String,
    pub from_client: bool,
    /// (x, y) in the plot's pixels, in time order.
    pub points: Vec<(f32, f32)>,
    /// Segments it had (before thinning to pixels).
    pub segments: usize,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DelayPlot {
    pub width: f32,
    pub height: f32,
    pub ways: Vec<Way>,
    pub x_ticks: Vec<Tick>,
    pub y_ticks: Vec<Tick>,
    /// x of each segment lost between the points.
    pub lost: Vec<f32>,
    /// What the axes are.
    pub x_label: String,
    pub y_label: String,
}

/// A pixel column of one way: its x, and its least and most delay's points.
type Column = (i64, (f32, f32), (f32, f32));

fn ticks(lo: f64, hi: f64, pixels: f32, at: impl Fn(f64) -> f32, text: impl Fn(f64) -> String) -> Vec<Tick> {
    let Some(step) = round_step((hi - lo) / f64::from((pixels / 45.0).max(2.0))) else { return Vec::new() };
    let mut v = (lo / step).ceil() * step;
    let mut out = Vec::new();
    while v <= hi + step * 1e-9 && out.len() < 40 {
        out.push(Tick { at: at(v), text: text(v) });
        v += step;
    }
    out
}

/// The plot of `c`'s delays between the points, or `None` where no segment has one (the clocks
/// were not compared).
pub fn delay_plot(c: &MergedConnection) -> Option<DelayPlot> {
    let timed: Vec<(bool, f64, f64)> = c.rows.iter().filter_map(|r| r.delay_ns.map(|d| (r.from_client, r.passed_ns as f64, d / 1e6))).collect();
    let t0 = c.rows.first()?.passed_ns as f64;
    let t_end = c.rows.last()?.passed_ns as f64;
    let span_s = ((t_end - t0) / 1e9).max(1e-6);
    let (mut lo, mut hi) = timed.iter().fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), t| (lo.min(t.2), hi.max(t.2)));
    if !lo.is_finite() {
        return None;
    }
    // Zero on the axis unless a delay is negative (an offset set too far), and some room above.
    lo = lo.min(0.0);
    hi = (hi + (hi - lo) * 0.08).max(lo + 0.001);
    let (w, h) = (PLOT_WIDTH - LEFT - RIGHT, PLOT_HEIGHT - TOP - BOTTOM);
    let x = |t_ns: f64| LEFT + (((t_ns - t0) / 1e9 / span_s) as f32) * w;
    let y = |ms: f64| TOP + h - (((ms - lo) / (hi - lo)) as f32) * h;
    let ways = [(true, "client → server"), (false, "server → client")]
        .into_iter()
        .map(|(from_client, name)| {
            // Per pixel column, the least and the most (in time order within it).
            let mut points: Vec<(f32, f32)> = Vec::new();
            let mut column: Option<Column> = None;
            let mut segments = 0;
            let flush = |col: &Option<Column>, points: &mut Vec<(f32, f32)>| {
                if let Some((_, a, b)) = col {
                    points.push(*a);
                    if b != a {
                        points.push(*b);
                    }
                }
            };
            for &(_, t, d) in timed.iter().filter(|t| t.0 == from_client) {
                segments += 1;
                let p = (x(t), y(d));
                let px = p.0.floor() as i64;
                match &mut column {
                    Some((c, least, most)) if *c == px => {
                        // (y grows downwards: the least delay has the largest y.)
                        if p.1 > least.1 {
                            *least = p;
                        }
                        if p.1 < most.1 {
                            *most = p;
                        }
                    }
                    _ => {
                        flush(&column, &mut points);
                        column = Some((px, p, p));
                    }
                }
            }
            flush(&column, &mut points);
            Way { name: name.to_string(), from_client, points, segments }
        })
        .filter(|w| w.segments > 0)
        .collect();
    let lost = c.rows.iter().filter(|r| r.fate == "lost_between").map(|r| x(r.passed_ns as f64)).collect();
    let x_ticks = ticks(0.0, span_s, w / 2.0, |s| LEFT + (s / span_s) as f32 * w, crate::draw::numbers::seconds_text);
    let y_ticks = ticks(lo, hi, h, y, |ms| format!("{} ms", crate::draw::numbers::trim(ms, 3)));
    Some(DelayPlot {
        width: PLOT_WIDTH,
        height: PLOT_HEIGHT,
        ways,
        x_ticks,
        y_ticks,
        lost,
        x_label: "time since the first segment passed its first point".to_string(),
        y_label: "one-way delay between the capture points".to_string(),
    })
}
