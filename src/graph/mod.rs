//! Stream graphs (Wireshark's Statistics → TCP Stream Graphs, tcptrace's graphs) as data: the
//! series of a connection ([`series`]), cut to what a view of a given width can show
//! ([`graph_data`]: exact points when they fit, else a min/max summary per pixel column, exact
//! again once zoomed in), placed on a plot ([`plot`]) and written as CSV ([`csv`]).

pub mod csv;
pub mod plot;
pub mod series;

use serde::{Deserialize, Serialize};

pub use series::{GraphKind, Unit};
use series::{inflight_samples, rtt_samples, throughput_samples, tseq_rows, window_samples, Sample, THROUGHPUT_WINDOW_NS};

use crate::session::Session;
use crate::tcp::analysis::AnalysisFlags as F;

/// What the page asks for: one graph of one connection, the time range shown (seconds since
/// the capture's first frame; `None`: the whole connection) and the plot's width in pixels.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GraphRequest {
    pub stream: u32,
    pub kind: GraphKind,
    /// The time-sequence graph's direction: the sender whose data is plotted (`None`: the one
    /// that sent more).
    #[serde(default)]
    pub from_client: Option<bool>,
    #[serde(default)]
    pub range: Option<(f64, f64)>,
    pub columns: u32,
}

/// How a series is drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Style {
    /// A vertical bar from `y` to `y2` per point (a segment's sequence range, a SACK block).
    Bars,
    /// A mark per point.
    Dots,
    /// A line stepping from point to point (the ACK and receive-window lines).
    Step,
    /// A line through the points.
    Line,
}

/// One point; `y2` is the top of a bar (or, summarized, the column's largest value).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Point {
    pub t: f64,
    pub y: f64,
    pub y2: f64,
    pub frame: u64,
    pub index: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Series {
    /// Legend text, in the ladder's words ("retransmission", "ACK", …).
    pub name: String,
    /// CSS class (colour and shape).
    pub class: String,
    pub style: Style,
    pub points: Vec<Point>,
}

/// A graph ready to place: its series within the range, exact or summarized.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GraphData {
    pub stream: u32,
    pub kind: GraphKind,
    pub title: String,
    /// Which direction the graph shows, in words ("client → server").
    pub subtitle: String,
    pub unit: Unit,
    /// The connection's whole time extent (for "reset" and the pan limits).
    pub full: (f64, f64),
    /// The range shown.
    pub range: (f64, f64),
    pub y_range: (f64, f64),
    pub series: Vec<Series>,
    /// Every point is a segment (false: at least one series is a per-column summary).
    pub exact: bool,
    /// Segments within the range (all series).
    pub points_in_range: u64,
    /// The handshake's round-trip time, marked on the RTT graph.
    pub irtt: Option<f64>,
    pub from_client: bool,
}

/// Points a series may have before it is summarized: a few per pixel column.
fn exact_limit(columns: u32) -> usize {
    (columns.max(50) as usize) * 3
}

fn secs(ns: i64) -> f64 {
    ns as f64 / 1e9
}

