//! Tail loss probes that carried new data (issue #23): RFC 8985 §7.3 sends new data when there is
//! some and resends the last segment only when there is none, so a probe is often no resend at
//! all. Found by the recovery walk ([`crate::tcp::recovery`]); attached here to the episode it
//! went before.

use serde::Serialize;

/// A tail loss probe that carried new data (RFC 8985 §7.3: a probe sends new data when there
/// is some, and resends the last segment only when there is none): bytes outstanding, no ACK
/// since the sender's previous segment, and a silence of at least two round trips before it
/// (away from the sender: by its own clock, and no ACK heard by its TSecr).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct ProbeWithNewData {
    pub index: usize,
    pub frame: u64,
    pub from_client: bool,
    pub since_last_send_ns: i64,
}


/// The latest probe of sender `from_client` between frames `after` and `before` (exclusive):
/// the one that went before an episode whose first resend is `before`.
pub fn probe_before(probes: &[ProbeWithNewData], from_client: bool, after: u64, before: u64) -> Option<ProbeWithNewData> {
    probes.iter().rev().find(|p| p.from_client == from_client && p.frame > after && p.frame < before).copied()
}
