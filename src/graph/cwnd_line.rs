//! The estimated congestion-window line on the bytes-in-flight graph and its CSV column: each
//! round's cwnd estimate (`tcp::congestion`, segments × the sender's largest payload) from the
//! round's first segment on. ESTIMATED from the capture — the legend says so — and absent for
//! rounds whose flight something else limited (receiver's window, application, loss).

use crate::connection::Connection;
use crate::tcp::congestion::{Congestion, CongestionWalk};

/// The legend of the line (with the direction after it).
pub const CWND_LEGEND: &str = "cwnd (estimated from the capture)";

/// One step of the line: from `time_ns` (its round's first segment, `frame`, index `index` in
/// the connection) the estimate in bytes; `None` where the round shows none.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CwndStep {
    pub from_client: bool,
    pub time_ns: i64,
    pub frame: u64,
    pub bytes: Option<u64>,
}

/// The connection's rounds, walked once over its segments.
pub fn congestion_of(conn: &Connection<'_>) -> Congestion {
    let mut walk = CongestionWalk::default();
    for (i, p) in conn.packets().enumerate() {
        walk.add(i, &p);
    }
    walk.finish()
}

/// Every round's step, per direction in time order, the client's first.
pub fn cwnd_steps(c: &Congestion) -> Vec<CwndStep> {
    c.directions
        .iter()
        .flat_map(|d| {
            d.rounds.iter().map(move |r| CwndStep {
                from_client: d.from_client,
                time_ns: r.start_ns,
                frame: r.first_frame,
                bytes: r.cwnd_estimate.map(|s| u64::from(s) * u64::from(d.mss)),
            })
        })
        .collect()
}

/// The estimate in force at `time_ns` for the direction (the latest step at or before it).
pub fn cwnd_at(steps: &[CwndStep], from_client: bool, time_ns: i64) -> Option<u64> {
    steps.iter().filter(|s| s.from_client == from_client && s.time_ns <= time_ns).last().and_then(|s| s.bytes)
}
