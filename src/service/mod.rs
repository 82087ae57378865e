//! The analysis service the worker runs: it reads a capture a piece at a time and answers the
//! page's questions (a window of the connection list, a layout, a segment's detail) from what
//! has been read so far. Plain Rust, so it is tested natively; `src/bin/worker/main.rs` only
//! connects it to `postMessage` and to the `File`.

mod follow_pages;
mod list;
mod messages_build;
pub mod two_points;
pub mod protocol;
mod views;

pub use follow_pages::{contains_ignoring_case, MAX_FOLLOW_CHUNKS};

use crate::capture::{link_type_name, Container};
use crate::connection::Connection;
use crate::follow::FollowPlan;
use crate::reanalysis::FrameToRead;
use crate::session::{Session, SessionBuilder};
use list::ListCache;
use protocol::{CaptureSummary, Progress};

/// Undecodable frames listed by name in the summary (all are counted).
const UNDECODABLE_LISTED: usize = 200;

/// The file the service answers about: none, being read, or read (to its end or to where
/// reading stopped).
enum FileState {
    Idle,
    Reading(Box<SessionBuilder>),
    Read(Box<Session>),
}

/// The worker stops reading before wasm32's 4 GiB address space runs out (Chromium's worker
/// then dies with "unreachable" and everything read is lost): at this much memory it keeps
/// what it has and says where it stopped. A quarter is left for laying out and listing.
pub const MEMORY_LIMIT: u64 = 3 << 30;

pub struct Service {
    file: FileState,
    /// The followed stream last asked for (paging through it asks again and again).
    follow_cache: Option<(u32, u64, std::rc::Rc<FollowPlan>)>,
    /// The application's messages of the connection last shown (`messages_build.rs`).
    messages_job: Option<messages_build::MessagesJob>,
    total_bytes: u64,
    list: Option<ListCache>,
    memory_limit: u64,
    /// Reading stopped because memory reached the limit.
    stopped_for_memory: bool,
    /// Keep only where each segment is, and re-analyse a connection from the file when it is
    /// asked about (the worker; see [`crate::reanalysis`]).
    placed: bool,
    /// Read no connection's opening (the list's "what"): a benchmark's baseline only, to
    /// measure what reading them costs the worker (`?openings=off`, benches/browser).
    without_openings: bool,
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
        Service { file: FileState::Idle, follow_cache: None, messages_job: None, total_bytes: 0, list: None, memory_limit: MEMORY_LIMIT, stopped_for_memory: false, placed: false, without_openings: false }
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

    /// Reads the next file without the connections' openings (a benchmark's baseline).
    pub fn set_without_openings(&mut self, without: bool) {
        self.without_openings = without;
    }

    /// A service that stops reading at `bytes` of memory instead of [`MEMORY_LIMIT`].
    pub fn with_memory_limit(bytes: u64) -> Self {
        Service { memory_limit: bytes, ..Self::new() }
    }

    /// Starts reading a new file of `total_bytes`; the previous one is dropped.
    pub fn open(&mut self, total_bytes: u64) {
        let builder = if self.placed { SessionBuilder::placed(Some(total_bytes)) } else { SessionBuilder::new(Some(total_bytes)) };
        let builder = if self.without_openings { builder.without_openings() } else { builder };
        self.file = FileState::Reading(Box::new(builder));
        self.follow_cache = None;
        self.messages_job = None;
        self.total_bytes = total_bytes;
        self.list = None;
        self.stopped_for_memory = false;
    }

    /// Reads the next piece. `Err`: the file is not a capture (the message says what it is).
    pub fn push(&mut self, piece: &[u8]) -> Result<(), String> {
        let FileState::Reading(builder) = &mut self.file else { return Ok(()) };
        let result = builder.push(piece).map_err(|e| e.message);
        if result.is_err() {
            self.file = FileState::Idle;
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
        !self.stopped_for_memory && matches!(&self.file, FileState::Reading(b) if !b.stopped())
    }

    /// The end of the file, or of what the user let us read (`cancelled`).
    pub fn finish(&mut self, cancelled: bool) -> Result<CaptureSummary, String> {
        let FileState::Reading(builder) = std::mem::replace(&mut self.file, FileState::Idle) else {
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
        self.file = FileState::Read(Box::new(session));
        let mut summary = self.summary().unwrap_or_default();
        summary.cancelled = cancelled;
        Ok(summary)
    }

    /// What has been read: the finished session, or the one still growing.
    pub fn session(&self) -> Option<&Session> {
        match &self.file {
            FileState::Idle => None,
            FileState::Reading(b) => Some(b.session()),
            FileState::Read(s) => Some(s),
        }
    }

    fn session_mut(&mut self) -> Option<&mut Session> {
        match &mut self.file {
            FileState::Idle => None,
            FileState::Reading(b) => Some(b.session_mut()),
            FileState::Read(s) => Some(s),
        }
    }

    /// Connection `stream` as every answer about it takes it: `None` when there is no such
    /// connection, or (a service that keeps only places) when it has not been read again —
    /// never an empty one.
    fn connection(&self, stream: u32) -> Option<Connection<'_>> {
        self.session()?.connection(stream).ok()
    }

    /// The (inflated) file held in memory, when it was gzip-compressed: frames are then read
    /// from it here, never from the file.
    fn bytes_in_memory(&self) -> Option<&[u8]> {
        self.session()?.inflated.as_deref()
    }

    /// Building connection `stream` in a service that keeps only places is a loop of two
    /// steps, run until this names no frame: this names the next frames to read from the file
    /// (at most [`REREAD_BATCH`] bytes of it), and [`Service::give_frames`] takes their bytes
    /// and analyses them. Empty when its segments are all at hand (always, in a service that
    /// keeps every segment).
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

    /// The second step of building connection `stream` (see [`Service::frames_to_read`]):
    /// the bytes of `frames` as that named them, read from the file (`None`: could not be
    /// read).
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
        match &self.file {
            FileState::Idle => 0,
            FileState::Reading(b) => b.frames_read(),
            FileState::Read(s) => s.format.frames(),
        }
    }

    pub fn progress(&self) -> Progress {
        let bytes_read = match &self.file {
            FileState::Reading(b) => b.bytes_read(),
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
            untimed: s.clock.untimed.clone(),
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

/// Reads to make for frames at `places` (`None`: nothing to read): ranges of the file, each
/// covering frames less than `max_gap` bytes apart, so a batch of a connection read again or a
/// page of a followed stream is a few reads rather than one per frame. Returns the ranges
/// (start, end) and per place its range and offset within it.
pub fn coalesce_reads(places: &[Option<FrameToRead>], max_gap: u64) -> (Vec<(u64, u64)>, Vec<Option<(usize, usize)>>) {
    let mut order: Vec<(usize, u64, u64)> = places.iter().enumerate().filter_map(|(i, p)| p.map(|f| (i, f.offset, f.offset + u64::from(f.len)))).collect();
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
