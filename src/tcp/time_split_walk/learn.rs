//! What [`TimeSplitWalk`] learns from each segment (the numbers per direction), and the state
//! the time after it is in.

use super::super::time_split_kinds::TimeKind;
use super::super::time_split_state::{AckTime, HandshakePaths, State, ACK_TIMES};
use super::TimeSplitWalk;
use crate::tcp::packet::ScaleFactor;
use crate::tcp::seq::SeqNumber;
use crate::tcp::TcpPacket;

impl TimeSplitWalk {
    /// Learns from a segment; true when it moved things forward (new data, or an ACK or a
    /// window beyond what was known), not a resend or a repeated ACK.
    pub(super) fn learn(&mut self, p: &TcpPacket, t: i64, new_data: bool) -> bool {
        let mut progress = new_data;
        let f = p.segment.flags;
        let me = usize::from(p.from_client);
        let len = p.segment.payload_len;
        // An RST in the handshake refuses a SYN; a retry may follow (R4 M10: ndpi_rtsp stream 4).
        let refusal = f.rst() && !self.handshake_done;
        // (A segment without ACK after a SYN went by is no answer to the SYN-ACK: R17b-17,
        // zeek_tcp_fin_retransmission's FIN of frame 2, sent before the SYN-ACK.)
        let unsynchronized = !f.ack() && self.syns.iter().any(|&s| s);
        if !f.syn() && !refusal && !unsynchronized {
            self.handshake_done = true;
        }
        self.syns[me] |= f.syn();
        // A FIN on its sender's SYN's own number, with no data, closes nothing (no receiver can
        // accept it: RFC 9293 §3.10.7.4; the same capture's frames 2 and 4).
        self.fins[me] |= f.fin() && !(self.syns[me] && p.seq == 0 && len == 0);
        // (A FIN on the SYN's own number, before the handshake completed, is acknowledged by no
        // ACK of the SYN: zeek_tcp_fin_retransmission frame 2.)
        if f.fin() && !f.rst() && (p.seq != 0 || len > 0) {
            // One past its FIN: an ACK there acknowledges it.
            self.dirs[me].fin_end.get_or_insert(SeqNumber(p.seq) + len + 1);
        }
        self.reset |= f.rst() && !refusal;
        // A segment that left before the peer's latest data can have reached its sender crossed
        // it: no sign of that data's receiver answering (R44D-3: ndpi_1kxun stream 24, the
        // server's data 843 left before the client's 840 arrived, then it held 840's ACK 43 ms).
        let crossed = self.dirs[1 - me].last_new.is_some_and(|(sent, _)| {
            let way = self.paths.measured_to(p.from_client).unwrap_or(0);
            t.saturating_sub(sent) < way.saturating_sub(HandshakePaths::varies(way))
        });
        self.dirs[1 - me].receiver_spoke = true;
        self.dirs[1 - me].receiver_replied |= !crossed;
        // (A pure ACK of part of the peer's data still holds the rest's: R36C-1, the client of
        // zeek_http_1000-requests ACKs frame 40 at once and frame 41's 0.75 ms later, with its
        // next request.)
        let of_part = len == 0 && !f.syn() && !f.fin() && !f.rst() && self.dirs[1 - me].next.is_some_and(|n| n.after(SeqNumber(p.ack)));
        self.dirs[1 - me].receiver_answered |= !of_part;
        if p.segment.options.timestamps.is_some() && !f.syn() {
            let d = &mut self.dirs[me];
            d.clock.add(t, p.segment.options.timestamps);
            d.ts_last_at = Some(t);
        }
        if len > 0 {
            let d = &mut self.dirs[me];
            let end = SeqNumber(p.seq) + len;
            if new_data && d.window_in_bytes {
                // Well past it (four segments or an eighth of the window), not by jitter.
                let margin = (4 * d.mss.max(len).max(536)).max(d.window / 8);
                let seen_edge = d.acked.map(|a| a + d.window);
                if let (Some(seen), Some(known)) = (seen_edge, d.known_edge) {
                    d.beyond_known += u32::from(end.after(known + margin) && end.at_or_before(seen));
                }
                d.new_segments += 1;
                // Often, not once after a recovery's jump of the window (lossy reorder: 18 of
                // about 300; 206_example_b: 417 of about 900).
                if d.beyond_known >= 20 && d.beyond_known.saturating_mul(10) >= d.new_segments {
                    d.knows_sooner = true;
                }
            }
            if new_data {
                d.last_new = Some((t, p.frame));
                d.last_new_tsecr = p.segment.options.timestamps.map(|(_, e)| e);
                d.receiver_spoke = false;
                d.receiver_replied = false;
                d.receiver_answered = false;
                d.resent_since_new = false;
            } else {
                d.resent = true;
                // (A resend with no hole reported: a timeout's or a probe's, after which Linux
                // sends by a congestion window of one. A fast retransmit's recovery is left to
                // the window rules: lossy reorder_* agree at both capture points as they were.)
                d.recovering |= !d.dup_ack && !d.hole;
                d.resent_since_new = true;
            }
            d.next = Some(d.next.map_or(end, |n| n.max(end)));
            if new_data {
                let known = d.sender_knows.map(|k| k.0).or(d.acked);
                d.flight_when_sent = match (d.next, known) { (Some(n), Some(a)) if n.after(a) => n - a, _ => 0 };
            }
            d.mss = d.mss.max(len);
            if new_data {
                self.last_data_client = Some(p.from_client);
            }
        }
        if f.ack() && !f.rst() {
            let other = &mut self.dirs[1 - me];
            let ack = SeqNumber(p.ack);
            if other.acked.is_none_or(|a| ack.at_or_after(a)) {
                let forward = other.acked.is_none_or(|a| ack.after(a));
                progress |= forward || p.window > other.window;
                if forward {
                    other.resent = false;
                }
                // A pure ACK that repeats the last with data outstanding: a duplicate ACK.
                other.dup_ack = !forward && len == 0 && !f.syn() && !f.fin() && other.outstanding() > 0 && p.window == other.window;
                // Any ACK can release data (a duplicate ACK in SACK recovery, a window update):
                // kept while it can still be the one that prompted the sender's next data, a
                // round trip to the sender and its slack (at most ACK_TIMES of them).
                let keep = t.saturating_sub(self.paths.path.map_or(0, |w| w[1 - me])).saturating_sub(2 * HandshakePaths::slack(self.paths.path.map_or(0, |w| w[1 - me])));
                while other.ack_times.front().is_some_and(|a| a.at < keep) || other.ack_times.len() >= ACK_TIMES {
                    other.ack_times.pop_front();
                }
                other.ack_times.push_back(AckTime { at: t, frame: p.frame, forward, ack, tsval: p.segment.options.timestamps.map(|(v, _)| v) });
                other.acked = Some(ack);
                let due = t.saturating_add(self.paths.to(me == 0));
                if other.on_the_way.len() >= ACK_TIMES {
                    other.catch_up(i64::MAX);
                }
                other.on_the_way.push_back((due, ack, p.window));
                // An ACK says the data below it was sent even where the capture missed it (it
                // began mid-connection): a zero window then stops a sender all the same.
                other.next.get_or_insert(ack);
                other.window = p.window;
                other.window_in_bytes = !matches!(p.scale_factor, ScaleFactor::Unknown);
                other.hole = !p.segment.options.sack_blocks().is_empty();
                if other.window_in_bytes && !f.syn() {
                    other.max_window = other.max_window.max(p.window);
                }
            }
        }
        progress
    }