/// The graph `request` asks for, or `None` if the connection does not exist.
pub fn graph_data(session: &Session, request: &GraphRequest) -> Option<GraphData> {
    let stream = session.streams().get(request.stream as usize)?;
    let first = session.stream_packets(request.stream).next().map_or(0.0, |p| secs(p.time_ns));
    let last = session.stream_packets(request.stream).map(|p| p.time_ns).max().map_or(first, secs);
    let full = (first, if last > first { last } else { first + 1e-3 });
    let range = match request.range {
        Some((a, b)) if a.is_finite() && b.is_finite() && b > a => (a, b),
        _ => full,
    };
    let in_range = |t: f64| t >= range.0 && t <= range.1;
    let from_client = request.from_client.unwrap_or(stream.payload_bytes_c2s >= stream.payload_bytes_s2c);
    let direction = |client: bool| if client { "client → server" } else { "server → client" };
    let mut series = Vec::new();
    let subtitle: String;
    match request.kind {
        GraphKind::Tseq => {
            subtitle = format!("data {}; ACK and window from the other side", direction(from_client));
            let rows = tseq_rows(session, request.stream);
            let point = |r: &series::TseqRow, y: u32, y2: u32| Point { t: secs(r.time_ns), y: f64::from(y), y2: f64::from(y2), frame: r.frame, index: r.index };
            let data = rows.iter().filter(|r| r.from_client == from_client && r.len > 0 && in_range(secs(r.time_ns)));
            let plain = |r: &&series::TseqRow| !r.flags.has(F::ANY_RETRANSMISSION) && !r.flags.has(F::OUT_OF_ORDER);
            series.push(mk("data segment", "g-data", Style::Bars, data.clone().filter(plain).map(|r| point(r, r.seq, r.seq.wrapping_add(r.len))).collect()));
            series.push(mk("retransmission", "g-retrans", Style::Bars, data.clone().filter(|r| r.flags.has(F::ANY_RETRANSMISSION)).map(|r| point(r, r.seq, r.seq.wrapping_add(r.len))).collect()));
            series.push(mk("out of order", "g-ooo", Style::Bars, data.clone().filter(|r| r.flags.has(F::OUT_OF_ORDER) && !r.flags.has(F::ANY_RETRANSMISSION)).map(|r| point(r, r.seq, r.seq.wrapping_add(r.len))).collect()));
            series.push(mk("previous segment not captured", "g-lost", Style::Dots, data.clone().filter(|r| r.flags.has(F::LOST_SEGMENT)).map(|r| point(r, r.seq, r.seq)).collect()));
            let acks = rows.iter().filter(|r| r.from_client != from_client && r.ack_flag && in_range(secs(r.time_ns)));
            series.push(mk("ACK", "g-ack", Style::Step, acks.clone().map(|r| point(r, r.ack, r.ack)).collect()));
            series.push(mk("receive window (ACK + window)", "g-rwnd", Style::Step, acks.clone().map(|r| point(r, r.ack.wrapping_add(r.window), r.ack.wrapping_add(r.window))).collect()));
            series.push(mk(
                "SACK block",
                "g-sack",
                Style::Bars,
                acks.flat_map(|r| r.sack[..usize::from(r.sack_count)].iter().map(move |&(l, rt)| point(r, l, rt))).collect(),
            ));
        }
        GraphKind::Throughput | GraphKind::Goodput => {
            let samples = throughput_samples(session, request.stream, THROUGHPUT_WINDOW_NS, request.kind == GraphKind::Goodput);
            subtitle = "over a sliding window of 1 s, per direction".into();
            per_direction(&mut series, &samples, in_range, Style::Line, SENT);
        }
        GraphKind::Rtt => {
            let samples = rtt_samples(session, request.stream);
            subtitle = "tcp.analysis.ack_rtt: each ACK that acknowledges a data segment exactly".into();
            per_direction(&mut series, &samples, in_range, Style::Dots, ACKS);
        }
        GraphKind::Window => {
            let samples = window_samples(session, request.stream);
            subtitle = "tcp.window_size (scaled), as each side advertised it".into();
            per_direction(&mut series, &samples, in_range, Style::Step, ADVERTISED);
        }
        GraphKind::Inflight => {
            let samples = inflight_samples(session, request.stream);
            subtitle = "tcp.analysis.bytes_in_flight: sent and not yet acknowledged".into();
            per_direction(&mut series, &samples, in_range, Style::Line, SENT);
        }
    }
    let points_in_range = series.iter().map(|s| s.points.len() as u64).sum();
    let limit = exact_limit(request.columns);
    let mut exact = true;
    for s in &mut series {
        if s.points.len() > limit {
            s.points = summarize(&s.points, range, request.columns.max(50), s.style);
            exact = false;
        }
    }
    let mut y_range = series.iter().flat_map(|s| s.points.iter().flat_map(|p| [p.y, p.y2])).fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), v| (lo.min(v), hi.max(v)));
    if !y_range.0.is_finite() {
        y_range = (0.0, 1.0);
    }
    if request.kind != GraphKind::Tseq {
        y_range.0 = y_range.0.min(0.0);
    }
    let irtt = (request.kind == GraphKind::Rtt).then(|| stream.irtt_ns.map(secs)).flatten();
    if let Some(irtt) = irtt {
        y_range.1 = y_range.1.max(irtt * 1.05);
    }
    if y_range.1 <= y_range.0 {
        y_range.1 = y_range.0 + 1.0;
    }
    Some(GraphData {
        stream: request.stream,
        kind: request.kind,
        title: request.kind.title().into(),
        subtitle,
        unit: request.kind.unit(),
        full,
        range,
        y_range,
        series,
        exact,
        points_in_range,
        irtt,
        from_client,
    })
}

fn mk(name: &str, class: &str, style: Style, points: Vec<Point>) -> Series {
    Series { name: name.into(), class: class.into(), style, points }
}

/// Series names per direction, client's first.
const SENT: [&str; 2] = ["client → server", "server → client"];
const ACKS: [&str; 2] = ["ACKs from the client", "ACKs from the server"];
const ADVERTISED: [&str; 2] = ["advertised by the client", "advertised by the server"];

fn per_direction(series: &mut Vec<Series>, samples: &[Sample], in_range: impl Fn(f64) -> bool, style: Style, names: [&str; 2]) {
    for (client, name, class) in [(true, names[0], "g-c2s"), (false, names[1], "g-s2c")] {
        let points: Vec<Point> = samples
            .iter()
            .filter(|s| s.from_client == client && in_range(secs(s.time_ns)))
            .map(|s| Point { t: secs(s.time_ns), y: s.value, y2: s.value, frame: s.frame, index: s.index })
            .collect();
        series.push(mk(name, class, style, points));
    }
}

/// One point per pixel column: the column's smallest `y` and largest `y2`, at the time and
/// frame of its first point (so a click still lands on a real segment). Lines keep their
/// shape as a band from the smallest to the largest value in each column.
pub fn summarize(points: &[Point], range: (f64, f64), columns: u32, _style: Style) -> Vec<Point> {
    let width = (range.1 - range.0).max(f64::MIN_POSITIVE);
    // Columns are filled left to right; a clock that stepped back leaves points out of order.
    let mut sorted;
    let points = if points.windows(2).all(|w| w[0].t <= w[1].t) {
        points
    } else {
        sorted = points.to_vec();
        sorted.sort_by(|a, b| a.t.total_cmp(&b.t));
        &sorted[..]
    };
    let mut out: Vec<Point> = Vec::with_capacity(columns as usize);
    let mut current: Option<(u32, Point)> = None;
    for p in points {
        let column = (((p.t - range.0) / width) * f64::from(columns)).clamp(0.0, f64::from(columns - 1)) as u32;
        match &mut current {
            Some((c, acc)) if *c == column => {
                acc.y = acc.y.min(p.y);
                acc.y2 = acc.y2.max(p.y2);
            }
            _ => {
                if let Some((_, done)) = current.take() {
                    out.push(done);
                }
                current = Some((column, *p));
            }
        }
    }
    if let Some((_, done)) = current {
        out.push(done);
    }
    out
}
