//! Capture bytes in, analysed session out: every frame goes through the same steps
//! (`Session::add_frame`: decoded and, for TCP, placed in its connection and analysed, by
//! [`crate::tcp::track_frame`]), whichever way the bytes arrive.
//! [`analyze_bytes`] takes a whole file in memory (the command line's `render`, `follow` and
//! `graph`, and most tests; [`analyze_bytes_within`] under `--memory-limit-mb`);
//! [`SessionBuilder`] takes it a piece at a time (the page's worker, through
//! `service::Service`, keeping only where each segment is: [`SessionBuilder::placed`]), and
//! [`SessionBuilder::streaming`] hands each segment over once (`tcp-ladder analyze`, in
//! `report::streaming`).

use crate::capture::{self, CaptureReader, Container, Damage, FormatInfo, NotACapture, RawFrame};
use crate::decode::Decoded;
use crate::paged::PagedVec;
use crate::tcp::lifecycle::{endpoint_states, EndpointStates, OpenShape, Wire};
use crate::reanalysis::{FrameToRead, Reanalysed, SegmentPlace};
use crate::tcp::{track_frame, FrameRead, PackedPacket, SideTables, Stream, TcpPacket, TcpTracker};

/// How many frames of each kind the file holds: nothing read is left uncounted.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ProtocolCounts {
    pub tcp: u64,
    pub udp: u64,
    pub icmp: u64,
    pub other_ip: u64,
    pub ip_fragments: u64,
    pub non_ip: u64,
    pub undecodable: u64,
    /// TCP segments whose header was cut short by the snap length.
    pub tcp_truncated: u64,
}

/// Frames we could not decode, listed so that nothing is lost silently: frames `frame` to
/// `through` in a row, for the same reason (a run is one entry, so a file of millions of
/// empty records lists in a few bytes).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Undecodable {
    pub frame: u64,
    pub through: u64,
    pub reason: &'static str,
}

/// Everything known about one capture file.
#[derive(Debug, Clone)]
pub struct Session {
    pub format: FormatInfo,
    pub damage: Option<Damage>,
    pub counts: ProtocolCounts,
    pub undecodable: Vec<Undecodable>,
    /// Capture time of the first and last frame, ns since the epoch.
    pub first_time_ns: Option<i64>,
    pub last_time_ns: Option<i64>,
    /// Steps back and jumps of the capture's clock.
    pub clock: crate::capture::clock::Clock,
    /// Every connection, by `tcp.stream` index, with the state that places the next segment.
    tracker: TcpTracker,
    /// The segments, as this session keeps them.
    segments: Segments,
    /// TCP segments read.
    segment_count: usize,
    /// The decompressed file, when it was gzip-compressed (frame offsets refer to it).
    pub inflated: Option<Vec<u8>>,
}

/// How a session keeps its segments.
#[derive(Debug, Clone)]
enum Segments {
    /// Every segment analysed and packed (the command line's reports, the tests): any
    /// connection's segments are at hand.
    Packed {
        /// In file order (see [`PackedPacket`]).
        packets: PagedVec<PackedPacket>,
        /// By packet position: options other than timestamps (a few per connection) and
        /// duplicate-ACK numbers.
        side: SideTables,
        /// For each stream, the positions of its segments in `packets`.
        stream_index: Vec<Vec<u32>>,
    },
    /// Only where each segment is (the page's worker, see [`crate::reanalysis`]): a
    /// connection's segments are read from the file again and analysed when it is shown.
    Placed {
        places: PagedVec<SegmentPlace>,
        /// The link type of the segments from each position on (one entry unless the
        /// capture's interfaces differ).
        link_types: Vec<(u32, u16)>,
        /// The connection last re-analysed.
        open: Option<Box<Reanalysed>>,
    },
    /// Not kept (the command line's streaming `analyze`): each segment is handed over once,
    /// through [`Session::take_new_packets`]; connections are still tracked.
    Streamed { new_packets: Vec<TcpPacket> },
}

