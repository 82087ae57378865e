//! Where every segment's arrow starts, ends and crosses the capture point (`Geometry`), in
//! every view, and the timing view's time → y mapping (`TimeAxis`): what `rows` and `timing`
//! make and `layout` and the rulers read.

use super::model::CaptureLine;
use super::TOP;

/// Where each segment's arrow starts, ends and passes the capture point.
pub(super) struct Geometry {
    pub(super) tail: Vec<f32>,
    pub(super) head: Vec<f32>,
    pub(super) cross: Vec<f32>,
    /// Timing view: the capture line and the time → y mapping.
    pub(super) timing: Option<(CaptureLine, TimeAxis)>,
}

impl Geometry {
    pub(super) fn axis(&self) -> Option<&TimeAxis> {
        self.timing.as_ref().map(|(_, axis)| axis)
    }
}

/// The timing view's time → y mapping. Idle stretches much longer than the path's round trip
/// are cut short (each cut is marked), so a pause of seconds does not push the rest of the
/// connection off the screen.
pub(super) struct TimeAxis {
    pub(super) t0: i64,
    pub(super) per_ns: f64,
    /// (start, length) of each cut, in capture time, in order.
    pub(super) cuts: Vec<(i64, i64)>,
    /// (capture time, shift) of each segment: how far `timing_labels` moved its arrow down.
    pub(super) shifts: Vec<(i64, f32)>,
}

impl TimeAxis {
    pub(super) fn y(&self, t: i64) -> f32 {
        // In i128: a damaged capture's times can be far enough apart to overflow i64 sums.
        let cut: i128 = self.cuts.iter().map(|&(start, len)| (i128::from(t) - i128::from(start)).clamp(0, i128::from(len))).sum();
        TOP + ((i128::from(t) - i128::from(self.t0) - cut) as f64 * self.per_ns) as f32
    }

    /// Where time `t` is drawn once the arrows are moved apart: moved as far as the last
    /// segment captured at or before it.
    pub(super) fn drawn_y(&self, t: i64) -> f32 {
        let k = self.shifts.partition_point(|&(at, _)| at <= t);
        self.y(t) + k.checked_sub(1).map_or(self.shifts.first().map_or(0.0, |s| s.1), |k| self.shifts[k].1)
    }

    pub(super) fn inside_cut(&self, t: i64) -> bool {
        self.cuts.iter().any(|(start, len)| t > *start && t < start + len)
    }
}
