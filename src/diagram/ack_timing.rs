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
/// The unacknowledged segments kept per side (a window's worth; older ones are forgotten).
const PENDING_MAX: usize = 4096;

/// When an ACK came, and why (as the packets show it).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AckTiming {
    /// The ACK came with no visible reason to wait: `rtt_ns` after frame `frame`.
    Prompt { frame: u64, rtt_ns: i64 },
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
    Resent { frame: u64, rtt_ns: i64, resend: u64, resend_ago_ns: i64, echoed: Option<(u64, i64, u32)> },
    /// Far longer than this side's quickest ACK (`base_ns`) with no timer to explain it: held
    /// somewhere on the way (or by a busy receiver). `lacked`: this side's previous ACK (frame,
    /// how long before this one, its ack), sent after `frame` could have arrived, stopped at a
    /// byte `frame` carries, all below it in: the receiver lacked that byte then (had it held
    /// `frame` out of order, that ACK would have covered it; R17b-16).
    /// (`lacked`'s last: the capture is at the data's sender, which holds every copy it sent.)
    Held { frame: u64, rtt_ns: i64, base_ns: i64, lacked: Option<(u64, i64, u32, bool)> },
    /// Longer than this side's quickest ACK by more than any delayed-ACK timer, but less than
    /// twice it: a slower path this time, a delayed ACK or a busy receiver — the capture cannot
    /// tell which (R4 M8).
    Slower { frame: u64, rtt_ns: i64, base_ns: i64 },
    /// A segment with data whose ACK field moved: the ACK rides on the data.
    /// (`alone_unseen`: the capture holds no ACK alone of this connection: [`AckWalk::payload_only`].)
    Piggybacked { frame: u64, rtt_ns: i64, ack: u32, alone_unseen: bool },
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
                return Some(AckTiming::Resent { frame, rtt_ns, resend, resend_ago_ns: p.time_ns - time, echoed });
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
        let wait_ns = rtt_ns - base_ns;
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
            let lacked = me.last_ack.zip(me.last_ack_at).zip(sent).filter(|((a, (_, t)), q)| a.at_or_after(q.start) && a.before(q.end) && *t >= q.time.saturating_add(base_ns)).map(|((a, (f, t)), _)| (f, p.time_ns - t, a.0, self.handshake.path_rtt_ns().is_some() && !self.handshake.away_from(!p.from_client)));
            return Some(AckTiming::Held { frame, rtt_ns, base_ns, lacked });
        }
        // Twice this side's quickest and a millisecond more is no round trip either (R11a-2: at
        // the receiver's own capture point, its quickest ACK 0.004 ms, an ACK 19.7 ms after the
        // data waited for its application to read and reopen the window).
        if wait_ns > DELAY_MAX_NS || rtt_ns >= base_ns.saturating_mul(2).saturating_add(1_000_000) {
            return Some(AckTiming::Slower { frame, rtt_ns, base_ns });
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
        if (len > 0 || f.fin()) && !copy {
            // The peer's side keeps what this side sent and is not acknowledged yet.
            let peer = &mut self.sides[1 - me];
            let start = SeqNumber(p.seq) + u32::from(f.syn());
            if peer.pending.len() >= PENDING_MAX {
                peer.pending.drain(..PENDING_MAX / 2);
            }
            peer.pending.push(Pending { frame: p.frame, time: p.time_ns, start, end: SeqNumber(p.next_seq()), tsval: p.segment.options.timestamps.map(|(tsval, _)| tsval), ip_id: p.segment.ip_id });
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
            | AckTiming::Delayed { frame, .. }
            | AckTiming::HoleFilled { frame, .. }
            | AckTiming::Resent { frame, .. }
            | AckTiming::Held { frame, .. }
            | AckTiming::Slower { frame, .. }
            | AckTiming::Piggybacked { frame, .. } => frame,
        }
    }
}

