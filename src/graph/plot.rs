//! A graph placed on a plot: pixel positions of every mark and line, axis ticks in readable
//! units, and the inverse mapping the crosshair reads values with. The page draws a [`Plot`]
//! as it is; [`to_svg`] writes the same plot as a standalone SVG file.

use std::fmt::Write as _;

use serde::{Deserialize, Serialize};

use super::axis_units::{axis_unit, titled, AxisUnit};
use super::markers::{caps_path, letter_at, swatch_svg, Marker, LETTERS_UP_TO};
use super::zoom::{clip_line, valid, Zoom};
use super::{GraphData, Style, Unit};
use crate::draw::numbers::bytes_text;
pub use crate::draw::numbers::seconds_text;
use crate::draw::text_width;
use crate::draw::xml::escape_keeping_apostrophes as escape;

pub const MARGIN_LEFT: f32 = 78.0;
pub const MARGIN_RIGHT: f32 = 16.0;
pub const MARGIN_TOP: f32 = 14.0;
pub const MARGIN_BOTTOM: f32 = 40.0;

/// A labelled mark on one of the plot's axes (named apart from the ladder's `Tick`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PlotTick {
    pub at: f32,
    pub label: String,
}

/// A bar or a dot for one point, with what it stands for.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Mark {
    pub x: f32,
    pub y1: f32,
    pub y2: f32,
    pub dot: bool,
    /// A sample on a line: not drawn as a mark of its own (the line shows it), but found by
    /// [`Plot::nearest`] when the reader clicks near it.
    #[serde(default)]
    pub on_line: bool,
    pub class: String,
    pub frame: u64,
    pub index: u32,
    /// In words, for the tooltip and the accessible name.
    pub title: String,
    /// tcptrace-style shape and letter.
    #[serde(default)]
    pub marker: Marker,
    /// The point in data units: time (s), value and top value (what a test checks against
    /// the zoom window).
    #[serde(default)]
    pub at: [f64; 3],
}

/// A legend entry: the series' name, class and how its swatch is drawn.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LegendEntry {
    pub name: String,
    pub class: String,
    pub marker: Marker,
    /// A line series (swatch: a stroke).
    pub line: bool,
}

