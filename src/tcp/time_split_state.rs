//! The pieces [`super::time_split_walk`] keeps: what is known of each direction's data, the
//! state the time is in, the open run of one state, and an update on its way to a sender.

use std::collections::VecDeque;

use super::time_split_kinds::TimeKind;
use crate::tcp::sender_clock::SenderClock;
use crate::tcp::seq::SeqNumber;
use crate::tcp::TcpPacket;

/// ACK times kept per direction for the ACK-clock test.
pub(super) const ACK_TIMES: usize = 1024;

/// One of the receiver's ACKs as it went by: when, in which frame, whether it moved the
/// cumulative ACK forward (freed room in the sender's flight), and its TSval.
#[derive(Debug, Clone, Copy)]
pub(super) struct AckTime { pub(super) at: i64, pub(super) frame: u64, pub(super) forward: bool, pub(super) ack: SeqNumber, pub(super) tsval: Option<u32> }

/// What is known of one direction's data.
#[derive(Debug, Clone, Default)]
pub(super) struct Direction {
    /// One past the highest payload byte sent (`None` before any payload).
    pub(super) next: Option<SeqNumber>,
    /// The highest ACK and the last window the other endpoint sent.
    pub(super) acked: Option<SeqNumber>,
    pub(super) window: u32,
    /// The window's scale is known (its SYN was seen, or no scaling), so `window` is in bytes.
    pub(super) window_in_bytes: bool,
    pub(super) mss: u32,
    /// The largest window (bytes) the receiver advertised after its SYN, and whether its latest
    /// ACK reported a hole (SACK blocks).
    pub(super) max_window: u32,
    pub(super) hole: bool,
    /// When and in which frame this side last sent new data.
    pub(super) last_new: Option<(i64, u64)>,
    /// Its data outstanding as it knew it when it sent its last new data.
    pub(super) flight_when_sent: u32,
    /// The TSecr that data carried: no newer ACK had reached this side when it was sent.
    pub(super) last_new_tsecr: Option<u32>,
    /// The receiver sent a segment since then; this side resent bytes since the last ACK that
    /// moved forward.
    pub(super) receiver_spoke: bool,
    /// The receiver sent a segment since then that left it after that data can have arrived
    /// (one that crossed the data shows no answer to it: R44D-3).
    pub(super) receiver_replied: bool,
    /// The receiver sent, since this side's last new data, more than a pure ACK of part of it
    /// (data, a flag, or an ACK of all): short of that, it may hold the rest's ACK.
    pub(super) receiver_answered: bool,
    pub(super) resent: bool,
    /// It resent bytes, and no ACK that moved forward has reached it since (as estimated: the
    /// receiver's updates on the way count once due): in loss recovery as it knew it.
    pub(super) recovering: bool,
    /// It resent bytes since its last new data (a recovery ran in between: the pause before
    /// its next new data was the network's, whatever ACKs moved meanwhile — R14-8).
    pub(super) resent_since_new: bool,
    /// One past this side's FIN, once it sent one.
    pub(super) fin_end: Option<SeqNumber>,
    /// The receiver's latest ACK was a duplicate (a hole, or a loss, being reported).
    pub(super) dup_ack: bool,
    /// When the other side's ACKs went by, and whether each moved the cumulative ACK forward
    /// (freed room in the sender's flight).
    /// (With the ACK's TSval: data whose TSecr is older was sent before that ACK reached its
    /// sender, so that ACK did not prompt it. R13a-F1: app_limited_at_receiver frame 61.)
    pub(super) ack_times: VecDeque<AckTime>,
    /// This side's timestamp clock (its rate, its previous TSval), and when its previous
    /// timestamped segment passed here.
    pub(super) clock: SenderClock,
    pub(super) ts_last_at: Option<i64>,
    /// The receiver's ACKs and windows on their way to this side (due: when this side can act
    /// on it, as the capture point would see), and the latest that reached it.
    pub(super) on_the_way: VecDeque<(i64, SeqNumber, u32)>,
    pub(super) sender_knows: Option<(SeqNumber, u32)>,
    /// This side often sent new data well past the window edge it could have known by the
    /// path estimate, within the edge the capture point had seen: it learned of ACKs sooner
    /// than that estimate says (a proxy near the capture answering for a far server, R11b-15:
    /// zeek_http_206_example_b, 0.5 ms from ACK to data against a 72 ms handshake), so the
    /// estimate's lag is not used for its window.
    pub(super) knows_sooner: bool,
    /// New-data segments, and those sent past the edge it could have known.
    pub(super) new_segments: u32,
    pub(super) beyond_known: u32,
    /// The furthest window edge (ACK + window) that had reached this side by the estimate.
    pub(super) known_edge: Option<SeqNumber>,
    /// This side's IPv4 identifications: a skip before new data says a datagram was lost before
    /// the capture point, so the pause before it was the network's (R7a-5).
    pub(super) ip_ids: crate::tcp::ip_id::IpIdTrack,
}

