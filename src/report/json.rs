//! The JSON of `tcp-ladder analyze`: the report's types (format, summary, connections,
//! packets, errors) with Wireshark's field names, made from a session (`AnalyzeReport`) or a
//! piece at a time by the streaming report (`report::streaming`).

use serde::Serialize;

use crate::capture::{link_type_name, Container};
use crate::decode::TcpOptions;
use super::facts::{stream_facts, StreamFacts};
use crate::session::Session;
use crate::tcp::lifecycle::{CloseShape, ClosedBy, Evidence, OpenShape, StateChange};
use crate::tcp::{CapturePoint, Endpoint, Stream, TcpPacket};

#[derive(Debug, Serialize)]
pub struct AnalyzeReport {
    pub format: FormatJson,
    pub summary: SummaryJson,
    pub streams: Vec<StreamJson>,
    pub packets: Vec<PacketJson>,
    pub errors: Vec<ErrorJson>,
}

#[derive(Debug, Serialize)]
pub struct FormatJson {
    pub container: Container,
    pub gzip: bool,
    pub byte_order: &'static str,
    pub nanosecond: bool,
    pub link_types: Vec<String>,
    pub packets: u64,
    /// Frame numbers used by records that are not packets (pcapng custom blocks, …).
    pub non_packet_frames: u64,
    pub truncated_packets: u64,
}

#[derive(Debug, Serialize)]
pub struct SummaryJson {
    /// tcp, udp, icmp, other_ip, ip_fragments, non_ip, undecodable, tcp_truncated.
    #[serde(flatten)]
    pub counts: crate::session::ProtocolCounts,
    pub first_time: Option<f64>,
    pub last_time: Option<f64>,
    pub duration: f64,
    /// Frames whose time is earlier than the frame before them (0 when capinfos says "Strict
    /// time order: True"), and the first of them.
    pub backward_steps: u64,
    pub first_backward_frame: Option<u64>,
    /// A jump of the clock worth telling: the frame after it and its size in seconds.
    pub clock_jump: Option<ClockJumpJson>,
    pub undecodable_frames: Vec<UndecodableJson>,
    /// Runs of frames whose record carries no time ([first, last]; pcapng simple packet
    /// blocks): their time is given as 0, as Wireshark counts it.
    pub untimed_frames: Vec<[u64; 2]>,
}

#[derive(Debug, Serialize)]
pub struct ClockJumpJson {
    pub frame: u64,
    pub seconds: f64,
}

#[derive(Debug, Serialize)]
pub struct UndecodableJson {
    pub frame: u64,
    /// The last frame of a run of undecodable frames with the same reason.
    pub through: u64,
    pub reason: &'static str,
}

#[derive(Debug, Serialize)]
pub struct EndpointJson {
    pub addr: String,
    pub port: u16,
}

