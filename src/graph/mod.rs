//! Stream graphs (Wireshark's Statistics → TCP Stream Graphs, tcptrace's graphs) as data: the
//! series of a connection ([`series`]), cut to what a view of a given width can show
//! ([`graph_data`]: exact points when they fit, else a min/max summary per pixel column, exact
//! again once zoomed in), placed on a plot ([`plot`]) and written as CSV ([`csv`]).

pub mod axis_units;
pub mod csv;
pub mod cwnd_line;
pub mod markers;
pub mod plot;
pub mod series;
pub mod throughput_window;
pub mod zoom;

use serde::{Deserialize, Serialize};

pub use series::{GraphKind, Unit};
use series::ThroughputMeter;

use crate::connection::Connection;
use crate::tcp::analysis::AnalysisFlags as F;
use crate::tcp::seq::SeqNumber;

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
    /// The value window of a box zoom (`None`: fitted to what is visible in `range`).
    #[serde(default)]
    pub y_range: Option<(f64, f64)>,
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
    /// The value window was chosen by a box zoom (not fitted to the data).
    #[serde(default)]
    pub y_zoomed: bool,
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

/// A series being filled in one pass: exact points until there are more than the plot can
/// show, then a min/max summary per pixel column (the points so far move into it), so a
/// connection of millions of segments is never held as millions of points.
/// A line series also keeps its last point before the range and its first after it, so the
/// plot clips the line at the window instead of dropping the parts that cross it; a bar or a
/// dot is kept only where it shows in the value window of a box zoom.
struct Acc {
    exact: Vec<Point>,
    columns: Vec<Option<Point>>,
    summarized: bool,
    limit: usize,
    range: (f64, f64),
    count: u64,
    y_window: Option<(f64, f64)>,
    line: bool,
    before: Option<Point>,
    after: Option<Point>,
}

impl Acc {
    fn new(limit: usize, columns: u32, range: (f64, f64), y_window: Option<(f64, f64)>, line: bool) -> Self {
        Acc { exact: Vec::new(), columns: vec![None; columns as usize], summarized: false, limit, range, count: 0, y_window, line, before: None, after: None }
    }

    fn column(&self, t: f64) -> usize {
        let n = self.columns.len();
        let f = (t - self.range.0) / (self.range.1 - self.range.0).max(f64::MIN_POSITIVE);
        ((f * n as f64).max(0.0) as usize).min(n - 1)
    }

    fn push(&mut self, p: Point) {
        if p.t < self.range.0 || p.t > self.range.1 {
            if self.line && p.t < self.range.0 {
                self.before = Some(p);
            } else if self.line && self.after.is_none() {
                self.after = Some(p);
            }
            return;
        }
        if !self.line && self.y_window.is_some_and(|w| !zoom::bar_visible(p.y, p.y2, w)) {
            return;
        }
        self.count += 1;
        if !self.summarized {
            if self.exact.len() < self.limit {
                self.exact.push(p);
                return;
            }
            self.summarized = true;
            for q in std::mem::take(&mut self.exact) {
                self.fold(q);
            }
        }
        self.fold(p);
    }

    /// Into its column: the smallest `y`, the largest `y2`, the time and frame of the column's
    /// first point in capture order (a click lands on a real segment).
    fn fold(&mut self, p: Point) {
        let c = self.column(p.t);
        match &mut self.columns[c] {
            Some(acc) => {
                acc.y = acc.y.min(p.y);
                acc.y2 = acc.y2.max(p.y2);
            }
            slot => *slot = Some(p),
        }
    }

    fn finish(self) -> (Vec<Point>, bool) {
        let (inside, summarized) = if self.summarized { (self.columns.into_iter().flatten().collect(), true) } else { (self.exact, false) };
        (self.before.into_iter().chain(inside).chain(self.after).collect(), summarized)
    }
}