impl Direction {
    /// A segment with TSval `v` seen at `t` left its sender much sooner after the previous one
    /// than it arrived here: by the sender's own clock ([`SenderClock`]) the gap was less than
    /// half the arrival gap and at least 20 ms shorter — the path held it, the sender did not
    /// pause.
    pub(super) fn held_on_the_way(&self, t: i64, v: u32) -> bool {
        let (Some(last), Some(at)) = (self.clock.last_tsval(), self.ts_last_at) else { return false };
        let Some(sent_gap) = self.clock.between_ns(v, last) else { return false };
        // Stamps k ticks apart can be up to k + 1 ticks apart in time (R15-2: zeek_tcp_reassembly's
        // client ticks about every 90 ms; frames 77 and 79, one tick apart, left up to 180 ms apart).
        let sent_most = sent_gap.max(0) as f64 + self.clock.ns_per_tick().unwrap_or(0.0);
        let arrival_gap = t.saturating_sub(at) as f64;
        arrival_gap - sent_most > (arrival_gap / 2.0).max(20e6)
    }

    /// New data with `timestamps` left its sender more than 2 ms after its previous segment by
    /// the sender's own clock, echoing the same TSecr as its previous new data (no ACK reached
    /// it in between): a gap of the sender's own, not a burst spread by the path (R13a-F1:
    /// app_limited_at_receiver frame 60, 8 ticks after frame 58 with the same echo).
    /// (Longer than a fifth of the round trip too: a sender paces an initial window of 10 or
    /// more, two at a time, at most that far apart — delayed bulk_at_server, 3.6 ms of 50.)
    pub(super) fn sent_apart(&self, timestamps: Option<(u32, u32)>, rtt: Option<i64>) -> bool {
        let Some((v, e)) = timestamps else { return false };
        let gap = self.clock.last_tsval().and_then(|last| self.clock.between_ns(v, last));
        let least = rtt.map_or(2_000_000, |r| (r / 5).max(2_000_000));
        self.last_new_tsecr == Some(e) && gap.is_some_and(|g| g > least)
    }

    /// A whole initial window (RFC 6928: 10 segments) or more was out, as it knew, when it sent
    /// its last new data: its congestion window, not its application, may have held it then.
    pub(super) fn window_spent_when_sent(&self) -> bool {
        let mss = u64::from(self.mss.max(536));
        u64::from(self.flight_when_sent) + mss > 10 * mss
    }

    /// When the first ACK that freed room reached this side (`way`: the round trip from here
    /// to it) after its new data at `sent` and well before `t`.
    /// (With that ACK's frame. `whole`: only an ACK of everything sent counts — of the new
    /// data at `sent` too, which left before the ACK reached the sender — what frees a short
    /// segment that RFC 896's Nagle holds while anything is unacknowledged.)
    pub(super) fn room_reached_after(&self, sent: i64, t: i64, way: i64, whole: bool) -> Option<(i64, u64)> {
        let jitter = 1_000_000 + way / 10;
        self.ack_times.iter().filter(|a| a.forward && (!whole || self.next.is_none_or(|n| a.ack.at_or_after(n))) && a.at.saturating_add(way) > sent.saturating_add(jitter) && a.at.saturating_add(way) < t.saturating_sub(jitter)).map(|a| (a.at.saturating_add(way), a.frame)).min()
    }

