//! The walk's pauses: whose a gap before new data was (the sending application's, its TCP's
//! Nagle hold, or the network's after all), and whether a receiver's held ACK held anything up.

use super::super::time_split_kinds::TimeKind;
use super::super::time_split_state::{HandshakePaths, State};
use super::{AppPause, TimeSplitWalk};
use crate::tcp::seq::SeqNumber;
use crate::tcp::TcpPacket;

/// A sender's resend that ended the receiver's held ACK, and the start of the part it named.
#[derive(Debug, Clone, Copy)]
pub(super) struct HeldResend { pub(super) sender: bool, pub(super) seq: SeqNumber, pub(super) start: i64 }

impl TimeSplitWalk {
    /// New data from `s` sooner after the receiver's held ACK than that ACK could reach it and
    /// the data come back: earlier ACKs had released it, it was on its way while the ACK was
    /// held, so the hold held nothing up — the network's time (R13b-13: zeek_tcp_timestamp, the
    /// client's delayed ACK of frame 130 while ACK 129's next round was on its way, frame 132
    /// 7.2 ms after the held ACK against a 50.8 ms round trip).
    pub(super) fn held_ack_not_waited_on(&mut self, s: bool, t: i64) {
        let back = self.paths.to(s);
        let Some(held) = self.held_ack.as_mut().filter(|h| h.client == Some(!s)) else { return };
        if back > 0 && t < held.end_ns.saturating_add(back).saturating_sub(1_000_000 + back / 10) {
            (held.kind, held.client) = (TimeKind::Network, Some(s));
        }
    }

    /// Small data the ACK of its sender's previous small segment released: the network's time
    /// since the full segment before it left was its TCP's hold (Nagle; R8a-11).
    pub(super) fn nagle_hold(&mut self, s: bool, since: i64) {
        let Some(run) = self.run.as_mut() else { return };
        let (network, nagle) = (State::Known(TimeKind::Network, Some(s)), State::Known(TimeKind::SenderNagle, Some(s)));
        match run.state {
            // (Under 1 ms it is no hold worth a part: the flicker rule's measure.)
            _ if run.state != network || self.last_time.saturating_sub(since.max(run.start)) < 1_000_000 => {}
            _ if since <= run.start => run.state = nagle,
            _ => self.switch_at(since, nagle, Some(s)),
        }
    }

    /// New data from a sender with data in flight, after a pause no ACK prompted: the time
    /// since its previous new data was its application's (it had room and nothing to send).
    pub(super) fn application_pause(&mut self, p: &TcpPacket, t: i64) {
        let s = p.from_client;
        let Some(run) = self.run else { return };
        if run.state != State::Known(TimeKind::Network, Some(s)) || self.paths.path.is_none() {
            return;
        }
        let d = &self.dirs[usize::from(s)];
        let Some((sent, _)) = d.last_new else { return };
        // Shorter pauses than a quarter of the round trip are the sender's pacing or its
        // bursts' spacing, not its application.
        let slack = self.paths.pacing_gap(s);
        let clocked = self.clocked(p, t);
        // A pause with the receiver silent as long as a loss probe's timer (2 round trips) may
        // be that timer's, not the application's.
        let pause = t - sent;
        let timer_possible = !d.receiver_spoke && self.paths.probe_after().is_some_and(|wait| pause >= wait);
        let held = p.segment.options.timestamps.is_some_and(|(v, _)| d.held_on_the_way(t, v));
        // A whole initial window out (RFC 6928: 10 segments) and no word from the receiver: its
        // congestion window held it, not its application (R11b-16: ndpi_1kxun stream 5, 85 ms).
        let window_spent = !d.receiver_spoke && u64::from(d.outstanding()) + u64::from(d.mss.max(536)) > 10 * u64::from(d.mss.max(536));
        if pause > slack && !clocked && !timer_possible && !held && !window_spent && !d.resent && !d.resent_since_new && d.outstanding() > 0 {
            // A whole initial window out when it sent last (RFC 6928: 10 segments): until an ACK
            // freed room at the sender it waited on the network, only then on its application
            // (R13b-14: ndpi_1kxun stream 7, 11 segments out, 54 of 65 ms the ACK's way).
            let way = self.paths.to(s);
            let sent_frame = d.last_new.map_or(self.last_frame, |(_, f)| f);
            let (start, frame) = if d.window_spent_when_sent() { d.room_reached_after(sent, t, way, false).unwrap_or((sent, sent_frame)) } else { (sent, sent_frame) };
            self.switch_at_frame(start, frame, State::Known(TimeKind::SenderApplication, Some(s)), Some(s));
            // (The part begins at `start`: a relabel finds it there.)
            self.app_pause = Some(AppPause { client: s, seq: SeqNumber(p.seq), at: t, start });
        }
    }

