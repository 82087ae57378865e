//! The phase of each round of [`congestion`](super::congestion), from its flight against the
//! rounds before it — estimated from the capture, as the rounds are.
//!
//! Rules, in order (why: what limits a round decides what its flight can say of cwnd):
//! 1. A timeout resend in the round: restart after the timeout (Linux sets cwnd to 1).
//! 2. A fast retransmit or loss probe: loss recovery (the reduction's ratio is measured by the
//!    walk: cubic 0.7, Reno 0.5); the first estimate after it is called the reduction.
//!    An ECN echo (ECE, RFC 3168) that is news to the sender (not an echo of a mark it already
//!    answered with CWR) makes the next estimate an ECN reduction: cwnd cut with no loss.
//! 3. Receiver-limited, then application-limited: the flight says nothing of cwnd. Away from
//!    the sender, a steady flight within a tenth of the window seen at the capture point (the
//!    sender knew it a round trip from there later) is receiver-limited too.
//! 4. Otherwise the flight is the estimate; over the previous estimate: ≥ 1.5× slow start
//!    (it doubles), below 0.85× a reduction with no loss seen, else congestion avoidance
//!    (about one segment more per round). The first estimate is slow start (where every
//!    connection begins). One segment neither growing nor cut shows no phase (congestion
//!    avoidance's window is two segments at least).

use serde::Serialize;

use super::recovery::ResendKind;


/// One round trip (counted by `congestion.rs`) of one direction's sending.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Round {
    /// From 1, per direction.
    pub number: u32,
    pub first_frame: u64,
    pub last_frame: u64,
    /// When its first segment went by, and when the ACK that closed it did (ns from the
    /// capture's first frame; the last segment's time if none closed it).
    pub start_ns: i64,
    pub end_ns: i64,
    /// Data segments and payload bytes sent in it (resends included).
    pub segments: u32,
    pub bytes: u64,
    pub max_flight_bytes: u64,
    /// The flight in segments of the sender's largest payload, rounded up.
    pub max_flight_segments: u32,
    pub receiver_limited: bool,
    /// Away from the sender: a full segment took the flight within a tenth of the window seen
    /// here (the window the sender knew, a round trip from here later, may have been full).
    #[serde(skip)]
    pub window_maybe_full: bool,
    /// Held back ([`Phase::HeldBack`]) with a later round, still before any congestion signal,
    /// growing by half or more (else: no round shows whether the sender left slow start).
    #[serde(skip)]
    pub grew_later: bool,
    /// Called receiver-limited for that alone: a steady flight there says nothing of cwnd.
    pub receiver_limited_far: bool,
    pub application_limited: bool,
    /// Application-limited as less than one segment any MSS allows in the whole round (in
    /// `segments` segments).
    #[serde(skip)]
    pub single_short: bool,
    /// The short segment that made it application-limited: its frame, its length and the full
    /// segment's length then (the largest the connection had shown, see `congestion.rs`).
    #[serde(skip)]
    pub short_segment: Option<(u64, u32, u32)>,
    /// The largest window (bytes) the receiver advertised while the round was sent, and the
    /// first segment sent past every right edge (ACK + window) the receiver had advertised by
    /// then, as captured (the sender sent beyond it: R5e F3, zeek_http_206_example_b frame 150).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub largest_window_bytes: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub beyond_window_frame: Option<u64>,
    /// The first short segment that ended exactly at a right edge the receiver had announced,
    /// when that alone made the round receiver-limited (the flight seen here was smaller:
    /// away from the sender ACKs pass here before they reach it; R13b-9, 206_example_b s1).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub edge_frame: Option<u64>,
    /// The ACK that announced that edge: its frame and its window in bytes (R14-2: the round's
    /// largest window is not the one filled).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub edge_announced: Option<(u64, u32)>,
    /// The first send that took the flight within one segment of the window the sender then
    /// knew: its frame, that window (bytes) and the flight (bytes) after it (R18-11: a run's
    /// largest window is not the one met).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub window_full_at: Option<(u64, u32, u64)>,
    /// Resends in it by inferred kind.
    pub fast_retransmits: u32,
    pub loss_probes: u32,
    pub timeouts: u32,
    /// Resends whose cause the capture does not show (`ResendKind::Unexplained`): a round of
    /// nothing else is [`Phase::OnlyResent`] (R39-1).
    #[serde(skip)]
    pub other_resends: u32,
    /// ACKs with ECE that were news to the sender (the first echo of each congestion mark;
    /// echoes repeated until the receiver got its CWR are not counted), and whether the
    /// sender set CWR in this round (it says it reduced its window).
    pub ecn_echoes: u32,
    pub cwr: bool,
    /// The first of those echoes, and the sender's first CWR in this round (frames).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub first_echo_frame: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cwr_frame: Option<u64>,
    /// The estimated congestion window (segments), when the round shows it (see the rules).
    pub cwnd_estimate: Option<u32>,
    pub phase: Phase,
    /// The estimate over the last one before it (a reduction's or growth's factor).
    pub ratio: Option<f64>,
}

