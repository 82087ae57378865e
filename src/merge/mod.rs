//! Two captures of the same connections, from two points of the path, lined up (issue #26):
//! each connection of A paired with its connection in B (`pair.rs`), their segments matched
//! one to one (`segments.rs`), the two clocks compared (`clock.rs`), and what one point saw
//! and the other did not: lost between the points (seen where it was sent from, not after),
//! or not seen where it should have passed first (sent by a middlebox, or a capture's drop).

mod clock;
mod pair;
mod segments;
mod seen;
mod turns;

use serde::Serialize;

pub use clock::{ClockFit, Crossing};
pub use pair::{pair_connections, Paired, PairedBy, Pairing};
pub use seen::Seen;
pub use segments::{match_segments, Matched, SeqOffsets};
pub use turns::Turn;

use crate::session::Session;

/// Two captures merged.
#[derive(Debug, Clone, Serialize)]
pub struct Merge {
    pub connections: Vec<MergedConnection>,
    /// Connections of A (`tcp.stream`) with no connection in B, and the reverse.
    pub unmatched_a: Vec<u32>,
    pub unmatched_b: Vec<u32>,
    /// What the whole merge says in words (no connection in common, the same file twice …).
    pub notes: Vec<String>,
}

/// One connection seen at both points.
#[derive(Debug, Clone, Serialize)]
pub struct MergedConnection {
    pub stream_a: u32,
    pub stream_b: u32,
    /// How the two were told to be one connection.
    pub paired_by: PairedBy,
    /// Which end A is nearer: `client` or `server` (from which point sees the answers later);
    /// `neither` when both saw every segment at the same time (one capture twice).
    pub a_near: &'static str,
    /// The endpoints as each point saw them (a NAT between the points rewrites one of them).
    pub client_a: String,
    pub server_a: String,
    pub client_b: String,
    pub server_b: String,
    pub segments_a: usize,
    pub segments_b: usize,
    pub segments_matched: usize,
    /// What B's sequence numbers add to A's (a middlebox that randomises them; 0 for most).
    pub seq_offset: SeqOffsetsJson,
    /// B's clock minus A's at the connection's first crossing, ns; null if no segment crossed
    /// both ways.
    pub offset_ns: Option<i64>,
    /// The offset was set by hand (`MergeOptions::offset_ns`): `offset_ns` is that value, the
    /// drift is taken as 0, and the delays are the ones it gives; `estimated_offset_ns` is what
    /// the packets say.
    pub offset_by_hand: bool,
    /// The offset the packets give (the same as `offset_ns` unless it was set by hand).
    pub estimated_offset_ns: Option<i64>,
    /// How fast B's clock runs against A's; null when not fitted (a connection under 2 s, or
    /// too few segments each way in its windows: the drift is then taken as 0).
    pub drift_ppm: Option<f64>,
    /// The drift as each way's least delays alone say it (A → B, B → A): where they differ, a
    /// queue filled or drained one way, and `drift_ppm` is the steadier way's.
    pub drift_each_way_ppm: Option<[f64; 2]>,
    /// The offset is right within ± this whatever the two ways' delays; the estimate itself
    /// assumes the path's fixed delay is the same both ways.
    pub uncertainty_ns: Option<i64>,
    pub drift_windows: usize,
    /// One-way delay between the points, each way, the clocks' difference taken out.
    pub path_ms: PathMs,
    /// Seen at the point nearer its sender and not at the other.
    pub lost_between: Vec<Missing>,
    /// Seen only at A, or only at B: not seen where it should have passed first, or passing
    /// when the other capture was not running (`why` says which).
    pub only_in_a: Vec<Missing>,
    pub only_in_b: Vec<Missing>,
    /// Every segment of the pair in the order it passed its first point on the way (by the
    /// client-side clock), for a diagram (`diagram::merged_svg`); not in the JSON.
    #[serde(skip)]
    pub rows: Vec<Row>,
    /// Each time one side sent data after the other side's, timed at both points (`turns.rs`):
    /// each end's own time separated from the path's.
    pub turns: Vec<Turn>,
}