    /// A second copy of the data that ended an application's pause, sooner after it than the
    /// sender could have learnt of its loss past here: the first had left the sender long
    /// before it passed here, held on the path, so the pause was the network's (R8a-07:
    /// spurious_rto at the receiver, the held segment's RTO resend 1.4 ms after it).
    pub(super) fn pause_was_the_path(&mut self, p: &TcpPacket, t: i64) {
        let Some(a) = self.app_pause else { return };
        let start = SeqNumber(p.seq);
        let covers = a.seq.at_or_after(start) && (start + p.segment.payload_len).after(a.seq);
        if a.client != p.from_client || !covers || t.saturating_sub(a.at) >= self.paths.to(a.client) {
            return;
        }
        self.app_pause = None;
        let was = State::Known(TimeKind::SenderApplication, Some(a.client));
        match self.run.as_mut() {
            Some(run) if run.start == a.start && run.state == was => run.state = State::Known(TimeKind::Network, Some(a.client)),
            _ => self.split.relabel(a.start, (TimeKind::SenderApplication, Some(a.client)), (TimeKind::Network, Some(a.client))),
        }
    }

    /// The receiver's D-SACK (RFC 2883) of the resend that ended its held ACK: the first copy had
    /// arrived, and the receiver held its ACK until the resend came — its time, not the network's
    /// (R36C-2: zeek_ldap_gap's client, 0.2 ms from here, silent 58.5 ms after frame 13 until the
    /// loss probe, frame 14; its frame 15 D-SACKs the bytes).
    pub(super) fn dsack_settles_hold(&mut self, p: &TcpPacket) {
        let Some(h) = self.resend_in_hold.filter(|h| h.sender != p.from_client) else { return };
        self.resend_in_hold = None;
        let Some(first) = p.segment.options.sack_blocks().first() else { return };
        // (The blocks in raw numbers, the walk's in relative ones.)
        let base = SeqNumber(p.segment.ack) - p.ack;
        let (left, right, ack) = (SeqNumber(SeqNumber(first.left) - base), SeqNumber(SeqNumber(first.right) - base), SeqNumber(p.ack));
        if !(p.segment.flags.ack() && right.at_or_before(ack) && h.seq.at_or_after(left) && right.after(h.seq)) {
            return;
        }
        let (was, now) = ((TimeKind::Network, Some(h.sender)), (TimeKind::ReceiverDelay, Some(!h.sender)));
        match self.run.as_mut() {
            Some(run) if run.start == h.start && run.state == State::Known(was.0, was.1) => run.state = State::Known(now.0, now.1),
            _ => self.split.relabel(h.start, was, now),
        }
    }

    /// New data from `s` at `t` prompted by an ACK ([`super::super::time_split_state::Direction::ack_clocked`]).
    pub(super) fn clocked(&self, p: &TcpPacket, t: i64) -> bool {
        let s = p.from_client;
        let way = self.paths.to(s);
        self.dirs[usize::from(s)].ack_clocked(t, way, HandshakePaths::slack(way), p.segment.options.timestamps.map(|(_, e)| e), self.short(p))
    }

    /// Data shorter than the largest its sender sent so far.
    pub(super) fn short(&self, p: &TcpPacket) -> bool {
        p.segment.payload_len < self.dirs[usize::from(p.from_client)].mss
    }

