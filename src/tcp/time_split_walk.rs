//! The walk behind [`super::time_split`]: segments in capture order, a few numbers per direction,
//! the open run of one state, and three timers for what the capture point cannot see happen.
//!
//! Per direction (a "sender" S sends payload, its "receiver" R is the other endpoint):
//! outstanding = highest payload byte sent + 1 − highest ACK from R; the window's right edge =
//! that ACK + R's last advertised window; MSS = the largest payload seen from S (≥ 536). The
//! capture point is a round trip `path[e]` away from endpoint `e` (from the handshake: SYN to
//! SYN-ACK for the server, SYN-ACK to ACK for the client; 0 when the handshake was not seen, as
//! if the capture were at both ends):
//! - an ACK or window update of R's that leaves S waiting no more counts from when S could act
//!   on it: S's situation (window full, data in flight) lasts `path[S]` longer (deferral);
//! - S's data still unacknowledged `path[R]` after R could have answered it, R silent meanwhile
//!   and nothing resent, is R holding it (its delayed-ACK timer, or its application before an
//!   answer that carries the ACK): named by what ends it;
//! - S's new data after a pause that no ACK of R's prompted (none reached S just before it), with
//!   data in flight and room to send: S's application set the pace, not the network.

use super::time_split_kinds::{TimeKind, TimePart, TimeSplit};
use super::time_split_state::{Direction, Handover, HandshakePaths, Run, State};
use crate::tcp::seq::SeqNumber;
use crate::tcp::TcpPacket;

mod close;
mod learn;
mod name_run;
mod pauses;

#[derive(Debug, Clone, Copy)]
struct AppPause { client: bool, seq: SeqNumber, at: i64, start: i64 }

/// The walk: feed segments of one connection in capture order, then [`TimeSplitWalk::finish`].
#[derive(Debug, Clone)]
pub struct TimeSplitWalk {
    cap: usize,
    origin: Option<i64>,
    /// Index 1: the client's data.
    dirs: [Direction; 2],
    handshake_done: bool,
    fins: [bool; 2], reset: bool,
    /// Per side (server's first, as `fins`): its SYN went by.
    syns: [bool; 2],
    /// Which endpoint sent the last payload.
    last_data_client: Option<bool>,
    run: Option<Run>,
    /// Handshake times (first SYN, SYN-ACK), round trips from the capture point (1: client).
    paths: HandshakePaths,
    /// The receiver's update that ended the sender's wait, on its way to the sender.
    handover: Option<Handover>,
    /// A zero window reopened: whose data it held, and when the update passed here.
    reopened: Option<(bool, i64)>,
    /// The open run saw a zero window (then Linux's persist timer, not loss recovery, runs).
    zero_in_run: bool,
    /// The run being closed ends at the receiver's ACK that moved forward (set only for that close).
    ended_by_ack: bool,
    /// The TSval of each side's latest new data (index 1: the client's).
    new_tsval: [Option<u32>; 2],
    quiet_frame: u64,
    after_probe: Option<u64>,
    last_time: i64,
    last_frame: u64,
    /// Who sent the last segment taken in (a sender's first data after the peer's is a way later).
    last_from: Option<bool>,
    /// The segment being taken in: its time and frame (a switch at its time begins at it).
    adding: (i64, u64),
    /// The latest application's pause: whose, the data that ended it, when that passed here,
    /// and the part's start (relabelled the network's if that data comes again too soon).
    app_pause: Option<AppPause>,
    /// A resend that ended a receiver's held ACK, the network's unless its D-SACK says otherwise.
    resend_in_hold: Option<pauses::HeldResend>,
    /// A receiver's held ACK, until the part after it says whether it held anything up.
    held_ack: Option<TimePart>,
    /// One packet captured twice is no resend and no news (ndpi_rtsp holds four of each: R8b-10).
    copies: crate::tcp::copies::CopyWalk,
    /// Small data its sender's TCP held for the ACK of its previous small segment (R8a-11).
    nagle: crate::tcp::nagle_release::NagleReleaseWalk,
    split: TimeSplit,
    /// Whether the capture was filtered to payload ([`TimeSplit::payload_only`]).
    payload_only: crate::tcp::payload_only::PayloadOnly,
}

