//! The `congestion` field of `analyze`'s per-connection JSON: per data-sending direction, the
//! rounds counted, the phases as runs of rounds (with their frames), the largest flight and the
//! reductions after losses — all ESTIMATED from the capture (`tcp::congestion`), never the
//! kernel's own window. A summary, not every round: a connection can have millions.

use serde::Serialize;

use crate::tcp::congestion::{Congestion, Reduction};
use crate::tcp::congestion_phase::{phase_runs, PhaseRun};

#[derive(Debug, Clone, Serialize)]
pub struct CongestionJson {
    /// `client` or `server`: whose sending.
    pub sender: &'static str,
    /// Always true: read from the packets, not from the sender.
    pub estimated: bool,
    /// The largest payload it sent: the segment the flight is counted in.
    pub mss: u32,
    /// The smaller MSS of the two SYNs, those captured (`null`: none).
    pub mss_announced: Option<u32>,
    pub rounds: usize,
    pub max_flight_bytes: u64,
    pub max_flight_segments: u32,
    /// The largest estimated congestion window (segments), from rounds limited by nothing else.
    pub max_cwnd_estimate: Option<u32>,
    pub phases: Vec<PhaseRun>,
    pub reductions: Vec<Reduction>,
}

pub fn congestion_json(c: &Congestion) -> Vec<CongestionJson> {
    c.directions
        .iter()
        .map(|d| CongestionJson {
            sender: if d.from_client { "client" } else { "server" },
            estimated: true,
            mss: d.mss,
            mss_announced: d.mss_announced,
            rounds: d.rounds.len(),
            max_flight_bytes: d.rounds.iter().map(|r| r.max_flight_bytes).max().unwrap_or(0),
            max_flight_segments: d.rounds.iter().map(|r| r.max_flight_segments).max().unwrap_or(0),
            max_cwnd_estimate: d.rounds.iter().filter_map(|r| r.cwnd_estimate).max(),
            phases: phase_runs(&d.rounds),
            reductions: d.reductions.clone(),
        })
        .collect()
}