/// The graph `request` asks for, of `conn` (the connection `request.stream` names). One pass
/// over the connection's segments, whatever its length.
pub fn graph_data(conn: &Connection<'_>, request: &GraphRequest) -> GraphData {
    let stream = conn.stream();
    // The connection's first to last frame time (a clock that steps back puts a few points at
    // the edges).
    let (a, b) = (secs(stream.first_time_ns.min(stream.last_time_ns)), secs(stream.first_time_ns.max(stream.last_time_ns)));
    let full = (a, if b > a { b } else { a + 1e-3 });
    let range = match request.range {
        Some((a, b)) if a.is_finite() && b.is_finite() && b > a => (a, b),
        _ => full,
    };
    let y_window = request.y_range.filter(|w| zoom::valid(*w));
    let in_range = |t: f64| t >= range.0 && t <= range.1;
    let from_client = request.from_client.unwrap_or(stream.payload_bytes_c2s >= stream.payload_bytes_s2c);
    let direction = |client: bool| if client { "client → server" } else { "server → client" };
    let columns = request.columns.clamp(50, 4000);
    let limit = exact_limit(columns);
    let acc = |style: Style| Acc::new(limit, columns, range, y_window, matches!(style, Style::Step | Style::Line));
    let point = |p: &crate::tcp::TcpPacket, index: usize, y: f64, y2: f64| Point { t: secs(p.time_ns), y, y2, frame: p.frame, index: index as u32 };
    let mut series: Vec<(Series, Acc)> = Vec::new();
    let subtitle: String;
    match request.kind {
        GraphKind::Tseq => {
            subtitle = format!("data {}; ACK and window from the other side", direction(from_client));
            for (name, class, style) in [
                ("data segment", "g-data", Style::Bars),
                ("retransmission (bytes sent again)", "g-retrans", Style::Bars),
                ("out of order", "g-ooo", Style::Bars),
                ("previous segment not captured", "g-lost", Style::Dots),
                ("ACK", "g-ack", Style::Step),
                ("receive window (ACK + window)", "g-rwnd", Style::Step),
                ("SACK block", "g-sack", Style::Bars),
            ] {
                series.push((mk(name, class, style, Vec::new()), acc(style)));
            }
            // The data direction's base (raw − relative), for the other side's SACK blocks.
            let mut base: Option<SeqNumber> = None;
            // A resend is told as the ladder tells it (inferred from the packets: Wireshark
            // calls a quick fast retransmit "out of order").
            let mut walk = crate::tcp::recovery::RecoveryWalk::default();
            for (i, p) in conn.packets().enumerate() {
                let t = secs(p.time_ns);
                walk.add(i, &p);
                let resent = walk.resends().last().is_some_and(|r| r.index == i);
                if p.from_client == from_client {
                    base.get_or_insert(SeqNumber(p.segment.seq) - p.seq);
                    if p.segment.payload_len == 0 || !in_range(t) {
                        continue;
                    }
                    let f = p.analysis.flags;
                    let (y, y2) = (f64::from(p.seq), f64::from((SeqNumber(p.seq) + p.segment.payload_len).0));
                    let which = if resent || f.has(F::ANY_RETRANSMISSION) {
                        1
                    } else if f.has(F::OUT_OF_ORDER) {
                        2
                    } else {
                        0
                    };
                    series[which].1.push(point(&p, i, y, y2));
                    if f.has(F::LOST_SEGMENT) {
                        series[3].1.push(point(&p, i, y, y));
                    }
                } else if p.segment.flags.ack() {
                    // The ACK and window lines from outside the range too (clipped, not dropped).
                    let ack = f64::from(p.ack);
                    series[4].1.push(point(&p, i, ack, ack));
                    let rwnd = f64::from((SeqNumber(p.ack) + p.window).0);
                    series[5].1.push(point(&p, i, rwnd, rwnd));
                    if let (Some(base), true) = (base, in_range(t)) {
                        let o = &p.segment.options;
                        for b in &o.sack[..usize::from(o.sack_count.min(4))] {
                            series[6].1.push(point(&p, i, f64::from(SeqNumber(b.left) - base), f64::from(SeqNumber(b.right) - base)));
                        }
                    }
                }
            }
        }
        GraphKind::Throughput | GraphKind::Goodput => {
            let window = throughput_window::of_connection(conn);
            subtitle = window.words();
            let goodput = request.kind == GraphKind::Goodput;
            let mut meters = [ThroughputMeter::new(window.ns), ThroughputMeter::new(window.ns)];
            two_series(&mut series, SENT, Style::Line, &acc);
            for (i, p) in conn.packets().enumerate() {
                if p.segment.payload_len == 0 || (goodput && p.analysis.flags.has(F::ANY_RETRANSMISSION)) {
                    continue;
                }
                let side = usize::from(!p.from_client);
                let rate = meters[side].add(p.time_ns, p.segment.payload_len);
                series[side].1.push(point(&p, i, rate, rate));
            }
        }
        GraphKind::Rtt => {
            subtitle = "tcp.analysis.ack_rtt: each ACK that acknowledges a segment (data, SYN or FIN) exactly".into();
            two_series(&mut series, ACKS, Style::Dots, &acc);
            for (i, p) in conn.packets().enumerate() {
                if let Some(rtt) = series::rtt_of(&p).filter(|_| in_range(secs(p.time_ns))) {
                    series[usize::from(!p.from_client)].1.push(point(&p, i, rtt, rtt));
                }
            }
        }
        GraphKind::Window | GraphKind::Inflight => {
            let window = request.kind == GraphKind::Window;
            subtitle = if window {
                // As Wireshark's Window Scaling graph: each side's advertised window, and the
                // bytes in flight toward that side (what the window limits).
                "tcp.window_size (scaled) as each side advertised it, and the bytes in flight toward it".into()
            } else {
                "tcp.analysis.bytes_in_flight: sent and not yet acknowledged".into()
            };
            if window {
                two_series(&mut series, ADVERTISED, Style::Step, &acc);
            }
            let before = series.len();
            two_series(&mut series, if window { IN_FLIGHT } else { SENT }, Style::Line, &acc);
            if window {
                for (s, _) in &mut series[before..] {
                    s.class = format!("{} g-flight", s.class);
                }
            }
            for (i, p) in conn.packets().enumerate() {
                let side = usize::from(!p.from_client);
                if window {
                    if let Some(w) = series::window_of(&p) {
                        series[side].1.push(point(&p, i, w, w));
                    }
                }
                if let Some(f) = series::inflight_of(&p) {
                    series[before + side].1.push(point(&p, i, f, f));
                }
            }
            if !window {
                add_cwnd_lines(conn, &mut series, &acc);
            }
        }
    }
    let mut exact = true;
    let mut points_in_range = 0;
    let series: Vec<Series> = series
        .into_iter()
        .map(|(mut s, acc)| {
            points_in_range += acc.count;
            let (points, summarized) = acc.finish();
            exact &= !summarized;
            s.points = points;
            s
        })
        .collect();
    let irtt = (request.kind == GraphKind::Rtt).then(|| stream.irtt_ns.map(secs)).flatten();
    let y_range = y_window.unwrap_or_else(|| fitted_y(&series, range, request.kind, irtt));
    GraphData {
        stream: request.stream,
        kind: request.kind,
        title: request.kind.title().into(),
        subtitle,
        unit: request.kind.unit(),
        full,
        range,
        y_range,
        y_zoomed: y_window.is_some(),
        series,
        exact,
        points_in_range,
        irtt,
        from_client,
    }
}