    pub(super) fn state(&self) -> State {
        if !self.handshake_done {
            return State::Known(TimeKind::Handshake, None);
        }
        // After an RST nothing is waited for: the connection is gone, whatever was outstanding.
        if self.reset {
            return State::Known(TimeKind::Close, None);
        }
        // The direction with more outstanding decides; a zero window with data to send counts
        // even with nothing outstanding (the sender waits for the window to open).
        if let Some(s) = self.outstanding_side() {
            let dir = &self.dirs[usize::from(s)];
            // Full only as the sender knew it (seen from near the receiver, the ACKs that open it
            // on their way) while it was in loss recovery as it knew it: its congestion window
            // held it, not the receiver's window (Linux counts that time cwnd-limited, not
            // rwnd_limited: R44A-1, lossy spurious_at_receiver's stall until the ACKs reached the
            // client at 810 ms).
            let recovering = dir.recovering && dir.sender_knows.is_some_and(|(_, w)| w > 0);
            let kind = match (dir.full() || (dir.full_for_the_sender() && !recovering), dir.reader_slow()) {
                (true, true) => TimeKind::ReceiverReading,
                (true, false) => TimeKind::ReceiverWindow,
                _ => TimeKind::Network,
            };
            // Its FIN gone with the last of its data (two segments or less unacknowledged,
            // nothing resent, no duplicate ACK or hole reported): the close has begun, as the
            // phases count it (R8a-17: the answer's FIN 20 µs after it, near the server, left
            // the close 0 % there, 32 % at the client). A repair is no close (zeek_tcp_reassembly:
            // a FIN beyond a hole, resent 3.2 s later).
            let acks_moving = !dir.dup_ack && !dir.hole;
            if kind == TimeKind::Network && self.fins[usize::from(s)] && !self.fins[usize::from(!s)] && !dir.resent && acks_moving && dir.outstanding() <= 2 * dir.mss.max(536) {
                return State::Idle(true);
            }
            return State::Known(kind, Some(s));
        }
        // Seen from near the receiver: everything that arrived is acknowledged here, but the
        // sender does not know it yet and its window is full.
        if let Some(z) = (0..2).find(|&i| self.dirs[i].full_for_the_sender()) {
            return State::Known(if self.dirs[z].reader_slow() { TimeKind::ReceiverReading } else { TimeKind::ReceiverWindow }, Some(z == 1));
        }
        if let Some(z) = (0..2).find(|&i| self.dirs[i].zero_window()) {
            let kind = if self.dirs[z].reader_slow() { TimeKind::ReceiverReading } else { TimeKind::ReceiverWindow };
            return State::Known(kind, Some(z == 1));
        }
        if self.reset || (self.fins[0] && self.fins[1]) {
            return State::Known(TimeKind::Close, None);
        }
        // One side's FIN acknowledged, nothing outstanding: the other side's end stays open
        // until its application closes it (R10 F1/F4: that time is no FIN's round trip).
        if self.fins[0] != self.fins[1] {
            let d = &self.dirs[usize::from(self.fins[1])];
            if d.acked.zip(d.fin_end).is_some_and(|(a, e)| a.at_or_after(e)) {
                return State::HalfOpen(self.fins[0]);
            }
        }
        State::Idle(self.fins[0] || self.fins[1])
    }
}
