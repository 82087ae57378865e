//! The congestion band beside the rows (issue #23): for the main data sender, one band per run
//! of rounds of the same phase (slow start one per round) naming the phase, the round and the
//! flight — "slow start, round 4: 80 segments in flight (estimated)" — from
//! `tcp::congestion`, always marked estimated. A kind of its own, drawn in its own column
//! between the server's states and the phase brackets, so it never collides with a bracket.

use super::geometry::Geometry;
use super::model::CongestionBand;
use super::seg::Seg;
use crate::tcp::congestion::Congestion;
use crate::tcp::congestion_phase::{phase_runs, Phase, PhaseRun};

/// The band's column: left of the phase brackets (`PHASE_X` 690), right of the server's state
/// names.
const BAND_X: f32 = 662.0;
/// Rough width of a character of the band's 11 px monospace label (written along the band).
const CHAR_W: f32 = 6.7;

/// The bands of the direction that sent the most, over the rows of its rounds. Runs whose rows
/// overlap (a collapsed run of rows holds many rounds) share one band that names them all.
pub(super) fn congestion_bands(c: &Congestion, packets: &[Seg], geometry: &Geometry) -> Vec<CongestionBand> {
    let index_of = |frame: u64| packets.binary_search_by_key(&frame, |p| p.frame).ok();
    let Some(d) = c.directions.iter().max_by_key(|d| d.rounds.iter().map(|r| r.bytes).sum::<u64>()) else { return Vec::new() };
    let runs = phase_runs(&d.rounds);
    // (runs sharing the band, y1, y2)
    let mut groups: Vec<(Vec<&PhaseRun>, f32, f32)> = Vec::new();
    for run in &runs {
        let (Some(i), Some(j)) = (index_of(run.first_frame), index_of(run.last_frame)) else { continue };
        let y1 = geometry.tail[i].min(geometry.head[i]) - 6.0;
        let y2 = geometry.head[j].max(geometry.tail[j]) + 2.0;
        match groups.last_mut() {
            Some(g) if y1 < g.2 - 1.0 => {
                g.0.push(run);
                g.2 = g.2.max(y2);
            }
            _ => groups.push((vec![run], y1, y2)),
        }
    }
    groups
        .into_iter()
        .map(|(runs, y1, y2)| {
            let label = group_label(&runs);
            // Written along the band when it is long enough; else the round number, else
            // nothing (the tooltip holds it all).
            let fits = |t: &str| (t.chars().count() as f32) * CHAR_W <= y2 - y1;
            let medium = label.split([':', ';']).take(if runs.len() > 1 { 2 } else { 1 }).collect::<Vec<_>>().join(":") + " (estimated)";
            let short = format!("r{}", runs[0].first_round);
            let shown = [label.clone(), medium, short].into_iter().find(|t| fits(t)).unwrap_or_default();
            let phase = if runs.iter().all(|r| r.phase == runs[0].phase) { phase_id(runs[0].phase) } else { "mixed" };
            let (first, last) = (runs[0], runs[runs.len() - 1]);
            let title = runs.iter().map(|r| band_label(r)).collect::<Vec<_>>().join("; ");
            CongestionBand { from_client: d.from_client, phase, first_frame: first.first_frame, last_frame: last.last_frame, x: BAND_X, y1, y2, label: if runs.len() > 1 { format!("{label} — {title}") } else { label }, shown }
        })
        .collect()
}

/// One run's label, or for runs sharing a band: their rounds, phases in order, largest flight.
fn group_label(runs: &[&PhaseRun]) -> String {
    if let [run] = runs {
        return band_label(run);
    }
    let mut phases: Vec<String> = Vec::new();
    let mut last: Option<Phase> = None;
    for r in runs {
        if last != Some(r.phase) {
            phases.push(r.phase.words().to_string());
        }
        last = Some(r.phase);
    }
    // Slow start's doubling, from its first round's flight to its last.
    let ss: Vec<u32> = runs.iter().filter(|r| r.phase == Phase::SlowStart).map(|r| r.max_flight_segments).collect();
    if let (Some(a), Some(b)) = (ss.first(), ss.last()) {
        if ss.len() > 1 {
            if let Some(p) = phases.iter_mut().find(|p| p.as_str() == Phase::SlowStart.words()) {
                *p = format!("slow start {a}→{b}");
            }
        }
    }
    let n = runs.iter().map(|r| r.max_flight_segments).max().unwrap_or(0);
    format!("rounds {}–{}: {}; up to {n} segments in flight (estimated)", runs[0].first_round, runs[runs.len() - 1].last_round, phases.join(", "))
}

/// "slow start, round 4: 80 segments in flight (estimated)".
pub fn band_label(run: &PhaseRun) -> String {
    let rounds = if run.first_round == run.last_round { format!("round {}", run.first_round) } else { format!("rounds {}–{}", run.first_round, run.last_round) };
    let n = run.max_flight_segments;
    let flight = if n == 1 { "1 segment".to_string() } else { format!("{n} segments") };
    let up_to = if run.first_round == run.last_round { "" } else { "up to " };
    format!("{}, {rounds}: {up_to}{flight} in flight (estimated)", run.phase.words())
}

fn phase_id(p: Phase) -> &'static str {
    match p {
        Phase::SlowStart => "slow_start",
        Phase::CongestionAvoidance => "congestion_avoidance",
        Phase::LossRecovery => "loss_recovery",
        Phase::Reduction => "reduction",
        Phase::EcnReduction => "ecn_reduction",
        Phase::EcnEcho => "ecn_echo",
        Phase::RestartAfterTimeout => "restart_after_timeout",
        Phase::ReceiverLimited => "receiver_limited",
        Phase::ApplicationLimited => "application_limited",
        Phase::FlightGrew => "flight_grew",
        Phase::HeldBack => "held_back",
        Phase::FirstSeen => "first_seen",
        Phase::OneSegment => "one_segment",
        Phase::OnlyResent => "only_resent",
    }
}