/// One segment of a merged connection, as a diagram draws it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Row {
    pub from_client: bool,
    pub frame_a: Option<u64>,
    pub frame_b: Option<u64>,
    /// Relative to its sender's initial sequence number where known.
    pub seq: u32,
    pub len: u32,
    /// SYN, FIN, RST, PSH, ACK bits (`decode::TcpFlags`' values).
    pub flags: u8,
    /// When it passed the first point on its way, by the client-side capture's clock (ns).
    pub passed_ns: i64,
    /// Its one-way delay between the points (both saw it), ns.
    pub delay_ns: Option<f64>,
    /// `matched`, or a `Missing::why`.
    pub fate: &'static str,
}

#[derive(Debug, Clone, Copy, Serialize)]
pub struct SeqOffsetsJson {
    pub client: u32,
    pub server: u32,
}

#[derive(Debug, Clone, Copy, Default, Serialize)]
pub struct PathMs {
    pub a_to_b: Option<Delays>,
    pub b_to_a: Option<Delays>,
}

/// One direction's one-way delays between the points (ms). `min` is the fixed delay, the same
/// both ways by the offset's assumption (the two ways' least delays are not measured apart).
#[derive(Debug, Clone, Copy, Serialize)]
pub struct Delays {
    pub min: f64,
    pub median: f64,
    pub max: f64,
    pub segments: usize,
}

/// A segment one point saw and the other did not.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct Missing {
    /// Its frame in the capture that holds it (`a` or `b`).
    pub capture: &'static str,
    pub frame: u64,
    pub dir: &'static str,
    /// Relative to the client's or the server's initial sequence number where known.
    pub seq: u32,
    pub len: u32,
    /// `lost_between` (seen where it was sent from, not after); `not_seen_where_it_passed_first`
    /// (sent by a middlebox between the points, or dropped by that capture);
    /// `other_capture_not_running` (the other capture had ended, or not begun, when it would
    /// have passed there).
    pub why: &'static str,
}

/// What the user says instead of the packets.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct MergeOptions {
    /// B's clock minus A's, ns, set by hand (the CLI's `--offset-ms`, the page's offset box):
    /// used for every connection's delays instead of the estimate, with no drift.
    pub offset_ns: Option<i64>,
}

/// Merges two analysed captures (sessions that keep their segments: `analyze_bytes`).
pub fn merge(a: &Session, b: &Session) -> Merge {
    merge_with(a, b, &MergeOptions::default())
}

/// [`merge`], with what the user set by hand.
pub fn merge_with(a: &Session, b: &Session, options: &MergeOptions) -> Merge {
    let views = |s: &Session| -> Vec<Vec<Seen>> {
        let epoch = s.first_time_ns.unwrap_or(0);
        (0..s.streams().len() as u32).map(|n| s.connection(n).map(|c| seen::seen(&c, epoch)).unwrap_or_default()).collect()
    };
    let (va, vb) = (views(a), views(b));
    let paired = pair_connections(&va, &vb);
    let (mut unmatched_a, mut unmatched_b, mut notes) = (paired.unmatched_a, paired.unmatched_b, Vec::new());
    let mut connections = Vec::new();
    for p in &paired.pairs {
        let (mut c, doubt) = merged(p, &va[p.a as usize], &vb[p.b as usize], options.offset_ns);
        let endpoints = |s: &Session, n: u32| s.streams().get(n as usize).map_or((String::new(), String::new()), |st| (st.client.to_string(), st.server.to_string()));
        ((c.client_a, c.server_a), (c.client_b, c.server_b)) = (endpoints(a, p.a), endpoints(b, p.b));
        match doubt {
            // Paired by their look alone: without more evidence they are two connections.
            Some(why) if p.by == PairedBy::FirstSegments => {
                unmatched_a.push(p.a);
                unmatched_b.push(p.b);
                notes.push(format!("A stream {} and B stream {} look alike but are not one connection: {why}", p.a, p.b));
            }
            Some(why) => {
                notes.push(format!("A stream {} = B stream {} (the same initial sequence numbers), but {why}: the clocks are not compared", p.a, p.b));
                if !c.offset_by_hand {
                    (c.offset_ns, c.estimated_offset_ns, c.drift_ppm, c.drift_each_way_ppm, c.uncertainty_ns, c.path_ms) = (None, None, None, None, None, PathMs::default());
                }
                connections.push(c);
            }
            None => connections.push(c),
        }
    }
    unmatched_a.sort_unstable();
    unmatched_b.sort_unstable();
    if connections.is_empty() {
        let alike = if notes.is_empty() { "nor the same first segments each way" } else { "and those that look alike are not one connection" };
        notes.push(format!("no connection in common: A has {} connections, B {}; none has the same initial sequence numbers, {alike}", va.len(), vb.len()));
    }
    if !connections.is_empty() && connections.iter().all(|c| c.a_near == "neither") {
        notes.push("the same capture twice: every segment at the same time in both, so there is no path between the points to measure".to_string());
    }
    Merge { connections, unmatched_a, unmatched_b, notes }
}

