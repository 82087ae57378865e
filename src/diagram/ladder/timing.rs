//! The timing view's geometry: each arrow leaves its sender at the estimated send time and
//! reaches the receiver at the estimated arrival, crossing the capture point's line at its
//! capture time; long idle stretches are cut short.

use std::net::IpAddr;

use crate::tcp::capture_point;

use super::model::CaptureLine;
use super::geometry::{Geometry, TimeAxis};
use super::seg::Seg;
use super::text::centre_within_width;
use super::timing_header::{capture_line_sentence, EXPLAIN_Y};
use super::{CLIENT_X, SERVER_X};

/// The timing view's scale: the one-way path spans this many diagram units, within these
/// bounds on the whole height.
const TIMING_PATH_UNITS: f64 = 120.0;
const TIMING_MAX_HEIGHT: f64 = 8_000_000.0;

/// The timing view: estimated send and arrival times from the capture point's delays
/// (`ends`: the client's and the server's addresses, to tell a capture on one host).
pub(super) fn timing_geometry(packets: &[Seg], ends: (IpAddr, IpAddr)) -> Geometry {
    let point = capture_point(packets.iter().map(Seg::timed)).map(|p| p.between(ends.0, ends.1));
    let (client_ns, server_ns) = point.map_or((0, 0), |p| ((p.client_ms * 1e6) as i64, (p.server_ms * 1e6) as i64));
    // Saturating: a damaged capture's round trips can be absurd (fuzzing found one).
    let path = client_ns.saturating_add(server_ns);
    // The earliest and latest times, not the first and last segment's: a clock that steps
    // back must not make the span negative (and the diagram unbounded).
    let first = packets.iter().map(|p| p.time_ns).min().unwrap_or(0);
    let last = packets.iter().map(|p| p.time_ns).max().unwrap_or(0);
    // Keep at least four one-way paths of every pause (both arrow ends stay out of the cut).
    let keep = path.saturating_mul(4).max(last.saturating_sub(first) / 50).max(1);
    let mut cuts = Vec::new();
    for w in packets.windows(2) {
        let gap = w[1].time_ns.saturating_sub(w[0].time_ns);
        if gap > keep.saturating_mul(2) {
            cuts.push((w[0].time_ns.saturating_add(keep), gap - 2 * keep));
        }
    }
    let shown = (i128::from(last) - i128::from(first) - cuts.iter().map(|c| i128::from(c.1)).sum::<i128>() + i128::from(path)) as f64;
    let cap = TIMING_MAX_HEIGHT.min((60.0 * packets.len() as f64).max(2000.0));
    let mut per_ns = if path > 0 { TIMING_PATH_UNITS / path as f64 } else { f64::INFINITY };
    if shown > 0.0 {
        per_ns = per_ns.min(cap / shown);
    }
    if !per_ns.is_finite() {
        per_ns = 1.0;
    }
    let axis = TimeAxis { t0: first.saturating_sub(client_ns.max(server_ns)), per_ns, cuts, shifts: Vec::new() };
    let delays = |p: &Seg| if p.from_client { (client_ns, server_ns) } else { (server_ns, client_ns) };
    let tail = packets.iter().map(|p| axis.y(p.time_ns.saturating_sub(delays(p).0))).collect();
    let head = packets.iter().map(|p| axis.y(p.time_ns.saturating_add(delays(p).1))).collect();
    let cross = packets.iter().map(|p| axis.y(p.time_ns)).collect();
    let fraction = point.map_or(0.5, |p| p.fraction()) as f32;
    let x = CLIENT_X + fraction * (SERVER_X - CLIENT_X);
    let label = match point {
        Some(p) => format!("capture point: {}", p.describe()),
        None => "capture point: unknown (no round trip on one side); drawn without delays".to_string(),
    };
    let label_x = centre_within_width(&label, 11.0, x, super::WIDTH);
    let explain = capture_line_sentence(point.is_some());
    let line = CaptureLine { x, near: point.map_or("unknown", |p| p.near.id()), label, label_x, label_y: 66.0, explain, explain_y: EXPLAIN_Y };
    Geometry { tail, head, cross, timing: Some((line, axis)) }
}

