//! The analysis service the worker runs: it reads a capture a piece at a time and answers the
//! page's questions (a window of the connection list, a layout, a segment's detail) from what
//! has been read so far. Plain Rust, so it is tested natively; `src/bin/worker/main.rs` only
//! connects it to `postMessage` and to the `File`.

pub mod protocol;

use crate::capture::{link_type_name, Container};
use crate::decode::header_fields;
use crate::diagram::lesson::{lesson_step, LessonStep};
use crate::diagram::{explain, layout, segment_label, Ladder, LadderOptions};
use crate::listing::{matching, row, SortKey};
use crate::reanalysis::FrameToRead;
use crate::session::{Session, SessionBuilder};
use crate::follow::{follow, ChunkKind, FollowPlan};
use crate::graph::{graph_data, GraphData, GraphRequest};
use protocol::{CaptureSummary, DetailField, DetailLayer, FollowChunkView, FollowPage, ListPage, Progress, SegmentDetail};

/// Chunks one follow request may ask for.
pub const MAX_FOLLOW_CHUNKS: u32 = 500;

/// Undecodable frames listed by name in the summary (all are counted).
const UNDECODABLE_LISTED: usize = 200;
/// Rows one list request may ask for.
const MAX_ROWS: u32 = 1000;

/// Where the bytes of a frame are, for the packet detail view.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FrameBytes {
    /// In the service's memory (a gzip file's inflated copy): `detail` finds them itself.
    InMemory,
    /// At this offset and length in the file: the worker reads them and hands them over.
    InFile { offset: u64, len: u32 },
}

/// A list order computed for one query and sort over the connections known at the time.
struct ListCache {
    query: String,
    sort: SortKey,
    reverse: bool,
    /// Frames read when it was computed: a growing capture invalidates it.
    frames: u64,
    order: Vec<u32>,
    /// The query could not be read: why.
    error: Option<String>,
}

enum Phase {
    Idle,
    Reading(Box<SessionBuilder>),
    Read(Box<Session>),
}

/// The worker stops reading before wasm32's 4 GiB address space runs out (Chromium's worker
/// then dies with "unreachable" and everything read is lost): at this much memory it keeps
/// what it has and says where it stopped. A quarter is left for laying out and listing.
pub const MEMORY_LIMIT: u64 = 3 << 30;

pub struct Service {
    phase: Phase,
    /// The followed stream last asked for (paging through it asks again and again).
    follow_cache: Option<(u32, u64, std::rc::Rc<FollowPlan>)>,
    total_bytes: u64,
    list: Option<ListCache>,
    memory_limit: u64,
    /// Reading stopped because memory reached the limit.
    stopped_for_memory: bool,
    /// Keep only where each segment is, and re-analyse a connection from the file when it is
    /// asked about (the worker; see [`crate::reanalysis`]).
    placed: bool,
}

/// At most this much of the file is read per batch of a connection's frames read again (a
/// connection of a whole gigabyte is read in pieces, never at once).
pub const REREAD_BATCH: u64 = 8 << 20;

impl Default for Service {
    fn default() -> Self {
        Self::new()
    }
}

impl Service {
    pub fn new() -> Self {
        Service { phase: Phase::Idle, follow_cache: None, total_bytes: 0, list: None, memory_limit: MEMORY_LIMIT, stopped_for_memory: false, placed: false }
    }

    /// A service that keeps only where each segment is (32 bytes, not the 88 of an analysed
    /// one) and analyses a connection again from its frames when it is asked about: before
    /// asking about a connection's segments (layout, lesson, detail, graph, follow), read the
    /// frames [`Service::frames_to_read`] names and hand them to [`Service::give_frames`],
    /// until it names none.
    pub fn placed() -> Self {
        Service { placed: true, ..Self::new() }
    }

    /// Stops reading the next file at `bytes` of memory.
    pub fn set_memory_limit(&mut self, bytes: u64) {
        self.memory_limit = bytes;
    }

    /// A service that stops reading at `bytes` of memory instead of [`MEMORY_LIMIT`].
    pub fn with_memory_limit(bytes: u64) -> Self {
        Service { memory_limit: bytes, ..Self::new() }
    }

    /// Starts reading a new file of `total_bytes`; the previous one is dropped.
    pub fn open(&mut self, total_bytes: u64) {
        let builder = if self.placed { SessionBuilder::placed(Some(total_bytes)) } else { SessionBuilder::new(Some(total_bytes)) };
        self.phase = Phase::Reading(Box::new(builder));
        self.follow_cache = None;
        self.total_bytes = total_bytes;
        self.list = None;
        self.stopped_for_memory = false;
    }