/// One pair merged, and what says it is not one connection's two views, if anything does.
/// `by_hand`: B's clock minus A's, set by the user (see [`MergeOptions`]).
fn merged(p: &Paired, a: &[Seen], b: &[Seen], by_hand: Option<i64>) -> (MergedConnection, Option<String>) {
    let offsets = SeqOffsets::of(seen::isns(a), seen::isns(b));
    let m = match_segments(a, b, offsets);
    let a_near_client = a_nearer_client(&m, a, b);
    let crossings: Vec<Crossing> = m
        .pairs
        .iter()
        .map(|&(i, j)| {
            let (ta, tb) = (a[i].time_ns, b[j].time_ns);
            let (c, s) = if a_near_client { (ta, tb) } else { (tb, ta) };
            Crossing { from_client: a[i].from_client, at_client_side: c, at_server_side: s }
        })
        .collect();
    let estimate = clock::fit(&crossings);
    // B minus A: the server side's clock minus the client side's, or the reverse.
    let sign = if a_near_client { 1.0 } else { -1.0 };
    // An offset set by hand replaces the estimate for the delays (the doubts below still ask
    // the packets' estimate): the server side's clock minus the client side's, no drift.
    let fit = match by_hand {
        Some(hand) => Some(ClockFit {
            offset_ns: sign * hand as f64,
            drift_ppm: 0.0,
            each_way_ppm: None,
            bound_ns: 0.0,
            fixed_raw_ns: 0.0,
            t0_ns: crossings.iter().map(|c| c.at_client_side).min().unwrap_or(0),
            windows: 0,
        }),
        None => estimate,
    };
    let delays = |from_client: bool| -> Option<Delays> {
        let f = fit?;
        let mut d: Vec<f64> = crossings.iter().filter(|c| c.from_client == from_client).map(|c| f.delay_ns(c) / 1e6).collect();
        d.sort_by(f64::total_cmp);
        let n = d.len();
        if n == 0 {
            return None; // (An offset set by hand, and nothing crossed this way.)
        }
        let median = if n % 2 == 1 { d[n / 2] } else { (d[n / 2 - 1] + d[n / 2]) / 2.0 };
        Some(Delays { min: *d.first()?, median, max: *d.last()?, segments: n })
    };
    let (c2s, s2c) = (delays(true), delays(false));
    let path_ms = if a_near_client { PathMs { a_to_b: c2s, b_to_a: s2c } } else { PathMs { a_to_b: s2c, b_to_a: c2s } };
    let (isn_a, isn_b) = (seen::isns(a), seen::isns(b));
    let missing = |capture: &'static str, s: &Seen, isns: (Option<u32>, Option<u32>), why: &'static str| {
        let base = if s.from_client { isns.0 } else { isns.1 };
        Missing { capture, frame: s.frame, dir: if s.from_client { "c2s" } else { "s2c" }, seq: base.map_or(s.seq, |b| s.seq.wrapping_sub(b)), len: s.len, why }
    };
    // A segment seen only where it was sent from was lost between the points — if the other
    // point was capturing when it would have passed there: the other capture holds segments of
    // the same direction sent before it and after it (a capture cut short, or started late,
    // lost nothing on the path; its clock is not needed to tell).
    // (Each capture's first and last matched time per direction, once: a connection of a
    // million segments cut short has half a million to check.)
    let spans = |here: &dyn Fn(&(usize, usize)) -> (bool, i64)| {
        let mut span = [(i64::MAX, i64::MIN); 2];
        for (client, t) in m.pairs.iter().map(here) {
            let s = &mut span[usize::from(client)];
            *s = (s.0.min(t), s.1.max(t));
        }
        span
    };
    let (span_a, span_b) = (spans(&|p| (a[p.0].from_client, a[p.0].time_ns)), spans(&|p| (b[p.1].from_client, b[p.1].time_ns)));
    let running = |span: &[(i64, i64); 2], s: &Seen| {
        let (lo, hi) = span[usize::from(s.from_client)];
        lo < s.time_ns && s.time_ns < hi
    };
    let why = |upstream: bool, running: bool| match (upstream, running) {
        (true, true) => "lost_between",
        (false, true) => "not_seen_where_it_passed_first",
        (_, false) => "other_capture_not_running",
    };
    let (mut lost_between, mut only_in_a, mut only_in_b) = (Vec::new(), Vec::new(), Vec::new());
    for &i in &m.only_a {
        let s = &a[i];
        let w = why(s.from_client == a_near_client, running(&span_a, s));
        if w == "lost_between" { lost_between.push(missing("a", s, isn_a, w)) } else { only_in_a.push(missing("a", s, isn_a, w)) }
    }
    for &j in &m.only_b {
        let s = &b[j];
        let w = why(s.from_client != a_near_client, running(&span_b, s));
        if w == "lost_between" { lost_between.push(missing("b", s, isn_b, w)) } else { only_in_b.push(missing("b", s, isn_b, w)) }
    }
    let rows = rows(&m, a, b, a_near_client, fit, (isn_a, isn_b), (&lost_between, &only_in_a, &only_in_b));
    let stamped = |v: &[Seen]| v.iter().any(|s| s.tsval.is_some());
    let doubt = if m.loosened == 2 && stamped(a) && stamped(b) {
        Some("their segments agree in numbers and lengths, not in TCP timestamps".to_string())
    } else {
        estimate.filter(|f| f.fixed_raw_ns < -1e6).map(|f| format!("some segment would have reached one point {:.3} ms before it left the other", -f.fixed_raw_ns / 1e6))
    };
    // One point twice (or one capture and a part of it): every segment both hold at the same
    // time in both.
    let same_point = !m.pairs.is_empty() && m.pairs.iter().all(|&(i, j)| a[i].time_ns == b[j].time_ns);
    let connection = MergedConnection {
        stream_a: p.a,
        stream_b: p.b,
        paired_by: p.by,
        a_near: if same_point { "neither" } else if a_near_client { "client" } else { "server" },
        client_a: String::new(),
        server_a: String::new(),
        client_b: String::new(),
        server_b: String::new(),
        segments_a: a.len(),
        segments_b: b.len(),
        segments_matched: m.pairs.len(),
        seq_offset: SeqOffsetsJson { client: offsets.client, server: offsets.server },
        offset_ns: fit.map(|f| (sign * f.offset_ns).round() as i64),
        offset_by_hand: by_hand.is_some(),
        estimated_offset_ns: estimate.map(|f| (sign * f.offset_ns).round() as i64),
        drift_ppm: fit.filter(|f| f.windows > 0).map(|f| sign * f.drift_ppm),
        // (Client → server is A → B where A is the client side.)
        drift_each_way_ppm: fit.and_then(|f| f.each_way_ppm).map(|(c2s, s2c)| if a_near_client { [c2s, s2c] } else { [-s2c, -c2s] }),
        // (The bound is the estimate's: it says where the true offset lies, whatever is set.)
        uncertainty_ns: estimate.map(|f| f.bound_ns.round() as i64),
        drift_windows: fit.map_or(0, |f| f.windows),
        path_ms,
        lost_between,
        only_in_a,
        only_in_b,
        turns: turns::turns(&m.pairs, a, b, a_near_client),
        rows,
    };
    (connection, doubt)
}

