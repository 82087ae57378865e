//! `Stream`: one TCP connection (`tcp.stream`), its endpoints and running totals, and the
//! state (`Live`) that only the newest connection on its addresses and ports needs.

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
    /// (Out of line, and not kept at all by the page's worker, which never shows them: a
    /// connection record is kept for each of a million connections.)
    pub(super) syn_options: Option<Box<[Option<TcpOptions>; 2]>>,
    /// The connection was opened by a SYN that reused the ports of an earlier one (its first
    /// segment carries `tcp.analysis.reused_ports`; re-analysing the connection alone, which
    /// has no earlier one, must know).
    pub opened_by_port_reuse: bool,
    /// What places and analyses the next segment; `None` once a newer connection took over
    /// the address/port pair (see [`Live`]).
    live: Option<Box<Live>>,
}

/// What places and analyses a connection's next segment. Only the newest connection on an
/// address/port pair can receive one (a SYN with a new ISN on the same ports starts another),
/// so a connection superseded that way drops this, a third of its record: on a capture of
/// many short connections reusing ephemeral ports that is most connections.
#[derive(Debug, Clone)]
pub(super) struct Live {
    /// Time of the most recent SYN, for the iRTT.
    pub(super) last_syn_ns: Option<i64>,
    /// `tcp.completeness` as the next packet will show it (see the tracker).
    pub(super) completeness_reported: Completeness,
    pub(super) c2s: Direction,
    pub(super) s2c: Direction,
    pub(super) c2s_flow: FlowAnalysis,
    pub(super) s2c_flow: FlowAnalysis,
}

impl Stream {
    /// Bytes of the record's parts (the benchmarks print them); the last is on the heap and
    /// only while the connection can still receive segments.
    pub fn record_parts() -> Vec<(&'static str, usize)> {
        use std::mem::size_of;
        let mut parts = vec![
            ("whole record", size_of::<Stream>()),
            ("lifecycle (handshake, FINs, RST, Zeek history)", size_of::<Lifecycle>()),
            ("SYN and SYN-ACK options (on the heap, when kept)", size_of::<Option<Box<[Option<TcpOptions>; 2]>>>()),
        ];
        let named: usize = parts[1..].iter().map(|p| p.1).sum();
        parts.push(("endpoints, counters, times, flags", size_of::<Stream>() - named));
        parts.push(("+ while it can still receive segments (heap): sequence analysis, relative numbers, scaling", size_of::<Live>()));
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
            irtt_ns: None,
            problem_packets: 0,
            retransmissions: 0,
            analysis_seen: Default::default(),
            tcp_flags_seen: 0,
            lifecycle: Lifecycle::default(),
            syn_options: None,
            opened_by_port_reuse: false,
            live: Some(Box::new(Live {
                last_syn_ns: None,
                completeness_reported: Completeness::default(),
                c2s: Direction::default(),
                s2c: Direction::default(),
                c2s_flow: FlowAnalysis::new(),
                s2c_flow: FlowAnalysis::new(),
            })),
        }
    }

    /// The options of the first SYN of the client (`client`) or SYN-ACK of the server, when
    /// the tracker keeps them (see [`super::TcpTracker::forget_syn_options`]).
    pub fn syn_options(&self, client: bool) -> Option<&TcpOptions> {
        self.syn_options.as_ref()?[usize::from(!client)].as_ref()
    }

    pub fn packets_s2c(&self) -> u64 {
        self.packets - self.packets_c2s
    }

    /// The state the next segment needs. Segments come only to the newest connection of an
    /// address/port pair, which always has it.
    pub(super) fn live(&mut self) -> &mut Live {
        self.live.as_deref_mut().expect("segments come only to a connection that can receive them")
    }

    /// The same, to read: the relative-number state of (client to server, server to client).
    pub(super) fn live_directions(&self) -> (&Direction, &Direction) {
        let live = self.live.as_deref().expect("segments come only to a connection that can receive them");
        (&live.c2s, &live.s2c)
    }

    /// A newer connection took over the address/port pair: nothing can reach this one again.
    pub(super) fn supersede(&mut self) {
        self.live = None;
    }

    /// Whether the connection still holds its analysis state (for the memory figures).
    pub fn can_receive(&self) -> bool {
        self.live.is_some()
    }
}

impl Live {
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
