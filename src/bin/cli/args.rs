//! The command line's arguments (clap derive): each subcommand's options, their help, and the
//! text the manual page and the shell completions are generated from.

use std::path::PathBuf;

use clap::builder::TypedValueParser as _;
use clap::{Args, Parser, Subcommand, ValueEnum};
use tcp_ladder::graph::GraphKind;

const EXIT_STATUS: &str = "\
EXIT STATUS:
  0  the whole file was read
  1  the file is damaged part-way; the output holds everything before the damage (the
     reason is printed on standard error)
  2  nothing could be read, an argument is wrong, or the connection asked for is not in the
     file (the reason is printed on standard error)

FILE is a pcap or pcapng capture, optionally gzip-compressed; - reads standard input
(tcpdump -w - | tcp-ladder analyze -). Names follow Wireshark's fields (tcp.stream, tcp.seq …).";

#[derive(Debug, Parser)]
#[command(name = "tcp-ladder", version, about = "TCP ladder diagrams and Wireshark's TCP analysis from packet captures", after_help = EXIT_STATUS, propagate_version = true)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    Analyze(AnalyzeArgs),
    Render(RenderArgs),
    Follow(FollowArgs),
    Graph(GraphArgs),
    Explain(ExplainArgs),
    Messages(MessagesArgs),
    Merge(MergeArgs),
    /// Print a completion script for a shell (e.g. `tcp-ladder completions bash >
    /// ~/.local/share/bash-completion/completions/tcp-ladder`)
    Completions {
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print the manual page (roff) of the tool or of one subcommand (`tcp-ladder man | man -l -`)
    Man {
        /// analyze, render, follow, graph, explain, messages or merge
        subcommand: Option<String>,
    },
}

/// Print each connection's application messages: HTTP/1.x requests and responses, TLS records
/// with their handshake messages, DNS over TCP, SMTP, FTP, POP3, IMAP, SSH and Redis, and bytes
/// read as none of them
///
/// Read from the followed stream (each byte once, as Follow TCP Stream gives it), the protocol
/// told by content, not by port. Each message names the frame that brings its first byte and
/// the one that completes it (where Wireshark reports it).
#[derive(Debug, Args)]
pub struct MessagesArgs {
    /// The capture (pcap or pcapng, optionally gzip-compressed); - reads standard input
    pub file: PathBuf,
    /// Only connection N (its tcp.stream index)
    #[arg(long, value_name = "N")]
    pub stream: Option<u32>,
    /// One JSON document, one object per connection per line, or one line per message
    #[arg(long, value_enum, default_value_t = MessagesFormat::Text)]
    pub format: MessagesFormat,
    /// Where to write (standard output if not given)
    #[arg(short, long, value_name = "OUT")]
    pub output: Option<PathBuf>,
}

