//! What the page and the analysis worker say to each other, as JSON over `postMessage`.
//! Only view-ready data crosses: rows, layouts, a segment's detail, counts. The capture and
//! its analysis stay in the worker.

use serde::{Deserialize, Serialize};

use crate::diagram::lesson::LessonStep;
use crate::diagram::{Ladder, LadderOptions};
use crate::listing::{Row, SortKey};

/// Page → worker. (Opening a file is a separate message: it carries the `File` itself.)
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Request {
    /// Stop reading; what was read so far stays and is shown.
    Cancel,
    /// A window of the connection list: rows `from..from + count` of the matching ones.
    List {
        query: String,
        sort: SortKey,
        /// Smallest first (or reverse capture order).
        #[serde(default)]
        reverse: bool,
        from: u32,
        count: u32,
    },
    /// The ladder of one connection.
    Layout { stream: u32, options: LadderOptions },
    /// One segment in words, its header fields and its bytes.
    Detail { stream: u32, index: usize },
    /// The step-through lesson at one segment: states, variables, acceptability test.
    Lesson { stream: u32, index: usize },
    /// A stream graph of one connection, for a plot so many pixels wide.
    Graph { request: crate::graph::GraphRequest },
    /// Chunks `from..from + count` of one connection's followed stream, with their bytes.
    Follow { stream: u32, from: u32, count: u32 },
    /// The first chunk at or after `from` whose bytes contain `text` (ASCII letters in any
    /// case); it may start in the chunk before.
    FollowSearch { stream: u32, text: String, from: u32 },
    /// Every byte one side sent, as a file to save.
    FollowDownload { stream: u32, from_client: bool },
    /// Of two captures opened together: pair `pair` from its row `first_row`, with B's clock
    /// minus A's set by hand (ns) or as the packets give it (`None`).
    /// `hide_addresses`: the endpoints named by role.
    MergeView {
        pair: usize,
        offset_ns: Option<i64>,
        first_row: usize,
        #[serde(default)]
        hide_addresses: bool,
    },
}

impl Request {
    /// Its name, for the worker's profile.
    pub fn kind(&self) -> &'static str {
        match self {
            Request::Cancel => "cancel",
            Request::List { .. } => "list",
            Request::Layout { .. } => "layout",
            Request::Detail { .. } => "detail",
            Request::Lesson { .. } => "lesson",
            Request::Graph { .. } => "graph",
            Request::Follow { .. } => "follow",
            Request::FollowSearch { .. } => "follow_search",
            Request::FollowDownload { .. } => "follow_download",
            Request::MergeView { .. } => "merge_view",
        }
    }
}

/// Worker → page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Reply {
    /// The worker has started and listens: messages sent before this would be lost.
    Ready,
    Progress(Progress),
    /// Reading ended (the whole file, damage, or cancel): the summary of what was read.
    Done(CaptureSummary),
    /// The file is not a capture we read; nothing was read.
    Failed { message: String },
    /// Two captures opened together, merged (or a new view of them).
    Merged(crate::service::two_points::MergeView),
    List(ListPage),
    /// With the worker's memory after laying it out (a long connection's layout is the
    /// largest thing made after reading).
    Layout { stream: u32, options: LadderOptions, ladder: Option<Ladder>, memory_bytes: u64 },
    Detail { stream: u32, index: usize, detail: Option<SegmentDetail> },
    Lesson { stream: u32, index: usize, step: Option<LessonStep> },
    Graph { request: crate::graph::GraphRequest, data: Option<crate::graph::GraphData> },
    Follow(FollowPage),
    FollowFound { stream: u32, text: String, chunk: Option<u32> },
}

/// A page of a followed stream.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct FollowPage {
    pub stream: u32,
    pub from: u32,
    /// Chunks in the whole stream.
    pub total: u32,
    /// Payload bytes per side (client, server), each byte once; and bytes never captured.
    pub bytes: [u64; 2],
    pub missing: [u64; 2],
    /// Bytes captured out of order and never placed (Wireshark leaves them out too).
    pub unplaced: [u64; 2],
    pub client: String,
    pub server: String,
    pub chunks: Vec<FollowChunkView>,
}

