//! Why an ACK came when it did (issue #23): an ACK's "ACK-RTT" (the time since the segment it
//! acknowledges exactly) is a round trip only when nothing else held it back. A pure ACK of
//! less than two full segments, sent 40–250 ms later than this side's quickest ACKs, is most
//! likely its delayed-ACK timer (RFC 1122 4.2.3.2, RFC 9293 3.8.6.3: Linux waits at least
//! 40 ms, others about 200 ms); an ACK that could only move once bytes below the segment it
//! names were filled in measures the repair, not a round trip; an ACK riding on data is
//! piggybacked. Everything here is read from the packets in capture order, so the walk that
//! explains segment N has seen only segments 1..N (and the words say "likely").

use crate::tcp::handshake_clock::HandshakeClock;
use crate::tcp::seq::SeqNumber;
use crate::tcp::TcpPacket;

/// Less than this over the side's quickest ACK is a round trip's jitter, not a timer.
const DELAY_MIN_NS: i64 = 35_000_000;
/// More than this over the side's quickest ACK is no delayed-ACK timer (Linux: 200 ms at most,
/// RFC 9293 3.8.6.3: under 500 ms, in practice 200 ms elsewhere), but something held on the way.
const DELAY_MAX_NS: i64 = 250_000_000;
/// A side whose quickest ACK at the capture point is within this is close to it: a copy that
/// passed here reached it (a millisecond more is the margin for its stack).
const NEAR_NS: i64 = 1_000_000;
/// The unacknowledged segments kept per side (a window's worth; older ones are forgotten).
const PENDING_MAX: usize = 4096;

/// When an ACK came, and why (as the packets show it).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AckTiming {
    /// The ACK came with no visible reason to wait: `rtt_ns` after frame `frame`.
    Prompt { frame: u64, rtt_ns: i64 },
    /// Prompt, but well above this side's quickest ACK (a quarter more and 2 ms): the round trip
    /// and time the receiver took, or a slower path (R23A-2: receiver_limited_at_sender's ACKs,
    /// 40–54 ms on a 30.4 ms path, held ~20 ms by the receiver by its own timestamps).
    Longer { frame: u64, rtt_ns: i64, base_ns: i64 },
    /// A pure ACK of `bytes` (less than two full segments) sent `wait_ns` later than this side's
    /// quickest ACK (`base_ns`) would have been: most likely the delayed-ACK timer.
    Delayed { frame: u64, rtt_ns: i64, base_ns: i64, wait_ns: i64, bytes: u32 },
    /// The ACK could only move once frame `filler` (captured after `frame`) filled bytes below
    /// it: `rtt_ns` is how long the bytes of `frame` waited for that repair.
    /// `first_above` is the first captured segment above the hole, `waited_ns` before this ACK.
    /// `hole_wait_ns`: from `first_above` to the filler (both passed here, so about as long
    /// as the bytes above waited at the receiver, wherever the capture point: R14-10).
    /// `filler_order`: what the filler was (R14-4/5: the IP identifications often tell).
    /// `repair_at_once`: the filler passed within half the quickest round trip after `frame`
    /// (R13a-F3: drop_mid_at_sender's repair 0.05 ms after frame 265), so `rtt_ns` is still
    /// about a round trip.
    HoleFilled { frame: u64, rtt_ns: i64, filler: u64, filler_ago_ns: i64, bytes: u32, first_above: u64, waited_ns: i64, hole_wait_ns: i64, filler_order: FillerOrder, repair_at_once: bool },
    /// The bytes of `frame` were sent again in frame `resend` (captured `resend_ago_ns` before
    /// this ACK). Without timestamps which copy arrived cannot be told (Karn's ambiguity, RFC
    /// 6298 §3); with them, `echoed` is the one copy whose TSval the ACK echoes (RFC 7323 §4.3:
    /// a segment that fills the receiver's next expected byte sets the echoed value): that copy
    /// arrived, `echoed_ago_ns` before this ACK, and the value echoed is `tsecr`.
    /// `settled`: without an echo, this side's previous ACK may settle it (R22-1, R23C-2:
    /// zeek_tcp_reassembly's frame 65 asked for byte 13391 after frame 48's copy of it had had
    /// time to arrive, so frame 67 answers frame 66's).
    Resent { frame: u64, rtt_ns: i64, resend: u64, resend_ago_ns: i64, echoed: Option<(u64, i64, u32)>, settled: Option<Settled> },
    /// Far longer than this side's quickest ACK (`base_ns`) with no timer to explain it: held
    /// somewhere on the way (or by a busy receiver). `lacked`: this side's previous ACK stopped
    /// below this one's after the bytes between could have arrived.
    Held { frame: u64, rtt_ns: i64, base_ns: i64, lacked: Option<Lacked> },
    /// Longer than this side's quickest ACK by more than any delayed-ACK timer, but less than
    /// twice it: a slower path this time, a delayed ACK or a busy receiver — the capture cannot
    /// tell which (R4 M8).
    Slower { frame: u64, rtt_ns: i64, base_ns: i64 },
    /// A segment with data whose ACK field moved: the ACK rides on the data.
    /// (`alone_unseen`: the capture holds no ACK alone of this connection: [`AckWalk::payload_only`].)
    Piggybacked { frame: u64, rtt_ns: i64, ack: u32, alone_unseen: bool },
}

