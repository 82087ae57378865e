//! `TcpPacket`: one segment placed in its connection, with its relative numbers, window and
//! Wireshark's analysis, and `ScaleFactor`, the window scale as tshark reports it.

use crate::decode::TcpSegment;

use super::analysis::SegmentAnalysis;
use super::seq::SeqNumber;

/// `tcp.window_size_scalefactor` as Wireshark reports it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ScaleFactor {
    /// SYN segments: the window is never scaled and the field is absent.
    NotApplicable,
    /// -1: the scale is unknown (the SYN of this direction was not seen).
    Unknown,
    /// -2: no window scaling in use.
    NoScaling,
    /// The multiplier (1 << shift).
    Factor(u32),
}

impl ScaleFactor {
    /// The value tshark prints, or `None` where it prints nothing.
    pub fn as_tshark(self) -> Option<i64> {
        match self {
            ScaleFactor::NotApplicable => None,
            ScaleFactor::Unknown => Some(-1),
            ScaleFactor::NoScaling => Some(-2),
            ScaleFactor::Factor(f) => Some(i64::from(f)),
        }
    }
}

/// One TCP segment placed in its connection. Heap-free, so a capture of millions of packets is
/// a flat `Vec` of these.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TcpPacket {
    /// Frame number in the file (from 1).
    pub frame: u64,
    /// Nanoseconds since the first frame of the file.
    pub time_ns: i64,
    /// `tcp.stream`.
    pub stream: u32,
    /// Sent by the connection's client.
    pub from_client: bool,
    pub segment: TcpSegment,
    /// `tcp.seq` (relative to the base of the sender's direction). Relative numbers are still in
    /// sequence space (they wrap with the raw ones): compared or offset as [`SeqNumber`]s; kept
    /// as `u32` here, as serialised.
    pub seq: u32,
    /// `tcp.ack` (relative; the raw value when the ACK flag is clear, as tshark shows it).
    pub ack: u32,
    /// `tcp.window_size`: scaled when the scale is known.
    pub window: u32,
    pub scale_factor: ScaleFactor,
    /// Wireshark's `tcp.analysis.*` for this segment.
    pub analysis: SegmentAnalysis,
    /// Where the frame's bytes are in the (decompressed) file, for the packet detail view, and
    /// the link type to decode them with. Filled in by the session.
    pub data_offset: u64,
    pub cap_len: u32,
    pub link_type: u16,
}

impl TcpPacket {
    /// How many payload bytes the capture holds (fewer than `tcp.len` when the snap length cut
    /// the frame): Wireshark's captured length of the payload.
    pub fn captured_payload_len(&self) -> u32 {
        if self.segment.fragments > 0 {
            // Put back together from fragments captured whole: every byte was captured, though
            // not in this one frame (see `payload`).
            return self.segment.payload_len;
        }
        self.segment.payload_len.min(self.cap_len.saturating_sub(u32::from(self.segment.payload_at)))
    }

    /// The TCP header was captured through its flags (14 bytes): a header cut sooner says
    /// nothing of flags, window or length, so nothing is read from it (R4 F12, R4b-22).
    pub fn flags_captured(&self) -> bool {
        !self.segment.truncated || self.header_bytes_in_frame() >= 14
    }

    /// The window field was captured (a snap length can cut the header before it; tshark then
    /// has no `tcp.window_size`).
    pub fn window_captured(&self) -> bool {
        !self.segment.truncated || self.header_bytes_in_frame() >= 16
    }

    /// Bytes of the frame from the start of the TCP header on (the header sits `header_len`
    /// bytes before the payload).
    fn header_bytes_in_frame(&self) -> u32 {
        let header_at = u32::from(self.segment.payload_at).saturating_sub(u32::from(self.segment.header_len));
        self.cap_len.saturating_sub(header_at)
    }

    /// The captured bytes of its frame in `file`, the (decompressed) file it was read from
    /// (see `Session::file_bytes`); cut short where the file is.
    pub fn frame_in<'a>(&self, file: &'a [u8]) -> &'a [u8] {
        let start = usize::try_from(self.data_offset).unwrap_or(usize::MAX).min(file.len());
        let end = start.saturating_add(self.cap_len as usize).min(file.len());
        &file[start..end]
    }

    /// The captured payload, out of the frame's bytes (as [`TcpPacket::frame_in`] gives them).
    /// Empty for a segment put back together from IP fragments: no one frame holds its payload
    /// (`Connection::payload_of` gives it).
    pub fn payload<'a>(&self, frame: &'a [u8]) -> &'a [u8] {
        if self.segment.fragments > 0 {
            return &[];
        }
        let at = usize::from(self.segment.payload_at).min(frame.len());
        let end = at.saturating_add(self.captured_payload_len() as usize).min(frame.len());
        &frame[at..end]
    }

    /// `tcp.nxtseq` relative: seq + len, plus one for SYN and for FIN.
    pub fn next_seq(&self) -> u32 {
        let f = self.segment.flags;
        (SeqNumber(self.seq) + self.segment.payload_len + u32::from(f.syn()) + u32::from(f.fin())).0
    }
}
