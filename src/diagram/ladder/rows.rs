//! Rows of the even view and of the view by capture time: which long runs of plain segments
//! collapse into one row, where each row sits, and the collapsed runs' summaries.

use crate::tcp::analysis::AnalysisFlags;

use super::geometry::Geometry;
use super::model::{Group, LadderOptions};
use super::seg::Seg;
use super::{GAP_ROOM, ROW, SLOPE, TAG_ROOM, TOP};

/// Runs longer than this collapse; the first and last few segments of a run stay visible.
const RUN_MIN: usize = 16;
const RUN_KEEP: usize = 3;

/// Which segments a collapsed run hides: `Some(group id)` for each hidden segment.
/// `keep`: segments that stay arrows whatever they are (those that begin or complete an
/// application message).
pub(super) fn collapsed_runs(packets: &[Seg], data: Option<(u64, u64)>, options: &LadderOptions, keep: &std::collections::BTreeSet<usize>) -> Vec<Option<usize>> {
    let mut hidden = vec![None; packets.len()];
    let (Some((first, last)), false) = (data, options.expand_all) else { return hidden };
    let plain = |i: usize| {
        let p = &packets[i];
        let f = p.flags;
        p.frame >= first && p.frame <= last && !f.syn() && !f.fin() && !f.rst() && p.analysis.is_empty() && !keep.contains(&i)
    };
    let mut i = 0;
    while i < packets.len() {
        if !plain(i) {
            i += 1;
            continue;
        }
        let start = i;
        while i < packets.len() && plain(i) {
            i += 1;
        }
        if i - start >= RUN_MIN {
            let (from, to) = (start + RUN_KEEP, i - RUN_KEEP);
            if !options.expanded.contains(&from) {
                hidden[from..to].iter_mut().for_each(|h| *h = Some(from));
            }
        }
    }
    hidden
}

/// A shown item: a segment, or a collapsed run (its first segment and its last one's time).
type Item = (Seg, Option<i64>);

/// By capture time, a pause this long with nothing sent either way is idle (a keep-alive's
/// interval, a user's think time): left out of the time scale, drawn `IDLE_ROOM` tall and
/// marked with its length on the ruler (`ticks::time_ticks`), so that seconds of silence
/// neither look like microseconds nor squeeze the exchanges between them (#24).
pub(super) const IDLE_NS: i64 = 1_000_000_000;
const IDLE_ROOM: f32 = 44.0;

/// Row positions of the shown items (segments and collapsed runs), with where each item's
/// row ends: evenly spaced, or by capture time, never closer than a row's own text needs (its
/// label above the arrow, tags below it, a gap mark above the label). By capture time a run
/// reaches down to its last segment's time, so the time axis stays true across it, and an
/// idle pause (`IDLE_NS`) takes `IDLE_ROOM` instead of its length.
fn row_positions(items: &[Item], by_time: bool, label_rooms: &[f32]) -> Vec<(f32, f32)> {
    let room_above = |(p, run): &Item| if run.is_none() && p.analysis.has(AnalysisFlags::LOST_SEGMENT) { GAP_ROOM } else { 0.0 };
    // (Narrow lanes: tags too may take up to three lines.)
    let tag_lines_room = if label_rooms.is_empty() { 0.0 } else { 2.0 * super::model::LABEL_LINE };
    let height = |(p, run): &Item| ROW + if run.is_none() && p.tagged() { TAG_ROOM + tag_lines_room } else { 0.0 };
    // Each item's time on the axis without the idle pauses (in i128: a damaged capture's clock
    // may jump by ~10^18 ns), and the idle pauses before it.
    let mut active: Vec<(i128, bool)> = Vec::with_capacity(items.len());
    let (mut clock, mut end) = (0i128, None::<i64>);
    for (p, run) in items {
        let pause = end.map_or(0, |e| (i128::from(p.time_ns) - i128::from(e)).max(0));
        let idle = by_time && pause >= i128::from(IDLE_NS);
        clock += if idle { 0 } else { pause };
        active.push((clock, idle));
        let last = run.unwrap_or(p.time_ns).max(p.time_ns);
        clock += i128::from(last.saturating_sub(p.time_ns));
        end = Some(end.map_or(last, |e| e.max(last)));
    }
    let scale = ROW as f64 * items.len() as f64 / (clock.max(1) as f64);
    let at = |t: i128| ((t as f64) * scale) as f32;
    let mut rows = Vec::with_capacity(items.len());
    let (mut next, mut shift) = (TOP, 0.0f32);
    for (k, item) in items.iter().enumerate() {
        let (t, idle) = active[k];
        let mut y = next + room_above(item) + label_rooms.get(k).copied().unwrap_or(0.0);
        if idle {
            shift += IDLE_ROOM;
            y += IDLE_ROOM;
        }
        if by_time {
            y = y.max(TOP + shift + at(t));
        }
        let mut row_end = y;
        if let (true, Some(last)) = (by_time, item.1) {
            row_end = row_end.max(y + at(i128::from(last.saturating_sub(item.0.time_ns))));
        }
        rows.push((y, row_end));
        next = row_end + height(item);
    }
    rows
}