/// This side's previous ACK, sent after every captured copy of the bytes from its ack up to
/// the held frame's end could have arrived, stopped at `earlier_ack`: the receiver lacked that
/// byte then (had it held the bytes out of order, that ACK would have covered them; R17b-16).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Lacked {
    /// The earlier ACK's frame, how long before this ACK it passed, and its ack.
    pub earlier: u64,
    pub ago_ns: i64,
    pub earlier_ack: u32,
    /// The last byte this ACK covers (the held frame's last).
    pub last: u32,
    /// The earlier ack is a byte of the held frame itself.
    pub within: bool,
    /// The capture is at the data's sender, which holds every copy it sent.
    pub at_sender: bool,
    /// Every datagram the data's sender numbered after the held frame, up to this ACK, passed
    /// here (its IPv4 identifications went up by one at each step): no copy went by unseen
    /// (R22-5: ndpi_heuristic stream 5's server, 0xd2c2 to 0xd2ed without a gap).
    pub ids_unbroken: bool,
}

/// This side's previous ACK (`earlier`, `earlier_ago_ns` before this one) still asked for byte
/// `byte`, `passed_ns` or more after every earlier copy of it passed a capture point close to
/// this side (its quickest ACK here `base_ns`): none of them was taken in, so this ACK could
/// move only once the one later copy (`copy`, `copy_ago_ns` before it) brought that byte.
/// (R26: spurious_rto_at_sender's frame 162 also asked for a byte 30 ms after its copy, frame
/// 129, passed the sender; the relay held that copy 450 ms and it, not frame 188's resend,
/// arrived first. Only near the receiver does "had passed here" mean "had arrived".)
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Settled {
    pub earlier: u64,
    pub earlier_ago_ns: i64,
    pub passed_ns: i64,
    pub base_ns: i64,
    pub byte: u32,
    pub copy: u64,
    pub copy_ago_ns: i64,
}

/// What the segment that filled a hole was, as far as the capture shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FillerOrder {
    /// An earlier copy of its bytes passed the capture point: it is a resend.
    Resent,
    /// The first copy here, and its IP identification is just above that of the last segment
    /// above the hole (`after`, with `id` and `after_id`): it left the sender after them, as
    /// only a resend does; no earlier copy passed here (R14-5: rack's frame 22 after frame 20).
    FirstResent { id: u16, after: u64, after_id: u16 },
    /// The first copy here, its IP identification just below that of the first segment above
    /// the hole (`before`): sent before them, overtaken on the way (R14-5: reorder's frame
    /// 132, 0xebb9, under frame 128's 0xebba; R11b-10: ctu-64702-888's frame 7).
    FirstOvertaken { id: u16, before: u64, before_id: u16 },
    /// The first copy here, and the identifications say nothing (random, absent, or far apart).
    First,
}

/// IP identifications this close count as one sender's counter (Linux numbers a connection's
/// datagrams one by one; a host-wide counter moves a little faster): a random one falls this
/// close by chance once in about two thousand.
const ID_NEAR: i16 = 32;

/// One unacknowledged segment (or FIN) of the peer's: frame, time, first and end seq, its TSval
/// if it carried timestamps, its IPv4 identification.
#[derive(Debug, Clone, Copy)]
struct Pending {
    frame: u64,
    time: i64,
    start: SeqNumber,
    end: SeqNumber,
    tsval: Option<u32>,
    ip_id: Option<u16>,
    /// Its sender's identification steps (all, and by exactly one) once it was taken in.
    id_steps: (u32, u32),
}