impl LegendEntry {
    /// The swatch as SVG (22 × 14).
    pub fn swatch(&self) -> String {
        swatch_svg(self.marker, &self.class, self.line)
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Line {
    pub class: String,
    /// An SVG path.
    pub d: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Plot {
    pub width: f32,
    pub height: f32,
    pub title: String,
    pub subtitle: String,
    pub x_ticks: Vec<PlotTick>,
    pub y_ticks: Vec<PlotTick>,
    pub y_label: String,
    /// The time axis' title with its unit.
    pub x_label: String,
    pub marks: Vec<Mark>,
    pub lines: Vec<Line>,
    /// Each series that has points.
    pub legend: Vec<LegendEntry>,
    /// Letters (R, O, S, ×) are drawn (few enough marks for them to be read).
    pub letters: bool,
    /// The handshake RTT's height, on the RTT graph.
    pub irtt: Option<(f32, String)>,
    pub range: (f64, f64),
    pub y_range: (f64, f64),
    pub unit: Unit,
    pub exact: bool,
}

impl Mark {
    /// Its tcptrace caps as an SVG path ("" for none).
    pub fn caps(&self) -> String {
        caps_path(self.marker, self.dot, self.x, self.y1, self.y2)
    }

    /// Its letter and where it goes.
    pub fn letter(&self) -> Option<(f32, f32, &'static str)> {
        letter_at(self.marker, self.x, self.y2)
    }
}

impl Plot {
    pub fn left(&self) -> f32 {
        MARGIN_LEFT
    }
    pub fn right(&self) -> f32 {
        self.width - MARGIN_RIGHT
    }
    pub fn top(&self) -> f32 {
        MARGIN_TOP
    }
    pub fn bottom(&self) -> f32 {
        self.height - MARGIN_BOTTOM
    }

    /// The time at horizontal pixel `x` (seconds).
    pub fn t_at(&self, x: f32) -> f64 {
        let f = f64::from((x - self.left()) / (self.right() - self.left()));
        self.range.0 + f.clamp(0.0, 1.0) * (self.range.1 - self.range.0)
    }

    /// The value at vertical pixel `y`.
    pub fn y_at(&self, y: f32) -> f64 {
        let f = f64::from((self.bottom() - y) / (self.bottom() - self.top()));
        self.y_range.0 + f.clamp(0.0, 1.0) * (self.y_range.1 - self.y_range.0)
    }

    /// The mark nearest to pixel (x, y) within `radius` pixels (a click near a line selects
    /// the segment of its nearest sample).
    pub fn nearest(&self, x: f32, y: f32, radius: f32) -> Option<&Mark> {
        let distance = |m: &Mark| {
            let dy = if y > m.y1 { y - m.y1 } else if y < m.y2 { m.y2 - y } else { 0.0 };
            ((m.x - x).powi(2) + dy.powi(2)).sqrt()
        };
        self.marks.iter().map(|m| (distance(m), m)).filter(|(d, _)| *d <= radius).min_by(|a, b| a.0.total_cmp(&b.0)).map(|(_, m)| m)
    }

    /// The zoom a box dragged on the plot from pixel `a` to pixel `b` asks for: its time span when
    /// it is at least `MIN_DRAG` pixels wide, and its value span too when it is that tall (a flat
    /// drag zooms time only, the values fitted to what is visible). `None`: a click, not a drag.
    pub fn box_zoom(&self, a: (f32, f32), b: (f32, f32)) -> Option<Zoom> {
        const MIN_DRAG: f32 = 6.0;
        if (a.0 - b.0).abs() < MIN_DRAG {
            return None;
        }
        let t = (self.t_at(a.0.min(b.0)), self.t_at(a.0.max(b.0)));
        let y = ((a.1 - b.1).abs() >= MIN_DRAG).then(|| (self.y_at(a.1.max(b.1)), self.y_at(a.1.min(b.1)))).filter(|w| valid(*w));
        valid(t).then_some(Zoom { t, y })
    }

    /// What the crosshair reads at pixel (x, y), in words.
    pub fn reading(&self, x: f32, y: f32) -> String {
        format!("{} · {}", seconds_text(self.t_at(x)), value_text(self.unit, self.y_at(y)))
    }
}

fn scale(v: f64, from: (f64, f64), to: (f32, f32)) -> f32 {
    let f = if from.1 > from.0 { (v - from.0) / (from.1 - from.0) } else { 0.0 };
    // Outside the view (a bar that starts before it): at its edge (lines are clipped before).
    let f = f.clamp(0.0, 1.0);
    (f64::from(to.0) + f * f64::from(to.1 - to.0)) as f32
}

/// Places `data` on a plot `width` × `height` pixels.
pub fn plot(data: &GraphData, width: f32, height: f32) -> Plot {
    let width = width.max(240.0);
    let height = height.max(160.0);
    let (left, right, top, bottom) = (MARGIN_LEFT, width - MARGIN_RIGHT, MARGIN_TOP, height - MARGIN_BOTTOM);
    let x = |t: f64| scale(t, data.range, (left, right));
    let y = |v: f64| scale(v, data.y_range, (bottom, top));
    let mut marks = Vec::new();
    let mut lines = Vec::new();
    let mut legend = Vec::new();
    for s in &data.series {
        if s.points.is_empty() {
            continue;
        }
        let marker = Marker::of_class(&s.class);
        legend.push(LegendEntry { name: s.name.clone(), class: s.class.clone(), marker, line: matches!(s.style, Style::Step | Style::Line) });
        match s.style {
            Style::Bars | Style::Dots => {
                for p in &s.points {
                    let (y1, y2) = (y(p.y), y(p.y2));
                    let value = if (p.y2 - p.y).abs() > f64::EPSILON {
                        format!("{} – {}", value_text(data.unit, p.y), value_text(data.unit, p.y2))
                    } else {
                        value_text(data.unit, p.y)
                    };
                    marks.push(Mark {
                        x: x(p.t),
                        y1: y1.max(y2),
                        y2: y1.min(y2),
                        dot: s.style == Style::Dots || (y1 - y2).abs() < 2.0,
                        on_line: false,
                        class: s.class.clone(),
                        frame: p.frame,
                        index: p.index,
                        title: format!("{}: frame {}, {}, {}", s.name, p.frame, seconds_text(p.t), value),
                        marker,
                        at: [p.t, p.y, p.y2],
                    });
                }
            }
            Style::Step | Style::Line => {
                // Clipped at the window in data units: a line crossing it whose samples are
                // all outside is drawn across it.
                let mut d = String::new();
                let points: Vec<(f64, f64)> = s.points.iter().map(|p| (p.t, p.y)).collect();
                for run in clip_line(&points, s.style == Style::Step, data.range, data.y_range) {
                    for (k, &(t, v)) in run.iter().enumerate() {
                        let _ = write!(d, "{}{:.1},{:.1}", if k == 0 { 'M' } else { 'L' }, x(t), y(v));
                    }
                    if run.len() == 1 {
                        let _ = write!(d, "h0.1");
                    }
                }
                for p in s.points.iter().filter(|p| p.t >= data.range.0 && p.t <= data.range.1) {
                    let (px, py, py2) = (x(p.t), y(p.y), y(p.y2));
                    if (py2 - py).abs() >= 1.0 {
                        // A summarized column: its range as a vertical stroke.
                        let _ = write!(d, "M{px:.1},{py:.1}V{py2:.1}");
                    }
                    // Every sample is also a target to click (an invisible mark on the line).
                    marks.push(Mark {
                        x: px,
                        y1: py.max(py2),
                        y2: py.min(py2),
                        dot: true,
                        on_line: true,
                        class: s.class.clone(),
                        frame: p.frame,
                        index: p.index,
                        title: format!("{}: frame {}, {}, {}", s.name, p.frame, seconds_text(p.t), value_text(data.unit, p.y)),
                        marker: Marker::Plain,
                        at: [p.t, p.y, p.y2],
                    });
                }
                lines.push(Line { class: s.class.clone(), d });
            }
        }
    }
    // Drawn (and reached with ← / →) kind by kind, the resends last, on top (a stable sort: each
    // kind stays in time order).
    marks.sort_by_key(|m| m.marker.draw_rank());
    // One unit per axis, in its title; the ticks are bare numbers in it.
    let (xt, xu) = axis(data.range, 8.max(((right - left) / 110.0) as usize).min(10), Unit::Seconds);
    let (yt, yu) = axis(data.y_range, 6, data.unit);
    let x_ticks = xt.into_iter().map(|v| PlotTick { at: x(v), label: xu.label(v) }).collect();
    let y_ticks = yt.into_iter().map(|v| PlotTick { at: y(v), label: yu.label(v) }).collect();
    let letters = marks.iter().filter(|m| m.marker.letter().is_some()).count() <= LETTERS_UP_TO;
    let irtt = data.irtt.filter(|v| *v >= data.y_range.0 && *v <= data.y_range.1).map(|v| (y(v), format!("handshake RTT {}", value_text(Unit::Seconds, v))));
    let mut plot = Plot {
        width,
        height,
        title: data.title.clone(),
        subtitle: data.subtitle.clone(),
        x_ticks,
        y_ticks,
        y_label: titled(
            match data.unit {
                Unit::Bytes if data.kind == super::GraphKind::Tseq => "relative sequence number",
                Unit::Bytes => "bytes",
                Unit::BytesPerSecond => "rate",
                Unit::Seconds => "round-trip time",
            },
            &yu,
        ),
        x_label: titled("time since the capture's first frame", &xu),
        marks,
        lines,
        legend,
        letters,
        irtt,
        range: data.range,
        y_range: data.y_range,
        unit: data.unit,
        exact: data.exact,
    };
    // A short plot (a laptop's, under the ladder) names its value axis in short, so that the
    // title stands within the plot's height with its unit (it ran off the top).
    if text_width::mono(&plot.y_label, 12.0) > plot.bottom() - plot.top() {
        let short = match data.unit {
            Unit::Bytes if data.kind == super::GraphKind::Tseq => "seq",
            Unit::Bytes => "bytes",
            Unit::BytesPerSecond => "rate",
            Unit::Seconds => "RTT",
        };
        plot.y_label = titled(short, &yu);
    }
    plot
}

/// An axis' ticks and the unit they are written in.
fn axis(range: (f64, f64), want: usize, unit: Unit) -> (Vec<f64>, AxisUnit) {
    let t = ticks(range, want);
    let step = if t.len() > 1 { t[1] - t[0] } else { (range.1 - range.0).abs() };
    let largest = t.iter().fold(0.0f64, |m, v| m.max(v.abs()));
    (t, axis_unit(unit, largest, step))
}

/// Round tick values (1, 2, 5 × 10^n apart) within `range`, about `want` of them.
pub fn ticks(range: (f64, f64), want: usize) -> Vec<f64> {
    let span = range.1 - range.0;
    if !(span.is_finite() && span > 0.0) {
        return vec![range.0];
    }
    let raw = span / want.max(1) as f64;
    let step = crate::draw::ticks::round_step(raw).unwrap_or(10.0 * crate::draw::ticks::decade(raw));
    let mut v = (range.0 / step).ceil() * step;
    let mut out = Vec::new();
    while v <= range.1 + step * 1e-9 && out.len() < 50 {
        out.push(if v.abs() < step * 1e-9 { 0.0 } else { v });
        v += step;
    }
    out
}

/// A value in its unit: "1.5 MB", "12 kB/s", "3.2 ms", "1 460 B".
pub fn value_text(unit: Unit, v: f64) -> String {
    match unit {
        Unit::Seconds => seconds_text(v),
        Unit::Bytes => bytes_text(v, ""),
        Unit::BytesPerSecond => bytes_text(v, "/s"),
    }
}

/// The plot as a standalone SVG document (the page's "SVG" export of a graph): the plot with
/// its title above and its legend below.
pub fn to_svg(p: &Plot) -> String {
    const HEAD: f32 = 44.0;
    const FOOT: f32 = 26.0;
    let mut s = String::new();
    let (w, h) = (p.width, p.height + HEAD + FOOT);
    let _ = write!(
        s,
        r##"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {w} {h}" width="{w}" height="{h}" font-family="sans-serif" font-size="12"><style>{GRAPH_STYLE}</style><rect width="{w}" height="{h}" fill="#fff"/>"##
    );
    let _ = write!(s, r#"<title>{}</title>"#, escape(&format!("{} — {}", p.title, p.subtitle)));
    let _ = write!(s, r#"<text x="{}" y="18" font-size="15" font-weight="bold">{}</text><text x="{}" y="36" fill="rgb(91,102,112)">{}</text>"#, p.left(), escape(&p.title), p.left(), escape(&p.subtitle));
    let _ = write!(s, r#"<g transform="translate(0 {HEAD})">"#);
    for t in &p.x_ticks {
        let _ = write!(s, r#"<line class="grid" x1="{x:.1}" x2="{x:.1}" y1="{}" y2="{}"/><text x="{x:.1}" y="{}" text-anchor="middle">{}</text>"#, p.top(), p.bottom(), p.bottom() + 16.0, escape(&t.label), x = t.at);
    }
    for t in &p.y_ticks {
        let _ = write!(s, r#"<line class="grid" x1="{}" x2="{}" y1="{y:.1}" y2="{y:.1}"/><text x="{}" y="{y:.1}" text-anchor="end" dy="4">{}</text>"#, p.left(), p.right(), p.left() - 6.0, escape(&t.label), y = t.at);
    }
    let _ = write!(s, r#"<text x="{}" y="{}" text-anchor="middle">{}</text>"#, (p.left() + p.right()) / 2.0, p.height - 6.0, escape(&p.x_label));
    let _ = write!(s, r#"<text transform="translate(14 {}) rotate(-90)" text-anchor="middle">{}</text>"#, (p.top() + p.bottom()) / 2.0, escape(&p.y_label));
    for l in &p.lines {
        let _ = write!(s, r#"<path class="{}" style="fill:none" d="{}"/>"#, escape(&l.class), l.d);
    }
    for m in p.marks.iter().filter(|m| !m.on_line) {
        if m.dot {
            let r = if m.marker == Marker::Retransmission { 4.0 } else { 2.5 };
            let _ = write!(s, r#"<circle class="{}" cx="{:.1}" cy="{:.1}" r="{r}"><title>{}</title></circle>"#, escape(&m.class), m.x, m.y1, escape(&m.title));
        } else {
            let _ = write!(s, r#"<line class="{}" x1="{x:.1}" x2="{x:.1}" y1="{:.1}" y2="{:.1}"><title>{}</title></line>"#, escape(&m.class), m.y1, m.y2, escape(&m.title), x = m.x);
        }
        let caps = m.caps();
        if !caps.is_empty() {
            let _ = write!(s, r#"<path class="{} g-cap" d="{caps}"/>"#, escape(&m.class));
        }
        if let Some((x, y, l)) = m.letter().filter(|_| p.letters) {
            let _ = write!(s, r#"<text class="{} g-letter" x="{x:.1}" y="{y:.1}">{l}</text>"#, escape(&m.class));
        }
    }
    if let Some((y, label)) = &p.irtt {
        let _ = write!(s, r#"<line class="g-irtt" x1="{}" x2="{}" y1="{y:.1}" y2="{y:.1}"/><text x="{}" y="{:.1}" text-anchor="end">{}</text>"#, p.left(), p.right(), p.right(), y - 4.0, escape(label));
    }
    s.push_str("</g>");
    let mut x = p.left();
    let y = p.height + HEAD + 16.0;
    for e in &p.legend {
        let _ = write!(s, r#"<g transform="translate({x} {})">{}</g><text x="{}" y="{y}">{}</text>"#, y - 11.0, e.swatch(), x + 24.0, escape(&e.name));
        x += 38.0 + text_width::sans_12(&e.name);
    }
    if !p.exact {
        let _ = write!(s, r#"<text x="{}" y="{y}" text-anchor="end" fill="rgb(91,102,112)">summarized: each pixel column shows its range</text>"#, p.right());
    }
    s.push_str("</svg>\n");
    s
}

/// Colours of the exported SVG (the page uses the same classes with its theme's colours).
pub const GRAPH_STYLE: &str = ".grid{stroke:#e1e6eb}.g-data,.g-c2s{stroke:#1b7f3b;fill:#1b7f3b}.g-s2c{stroke:#0072b2;fill:#0072b2}.g-retrans{stroke:#d55e00;fill:#d55e00}.g-ooo{stroke:#a66f00;fill:#a66f00}.g-lost{stroke:#b00020;fill:#b00020}.g-ack{stroke:#555f69}.g-rwnd{stroke:#0072b2;stroke-dasharray:4 3}.g-sack{stroke:#8e44ad;fill:#8e44ad}.g-irtt{stroke:#b34700;stroke-dasharray:6 4}.g-flight{stroke-dasharray:2 2}.g-cwnd{stroke-dasharray:8 3;stroke-width:2}path{stroke-width:1.5;fill:none}line.g-data,line.g-ooo,line.g-sack{stroke-width:2}line.g-retrans{stroke-width:3.5}.g-letter{stroke:none;font-size:11px;font-weight:bold}";

#[cfg(test)]
#[path = "plot_box_zoom_tests.rs"]
mod tests;
