//! Datagrams a sender sent that the capture point did not see, from its IPv4 identification
//! (issue #23, R7a-5). Linux numbers a connection's datagrams one by one (a counter per socket,
//! RFC 6864 allows any scheme for atomic datagrams); where a sender's identifications have gone
//! up by exactly one at (nearly) every step so far, a jump of k + 1 says k datagrams went by
//! unseen — lost before the capture point, or routed another way. That is how the receiver's
//! capture of a tail loss knows a segment was lost before it: tests/captures/lossy/tail_loss
//! at the receiver, 0x0180 → 0x0182 before frame 22, the resent last segment.

/// Steps (pairs of consecutive datagrams) needed before the numbering is trusted.
const MIN_STEPS: u32 = 8;
/// A jump larger than this is no count of lost datagrams (a counter shared with other
/// connections, or a new numbering).
const MAX_SKIPPED: u16 = 16;
/// Of a sender's steps, at least this many in a hundred go up by exactly one.
const ONES_PERCENT: u64 = 90;
/// A sender that skips more often than this in one connection is taken to share its counter
/// with other connections (a host-wide counter interleaves their datagrams: ndpi_rtsp's client
/// skipped 8 at a time, six times, ndpi_ipp's one at a time again and again).
const MAX_SKIPS: u32 = 3;

/// The datagrams a captured record of `payload_len` bytes stands for when its sender's segments
/// are at most `mss` (without the peer's SYN, Ethernet's 1460): more than one where the
/// capturing host merged segments (GRO/LRO).
pub fn datagrams_in(payload_len: u32, mss: Option<u16>) -> u16 {
    payload_len.div_ceil(u32::from(mss.unwrap_or(1460)).max(536)).clamp(1, u32::from(MAX_SKIPPED) * 4) as u16
}

/// One sender's identifications as its datagrams pass.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct IpIdTrack {
    last: Option<u16>,
    /// Datagrams the previous record stood for: more than one where the capturing host merged
    /// segments (GRO/LRO: a record larger than the MSS, R6b F10), which used as many numbers.
    last_datagrams: u16,
    /// The previous record's payload, and the largest payload of a record the next step showed
    /// to be one datagram: a longer record may be two the capturing host merged (GRO keeps all
    /// but the last at one size), so one number skipped after it is no datagram unseen (R40D-2:
    /// ndpi_1kxun stream 50's frame 1314, 1459 bytes where this server's segments are 1440).
    last_len: u32,
    single_max: u32,
    steps: u32,
    ones: u32,
    skips: u32,
}

impl IpIdTrack {
    /// How many datagrams went unseen before one carrying `id`, if this sender numbers one by
    /// one as far as seen (at least 9 steps in 10 by exactly one).
    pub fn skipped_before(&self, id: Option<u16>) -> Option<u16> {
        let (id, last) = (id?, self.last?);
        let step = id.wrapping_sub(last).wrapping_sub(self.last_datagrams.max(1) - 1);
        let sequential = self.steps >= MIN_STEPS && self.one_by_one();
        (sequential && (2..=MAX_SKIPPED + 1).contains(&step) && !self.maybe_merged(step)).then(|| step - 1)
    }

    /// One number more than the previous record stood for, after a record longer than any
    /// shown to be one datagram: it may have been two.
    fn maybe_merged(&self, step: u16) -> bool {
        step == 2 && self.last_datagrams <= 1 && self.last_len > self.single_max
    }

    /// At least [`ONES_PERCENT`] of its steps so far went up by exactly one, and it skipped
    /// no more than [`MAX_SKIPS`] times.
    fn one_by_one(&self) -> bool {
        u64::from(self.ones) * 100 >= u64::from(self.steps) * ONES_PERCENT && self.skips <= MAX_SKIPS
    }

    /// Its steps so far, and how many of them went up by exactly one.
    pub fn steps(&self) -> (u32, u32) {
        (self.steps, self.ones)
    }