/// One side's ACKs so far, and the peer's data it has not yet acknowledged.
#[derive(Debug, Clone, Default)]
struct Side {
    /// The quickest ACK-RTT of this side's segments so far (the SYN-ACK and the handshake's ACK
    /// included: a kernel answers them at once).
    base_ns: Option<i64>,
    /// The last acknowledgement number it sent, and that ACK's frame and time.
    last_ack: Option<SeqNumber>,
    last_ack_at: Option<(u64, i64)>,
    /// The peer's data (or FIN) segments it has not acknowledged yet (at most [`PENDING_MAX`]:
    /// a capture of one direction never acknowledges any). A segment captured twice is kept
    /// once (R14-7: ndpi_rtsp's four copies of each were taken for resends).
    pending: Vec<Pending>,
    /// The largest payload the peer sent so far (a "full segment").
    full: u32,
    /// Where the peer's FIN sits (its sequence number), once sent.
    fin_seq: Option<SeqNumber>,
}

/// The walk over a connection's segments that says, for each ACK, why it came when it did.
#[derive(Debug, Clone, Default)]
pub struct AckWalk {
    /// Client's ACKs (0), server's (1).
    sides: [Side; 2],
    /// The handshake's round trip at the capture point (SYN to the ACK of the SYN-ACK): no
    /// copy sooner than half of it after the first can be a resend.
    handshake: HandshakeClock,
    /// Frames whose record carries no time: no round trip is learnt from them.
    pub untimed: Option<(u64, u64)>,
    /// The capture holds none of the connection's segments without data (R11b-03): whether a
    /// separate ACK went before a piggybacked one does not show.
    pub payload_only: bool,
    /// The smaller MSS the SYNs announced, less the timestamps option once segments carry it:
    /// a full segment on the wire. A frame the capturing host merged (GRO) is larger than one
    /// (R11b-05: ndpi_ipp frame 229, 2896 bytes = two 1448-byte segments, "less than two").
    wire_segment: Option<u32>,
    stamped: bool,
    copies: crate::tcp::copies::CopyWalk,
    /// Each sender's IPv4 identifications (index as `sides`: the client's datagrams at 0).
    ids: [crate::tcp::ip_id::IpIdTrack; 2],
}

impl AckWalk {
    fn side(from_client: bool) -> usize {
        usize::from(!from_client)
    }