/// The value axis fitted to what is visible in the time window (lines crossing it included),
/// from 0 on every graph but the time-sequence one, the handshake RTT in view on the RTT graph.
fn fitted_y(series: &[Series], range: (f64, f64), kind: GraphKind, irtt: Option<f64>) -> (f64, f64) {
    let mut y = zoom::fit_y(series, range).unwrap_or((0.0, 1.0));
    if kind != GraphKind::Tseq {
        y.0 = y.0.min(0.0);
    }
    if let Some(irtt) = irtt {
        y.1 = y.1.max(irtt * 1.05);
    }
    if y.1 <= y.0 {
        y.1 = y.0 + 1.0;
    }
    let padded = zoom::pad(y);
    // Never below 0 for counts and rates (the axis starts at its zero).
    (if kind != GraphKind::Tseq && y.0 >= 0.0 { 0.0 } else { padded.0 }, padded.1)
}

fn mk(name: &str, class: &str, style: Style, points: Vec<Point>) -> Series {
    Series { name: name.into(), class: class.into(), style, points }
}

/// Series names per direction, client's first.
const SENT: [&str; 2] = ["client → server", "server → client"];
const ACKS: [&str; 2] = ["ACKs from the client", "ACKs from the server"];
const ADVERTISED: [&str; 2] = ["advertised by the client", "advertised by the server"];
const IN_FLIGHT: [&str; 2] = ["in flight to the server", "in flight to the client"];

/// The estimated congestion window of each sending direction, a step per round (see
/// [`cwnd_line`]); a round without an estimate ends the step before it.
fn add_cwnd_lines(conn: &Connection<'_>, series: &mut Vec<(Series, Acc)>, acc: &dyn Fn(Style) -> Acc) {
    let steps = cwnd_line::cwnd_steps(&cwnd_line::congestion_of(conn));
    for (client, name, class) in [(true, SENT[0], "g-c2s g-cwnd"), (false, SENT[1], "g-s2c g-cwnd")] {
        let mut a = acc(Style::Step);
        for s in steps.iter().filter(|s| s.from_client == client) {
            if let Some(bytes) = s.bytes {
                let y = bytes as f64;
                a.push(Point { t: secs(s.time_ns), y, y2: y, frame: s.frame, index: 0 });
            }
        }
        if a.count > 0 || (a.before.is_some() && a.after.is_some()) {
            series.push((mk(&format!("{} {name}", cwnd_line::CWND_LEGEND), class, Style::Step, Vec::new()), a));
        }
    }
}

/// A series per direction, the client's first.
fn two_series(series: &mut Vec<(Series, Acc)>, names: [&str; 2], style: Style, acc: &dyn Fn(Style) -> Acc) {
    for (name, class) in [(names[0], "g-c2s"), (names[1], "g-s2c")] {
        series.push((mk(name, class, style, Vec::new()), acc(style)));
    }
}
