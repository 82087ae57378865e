//! One segment captured twice: the same as an earlier segment of its side in every header field
//! and option, within a millisecond, with nothing new from the peer between that could have
//! prompted a second one. Most likely one packet seen at two points (or duplicated on the way),
//! not a second one sent. One rule for the recovery walk and its episodes (a copy reports no
//! hole: R4b-10, F11), the words (`diagram::explain_context`) and the arrows' tags (the ladder,
//! SVG, Mermaid and PlantUML), so an ACK called a copy is never tagged or counted "Dup ACK".
//!
//! A capture that holds every packet several times interleaves the copies (ndpi_rtsp: four of
//! each, the ACK copies between the RST copies), so the peer segments between may be copies
//! themselves, or segments that prompt nothing of this kind (an RST, or a pure ACK before a pure
//! ACK).

use crate::tcp::TcpPacket;

/// Everything a copy of a segment repeats: sequence and ACK numbers, flags, window, length, the
/// options' bytes' meaning (SACK blocks, timestamps) and the IPv4 identification (a second
/// datagram has another: zeek_http_206_example_b's duplicate ACKs, R4 F5).
type SegmentKey = (u32, u32, u16, u32, u32, Vec<(u32, u32)>, Option<(u32, u32)>, Option<u16>);

fn key(p: &TcpPacket) -> SegmentKey {
    let s = &p.segment;
    let sack = s.options.sack_blocks().iter().map(|b| (b.left, b.right)).collect();
    (s.seq, s.ack, s.flags.0, u32::from(s.window), s.payload_len, sack, s.options.timestamps, s.ip_id)
}

/// How long after the first a copy can still be the same packet.
const COPY_WITHIN_NS: i64 = 1_000_000;
/// Recent segments kept to find the first copy among (a capture rarely holds more than four).
pub const RECENT: usize = 32;

/// One recent segment: its side, time, key, the first copy, and whether it was itself a copy.
#[derive(Debug, Clone)]
struct Recent {
    from_client: bool,
    time_ns: i64,
    key: SegmentKey,
    /// The first copy's frame and time (its own, when it is no copy).
    original: (u64, i64),
    copy: bool,
    prompts_ack: bool,
}

/// Fed a connection's segments in capture order; says of each whether it is a copy of an
/// earlier one.
#[derive(Debug, Clone, Default)]
pub struct CopyWalk {
    recent: std::collections::VecDeque<Recent>,
    /// Per side (client's first): its last IPv4 identification, and whether two differed.
    ids: [(Option<u16>, bool); 2],
}

impl CopyWalk {
    /// If `p` is a copy: the first copy's frame and the time since it.
    pub fn copy_of(&self, p: &TcpPacket) -> Option<(u64, i64)> {
        let k = key(p);
        let f = p.segment.flags;
        let pure_ack = p.segment.payload_len == 0 && !f.syn() && !f.fin() && !f.rst();
        // The same IPv4 identification is the same datagram whatever passed between, from a
        // sender that numbers each datagram anew (R26D-12: ndpi_rtsp's frame 62, a fourth
        // capture of frame 57 after the server's 60, made frame 63, 0xcd96 again, "another ACK";
        // R28-1: zeek_vlan-pcp-dei's client puts 0x0001 on every datagram).
        let numbered = self.numbered(p);
        let mut prompted = false;
        for r in self.recent.iter().rev() {
            let gap = p.time_ns - r.time_ns;
            if !(0..COPY_WITHIN_NS).contains(&gap) {
                return None;
            }
            if r.from_client == p.from_client {
                if r.key == k && (numbered || !prompted) {
                    return Some((r.original.0, p.time_ns - r.original.1));
                }
            } else if !r.copy && (!pure_ack || r.prompts_ack) {
                // Something new from the peer that could have prompted a second one.
                if !numbered {
                    return None;
                }
                prompted = true;
            }
        }
        None
    }

    /// Whether `p`'s sender numbers its datagrams anew (a non-zero identification, and two of
    /// its earlier ones differed).
    pub fn numbered(&self, p: &TcpPacket) -> bool {
        p.segment.ip_id.is_some_and(|id| id != 0) && self.ids[usize::from(!p.from_client)].1
    }

    /// Heap bytes held (the recent segments).
    pub fn heap_bytes(&self) -> usize {
        self.recent.iter().map(|r| std::mem::size_of::<Recent>() + r.key.5.capacity() * 8).sum()
    }

    /// Takes `p` into account for the segments after it.
    pub fn add(&mut self, p: &TcpPacket) {
        let of = self.copy_of(p);
        let f = p.segment.flags;
        // Older than a copy can be: of no use, and a walk kept per connection stays small.
        while self.recent.front().is_some_and(|r| p.time_ns - r.time_ns >= COPY_WITHIN_NS) || self.recent.len() >= RECENT {
            self.recent.pop_front();
        }
        let prompts_ack = p.segment.payload_len > 0 || f.syn() || f.fin();
        let original = of.map_or((p.frame, p.time_ns), |(frame, gap)| (frame, p.time_ns - gap));
        if let Some(id) = p.segment.ip_id {
            let side = &mut self.ids[usize::from(!p.from_client)];
            side.1 |= side.0.is_some_and(|last| last != id);
            side.0 = Some(id);
        }
        self.recent.push_back(Recent { from_client: p.from_client, time_ns: p.time_ns, key: key(p), original, copy: of.is_some(), prompts_ack });
    }
}


/// Per side (client's first), the bytes of keep-alive and window probes captured twice: the
/// recovery walk leaves probes out of its resends, so their copies were counted as sent again
/// (R23D-4: ndpi_1kxun's keep-alives, each one datagram captured twice, 34–132 µs apart).
#[derive(Debug, Clone, Default)]
pub struct ProbeCopies {
    walk: CopyWalk,
    pub bytes: [u64; 2],
}

impl ProbeCopies {
    pub fn add(&mut self, p: &TcpPacket) {
        use crate::tcp::analysis::AnalysisFlags;
        let probe = p.analysis.flags.has(AnalysisFlags::KEEP_ALIVE) || p.analysis.flags.has(AnalysisFlags::ZERO_WINDOW_PROBE);
        if probe && p.segment.payload_len > 0 && self.walk.copy_of(p).is_some() {
            self.bytes[usize::from(!p.from_client)] += u64::from(p.segment.payload_len);
        }
        self.walk.add(p);
    }

    /// Heap bytes held.
    pub fn heap_bytes(&self) -> usize {
        self.walk.heap_bytes()
    }
}

/// [`ProbeCopies`] of a connection's segments.
pub fn probe_copy_bytes(packets: impl Iterator<Item = TcpPacket>) -> [u64; 2] {
    let mut copies = ProbeCopies::default();
    packets.for_each(|p| copies.add(&p));
    copies.bytes
}