/// One chunk with its bytes (a gap: none, and how many are missing).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FollowChunkView {
    pub frame: u64,
    /// The segment's index in its connection (what the ladder selects).
    pub index: u32,
    pub from_client: bool,
    pub seq: u32,
    /// Bytes of its direction before it (the hex view's offsets count from the stream's start).
    pub offset: u64,
    pub gap: Option<u32>,
    pub bytes: Vec<u8>,
    /// The application's messages whose first byte this segment brings, in words (Follow's
    /// margin; empty until the connection's messages are built).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub begins: Vec<String>,
    /// The same messages by their type and size only (shown with the application's data or the
    /// addresses hidden).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub begins_types: Vec<String>,
}

/// How far reading has got.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Progress {
    pub bytes_read: u64,
    pub total_bytes: u64,
    pub frames: u64,
    pub tcp_packets: u64,
    pub connections: u64,
    /// Bytes of wasm memory the worker has (its peak so far: wasm memory never shrinks).
    pub memory_bytes: u64,
}

/// The capture at a glance, when reading has ended.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct CaptureSummary {
    pub container: String,
    pub link_types: Vec<String>,
    pub frames: u64,
    pub tcp: u64,
    pub udp: u64,
    /// ICMP, other IP protocols, later IP fragments, non-IP, undecodable.
    pub other: u64,
    pub ip_fragments: u64,
    pub truncated_packets: u64,
    pub connections: u64,
    pub duration_ns: i64,
    pub first_time_ns: Option<i64>,
    pub last_time_ns: Option<i64>,
    /// Where the clock jumped (the frame after the jump, the jump), and how often it stepped
    /// back (with the first frame that did), to be said beside the duration.
    #[serde(default)]
    pub clock_jump: Option<(u64, i64)>,
    #[serde(default)]
    pub backward_steps: u64,
    #[serde(default)]
    pub first_backward_frame: Option<u64>,
    /// Runs of frames whose record carries no time (first, last), said beside the times.
    #[serde(default)]
    pub untimed: Vec<(u64, u64)>,
    /// The first runs of undecodable frames ("frame 6", "frames 2–9"; the reason), and how
    /// many frames there are in all.
    pub undecodable: Vec<(String, String)>,
    pub undecodable_total: u64,
    /// Damage part-way through the file, or where reading was cancelled.
    pub damage: Option<String>,
    pub cancelled: bool,
    pub progress: Progress,
}

/// A window of the (filtered, sorted) connection list.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ListPage {
    pub query: String,
    pub sort: SortKey,
    #[serde(default)]
    pub reverse: bool,
    /// The query could not be read: why (nothing matches then).
    #[serde(default)]
    pub error: Option<String>,
    pub from: u32,
    /// Connections matching the query, and connections in all (so far).
    pub matching: u32,
    pub total: u32,
    pub rows: Vec<Row>,
}

/// One header field of the selected segment, with the bytes it occupies.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DetailField {
    pub name: String,
    pub value: String,
    pub meaning: String,
    pub start: usize,
    pub len: usize,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DetailLayer {
    pub name: String,
    pub fields: Vec<DetailField>,
}

/// The selected segment: its label, what it does, its header fields and its captured bytes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SegmentDetail {
    pub frame: u64,
    /// Seconds since the capture's first frame (where the graphs mark the segment).
    #[serde(default)]
    pub time: f64,
    pub label: String,
    pub explanation: String,
    /// What the segment carries of the application's messages, once they are built.
    #[serde(default)]
    pub message: Option<String>,
    pub layers: Vec<DetailLayer>,
    pub bytes: Vec<u8>,
    /// Where the TCP payload starts in `bytes` (the page masks it with the application's data
    /// or the addresses hidden: it may name hosts, paths and people).
    #[serde(default)]
    pub payload_at: u32,
}
