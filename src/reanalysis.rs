//! Keeping only where each segment is, and analysing one connection again from the file when
//! it is shown.
//!
//! The page's worker cannot keep every analysed segment of a gigabyte capture (88 bytes each
//! packed; a million short connections hold ten million). It keeps a [`SegmentPlace`] per
//! segment instead — where its bytes are, its time, frame and connection — and when a
//! connection is drawn, followed or graphed, reads that connection's frames from the `File`
//! again and analyses them alone ([`Reanalysed`]). That gives the same answers as the single
//! pass over the whole file because a connection's analysis depends only on its own segments,
//! in order, and on one fact from outside it: whether its first SYN reused the ports of an
//! earlier connection ([`crate::tcp::Stream::opened_by_port_reuse`]); each frame read again
//! takes the single pass's own path to a segment ([`crate::tcp::track_frame`]).
//! `tests/reanalysis.rs` checks that on every capture of the corpus. A [`FrameToRead`] names
//! the bytes of a frame to read from the file, for this and for every other reader.

use crate::decode::{Defragmenter, FragmentFrame};
use crate::paged::PagedVec;
use crate::tcp::analysis::AnalysisFlags;
use crate::tcp::{track_frame, FrameRead, PackedPacket, SideTables, Stream, TcpPacket, TcpTracker};

/// What the worker keeps per TCP segment: enough to find it (by frame, by connection) and to
/// read and decode it again. 32 bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SegmentPlace {
    /// Where the frame's captured bytes start in the (decompressed) file.
    pub data_offset: u64,
    /// Capture time, ns after the capture's first frame (the container's record headers
    /// differ, so the time is kept rather than read again).
    pub time_ns: i64,
    pub frame: u32,
    pub stream: u32,
    pub cap_len: u32,
    /// Length on the wire (decoding needs it when the snap length cut the frame).
    pub orig_len: u32,
}

impl SegmentPlace {
    pub fn frame(&self) -> u64 {
        u64::from(self.frame)
    }
}

/// A frame whose bytes are to be read from the file: its number, and where its bytes are (in
/// the decompressed file). The one shape of "read these bytes for me": the frames of a
/// connection to analyse again, the frames of a page of a followed stream, the frame of a
/// segment's detail.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FrameToRead {
    pub frame: u64,
    pub offset: u64,
    pub len: u32,
}

impl FrameToRead {
    /// Where the frame of segment `p` is.
    pub fn of(p: &TcpPacket) -> Self {
        FrameToRead { frame: p.frame, offset: p.data_offset, len: p.cap_len }
    }

    /// Its bytes in `file`, the whole (decompressed) file in memory; `None` if the file is
    /// shorter.
    pub fn bytes_in<'a>(&self, file: &'a [u8]) -> Option<&'a [u8]> {
        let at = usize::try_from(self.offset).ok()?;
        file.get(at..at.checked_add(self.len as usize)?)
    }
}

/// Segments in pages (a connection of millions of segments never copies itself as it grows:
/// wasm memory keeps its peak), each with the side table `pack` fills.
#[derive(Debug, Clone, Default)]
struct PackedList {
    packets: PagedVec<PackedPacket>,
    side: SideTables,
}

impl PackedList {
    fn push(&mut self, packet: &TcpPacket) {
        let index = self.packets.len() as u32;
        self.packets.push(PackedPacket::pack(packet, index, &mut self.side));
    }

    fn len(&self) -> usize {
        self.packets.len()
    }

    fn memory_bytes(&self) -> usize {
        self.packets.reserved_bytes() + self.side.reserved_bytes()
    }
}

/// One connection's segments, analysed again from its frames alone — and, while the file is
/// still read, those the reader analyses after the connection was asked about, handed over as
/// they come (the same segments a re-analysis would give; nothing is read twice).
#[derive(Debug, Clone)]
pub struct Reanalysed {
    pub stream: u32,
    tracker: TcpTracker,
    /// The fragments of a segment split by IP, read again, until its last.
    defrag: Defragmenter,
    /// The segments read again, from the connection's first.
    early: PackedList,
    /// The segments the reader handed over; they follow `early` once it reaches them.
    late: PackedList,
    /// Frame of the last segment read again (the next must come after it).
    last_frame: u64,
    /// Reading again stopped: a frame was not the segment it had been.
    pub failed: Option<String>,
}

