//! Capture bytes in, analysed session out: every frame goes through the same steps
//! (`Session::add_frame`: decoded and, for TCP, placed in its connection and analysed, by
//! [`crate::tcp::track_frame`]), whichever way the bytes arrive.
//! [`analyze_bytes`] takes a whole file in memory (the command line's `render`, `follow` and
//! `graph`, and most tests; [`analyze_bytes_within`] under `--memory-limit-mb`);
//! [`SessionBuilder`] (`builder.rs`) takes it a piece at a time (the page's worker, through
//! `service::Service`, keeping only where each segment is: [`SessionBuilder::placed`], whose
//! connections are read again from the file in `reanalyse.rs`), and
//! [`SessionBuilder::streaming`] hands each segment over once (`tcp-ladder analyze`, in
//! `report::streaming`). One connection's segments, however they are kept, are asked for as a
//! [`crate::connection::Connection`] (`Session::connection`, built from [`Session::kept_segments`]).

mod builder;
mod not_at_hand;
mod openings;
mod reanalyse;

pub use builder::SessionBuilder;
pub use not_at_hand::NotAtHand;
pub use reanalyse::reassembly_at;

use crate::capture::{self, Container, Damage, FormatInfo, NotACapture, RawFrame};
use crate::decode::{Decoded, Defragmenter, Reassembly};
use crate::paged::PagedVec;
use crate::reanalysis::{Reanalysed, SegmentPlace};
use crate::tcp::{track_frame, FrameRead, PackedPacket, SideTables, Stream, TcpPacket, TcpTracker};

/// How many frames of each kind the file holds: nothing read is left uncounted (`analyze`'s
/// summary prints these fields as they are).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
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
    /// IP fragments waiting for the rest of their datagram.
    defrag: Defragmenter,
    /// Every TCP segment put back together from IP fragments, by the frame that completed it
    /// (rising): its fragments' frames and its payload (in no single frame).
    reassembled: Vec<Reassembly>,
    /// What each connection speaks, from its first bytes each way (the list's "what").
    openings: openings::Openings,
}

/// A frame's time from the first frame is kept within ± this (2^61 ns, 73 years): a capture
/// whose clock spans more is damaged or hostile, and the analyses then subtract and add such
/// times (and halves and doubles of their differences) without overflowing i64 — fuzzing found
/// one such overflow after another in them, each on a clock jumping by centuries.
const RELATIVE_TIME_MAX_NS: i64 = 1 << 61;

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

/// One connection's segments as a session keeps them: what a
/// [`crate::connection::Connection`] reads its segments from.
#[derive(Debug, Clone, Copy)]
pub(crate) enum KeptSegments<'s> {
    /// Packed, among every segment of the capture, at `positions` (rising).
    Packed { packets: &'s PagedVec<PackedPacket>, side: &'s SideTables, positions: &'s [u32] },
    /// Read again from the file and analysed alone (a session that keeps only places).
    Reanalysed(&'s Reanalysed),
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
            defrag: Defragmenter::new(),
            reassembled: Vec::new(),
            openings: Default::default(),
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

    /// The connection frame `frame` belongs to, if it is a TCP segment (frames rise through the
    /// segments, so this is a bisection).
    pub fn stream_of_frame(&self, frame: u64) -> Option<u32> {
        match &self.segments {
            Segments::Packed { packets, .. } => packets.get(packets.partition_point(|p| p.frame() < frame)).filter(|p| p.frame() == frame).map(|p| p.stream()),
            Segments::Placed { places, .. } => bisect_frame(places, frame).map(|i| places[i].stream),
            Segments::Streamed { .. } => None,
        }
    }

    /// Connection `stream`'s record and its segments as this session keeps them (for
    /// `Session::connection`, which makes them a [`crate::connection::Connection`]): all of
    /// them through the per-stream index (selecting a connection never rescans the whole
    /// capture), or in a session that keeps only places those of the connection re-analysed
    /// (as far as it has been). Any other connection is not at hand, and this says why.
    pub(crate) fn kept_segments(&self, stream: u32) -> Result<(&Stream, KeptSegments<'_>), NotAtHand> {
        let record = self.streams().get(stream as usize).ok_or(NotAtHand::NoSuchConnection { stream, connections: self.streams().len() })?;
        let kept = match &self.segments {
            Segments::Packed { packets, side, stream_index } => {
                KeptSegments::Packed { packets, side, positions: stream_index.get(stream as usize).map_or(&[][..], Vec::as_slice) }
            }
            Segments::Placed { open: Some(r), .. } if r.stream == stream => KeptSegments::Reanalysed(r),
            Segments::Placed { .. } => return Err(NotAtHand::NotReanalysed { stream }),
            Segments::Streamed { .. } => return Err(NotAtHand::NotKept),
        };
        Ok((record, kept))
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
        segments + self.streams().len() * size_of::<Stream>() + self.openings.memory_bytes()
    }

    /// What connection `stream` speaks, as its first bytes each way say ([`crate::app::Opening`];
    /// `None`: it sent no byte the capture holds).
    pub fn opening(&self, stream: u32) -> Option<std::borrow::Cow<'_, crate::app::Opening>> {
        self.openings.opening(stream)
    }

    /// The bytes the session's frame offsets refer to, given the bytes it was analysed from:
    /// those, or their inflated copy when the file was gzip-compressed (see
    /// [`TcpPacket::frame_in`]).
    pub fn file_bytes<'a>(&'a self, original: &'a [u8]) -> &'a [u8] {
        self.inflated.as_deref().unwrap_or(original)
    }

    /// The capture's duration as capinfos gives it: earliest to latest frame time (frames
    /// whose clock stepped back make this differ from first to last frame).
    pub fn duration_ns(&self) -> i64 {
        self.clock.span_ns()
    }

    /// Every TCP segment put back together from IP fragments, by the frame that completed it.
    pub fn reassembled(&self) -> &[Reassembly] {
        &self.reassembled
    }

    /// Decodes one frame and, for TCP, places it in its connection.
    fn add_frame(&mut self, frame: &RawFrame<'_>) {
        let t0 = *self.first_time_ns.get_or_insert(frame.timestamp_ns);
        self.last_time_ns = Some(frame.timestamp_ns);
        self.clock.add(frame.number, frame.timestamp_ns, frame.timed);
        let read = FrameRead {
            number: frame.number,
            time_ns: frame.timestamp_ns.saturating_sub(t0).clamp(-RELATIVE_TIME_MAX_NS, RELATIVE_TIME_MAX_NS),
            link_type: frame.link_type,
            data: frame.data,
            orig_len: frame.orig_len,
            data_offset: frame.data_offset,
        };
        let counts = &mut self.counts;
        match track_frame(&mut self.tracker, &mut self.defrag, &read) {
            Ok((packet, reassembly)) => {
                let payload = match &reassembly {
                    Some(r) if packet.segment.fragments > 0 => &r.payload[..],
                    _ => packet.payload(frame.data),
                };
                self.openings.add(&packet, payload);
                self.reassembled.extend(reassembly);
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
        self.openings.finish();
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

/// The position of the place of frame `frame` (places rise by frame).
fn bisect_frame(places: &PagedVec<SegmentPlace>, frame: u64) -> Option<usize> {
    let at = places.partition_point(|p| p.frame() < frame);
    places.get(at).is_some_and(|p| p.frame() == frame).then_some(at)
}
