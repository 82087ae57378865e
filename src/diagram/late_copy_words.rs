//! A copy of resent bytes that the sender sent before the resend — the original, held or
//! reordered on the path, arriving after its resend (issue #23, R1 F5) — in words, from the
//! [`LateCopy`] its TSval revealed. Not a resend: said so, with the timestamps as evidence.

use crate::tcp::sender_clock::LateCopy;
use crate::timefmt::milliseconds;

/// The sentence for the late copy `l`; `dsack` is the frame of the D-SACK its resend got.
pub(super) fn late_copy_note(l: &LateCopy, dsack: Option<u64>) -> String {
    let what = if l.original { format!("the original of frame {}'s bytes", l.earlier_frame) } else { format!("an earlier copy of frame {}'s bytes", l.earlier_frame) };
    let ticks = l.earlier_tsval.wrapping_sub(l.tsval);
    let by_clock = match (l.sent_before_ns, l.ns_per_tick) {
        (Some(ns), Some(tick)) => format!(": about {} before it by the sender's clock ({ticks} ticks of about {} each, as estimated from the capture)", milliseconds(ns), milliseconds(tick.round() as i64)),
        _ => format!(" ({ticks} ticks earlier on the sender's clock)"),
    };
    let dup = match dsack {
        Some(frame) => format!(" The receiver had these bytes already: its D-SACK in frame {frame} reports them arriving twice (a timestamp older than one already accepted is also what PAWS, RFC 7323 §5, discards)."),
        None => " The receiver had these bytes already, so this copy is a duplicate there.".to_string(),
    };
    format!(
        "Not a resend: {what}, delayed on the path. Its TSval {} is older than that resend's {}, so the sender sent it first{by_clock}; yet it passes here {} after the resend.{dup}",
        l.tsval,
        l.earlier_tsval,
        milliseconds(l.since_earlier_ns)
    )
}