#[derive(Debug, Serialize)]
pub struct StreamJson {
    pub stream: u32,
    pub client: EndpointJson,
    pub server: EndpointJson,
    pub started_before_capture: bool,
    pub packets: u64,
    pub packets_c2s: u64,
    pub packets_s2c: u64,
    pub payload_bytes_c2s: u64,
    pub payload_bytes_s2c: u64,
    /// Payload bytes counting each sequence number once (retransmitted copies left out).
    pub distinct_payload_bytes_c2s: u64,
    pub distinct_payload_bytes_s2c: u64,
    /// `payload_bytes - distinct_payload_bytes`: bytes that repeat bytes sent before.
    pub retransmitted_bytes_c2s: u64,
    pub retransmitted_bytes_s2c: u64,
    /// Of those, bytes of copies too soon after the earlier one to be sent again: the same
    /// segment captured twice (its `recovery` resend is `captured_twice`), not resent.
    pub captured_twice_bytes_c2s: u64,
    pub captured_twice_bytes_s2c: u64,
    /// Where the capture was taken: `near` (client|server|between) and the estimated one-way
    /// delays in milliseconds between the client and the capture point and between the capture
    /// point and the server; null without a round trip on each side.
    pub capture_point: Option<CapturePoint>,
    /// Per data-sending direction, the rounds, phases, largest flight and reductions after
    /// losses, ESTIMATED from the capture (`report/congestion_json.rs`).
    pub congestion: Vec<super::congestion_json::CongestionJson>,
    pub first_frame: u64,
    pub last_frame: u64,
    /// `tcp.completeness` as tshark reports it for the stream.
    pub completeness: u8,
    /// Every completeness bit seen (tshark's report leaves out the last packet's).
    pub completeness_all: u8,
    pub open: OpenShape,
    pub open_frames: Option<[u64; 2]>,
    pub syn_retries: u32,
    pub close: Option<CloseShape>,
    pub close_frames: Option<[u64; 2]>,
    pub closed_by: Option<ClosedBy>,
    pub half_close: bool,
    pub states: StatesJson,
    /// Zeek's conn_state and history.
    pub conn_state: &'static str,
    pub history: String,
    /// `tcp.analysis.initial_rtt`, seconds.
    pub irtt: Option<f64>,
    /// Options of the client's SYN and the server's SYN-ACK.
    pub syn_options: SynOptionsJson,
    /// Datagrams a sender sent that did not pass the capture point, from a skip in its IPv4
    /// identification where it numbers its datagrams one by one (`tcp/ip_id.rs`): `frame`
    /// (the datagram after the skip), `from_client`, `before`, `after`, `skipped`.
    pub unseen_datagrams: Vec<crate::tcp::ip_id::UnseenDatagrams>,
    /// Loss-recovery episodes, inferred from the packets (README: "The `recovery` field");
    /// null when the connection's segments were not kept (streamed).
    pub recovery: Option<Vec<crate::report::recovery_json::EpisodeJson>>,
    /// Where the connection's time went (see README, "time_split").
    pub time_split: super::time_split_json::TimeSplitJson,
    /// ECN (RFC 3168): the handshake's negotiation, and per data sender its segments by IP ECN
    /// field, the CE-marked ones seen here, the receiver's ECE echoes and the sender's CWRs
    /// (README: "The `ecn` field").
    pub ecn: crate::tcp::ecn::EcnFacts,
    /// What the connection speaks, from its first 2 048 bytes each way (the page's "what"
    /// column): `protocol`, `name` (SNI, Host, DNS question), `request`, `qtype`, `status`
    /// (HTTP status or DNS rcode of the first response), `version` (TLS), `version_chosen`,
    /// and `words` as the list says it; null when it sent no byte the capture holds.
    pub opening: Option<OpeningJson>,
}

#[derive(Debug, Serialize)]
pub struct OpeningJson {
    #[serde(flatten)]
    pub opening: crate::app::Opening,
    pub words: String,
}

#[derive(Debug, Serialize)]
pub struct StatesJson {
    pub client: Vec<StateJson>,
    pub server: Vec<StateJson>,
}

#[derive(Debug, Serialize)]
pub struct StateJson {
    pub state: &'static str,
    /// Where the state begins: the frame of its cause, or a later frame the endpoint sent
    /// before it can have received the cause (crossing segments).
    pub frame: u64,
    /// The segment that caused it.
    pub cause: u64,
    /// `sent`, `acknowledged` (its own later segment `by` acknowledges the cause), `arrival`,
    /// `answered` (LISTEN: it answered a SYN), `unconfirmed` or `before_capture` (inferred).
    pub evidence: Evidence,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub by: Option<u64>,
    pub inferred: bool,
}

#[derive(Debug, Serialize)]
pub struct SynOptionsJson {
    pub client: Option<OptionsJson>,
    pub server: Option<OptionsJson>,
}

/// TCP options with Wireshark's field names (`tcp.options.mss_val`, …).
#[derive(Debug, Serialize)]
pub struct OptionsJson {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mss: Option<u16>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub wscale_shift: Option<u8>,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub sack_perm: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tsval: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tsecr: Option<u32>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub sack: Vec<[u32; 2]>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub unknown_kinds: Vec<u8>,
}

fn options_json(o: &TcpOptions) -> OptionsJson {
    OptionsJson {
        mss: o.mss,
        wscale_shift: o.window_scale,
        sack_perm: o.sack_permitted,
        tsval: o.timestamps.map(|t| t.0),
        tsecr: o.timestamps.map(|t| t.1),
        sack: o.sack_blocks().iter().map(|b| [b.left, b.right]).collect(),
        unknown_kinds: o.other_kinds[..usize::from(o.other_count)].to_vec(),
    }
}

