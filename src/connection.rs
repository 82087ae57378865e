//! [`Connection`]: one connection as every view of it takes it — its record, its segments in
//! capture order, and each endpoint's states — whatever the session keeps (every segment
//! packed, only places with this connection re-analysed). Built in one place,
//! [`Session::connection`], which says why when the connection is not at hand
//! ([`NotAtHand`]) rather than hand over an empty one.
//!
//! A connection borrows its segments from the session: a connection of millions of segments
//! is never copied; each segment is unpacked when asked for, and what the states replay needs
//! is read from the packed records without unpacking them.

use std::cell::OnceCell;

use crate::decode::Reassembly;
use crate::session::{KeptSegments, Session};
use crate::tcp::analysis::AnalysisFlags;
use crate::tcp::bytes_not_taken::{bytes_not_taken, new_despite_not_taken, not_taken_at, NotTaken};
use crate::tcp::lifecycle::{endpoint_states, EndpointStates, OpenShape, Wire};
use crate::tcp::port_reuse::{port_reuse, PortReuse};
use crate::tcp::seq::SeqNumber;
use crate::tcp::{PackedPacket, Stream, TcpPacket, Timed};

pub use crate::session::NotAtHand;

/// One connection of a session, with its segments at hand.
#[derive(Debug)]
pub struct Connection<'s> {
    /// Its `tcp.stream` index.
    index: u32,
    /// Its record in the whole capture.
    stream: &'s Stream,
    /// Its segments, as the session keeps them.
    segments: KeptSegments<'s>,
    /// What the states and the byte counts need of each segment, read once from the packed
    /// segments when first asked for (the graphs and the followed stream never ask).
    wires: OnceCell<Vec<Wire>>,
    /// Its segments whose few zero bytes no end took as data, and the segments Wireshark
    /// calls resends only because of them (frames; see `tcp::bytes_not_taken`), worked out
    /// when first asked for: empty at once for a connection with no such payload.
    not_taken: OnceCell<(Vec<NotTaken>, Vec<u64>)>,
    /// Keep-alive probes that open the capture, which Wireshark cannot flag (`tcp::first_probe`).
    first_probes: OnceCell<Vec<u64>>,
    /// Frames whose gap is only a short-recorded frame's ([`Self::gaps_of_short_frames`]).
    short_frame_gaps: OnceCell<Vec<u64>>,
    /// Each endpoint's states, replayed once, when first asked for.
    states: OnceCell<EndpointStates>,
    /// The session's segments put back together from IP fragments (every connection's).
    reassembled: &'s [Reassembly],
    /// The session it is in (for the earlier connection on the same ports), and what that
    /// one says of this one's SYN, worked out when first asked for.
    session: &'s Session,
    reuse: OnceCell<Option<PortReuse>>,
}

impl Session {
    /// Connection `stream`, with the segments at hand: all of them in a session that keeps
    /// every segment; in one that keeps only places, those of the connection re-analysed
    /// (as far as it has been read again, see [`Session::frames_to_reanalyse`]). Any other
    /// connection is an error that says why.
    pub fn connection(&self, stream: u32) -> Result<Connection<'_>, NotAtHand> {
        let (record, segments) = self.kept_segments(stream)?;
        let reassembled = self.reassembled();
        Ok(Connection { index: stream, stream: record, segments, wires: OnceCell::new(), not_taken: OnceCell::new(), first_probes: OnceCell::new(), short_frame_gaps: OnceCell::new(), states: OnceCell::new(), reassembled, session: self, reuse: OnceCell::new() })
    }
}

impl<'s> Connection<'s> {
    /// Its `tcp.stream` index.
    pub fn index(&self) -> u32 {
        self.index
    }