impl Segments {
    fn packed() -> Self {
        Segments::Packed { packets: PagedVec::default(), side: SideTables::default(), stream_index: Vec::new() }
    }
}

impl Session {
    /// A session with nothing read yet; frames are added in file order.
    fn empty() -> Self {
        Session {
            format: FormatInfo::new(Container::Pcap, false),
            damage: None,
            counts: ProtocolCounts::default(),
            undecodable: Vec::new(),
            first_time_ns: None,
            last_time_ns: None,
            clock: Default::default(),
            tracker: TcpTracker::new(),
            segments: Segments::packed(),
            segment_count: 0,
            inflated: None,
        }
    }

    /// The segments read since the last call, in file order, for a session that does not keep
    /// them (see [`SessionBuilder::streaming`]); always empty for one that does.
    pub fn take_new_packets(&mut self) -> Vec<TcpPacket> {
        match &mut self.segments {
            Segments::Streamed { new_packets } => std::mem::take(new_packets),
            _ => Vec::new(),
        }
    }

    /// Every connection, by `tcp.stream` index.
    pub fn streams(&self) -> &PagedVec<Stream> {
        self.tracker.streams()
    }

    /// TCP segments read.
    pub fn packet_count(&self) -> usize {
        self.segment_count
    }

    /// Whether every segment is kept analysed (otherwise a connection's segments are at hand
    /// only once it has been re-analysed: see [`Session::frames_to_reanalyse`]).
    pub fn keeps_packets(&self) -> bool {
        matches!(self.segments, Segments::Packed { .. })
    }

    /// The TCP segment at `position` (in file order among TCP segments), in a session that
    /// keeps them all.
    pub fn packet(&self, position: usize) -> Option<TcpPacket> {
        let Segments::Packed { packets, side, .. } = &self.segments else { return None };
        let packed = packets.get(position)?;
        let stream = &self.streams()[packed.stream() as usize];
        Some(packed.unpack(position as u32, (stream.client, stream.server), side))
    }

