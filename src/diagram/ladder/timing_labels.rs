//! The timing view keeps every arrow apart and places every label (issue #24, point 1).
//!
//! In the timing view every arrow of one direction has the same slope (one delay per
//! direction), so two segments captured within a fraction of a millisecond of each other (an
//! ACK and the FIN that follows it, a burst of data) are drawn on top of each other and the
//! second label has nowhere to go. Here each arrow is moved down, in capture order, by a shift
//! that never decreases: far enough below the previous arrow of its direction to be told apart,
//! and further, a few units at a time, until one of its label spots is free. A shift that never
//! decreases keeps every "sent after it arrived" of the drawing true (an answer is captured
//! after its cause, so it is moved at least as far), and every slope stays the real one; only
//! the vertical spacing between segments that left together is opened up.

use crate::draw::text_box::{Anchor, Placed, TextBox};

use super::geometry::Geometry;
use super::seg::Seg;
use super::{CLIENT_X, SERVER_X};

/// Two arrows of one direction start at least this far apart: a label's height and a little.
pub(super) const APART: f32 = 20.0;
/// How far an arrow moves down at a time while its label has no free spot.
const NUDGE: f32 = 4.0;
/// Where along the arrow its label may stand, in order of preference.
const SPOTS: [f32; 7] = [0.5, 0.28, 0.72, 0.16, 0.84, 0.38, 0.62];
/// Beyond this many segments labels are placed only for the arrows made (the page lays a long
/// connection out a window at a time, and making every segment's label would be slow).
pub(super) const LABEL_ALL_UP_TO: usize = 50_000;
/// Never more than this many nudges for one arrow (a label that fits nowhere is left out).
const MAX_NUDGES: u32 = 2_000;

/// Where each segment's label (and its tags under it) is written: `None` where it is left out.
pub(super) type Spots = Vec<Option<(f32, f32)>>;

/// Moves the arrows of `geometry` apart (all of them by `start` first) and places the label and tags of
/// every segment `text(i)` gives (`None`: not labelled here) in `middle`. Returns the spots and
/// each segment's shift.
pub(super) fn spread_and_place(
    packets: &[Seg],
    geometry: &mut Geometry,
    start: f32,
    text: impl Fn(usize) -> Option<(String, Option<String>)>,
    middle: &mut Placed,
) -> (Spots, Vec<f32>) {
    let mut shift = start;
    let mut last_tail: [Option<f32>; 2] = [None, None];
    let (mut spots, mut shifts) = (vec![None; packets.len()], Vec::with_capacity(packets.len()));
    for (i, p) in packets.iter().enumerate() {
        let side = usize::from(!p.from_client);
        if let Some(prev) = last_tail[side] {
            shift += (prev + APART - (geometry.tail[i] + shift)).max(0.0);
        }
        if let Some((label, tags)) = text(i) {
            let (x1, x2) = if p.from_client { (CLIENT_X, SERVER_X) } else { (SERVER_X, CLIENT_X) };
            for _ in 0..MAX_NUDGES {
                let (y1, y2) = (geometry.tail[i] + shift, geometry.head[i] + shift);
                if let Some(spot) = free_spot(&label, tags.as_deref(), (x1, y1), (x2, y2), middle) {
                    spots[i] = Some(spot);
                    break;
                }
                shift += NUDGE;
            }
        }
        geometry.tail[i] += shift;
        geometry.head[i] += shift;
        geometry.cross[i] += shift;
        last_tail[side] = Some(geometry.tail[i]);
        shifts.push(shift);
    }
    (spots, shifts)
}

/// The first free spot along the arrow from `a` to `b` for the label (12 px, 6 units above the
/// arrow) and its tags (11 px, under the arrow), taken in `middle`.
fn free_spot(label: &str, tags: Option<&str>, a: (f32, f32), b: (f32, f32), middle: &mut Placed) -> Option<(f32, f32)> {
    SPOTS.into_iter().find_map(|f| {
        let (x, y) = (a.0 + (b.0 - a.0) * f, a.1 + (b.1 - a.1) * f - 6.0);
        let boxes = [Some(TextBox::new(label, x, y, 12.0, Anchor::Middle)), tags.map(|t| TextBox::new(t, x, y + 13.0, 11.0, Anchor::Middle))];
        // Between the lifelines (beyond them are the states); a text wider than the lane
        // may only stand at the middle.
        let between = boxes.iter().flatten().all(|b| (b.x0 > CLIENT_X + 4.0 && b.x1 < SERVER_X - 4.0) || (f == 0.5 && b.x1 - b.x0 > SERVER_X - CLIENT_X - 8.0));
        (between && boxes.iter().flatten().all(|b| middle.free(b))).then(|| {
            boxes.into_iter().flatten().for_each(|b| middle.take(b));
            (x, y)
        })
    })
}

/// The timing view's spots: every segment's label and tags (with the inferred resend kinds
/// that `layout` later puts on the arrows, so that their widths are the final ones) placed,
/// the arrows moved apart, and the time axis told how far (for its ruler).
pub(super) fn timing_spots(conn: &crate::connection::Connection<'_>, episodes: &[crate::tcp::recovery_episodes::Episode], packets: &[Seg], geometry: &mut Geometry, options: &super::LadderOptions, middle: &mut Placed) -> Spots {
    use super::super::label::{analysis_tags, segment_label};
    let resends = super::episodes::resend_tags(episodes);
    let label_all = packets.len() <= LABEL_ALL_UP_TO;
    let text = |i: usize| {
        let p = conn.packet(i).filter(|_| label_all)?;
        let mut tags = analysis_tags(&p);
        super::super::segment_copies::tag_ack_copy(&mut tags, i, &p, conn);
        if let Some(tag) = resends.get(&p.frame) {
            super::episodes::retag(&mut tags, tag.clone());
        }
        let tag_text = (!tags.is_empty()).then(|| format!("[{}]", tags.iter().map(|t| t.text.as_str()).collect::<Vec<_>>().join("] [")));
        Some((segment_label(&p, options.absolute), tag_text))
    };
    // The whole drawing moved up or down so that it starts right under the header.
    let top = geometry.tail.iter().chain(&geometry.head).fold(f32::MAX, |m, y| m.min(*y));
    let start = if top.is_finite() && top < f32::MAX { super::timing_header::HEADER_BOTTOM - top } else { 0.0 };
    let (spots, shifts) = spread_and_place(packets, geometry, start, text, middle);
    if let Some((_, axis)) = geometry.timing.as_mut() {
        axis.shifts = packets.iter().map(|p| p.time_ns).zip(shifts).collect();
    }
    spots
}