impl Round {
    pub fn lost(&self) -> bool {
        self.fast_retransmits + self.loss_probes + self.timeouts > 0
    }

    /// Every segment of the round a resend whose cause does not show: its size was set when the
    /// bytes were first sent, so it shows neither the application's pace nor a window.
    pub fn only_resent(&self) -> bool {
        self.segments > 0 && self.other_resends == self.segments && !self.lost()
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Phase {
    SlowStart,
    CongestionAvoidance,
    /// Loss signals in the round (fast retransmit or loss probe).
    LossRecovery,
    /// The first estimate after a loss, or a smaller flight with no loss seen.
    Reduction,
    /// The first estimate after an ECN echo (ECE) with no loss: the sender cut its window
    /// because a router marked a segment Congestion Experienced instead of dropping it.
    EcnReduction,
    /// An ECN echo reached the sender within this round and it answered with CWR in it: its
    /// window was cut from there; the round's flight is the one before the cut (R4b-3, R4b-4).
    EcnEcho,
    RestartAfterTimeout,
    ReceiverLimited,
    ApplicationLimited,
    /// The flight grew by half or more after the sender had left slow start, with no timeout
    /// before it: a sender does not go back to slow start on its own (RFC 5681), so the earlier
    /// rounds were held back by something else. Said as what the packets show, no sender state.
    FlightGrew,
    /// Rounds that looked like congestion avoidance (the flight steady), with no loss, timeout
    /// or ECN echo before them, followed by a round that grew by half or more: the sender had not
    /// left slow start, something else held these rounds back (R10 C5: zeek_tcp_timestamp round
    /// 5, 83 segments between 80 and 338).
    HeldBack,
    /// The first estimate of a sender whose SYN is not in the capture (it starts after the
    /// connection opened): which phase the sender was in does not show.
    FirstSeen,
    /// A round of one segment that neither grew nor fell: in congestion avoidance a sender's
    /// window is at least two segments (RFC 5681 §3.1 never sets the threshold below two), so
    /// something else held it back and its phase does not show (R48C-1: zeek_tcp_reassembly's
    /// round 13, one segment after a timeout and an application's pause, was "congestion
    /// avoidance").
    OneSegment,
    /// Nothing in the round but resends whose cause the capture does not show (R39-1:
    /// ndpi_heuristic_tcp_ack_payload stream 4's round 3, frame 200's 258 bytes sent again
    /// 213.8 ms later): neither the application's pace nor a window shows.
    OnlyResent,
}

impl Phase {
    /// Words for a sentence or a label.
    pub fn words(self) -> &'static str {
        match self {
            Phase::SlowStart => "slow start",
            Phase::CongestionAvoidance => "congestion avoidance",
            Phase::LossRecovery => "loss recovery",
            Phase::Reduction => "reduction",
            Phase::EcnReduction => "reduction after an ECN echo, no loss",
            Phase::EcnEcho => "ECN echo answered with CWR",
            Phase::RestartAfterTimeout => "retransmission timeout",
            Phase::ReceiverLimited => "receiver-limited",
            Phase::ApplicationLimited => "application-limited",
            Phase::FlightGrew => "flight grew",
            Phase::HeldBack => "held back",
            Phase::FirstSeen => "first round seen",
            Phase::OneSegment => "one segment",
            Phase::OnlyResent => "only resent",
        }
    }
}

const SLOW_START_GROWTH: f64 = 1.5;
const SHRINK: f64 = 0.85;

/// Sets each round's phase, estimate and ratio (`opened`: the sender's SYN is in the capture,
/// so its first round is where the connection's sending began).
pub(super) fn classify(rounds: &mut [Round], opened: bool) {
    let mut last: Option<u32> = None;
    let mut after_loss = false;
    let mut after_ece = false;
    // The sender has left slow start (a round grew slowly, or it cut its window).
    let mut left_slow_start = false;
    // The round just before, whatever its phase: a flight above it did not fall (R21-8:
    // ndpi_ipp stream 1's round 76, 3 segments after application-limited rounds of 2).
    let mut previous: Option<u32> = None;
    for r in rounds.iter_mut() {
        let flight = r.max_flight_segments;
        let above_previous = std::mem::replace(&mut previous, Some(flight)).is_some_and(|p| flight > p);
        if r.timeouts > 0 {
            r.phase = Phase::RestartAfterTimeout;
            (last, after_loss, left_slow_start) = (Some(1), false, false);
            continue;
        }
        // (Before the limits: a resend's size says nothing of them. The round before stays the
        // one the next is measured from.)
        if r.only_resent() {
            r.phase = Phase::OnlyResent;
            (r.application_limited, r.single_short, r.short_segment, r.receiver_limited) = (false, false, None, false);
            continue;
        }
        if r.lost() {
            r.phase = Phase::LossRecovery;
            after_loss = true;
            left_slow_start = true;
            continue;
        }
        // An echo in this round: the sender's reduction shows from the next round on.
        let echo_here = r.ecn_echoes > 0;
        // A flight that reached the receiver's window showed a window at least that large: the
        // next round's growth or fall is measured from it (R20B-9/10: real/bulk_100k's round 15,
        // 579 segments after round 14's 744, did not "grow").
        if r.receiver_limited {
            r.phase = Phase::ReceiverLimited;
            after_ece |= echo_here;
            last = Some(flight);
            continue;
        }
        if r.application_limited {
            r.phase = Phase::ApplicationLimited;
            after_ece |= echo_here;
            continue;
        }
        let ratio = last.map(|l| f64::from(flight) / f64::from(l.max(1)));
        r.ratio = ratio;
        let cut_after_loss = std::mem::take(&mut after_loss);
        // The echo's cut shows in the next round, or already in the round it arrived in
        // (away from the sender the echo is counted as it reaches the sender, late in a round).
        let cut_in_echo_round = echo_here && !after_ece && ratio.is_some_and(|x| x < SHRINK);
        // The echo and the sender's CWR both in this round, the flight not yet cut: the cut
        // starts inside it (the next round shows how far).
        let answered_here = echo_here && r.cwr_frame.is_some() && !after_ece && !cut_in_echo_round && !cut_after_loss;
        r.phase = match ratio {
            // (R21-8: ndpi_ipp stream 1's round 76, 3 segments after the loss's receiver-limited
            // rounds of 2, was "fell to 3": above the round before, the sender is past its cut.)
            _ if cut_after_loss && !above_previous => Phase::Reduction,
            _ if cut_after_loss => Phase::CongestionAvoidance,
            _ if answered_here => Phase::EcnEcho,
            _ if std::mem::take(&mut after_ece) || cut_in_echo_round => Phase::EcnReduction,
            None if opened => Phase::SlowStart,
            None => Phase::FirstSeen,
            Some(x) if x >= SLOW_START_GROWTH && left_slow_start => Phase::FlightGrew,
            Some(x) if x >= SLOW_START_GROWTH => Phase::SlowStart,
            Some(x) if x < SHRINK && !above_previous => Phase::Reduction,
            Some(_) => Phase::CongestionAvoidance,
        };
        if r.phase == Phase::CongestionAvoidance && flight <= 1 {
            (r.phase, last) = (Phase::OneSegment, Some(flight));
            after_ece |= echo_here;
            continue;
        }
        // A steady flight up against the window the sender may have known is no sign of
        // congestion avoidance (R8a-14: the middle of delayed/bulk; the sender's capture shows
        // the window full). Growth and falls still show what they show.
        if r.phase == Phase::CongestionAvoidance && r.window_maybe_full {
            (r.phase, r.receiver_limited_far, r.ratio) = (Phase::ReceiverLimited, true, None);
            after_ece |= echo_here;
            last = Some(flight);
            continue;
        }
        left_slow_start |= matches!(r.phase, Phase::CongestionAvoidance | Phase::Reduction | Phase::EcnReduction | Phase::EcnEcho);
        // A flight that fell with no loss seen before it: a smaller window, less data, or a
        // loss upstream of a capture point away from the sender (unseen there) — the round
        // does not show the window, so it gives no estimate.
        if r.phase == Phase::Reduction && !cut_after_loss {
            // (The next round's growth is measured from this one's flight all the same.)
            last = Some(flight);
            after_ece |= echo_here;
            continue;
        }
        r.cwnd_estimate = Some(flight);
        last = Some(flight);
        after_ece |= echo_here && !cut_in_echo_round;
    }
    held_back(rounds, opened);
}

/// Rounds neither doubling nor cut with no congestion signal (loss, timeout, ECN echo) before
/// them: a sender leaves slow start at a signal or at an ssthresh a signal set (RFC 5681), so
/// these are not congestion avoidance but held back by something else (R10 C5; R11a-5:
/// real/bulk_100k's loopback rounds of 304 → 372 → 732 segments, no loss or ECN in the whole
/// capture, were "congestion avoidance … about a segment a round"). Certain where a later round
/// before any signal grows by half or more (a sender past slow start does not); without one,
/// Linux's HyStart may have ended slow start on a rising round trip, which the words allow.
/// Only where the capture saw the sender's SYN: else a signal before the capture is possible.
fn held_back(rounds: &mut [Round], opened: bool) {
    let signal = |r: &Round| matches!(r.phase, Phase::LossRecovery | Phase::RestartAfterTimeout | Phase::EcnReduction | Phase::EcnEcho) || r.ecn_echoes > 0;
    let first_signal = rounds.iter().position(signal).unwrap_or(rounds.len());
    let last_grew = rounds[..first_signal].iter().rposition(|r| r.phase == Phase::FlightGrew);
    for (i, r) in rounds[..first_signal].iter_mut().enumerate() {
        let grew_later = last_grew.is_some_and(|g| g > i);
        if r.phase == Phase::CongestionAvoidance && (grew_later || opened) {
            (r.phase, r.cwnd_estimate, r.grew_later) = (Phase::HeldBack, None, grew_later);
        }
    }
}

/// Rounds of the same phase in a row, for one label per run.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PhaseRun {
    pub phase: Phase,
    pub first_round: u32,
    pub last_round: u32,
    pub first_frame: u64,
    pub last_frame: u64,
    pub start_ns: i64,
    pub end_ns: i64,
    /// The largest flight (segments) of its rounds, and its last round's estimate.
    pub max_flight_segments: u32,
    pub last_estimate: Option<u32>,
    /// For an ECN echo answered in the round: the echo's and the CWR's frames.
    pub echo_and_cwr: Option<(u64, u64)>,
    /// Its rounds' largest advertised window, and the first send beyond one ([`Round`]).
    pub largest_window_bytes: Option<u32>,
    pub beyond_window_frame: Option<u64>,
    /// Its first round's short segment that ended at an announced edge ([`Round::edge_frame`]).
    pub edge_frame: Option<u64>,
    pub edge_announced: Option<(u64, u32)>,
    /// Its first round's send that met the window ([`Round::window_full_at`]).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub window_full_at: Option<(u64, u32, u64)>,
    /// Its rounds receiver-limited only by the window the sender may have known.
    pub receiver_limited_far: bool,
    /// Its rounds each less than one segment ([`Round::single_short`]; runs merge only alike
    /// rounds), and whether in more than one segment.
    pub single_short: bool,
    #[serde(skip)]
    pub single_short_split: bool,
    /// Its first round's short segment ([`Round::short_segment`]).
    pub short_segment: Option<(u64, u32, u32)>,
    /// Held back, and a later round grew by half or more ([`Round::grew_later`]).
    pub grew_later: bool,
}

