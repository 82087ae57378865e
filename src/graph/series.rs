//! The values each graph plots, one row per segment, from the same analysis the ladder and
//! `tcp-ladder analyze` use: Wireshark's `tcp.analysis.ack_rtt`, `tcp.analysis.bytes_in_flight`,
//! `tcp.window_size` (scaled), relative sequence and acknowledgement numbers.

use serde::{Deserialize, Serialize};

use crate::connection::Connection;
use crate::tcp::analysis::AnalysisFlags as F;
use crate::tcp::seq::SeqNumber;
use crate::tcp::TcpPacket;

/// Which graph.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum GraphKind {
    /// Time-sequence (Stevens), with tcptrace's ACK, receive-window and SACK lines.
    #[default]
    Tseq,
    /// Bytes per second per direction over a sliding window (every byte sent).
    Throughput,
    /// The same counting only bytes not sent before.
    Goodput,
    /// Round-trip time per ACK (`tcp.analysis.ack_rtt`).
    Rtt,
    /// Advertised window (`tcp.window_size`, scaled).
    Window,
    /// Bytes in flight (`tcp.analysis.bytes_in_flight`).
    Inflight,
}

impl GraphKind {
    pub const ALL: [GraphKind; 6] = [GraphKind::Tseq, GraphKind::Throughput, GraphKind::Goodput, GraphKind::Rtt, GraphKind::Window, GraphKind::Inflight];

    pub fn name(self) -> &'static str {
        match self {
            GraphKind::Tseq => "tseq",
            GraphKind::Throughput => "throughput",
            GraphKind::Goodput => "goodput",
            GraphKind::Rtt => "rtt",
            GraphKind::Window => "window",
            GraphKind::Inflight => "inflight",
        }
    }

    pub fn parse(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.name() == name)
    }

    /// A title in words.
    pub fn title(self) -> &'static str {
        match self {
            GraphKind::Tseq => "Time-sequence (Stevens / tcptrace)",
            GraphKind::Throughput => "Throughput",
            GraphKind::Goodput => "Goodput (bytes not sent before)",
            GraphKind::Rtt => "Round-trip time per ACK",
            GraphKind::Window => "Window and bytes in flight",
            GraphKind::Inflight => "Bytes in flight",
        }
    }

    /// What the y axis counts.
    pub fn unit(self) -> Unit {
        match self {
            GraphKind::Tseq | GraphKind::Window | GraphKind::Inflight => Unit::Bytes,
            GraphKind::Throughput | GraphKind::Goodput => Unit::BytesPerSecond,
            GraphKind::Rtt => Unit::Seconds,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Unit {
    Bytes,
    BytesPerSecond,
    Seconds,
}


/// One segment as the time-sequence graph and its CSV see it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TseqRow {
    pub time_ns: i64,
    pub frame: u64,
    pub index: u32,
    pub from_client: bool,
    pub seq: u32,
    pub len: u32,
    pub ack: u32,
    pub ack_flag: bool,
    pub window: u32,
    pub flags: F,
    /// SACK blocks relative to the other direction's base (left, right).
    pub sack: [(u32, u32); 4],
    pub sack_count: u8,
}

/// The rows of one connection, in capture order, made as they are read (a connection of
/// millions of segments is never held whole).
pub fn tseq_rows<'c>(conn: &'c Connection<'_>) -> impl Iterator<Item = TseqRow> + 'c {
    // Each direction's base: raw minus relative sequence number of any of its segments.
    let base = |client: bool| conn.packets().find(|p| p.from_client == client).map(|p| SeqNumber(p.segment.seq) - p.seq);
    let bases = [base(true), base(false)];
    conn.packets()
        .enumerate()
        .map(move |(i, p)| {
            let o = &p.segment.options;
            let mut sack = [(0, 0); 4];
            // SACK blocks name the other direction's sequence numbers.
            let other = bases[usize::from(p.from_client)].unwrap_or(SeqNumber(0));
            for (slot, b) in sack.iter_mut().zip(&o.sack[..usize::from(o.sack_count.min(4))]) {
                *slot = (SeqNumber(b.left) - other, SeqNumber(b.right) - other);
            }
            TseqRow {
                time_ns: p.time_ns,
                frame: p.frame,
                index: i as u32,
                from_client: p.from_client,
                seq: p.seq,
                len: p.segment.payload_len,
                ack: p.ack,
                ack_flag: p.segment.flags.ack(),
                window: p.window,
                flags: p.analysis.flags,
                sack,
                sack_count: o.sack_count.min(4),
            }
        })
}

/// A value at a segment: (time, frame, index in the connection, from the client, value).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Sample {
    pub time_ns: i64,
    pub frame: u64,
    pub index: u32,
    pub from_client: bool,
    pub value: f64,
}