/// Line up two captures of the same connections taken at two points of the path
///
/// Each connection of A is paired with its connection in B and their segments matched one to
/// one; B's clock is compared with A's (offset, drift, and the bound on the offset whatever the
/// two ways' delays), with the one-way delay between the points each way, and what was lost
/// between them or seen at one point only. Exit status 1 if either file is damaged part-way.
#[derive(Debug, Args)]
pub struct MergeArgs {
    /// The first capture (pcap or pcapng, optionally gzip-compressed)
    pub a: PathBuf,
    /// The second capture
    pub b: PathBuf,
    /// One JSON document, one JSON object per line (`record`: connection, unmatched, note), a
    /// few lines of text per connection, or CSV of every segment's one-way delay between the
    /// points (the delay over time, each way: queueing shows as growth)
    #[arg(long, value_enum, default_value_t = MergeFormat::Text)]
    pub format: MergeFormat,
    /// Draw connection N of A (its tcp.stream index) as one ladder with both capture points
    /// (SVG) instead
    #[arg(long, value_name = "N")]
    pub svg: Option<u32>,
    /// B's clock minus A's in milliseconds, set by hand (a clock known from elsewhere, or to see
    /// what another offset would mean): used for every delay instead of the estimate, with no
    /// drift; the estimate is still reported beside it
    #[arg(long, value_name = "MS", allow_negative_numbers = true)]
    pub offset_ms: Option<f64>,
    /// Where to write (standard output if not given)
    #[arg(short, long, value_name = "OUT")]
    pub output: Option<PathBuf>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum MergeFormat {
    Json,
    Ndjson,
    Text,
    Csv,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum MessagesFormat {
    Json,
    Ndjson,
    Text,
}

/// The capture to read and the connection to use.
#[derive(Debug, Args)]
pub struct FileAndStream {
    /// The capture (pcap or pcapng, optionally gzip-compressed); - reads standard input
    pub file: PathBuf,
    /// The connection, by its tcp.stream index (0 is the first connection in the file)
    #[arg(long, value_name = "N")]
    pub stream: u32,
    /// Where to write (standard output if not given)
    #[arg(short, long, value_name = "OUT")]
    pub output: Option<PathBuf>,
}

/// Print the analysis of a capture as JSON, written as the file is read
///
/// The file is read a piece at a time and each packet's row is written as soon as it is
/// analysed; a connection's summary once the file has been read. (A gzip-compressed file is
/// inflated whole before its first row.) Members, in order:
///
///   packets  one per TCP frame: frame, stream, time_relative, src, srcport, dst, dstport,
///            flags (FIN,SYN,RST,PSH,ACK,URG,ECE,CWR,AE), seq/ack (relative),
///            seq_raw/ack_raw, nxtseq, len, window_size (scaled), window_size_value,
///            window_scale, truncated, analysis (tcp.analysis.* flag names),
///            dup_ack_num, dup_ack_of, acks_frame, ack_rtt, bytes_in_flight, options
///
///   streams  one per TCP connection, by tcp.stream index: client/server {addr, port},
///            packets (and _c2s/_s2c), payload_bytes_c2s/_s2c (every copy),
///            distinct_payload_bytes_c2s/_s2c (each sequence number once),
///            retransmitted_bytes_c2s/_s2c, captured_twice_bytes_c2s/_s2c, first_frame, last_frame, completeness
///            (Wireshark's tcp.completeness bits), started_before_capture, open/close
///            shapes, states {client, server}: [{state, frame, cause, evidence, by,
///            inferred}] (each endpoint's RFC 9293 states from the ACK-field evidence),
///            capture_point {near, client_ms, server_ms} or null, conn_state, history,
///            irtt, syn_options, recovery: [{from_client, kind (loss|spurious|reordering),
///            first_frame, last_frame, duration_ns, resends [{frame, kind, not_needed}],
///            segments_repaired, dup_acks_before, sacks_before, trigger, caption, …}]
///            (loss-recovery episodes, inferred from the packets; README),
///            congestion (ESTIMATED from the capture, per sending
///            direction: sender, estimated, mss, rounds, max_flight_bytes/_segments,
///            max_cwnd_estimate, phases [{phase, first_round, last_round, first_frame,
///            last_frame, start_ns, end_ns, max_flight_segments, last_estimate}],
///            reductions [{loss_round, frame, kind, before_segments, after_segments,
///            after_round, ratio, data_ended: the frame of the sender's FIN when it went
///            before the resend, so nothing new was left to show the cut window}])
///
///   format   container (pcap|pcapng), gzip, byte_order, nanosecond, link_types,
///            packets (every frame in the file), truncated_packets
///
///   summary  frame counts per protocol (tcp, udp, icmp, other_ip, ip_fragments, non_ip,
///            undecodable with the frame numbers and reasons), first/last time, duration
///
///   errors   where the file is damaged: message, offset (bytes), frame (last good frame)
///
/// With --format ndjson each packet, stream, the format, the summary and each error is one
/// line, an object whose first member `record` says which (packet, stream, format, summary,
/// error).
#[derive(Debug, Args)]
pub struct AnalyzeArgs {
    /// The capture (pcap or pcapng, optionally gzip-compressed); - reads standard input
    pub file: PathBuf,
    /// One JSON document, or one object per line
    #[arg(long, value_enum, default_value_t = AnalyzeFormat::Json)]
    pub format: AnalyzeFormat,
    /// Connections only: no per-packet rows
    #[arg(long)]
    pub streams_only: bool,
    /// Only connection N (its tcp.stream index): its packets and its summary
    #[arg(long, value_name = "N")]
    pub stream: Option<u32>,
    /// Each stream's application messages in its summary (app_protocol, and messages: dir,
    /// first_frame, last_frame, start, end, summary, what), as `tcp-ladder messages` gives
    /// them; the whole file is then read into memory and analysed twice
    #[arg(long)]
    pub messages: bool,
    /// A second capture of the same connections from another point of the path: each stream
    /// seen in both gains `merge` (as `tcp-ladder merge FILE B --format json` gives it:
    /// stream_b, offset_ns, drift_ppm, uncertainty_ns, path_ms, lost_between, only_in_a,
    /// only_in_b, turns …); both files are then read into memory
    #[arg(long, value_name = "B")]
    pub merge_with: Option<PathBuf>,
    /// Stop reading once the analysis holds N MiB (as the page's worker does at 3 GiB): what
    /// was read is written and the damage says where (exit status 1)
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(1..))]
    pub memory_limit_mb: Option<u64>,
    /// Where to write (standard output if not given)
    #[arg(short, long, value_name = "OUT")]
    pub output: Option<PathBuf>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum AnalyzeFormat {
    Json,
    Ndjson,
}

/// Draw one connection as a ladder diagram, with the same layout as the web page
///
/// Long runs of plain data/ACK segments collapse into one row unless --expand-all. SVG is
/// byte-identical to the page's export.
#[derive(Debug, Args)]
pub struct RenderArgs {
    #[command(flatten)]
    pub target: FileAndStream,
    /// SVG (the page's export), Mermaid or PlantUML text
    #[arg(long, value_enum, default_value_t = RenderFormat::Svg)]
    pub format: RenderFormat,
    /// Absolute sequence and acknowledgement numbers (relative by default)
    #[arg(long)]
    pub absolute: bool,
    /// Space the rows by the time between segments
    #[arg(long)]
    pub by_time: bool,
    /// Draw every segment (no collapsed runs)
    #[arg(long)]
    pub expand_all: bool,
    /// even: one row per segment; timing: each arrow from its estimated send time to its
    /// estimated arrival, through the capture point
    #[arg(long, value_enum, default_value_t = View::Even)]
    pub view: View,
    /// The client's name in the diagram
    #[arg(long, value_name = "NAME")]
    pub client_name: Option<String>,
    /// The server's name in the diagram
    #[arg(long, value_name = "NAME")]
    pub server_name: Option<String>,
    /// Leave every address and port out (the endpoints are named client and server, or as
    /// --client-name/--server-name say)
    #[arg(long)]
    pub hide_addresses: bool,
    /// Leave the application's messages (HTTP, TLS, DNS) off the arrows: TCP numbers only
    #[arg(long)]
    pub hide_messages: bool,
    /// Say the application's messages by their type and size only ("HTTP request, 91 B"): no
    /// method, target, status, name or command
    #[arg(long)]
    pub hide_app_data: bool,
    /// Stop reading once the analysis holds N MiB
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(1..))]
    pub memory_limit_mb: Option<u64>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum RenderFormat {
    Svg,
    Mermaid,
    Plantuml,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum View {
    Even,
    Timing,
}

/// A connection's payload as Wireshark's Follow TCP Stream gives it
///
/// Each byte once, in capture order, gaps where the capture missed bytes the receiver
/// acknowledged. json: {stream, client, server, chunks: [{frame, dir, hex}], gaps: [{dir, seq,
/// len, before_frame}]}; text: readable characters, other bytes as dots, the server's lines
/// indented by a tab; raw: the bytes.
#[derive(Debug, Args)]
pub struct FollowArgs {
    #[command(flatten)]
    pub target: FileAndStream,
    /// json (chunks and gaps), text (readable characters) or raw (the bytes)
    #[arg(long, value_enum, default_value_t = FollowFormat::Json)]
    pub format: FollowFormat,
    /// One direction only (raw): c2s, client to server, or s2c
    #[arg(long, value_enum)]
    pub dir: Option<FollowDirection>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FollowFormat {
    Json,
    Text,
    Raw,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FollowDirection {
    C2s,
    S2c,
}

/// A stream graph of one connection, as CSV or SVG
///
/// CSV: one row per segment; time is seconds since the capture's first frame, dir is c2s or
/// s2c. Columns: tseq time,frame,dir,seq,len,ack,win; rtt time,frame,rtt
/// (tcp.analysis.ack_rtt); window time,frame,dir,window (tcp.window_size, scaled); inflight
/// time,frame,dir,bytes_in_flight,cwnd_estimated_bytes (the round's estimated congestion
/// window, estimated from the capture; empty where none); throughput and goodput
/// time,dir,bytes_per_s (over a sliding window sized from the round trip and the connection's length).
#[derive(Debug, Args)]
pub struct GraphArgs {
    #[command(flatten)]
    pub target: FileAndStream,
    /// Which graph: time-sequence, throughput, goodput, round-trip time, window, bytes in flight
    #[arg(long, value_parser = graph_kind())]
    pub kind: GraphKind,
    /// CSV rows, or the graph as an SVG picture
    #[arg(long, value_enum, default_value_t = GraphFormat::Csv)]
    pub format: GraphFormat,
}

/// The graph kinds by the names the library gives them (the page's and the CSV's).
fn graph_kind() -> impl clap::builder::TypedValueParser<Value = GraphKind> {
    clap::builder::PossibleValuesParser::new(GraphKind::ALL.map(GraphKind::name)).map(|name| GraphKind::parse(&name).unwrap_or_default())
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum GraphFormat {
    Csv,
    Svg,
}

/// What the page says about one connection, in words
///
/// Its phases with their captions, each endpoint's RFC 9293 states with their evidence, and
/// every segment's explanation (for bytes sent again: why, as inferred from the packets) — the
/// same sentences as the page, from the same facts. json: {stream, client, server, phases:
/// [{kind, title, caption, first_frame, last_frame}], states: {client, server: [{state, frame,
/// cause, inferred, why}]}, segments: [{frame, index, from_client, label, explanation, resend:
/// null or {kind (fast_retransmit, tail_loss_probe, timeout, unexplained), likely, earlier_frame,
/// since_earlier_ns, since_last_send_ns, dup_acks, sacked_above, in_stall, not_needed: null or
/// {d_sack: FRAME} or {ack_too_soon: FRAME}, …}}]}; text: the same as sentences.
#[derive(Debug, Args)]
pub struct ExplainArgs {
    #[command(flatten)]
    pub target: FileAndStream,
    /// text (sentences) or json (the same, with the facts as fields)
    #[arg(long, value_enum, default_value_t = ExplainFormat::Text)]
    pub format: ExplainFormat,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ExplainFormat {
    Text,
    Json,
}