impl TimeSplitWalk {
    /// At most `cap` parts are kept (the rest only in the totals).
    pub fn new(cap: usize) -> Self {
        TimeSplitWalk {
            cap, origin: None, dirs: Default::default(), handshake_done: false, fins: [false; 2], reset: false, syns: [false; 2],
            last_data_client: None, run: None, paths: HandshakePaths::default(), handover: None, reopened: None,
            zero_in_run: false, ended_by_ack: false, new_tsval: [None; 2], quiet_frame: 0, after_probe: None, last_time: 0, last_frame: 0, last_from: None, adding: (0, 0), copies: Default::default(), held_ack: None, app_pause: None, resend_in_hold: None, nagle: Default::default(), payload_only: Default::default(),
            split: TimeSplit { duration_ns: 0, totals_ns: [0; 10], parts: Vec::new(), parts_left_out: 0, path_ns: None, payload_only: false, nagle_off: [None; 2] },
        }
    }

    pub fn push(&mut self, p: &TcpPacket) {
        if !p.flags_captured() {
            return;
        }
        let origin = *self.origin.get_or_insert(p.time_ns);
        self.payload_only.add(p);
        let t = (p.time_ns - origin).max(self.last_time);
        self.fire_timers(t);
        self.adding = (t, p.frame);
        self.last_time = t;
        let copy = self.copies.copy_of(p).is_some();
        self.copies.add(p);
        if copy {
            self.last_frame = p.frame;
            if let Some(run) = self.run.as_mut() { run.last = p.frame; }
            return;
        }
        let me = usize::from(p.from_client);
        let len = p.segment.payload_len;
        let new_data = len > 0 && self.dirs[me].next.is_none_or(|n| (SeqNumber(p.seq) + len).after(n));
        let way = self.paths.to(p.from_client);
        let peer = &self.dirs[usize::from(!p.from_client)];
        let past_peer = p.segment.flags.ack() && !p.segment.flags.syn() && !p.segment.flags.rst() && peer.fin_end.or(peer.next).is_some_and(|e| SeqNumber(p.ack).after(e));
        // (Past this side's previous ACK too: the peer's bytes it covers went by since then.)
        let peer_went_by = past_peer && peer.acked.is_some_and(|a| SeqNumber(p.ack).after(a));
        if past_peer {
            self.nagle.small_unacked.peer_unseen(p.from_client);
        }
        let released = self.nagle.release(p, way, HandshakePaths::slack(way));
        self.nagle.add(p, way, HandshakePaths::slack(way), self.paths.to(!p.from_client));
        self.hand_over(p, t);
        let peer = &self.dirs[1 - me];
        if p.segment.flags.ack() && peer.acked.is_some() && peer.window == 0 && p.window > 0 {
            self.reopened = Some((!p.from_client, t));
        }
        // A FIN or ACK whose sequence number is past every byte of its sender's seen and
        // acknowledged: data the capture does not hold went before it (R20C-2:
        // zeek_tcp_miss_end_data's FIN at 2903, the 2902-byte answer never captured).
        let own = &self.dirs[me];
        let base = match (own.next, own.acked) {
            (Some(n), Some(a)) => Some(if a.after(n) { a } else { n }),
            (n, a) => n.or(a),
        };
        // (A jump of 16 MiB or more is no data gone by but another sequence space: a SYN with
        // a new ISN on the same ports, ndpi_heuristic stream 3's frame 163.)
        let unseen_before = len == 0 && !p.segment.flags.syn() && base.is_some_and(|b| SeqNumber(p.seq).after(b) && SeqNumber(p.seq) - b < 1 << 24);
        // When within the pause that data went does not show (R21-1): idle, with its sender named.
        if unseen_before && matches!(self.run.map(|r| r.state), Some(State::Idle(_) | State::HalfOpen(_))) {
            if let Some(run) = self.run.as_mut() {
                run.state = State::Known(TimeKind::Other, Some(p.from_client));
            }
        }
        // This side's ACK covers bytes of the peer's the capture does not hold: they went by
        // within the open run, so a run told as this side's sending (or both idle) held the
        // peer's sending too, in proportions the capture cannot show (R29-1: zeek_ldap_gap
        // frame 9, ack=1553, the server's 1342-byte answer never captured). A pure ACK out of
        // idle time is named by `name_open_run` (the peer's answer or the network's).
        if peer_went_by && self.run.is_some_and(|r| r.state.told_as_own(p.from_client, len > 0)) {
            if let Some(run) = self.run.as_mut() {
                run.state = State::Known(TimeKind::Other, Some(!p.from_client));
                run.unseen_ack = p.frame;
            }
        }
        self.dsack_settles_hold(p);
        if new_data {
            self.answer_after_the_way(p, t);
        }
        self.name_open_run(p, t, new_data);
        if let Some(since) = released {
            self.nagle_hold(p.from_client, since.saturating_sub(origin));
        }
        self.dirs[me].ip_ids.add(p.segment.ip_id, crate::tcp::ip_id::datagrams_in(p.segment.payload_len, None), p.segment.payload_len);
        if new_data {
            self.held_ack_not_waited_on(p.from_client, t);
            self.new_tsval[me] = p.segment.options.timestamps.map(|(v, _)| v);
            self.application_pause(p, t);
        } else if len > 0 {
            self.pause_was_the_path(p, t);
        }
        self.paths.add(p, t, self.handshake_done);
        let progress = self.learn(p, t, new_data);
        (self.last_frame, self.last_from) = (p.frame, Some(p.from_client));
        let state = self.state();
        let Some(run) = self.run else {
            self.open(state, t, p.frame);
            return;
        };
        // The receiver's ACK ends a stall that nothing was sent in (R11b-04), or only a resend
        // its echo shows was not needed (ndpi_ipp frame 233 echoes frame 231, not 232).
        let echoes_original = p.segment.options.timestamps.zip(self.new_tsval[1 - me]).is_some_and(|((_, tsecr), v)| tsecr == v);
        let by_ack = progress && len == 0 && (self.after_probe.is_none() || echoes_original) && run.outstanding == Some(!p.from_client);
        let same = run.state == state || matches!((run.state, state), (State::Holding(r), State::Known(TimeKind::Network, Some(s))) if s != r);
        if !same {
            self.ended_by_ack = by_ack;
            self.close_run(t);
            self.ended_by_ack = false;
            self.open(state, t, p.frame);
            // An update from the receiver that ends the sender's wait reaches the sender a
            // round trip (from here) later: if the sender is the next to act, its wait lasted
            // until then.
            if let State::Known(kind @ (TimeKind::ReceiverWindow | TimeKind::ReceiverReading | TimeKind::Network), Some(s)) = run.state {
                let way = self.paths.to(s);
                if s != p.from_client && way > 0 {
                    self.handover = Some(Handover { at: t, due: t.saturating_add(way), kind, sender: s, outstanding: run.outstanding, frame: p.frame });
                }
            }
            self.note_zero();
            return;
        }
        let mut run = self.run.unwrap_or(run);
        let stalled = self.paths.probe_after().is_some_and(|wait| t >= run.quiet_from.saturating_add(wait));
        if progress && stalled && matches!(run.state, State::Known(k, _) if k.window_limited()) {
            // A full window's stall ended and the window filled again at once: the stall is
            // told apart (the run's close splits it at the probe timer), the window goes on.
            self.ended_by_ack = by_ack;
            self.close_run(t);
            self.ended_by_ack = false;
            self.open(state, t, p.frame);
            self.note_zero();
            return;
        }
        run.last = p.frame;
        if progress {
            run.quiet_from = t;
            self.quiet_frame = p.frame;
            self.after_probe = None;
        } else if self.after_probe.is_none() && stalled {
            self.after_probe = Some(p.frame);
        }
        self.run = Some(run);
        self.note_zero();
    }