    /// New data seen at `t` was prompted by an ACK (`way`: the round trip from here to this
    /// side; `slack`: how late the sender may be): it left the sender as that ACK arrived
    /// there, so the capture saw it a round trip to the sender after the ACK — not sooner
    /// (less a little jitter), and later only by queueing. Not when an ACK that freed room
    /// reached the sender after its previous new data and well before this one: it then had
    /// room and sent nothing, so it was not held back by its window and this data is its
    /// application's (a 20 ms write period can match a 30 ms round trip by chance).
    /// A short segment (`short`) leaves unused only room an ACK of everything made: a sender
    /// with RFC 896's Nagle holds it while anything is unacknowledged (R13b-15: zeek_ftp_ipv6's
    /// server held the 1009-byte rest of a reply behind its full segment, frame 12, until the
    /// client's delayed ACK of it, though the ACK of its earlier 6 bytes had reached it; frame
    /// 14 echoes the TSval of that delayed ACK, frame 13).
    pub(super) fn ack_clocked(&self, t: i64, way: i64, slack: i64, tsecr: Option<u32>, short: bool) -> bool {
        let jitter = 1_000_000 + way / 10;
        let unused_room = !self.resent && self.last_new.is_some_and(|(sent, _)| self.room_reached_after(sent, t, way, short).is_some());
        let seen_by_sender = |v: Option<u32>| !v.zip(tsecr).is_some_and(|(v, e)| (v.wrapping_sub(e) as i32) > 0);
        // The same echo as its previous new data, sent a while after it: no ACK reached the
        // sender in between to prompt this one (the previous had already answered that ACK).
        // (Only where the receiver's ACKs carry TSvals, so that an ACK would change the echo;
        // R14-8: zeek_tcp_reassembly's server sends none, the client's TSecr never moves.)
        let acks_timestamped = self.ack_times.iter().any(|a| a.tsval.is_some());
        if acks_timestamped && tsecr.is_some() && tsecr == self.last_new_tsecr && self.last_new.is_some_and(|(sent, _)| t.saturating_sub(sent) > jitter) {
            return false;
        }
        !unused_room && self.ack_times.iter().any(|a| seen_by_sender(a.tsval) && (-jitter..=slack).contains(&t.saturating_sub(a.at).saturating_sub(way)))
    }

    pub(super) fn outstanding(&self) -> u32 {
        match (self.next, self.acked) {
            (Some(n), Some(a)) if n.after(a) => n - a,
            (Some(_), None) => 1,
            _ => 0,
        }
    }

    /// The window is known to be zero, or known in bytes to leave less than a segment.
    pub(super) fn full(&self) -> bool {
        match (self.next, self.acked) {
            (Some(n), Some(a)) if self.window == 0 || self.window_in_bytes => {
                let edge = a + self.window;
                self.window == 0 || !edge.after(n) || (edge - n) < self.mss.max(536)
            }
            _ => false,
        }
    }

    /// The window as this side knew it (the receiver's updates that had reached it) leaves less
    /// than a segment: seen from near the receiver, a window full for the sender while every
    /// byte that arrived is already acknowledged here.
    pub(super) fn full_for_the_sender(&self) -> bool {
        if self.knows_sooner {
            return false;
        }
        match (self.next, self.sender_knows) {
            (Some(n), Some((a, w))) if w == 0 || self.window_in_bytes => {
                let edge = a + w;
                w == 0 || !edge.after(n) || (edge - n) < self.mss.max(536)
            }
            _ => false,
        }
    }

    /// When the first of the receiver's updates still on the way is due at the sender, if by `now`.
    pub(super) fn next_due(&self, now: i64) -> Option<i64> {
        self.on_the_way.front().map(|u| u.0).filter(|due| *due <= now)
    }

    /// The receiver's updates due at the sender by `now` reach it; the first one's due time.
    pub(super) fn catch_up(&mut self, now: i64) -> Option<i64> {
        let first = self.on_the_way.front().map(|u| u.0).filter(|due| *due <= now);
        while let Some(&(due, ack, window)) = self.on_the_way.front() {
            if due > now {
                break;
            }
            if self.sender_knows.is_none_or(|(known, _)| ack.after(known)) {
                self.recovering = false;
            }
            self.sender_knows = Some((ack, window));
            let edge = ack + window;
            self.known_edge = Some(self.known_edge.map_or(edge, |e| e.max(edge)));
            self.on_the_way.pop_front();
        }
        first
    }