    /// It numbers its datagrams one by one, as far as seen (enough steps to trust it).
    pub fn one_by_one_so_far(&self) -> bool {
        self.steps >= MIN_STEPS && self.one_by_one()
    }

    /// The previous datagram's identification.
    pub fn last(&self) -> Option<u16> {
        self.last
    }

    /// Takes the next record of this sender, standing for `datagrams` datagrams (a copy, the
    /// same identification, is no step; an older one — reordered on the way — leaves the
    /// highest as it was).
    pub fn add(&mut self, id: Option<u16>, datagrams: u16, payload_len: u32) {
        let Some(id) = id else { return };
        // An identification of 0 before any step is a SYN-ACK's (Linux answers a SYN with 0,
        // before the connection's counter exists): no start of the numbering (R22-5: the
        // numbering ndpi_heuristic stream 5's server began at 0xd2c2 was never followed).
        if id == 0 && self.steps == 0 {
            return;
        }
        if let Some(last) = self.last {
            let step = id.wrapping_sub(last).wrapping_sub(self.last_datagrams.max(1) - 1);
            if step == 0 || step > 0x8000 {
                return;
            }
            let merged = self.maybe_merged(step);
            self.steps += 1;
            self.ones += u32::from(step == 1 || merged);
            self.skips += u32::from((2..=MAX_SKIPPED + 1).contains(&step) && !merged);
            if step == 1 && self.last_datagrams <= 1 {
                self.single_max = self.single_max.max(self.last_len);
            }
        }
        self.last = Some(id);
        self.last_datagrams = datagrams;
        self.last_len = payload_len;
    }
}

/// Datagrams of one sender that did not pass the capture point, seen as a skip before `frame`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct UnseenDatagrams {
    pub frame: u64,
    pub from_client: bool,
    /// The identifications of the sender's previous datagram here and of this one.
    pub before: u16,
    pub after: u16,
    pub skipped: u16,
    /// The bytes (relative, first and last) the peer had acknowledged past everything this
    /// sender's captured segments held, right up to this segment, and that ACK's frame: one
    /// datagram missing carried them and reached the peer (R23D-7: ndpi_heuristic stream 0's
    /// 0x5105, bytes 5246–5285, acknowledged in frame 55).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub carried: Option<(u32, u32, u64)>,
}

/// Every skip in a connection's segments (capture order), less the identifications that pass
/// later after all (a datagram reordered on the way is late, not unseen).
pub fn unseen_datagrams<'a>(packets: impl IntoIterator<Item = &'a crate::tcp::TcpPacket>) -> Vec<UnseenDatagrams> {
    let mut walk = UnseenWalk::default();
    packets.into_iter().for_each(|p| walk.add(p));
    walk.finish()
}

/// The same, a segment at a time: it keeps the skips and the identifications still missing
/// (at most [`MAX_MISSING`]), not every identification seen.
#[derive(Debug, Clone, Default)]
pub struct UnseenWalk {
    tracks: [IpIdTrack; 2],
    out: Vec<UnseenDatagrams>,
    /// Identifications skipped and not seen since: (the skip's index in `out`, sender, id).
    missing: std::collections::VecDeque<(usize, bool, u16)>,
    /// The MSS each side announced in its SYN (index 1: the client's): the other side's segments
    /// are no larger, so a larger record is several merged.
    mss: [Option<u16>; 2],
    /// Per sender (index 1: the client's), the end of its data captured (relative), and the
    /// peer's highest ACK of it with that ACK's frame.
    data_end: [Option<u32>; 2],
    acked: [Option<(u32, u64)>; 2],
}

/// Missing identifications remembered at most (a late one older than that stays unseen).
const MAX_MISSING: usize = 4096;

