//! Data held back by Nagle's algorithm (RFC 896, RFC 1122 §4.2.3.4), as the packets show it
//! (R8b-12): a sender with one small segment (less than a full one) unacknowledged sends no
//! more small data until the ACK comes. When a side's data leaves within a millisecond of a pure
//! ACK that acknowledged everything it had outstanding — only a small segment, with the
//! receiver's window open — nothing the ACK carried could have prompted its application (a
//! pure ACK brings no data), and no congestion or receive window held it: its stack held it.
//! Said as likely: an application writing in that very millisecond looks the same.
//! (A pure walk: the explanations name each hold, the time split learns from it that a sender
//! held data this way before it showed Nagle off, R26C-1.)

use crate::tcp::seq::SeqNumber;
use crate::tcp::TcpPacket;

/// How soon after the ACK the held data leaves, at most (near the sender: the ACK's arrival).
const RELEASED_WITHIN_NS: i64 = 1_000_000;

/// A hold worth naming, as a capture near the sender sees one: the small segment's ACK came a
/// millisecond or more after it, ten times longer than the data then took to follow the ACK.
/// (Near the receiver an ACK follows each segment at once and the next data is only the rest of
/// the flight arriving: no hold.)
fn held(hold_ns: i64, after_ack_ns: i64) -> bool {
    hold_ns >= 1_000_000 && hold_ns >= after_ack_ns.saturating_mul(10)
}

/// The small segment that held the data back, the ACK that released it, and how soon after it
/// this data left.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NagleHold {
    pub small_frame: u64,
    pub small_len: u32,
    pub ack_frame: u64,
    /// From the small segment to the ACK (the hold), and from the ACK to this data.
    pub held_ns: i64,
    pub after_ack_ns: i64,
}

/// Per side: its data outstanding and what the other side said of it.
#[derive(Debug, Clone, Copy, Default)]
struct Side {
    /// Its latest data segment: frame, length, end, time; and its largest segment so far.
    last_data: Option<(u64, u32, SeqNumber, i64)>,
    largest: u32,
    /// The MSS the other side announced in its SYN (what this side's full segment is).
    peer_mss: Option<u32>,
    /// Bytes outstanding before the latest data segment (0: it was the only one).
    before_last: u32,
    /// The other side's latest segment: a pure ACK of everything this side sent, with room.
    release: Option<(u64, i64)>,
    acked: Option<SeqNumber>,
}

/// The walk: segments in capture order; `held(p)` before `add(p, …)`.
#[derive(Debug, Clone, Default)]
pub struct NagleWalk {
    sides: [Side; 2],
}

impl NagleWalk {
    /// Whether data segment `p` is one a small unacknowledged segment held back.
    pub fn held(&self, p: &TcpPacket) -> Option<NagleHold> {
        let s = &self.sides[usize::from(p.from_client)];
        // Less than a full segment by more than any options take (40 bytes: a 1460-byte MSS
        // with timestamps carries 1448); without the peer's SYN, less than the largest it sent.
        let full = s.peer_mss.map_or(s.largest, |m| m.saturating_sub(40)).max(536);
        let (small_frame, small_len, small_end, small_at) = s.last_data?;
        let (ack_frame, ack_at) = s.release?;
        let after_ack_ns = p.time_ns - ack_at;
        // (New data right after the small segment's: a resend is no held data.)
        (p.segment.payload_len > 0 && SeqNumber(p.seq) == small_end && small_len < full && s.before_last == 0 && (0..=RELEASED_WITHIN_NS).contains(&after_ack_ns) && held(ack_at - small_at, after_ack_ns))
            .then_some(NagleHold { small_frame, small_len, ack_frame, held_ns: ack_at - small_at, after_ack_ns })
    }

    /// `copy`: `p` is the previous segment captured again (`tcp::copies`), which changes nothing.
    pub fn add(&mut self, p: &TcpPacket, copy: bool) {
        if copy {
            return;
        }
        let (me, peer) = (usize::from(p.from_client), usize::from(!p.from_client));
        let f = p.segment.flags;
        if f.syn() {
            self.sides[peer].peer_mss = p.segment.options.mss.map(u32::from);
        }
        // As the other side's ACK of this side's data.
        let other = &mut self.sides[peer];
        other.release = None;
        if f.ack() && !f.rst() {
            let ack = SeqNumber(p.ack);
            let all = other.last_data.is_some_and(|(_, _, end, _)| ack.at_or_after(end));
            let moved = other.acked.is_none_or(|a| ack.after(a));
            if all && moved && p.segment.payload_len == 0 && !f.fin() && !f.syn() && p.window > 0 {
                other.release = Some((p.frame, p.time_ns));
            }
            other.acked = Some(other.acked.map_or(ack, |a| a.max(ack)));
        }
        // As this side's data.
        let me_side = &mut self.sides[me];
        if p.segment.payload_len > 0 && !f.syn() {
            me_side.before_last = me_side.acked.zip(me_side.last_data).map_or(0, |(a, (_, _, end, _))| if end.after(a) { end - a } else { 0 });
            me_side.last_data = Some((p.frame, p.segment.payload_len, SeqNumber(p.seq) + p.segment.payload_len, p.time_ns));
            me_side.largest = me_side.largest.max(p.segment.payload_len);
            me_side.release = None;
        }
    }
}

/// Where a sender showed Nagle's algorithm off: said of its data from that frame on, never of
/// its data before, which shows nothing either way (R27C-5: zeek_tcp_ssh-dups' server, OpenSSH,
/// sets TCP_NODELAY when the session turns interactive; its frame 160 shows Nagle off at 1.04 s,
/// not for the key exchange before).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NagleOff {
    pub frame: u64,
}