    /// Reads the next piece. `Err`: the file is not a capture (the message says what it is).
    pub fn push(&mut self, piece: &[u8]) -> Result<(), String> {
        let Phase::Reading(builder) = &mut self.phase else { return Ok(()) };
        let result = builder.push(piece).map_err(|e| e.message);
        if result.is_err() {
            self.phase = Phase::Idle;
        } else {
            // The worker's whole memory in the browser (one instruction); natively, where that
            // is 0, the session's own estimate (a walk over its connections).
            let used = match memory_bytes() {
                0 => builder.session().memory_bytes() as u64,
                wasm => wasm,
            };
            self.stopped_for_memory = used >= self.memory_limit;
        }
        result
    }

    /// More bytes would be read (no damage found, not finished, memory left).
    pub fn wants_more(&self) -> bool {
        !self.stopped_for_memory && matches!(&self.phase, Phase::Reading(b) if !b.stopped())
    }

    /// The end of the file, or of what the user let us read (`cancelled`).
    pub fn finish(&mut self, cancelled: bool) -> Result<CaptureSummary, String> {
        let Phase::Reading(builder) = std::mem::replace(&mut self.phase, Phase::Idle) else {
            return Err("no file is being read".to_string());
        };
        let bytes_read = builder.bytes_read();
        let memory_stop = self.stopped_for_memory && !cancelled;
        let finished = if cancelled || memory_stop { builder.stop_here() } else { builder.finish() };
        let mut session = finished.map_err(|e| e.message)?;
        if memory_stop {
            session.damage = Some(crate::session::memory_limit_damage(&session, bytes_read, self.total_bytes, self.memory_limit));
        } else if cancelled {
            session.damage = Some(crate::capture::Damage {
                message: format!(
                    "reading was cancelled after {bytes_read} of {} bytes; the frames before that are shown",
                    self.total_bytes
                ),
                offset: bytes_read,
                after_frame: session.format.frames(),
            });
        }
        self.list = None;
        self.phase = Phase::Read(Box::new(session));
        let mut summary = self.summary().unwrap_or_default();
        summary.cancelled = cancelled;
        Ok(summary)
    }

    /// What has been read: the finished session, or the one still growing.
    pub fn session(&self) -> Option<&Session> {
        match &self.phase {
            Phase::Idle => None,
            Phase::Reading(b) => Some(b.session()),
            Phase::Read(s) => Some(s),
        }
    }

    fn session_mut(&mut self) -> Option<&mut Session> {
        match &mut self.phase {
            Phase::Idle => None,
            Phase::Reading(b) => Some(b.session_mut()),
            Phase::Read(s) => Some(s),
        }
    }

    /// The next frames of connection `stream` to read from the file (at most
    /// [`REREAD_BATCH`] bytes of it) before its segments are all at hand; empty when they are.
    /// A gzip file's frames are in memory: those are re-analysed here at once.
    /// While the file is read, the connection's segments read after it was first asked about
    /// are handed over by the reader, not read again.
    pub fn frames_to_read(&mut self, stream: u32) -> Vec<FrameToRead> {
        let Some(session) = self.session_mut() else { return Vec::new() };
        if session.keeps_packets() {
            return Vec::new();
        }
        if session.inflated.is_some() {
            session.reanalyse_from(stream, &[]);
            return Vec::new();
        }
        session.frames_to_reanalyse(stream, REREAD_BATCH)
    }

    /// The bytes of `frames` (as [`Service::frames_to_read`] named them; `None`: could not be
    /// read), read from the file.
    pub fn give_frames(&mut self, stream: u32, frames: &[FrameToRead], bytes: &[Option<Vec<u8>>]) {
        let Some(session) = self.session_mut() else { return };
        let bytes: Vec<Option<&[u8]>> = bytes.iter().map(|b| b.as_deref()).collect();
        session.reanalyse(stream, frames, &bytes);
    }

    /// Why the segments of `stream` could not all be analysed again (the file changed since
    /// it was read, or could not be read).
    pub fn reanalysis_failure(&self, stream: u32) -> Option<String> {
        self.session()?.reanalysis_failure(stream).map(str::to_string)
    }

