//! The single pure entry point: capture bytes in, analysed session out. The page, the
//! command-line tool and the tests all go through [`analyze_bytes`].

use crate::capture::{self, CaptureReader, Container, Damage, FormatInfo, NotACapture, RawFrame};
use crate::decode::{self, Decoded};
use crate::paged::PagedVec;
use crate::tcp::lifecycle::{endpoint_states, EndpointStates, OpenShape, Wire};
use crate::tcp::{PackedPacket, SideTables, Stream, TcpPacket, TcpTracker};

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
    /// Every TCP segment, in file order, packed (see [`PackedPacket`]); read them with
    /// [`Session::packets`] and [`Session::stream_packets`].
    packets: PagedVec<PackedPacket>,
    /// By packet position: options other than timestamps (a few per connection) and
    /// duplicate-ACK numbers.
    side: SideTables,
    /// Every connection, by `tcp.stream` index, with the state that places the next segment.
    tracker: TcpTracker,
    /// For each stream, the positions of its segments in `packets`.
    stream_index: Vec<Vec<u32>>,
    /// The decompressed file, when it was gzip-compressed (frame offsets refer to it).
    pub inflated: Option<Vec<u8>>,
    /// False for a reader that writes each segment out as it comes (the command line's
    /// streaming `analyze`): segments are then not stored, only handed over once, through
    /// [`Session::take_new_packets`]; connections are still tracked.
    keep_packets: bool,
    /// Segments read since the last [`Session::take_new_packets`] (when not kept).
    new_packets: Vec<TcpPacket>,
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
            packets: PagedVec::default(),
            side: SideTables::default(),
            tracker: TcpTracker::new(),
            stream_index: Vec::new(),
            inflated: None,
            keep_packets: true,
            new_packets: Vec::new(),
        }
    }

    /// The segments read since the last call, in file order, for a session that does not keep
    /// them (see [`SessionBuilder::streaming`]); always empty for one that does.
    pub fn take_new_packets(&mut self) -> Vec<TcpPacket> {
        std::mem::take(&mut self.new_packets)
    }

    /// Every connection, by `tcp.stream` index.
    pub fn streams(&self) -> &PagedVec<Stream> {
        self.tracker.streams()
    }

    /// TCP segments read.
    pub fn packet_count(&self) -> usize {
        self.packets.len()
    }

    /// The TCP segment at `position` (in file order among TCP segments).
    pub fn packet(&self, position: usize) -> Option<TcpPacket> {
        let packed = self.packets.get(position)?;
        let stream = &self.streams()[packed.stream() as usize];
        Some(packed.unpack(position as u32, (stream.client, stream.server), &self.side))
    }

    /// Every TCP segment, in file order.
    pub fn packets(&self) -> impl ExactSizeIterator<Item = TcpPacket> + '_ {
        (0..self.packets.len()).map(move |i| self.packet(i).expect("in range"))
    }

    /// The segments of one connection, in file order (through the per-stream index: selecting
    /// a connection never rescans the whole capture).
    pub fn stream_packets(&self, stream: u32) -> impl Iterator<Item = TcpPacket> + '_ {
        self.stream_index.get(stream as usize).into_iter().flatten().filter_map(move |&i| self.packet(i as usize))
    }

    /// The connection frame `frame` belongs to, if it is a TCP segment (frames rise through the
    /// segments, so this is a bisection).
    pub fn stream_of_frame(&self, frame: u64) -> Option<u32> {
        let n = self.packets.len();
        let (mut lo, mut hi) = (0usize, n);
        while lo < hi {
            let mid = (lo + hi) / 2;
            let p = self.packets.get(mid)?;
            match p.frame().cmp(&frame) {
                std::cmp::Ordering::Less => lo = mid + 1,
                std::cmp::Ordering::Greater => hi = mid,
                std::cmp::Ordering::Equal => return Some(p.stream()),
            }
        }
        None
    }

    /// Segments in connection `stream`.
    pub fn stream_index_len(&self, stream: u32) -> usize {
        self.stream_index.get(stream as usize).map_or(0, Vec::len)
    }

    /// Segment `index` of connection `stream`.
    pub fn stream_packet(&self, stream: u32, index: usize) -> Option<TcpPacket> {
        let position = *self.stream_index.get(stream as usize)?.get(index)?;
        self.packet(position as usize)
    }

    /// Each endpoint's states in connection `stream`, replayed from the evidence of its
    /// segments (see [`crate::tcp::lifecycle::endpoint_states`]).
    pub fn endpoint_states(&self, stream: u32) -> Option<EndpointStates> {
        let s = self.streams().get(stream as usize)?;
        let wires: Vec<Wire> = self.stream_packets(stream).map(|p| Wire::of(&p)).collect();
        Some(endpoint_states(&wires, s.lifecycle.shapes().open == OpenShape::BeforeCapture))
    }

    /// Bytes this session holds (packed segments, per-connection index, side tables and
    /// connections), for the memory figures of the benchmarks.
    pub fn memory_bytes(&self) -> usize {
        use std::mem::size_of;
        self.packets.reserved_bytes()
            + self.side.reserved_bytes()
            + self.stream_index.iter().map(|v| v.capacity() * 4 + size_of::<Vec<u32>>()).sum::<usize>()
            + self.streams().len() * size_of::<Stream>()
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
        let counts = &mut self.counts;
        match decode::decode(frame.link_type, frame.data, frame.orig_len) {
            Decoded::Tcp(segment) => {
                counts.tcp += 1;
                counts.tcp_truncated += u64::from(segment.truncated);
                let mut packet = self
                    .tracker
                    .push(frame.number, frame.timestamp_ns - t0, &segment);
                packet.data_offset = frame.data_offset;
                packet.cap_len = frame.data.len() as u32;
                packet.link_type = frame.link_type as u16;
                if !self.keep_packets {
                    self.new_packets.push(packet);
                    return;
                }
                let stream = packet.stream as usize;
                if self.stream_index.len() <= stream {
                    self.stream_index.resize_with(stream + 1, Vec::new);
                }
                let position = self.packets.len() as u32;
                self.stream_index[stream].push(position);
                self.packets.push(PackedPacket::pack(&packet, position, &mut self.side));
            }
            Decoded::Udp => counts.udp += 1,
            Decoded::Icmp => counts.icmp += 1,
            Decoded::OtherIp(_) => counts.other_ip += 1,
            Decoded::Fragment => counts.ip_fragments += 1,
            Decoded::NonIp(_) => counts.non_ip += 1,
            Decoded::Undecodable(reason) => {
                counts.undecodable += 1;
                match self.undecodable.last_mut() {
                    Some(run) if run.reason == reason && run.through + 1 == frame.number => run.through = frame.number,
                    _ => self.undecodable.push(Undecodable { frame: frame.number, through: frame.number, reason }),
                }
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
        builder.session.keep_packets = false;
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
