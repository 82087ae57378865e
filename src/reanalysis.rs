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
//! earlier connection ([`crate::tcp::Stream::opened_by_port_reuse`]). `tests/reanalysis.rs`
//! checks that on every capture of the corpus.

use crate::decode::{self, Decoded};
use crate::tcp::analysis::AnalysisFlags;
use crate::tcp::{PackedPacket, SideTables, Stream, TcpPacket, TcpTracker};

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

/// A frame to read from the file before a connection can be shown: its number, and where its
/// bytes are.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct FrameToRead {
    pub frame: u64,
    pub offset: u64,
    pub len: u32,
}

/// One connection's segments, analysed again from its frames alone.
#[derive(Debug, Clone)]
pub struct Reanalysed {
    pub stream: u32,
    tracker: TcpTracker,
    packets: Vec<PackedPacket>,
    side: SideTables,
    /// Frame of the last segment analysed (the next must come after it).
    last_frame: u64,
    /// Reading stopped: a frame read again was not the segment it had been.
    pub failed: Option<String>,
}

impl Reanalysed {
    pub fn new(stream: u32) -> Self {
        Reanalysed { stream, tracker: TcpTracker::new(), packets: Vec::new(), side: SideTables::default(), last_frame: 0, failed: None }
    }

    /// Segments analysed so far.
    pub fn len(&self) -> usize {
        self.packets.len()
    }

    pub fn is_empty(&self) -> bool {
        self.packets.is_empty()
    }

    /// Frame of the last segment analysed (0: none yet).
    pub fn last_frame(&self) -> u64 {
        self.last_frame
    }

    /// Bytes held (for the memory figures).
    pub fn memory_bytes(&self) -> usize {
        self.packets.capacity() * std::mem::size_of::<PackedPacket>() + self.side.reserved_bytes()
    }

    /// Analyses the next segment, `data` being its frame's bytes as read again. A frame that
    /// is not (or no longer) the next segment of this connection stops the re-analysis: the
    /// file changed since it was read.
    pub fn feed(&mut self, stream: &Stream, place: &SegmentPlace, link_type: u16, data: &[u8]) {
        if self.failed.is_some() || place.frame() <= self.last_frame {
            return; // Stopped, or already analysed (two requests read the same frames).
        }
        let decoded = decode::decode(u32::from(link_type), data, place.orig_len);
        let Decoded::Tcp(segment) = decoded else {
            self.failed = Some(format!("frame {} is no longer a TCP segment: the file changed after it was read", place.frame));
            return;
        };
        let mut packet: TcpPacket = self.tracker.push(place.frame(), place.time_ns, &segment);
        if packet.stream != 0 {
            self.failed = Some(format!("frame {} no longer belongs to connection {}: the file changed after it was read", place.frame, self.stream));
            return;
        }
        packet.stream = self.stream;
        packet.data_offset = place.data_offset;
        packet.cap_len = place.cap_len;
        packet.link_type = link_type;
        if self.packets.is_empty() && stream.opened_by_port_reuse {
            packet.analysis.flags.set(AnalysisFlags::REUSED_PORTS);
        }
        let index = self.packets.len() as u32;
        self.packets.push(PackedPacket::pack(&packet, index, &mut self.side));
        self.last_frame = place.frame();
    }

    /// Segment `index` of the connection, whose record in the whole capture is `stream`.
    pub fn packet(&self, stream: &Stream, index: usize) -> Option<TcpPacket> {
        let packed = self.packets.get(index)?;
        let mut packet = packed.unpack(index as u32, (stream.client, stream.server), &self.side);
        packet.stream = self.stream;
        Some(packet)
    }
}