    /// Re-analyses connection `stream` from `file`, the whole file in memory (native callers
    /// and tests of a placed service; the worker reads the frames from its `File` instead).
    pub fn reanalyse_from(&mut self, stream: u32, file: &[u8]) {
        if let Some(session) = self.session_mut() {
            session.reanalyse_from(stream, file);
        }
    }

    /// Frames read so far, or in all once reading has ended.
    fn frames(&self) -> u64 {
        match &self.phase {
            Phase::Idle => 0,
            Phase::Reading(b) => b.frames_read(),
            Phase::Read(s) => s.format.frames(),
        }
    }

    pub fn progress(&self) -> Progress {
        let bytes_read = match &self.phase {
            Phase::Reading(b) => b.bytes_read(),
            _ => self.total_bytes,
        };
        let session = self.session();
        Progress {
            bytes_read,
            total_bytes: self.total_bytes,
            frames: self.frames(),
            tcp_packets: session.map_or(0, |s| s.packet_count() as u64),
            connections: session.map_or(0, |s| s.streams().len() as u64),
            memory_bytes: memory_bytes(),
        }
    }

    fn summary(&self) -> Option<CaptureSummary> {
        let s = self.session()?;
        let f = &s.format;
        let c = &s.counts;
        let container = match f.container {
            Container::Pcap if f.nanosecond => "pcap (nanosecond)",
            Container::Pcap => "pcap",
            Container::Pcapng => "pcapng",
        };
        Some(CaptureSummary {
            container: format!("{container}{}", if f.gzip { ", gzip" } else { "" }),
            link_types: f.link_types.iter().map(|&l| link_type_name(l)).collect(),
            frames: f.packets,
            tcp: c.tcp,
            udp: c.udp,
            other: c.icmp + c.other_ip + c.ip_fragments + c.non_ip + c.undecodable,
            ip_fragments: c.ip_fragments,
            truncated_packets: f.truncated_packets,
            connections: s.streams().len() as u64,
            duration_ns: s.duration_ns(),
            first_time_ns: s.first_time_ns,
            last_time_ns: s.last_time_ns,
            clock_jump: s.clock.jump(s.duration_ns()),
            backward_steps: s.clock.backward_steps,
            first_backward_frame: s.clock.first_backward_frame,
            undecodable: s
                .undecodable
                .iter()
                .take(UNDECODABLE_LISTED)
                .map(|u| (if u.through > u.frame { format!("frames {}–{}", u.frame, u.through) } else { format!("frame {}", u.frame) }, u.reason.to_string()))
                .collect(),
            undecodable_total: c.undecodable,
            damage: s.damage.as_ref().map(ToString::to_string),
            cancelled: false,
            progress: self.progress(),
        })
    }

    /// Rows `from..from + count` of the connections matching `query`, in `sort` order.
    pub fn list(&mut self, query: &str, sort: SortKey, from: u32, count: u32) -> ListPage {
        self.list_ordered(query, sort, false, from, count)
    }

    /// The same, smallest first (or in reverse capture order) with `reverse`.
    pub fn list_ordered(&mut self, query: &str, sort: SortKey, reverse: bool, from: u32, count: u32) -> ListPage {
        let frames = self.frames();
        let Some(session) = self.session() else { return ListPage::default() };
        let streams = session.streams();
        let count = count.min(MAX_ROWS);
        // Capture order with no filter needs no index at all (the list of a capture that is
        // still being read is asked for often).
        let (matching_count, indices): (u32, Vec<u32>) = if query.trim().is_empty() && sort == SortKey::Stream && !reverse {
            let end = from.saturating_add(count).min(streams.len() as u32);
            (streams.len() as u32, (from.min(end)..end).collect())
        } else {
            // While reading, a filtered or sorted order is recomputed only when the capture has
            // grown by a tenth since: on a million connections a recomputation takes a while,
            // and reading must go on (rows still show current counts; new connections join
            // the order at the next recomputation, and at the end).
            let reading = matches!(self.phase, Phase::Reading(_));
            let fresh = self.list.as_ref().is_some_and(|c| {
                c.query == query && c.sort == sort && c.reverse == reverse && (c.frames == frames || (reading && frames - c.frames < c.frames / 10 + 1))
            });
            if !fresh {
                let (order, error) = match matching(streams, query, sort, reverse, &|f| session.stream_of_frame(f)) {
                    Ok(order) => (order, None),
                    Err(why) => (Vec::new(), Some(why)),
                };
                self.list = Some(ListCache { query: query.to_string(), sort, reverse, frames, order, error });
            }
            let order = &self.list.as_ref().expect("just computed").order;
            let start = (from as usize).min(order.len());
            let end = start.saturating_add(count as usize).min(order.len());
            (order.len() as u32, order[start..end].to_vec())
        };
        let session = self.session().expect("checked above");
        let streams = session.streams();
        let error = self.list.as_ref().filter(|c| c.query == query).and_then(|c| c.error.clone());
        ListPage {
            query: query.to_string(),
            sort,
            reverse,
            error,
            from,
            matching: matching_count,
            total: streams.len() as u32,
            rows: indices.iter().map(|&i| row(&streams[i as usize])).collect(),
        }
    }

