//! The time rulers: round capture times beside the rows (the view by capture time) or on the
//! timing view's axis (with a mark at each pause it cuts short).

use crate::draw::offsets::BASELINE_BELOW_ROW;
use crate::draw::text_box::{Anchor, Placed, TextBox};
use super::model::Tick;
use super::seg::Seg;
use super::geometry::TimeAxis;
use super::rows::IDLE_NS;
use super::model::{Arrow, Group};
use super::{Columns, TICK_X};

/// The timing view's ruler: about eight round capture times, and a mark at each cut pause.
pub(super) fn timing_ticks(packets: &[Seg], axis: &TimeAxis, column: &mut Placed) -> Vec<Tick> {
    let (Some(first), Some(last)) = (packets.first(), packets.last()) else { return Vec::new() };
    let span = last.time_ns.saturating_sub(first.time_ns) as f64 / 1e9;
    if span <= 0.0 {
        return Vec::new();
    }
    let mut ticks = Vec::new();
    for (start, len) in &axis.cuts {
        let (y, label) = (axis.drawn_y(*start), format!("⋯ {:.3} s ⋯", *len as f64 / 1e9));
        let moved = column.push_down(TextBox::new(&label, TICK_X, y + BASELINE_BELOW_ROW, 11.0, Anchor::Start));
        ticks.push(Tick { y: y + moved, label, x: TICK_X });
    }
    let step = round_step(span / 8.0);
    let mut t = 0.0;
    while t <= span + 1e-12 {
        let at = first.time_ns + (t * 1e9) as i64;
        let (y, label) = (axis.drawn_y(at), format!("+{:.*} s", decimals(step), t));
        let b = TextBox::new(&label, TICK_X, y + BASELINE_BELOW_ROW, 11.0, Anchor::Start);
        if !axis.inside_cut(at) && column.free(&b) {
            column.take(b);
            ticks.push(Tick { y, label, x: TICK_X });
        }
        t += step;
    }
    ticks.sort_by(|a, b| a.y.total_cmp(&b.y));
    ticks
}

fn round_step(raw: f64) -> f64 {
    crate::draw::ticks::round_step(raw).unwrap_or(raw)
}

/// The view by capture time's ruler: each idle pause (`rows::IDLE_NS`) marked with its length
/// in the room the rows left for it ("idle 10.24 s"), and about eight ticks at round
/// intervals of the capture time where nothing is written yet (none inside a pause). The
/// compact columns have no time column: there only the idle marks, between the lanes.
pub(super) fn time_ticks(packets: &[Seg], rows: &[f32], column: &mut Placed, arrows: &[Arrow], groups: &[Group], cols: Columns) -> Vec<Tick> {
    if !cols.side_columns {
        return idle_between_lanes(packets, rows, arrows, groups, cols);
    }
    let (Some(first), Some(last)) = (packets.first(), packets.last()) else { return Vec::new() };
    let mut ticks = Vec::new();
    let mut pauses = Vec::new();
    for (i, pair) in packets.windows(2).enumerate() {
        let pause = pair[1].time_ns.saturating_sub(pair[0].time_ns);
        if pause >= IDLE_NS {
            pauses.push((pair[0].time_ns, pair[1].time_ns));
            let label = format!("idle {:.2} s", pause as f64 / 1e9);
            // Half-way between the two rows, clear of both rows' own times.
            let y = (rows[i] + rows[i + 1]) / 2.0;
            let moved = column.push_down(TextBox::new(&label, TICK_X, y + BASELINE_BELOW_ROW, 11.0, Anchor::Start));
            ticks.push(Tick { y: y + moved, label, x: TICK_X });
        }
    }
    let span = last.time_ns.saturating_sub(first.time_ns) as f64 / 1e9;
    let step = round_step(span / 8.0);
    let mut t = 0.0;
    while span > 0.0 && t <= span + 1e-12 {
        // The row at or after this time gives the y (rows are monotonic in time).
        let target = first.time_ns + (t * 1e9) as i64;
        let paused = pauses.iter().any(|&(a, b)| a < target && target < b);
        if let (Some(i), false) = (packets.iter().position(|p| p.time_ns >= target), paused) {
            // Only where nothing is written yet (two round times can fall in one row).
            let label = format!("+{:.*} s", decimals(step), t);
            let b = TextBox::new(&label, TICK_X, rows[i] + BASELINE_BELOW_ROW, 11.0, Anchor::Start);
            if column.free(&b) {
                column.take(b);
                ticks.push(Tick { y: rows[i], label, x: TICK_X });
            }
        }
        t += step;
    }
    ticks.sort_by(|a, b| a.y.total_cmp(&b.y));
    ticks
}

/// The compact columns' idle marks (#24: on a phone the pauses took their room with no word):
/// each centred between the lanes, under the row before the pause, moved down clear of every
/// arrow, label, tag and collapsed run into the room the pause was given.
fn idle_between_lanes(packets: &[Seg], rows: &[f32], arrows: &[Arrow], groups: &[Group], cols: Columns) -> Vec<Tick> {
    let mut taken = Placed::default();
    let across = |y0: f32, y1: f32| TextBox { x0: cols.client_x, x1: cols.server_x, y0, y1 };
    for a in arrows {
        taken.take(across(a.y1.min(a.y2) - 2.0, a.y1.max(a.y2) + 2.0));
        for (line, y) in a.label_lines().into_iter().filter(|_| a.show_label) {
            taken.take(TextBox::new(line, a.label_x, y, 12.0, Anchor::Middle));
        }
        for (line, y) in a.tag_lines().into_iter().filter(|_| a.show_label) {
            taken.take(TextBox::new(&line, a.label_x, y, 11.0, Anchor::Middle));
        }
    }
    for g in groups {
        taken.take(across(g.y - 2.0, g.y_end + 2.0));
    }
    let middle = (cols.client_x + cols.server_x) / 2.0;
    let mut ticks = Vec::new();
    for (i, pair) in packets.windows(2).enumerate() {
        let pause = pair[1].time_ns.saturating_sub(pair[0].time_ns);
        if pause >= IDLE_NS {
            let label = format!("idle {:.2} s", pause as f64 / 1e9);
            let b = TextBox::new(&label, middle, rows[i] + BASELINE_BELOW_ROW, 11.0, Anchor::Middle);
            let x = b.x0;
            // (Two units of air above and below: texts that only touch read as one.)
            let moved = taken.push_down(TextBox { y0: b.y0 - 2.0, y1: b.y1 + 2.0, ..b });
            ticks.push(Tick { y: rows[i] + moved, label, x });
        }
    }
    ticks
}

fn decimals(step: f64) -> usize {
    if step >= 1.0 {
        0
    } else {
        (-step.log10().floor()) as usize
    }
}