    /// The IP fragments segment `p` was put back together from, if it was split by IP.
    pub fn reassembly(&self, p: &TcpPacket) -> Option<&'s Reassembly> {
        if p.segment.fragments == 0 {
            return None;
        }
        crate::session::reassembly_at(self.reassembled, p.frame)
    }

    /// The captured payload of segment `p`, given its frame's bytes (as
    /// [`TcpPacket::frame_in`] gives them): out of the frame, or, for a segment put back
    /// together from IP fragments, the payload its reassembly kept.
    pub fn payload_of<'a>(&self, p: &TcpPacket, frame: &'a [u8]) -> &'a [u8]
    where
        's: 'a,
    {
        match self.reassembly(p) {
            Some(r) => &r.payload,
            None => p.payload(frame),
        }
    }

    /// Its record: endpoints, counts, shapes.
    pub fn stream(&self) -> &'s Stream {
        self.stream
    }

    /// Every connection's record in its session (for its neighbours: an unanswered SYN's retry).
    pub fn session_streams(&self) -> &'s crate::paged::PagedVec<Stream> {
        self.session.streams()
    }

    /// When the capture's last frame went by, in ns from its first (as segments' times are).
    pub fn capture_end_ns(&self) -> Option<i64> {
        Some(self.session.last_time_ns?.saturating_sub(self.session.first_time_ns?))
    }

    /// The capture holds only its segments that carry data (four or more, from both ends; see
    /// `TimeSplit::payload_only`): no ACK alone, SYN, FIN or RST of it.
    pub fn payload_only(&self) -> bool {
        let mut only = crate::tcp::payload_only::PayloadOnly::default();
        for p in self.packets() {
            if p.segment.payload_len == 0 {
                return false;
            }
            only.add(&p);
        }
        only.holds()
    }

    /// Its frames whose record carries no time (the first and the last of them): times to or
    /// from them mean nothing, so nothing is timed across them.
    pub fn untimed_frames(&self) -> Option<(u64, u64)> {
        self.session.clock.untimed_within(self.stream.first_frame, self.stream.last_frame)
    }

    /// For a connection opened by a SYN that reused the ports of an earlier one: that one's
    /// facts against the SYN (RFC 6191); `None` otherwise, or when the earlier connection's
    /// segments are not at hand (the page's worker keeps only the selected connection's).
    pub fn port_reuse(&self) -> Option<PortReuse> {
        *self.reuse.get_or_init(|| {
            let s = self.stream;
            if !s.opened_by_port_reuse {
                return None;
            }
            let pair = |o: &Stream| (o.client == s.client && o.server == s.server) || (o.client == s.server && o.server == s.client);
            let streams = self.session.streams();
            let old = (0..self.index).rev().find(|&i| streams.get(i as usize).is_some_and(pair))?;
            let earlier = self.session.connection(old).ok()?;
            port_reuse(old, earlier.packets(), self.packets())
        })
    }

    /// Segments at hand (a connection being re-analysed has those read so far).
    pub fn len(&self) -> usize {
        match self.segments {
            KeptSegments::Packed { positions, .. } => positions.len(),
            KeptSegments::Reanalysed(r) => r.len(self.stream.packets),
        }
    }

    /// No segment is at hand yet (a re-analysis that has read none so far).
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Segment `index` (from 0, in capture order), as the story of the connection takes it: a
    /// payload no end took as data ([`Connection::not_taken`]) is left out, and so is
    /// Wireshark's resend mark that rests only on it.
    pub fn packet(&self, index: usize) -> Option<TcpPacket> {
        let mut p = self.packet_as_captured(index)?;
        // Bytes the IP header claims past a frame recorded short were sent: the story counts
        // them, as the peer's ACK does (R20C-5); `tcp.len` and what Follow shows leave them out.
        // (`beyond_frame` stays: how many of `payload_len` the frame never held.)
        p.segment.payload_len = p.segment.payload_len.saturating_add(p.segment.beyond_frame);
        let (not_taken, new_despite) = self.not_taken_lists();
        if !not_taken.is_empty() {
            // Wireshark's marks of a resend or of order rest on those bytes' sequence numbers.
            let by_bytes_not_taken = AnalysisFlags::ANY_RETRANSMISSION | AnalysisFlags::OUT_OF_ORDER;
            let found = not_taken_at(not_taken, p.frame);
            if let Some(n) = found {
                p.segment.payload_len = n.kept;
            }
            let skipped = found.is_some();
            if skipped || new_despite.binary_search(&p.frame).is_ok() {
                p.analysis.flags = AnalysisFlags(p.analysis.flags.0 & !by_bytes_not_taken);
            }
        }
        if self.gaps_of_short_frames().binary_search(&p.frame).is_ok() {
            p.analysis.flags = AnalysisFlags(p.analysis.flags.0 & !AnalysisFlags::LOST_SEGMENT);
        }
        if self.first_probes().contains(&p.frame) {
            p.analysis.flags = AnalysisFlags(p.analysis.flags.0 | AnalysisFlags::KEEP_ALIVE);
        }
        Some(p)
    }

    /// Segments Wireshark marks "previous segment not captured" only because a frame before
    /// them was recorded shorter than its IP length (R20C-5: zeek_tcp_reassembly's frame 9 after
    /// frame 7, 1440 of 1448 bytes): counting what the IP header claims, no byte is missing.
    fn gaps_of_short_frames(&self) -> &[u64] {
        self.short_frame_gaps.get_or_init(|| {
            if !(0..self.len()).filter_map(|i| self.packed(i)).any(PackedPacket::claims_beyond_frame) {
                return Vec::new();
            }
            // Per side (client's first), the furthest sequence number its data reached.
            let mut end: [Option<SeqNumber>; 2] = [None; 2];
            let mut frames = Vec::new();
            for p in (0..self.len()).filter_map(|i| self.packet_as_captured(i)) {
                let side = &mut end[usize::from(!p.from_client)];
                let seq = SeqNumber(p.segment.seq);
                if p.analysis.flags.0 & AnalysisFlags::LOST_SEGMENT != 0 && side.is_some_and(|e| !seq.after(e)) {
                    frames.push(p.frame);
                }
                let to = seq + p.segment.payload_len.saturating_add(p.segment.beyond_frame);
                if p.segment.payload_len + p.segment.beyond_frame > 0 && side.is_none_or(|e| to.after(e)) {
                    *side = Some(to);
                }
            }
            frames
        })
    }

    /// Keep-alive probes at the start of a capture caught mid-connection (frames).
    fn first_probes(&self) -> &[u64] {
        self.first_probes.get_or_init(|| {
            // Only a capture that starts without a SYN; the probe and its answer come early.
            if self.packet_as_captured(0).is_none_or(|p| p.segment.flags.syn()) {
                return Vec::new();
            }
            let early: Vec<TcpPacket> = (0..self.len().min(256)).filter_map(|i| self.packet_as_captured(i)).collect();
            crate::tcp::first_probe::first_probes(&early)
        })
    }

    /// Its segments whose few zero bytes no end took as data (in frame order): the receiver
    /// never acknowledged them and the sender did not count them (`tcp::bytes_not_taken`).
    pub fn not_taken(&self) -> &[NotTaken] {
        &self.not_taken_lists().0
    }

    fn not_taken_lists(&self) -> &(Vec<NotTaken>, Vec<u64>) {
        self.not_taken.get_or_init(|| {
            let raw = || (0..self.len()).filter_map(|i| self.packed(i)).map(PackedPacket::wire);
            // (No wire is made for a connection without a candidate: most have none.)
            if !raw().any(|w| crate::tcp::bytes_not_taken::maybe_not_taken(&w)) {
                return (Vec::new(), Vec::new());
            }
            let wires: Vec<Wire> = raw().collect();
            let not_taken = bytes_not_taken(&wires);
            let new_despite = new_despite_not_taken(&wires, &not_taken);
            (not_taken, new_despite)
        })
    }

    /// Segment `index` exactly as captured (Wireshark's `tcp.len`, its analysis marks).
    pub fn packet_as_captured(&self, index: usize) -> Option<TcpPacket> {
        match self.segments {
            KeptSegments::Packed { packets, side, positions } => {
                let position = *positions.get(index)?;
                Some(packets.get(position as usize)?.unpack(position, (self.stream.client, self.stream.server), side))
            }
            KeptSegments::Reanalysed(r) => r.packet(self.stream, index),
        }
    }

    /// Every segment at hand, in capture order, each unpacked as it comes.
    pub fn packets(&self) -> impl Iterator<Item = TcpPacket> + '_ {
        (0..self.len()).filter_map(move |i| self.packet(i))
    }

    /// Segment `index` as packed.
    fn packed(&self, index: usize) -> Option<&'s PackedPacket> {
        match self.segments {
            KeptSegments::Packed { packets, positions, .. } => packets.get(*positions.get(index)? as usize),
            KeptSegments::Reanalysed(r) => r.packed_segment(self.stream, index),
        }
    }

    /// What replaying the states and counting the bytes need of each segment, in capture
    /// order: read from the packed segments (none unpacked) the first time it is asked for.
    pub fn wires(&self) -> &[Wire] {
        self.wires.get_or_init(|| {
            // Exactly as many as it has (a growing vector doubles, and the wasm heap keeps
            // its peak).
            let mut wires: Vec<Wire> = Vec::with_capacity(self.len());
            match self.segments {
                KeptSegments::Packed { packets, positions, .. } => wires.extend(positions.iter().filter_map(|&p| packets.get(p as usize)).map(PackedPacket::wire)),
                KeptSegments::Reanalysed(_) => wires.extend((0..self.len()).filter_map(|i| self.packed(i)).map(PackedPacket::wire)),
            }
            for w in wires.iter_mut() {
                if let Some(n) = not_taken_at(self.not_taken(), w.frame) {
                    w.len = n.kept;
                }
            }
            wires
        })
    }

    /// What the capture point's estimate needs of each segment, in capture order.
    ///
    /// Frames whose record carries no time are left out: a time of 0 (1970) is not a time.
    pub fn timed(&self) -> impl Iterator<Item = Timed> + '_ {
        let untimed = self.untimed_frames();
        (0..self.len()).filter_map(move |i| self.packed(i)).filter(move |p| untimed.is_none_or(|(a, b)| !(a..=b).contains(&p.frame()))).map(PackedPacket::timed)
    }

    /// Each endpoint's states, replayed from the evidence of its segments (see
    /// [`endpoint_states`]) the first time they are asked for.
    pub fn states(&self) -> &EndpointStates {
        self.states.get_or_init(|| endpoint_states(self.wires(), self.stream.lifecycle.shapes().open == OpenShape::BeforeCapture))
    }
}
