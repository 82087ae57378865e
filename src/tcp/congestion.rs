//! Congestion control as the capture point saw it (issue #23): each data-sending direction cut
//! into round trips, with the bytes in flight per round, what limited it (the receiver's
//! window, the application, or — by elimination — the congestion window), the loss signals in
//! it, and from those an ESTIMATED congestion window and phase. The sender's kernel keeps its
//! cwnd to itself; everything here is inferred from packets and is to be worded so.
//!
//! Rounds are counted the way Linux and tcptrace do: a round starts with a data segment and
//! ends when an ACK covers that segment's last byte; the next data segment starts the next
//! round. In slow start each ACK lets two segments out, so a round's flight doubles.
//!
//! Rules (why each is so):
//! - Flight = highest byte sent − highest cumulative ACK, at each send; a round's flight is its
//!   largest. At the sender's capture point this is the kernel's own outstanding data. Bytes
//!   the capture never saw but an ACK covers were sent and acknowledged: not in flight.
//! - Receiver-limited: at some send the flight came within one segment of the advertised window
//!   (the window, not cwnd, stopped it).
//! - Application-limited: it sent a segment shorter than its largest (not into a window that
//!   allowed no more): stacks fill segments while bytes wait, so a short one says the sender
//!   had nothing more queued.
//! - A reduction after a fast retransmit or loss probe: the flight when it was sent, against
//!   the pipe (flight less the bytes SACKed above the hole) at the last send before the ACK
//!   that covers all sent before it: by then Linux's PRR (RFC 6937) has brought the pipe down
//!   to the new ssthresh.
//! - An ACK counts for the sender from the moment it reached it: away from the sender an ACK
//!   seen at A is applied one capture-point-to-sender round trip (from the handshake) later;
//!   near the receiver, applying it at once would end a round after every segment. Where the
//!   sender's echo (TSecr) moves, its next data segment says which ACKs it had heard (R18-8);
//!   without the handshake, the round trip comes from each side's quickest ACK of the other's
//!   data ([`super::congestion_no_handshake`], R17b-12).
//! - Loss signals come from [`RecoveryWalk`](super::recovery::RecoveryWalk)'s resends.
//! - The estimated cwnd (segments): the round's flight when nothing else limited it and no
//!   loss happened in it (a loss round's flight still counts the lost segments).

use std::collections::VecDeque;

use serde::Serialize;

use super::congestion_ack::AckInTransit;
use super::congestion_handshake::HandshakeTimes;
use super::congestion_no_handshake::{WayFromAcks, HELD_AT_MOST};
use super::congestion_side::{heard_by, InRecovery, Open, Side};
use super::congestion_phase::classify;
pub use super::congestion_phase::{Phase, Reduction, Round};
use super::recovery::{RecoveryWalk, ResendKind};
use super::seq::SeqNumber;
use super::TcpPacket;

/// One direction's rounds.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DirectionCongestion {
    pub from_client: bool,
    /// The largest payload it sent (the segment size the flight is counted in).
    pub mss: u32,
    /// The smaller MSS of the two SYNs, those the capture holds: the most a segment of this
    /// sender's carries with its options taken off (Linux sends min(peer's, own) as well).
    pub mss_announced: Option<u32>,
    pub rounds: Vec<Round>,
    pub reductions: Vec<Reduction>,
}

/// Per data-sending direction (client's first).
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Congestion {
    pub directions: Vec<DirectionCongestion>,
}

/// Fed a connection's segments in capture order.
#[derive(Default)]
pub struct CongestionWalk {
    sides: [Side; 2],
    recovery: RecoveryWalk,
    handshake: HandshakeTimes,
    /// Per data sender, the ACKs on their way to it (due times grow along each queue).
    in_transit: [VecDeque<AckInTransit>; 2],
    /// Whether the connection shows only data segments: no ACK alone ends a round there, so no
    /// round is told (R11b-11, R13b-17: ndpi_1kxun's merged 21 600-byte frames).
    payload_only: super::payload_only::PayloadOnly,
    /// Without the handshake (the first segment no SYN), the first segments wait here until
    /// the ACKs among them tell each side's way from the capture point (R17b-12).
    held: Option<Vec<(usize, TcpPacket)>>,
    way: WayFromAcks,
    started: bool,
}

