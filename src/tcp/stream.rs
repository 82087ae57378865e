use std::net::IpAddr;

use super::analysis::FlowAnalysis;
use super::lifecycle::Lifecycle;
use crate::decode::TcpOptions;
use super::direction::Direction;

/// One side of a connection.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Endpoint {
    pub addr: IpAddr,
    pub port: u16,
}

/// "10.0.0.1:80", or "[::1]:80" for IPv6, as the page and the diagrams name an endpoint.
impl std::fmt::Display for Endpoint {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.addr {
            IpAddr::V6(a) => write!(f, "[{a}]:{}", self.port),
            IpAddr::V4(a) => write!(f, "{a}:{}", self.port),
        }
    }
}

/// Wireshark's `tcp.completeness` bits, OR-ed over a stream.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Completeness(pub u8);

impl Completeness {
    pub const SYN: u8 = 1;
    pub const SYN_ACK: u8 = 2;
    pub const ACK: u8 = 4;
    pub const DATA: u8 = 8;
    pub const FIN: u8 = 16;
    pub const RST: u8 = 32;
}

/// One TCP connection (`tcp.stream`) and its running totals.
#[derive(Debug, Clone)]
pub struct Stream {
    pub index: u32,
    pub client: Endpoint,
    pub server: Endpoint,
    /// The client is known from a SYN (or SYN-ACK); otherwise it is the first packet's sender
    /// and the connection started before the capture.
    pub client_from_syn: bool,
    pub packets: u64,
    pub packets_c2s: u64,
    pub payload_bytes_c2s: u64,
    pub payload_bytes_s2c: u64,
    pub first_frame: u64,
    pub last_frame: u64,
    pub first_time_ns: i64,
    pub last_time_ns: i64,
    /// Every bit seen over the whole stream.
    pub completeness: Completeness,
    /// What tshark's single pass reports as `tcp.completeness`: the bits of all packets but
    /// the last (each packet shows the value from before it was counted).
    pub completeness_shown: Completeness,
    pub(super) completeness_reported: Completeness,
    /// Initial RTT: from the (last) SYN to the first ACK of the handshake (`tcp.analysis.initial_rtt`).
    pub irtt_ns: Option<i64>,
    /// Segments with a problem flagged by the analysis (retransmission of any kind,
    /// out-of-order, lost or unseen segment, duplicate ACK, zero window).
    pub problem_packets: u64,
    /// Retransmissions of any kind.
    pub retransmissions: u64,
    /// Every analysis flag and every TCP flag seen in the connection (for the list's filter).
    pub analysis_seen: crate::tcp::analysis::AnalysisFlags,
    pub tcp_flags_seen: u16,
    /// States, shapes and Zeek summary.
    pub lifecycle: Lifecycle,
    /// Options of the first SYN (client) and SYN-ACK (server) seen.
    pub syn_options: [Option<TcpOptions>; 2],
    /// Time of the most recent SYN, for the iRTT.
    pub(super) last_syn_ns: Option<i64>,
    pub(super) c2s: Direction,
    pub(super) s2c: Direction,
    pub(super) c2s_flow: FlowAnalysis,
    pub(super) s2c_flow: FlowAnalysis,
}

impl Stream {
    /// Bytes of the record's parts, largest first (the benchmarks print them: a closed
    /// connection still holds all of them).
    pub fn record_parts() -> Vec<(&'static str, usize)> {
        use std::mem::size_of;
        let mut parts = vec![
            ("whole record", size_of::<Stream>()),
            ("sequence analysis, both directions", 2 * size_of::<FlowAnalysis>()),
            ("lifecycle (handshake, FINs, RST, Zeek history)", size_of::<Lifecycle>()),
            ("SYN and SYN-ACK options", size_of::<[Option<TcpOptions>; 2]>()),
            ("relative-number and scaling state, both directions", 2 * size_of::<Direction>()),
        ];
        let named: usize = parts[1..].iter().map(|p| p.1).sum();
        parts.push(("endpoints, counters, times, flags", size_of::<Stream>() - named));
        parts
    }

    pub(super) fn new(index: u32, client: Endpoint, server: Endpoint, client_from_syn: bool, frame: u64, time_ns: i64) -> Self {
        Stream {
            index,
            client,
            server,
            client_from_syn,
            packets: 0,
            packets_c2s: 0,
            payload_bytes_c2s: 0,
            payload_bytes_s2c: 0,
            first_frame: frame,
            last_frame: frame,
            first_time_ns: time_ns,
            last_time_ns: time_ns,
            completeness: Completeness::default(),
            completeness_shown: Completeness::default(),
            completeness_reported: Completeness::default(),
            irtt_ns: None,
            problem_packets: 0,
            retransmissions: 0,
            analysis_seen: Default::default(),
            tcp_flags_seen: 0,
            lifecycle: Lifecycle::default(),
            syn_options: [None, None],
            last_syn_ns: None,
            c2s: Direction::default(),
            s2c: Direction::default(),
            c2s_flow: FlowAnalysis::new(),
            s2c_flow: FlowAnalysis::new(),
        }
    }

    pub fn packets_s2c(&self) -> u64 {
        self.packets - self.packets_c2s
    }

    /// (this direction, the other direction)
    pub(super) fn directions(&mut self, from_client: bool) -> (&mut Direction, &mut Direction) {
        if from_client {
            (&mut self.c2s, &mut self.s2c)
        } else {
            (&mut self.s2c, &mut self.c2s)
        }
    }

    /// The sequence-analysis state of (this direction, the other direction).
    pub(super) fn flows(&mut self, from_client: bool) -> (&mut FlowAnalysis, &mut FlowAnalysis) {
        if from_client {
            (&mut self.c2s_flow, &mut self.s2c_flow)
        } else {
            (&mut self.s2c_flow, &mut self.c2s_flow)
        }
    }
}