    pub fn layout(&self, stream: u32, options: &LadderOptions) -> Option<Ladder> {
        layout(self.session()?, stream, options)
    }

    /// The step-through lesson at segment `index` of `stream`.
    pub fn lesson(&self, stream: u32, index: usize) -> Option<LessonStep> {
        lesson_step(self.session()?, stream, index)
    }

    /// Where the bytes of segment `index` of `stream` are.
    pub fn frame_bytes(&self, stream: u32, index: usize) -> Option<FrameBytes> {
        let session = self.session()?;
        let packet = session.stream_packet(stream, index)?;
        Some(if session.inflated.is_some() {
            FrameBytes::InMemory
        } else {
            FrameBytes::InFile { offset: packet.data_offset, len: packet.cap_len }
        })
    }

    /// Segment `index` of `stream` in words, with its header fields and bytes. `file_bytes`
    /// are the frame's bytes read from the file (see [`Service::frame_bytes`]).
    pub fn detail(&self, stream: u32, index: usize, file_bytes: Option<&[u8]>) -> Option<SegmentDetail> {
        let session = self.session()?;
        let packet = session.stream_packet(stream, index)?;
        let data = match (&session.inflated, file_bytes) {
            (Some(_), _) => session.frame_data(&[], &packet),
            (None, Some(bytes)) => bytes,
            (None, None) => &[],
        };
        let layers = header_fields(u32::from(packet.link_type), data)
            .into_iter()
            .map(|layer| DetailLayer {
                name: layer.name,
                fields: layer
                    .fields
                    .into_iter()
                    .map(|f| DetailField { name: f.name.to_string(), value: f.value, meaning: f.meaning.to_string(), start: f.start, len: f.len })
                    .collect(),
            })
            .collect();
        Some(SegmentDetail {
            frame: packet.frame,
            time: packet.time_ns as f64 / 1e9,
            label: segment_label(&packet, false),
            explanation: explain(session, stream, index).unwrap_or_default(),
            layers,
            bytes: data.to_vec(),
        })
    }
}

impl Service {
    /// A stream graph (see [`crate::graph`]).
    pub fn graph(&self, request: &GraphRequest) -> Option<GraphData> {
        graph_data(self.session()?, request)
    }

    /// The follow plan of `stream`, kept for the next page (made again when more of the file
    /// has been read).
    pub fn follow_plan(&mut self, stream: u32) -> Option<std::rc::Rc<FollowPlan>> {
        let session = self.session()?;
        session.streams().get(stream as usize)?;
        let packets = session.stream_index_len(stream) as u64;
        if let Some((s, n, plan)) = &self.follow_cache {
            if *s == stream && *n == packets {
                return Some(plan.clone());
            }
        }
        let plan = std::rc::Rc::new(follow(session, stream));
        self.follow_cache = Some((stream, packets, plan.clone()));
        Some(plan)
    }

    /// Where the bytes of chunks `from..from + count` are: per chunk, the frame's place in
    /// the file (`None`: a gap, or the bytes are in memory).
    pub fn follow_places(&mut self, stream: u32, from: u32, count: u32) -> Vec<Option<(u64, u32)>> {
        let Some(plan) = self.follow_plan(stream) else { return Vec::new() };
        let Some(session) = self.session() else { return Vec::new() };
        let (start, end) = page_bounds(plan.chunks.len(), from, count);
        plan.chunks[start..end]
            .iter()
            .map(|c| match (c.kind, &session.inflated) {
                (ChunkKind::Bytes { .. }, None) => session.stream_packet(stream, c.index as usize).map(|p| (p.data_offset, p.cap_len)),
                _ => None,
            })
            .collect()
    }

