//! Which arrows send bytes again (issue #24, point 5): they are drawn in their own style
//! (a distinct colour, dash-dot, a ring at the tail; in the legend too), so loss stands out.

use super::super::label::Tag;

/// Tags of a segment that sends bytes again: Wireshark's retransmission findings, or the resend
/// kind the recovery walk inferred (which replaces them on the arrow).
const RESENT: [&str; 3] = ["retransmission", "fast_retransmission", "spurious_retransmission"];

/// The arrow carrying these tags sends bytes again.
pub(super) fn is_resent(tags: &[Tag]) -> bool {
    // (A copy captured twice is no second send: it keeps the ordinary style.)
    !tags.iter().any(|t| t.kind == "resend_captured_twice") && tags.iter().any(|t| RESENT.contains(&t.kind) || t.kind.starts_with("resend_"))
}