fn states_json(changes: &[StateChange]) -> Vec<StateJson> {
    changes
        .iter()
        .map(|c| StateJson { state: c.state.rfc_name(), frame: c.frame, cause: c.cause, evidence: c.evidence, by: c.by, inferred: c.inferred() })
        .collect()
}

#[derive(Debug, Serialize)]
pub struct PacketJson {
    pub frame: u64,
    pub stream: u32,
    pub time_relative: f64,
    pub src: String,
    pub srcport: u16,
    pub dst: String,
    pub dstport: u16,
    pub flags: String,
    pub seq: u32,
    pub ack: u32,
    pub seq_raw: u32,
    pub ack_raw: u32,
    pub nxtseq: u32,
    pub len: u32,
    pub window_size: u32,
    pub window_size_value: u16,
    pub window_scale: Option<i64>,
    pub truncated: bool,
    pub analysis: Vec<&'static str>,
    /// `tcp.analysis.duplicate_ack_num` and `tcp.analysis.duplicate_ack_frame`.
    pub dup_ack_num: Option<u32>,
    pub dup_ack_of: Option<u64>,
    /// `tcp.analysis.acks_frame` and `tcp.analysis.ack_rtt` (seconds).
    pub acks_frame: Option<u64>,
    pub ack_rtt: Option<f64>,
    /// `tcp.analysis.bytes_in_flight`.
    pub bytes_in_flight: Option<u32>,
    /// The IP header's ECN field: `not_ect`, `ect0`, `ect1` or `ce`.
    pub ecn: crate::decode::Ecn,
    pub options: OptionsJson,
}

#[derive(Debug, Serialize)]
pub struct ErrorJson {
    pub message: String,
    pub offset: u64,
    pub frame: u64,
}

pub(crate) fn endpoint(e: &Endpoint) -> EndpointJson {
    EndpointJson { addr: e.addr.to_string(), port: e.port }
}

fn seconds(ns: i64) -> f64 {
    ns as f64 / 1e9
}

/// `untimed`: the stream's frames that carry no time (its timings are then not given).
pub(crate) fn stream_json(s: &Stream, facts: &StreamFacts, untimed: Option<(u64, u64)>, opening: Option<&crate::app::Opening>) -> StreamJson {
    let shapes = s.lifecycle.shapes();
    let (states, bytes) = (&facts.states, &facts.bytes);
    StreamJson {
        stream: s.index,
        client: endpoint(&s.client),
        server: endpoint(&s.server),
        started_before_capture: !s.client_from_syn,
        packets: s.packets,
        packets_c2s: s.packets_c2s,
        packets_s2c: s.packets_s2c(),
        payload_bytes_c2s: s.payload_bytes_c2s,
        payload_bytes_s2c: s.payload_bytes_s2c,
        distinct_payload_bytes_c2s: bytes.distinct[0],
        distinct_payload_bytes_s2c: bytes.distinct[1],
        retransmitted_bytes_c2s: bytes.retransmitted[0],
        retransmitted_bytes_s2c: bytes.retransmitted[1],
        captured_twice_bytes_c2s: bytes.captured_twice[0],
        captured_twice_bytes_s2c: bytes.captured_twice[1],
        capture_point: facts.capture_point.filter(|_| untimed.is_none()),
        congestion: super::congestion_json::congestion_json(&facts.congestion),
        first_frame: s.first_frame,
        last_frame: s.last_frame,
        completeness: s.completeness_shown.0,
        completeness_all: s.completeness.0,
        open: shapes.open,
        open_frames: shapes.open_frames.map(|(a, b)| [a, b]),
        syn_retries: shapes.syn_retries,
        close: shapes.close,
        close_frames: shapes.close_frames.map(|(a, b)| [a, b]),
        closed_by: shapes.closed_by,
        half_close: shapes.half_close,
        states: StatesJson { client: states_json(states.side(true)), server: states_json(states.side(false)) },
        conn_state: s.lifecycle.zeek_conn_state(),
        history: s.lifecycle.history().to_string(),
        irtt: s.irtt_ns.map(seconds),
        syn_options: SynOptionsJson {
            client: s.syn_options(true).map(options_json),
            server: s.syn_options(false).map(options_json),
        },
        unseen_datagrams: facts.unseen_datagrams.clone(),
        recovery: facts.recovery.clone(),
        time_split: super::time_split_json::time_split_json(&facts.time_split, untimed),
        ecn: facts.ecn.clone(),
        opening: opening.map(|o| OpeningJson { opening: o.clone(), words: crate::messages::opening_words(o, false) }),
    }
}