    /// Every TCP segment, in file order, in a session that keeps them all (nothing otherwise).
    pub fn packets(&self) -> impl Iterator<Item = TcpPacket> + '_ {
        let kept = if self.keeps_packets() { self.segment_count } else { 0 };
        (0..kept).filter_map(move |i| self.packet(i))
    }

    /// The connection `stream`'s segments as re-analysed, when it is the one that was.
    fn reanalysed(&self, stream: u32) -> Option<(&Reanalysed, &Stream)> {
        match &self.segments {
            Segments::Placed { open: Some(r), .. } if r.stream == stream => Some((r, self.streams().get(stream as usize)?)),
            _ => None,
        }
    }

    /// The segments of one connection, in file order (through the per-stream index: selecting
    /// a connection never rescans the whole capture). In a session that keeps only places,
    /// those of the connection last re-analysed (none for another).
    pub fn stream_packets(&self, stream: u32) -> impl Iterator<Item = TcpPacket> + '_ {
        let n = self.stream_index_len(stream);
        (0..n).filter_map(move |i| self.stream_packet(stream, i))
    }

    /// The connection frame `frame` belongs to, if it is a TCP segment (frames rise through the
    /// segments, so this is a bisection).
    pub fn stream_of_frame(&self, frame: u64) -> Option<u32> {
        match &self.segments {
            Segments::Packed { packets, .. } => packets.get(packets.partition_point(|p| p.frame() < frame)).filter(|p| p.frame() == frame).map(|p| p.stream()),
            Segments::Placed { places, .. } => bisect_frame(places, frame).map(|i| places[i].stream),
            Segments::Streamed { .. } => None,
        }
    }

    /// Segments of connection `stream` at hand (all of them, or in a session that keeps only
    /// places those re-analysed so far).
    pub fn stream_index_len(&self, stream: u32) -> usize {
        match &self.segments {
            Segments::Packed { stream_index, .. } => stream_index.get(stream as usize).map_or(0, Vec::len),
            Segments::Placed { .. } => self.reanalysed(stream).map_or(0, |(r, s)| r.len(s.packets)),
            Segments::Streamed { .. } => 0,
        }
    }

    /// Segment `index` of connection `stream`.
    pub fn stream_packet(&self, stream: u32, index: usize) -> Option<TcpPacket> {
        match &self.segments {
            Segments::Packed { stream_index, .. } => {
                let position = *stream_index.get(stream as usize)?.get(index)?;
                self.packet(position as usize)
            }
            Segments::Placed { .. } => {
                let (r, s) = self.reanalysed(stream)?;
                r.packet(s, index)
            }
            Segments::Streamed { .. } => None,
        }
    }

    /// Each endpoint's states in connection `stream`, replayed from the evidence of its
    /// segments (see [`crate::tcp::lifecycle::endpoint_states`]).
    pub fn endpoint_states(&self, stream: u32) -> Option<EndpointStates> {
        let s = self.streams().get(stream as usize)?;
        let wires: Vec<Wire> = self.stream_packets(stream).map(|p| Wire::of(&p)).collect();
        Some(endpoint_states(&wires, s.lifecycle.shapes().open == OpenShape::BeforeCapture))
    }

    /// The frames of connection `stream` to read from the file (at most `max_bytes` of it from
    /// the first to the last) and hand to [`Session::reanalyse`] before its segments are all
    /// at hand; empty when they are (or the session keeps every segment). Starting another
    /// connection forgets the one re-analysed before.
    ///
    /// While the file is still read, only the frames read before the connection was first
    /// asked about are read again: those after are handed over by the reader as it analyses
    /// them (never chased to the end of the file).
    pub fn frames_to_reanalyse(&mut self, stream: u32, max_bytes: u64) -> Vec<FrameToRead> {
        let Some(s) = self.tracker.streams().get(stream as usize) else { return Vec::new() };
        let (first_frame, last_frame, total) = (s.first_frame, s.last_frame, s.packets);
        let Segments::Placed { places, open, .. } = &mut self.segments else { return Vec::new() };
        if open.as_ref().is_none_or(|r| r.stream != stream) {
            *open = Some(Box::new(Reanalysed::new(stream)));
        }
        let r = open.as_ref().expect("just made");
        let last_frame = r.until(last_frame);
        if r.len(total) as u64 >= total || r.failed.is_some() || r.last_frame() >= last_frame {
            return Vec::new();
        }
        // The first place after what was analysed: a bisection by frame, then a walk to the
        // connection's last frame (a short connection's frames are close together).
        let after = r.last_frame().max(first_frame.saturating_sub(1));
        let lo = places.partition_point(|p| p.frame() <= after);
        let mut out = Vec::new();
        let mut start = None;
        for place in (lo..places.len()).map(|i| &places[i]) {
            if place.frame() > last_frame {
                break;
            }
            if place.stream != stream {
                continue;
            }
            let begin = *start.get_or_insert(place.data_offset);
            if !out.is_empty() && place.data_offset + u64::from(place.cap_len) > begin.saturating_add(max_bytes) {
                break;
            }
            out.push(FrameToRead { frame: place.frame(), offset: place.data_offset, len: place.cap_len });
        }
        out
    }

    /// Analyses again frames of connection `stream` that [`Session::frames_to_reanalyse`]
    /// named, given their bytes as read from the file (`None`: could not be read, which
    /// stops the re-analysis with that reason).
    pub fn reanalyse(&mut self, stream: u32, frames: &[FrameToRead], bytes: &[Option<&[u8]>]) {
        let Some(s) = self.tracker.streams().get(stream as usize) else { return };
        let Segments::Placed { places, link_types, open: Some(r) } = &mut self.segments else { return };
        if r.stream != stream {
            return; // Another connection was asked for since.
        }
        for (want, data) in frames.iter().zip(bytes) {
            // Find the place again (the frames were named from it; a bisection).
            let Some(position) = bisect_frame(places, want.frame) else { continue };
            let place = places[position];
            let link_type = link_types.iter().rev().find(|(from, _)| *from as usize <= position).map_or(1, |l| l.1);
            match data {
                Some(data) => r.feed(s, &place, link_type, data),
                None => {
                    r.failed.get_or_insert_with(|| format!("frame {} could not be read again from the file", want.frame));
                }
            }
        }
    }

    /// Why re-analysing connection `stream` stopped, if it did.
    pub fn reanalysis_failure(&self, stream: u32) -> Option<&str> {
        self.reanalysed(stream).and_then(|(r, _)| r.failed.as_deref())
    }

    /// Re-analyses connection `stream` from the file's bytes held in memory (`file`, or the
    /// inflated copy of a gzip file), all at once; nothing to do in a session that keeps
    /// every segment.
    pub fn reanalyse_from(&mut self, stream: u32, file: &[u8]) {
        loop {
            let frames = self.frames_to_reanalyse(stream, 64 << 20);
            if frames.is_empty() {
                return;
            }
            let inflated = self.inflated.take();
            {
                let source = inflated.as_deref().unwrap_or(file);
                let bytes: Vec<Option<&[u8]>> = frames
                    .iter()
                    .map(|f| usize::try_from(f.offset).ok().and_then(|at| source.get(at..at.checked_add(f.len as usize)?)))
                    .collect();
                self.reanalyse(stream, &frames, &bytes);
            }
            self.inflated = inflated;
            if self.reanalysis_failure(stream).is_some() {
                return;
            }
        }
    }

    /// Bytes this session holds (segments, per-connection index, side tables and
    /// connections), for the memory figures of the benchmarks.
    pub fn memory_bytes(&self) -> usize {
        use std::mem::size_of;
        let segments = match &self.segments {
            Segments::Packed { packets, side, stream_index } => {
                packets.reserved_bytes() + side.reserved_bytes() + stream_index.iter().map(|v| v.capacity() * 4 + size_of::<Vec<u32>>()).sum::<usize>()
            }
            Segments::Placed { places, open, .. } => places.reserved_bytes() + open.as_ref().map_or(0, |r| r.memory_bytes()),
            Segments::Streamed { new_packets } => new_packets.capacity() * size_of::<TcpPacket>(),
        };
        segments + self.streams().len() * size_of::<Stream>()
    }

    /// The captured bytes of a frame, given the bytes the session was analysed from.
    pub fn frame_data<'a>(&'a self, original: &'a [u8], p: &TcpPacket) -> &'a [u8] {
        let file = self.inflated.as_deref().unwrap_or(original);
        let start = usize::try_from(p.data_offset)
            .unwrap_or(usize::MAX)
            .min(file.len());
        let end = start.saturating_add(p.cap_len as usize).min(file.len());
        &file[start..end]
    }

    /// The capture's duration as capinfos gives it: earliest to latest frame time (frames
    /// whose clock stepped back make this differ from first to last frame).
    pub fn duration_ns(&self) -> i64 {
        self.clock.span_ns()
    }

    /// Decodes one frame and, for TCP, places it in its connection.
    fn add_frame(&mut self, frame: &RawFrame<'_>) {
        let t0 = *self.first_time_ns.get_or_insert(frame.timestamp_ns);
        self.last_time_ns = Some(frame.timestamp_ns);
        self.clock.add(frame.number, frame.timestamp_ns);
        let read = FrameRead {
            number: frame.number,
            time_ns: frame.timestamp_ns - t0,
            link_type: frame.link_type,
            data: frame.data,
            orig_len: frame.orig_len,
            data_offset: frame.data_offset,
        };
        let counts = &mut self.counts;
        match track_frame(&mut self.tracker, &read) {
            Ok(packet) => {
                counts.tcp += 1;
                counts.tcp_truncated += u64::from(packet.segment.truncated);
                self.keep(packet, frame.orig_len);
            }
            // Never: a TCP segment is tracked (above).
            Err(Decoded::Tcp(_)) => {}
            Err(Decoded::Udp) => counts.udp += 1,
            Err(Decoded::Icmp) => counts.icmp += 1,
            Err(Decoded::OtherIp(_)) => counts.other_ip += 1,
            Err(Decoded::Fragment) => counts.ip_fragments += 1,
            Err(Decoded::NonIp(_)) => counts.non_ip += 1,
            Err(Decoded::Undecodable(reason)) => {
                counts.undecodable += 1;
                match self.undecodable.last_mut() {
                    Some(run) if run.reason == reason && run.through + 1 == frame.number => run.through = frame.number,
                    _ => self.undecodable.push(Undecodable { frame: frame.number, through: frame.number, reason }),
                }
            }
        }
    }

    /// Keeps a segment just analysed, as this session keeps them (`orig_len`: its frame's
    /// length on the wire, to decode it again).
    fn keep(&mut self, packet: TcpPacket, orig_len: u32) {
        let position = self.segment_count as u32;
        self.segment_count += 1;
        match &mut self.segments {
            Segments::Streamed { new_packets } => new_packets.push(packet),
            Segments::Packed { packets, side, stream_index } => {
                let stream = packet.stream as usize;
                if stream_index.len() <= stream {
                    stream_index.resize_with(stream + 1, Vec::new);
                }
                stream_index[stream].push(position);
                packets.push(PackedPacket::pack(&packet, position, side));
            }
            Segments::Placed { places, link_types, open } => {
                // The connection shown grows with the reader.
                if let Some(r) = open.as_mut().filter(|r| r.stream == packet.stream && r.failed.is_none()) {
                    r.arrived(&packet);
                }
                if link_types.last().is_none_or(|l| l.1 != packet.link_type) {
                    link_types.push((position, packet.link_type));
                }
                places.push(SegmentPlace {
                    data_offset: packet.data_offset,
                    time_ns: packet.time_ns,
                    frame: u32::try_from(packet.frame).unwrap_or(u32::MAX),
                    stream: packet.stream,
                    cap_len: packet.cap_len,
                    orig_len,
                });
            }
        }
    }

    fn complete(mut self, outcome: capture::ReadOutcome) -> Session {
        self.format = outcome.format;
        self.damage = outcome.damage;
        self.inflated = outcome.inflated;
        self
    }
}