    /// The timing of `p`'s ACK (`None`: it acknowledges no segment exactly), from the segments
    /// seen before it.
    pub fn timing(&self, p: &TcpPacket) -> Option<AckTiming> {
        let (frame, rtt_ns) = (p.analysis.acked_frame, p.analysis.ack_rtt_ns);
        let f = p.segment.flags;
        if frame == 0 || !f.ack() || f.rst() || f.syn() {
            return None;
        }
        // Wireshark names the segment the ACK ends as captured; where those bytes were no data
        // (R13b-5) the segment the ACK does end at is a later one (R18-13: ndpi_heuristic's
        // frame 63, ack=5287, is one past the FIN of frame 62, not the end of frame 56's zeros).
        let pending = &self.sides[Self::side(p.from_client)].pending;
        // (Oldest first: the segment named is near the front, so both looks end soon.)
        let named_pending = pending.iter().any(|x| x.frame == frame);
        let (frame, rtt_ns) = match pending.iter().find(|q| !named_pending && q.end == SeqNumber(p.ack) && q.frame > frame) {
            Some(q) => (q.frame, p.time_ns - q.time),
            None => (frame, rtt_ns),
        };
        if p.segment.payload_len > 0 {
            return Some(AckTiming::Piggybacked { frame, rtt_ns, ack: p.ack, alone_unseen: self.payload_only });
        }
        // An ACK stamped with the very time of the segment it acknowledges: no measurement (a
        // capture that gave a batch of packets one time, R4 M7: zeek_nflog-http).
        if rtt_ns == 0 {
            return Some(AckTiming::Prompt { frame, rtt_ns: 0 });
        }
        let me = &self.sides[Self::side(p.from_client)];
        let ack = SeqNumber(p.ack);
        // An ACK that moves no further than this side's last acknowledges nothing anew: no time
        // is measured from it (R23D-10: ndpi_heuristic stream 5's frame 228, ack=1 again with a
        // D-SACK of a SYN-ACK copy, was "33.1 ms after frame 222: the round trip").
        if me.last_ack.is_some_and(|last| !ack.after(last)) {
            return None;
        }
        // Data bytes newly acknowledged (a FIN counts one sequence number, but no data).
        let fin_acked = me.fin_seq.is_some_and(|fin| fin.before(ack) && me.last_ack.is_none_or(|last| fin.at_or_after(last)));
        let bytes = me.last_ack.filter(|last| ack.after(*last)).map_or(0, |last| ack - last).saturating_sub(u32::from(fin_acked));
        let at = me.pending.iter().position(|q| q.frame == frame);
        if let Some(k) = at {
            let acked_start = me.pending[k].start;
            // A later captured segment carrying bytes below the one acknowledged: the ACK waited for it.
            let hole_start = me.last_ack.unwrap_or(acked_start);
            let acked_end = me.pending[k].end;
            // A later copy of the bytes acknowledged: the ACK may be for either.
            // A copy sooner than half this side's quickest ACK after the one named (before any
            // ACK, within a millisecond) is the same segment captured twice (no resend can come
            // that soon): not a second copy.
            let acked_time = me.pending[k].time;
            let within = self.handshake.path_rtt_ns().or(me.base_ns).map_or(1_000_000, |rtt| rtt / 2);
            let same_capture = |time: i64| time - acked_time < within.max(1);
            let same_capture_as = |a: i64, b: i64| (b - a).abs() < within.max(1);
            // (A copy of its last bytes counts: zeek_tcp_reassembly frame 116 resends the tail of
            // frame 110, whose head frame 112 resent; frame 117 answers 116 0.41 ms later, R13b-4.)
            let covers = |q: &&Pending| q.start.before(acked_end) && q.end.at_or_after(acked_end) && (q.frame == frame || !same_capture(q.time));
            if let Some(&Pending { frame: resend, time, .. }) = me.pending[k + 1..].iter().rev().find(covers) {
                // The copy the ACK's timestamp echo names, if exactly one copy carried that TSval.
                let echoed = p.segment.options.timestamps.and_then(|(_, tsecr)| {
                    let mut named = me.pending[k..].iter().filter(covers).filter(|c| c.tsval == Some(tsecr));
                    match (named.next(), named.next()) {
                        (Some(c), None) => Some((c.frame, p.time_ns - c.time, tsecr)),
                        _ => None,
                    }
                });
                let settled = echoed.is_none().then(|| settled_by_earlier_ack(me, p.time_ns)).flatten();
                return Some(AckTiming::Resent { frame, rtt_ns, resend, resend_ago_ns: p.time_ns - time, echoed, settled });
            }
            if let Some(f_at) = me.pending.iter().rposition(|q| q.frame != frame && q.start.before(acked_start) && q.end.after(hole_start)).filter(|&i| i > k) {
                // The same segment captured twice names its first capture (ctu-64702-888's frame
                // 8 is frame 7 again, 0 ms later).
                let last = me.pending[f_at];
                let f_at = (k + 1..f_at).find(|&i| matches!(me.pending[i], q if q.start == last.start && q.end == last.end && same_capture_as(q.time, last.time))).unwrap_or(f_at);
                let filler = me.pending[f_at];
                let first_copy = !me.pending[..f_at].iter().any(|q| q.start.before(filler.end) && q.end.after(filler.start));
                // The bytes above the hole (past the repair's end: R11b-01, fast009's frame 22
                // lay inside the hole frame 36 filled) captured before its repair.
                let mut above = me.pending[..f_at].iter().filter(|q| q.start.at_or_after(filler.end));
                let first = above.next().copied().unwrap_or(me.pending[k]);
                let last = above.last().copied().unwrap_or(first);
                let filler_order = if first_copy { filler_order(filler, first, last) } else { FillerOrder::Resent };
                return Some(AckTiming::HoleFilled { frame, rtt_ns, filler: filler.frame, filler_ago_ns: p.time_ns - filler.time, bytes, first_above: first.frame, waited_ns: p.time_ns - first.time, hole_wait_ns: filler.time - first.time, filler_order, repair_at_once: same_capture_as(acked_time, filler.time) });
            }
        }
        let Some(base_ns) = me.base_ns else { return Some(AckTiming::Prompt { frame, rtt_ns }) };
        let wait_ns = rtt_ns.saturating_sub(base_ns); // (clocks a stranger wrote can be any i64)
        // The one unacknowledged piece of data: nothing new from the peer captured after it
        // (copies of what it acknowledges, such as a FIN sent again, do not count).
        let last_pending = at.is_some_and(|k| me.pending[k + 1..].iter().all(|q| q.end.at_or_before(ack)));
        let full = self.wire_segment.map_or(me.full, |w| me.full.min(w.saturating_sub(if self.stamped { 12 } else { 0 })));
        let small = bytes < 2 * full.max(1);
        if !f.fin() && last_pending && small && (DELAY_MIN_NS..=DELAY_MAX_NS).contains(&wait_ns) {
            return Some(AckTiming::Delayed { frame, rtt_ns, base_ns, wait_ns, bytes });
        }
        // "Far longer" than the quickest: at least twice it, not only past every delayed-ACK
        // timer (R4 M8: zeek_tcp_rst-inject-rae, 1.583 s against one sample of 1.266 s is a
        // slow path, perhaps plus a delayed ACK, not a held segment).
        if wait_ns > DELAY_MAX_NS && rtt_ns >= base_ns.saturating_mul(2) {
            let sent = me.pending.iter().find(|q| q.frame == frame);
            // The earlier ACK may stop below `frame` too, at a byte an earlier segment carried
            // (R20: zeek_tcp_reassembly's frame 43 stopped at 9023, inside frame 22, and frame
            // 44 covers it with frame 24's): every captured copy of the bytes between must have
            // had time to arrive before it.
            let lacked = me.last_ack.zip(me.last_ack_at).zip(sent).filter(|((a, (_, t)), q)| {
                let between = |c: &&Pending| c.end.after(*a) && c.start.before(q.end);
                a.before(q.end)
                    && me.pending.iter().any(|c| c.start.at_or_before(*a) && c.end.after(*a))
                    && me.pending.iter().filter(between).all(|c| *t >= c.time.saturating_add(base_ns))
            });
            let ids = &self.ids[Self::side(!p.from_client)];
            let ids_unbroken = |q: &Pending| ids.one_by_one_so_far() && ids.steps().0 > q.id_steps.0 && ids.steps().0 - q.id_steps.0 == ids.steps().1 - q.id_steps.1;
            let lacked = lacked.map(|((a, (f, t)), q)| Lacked { earlier: f, ago_ns: p.time_ns - t, earlier_ack: a.0, last: q.end.0.wrapping_sub(1), within: a.at_or_after(q.start), at_sender: self.handshake.at(!p.from_client), ids_unbroken: ids_unbroken(q) });
            return Some(AckTiming::Held { frame, rtt_ns, base_ns, lacked });
        }
        // Twice this side's quickest and a millisecond more is no round trip either (R11a-2: at
        // the receiver's own capture point, its quickest ACK 0.004 ms, an ACK 19.7 ms after the
        // data waited for its application to read and reopen the window).
        if wait_ns > DELAY_MAX_NS || rtt_ns >= base_ns.saturating_mul(2).saturating_add(1_000_000) {
            return Some(AckTiming::Slower { frame, rtt_ns, base_ns });
        }
        if rtt_ns >= base_ns.saturating_add(base_ns / 4).saturating_add(2_000_000) {
            return Some(AckTiming::Longer { frame, rtt_ns, base_ns });
        }
        Some(AckTiming::Prompt { frame, rtt_ns })
    }