pub(crate) fn packet_json(p: &TcpPacket) -> PacketJson {
    let seg = &p.segment;
    let a = &p.analysis;
    PacketJson {
        frame: p.frame,
        stream: p.stream,
        time_relative: seconds(p.time_ns),
        src: seg.src.to_string(),
        srcport: seg.src_port,
        dst: seg.dst.to_string(),
        dstport: seg.dst_port,
        flags: seg.flags.names(),
        seq: p.seq,
        ack: p.ack,
        seq_raw: seg.seq,
        ack_raw: seg.ack,
        nxtseq: p.next_seq(),
        len: seg.payload_len,
        window_size: p.window,
        window_size_value: seg.window,
        window_scale: p.scale_factor.as_tshark(),
        truncated: seg.truncated,
        analysis: a.flags.names().collect(),
        dup_ack_num: (a.dup_ack_num > 0).then_some(a.dup_ack_num),
        dup_ack_of: (a.dup_ack_num > 0).then_some(a.dup_ack_of),
        acks_frame: (a.acked_frame > 0).then_some(a.acked_frame),
        ack_rtt: (a.acked_frame > 0).then(|| seconds(a.ack_rtt_ns)),
        bytes_in_flight: (a.bytes_in_flight > 0).then_some(a.bytes_in_flight),
        ecn: seg.ecn,
        options: options_json(&seg.options),
    }
}

impl AnalyzeReport {
    pub fn from_session(session: &Session) -> Self {
        AnalyzeReport {
            format: format_json(session),
            summary: summary_json(session),
            streams: session.streams().iter().map(|s| stream_json(s, &stream_facts(session, s), session.clock.untimed_within(s.first_frame, s.last_frame), session.opening(s.index).as_deref())).collect(),
            packets: session.packets().map(|p| packet_json(&p)).collect(),
            errors: errors_json(session),
        }
    }
}

pub(crate) fn format_json(session: &Session) -> FormatJson {
    let f = &session.format;
    FormatJson {
        container: f.container,
        gzip: f.gzip,
        byte_order: if f.big_endian { "big" } else { "little" },
        nanosecond: f.nanosecond,
        link_types: f.link_types.iter().map(|&l| link_type_name(l)).collect(),
        packets: f.packets,
        non_packet_frames: f.non_packet_frames,
        truncated_packets: f.truncated_packets,
    }
}

pub(crate) fn summary_json(session: &Session) -> SummaryJson {
    let c = &session.counts;
    SummaryJson {
        counts: *c,
        first_time: session.first_time_ns.map(seconds),
        last_time: session.last_time_ns.map(seconds),
        duration: seconds(session.duration_ns()),
        backward_steps: session.clock.backward_steps,
        first_backward_frame: session.clock.first_backward_frame,
        clock_jump: session.clock.jump(session.duration_ns()).map(|(frame, ns)| ClockJumpJson { frame, seconds: seconds(ns) }),
        undecodable_frames: session
            .undecodable
            .iter()
            .map(|u| UndecodableJson { frame: u.frame, through: u.through, reason: u.reason })
            .collect(),
        untimed_frames: session.clock.untimed.iter().map(|&(a, b)| [a, b]).collect(),
    }
}

pub(crate) fn errors_json(session: &Session) -> Vec<ErrorJson> {
    session
        .damage
        .iter()
        .map(|d| ErrorJson { message: d.message.clone(), offset: d.offset, frame: d.after_frame })
        .collect()
}

/// The whole report as pretty-printed JSON.
pub fn to_json(session: &Session) -> String {
    serde_json::to_string_pretty(&AnalyzeReport::from_session(session)).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"))
}