    /// Chunks `from..from + count` of `stream` with their bytes; `frames` are the frames
    /// [`Service::follow_places`] named, read from the file, in the same order.
    pub fn follow_page(&mut self, stream: u32, from: u32, count: u32, frames: &[Option<Vec<u8>>]) -> Option<FollowPage> {
        let plan = self.follow_plan(stream)?;
        let session = self.session()?;
        let s = session.streams().get(stream as usize)?;
        let (start, end) = page_bounds(plan.chunks.len(), from, count);
        let mut missing = [0u64; 2];
        // Bytes per direction before each chunk of the page.
        let mut before = [0u64; 2];
        let mut offsets = Vec::with_capacity(end - start);
        for (i, c) in plan.chunks.iter().enumerate() {
            let side = usize::from(!c.from_client);
            if (start..end).contains(&i) {
                offsets.push(before[side]);
            }
            match c.kind {
                ChunkKind::Gap { len, .. } => missing[side] += u64::from(len),
                ChunkKind::Bytes { len, .. } => before[side] += u64::from(len),
            }
        }
        let chunks = plan.chunks[start..end]
            .iter()
            .enumerate()
            .map(|(i, c)| {
                let (gap, bytes) = match c.kind {
                    ChunkKind::Gap { len, .. } => (Some(len), Vec::new()),
                    ChunkKind::Bytes { .. } => {
                        let packet = session.stream_packet(stream, c.index as usize);
                        let frame: &[u8] = match (&session.inflated, frames.get(i)) {
                            (Some(_), _) => packet.as_ref().map_or(&[][..], |p| session.frame_data(&[], p)),
                            (None, Some(Some(bytes))) => bytes,
                            _ => &[],
                        };
                        let payload = packet.map_or(&[][..], |p| p.payload(frame));
                        (None, c.bytes(payload).into_owned())
                    }
                };
                FollowChunkView { frame: c.frame, index: c.index, from_client: c.from_client, seq: c.seq, offset: offsets[i], gap, bytes }
            })
            .collect();
        Some(FollowPage {
            stream,
            from: start as u32,
            total: plan.chunks.len() as u32,
            bytes: plan.bytes,
            missing,
            unplaced: plan.unplaced,
            client: s.client.to_string(),
            server: s.server.to_string(),
            chunks,
        })
    }
}

/// The chunk range a follow request covers, within the plan and at most
/// [`MAX_FOLLOW_CHUNKS`] long.
fn page_bounds(len: usize, from: u32, count: u32) -> (usize, usize) {
    let end = (from.saturating_add(count.min(MAX_FOLLOW_CHUNKS)) as usize).min(len);
    ((from as usize).min(end), end)
}

/// Reads to make for frames at `places` (offset, length; `None`: nothing to read): ranges of
/// the file, each covering frames less than `max_gap` bytes apart, so a page of a followed
/// stream is a few reads rather than one per frame. Returns the ranges (start, end) and per
/// place its range and offset within it.
pub fn coalesce_reads(places: &[Option<(u64, u32)>], max_gap: u64) -> (Vec<(u64, u64)>, Vec<Option<(usize, usize)>>) {
    let mut order: Vec<(usize, u64, u64)> = places.iter().enumerate().filter_map(|(i, p)| p.map(|(at, len)| (i, at, at + u64::from(len)))).collect();
    order.sort_by_key(|&(_, at, _)| at);
    let mut ranges: Vec<(u64, u64)> = Vec::new();
    let mut where_: Vec<Option<(usize, usize)>> = vec![None; places.len()];
    for (i, at, end) in order {
        match ranges.last_mut() {
            Some(last) if at <= last.1.saturating_add(max_gap) => last.1 = last.1.max(end),
            _ => ranges.push((at, end)),
        }
        let r = ranges.len() - 1;
        where_[i] = Some((r, (at - ranges[r].0) as usize));
    }
    (ranges, where_)
}

/// Whether `haystack` holds `needle`, ASCII letters in any case.
pub fn contains_ignoring_case(haystack: &[u8], needle: &[u8]) -> bool {
    !needle.is_empty() && haystack.windows(needle.len()).any(|w| w.eq_ignore_ascii_case(needle))
}

/// The worker's wasm memory in bytes (it only grows, so this is also the peak); 0 natively.
fn memory_bytes() -> u64 {
    #[cfg(target_arch = "wasm32")]
    {
        (std::arch::wasm32::memory_size::<0>() as u64) * 65_536
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        0
    }
}