/// The pair's segments as rows, in the order they passed their first point.
#[allow(clippy::too_many_arguments)]
fn rows(m: &Matched, a: &[Seen], b: &[Seen], a_near_client: bool, fit: Option<ClockFit>, isns: ((Option<u32>, Option<u32>), (Option<u32>, Option<u32>)), missing: (&[Missing], &[Missing], &[Missing])) -> Vec<Row> {
    let rel = |s: &Seen, isns: (Option<u32>, Option<u32>)| if s.from_client { isns.0 } else { isns.1 }.map_or(s.seq, |base| s.seq.wrapping_sub(base));
    // A time by B's clock, on the client side's (by A's when A is the client side).
    let offset = |t: i64| fit.map_or(0.0, |f| f.offset_at(t));
    let on_client_clock = |t: i64, from_a: bool| if from_a == a_near_client { t } else { t.saturating_sub(offset(t).round() as i64) };
    let mut rows: Vec<Row> = m
        .pairs
        .iter()
        .map(|&(i, j)| {
            let (sa, sb) = (&a[i], &b[j]);
            let flags = sa.flags | if sa.psh { 0x08 } else { 0 };
            let (c, sv) = if a_near_client { (sa.time_ns, sb.time_ns) } else { (sb.time_ns, sa.time_ns) };
            let crossing = Crossing { from_client: sa.from_client, at_client_side: c, at_server_side: sv };
            // It passed the point nearer its sender first.
            let passed = if sa.from_client { c } else { on_client_clock(sv, !a_near_client) };
            Row { from_client: sa.from_client, frame_a: Some(sa.frame), frame_b: Some(sb.frame), seq: rel(sa, isns.0), len: sa.len, flags, passed_ns: passed, delay_ns: fit.map(|f| f.delay_ns(&crossing)), fate: "matched" }
        })
        .collect();
    let (lost, only_a, only_b) = missing;
    for x in lost.iter().chain(only_a).chain(only_b) {
        let from_a = x.capture == "a";
        // (Frames rise through a connection's segments: found by bisection.)
        let side = if from_a { a } else { b };
        let Some(s) = side.binary_search_by_key(&x.frame, |s| s.frame).ok().map(|i| &side[i]) else { continue };
        rows.push(Row { from_client: s.from_client, frame_a: from_a.then_some(s.frame), frame_b: (!from_a).then_some(s.frame), seq: x.seq, len: x.len, flags: s.flags | if s.psh { 0x08 } else { 0 }, passed_ns: on_client_clock(s.time_ns, from_a), delay_ns: None, fate: x.why });
    }
    rows.sort_by_key(|r| r.passed_ns);
    rows
}

/// Whether A is the point nearer the client: there, an answer comes later after what it
/// answers than at the point nearer the server (the path between the points lies in between).
/// Counted over each client segment and the next server segment both points saw.
fn a_nearer_client(m: &Matched, a: &[Seen], b: &[Seen]) -> bool {
    let mut votes = 0i64;
    let mut last_c2s: Option<(usize, usize)> = None;
    for &(i, j) in &m.pairs {
        if a[i].from_client {
            last_c2s = Some((i, j));
        } else if let Some((ci, cj)) = last_c2s.take() {
            let gap_a = a[i].time_ns.saturating_sub(a[ci].time_ns);
            let gap_b = b[j].time_ns.saturating_sub(b[cj].time_ns);
            votes += (gap_a - gap_b).signum();
        }
    }
    votes >= 0
}