/// The rounds of one connection (its segments in capture order).
pub fn congestion(packets: &[TcpPacket]) -> Congestion {
    let mut walk = CongestionWalk::default();
    for (index, p) in packets.iter().enumerate() {
        walk.add(index, p);
    }
    walk.finish()
}

impl CongestionWalk {
    /// The connection's next segment, `index` from 0.
    pub fn add(&mut self, index: usize, p: &TcpPacket) {
        if !self.started {
            self.started = true;
            let f = p.segment.flags;
            if !(f.syn() && !f.ack()) {
                self.held = Some(Vec::new());
            }
        }
        if let Some(held) = self.held.as_mut() {
            self.way.add(p);
            held.push((index, *p));
            if held.len() >= HELD_AT_MOST {
                self.release();
            }
            return;
        }
        self.walk(index, p);
    }

    /// Heap bytes held: the segments waiting for a way ([`HELD_AT_MOST`] at most).
    pub fn heap_bytes(&self) -> usize {
        self.held.as_ref().map_or(0, |h| h.capacity() * std::mem::size_of::<(usize, TcpPacket)>())
    }

    /// The segments held for want of a handshake, walked now with the ways their ACKs showed.
    fn release(&mut self) {
        let Some(held) = self.held.take() else { return };
        self.handshake.answer_after_ns = self.way.answer_after_ns();
        for (index, p) in held {
            self.walk(index, &p);
        }
    }