impl Reanalysed {
    pub fn new(stream: u32) -> Self {
        Reanalysed { stream, tracker: TcpTracker::new(), defrag: Defragmenter::new(), early: PackedList::default(), late: PackedList::default(), last_frame: 0, failed: None }
    }

    /// Whether the segments read again reach those the reader handed over (`total`: the
    /// connection's segments so far).
    fn joined(&self, total: u64) -> bool {
        (self.early.packets.len() + self.late.packets.len()) as u64 == total
    }

    /// Segments at hand, in order from the first: those read again, and once they reach the
    /// ones the reader handed over, those too (`total`: the connection's segments so far).
    pub fn len(&self, total: u64) -> usize {
        if self.joined(total) {
            self.early.packets.len() + self.late.packets.len()
        } else {
            self.early.packets.len()
        }
    }

    /// Frame of the last segment read again (0: none yet).
    pub fn last_frame(&self) -> u64 {
        self.last_frame
    }

    /// Bytes held (for the memory figures).
    pub fn memory_bytes(&self) -> usize {
        self.early.memory_bytes() + self.late.memory_bytes()
    }

    /// The last frame to read again: the one before the first segment the reader handed over,
    /// or the connection's last (`last_frame`).
    pub fn until(&self, last_frame: u64) -> u64 {
        self.late.packets.get(0).map_or(last_frame, |p| p.frame() - 1)
    }

    /// Takes a segment of this connection the reader has just analysed in the single pass.
    pub fn arrived(&mut self, packet: &TcpPacket) {
        self.late.push(packet);
    }

    /// Holds an IP fragment of a later segment of this connection (read again, as named by
    /// the session's reassemblies) until the frame that completes its datagram is fed.
    pub fn feed_fragment(&mut self, fragment: &FragmentFrame, data: &[u8]) {
        if self.failed.is_none() && fragment.number > self.last_frame {
            let _ = self.defrag.decode(*fragment, data);
        }
    }

    /// Analyses the next segment, `data` being its frame's bytes as read again. A frame that
    /// is not (or no longer) the next segment of this connection stops the re-analysis: the
    /// file changed since it was read.
    pub fn feed(&mut self, stream: &Stream, place: &SegmentPlace, link_type: u16, data: &[u8]) {
        if self.failed.is_some() || place.frame() <= self.last_frame {
            return; // Stopped, or already analysed (two requests read the same frames).
        }
        let read = FrameRead { number: place.frame(), time_ns: place.time_ns, link_type: u32::from(link_type), data, orig_len: place.orig_len, data_offset: place.data_offset };
        let Ok((mut packet, _)) = track_frame(&mut self.tracker, &mut self.defrag, &read) else {
            self.failed = Some(format!("frame {} is no longer a TCP segment: the file changed after it was read", place.frame));
            return;
        };
        if packet.stream != 0 {
            self.failed = Some(format!("frame {} no longer belongs to connection {}: the file changed after it was read", place.frame, self.stream));
            return;
        }
        packet.stream = self.stream;
        if self.early.packets.len() == 0 && stream.opened_by_port_reuse {
            packet.analysis.flags.set(AnalysisFlags::REUSED_PORTS);
        }
        self.early.push(&packet);
        self.last_frame = place.frame();
    }

    /// Segment `index` of the connection as packed (see [`Reanalysed::len`]), and its index
    /// in the side tables it was packed with; `total`: the connection's segments so far.
    fn packed(&self, index: usize, total: u64) -> Option<(&PackedPacket, usize, &SideTables)> {
        let early = self.early.len();
        if index < early {
            Some((self.early.packets.get(index)?, index, &self.early.side))
        } else if self.joined(total) {
            Some((self.late.packets.get(index - early)?, index - early, &self.late.side))
        } else {
            None
        }
    }

    /// Segment `index` of the connection, whose record in the whole capture is `stream`,
    /// without unpacking it.
    pub fn packed_segment(&self, stream: &Stream, index: usize) -> Option<&PackedPacket> {
        self.packed(index, stream.packets).map(|(p, _, _)| p)
    }

    /// Segment `index` of the connection, whose record in the whole capture is `stream`.
    pub fn packet(&self, stream: &Stream, index: usize) -> Option<TcpPacket> {
        let (packed, at, side) = self.packed(index, stream.packets)?;
        let mut packet = packed.unpack(at as u32, (stream.client, stream.server), side);
        packet.stream = self.stream;
        Some(packet)
    }
}