    /// Takes `p` into account for the segments after it.
    pub fn add(&mut self, p: &TcpPacket) {
        let me = Self::side(p.from_client);
        let f = p.segment.flags;
        self.handshake.add(p);
        if let Some(mss) = p.segment.options.mss.filter(|_| f.syn()).map(u32::from) {
            self.wire_segment = Some(self.wire_segment.map_or(mss, |w| w.min(mss)));
        }
        self.stamped |= p.segment.options.timestamps.is_some() && !f.syn();
        let len = p.segment.payload_len;
        let copy = self.copies.copy_of(p).is_some();
        self.copies.add(p);
        self.ids[me].add(p.segment.ip_id, crate::tcp::ip_id::datagrams_in(len, None), len);
        if (len > 0 || f.fin()) && !copy {
            // The peer's side keeps what this side sent and is not acknowledged yet.
            let peer = &mut self.sides[1 - me];
            let start = SeqNumber(p.seq) + u32::from(f.syn());
            if peer.pending.len() >= PENDING_MAX {
                peer.pending.drain(..PENDING_MAX / 2);
            }
            peer.pending.push(Pending { frame: p.frame, time: p.time_ns, start, end: SeqNumber(p.next_seq()), tsval: p.segment.options.timestamps.map(|(tsval, _)| tsval), ip_id: p.segment.ip_id, id_steps: self.ids[me].steps() });
            peer.full = peer.full.max(len);
            if f.fin() {
                peer.fin_seq = Some(SeqNumber(p.next_seq()) - 1);
            }
        }
        if f.ack() && !f.rst() {
            let side = &mut self.sides[me];
            let untimed = |f: u64| self.untimed.is_some_and(|(a, b)| (a..=b).contains(&f));
            // A round trip of 0 is two frames stamped alike (a batch of packets given one time,
            // R4 M7: zeek_nflog-http), not a measurement.
            if p.analysis.acked_frame > 0 && p.analysis.ack_rtt_ns > 0 && !untimed(p.frame) && !untimed(p.analysis.acked_frame) {
                side.base_ns = Some(side.base_ns.map_or(p.analysis.ack_rtt_ns, |b| b.min(p.analysis.ack_rtt_ns)));
            }
            let ack = SeqNumber(p.ack);
            if side.last_ack.is_none_or(|last| ack.after(last)) {
                side.last_ack = Some(ack);
                side.last_ack_at = Some((p.frame, p.time_ns));
                side.pending.retain(|q| q.end.after(ack));
            }
        }
    }
}