    fn walk(&mut self, index: usize, p: &TcpPacket) {
        if !p.flags_captured() {
            return;
        }
        self.payload_only.add(p);
        let resends_before = self.recovery.resends().len();
        self.recovery.add(index, p);
        // (A copy captured twice is no send of the sender's at all: it counts nowhere.)
        let newest = self.recovery.resends().get(resends_before);
        let captured_twice = newest.is_some_and(|r| r.captured_twice);
        let resend = newest.map(|r| r.kind);
        self.handshake.add(p);
        if p.segment.flags.syn() {
            self.sides[usize::from(!p.from_client)].syn_seen = true;
            if let Some(m) = p.segment.options.mss {
                self.sides[usize::from(p.from_client)].mss_limit = Some(u32::from(m));
            }
        }
        let me = usize::from(!p.from_client);
        // What this segment's sender had heard, by its echo of the peer's clock.
        let echo = p.segment.options.timestamps.filter(|_| p.segment.payload_len > 0).map(|(_, e)| (me, e, p.segment.ack));
        self.deliver_acks(p.time_ns, echo);
        let f = p.segment.flags;
        if f.ack() && !f.rst() {
            let (sender, ack) = (1 - me, SeqNumber(p.ack));
            let side = &mut self.sides[sender];
            let in_transit = AckInTransit::of(p, p.time_ns.saturating_add(self.handshake.answer_after_ns[sender]), side.cwr_end, side.echo_since_cwr);
            if in_transit.new_echo {
                side.echo_since_cwr = Some(p.frame);
            }
            if in_transit.window == Some(None) {
                side.furthest_edge = Some(None);
            }
            if let Some(Some(w)) = in_transit.window {
                // Away from the receiver the sender acts on edges a round trip old: keep the
                // last 512 distinct ones (bulk_at_server frame 729 filled the edge of ACK 406).
                side.furthest_edge = Some(side.furthest_edge.map_or(Some(ack + w), |e| e.map(|e| e.max(ack + w))));
                let edges = &mut side.edges;
                if edges.back().map(|e| e.0) != Some(ack + w) {
                    if edges.len() >= 512 {
                        edges.pop_front();
                    }
                    edges.push_back((ack + w, p.time_ns, p.frame, w));
                }
            }
            self.in_transit[sender].push_back(in_transit);
            self.deliver_acks(p.time_ns, echo);
        }
        let len = p.segment.payload_len;
        // Keep-alives and window probes send a byte on purpose: no round's data.
        let probe = p.analysis.flags.has(crate::tcp::analysis::AnalysisFlags::KEEP_ALIVE) || p.analysis.flags.has(crate::tcp::analysis::AnalysisFlags::ZERO_WINDOW_PROBE);
        self.sides[me].fin_frame = self.sides[me].fin_frame.or((f.fin() && !f.rst() && resend.is_none()).then_some(p.frame));
        if len == 0 || f.rst() || captured_twice || probe {
            return;
        }
        // Without the SYN's MSS the peer's segments show the path's full size too (R13b-10:
        // ndpi_1kxun stream 50, requests of 751–1114 bytes against the server's 1440-byte
        // segments were rounds of "congestion avoidance" measured against the largest request);
        // at most 1460, as a larger frame is several merged by the capturing host.
        let peer_full = self.sides[1 - me].mss.min(1460);
        let side = &mut self.sides[me];
        let start = SeqNumber(p.seq);
        let end = start + len;
        side.high = Some(side.high.map_or(end, |h| h.max(end)));
        side.una.get_or_insert(start);
        // A full segment: the largest seen, but no larger than the MSS announced to this side
        // less the timestamps option — a frame the capturing host merged (GRO) or the sender's
        // TSO handed down whole is several segments (R11b-11: ndpi_anydesk's 3926-byte frame
        // was "1 segment", the MSS 1460).
        let cap = side.mss_limit.map_or(u32::MAX, |m| m.saturating_sub(if p.segment.options.timestamps.is_some() { 12 } else { 0 }).max(1));
        side.mss = side.mss.max(len.min(cap));
        if side.mss_limit.is_none() {
            side.mss = side.mss.max(peer_full);
        }
        if side.open.is_none() {
            let number = side.rounds.len() as u32 + 1;
            let echo = side.echo_between_rounds.take();
            let round = Round {
                number,
                first_frame: p.frame,
                last_frame: p.frame,
                start_ns: p.time_ns,
                end_ns: p.time_ns,
                segments: 0,
                bytes: 0,
                max_flight_bytes: 0,
                max_flight_segments: 0,
                receiver_limited: false,
                receiver_limited_far: false,
                window_maybe_full: false,
                grew_later: false,
                application_limited: false,
                fast_retransmits: 0,
                loss_probes: 0,
                timeouts: 0,
                other_resends: 0,
                ecn_echoes: u32::from(echo.is_some()),
                cwr: false,
                first_echo_frame: echo,
                cwr_frame: None,
                largest_window_bytes: None,
                beyond_window_frame: None,
                edge_frame: None,
                window_full_at: None,
                edge_announced: None,
                single_short: false,
                short_segment: None,
                cwnd_estimate: None,
                phase: Phase::SlowStart,
                ratio: None,
            };
            // The round before ended on a short segment only: full segments right after its ACK
            // reached the sender say the application had more (2 ms, or a fifth of the round trip
            // from the capture point to the sender, of slack).
            if let Some((index, due)) = side.provisional.take() {
                let slack = 2_000_000 + self.handshake.answer_after_ns[me] / 5;
                if resend.is_none() && len >= side.mss && p.time_ns.saturating_sub(due.max(side.last_ack_due)) <= slack {
                    if let Some(r) = side.rounds.get_mut(index) {
                        r.application_limited = false;
                    }
                }
            }
            side.open = Some(Open { round, marker: end, first_resend: None, short_before_last: false, last_short: false, last_short_segment: None, short_bytes: 0, peak_window_full: false, near_sender: true });
        }
        if f.has(crate::decode::TcpFlags::CWR) && !f.syn() {
            side.cwr_end = Some(end);
            let echo = side.echo_since_cwr.take();
            let round = &mut side.open.as_mut().expect("opened above").round;
            (round.cwr, round.cwr_frame) = (true, round.cwr_frame.or(Some(p.frame)));
            // The echo it answers: the first since the last CWR, wherever its arrival fell.
            round.first_echo_frame = round.first_echo_frame.into_iter().chain(echo).min();
        }
        let flight = side.flight();
        let (mss, rwnd) = (side.mss, side.rwnd);
        let pipe = flight.saturating_sub(side.sacked);
        let new_data = side.high.is_none_or(|h| end.at_or_after(h)) && resend.is_none();
        if let Some(rec) = side.recovering.as_mut().filter(|_| new_data) {
            rec.last_pipe = Some(pipe);
        }
        let recovering = side.recovering.is_some();
        let (high, side_furthest) = (side.high, side.furthest_edge.flatten());
        let open = side.open.as_mut().expect("opened above");
        let r = &mut open.round;
        r.last_frame = p.frame;
        r.end_ns = p.time_ns;
        r.segments += 1;
        r.bytes += u64::from(len);
        let (new_peak, at_peak) = (flight > r.max_flight_bytes, flight >= r.max_flight_bytes);
        r.max_flight_bytes = r.max_flight_bytes.max(flight);
        // A zero window is the receiver's doing too (the probe then carries one byte).
        // A short segment that ends at a window edge the receiver announced filled the window,
        // it did not run out of data (a full one may end at an old edge by chance).
        // (An edge the sender can still have acted on: announced within two round trips from
        // here to it and a millisecond — R11b-06, a 1000-request capture's reply ended by chance
        // at an edge long since passed, 668 587 bytes below the window then open.)
        let recent = p.time_ns.saturating_sub(self.handshake.answer_after_ns[me].saturating_mul(2).saturating_add(1_000_000));
        let edge = side.edges.iter().rev().take_while(|e| e.1 >= recent).find(|e| e.0 == end).filter(|_| len < mss).map(|e| (e.2, e.3));
        let at_edge = edge.is_some();
        // Away from the sender (more than 1 ms) it acts on ACKs a round trip from here later,
        // and the window it knew is uncertain by what was acknowledged meanwhile: a flight
        // within a tenth of the window seen here may have filled the one it knew (R8a-14: 160
        // of 163 segments in the middle of delayed/bulk). None on loopback (R10 C2), and none
        // for a flight well below the window (R10 C1: ecn at the receiver, 31 of 74).
        let way = self.handshake.answer_after_ns[me];
        let near_window = way > 1_000_000 && len >= mss && rwnd.is_some_and(|w| (flight + u64::from(mss)) * 10 > u64::from(w) * 9);
        let window_full = at_edge || rwnd.is_some_and(|w| flight + u64::from(mss) > u64::from(w));
        r.receiver_limited |= window_full;
        if new_peak {
            open.peak_window_full = window_full;
        } else if at_peak {
            open.peak_window_full |= window_full;
        }
        open.near_sender &= way <= 1_000_000;
        if let Some(w) = rwnd.filter(|&w| flight + u64::from(mss) > u64::from(w)) {
            r.window_full_at.get_or_insert((p.frame, w, flight));
        }
        // Told by the edge alone (the flight seen here short of the window): said so (R13b-9).
        if at_edge && !rwnd.is_some_and(|w| flight + u64::from(mss) > u64::from(w)) {
            if r.edge_frame.is_none() {
                (r.edge_frame, r.edge_announced) = (Some(p.frame), edge);
            }
        }
        r.window_maybe_full |= near_window;
        // The windows that reached the sender since its previous send: it acted on them in this one
        // (R8a-10; R10 C4: not the window of an ACK after the round's last segment).
        r.largest_window_bytes = r.largest_window_bytes.max(rwnd.filter(|_| side_furthest.is_some())).max(side.window_between.take().filter(|_| side_furthest.is_some()));
        // Past every edge advertised by then, as captured (R5e F3: not a delay artefact).
        if side_furthest.is_some_and(|e| end.after(e)) && resend.is_none() {
            r.beyond_window_frame.get_or_insert(p.frame);
        }
        let short = len < mss && !window_full && resend.is_none();
        if open.last_short {
            open.short_before_last = true;
            r.short_segment = r.short_segment.or(open.last_short_segment);
        }
        open.last_short = short;
        if short {
            open.last_short_segment = Some((p.frame, len, mss));
            open.short_bytes += u64::from(len);
        }
        if let Some(kind) = resend {
            if matches!(kind, ResendKind::FastRetransmit | ResendKind::TailLossProbe) && !recovering {
                let before_segments = flight.div_ceil(u64::from(mss)) as u32;
                let before_pipe_segments = pipe.div_ceil(u64::from(mss)) as u32;
                // Away from the sender its ACKs count a round trip from here later, less a tenth
                // for jitter; by the round trip's upper end (a tenth and 1 ms more) it may have
                // heard fewer SACKs: the most not SACKed it can have had (R8a-08: 17 here, 24 at the sender).
                let heard_least = side.heard.iter().rev().find(|(seen, _)| *seen <= heard_by(p.time_ns, way)).map_or(0, |h| h.1);
                let before_pipe_most = if way > 0 { (flight.saturating_sub(heard_least.min(side.sacked))).div_ceil(u64::from(mss)) as u32 } else { before_pipe_segments };
                let reduction = Reduction { loss_round: r.number, frame: p.frame, kind, before_segments, before_pipe_segments, before_pipe_most, after_segments: None, after_round: 0, ratio: None, data_ended: side.fin_frame };
                side.recovering = Some(InRecovery { point: high.expect("set above"), reduction, last_pipe: None });
            }
            let open = side.open.as_mut().expect("opened above");
            let r = &mut open.round;
            open.first_resend.get_or_insert((p.frame, kind));
            match kind {
                ResendKind::FastRetransmit => r.fast_retransmits += 1,
                ResendKind::TailLossProbe => r.loss_probes += 1,
                ResendKind::Timeout => r.timeouts += 1,
                ResendKind::Unexplained => r.other_resends += 1,
            }
        }
    }