    /// A full window that had shrunk by more than a quarter of its largest (and a segment) with
    /// no hole reported: data waited unread in the receiver's buffer.
    pub(super) fn reader_slow(&self) -> bool {
        let unread = self.max_window.saturating_sub(self.window);
        self.window_in_bytes && !self.hole && unread > (self.max_window / 4).max(self.mss)
    }

    pub(super) fn zero_window(&self) -> bool {
        self.next.is_some() && self.acked.is_some() && self.window == 0
    }
}

/// The state the time after a segment is in. `Idle` and `Holding` are named by what ends them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum State {
    Known(TimeKind, Option<bool>),
    /// Nothing outstanding (`true`: after a FIN, so a wait no data ends is the close's).
    Idle(bool),
    /// The receiver (`true`: the client) holds the other's data unacknowledged.
    Holding(bool),
    /// One side's FIN acknowledged and nothing outstanding: the other (`true`: the client)
    /// has not closed its end yet.
    HalfOpen(bool),
}

impl State {
    /// Told as `side`'s own sending or pause, the other side holding `side`'s data, or idle
    /// time a segment with data ends.
    pub(super) fn told_as_own(self, side: bool, data: bool) -> bool {
        match self {
            State::Known(TimeKind::Network | TimeKind::SenderApplication | TimeKind::ReceiverWindow | TimeKind::ReceiverReading | TimeKind::SenderNagle, Some(s)) => s == side,
            State::Holding(r) => r != side,
            State::Idle(_) | State::HalfOpen(_) => data,
            _ => false,
        }
    }
}

#[derive(Debug, Clone, Copy)]
pub(super) struct Run {
    pub(super) state: State,
    pub(super) start: i64,
    pub(super) first: u64,
    pub(super) last: u64,
    /// When its last segment that moved things forward went by (for the probe timer).
    pub(super) quiet_from: i64,
    pub(super) outstanding: Option<bool>,
    /// Relabelled both idle or the peer's data going by: the frame whose ACK showed it (R29-1).
    pub(super) unseen_ack: u64,
}

/// An update from the receiver on its way to a waiting sender: the run opened `at` it is the
/// sender's wait (`kind`) until `due` if the sender is the next to act.
#[derive(Debug, Clone, Copy)]
pub(super) struct Handover {
    pub(super) at: i64,
    pub(super) due: i64,
    pub(super) kind: TimeKind,
    pub(super) sender: bool,
    pub(super) outstanding: Option<bool>,
    pub(super) frame: u64,
}

/// The capture point's round trip to each endpoint, from an uninterrupted handshake: the last
/// SYN to the SYN-ACK (the server's), the SYN-ACK to the client's first segment without SYN
/// (the client's). Index 1: the client.
#[derive(Debug, Clone, Default)]
pub(super) struct HandshakePaths {
    syn_at: Option<i64>,
    syn_ack_at: Option<i64>,
    pub(super) path: Option<[i64; 2]>,
    /// The quickest data-to-its-ACK round trip seen so far through each side (Wireshark's
    /// `ack_rtt`; index 1: the client's), an upper bound of the path as the handshake's is.
    pub(super) seen: [Option<i64>; 2],
    /// Frames that were resends, not yet acknowledged: an ACK of one may answer its first copy
    /// (Karn's rule, RFC 6298 §3), so it gives no round trip.
    resent: std::collections::BTreeSet<u64>,
    /// A SYN of either side passed (a handshake was under way, whether or not it gave a path).
    syn_seen: bool,
}