/// Which copy this side's ACK at `now` answers, where its previous ACK settles it: the capture
/// is close to this side (its quickest ACK within [`NEAR_NS`]), that ACK stopped at a byte every
/// copy captured well before it carried, and exactly one copy of the byte came later.
fn settled_by_earlier_ack(me: &Side, now: i64) -> Option<Settled> {
    let (a, (earlier, t), base) = (me.last_ack?, me.last_ack_at?, me.base_ns?);
    if base > NEAR_NS {
        return None;
    }
    let carries = |q: &&Pending| q.start.at_or_before(a) && q.end.after(a);
    let had_time = |q: &&Pending| q.time.saturating_add(base).saturating_add(NEAR_NS) <= t;
    let mut later = me.pending.iter().filter(carries).filter(|q| !had_time(q));
    let (copy, None) = (later.next()?, later.next()) else { return None };
    // Some copy went earlier and was not taken in (else there is nothing to settle).
    let last_early = me.pending.iter().filter(carries).filter(had_time).map(|q| q.time).max()?;
    Some(Settled { earlier, earlier_ago_ns: now.saturating_sub(t), passed_ns: t.saturating_sub(last_early), base_ns: base, byte: a.0, copy: copy.frame, copy_ago_ns: now.saturating_sub(copy.time) })
}

/// What a first copy that filled a hole was, by its IP identification against the bytes above
/// the hole (`first` and `last` of them in capture order).
fn filler_order(filler: Pending, first: Pending, last: Pending) -> FillerOrder {
    let (Some(id), Some(first_id), Some(last_id)) = (filler.ip_id, first.ip_id, last.ip_id) else { return FillerOrder::First };
    // (0: a sender that does not number atomic datagrams, RFC 6864.)
    if id == 0 || first_id == 0 || last_id == 0 {
        return FillerOrder::First;
    }
    let step = |from: u16| id.wrapping_sub(from) as i16;
    if (1..=ID_NEAR).contains(&step(last_id)) {
        return FillerOrder::FirstResent { id, after: last.frame, after_id: last_id };
    }
    if (-ID_NEAR..=-1).contains(&step(first_id)) {
        return FillerOrder::FirstOvertaken { id, before: first.frame, before_id: first_id };
    }
    FillerOrder::First
}

impl AckTiming {
    /// The frame whose bytes this ACK acknowledges (the one its time is measured from).
    pub fn frame(&self) -> u64 {
        match *self {
            AckTiming::Prompt { frame, .. }
            | AckTiming::Longer { frame, .. }
            | AckTiming::Delayed { frame, .. }
            | AckTiming::HoleFilled { frame, .. }
            | AckTiming::Resent { frame, .. }
            | AckTiming::Held { frame, .. }
            | AckTiming::Slower { frame, .. }
            | AckTiming::Piggybacked { frame, .. } => frame,
        }
    }
}
