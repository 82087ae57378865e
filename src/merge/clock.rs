//! The two captures' clocks compared from the segments both saw: each segment passes the point
//! nearer its sender first, so the other point's time minus this one's is the path's delay
//! plus the clocks' offset one way, and the delay minus the offset the other way. The least of
//! each (the path's fixed delay, no queueing) gives the offset if the fixed delay is the same
//! both ways — the assumption every such estimate needs (NTP's too) — and bounds it whatever the
//! delays: the offset lies between minus the least of one and the least of the other. Drift is
//! the slope of that estimate over the connection, fitted over windows of its duration. Times
//! are subtracted as f64: two files' clocks may be centuries apart (a damaged one's, fuzzing).

/// One segment both points saw: its sender, and its time at the point nearer the client and
/// at the point nearer the server (ns, each by its own clock).
#[derive(Debug, Clone, Copy)]
pub struct Crossing {
    pub from_client: bool,
    pub at_client_side: i64,
    pub at_server_side: i64,
}

/// The server-side clock against the client-side clock.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ClockFit {
    /// Server-side clock minus client-side clock at `t0_ns` (client-side clock), ns.
    pub offset_ns: f64,
    /// How fast the server-side clock runs against the client-side one, parts per million.
    pub drift_ppm: f64,
    /// The drift as each way's least delays alone say it (client → server, server → client);
    /// they differ where one way's queue filled or drained over the connection.
    pub each_way_ppm: Option<(f64, f64)>,
    /// The offset is within ± this whatever the two ways' delays (half the least round trip
    /// between the points: the fixed one-way delay, if it is the same both ways), ns.
    pub bound_ns: f64,
    /// The same before it is kept at or above 0: below 0, some segment would have reached the
    /// far point before it left the near one — the two are not one connection's segments, or a
    /// point's clock stepped during it.
    pub fixed_raw_ns: f64,
    pub t0_ns: i64,
    /// Windows the drift was fitted over (0: too few segments each way, drift taken as 0).
    pub windows: usize,
}

impl ClockFit {
    /// The server-side clock minus the client-side clock at client-side time `t`.
    pub fn offset_at(&self, t: i64) -> f64 {
        self.offset_ns + self.drift_ppm * 1e-6 * (t as f64 - self.t0_ns as f64)
    }

    /// A crossing's one-way delay between the points, the clocks' difference taken out.
    pub fn delay_ns(&self, c: &Crossing) -> f64 {
        let off = self.offset_at(c.at_client_side);
        let d = c.at_server_side as f64 - c.at_client_side as f64;
        if c.from_client { d - off } else { -d + off }
    }
}

/// Windows of the connection's duration the drift is fitted over.
const WINDOWS: usize = 8;
/// A drift is fitted only over a connection at least this long (ns): each window's estimate
/// moves by tens of microseconds with the path's jitter, so a shorter one's slope says more
/// about the jitter than about the clocks.
const MIN_SPAN_NS: i64 = 2_000_000_000;

/// The fit, or `None` when the segments do not cross both ways.
pub fn fit(crossings: &[Crossing]) -> Option<ClockFit> {
    let t0 = crossings.iter().map(|c| c.at_client_side).min()?;
    let t1 = crossings.iter().map(|c| c.at_client_side).max()?;
    let mins = |drift: f64, pick: &dyn Fn(&Crossing) -> bool| -> (Option<f64>, Option<f64>) {
        let mut m = (None::<f64>, None::<f64>);
        for c in crossings.iter().filter(|c| pick(c)) {
            let d = (c.at_server_side as f64 - c.at_client_side as f64) - drift * (c.at_client_side as f64 - t0 as f64);
            let slot = if c.from_client { &mut m.0 } else { &mut m.1 };
            let v = if c.from_client { d } else { -d };
            *slot = Some(slot.map_or(v, |x: f64| x.min(v)));
        }
        m
    };
    // Drift: each way's least delay per window, a least-squares line through each. A drift
    // moves the two ways' lines by the same slope in opposite senses; a queue that fills moves
    // one way's line alone (and only up). Where the two agree the drift is their mean; where
    // they do not, one way's queue changed, and the drift is the steadier way's.
    let (mut ways, mut windows) = ((Vec::new(), Vec::new()), 0);
    if t1.saturating_sub(t0) >= MIN_SPAN_NS {
        let width = (t1 as f64 - t0 as f64) / WINDOWS as f64;
        for w in 0..WINDOWS {
            let (lo, hi) = (t0 as f64 + width * w as f64, t0 as f64 + width * (w + 1) as f64);
            let inside = |c: &Crossing| (c.at_client_side as f64) >= lo && ((c.at_client_side as f64) < hi || w + 1 == WINDOWS);
            if let (Some(m1), Some(m2)) = mins(0.0, &inside) {
                let x = (lo + hi) / 2.0 - t0 as f64;
                ways.0.push((x, m1));
                ways.1.push((x, m2));
                windows += 1;
            }
        }
    }
    let each_way = (windows >= 3).then(|| (slope(&ways.0), -slope(&ways.1)));
    let drift = match each_way {
        Some((a, b)) if (a - b).abs() <= AGREE => (a + b) / 2.0,
        Some((a, b)) => if a.abs() <= b.abs() { a } else { b },
        None => 0.0,
    };
    let (m1, m2) = mins(drift, &|_| true);
    let (m1, m2) = (m1?, m2?);
    Some(ClockFit { offset_ns: (m1 - m2) / 2.0, drift_ppm: drift * 1e6, each_way_ppm: each_way.map(|(a, b)| (a * 1e6, b * 1e6)), bound_ns: ((m1 + m2) / 2.0).max(0.0), fixed_raw_ns: (m1 + m2) / 2.0, t0_ns: t0, windows: if each_way.is_some() { windows } else { 0 } })
}

/// Two ways' drift estimates this close (a fraction: 20 ppm) agree.
const AGREE: f64 = 20e-6;

fn slope(points: &[(f64, f64)]) -> f64 {
    let n = points.len() as f64;
    let (mx, my) = (points.iter().map(|p| p.0).sum::<f64>() / n, points.iter().map(|p| p.1).sum::<f64>() / n);
    let (sxy, sxx) = points.iter().fold((0.0, 0.0), |(sxy, sxx), (x, y)| (sxy + (x - mx) * (y - my), sxx + (x - mx) * (x - mx)));
    if sxx > 0.0 { sxy / sxx } else { 0.0 }
}