impl UnseenWalk {
    pub fn add(&mut self, p: &crate::tcp::TcpPacket) {
        if p.segment.flags.syn() {
            self.mss[usize::from(p.from_client)] = p.segment.options.mss.or(self.mss[usize::from(p.from_client)]);
        }
        let Some(id) = p.segment.ip_id else {
            self.note_bytes(p);
            return;
        };
        let datagrams = datagrams_in(p.segment.payload_len, self.mss[usize::from(!p.from_client)]);
        let track = &mut self.tracks[usize::from(p.from_client)];
        if let (Some(skipped), Some(before)) = (track.skipped_before(Some(id)), track.last()) {
            for k in 1..=skipped {
                if self.missing.len() == MAX_MISSING {
                    self.missing.pop_front();
                }
                self.missing.push_back((self.out.len(), p.from_client, before.wrapping_add(k)));
            }
            let side = usize::from(p.from_client);
            // (Sequence numbers compared by wrapping difference: relative ones stay small.)
            let carried = match (self.data_end[side], self.acked[side]) {
                (Some(end), Some((ack, frame))) if skipped == 1 && ack.wrapping_sub(end) as i32 > 0 && p.seq.wrapping_sub(ack) as i32 <= 0 => Some((end, ack - 1, frame)),
                _ => None,
            };
            self.out.push(UnseenDatagrams { frame: p.frame, from_client: p.from_client, before, after: id, skipped, carried });
        } else if let Some(at) = self.missing.iter().position(|&(_, side, m)| side == p.from_client && m == id) {
            // Late, not lost: reordered on the way.
            let (skip, ..) = self.missing.remove(at).unwrap_or_default();
            self.out[skip].skipped -= 1;
        }
        track.add(Some(id), datagrams, p.segment.payload_len);
        self.note_bytes(p);
    }

    /// The sender's data end and the peer's ACK of it, after `p`.
    fn note_bytes(&mut self, p: &crate::tcp::TcpPacket) {
        let (me, f) = (usize::from(p.from_client), p.segment.flags);
        if p.segment.payload_len > 0 {
            let end = p.seq.wrapping_add(p.segment.payload_len);
            if self.data_end[me].is_none_or(|e| end.wrapping_sub(e) as i32 > 0) {
                self.data_end[me] = Some(end);
            }
        }
        if f.ack() && !f.rst() && !f.syn() && self.acked[1 - me].is_none_or(|(a, _)| p.ack.wrapping_sub(a) as i32 > 0) {
            self.acked[1 - me] = Some((p.ack, p.frame));
        }
    }

    /// Heap bytes held (for a memory limit).
    pub fn heap_bytes(&self) -> usize {
        self.out.capacity() * std::mem::size_of::<UnseenDatagrams>() + self.missing.capacity() * 16
    }

    pub fn finish(mut self) -> Vec<UnseenDatagrams> {
        let tracks = self.tracks;
        self.out.retain(|u| u.skipped > 0 && tracks[usize::from(u.from_client)].one_by_one());
        self.out
    }
}

/// "The client's IPv4 identification goes from 0x0180 (its previous datagram here) to 0x0182"
/// and what that says, for the segment after the skip.
pub fn unseen_sentence(u: &UnseenDatagrams) -> String {
    let who = if u.from_client { "client" } else { "server" };
    let n = if u.skipped == 1 { "1 datagram it numbered in between is".to_string() } else { format!("{} datagrams it numbered in between are", u.skipped) };
    if let Some((first, last, ack_frame)) = u.carried {
        let peer = if u.from_client { "server" } else { "client" };
        return format!(
            "The {who}'s IPv4 identification goes from {:#06x} (its previous datagram here) to {:#06x}: it numbers its datagrams one by one, so 1 datagram it numbered in between is not in this capture. It most likely carried bytes {first} to {last}, which no segment here holds and the {peer}'s frame {ack_frame} acknowledges: it reached the {peer}, and the capture dropped it (or it took a path the capture does not see).",
            u.before, u.after
        );
    }
    format!(
        "The {who}'s IPv4 identification goes from {:#06x} (its previous datagram here) to {:#06x}: it numbers its datagrams one by one, so {n} not in this capture — lost before the capture point, dropped by the capture itself (or filtered out of it), or sent on another connection if its stack numbers them all from one counter (inferred from the numbering; what {} carried does not show).",
        u.before,
        u.after,
        if u.skipped == 1 { "it" } else { "they" }
    )
}