impl HandshakePaths {
    pub(super) fn add(&mut self, p: &TcpPacket, t: i64, handshake_done: bool) {
        let f = p.segment.flags;
        if p.analysis.flags.has(crate::tcp::analysis::AnalysisFlags::ANY_RETRANSMISSION) {
            self.resent.insert(p.frame);
        }
        let acked = p.analysis.acked_frame;
        if acked > 0 && !f.syn() && p.analysis.ack_rtt_ns >= 0 && !self.resent.contains(&acked) {
            let side = &mut self.seen[usize::from(p.from_client)];
            *side = Some(side.map_or(p.analysis.ack_rtt_ns, |b| b.min(p.analysis.ack_rtt_ns)));
        }
        if acked > 0 {
            // (Acknowledged: no later ACK measures from these; the set stays as small as the
            // resends in flight.)
            self.resent.retain(|&frame| frame > acked);
        }
        self.syn_seen |= f.syn();
        if f.syn() && !f.ack() && p.from_client {
            self.syn_at = Some(t);
            self.syn_ack_at = None;
        } else if f.syn() && f.ack() && !p.from_client && self.syn_at.is_some() {
            self.syn_ack_at = Some(t);
        } else if !f.syn() && p.from_client && self.path.is_none() && !handshake_done {
            if let (Some(syn), Some(syn_ack)) = (self.syn_at, self.syn_ack_at) {
                self.path = Some([syn_ack.saturating_sub(syn), t.saturating_sub(syn_ack)]);
            }
        }
    }
}

impl HandshakePaths {
    /// The round trip from the capture point to an endpoint (0 without a handshake): the
    /// handshake's, or a quicker one an ACK of data has shown since (R38-4: zeek_ldap_gap's
    /// client answered the SYN-ACK in 3.864 ms, its data later in 0.39 ms: its path is no longer).
    pub(super) fn to(&self, client: bool) -> i64 {
        let side = usize::from(client);
        self.path.map_or(0, |p| self.seen[side].map_or(p[side], |seen| seen.min(p[side])))
    }

    /// The round trip from the capture point to an end as far as measured: the handshake's or
    /// the quickest ACK's so far (`to`), or, where the capture holds no SYN at all (it began
    /// mid-connection), the quickest ACK's alone; None before any, and None where SYNs passed
    /// but gave no round trip (R45-1: ndpi_heuristic stream 5's SYN sent again after its
    /// SYN-ACK — its quickest ACK so far, 1.138 s, was no path).
    pub(super) fn measured_to(&self, client: bool) -> Option<i64> {
        match self.path {
            Some(_) => Some(self.to(client)),
            None if self.syn_at.is_none() && self.syn_ack_at.is_none() && !self.syn_seen => self.seen[usize::from(client)],
            None => None,
        }
    }

    /// How much a path's round trip varies from one segment to the next: 1 ms, at most a tenth
    /// of it (R35-1, R37-1).
    pub(super) fn varies(way: i64) -> i64 {
        1_000_000.min(way / 10)
    }

    /// The handshake's round trip.
    pub(super) fn rtt(&self) -> Option<i64> {
        self.path.map(|p| p[0].saturating_add(p[1]))
    }

    /// When a silent sender's loss probe fires: 2 round trips, never sooner than 10 ms (Linux's
    /// TLP floor), so a LAN's slow reader is not taken for a stall.
    pub(super) fn probe_after(&self) -> Option<i64> {
        self.rtt().map(|rtt| rtt.saturating_mul(2).max(10_000_000))
    }

    /// Slack around a time estimated from the handshake: 2 ms and a quarter of the way.
    pub(super) fn slack(way: i64) -> i64 {
        2_000_000 + way / 4
    }

    /// The longest gap between a sender's segments that is still its TCP's own spacing (pacing,
    /// a burst's serialisation): a quarter of the round trip, at least the ACK-clock slack.
    pub(super) fn pacing_gap(&self, sender_is_client: bool) -> i64 {
        // At the sender its segments pass as it sends them, spaced by its pacing alone (Linux
        // paces at twice cwnd per round trip in slow start: with 4 segments or more, under an
        // eighth of it); away from it the path bunches and spreads them (R10 N2: app_limited at
        // the sender, writes 5–7.6 ms after the last segment were called the network's).
        let way = self.to(sender_is_client);
        Self::slack(way).max(self.rtt().unwrap_or(0) / if way <= 1_000_000 { 8 } else { 4 })
    }
}