    fn note_zero(&mut self) { self.zero_in_run |= self.dirs.iter().any(Direction::zero_window); }
    fn open(&mut self, state: State, t: i64, frame: u64) {
        self.zero_in_run = false;
        self.quiet_frame = frame;
        self.after_probe = None;
        let outstanding = self.outstanding_side();
        self.run = Some(Run { state, start: t, first: frame, last: frame, quiet_from: t, outstanding, unseen_ack: 0 });
    }

    /// The side whose data is outstanding (the larger flight).
    fn outstanding_side(&self) -> Option<bool> {
        let f = [self.dirs[0].outstanding(), self.dirs[1].outstanding()];
        (f[0] + f[1] > 0).then_some(f[1] >= f[0])
    }

    /// The open run ends at `at` (no segment there) and `state` begins.
    fn switch_at(&mut self, at: i64, state: State, outstanding: Option<bool>) {
        // (At the time of the segment being taken in, the part begins at it: R15-3.)
        let frame = if self.adding.1 != 0 && at >= self.adding.0 { self.adding.1 } else { self.last_frame };
        self.switch_at_frame(at, frame, state, outstanding);
    }

    /// [`Self::switch_at`] where the switch lies behind the last segment: `frame` is the one at
    /// `at` (R14-8: an application's pause begun at frame 62 was labelled "frames 76–76").
    fn switch_at_frame(&mut self, at: i64, frame: u64, state: State, outstanding: Option<bool>) {
        let Some(mut run) = self.run else { return };
        // (A switch before the run's start happens at its start, its first frame: R15-3.)
        let frame = if at <= run.start { frame.max(run.first) } else { frame };
        let at = at.max(run.start);
        if frame >= run.first && frame < run.last {
            run.last = frame;
            self.run = Some(run);
        }
        self.close_run(at);
        self.zero_in_run = false;
        self.after_probe = None;
        self.quiet_frame = frame;
        self.run = Some(Run { state, start: at, first: frame, last: self.last_frame.max(frame), quiet_from: at, outstanding, unseen_ack: 0 });
    }