/// The even view and the view by capture time: one row per shown item (a segment, or the first
/// segment of a collapsed run), and where each collapsed run's row ends, by its first
/// segment's index. `label_lines`: per segment, the lines its label takes in narrow lanes (empty:
/// one each), the rows further apart to make room above for the others.
pub(super) fn row_geometry(packets: &[Seg], hidden: &[Option<usize>], by_time: bool, label_lines: &[u8]) -> (Geometry, Vec<(usize, f32)>) {
    let mut run_ends: Vec<(usize, f32)> = Vec::new();
    let shown: Vec<Item> = packets
        .iter()
        .enumerate()
        .filter(|(i, _)| hidden[*i].is_none_or(|id| id == *i))
        .map(|(i, p)| (*p, hidden[i].map(|id| packets[id..].iter().zip(&hidden[id..]).take_while(|(_, h)| **h == Some(id)).last().map_or(p.time_ns, |(q, _)| q.time_ns))))
        .collect();
    let rooms: Vec<f32> = if label_lines.is_empty() {
        Vec::new()
    } else {
        // (A run's row carries its summary, no label.)
        let room = |i: usize| if hidden[i].is_some() { 0.0 } else { f32::from(label_lines[i].saturating_sub(1)) * super::model::LABEL_LINE };
        (0..packets.len()).filter(|&i| hidden[i].is_none_or(|id| id == i)).map(room).collect()
    };
    let item_rows = row_positions(&shown, by_time, &rooms);
    let mut rows = Vec::with_capacity(packets.len());
    let mut item = 0usize;
    for (i, h) in hidden.iter().enumerate() {
        if i > 0 && h.is_none_or(|id| id == i) {
            item += 1;
        }
        let (y, end) = item_rows[item];
        // By capture time, a segment inside a collapsed run sits where its time falls in
        // the run's box (the ruler's marks inside the run land there too).
        let y = match (*h, shown[item].1) {
            (Some(id), Some(last)) if by_time && id != i && last > packets[id].time_ns => {
                let f = packets[i].time_ns.saturating_sub(packets[id].time_ns) as f64 / last.saturating_sub(packets[id].time_ns) as f64;
                y + (end - y) * f.clamp(0.0, 1.0) as f32
            }
            _ => y,
        };
        rows.push(y);
        if *h == Some(i) {
            run_ends.push((i, end));
        }
    }
    let head = rows.iter().map(|y| y + SLOPE).collect();
    (Geometry { cross: rows.clone(), tail: rows, head, timing: None }, run_ends)
}

/// The collapsed runs' summary rows, in order.
pub(super) fn groups(packets: &[Seg], hidden: &[Option<usize>], rows: &[f32], run_ends: &[(usize, f32)]) -> Vec<Group> {
    let mut groups = Vec::new();
    for (i, h) in hidden.iter().enumerate() {
        if *h != Some(i) {
            continue;
        }
        let run: Vec<&Seg> = packets[i..].iter().zip(&hidden[i..]).take_while(|(_, h)| **h == Some(i)).map(|(p, _)| p).collect();
        let c2s: u64 = run.iter().filter(|p| p.from_client).map(|p| u64::from(p.payload_len)).sum();
        let s2c: u64 = run.iter().filter(|p| !p.from_client).map(|p| u64::from(p.payload_len)).sum();
        let (first_frame, last_frame) = (run[0].frame, run[run.len() - 1].frame);
        let lasted = crate::timefmt::human_duration(run[run.len() - 1].time_ns.saturating_sub(run[0].time_ns));
        let y_end = run_ends.iter().find(|(id, _)| *id == i).map_or(rows[i], |(_, end)| *end);
        groups.push(Group {
            id: i,
            first_frame,
            last_frame,
            segments: run.len(),
            bytes_c2s: c2s,
            bytes_s2c: s2c,
            y: rows[i],
            y_end,
            text: format!("⋯ {} segments in {lasted}, frames {first_frame}–{last_frame}: {c2s} bytes →, {s2c} bytes ←", run.len()),
        });
    }
    groups
}