/// The runs of a direction's rounds. Slow start is one run per round (each round's doubling is
/// the point); other phases merge.
pub fn phase_runs(rounds: &[Round]) -> Vec<PhaseRun> {
    let mut runs: Vec<PhaseRun> = Vec::new();
    for r in rounds {
        match runs.last_mut() {
            // (A round limited only by the window the sender may have known gets its own words.)
            Some(run) if run.phase == r.phase && run.receiver_limited_far == r.receiver_limited_far && run.grew_later == r.grew_later && run.single_short == r.single_short && run.single_short_split == (r.single_short && r.segments > 1) && !matches!(r.phase, Phase::SlowStart | Phase::EcnEcho) => {
                run.last_round = r.number;
                run.last_frame = r.last_frame;
                run.end_ns = r.end_ns;
                run.max_flight_segments = run.max_flight_segments.max(r.max_flight_segments);
                run.last_estimate = r.cwnd_estimate.or(run.last_estimate);
                run.largest_window_bytes = run.largest_window_bytes.max(r.largest_window_bytes);
                run.beyond_window_frame = run.beyond_window_frame.or(r.beyond_window_frame);
                if run.edge_frame.is_none() {
                    (run.edge_frame, run.edge_announced) = (r.edge_frame, r.edge_announced);
                }
                run.short_segment = run.short_segment.or(r.short_segment);
                run.window_full_at = run.window_full_at.or(r.window_full_at);
            }
            _ => runs.push(PhaseRun {
                phase: r.phase,
                first_round: r.number,
                last_round: r.number,
                first_frame: r.first_frame,
                last_frame: r.last_frame,
                start_ns: r.start_ns,
                end_ns: r.end_ns,
                max_flight_segments: r.max_flight_segments,
                last_estimate: r.cwnd_estimate,
                echo_and_cwr: r.first_echo_frame.zip(r.cwr_frame).filter(|_| r.phase == Phase::EcnEcho),
                largest_window_bytes: r.largest_window_bytes,
                beyond_window_frame: r.beyond_window_frame,
                edge_frame: r.edge_frame,
                edge_announced: r.edge_announced,
                window_full_at: r.window_full_at,
                single_short: r.single_short,
                single_short_split: r.single_short && r.segments > 1,
                short_segment: r.short_segment,
                receiver_limited_far: r.receiver_limited_far,
                grew_later: r.grew_later,
            }),
        }
    }
    runs
}

/// A reduction of the estimated window after a loss: the last estimate before the loss
/// round, the first after, their ratio (Linux's cubic multiplies by 0.7, Reno by 0.5).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Reduction {
    /// The round with the loss and its first resend's frame and kind.
    pub loss_round: u32,
    pub frame: u64,
    pub kind: ResendKind,
    pub before_segments: u32,
    /// Of those, the ones not SACKed: what `after_segments` and `ratio` are compared with
    /// (like with like, R4b-2).
    pub before_pipe_segments: u32,
    /// Away from the sender, the most not SACKed it can have had (fewer SACKs heard by the
    /// round trip's upper end); `before_pipe_segments` near it.
    pub before_pipe_most: u32,
    /// `None` when nothing new was sent in the recovery after the resend (the data had run
    /// out): the capture does not show the reduced window then.
    pub after_segments: Option<u32>,
    pub after_round: u32,
    pub ratio: Option<f64>,
    /// The sender's FIN had gone before the resend (its frame): no new data was left to send.
    pub data_ended: Option<u64>,
}