    /// The timer that ends a run between two segments: a receiver holding data past the way
    /// there and back.
    fn fire_timers(&mut self, now: i64) {
        // Updates reaching the senders, one at a time in the order they arrive there: the state
        // may change between two segments, at the update that changed it (not at the first one
        // due: R8a-09, a window still full after the first update of two).
        while let Some((i, due)) = (0..2).filter_map(|i| self.dirs[i].next_due(now).map(|d| (i, d))).min_by_key(|&(_, d)| d) {
            self.dirs[i].catch_up(due);
            let state = self.state();
            if self.run.is_some_and(|r| r.state != state && matches!(r.state, State::Known(k, _) if k.window_limited())) {
                self.switch_at(due, state, self.outstanding_side());
            }
        }
        let Some(run) = self.run else { return };
        let State::Known(TimeKind::Network, Some(s)) = run.state else { return };
        // (Without a handshake, the quickest ACK's round trip measured so far: R44D-3.)
        let Some(way) = self.paths.measured_to(!s) else { return };
        let d = &self.dirs[usize::from(s)];
        let Some((sent, _)) = d.last_new else { return };
        // (R41A-1: one reporting a hole answers at once, RFC 5681 §4.2: zeek_tcp_reassembly.)
        if d.receiver_replied || d.resent || d.outstanding() == 0 || d.dup_ack || d.hole {
            return;
        }
        if now > sent.saturating_add(way).saturating_add(HandshakePaths::slack(way)) { // (saturating: fuzzed times)
            self.switch_at(sent.saturating_add(way), State::Holding(!s), Some(s));
        }
    }

    /// The sender acts after the receiver's update: the open run, begun at the update, was its
    /// wait until the update reached it.
    fn hand_over(&mut self, p: &TcpPacket, t: i64) {
        let Some(h) = self.handover else { return };
        // A pure ACK of the peer's bytes the capture lacks is no sending on the update: the
        // peer sent meanwhile (R49-4: ndpi_heuristic stream 0's frame 55).
        if p.from_client == h.sender && self.acks_unseen(p) {
            self.handover = None;
            return;
        }
        let Some(run) = self.run.as_mut() else { return };
        if run.start != h.at {
            self.handover = None;
            return;
        }
        if p.from_client != h.sender {
            return;
        }
        self.handover = None;

        // Sooner than the update could have reached it: the sender did not wait for it.
        let way = h.due - h.at;
        if t < h.due.saturating_sub(1_000_000 + way / 10) {
            return;
        }
        let end = h.due.min(t);
        run.start = end;
        // (Begun at this segment's time, the rest begins at it: R15-3.)
        if end >= t {
            run.first = p.frame;
        }
        let client = Some(h.sender);
        self.emit(TimePart { kind: h.kind, start_ns: h.at, end_ns: end, first_frame: h.frame, last_frame: h.frame, client, outstanding: h.outstanding, small_unacked_ns: 0, small_frame: 0, unseen_ack_frame: 0 });
    }

    /// Heap bytes held (the parts kept, the ACK times).
    pub fn heap_bytes(&self) -> usize {
        self.split.parts.capacity() * std::mem::size_of::<TimePart>() + self.copies.heap_bytes() + self.nagle.small_unacked.heap_bytes() + self.dirs.iter().map(|d| d.ack_times.capacity() * std::mem::size_of::<super::time_split_state::AckTime>() + d.on_the_way.capacity() * 16).sum::<usize>()
    }

    /// The split so far, the open run ending at the last segment.
    pub fn finish(mut self) -> TimeSplit {
        if self.payload_only.holds() { return TimeSplit { payload_only: true, ..TimeSplitWalk::new(0).split }; }
        let end = self.last_time;
        self.fire_timers(end);
        self.close_run(end);
        if let Some(held) = self.held_ack.take() {
            self.split.add_kept(self.cap, held);
        }
        // Parts of zero length (a last segment's own run) say nothing.
        self.split.parts.retain(|p| p.end_ns > p.start_ns);
        let off = [false, true].map(|c| self.nagle.small_unacked.is_off(c));
        self.split.parts.iter_mut().filter(|p| p.client.is_some_and(|c| off[usize::from(c)])).for_each(|p| (p.small_unacked_ns, p.small_frame) = (0, 0));
        self.split.duration_ns = end;
        self.split.path_ns = self.paths.path;
        self.split.nagle_off = [false, true].map(|c| self.nagle.small_unacked.off_from(c));
        self.split
    }
}
