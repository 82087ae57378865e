//! Data a sender's TCP held back by Nagle's algorithm while more of its data was in flight
//! (R8a-11: lossy/app_limited, writes of 2000 bytes every 20 ms; the 552-byte rest of each
//! write left only when the previous small segment's ACK came back — 66 of 67 small segments
//! within 0.1 ms of that ACK at the sender). Linux applies RFC 896 as Minshall proposed: a
//! small segment waits while an earlier small one is unacknowledged, full ones go at once.
//!
//! Seen at any capture point, a release is: a small segment of new data (shorter than a full
//! one), the first data of its sender after the ACK that covered its previous small segment
//! could reach it (at the sender: within 1 ms of that ACK; away from it: that ACK's time here
//! plus the round trip from here to the sender, within the usual slack), that ACK having come
//! 1 ms or more after the small segment; with the flight under the 10 segments any Linux
//! sender may have out (RFC 6928) and no resend from it so far, so no congestion window held
//! it, and room in the receiver's window. The hold began at the latest when the segment just
//! before it in sequence — a full one, after the small one — left: a full segment goes at once
//! and the rest of its write stays queued. Likely, not certain: an application that wrote in
//! that very instant looks the same.

use super::seq::SeqNumber;
use super::TcpPacket;

#[derive(Debug, Clone, Copy, Default)]
struct Side {
    /// One past its highest byte, its largest segment, and the smaller MSS the SYNs announced.
    high: Option<SeqNumber>,
    largest: u32,
    announced_mss: Option<u32>,
    /// Its latest small segment: end, time; and the first ACK that covered it (its time and
    /// number), once one did.
    small: Option<(SeqNumber, i64)>,
    small_acked: Option<(i64, SeqNumber)>,
    /// The quickest it acknowledged the other side's latest data exactly, from when that data
    /// passed here: the round trip from here to it is no longer (give or take its jitter).
    answer_min: Option<i64>,
    /// Its latest data segment: end and time (the one a release continues).
    last: Option<(SeqNumber, i64, u32)>,
    /// The other side's latest window (bytes), and whether this side resent anything.
    window: Option<u64>,
    resent: bool,
    /// The other side's highest ACK of this side's data.
    acked: Option<SeqNumber>,
    /// Data sent since the small segment's ACK could reach it (then a release is no longer first).
    sent_since_ack: bool,
}

/// Fed a connection's segments in capture order: `release(p, way)` before `add(p)`.
#[derive(Debug, Clone, Default)]
pub struct NagleReleaseWalk {
    sides: [Side; 2],
    /// When each side had a small segment unacknowledged (Nagle *could* hold data then).
    pub small_unacked: super::small_unacked::SmallUnacked,
}

const INITIAL_WINDOW: u64 = 10;

/// A full segment's payload: the smaller MSS the two SYNs announced less what options may take (40
/// bytes: 1460 with timestamps carries 1448), however small (real/bulk_100k's loopback MSS of
/// 100 carries 88: not small segments); without it, the largest seen and at least RFC 879's 536.
/// No larger than the largest seen once one was: a path's MTU can make that the full one
/// (R12-3: zeek_ftp_ipv6's 1208-byte segments in 1280-byte packets, MSS 1440) — but no MTU
/// holds a segment below 496 bytes (IPv4's 576-byte datagrams every host takes, less 80 bytes
/// of headers with options), so a largest seen below that is no full one (R31-1: ndpi_ipp
/// stream 2's first segments, 141 and 228 bytes against an MSS of 1460).
fn full_segment(announced_mss: Option<u32>, largest: u32) -> u32 {
    /// IPv4's 576 bytes less 40 of headers and 40 of options.
    const SMALLEST_PATH_FULL: u32 = 496;
    let announced = announced_mss.map_or(largest.max(536), |m| m.saturating_sub(40).max(1));
    if largest > 0 { announced.min(largest.max(SMALLEST_PATH_FULL)) } else { announced }
}

impl NagleReleaseWalk {
    /// Whether `p` is data a small unacknowledged segment held back, and since when (capture
    /// time, ns); `way`: the round trip from the capture point to `p`'s sender (0 or near it at
    /// the sender), `slack` its uncertainty.
    pub fn release(&self, p: &TcpPacket, way: i64, slack: i64) -> Option<i64> {
        let s = &self.sides[usize::from(p.from_client)];
        let len = p.segment.payload_len;
        let full = full_segment(s.announced_mss, s.largest);
        let start = SeqNumber(p.seq);
        if len == 0 || len >= full || s.resent || s.high != Some(start) || s.sent_since_ack {
            return None;
        }
        let (small_end, small_at) = s.small?;
        let (ack_at, acked) = s.small_acked?;
        // The small segment's ACK reached the sender late enough to have held something (1 ms
        // or more after it left): here, plus the way from here to the sender and back.
        // (Saturating: a damaged capture's times can be anything; the fuzzer found one.)
        if ack_at.saturating_sub(small_at).saturating_add(way) < 1_000_000 {
            return None;
        }
        let after = p.time_ns.saturating_sub(ack_at);
        let prompt = if way <= 1_000_000 { (0..=1_000_000).contains(&after) } else { (way.saturating_sub(slack)..=way.saturating_add(slack)).contains(&after) };
        // Data after the small segment was in flight when its ACK reached the sender (else all
        // was acknowledged: no Minshall hold). (Away from the sender, later ACKs seen here had
        // not reached it yet.)
        let flight = if start.after(acked) { u64::from(start - acked) } else { 0 };
        let window_room = s.window.is_none_or(|w| flight + u64::from(len) <= w);
        let (last_end, last_at, last_len) = s.last?;
        if !prompt || flight == 0 || flight + u64::from(len) > INITIAL_WINDOW * u64::from(full) || !window_room || last_end != start || !small_end.before(last_end) {
            return None;
        }
        // (A small segment before it in sequence: it is the small one, nothing was queued behind a full one.)
        (last_len >= full && last_at > small_at).then_some(last_at)
    }