/// A segment's `tcp.analysis.ack_rtt` in seconds, if it has one (as in Wireshark, none when
/// the two frames carry the same time).
pub fn rtt_of(p: &TcpPacket) -> Option<f64> {
    (p.analysis.acked_frame > 0 && p.analysis.ack_rtt_ns != 0).then(|| p.analysis.ack_rtt_ns as f64 / 1e9)
}

/// A segment's `tcp.window_size` (scaled where the scale is known), if its window field was
/// captured.
pub fn window_of(p: &TcpPacket) -> Option<f64> {
    p.window_captured().then(|| f64::from(p.window))
}

/// A segment's `tcp.analysis.bytes_in_flight`, if it has one (tshark analyses no segment whose
/// header the snap length cut).
pub fn inflight_of(p: &TcpPacket) -> Option<f64> {
    (p.analysis.bytes_in_flight > 0 && !p.segment.truncated).then(|| f64::from(p.analysis.bytes_in_flight))
}

/// `tcp.analysis.ack_rtt` of every segment that has one, in seconds.
pub fn rtt_samples(conn: &Connection<'_>) -> Vec<Sample> {
    samples(conn, rtt_of)
}

/// `tcp.window_size` of every segment whose window field was captured.
pub fn window_samples(conn: &Connection<'_>) -> Vec<Sample> {
    samples(conn, window_of)
}

/// `tcp.analysis.bytes_in_flight` of every segment that has one.
pub fn inflight_samples(conn: &Connection<'_>) -> Vec<Sample> {
    samples(conn, inflight_of)
}

fn samples(conn: &Connection<'_>, value: impl Fn(&TcpPacket) -> Option<f64>) -> Vec<Sample> {
    conn.packets()
        .enumerate()
        .filter_map(|(i, p)| value(&p).map(|v| Sample { time_ns: p.time_ns, frame: p.frame, index: i as u32, from_client: p.from_client, value: v }))
        .collect()
}

/// Bytes per second at each data segment of each direction: the payload of that direction's
/// segments sent within the last `window_ns` (the segment's own included) divided by the
/// window (so the line ramps up over the first window rather than spiking on one segment).
/// `goodput` counts only segments that are not retransmissions.
pub fn throughput_samples(conn: &Connection<'_>, window_ns: i64, goodput: bool) -> Vec<Sample> {
    let mut meters = [ThroughputMeter::new(window_ns), ThroughputMeter::new(window_ns)];
    conn.packets()
        .enumerate()
        .filter(|(_, p)| p.segment.payload_len > 0 && !(goodput && p.analysis.flags.has(F::ANY_RETRANSMISSION)))
        .map(|(i, p)| {
            let value = meters[usize::from(!p.from_client)].add(p.time_ns, p.segment.payload_len);
            Sample { time_ns: p.time_ns, frame: p.frame, index: i as u32, from_client: p.from_client, value }
        })
        .collect()
}

/// One direction's bytes per second over a sliding window, a segment at a time.
pub struct ThroughputMeter {
    window_ns: i64,
    recent: std::collections::VecDeque<(i64, u32)>,
    sum: u64,
}

impl ThroughputMeter {
    pub fn new(window_ns: i64) -> Self {
        ThroughputMeter { window_ns: window_ns.max(1), recent: Default::default(), sum: 0 }
    }

    /// A segment of `len` bytes at `time_ns`: the rate over the window ending with it.
    pub fn add(&mut self, time_ns: i64, len: u32) -> f64 {
        self.recent.push_back((time_ns, len));
        self.sum += u64::from(len);
        while self.recent.len() > 1 && self.recent.front().is_some_and(|&(t, _)| time_ns.saturating_sub(t) >= self.window_ns) {
            if let Some((_, old)) = self.recent.pop_front() {
                self.sum -= u64::from(old);
            }
        }
        self.sum as f64 / (self.window_ns as f64 / 1e9)
    }
}