/// Reads, decodes and analyses a whole capture held in memory.
pub fn analyze_bytes(bytes: &[u8]) -> Result<Session, NotACapture> {
    let mut session = Session::empty();
    let outcome =
        capture::read_capture(bytes, &mut |frame: &RawFrame<'_>| session.add_frame(frame))?;
    Ok(session.complete(outcome))
}

/// Reads a whole capture held in memory as the page's worker does, a piece at a time, and stops
/// once the session's memory reaches `limit` bytes: what was read is kept, and its damage says
/// where and why (the command line's `--memory-limit-mb`).
pub fn analyze_bytes_within(bytes: &[u8], limit: u64) -> Result<Session, NotACapture> {
    let mut builder = SessionBuilder::new(Some(bytes.len() as u64));
    for piece in bytes.chunks(4 << 20) {
        builder.push(piece)?;
        if builder.session().memory_bytes() as u64 >= limit {
            let at = builder.bytes_read();
            let mut session = builder.stop_here()?;
            session.damage = Some(memory_limit_damage(&session, at, bytes.len() as u64, limit));
            return Ok(session);
        }
    }
    builder.finish()
}

/// What is said when reading stopped at byte `at` of `total` because memory reached `limit`.
pub fn memory_limit_damage(session: &Session, at: u64, total: u64, limit: u64) -> capture::Damage {
    capture::Damage {
        message: format!(
            "stopped at byte {at} of {total}: the memory limit ({} MiB) was reached; the {} and {} read before it are shown",
            limit >> 20,
            crate::timefmt::count(session.streams().len() as u64, "connection", "connections"),
            crate::timefmt::count(session.format.frames(), "frame", "frames"),
        ),
        offset: at,
        after_frame: session.format.frames(),
    }
}

/// Analyses a capture that arrives a piece at a time (a big file read in slices): the session
/// so far can be looked at between pieces.
pub struct SessionBuilder {
    session: Session,
    reader: CaptureReader,
}

impl SessionBuilder {
    pub fn new(file_len: Option<u64>) -> Self {
        SessionBuilder {
            session: Session::empty(),
            reader: CaptureReader::new(file_len),
        }
    }

    /// A builder whose session does not keep the segments: each is handed over once, through
    /// [`SessionBuilder::take_new_packets`], and only connections are kept (memory then grows
    /// with connections, not with segments).
    pub fn streaming(file_len: Option<u64>) -> Self {
        let mut builder = SessionBuilder::new(file_len);
        builder.session.segments = Segments::Streamed { new_packets: Vec::new() };
        builder
    }

    /// A builder whose session keeps only where each segment is (32 bytes), not the segment
    /// analysed (the page's worker): a connection's segments are read again from the file
    /// and re-analysed when it is shown (see [`crate::reanalysis`]).
    pub fn placed(file_len: Option<u64>) -> Self {
        let mut builder = SessionBuilder::new(file_len);
        // The page shows the first connection as soon as there is one: it is taken from the
        // reader as it comes, never read again.
        builder.session.tracker.forget_syn_options();
        builder.session.segments = Segments::Placed { places: PagedVec::default(), link_types: Vec::new(), open: Some(Box::new(Reanalysed::new(0))) };
        builder
    }

    /// The segments read since the last call (a streaming builder's; see
    /// [`Session::take_new_packets`]).
    pub fn take_new_packets(&mut self) -> Vec<TcpPacket> {
        self.session.take_new_packets()
    }

    /// Reads the next piece. `Err`: the file is not a capture (detected at its start).
    pub fn push(&mut self, piece: &[u8]) -> Result<(), NotACapture> {
        let session = &mut self.session;
        self.reader
            .push(piece, &mut |frame: &RawFrame<'_>| session.add_frame(frame))
    }

    /// The end of the file (or of what the user let us read).
    pub fn finish(self) -> Result<Session, NotACapture> {
        let mut session = self.session;
        let outcome = self
            .reader
            .finish(&mut |frame: &RawFrame<'_>| session.add_frame(frame))?;
        Ok(session.complete(outcome))
    }

    /// Stops before the end of the file (the user cancelled): what was read is the session.
    pub fn stop_here(self) -> Result<Session, NotACapture> {
        let mut session = self.session;
        let outcome = self.reader.stop_here(&mut |frame: &RawFrame<'_>| session.add_frame(frame))?;
        Ok(session.complete(outcome))
    }

    /// What has been read so far.
    pub fn session(&self) -> &Session {
        &self.session
    }

    /// The same, to re-analyse a connection in (see [`Session::reanalyse`]).
    pub fn session_mut(&mut self) -> &mut Session {
        &mut self.session
    }

    /// Bytes of the file read so far.
    pub fn bytes_read(&self) -> u64 {
        self.reader.bytes_read()
    }

    /// Frames read so far (the session's own format is filled in only at the end).
    pub fn frames_read(&self) -> u64 {
        self.reader.frames()
    }

    /// Damage was found: the rest of the file would not be read.
    pub fn stopped(&self) -> bool {
        self.reader.stopped()
    }
}

/// The position of the place of frame `frame` (places rise by frame).
fn bisect_frame(places: &PagedVec<SegmentPlace>, frame: u64) -> Option<usize> {
    let at = places.partition_point(|p| p.frame() < frame);
    places.get(at).is_some_and(|p| p.frame() == frame).then_some(at)
}