    /// The ACKs that have reached their data's sender by `now_ns` take effect there.
    /// The ACKs that had reached their sender by `now_ns`; `echo`: a side's segment now and the
    /// TSecr it carries.
    fn deliver_acks(&mut self, now_ns: i64, echo: Option<(usize, u32, u32)>) {
        for (i, (side, queue)) in self.sides.iter_mut().zip(self.in_transit.iter_mut()).enumerate() {
            let echo = echo.filter(|(s, ..)| *s == i).map(|(_, e, acked)| (e, acked));
            if let Some((e, _)) = echo {
                side.echo_moves |= side.last_echo.is_some_and(|l| l != e);
                side.last_echo = Some(e);
            }
            // A sender whose echo moves tells by its next data segment which pure ACKs it had
            // heard: they wait for it, not for their due time, which another segment passing
            // here in between says nothing of (R18-10: bulk_middle's frames 1090 and 1093, one
            // burst echoing one ACK, the ACKs 1091–1092 passing between them). At the end all
            // arrive.
            let wait_for_echo = echo.is_none() && side.echo_moves && now_ns != i64::MAX;
            while let Some(a) = queue.pop_front_if(|a| !(wait_for_echo && a.pure && a.tsval.is_some()) && a.reached_sender(now_ns, echo)) {
                side.take_ack(&a);
            }
        }
    }

    pub fn finish(mut self) -> Congestion {
        self.release();
        if self.payload_only.holds() {
            return Congestion { directions: Vec::new() };
        }
        self.deliver_acks(i64::MAX, None);
        let mut directions = Vec::new();
        let limits = [self.sides[0].mss_limit, self.sides[1].mss_limit];
        for (i, side) in self.sides.iter_mut().enumerate() {
            let end = side.open.as_ref().map(|o| o.round.end_ns).unwrap_or(0);
            side.close(end);
            if side.rounds.is_empty() {
                continue;
            }
            let mss = side.mss.max(1);
            let mut rounds = std::mem::take(&mut side.rounds);
            for r in &mut rounds {
                r.max_flight_segments = r.max_flight_bytes.div_ceil(u64::from(mss)) as u32;
            }
            classify(&mut rounds, side.syn_seen);
            let reductions = std::mem::take(&mut side.reductions);
            directions.push(DirectionCongestion { from_client: i == 0, mss, mss_announced: limits.into_iter().flatten().min(), rounds, reductions });
        }
        Congestion { directions }
    }
}