/// The sentence of an ACK's timing (after "The {me} acknowledges: …").
/// (`dsack`: the ACK carries a D-SACK, RFC 2883: both copies of resent bytes arrived.)
pub fn ack_timing_sentence(t: &AckTiming, me: &str, peer: &str, dsack: bool) -> String {
    let ms = |ns: i64| crate::timefmt::milliseconds(ns);
    match *t {
        AckTiming::Prompt { frame, rtt_ns: 0 } => {
            format!("It acknowledges frame {frame} exactly; the capture gives both the same time (it stamped packets in a batch), so how long the {me} took cannot be measured here.")
        }
        AckTiming::Prompt { frame, rtt_ns } => format!(
            "It acknowledges frame {frame} exactly, {} after that frame passed the capture point: the round trip from the capture point to the {me} and back, with whatever time the {me} took to answer.",
            ms(rtt_ns)
        ),
        AckTiming::Delayed { frame, rtt_ns, base_ns, wait_ns, bytes } => format!(
            "A delayed ACK, likely the delayed-ACK timer: a pure ACK of the {peer}'s frame {frame} ({}, with no data of its own to carry), {} after that frame passed the capture point where the {me}'s quickest ACKs took {}: it waited about {} (Linux's timer waits at least 40 ms, other stacks about 200 ms) for data to ride on, then sent the ACK alone.",
            if bytes > 0 { format!("{bytes} bytes, less than two full segments") } else { "its FIN".to_string() },
            ms(rtt_ns),
            ms(base_ns),
            ms(wait_ns)
        ),
        AckTiming::HoleFilled { frame, rtt_ns, filler, filler_ago_ns, bytes, first_above, waited_ns, hole_wait_ns, filler_order, repair_at_once } => {
            let what = match filler_order {
                FillerOrder::Resent => String::new(),
                FillerOrder::FirstResent { id, after, after_id } => format!(" — a resend: its IP identification ({id:#06x}) follows frame {after}'s ({after_id:#06x}), the last above the hole, so it left the {peer} after them (a sender numbers its datagrams in the order it sends them), and no earlier copy of those bytes had passed the capture point"),
                FillerOrder::FirstOvertaken { id, before, before_id } => format!(" — sent before the bytes above the hole and overtaken by them on the way: its IP identification ({id:#06x}) is just below that of frame {before} ({before_id:#06x}), the first above the hole (a sender numbers its datagrams in the order it sends them)"),
                FillerOrder::First => " — the first copy of those bytes in this capture: sent before the bytes above and overtaken by them, or a resend of a copy that did not pass the capture point (the capture cannot tell)".to_string(),
            };
            let waited_for = if matches!(filler_order, FillerOrder::Resent | FillerOrder::FirstResent { .. }) { "the repair" } else { "the bytes below" };
            let above = if first_above == frame {
                // Only the acknowledged frame lay above the hole (R14-6: ctu-64702-888's lone FIN,
                // 0.215 ms waiting, then 0.201 ms to the ACK: no round trip, and no "earlier" bytes).
                format!("Frame {frame} was all that lay above the hole, and this ACK came {} after frame {filler}: the {} since frame {frame} (Wireshark's ACK-RTT) is that wait and the answer to frame {filler} together, no round trip.", ms(filler_ago_ns), ms(rtt_ns))
            } else if repair_at_once {
                format!("Frame {filler} passed the capture point {} after frame {frame}, so the {} since frame {frame} (Wireshark's ACK-RTT) is still about a round trip: the earlier bytes above the hole waited for {waited_for}, frame {frame}'s did not.", ms(rtt_ns - filler_ago_ns), ms(rtt_ns))
            } else {
                format!("The {} since frame {frame} (Wireshark's ACK-RTT) is therefore no round trip: the ACK waited for {waited_for}.", ms(rtt_ns))
            };
            // The wait above the hole runs from its first bytes to the repair, both seen here (at
            // the sender's capture point both a one-way trip from the receiver: R14-10).
            format!(
                "An ACK that waited for a hole to be filled: it acknowledges {bytes} bytes at once, up to the end of frame {frame}, only after frame {filler} (captured {} before this ACK) filled the hole below them{what}. The bytes above the hole waited about {} for it: frame {first_above}, the first of them, passed the capture point {} before frame {filler} ({} before this ACK). {above}",
                ms(filler_ago_ns),
                ms(hole_wait_ns),
                ms(hole_wait_ns),
                ms(waited_ns),
            )
        }
        // Its own D-SACK says both copies arrived (R4 F10: zeek_ldap_gap-data-missing frame 15).
        AckTiming::Resent { frame, rtt_ns, resend, resend_ago_ns, echoed: None } if dsack => format!(
            "The bytes it acknowledges, frame {frame}'s, were sent again in frame {resend}, captured {} before this ACK: both copies arrived (its D-SACK, below, reports the second as a duplicate), so the {} since frame {frame} is no round trip.",
            ms(resend_ago_ns),
            ms(rtt_ns)
        ),
        AckTiming::Resent { frame, rtt_ns, resend, resend_ago_ns, echoed: None } => format!(
            "The bytes it acknowledges, frame {frame}'s, were sent again in frame {resend}, captured {} before this ACK: which copy arrived cannot be told from this ACK alone (Karn's ambiguity, RFC 6298 §3), so the {} since frame {frame} cannot be taken as a round trip (a sender takes no RTT sample from it).",
            ms(resend_ago_ns),
            ms(rtt_ns)
        ),
        AckTiming::Resent { frame, rtt_ns, resend, echoed: Some((copy, ago_ns, tsecr)), .. } if copy != frame => format!(
            "The bytes it acknowledges, frame {frame}'s, were sent again (last in frame {resend}); this ACK echoes frame {copy}'s timestamp (TSecr {tsecr}, RFC 7323), so frame {copy}'s copy is the one that arrived: {} after it passed the capture point. The {} since frame {frame} is no round trip.",
            ms(ago_ns),
            ms(rtt_ns)
        ),
        AckTiming::Resent { frame, rtt_ns, resend, resend_ago_ns, echoed: Some((_, _, tsecr)) } => format!(
            "The bytes it acknowledges, frame {frame}'s, were sent again in frame {resend} ({} before this ACK), but this ACK echoes frame {frame}'s own timestamp (TSecr {tsecr}, RFC 7323): the first copy arrived, {} after it passed the capture point, and frame {resend} was not needed for this ACK.",
            ms(resend_ago_ns),
            ms(rtt_ns)
        ),
        // R6a F5: RFC 1122 lets a delayed ACK wait up to 0.5 s; only Linux's stops at 200 ms.
        AckTiming::Held { frame, rtt_ns, lacked: Some((earlier, ago_ns, earlier_ack, at_sender)), .. } => format!(
            "It acknowledges frame {frame} exactly, {} after that frame passed the capture point — but the {me}'s frame {earlier}, {} before this ACK, acknowledged everything below ack={earlier_ack}, a byte frame {frame} carries, and no further: the {me} did not have all of frame {frame}'s bytes then. {} the {} is no round trip.",
            ms(rtt_ns),
            ms(ago_ns),
            if at_sender { format!("They arrived since: frame {frame} was held that long on the way (this capture, at the {peer}, holds every copy it sent);") } else { format!("They arrived since, in a copy sent again that this capture does not hold, or in frame {frame} itself held that long on the way;") },
            ms(rtt_ns)
        ),
        AckTiming::Held { frame, rtt_ns, base_ns, .. } => format!(
            "It acknowledges frame {frame} exactly, {} after that frame passed the capture point — far longer than the {me}'s quickest ACK ({}), and longer than {}: the data or this ACK was held somewhere on the way (or the {me} was busy), so this is not one round trip.",
            ms(rtt_ns),
            ms(base_ns),
            if rtt_ns - base_ns < 500_000_000 { "Linux's delayed-ACK timer (200 ms at most; RFC 1122 allows up to 0.5 s, so a slower stack's delayed ACK cannot be ruled out)" } else { "any delayed-ACK timer (RFC 1122: under 0.5 s)" }
        ),
        AckTiming::Slower { frame, rtt_ns, base_ns } => format!(
            "It acknowledges frame {frame} exactly, {} after that frame passed the capture point: {} more than the {me}'s quickest ACK ({}) — a slower path this time, a delayed ACK (RFC 1122 allows up to 0.5 s), or the {me} busy or waiting for its application (an ACK that reopens a full window goes when the application reads); the capture cannot tell which, so this is not a measure of the round trip.",
            ms(rtt_ns),
            ms(rtt_ns - base_ns),
            ms(base_ns)
        ),
        AckTiming::Piggybacked { frame, rtt_ns, ack, alone_unseen: true } => format!(
            "Its ACK field moves too: ack={ack} acknowledges the {peer}'s frame {frame}, {} after that frame passed the capture point. The capture shows none of the connection's segments without data (it was filtered to payload, or caught only an exchange whose every ACK rode on data), so whether an ACK alone went earlier does not show.",
            ms(rtt_ns)
        ),
        AckTiming::Piggybacked { frame, rtt_ns, ack, .. } => format!(
            "Its ACK field moves too: ack={ack} acknowledges the {peer}'s frame {frame}, {} after that frame passed the capture point — a piggybacked ACK, riding on data, so no separate ACK was needed.",
            ms(rtt_ns)
        ),
    }
}