    /// The receiver's new data answering all of the sender's, later than the way there and back
    /// from the sender's last data: the wait beyond that way was the answer's, not the
    /// network's (R30-1: zeek_ldap_gap frame 10, 0.482 ms after frame 9 against a 0.2 ms way to
    /// the server). The timer (`fire_timers`) allows a slack for a slower path
    /// before it says the receiver holds the data; an answer with data shows it arrived.
    pub(super) fn answer_after_the_way(&mut self, p: &TcpPacket, t: i64) {
        let Some(run) = self.run else { return };
        let State::Known(TimeKind::Network, Some(s)) = run.state else { return };
        if s == p.from_client || self.paths.path.is_none() {
            return;
        }
        let d = &self.dirs[usize::from(s)];
        let Some((sent, _)) = d.last_new else { return };
        if d.receiver_answered || d.resent || d.outstanding() == 0 || !d.next.is_some_and(|n| !n.after(SeqNumber(p.ack))) {
            return;
        }
        let due = sent.saturating_add(self.paths.to(!s));
        if due > run.start && due < t {
            self.switch_at(due, State::Holding(!s), Some(s));
        }
    }

    /// A sender's first data out of idle time, with the handshake's round trips known: its
    /// application's pause after the handshake (R26D-6: ndpi_ocsp's first request 6.3 ms after
    /// the client's ACK) — but after the peer's segment (the handshake's last ACK, from the
    /// client) that segment's way to the sender and the data's way back are the network's, a
    /// round trip from here, with 1 ms (at most a tenth of it) for the path's variation (R33-2:
    /// zeek_tcp_timestamp's server, 51.8 ms after the client's ACK near the client against a
    /// 51.3 ms round trip; R34-1), and the application's time lies between the two ways on this
    /// clock, not after both (R35-1/3: zeek_ftp_ipv6's banner, 117.8 ms after the ACK against
    /// 106.9 ms: 9.9 ms of the server's, while the segments were at its end); and, a path of 1 ms
    /// or more away from the sender, within that allowance after its own segment the gap is the path's
    /// variation, no application's pause (R33-3; R36B-1: delayed/seed at the server, 0.224 ms
    /// where the client's own capture has 0.064 ms) — beside the sender it is its host's time
    /// (R34-3: ndpi_ipp's 0.061 ms, 5 µs from it).
    pub(super) fn first_data(&mut self, p: &TcpPacket, t: i64, start: i64) -> TimeKind {
        const PATH_VARIES_NS: i64 = 1_000_000;
        let from = p.from_client;
        let way = if self.last_from == Some(!from) { self.paths.to(from) } else { 0 };
        let far = self.paths.to(from) >= PATH_VARIES_NS;
        // (A tenth of the round trip at most: R37-1, zeek_tcp_truncated-header's server 0.2 ms
        // from here, where 1 ms would take a seventh of its 7.4 ms.)
        let varies = PATH_VARIES_NS.min(self.paths.to(from) / 10);
        let within = if way > 0 { way.saturating_add(varies) } else if far { varies } else { 0 };
        if t.saturating_sub(start) <= within {
            return TimeKind::Network;
        }
        if way == 0 {
            return TimeKind::SenderApplication;
        }
        if let Some(run) = self.run.as_mut() {
            run.state = State::Known(TimeKind::Network, Some(from));
        }
        // Half the allowance each way: the peer's segment going, the data coming back.
        let one_way = within / 2;
        let app = start.saturating_add(one_way);
        self.switch_at(app, State::Known(TimeKind::SenderApplication, Some(from)), None);
        self.switch_at(t.saturating_sub(within - one_way), State::Known(TimeKind::Network, Some(from)), None);
        // (A copy of this data soon after shows the pause was the path's: `pause_was_the_path`.)
        self.app_pause = Some(AppPause { client: from, seq: SeqNumber(p.seq), at: t, start: app });
        TimeKind::Network
    }
}