    /// `way`, `slack`: as for [`Self::release`]; `peer_way` the round trip from the capture
    /// point to the other side (where an ACK of `p`'s goes).
    pub fn add(&mut self, p: &TcpPacket, way: i64, slack: i64, peer_way: i64) {
        let (me, peer) = (usize::from(p.from_client), usize::from(!p.from_client));
        let f = p.segment.flags;
        if f.syn() {
            // What both SYNs announced: a sender's segments are no larger than the smaller MSS
            // (its own, set with TCP_MAXSEG, caps them too: real/bulk_100k's 100 on loopback).
            let mss = p.segment.options.mss.map(u32::from);
            for side in &mut self.sides {
                side.announced_mss = match (side.announced_mss, mss) {
                    (Some(a), Some(b)) => Some(a.min(b)),
                    (a, b) => a.or(b),
                };
            }
        }
        if f.ack() && !f.rst() {
            let ack = SeqNumber(p.ack);
            if let Some((_, t, _)) = self.sides[peer].last.filter(|&(end, ..)| end == ack) {
                let mine = &mut self.sides[me];
                let d = p.time_ns.saturating_sub(t);
                mine.answer_min = Some(mine.answer_min.map_or(d, |m| m.min(d)));
            }
            let other = &mut self.sides[peer];
            other.acked = Some(other.acked.map_or(ack, |a| if ack.after(a) { ack } else { a }));
            other.window = (p.scale_factor != super::ScaleFactor::Unknown).then_some(u64::from(p.window));
            if let Some((end, _)) = other.small {
                if other.small_acked.is_none() && ack.at_or_after(end) {
                    other.small_acked = Some((p.time_ns, ack));
                    other.sent_since_ack = false;
                    self.small_unacked.acked(!p.from_client, p.time_ns, peer_way);
                }
            }
        }
        let len = p.segment.payload_len;
        if len == 0 || f.syn() {
            return;
        }
        let side = &mut self.sides[me];
        let (start, end) = (SeqNumber(p.seq), SeqNumber(p.seq) + len);
        if side.high.is_some_and(|h| start.before(h)) {
            side.resent = true;
            return;
        }
        // Data that left before the ACK could have reached the sender does not end its wait.
        if let Some((at, _)) = side.small_acked {
            side.sent_since_ack |= p.time_ns.saturating_sub(at) >= way.saturating_sub(slack).max(0);
        }
        self.small_unacked.new_data(p.from_client, p.time_ns, slack);
        // The flight with it, as the latest ACK here said, and at least what was sent within the
        // round trip from here to the sender (the ACKs seen here since have not reached it).
        let recent = self.small_unacked.sent_within(p.from_client, p.time_ns, len, way);
        let flight = side.acked.zip(side.high).map_or(0, |(a, h)| if h.after(a) { u64::from(h - a) } else { 0 }).saturating_add(u64::from(len)).max(recent);
        // (R26D-1: ndpi_heuristic stream 5's frame 229 left 217 ms after the server's last
        // segment, no ACK between: a probe timer's send, which Linux makes with Nagle off
        // whatever the socket says. Only a segment within two round trips of the last tells.)
        let unprompted = side.last.is_some_and(|(_, at, _)| p.time_ns.saturating_sub(at) >= way.saturating_add(peer_way).saturating_mul(2).max(10_000_000));
        side.high = Some(end);
        side.largest = side.largest.max(len);
        side.last = Some((end, p.time_ns, len));
        let full = full_segment(side.announced_mss, side.largest);
        if len < full {
            // Another small one while the last went unacknowledged as the sender knew it (no ACK
            // of it seen here, or one that could not have reached it yet): this sender holds no
            // short rest behind a small segment (Nagle off: R12-4/5; R13b-1, ndpi_1kxun stream 7:
            // frame 366 left 7 ms after ACK 349 passed here, 54.7 ms from the server).
            // (R27D-1, R27C-3: an ACK seen here reached a sender whose own answers came sooner
            // than the path estimate says: ndpi_anydesk's NAT answered in 0.08 ms against a
            // 165 ms handshake, ldap_gap's frame 11 acknowledges the very segment that carried
            // the ACK. Only a way no longer than its quickest answer says the ACK was still out.)
            let way_known = side.answer_min.is_none_or(|q| way <= q.saturating_add(q / 4).saturating_add(slack));
            let unacked_there = side.small_acked.is_none_or(|(at, _)| way_known && p.time_ns.saturating_sub(at) < way.saturating_sub(slack).max(0));
            // (A segment carrying the FIN is no evidence: Nagle holds no final FIN, Linux's
            // tcp_nagle_test; R26B-1, ipv6-hop-by-hop's frame 132.)
            if side.small.is_some() && unacked_there && !p.segment.flags.fin() && !unprompted {
                self.small_unacked.nagle_off(p.from_client, p.frame);
            }
            side.small = Some((end, p.time_ns));
            side.small_acked = None;
            side.sent_since_ack = false;
            // Only where nothing else held the sender (no resend so far, a flight any sender
            // may have out): there a Nagle hold is what could set the pace.
            if !side.resent && flight <= INITIAL_WINDOW * u64::from(full) {
                self.small_unacked.small_sent(p.from_client, p.time_ns, p.frame);
            }
        }
    }
}
