//! Where a connection's time went (issue #23): its duration, from its first segment to its
//! last as the capture point saw them, split into consecutive parts that never overlap and sum
//! exactly to it, each part saying who the connection was waiting for. Estimated from the
//! capture: what each endpoint knew (its own window, its application's writes) is inferred from
//! the segments that went by the capture point.
//!
//! A walk fed one segment at a time ([`TimeSplitWalk`]), keeping a few numbers per direction, so
//! the streaming `analyze`, which keeps no segments, can use it too. The state after each
//! segment names the time until the next one; runs of the same state make one part.
//!
//! Rules, per direction (a "sender" is the endpoint sending payload, its "receiver" the other):
//! outstanding = highest payload byte sent + 1 − highest ACK from the receiver; the window's
//! right edge = that ACK + the receiver's last advertised window; MSS = the largest payload seen
//! from that sender (at least 536).

use serde::Serialize;

use crate::tcp::seq::SeqNumber;
use crate::tcp::TcpPacket;

/// Who or what the connection waited for during a part.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum TimeKind {
    /// From the first segment until the first one without SYN (the handshake's last ACK or
    /// the first data).
    Handshake,
    /// Data outstanding and the sender's flight reached the receiver's advertised window
    /// within one MSS, or the window is zero (zero-window probes included): limited by the
    /// receiver's window (Linux counts this as `rwnd_limited`).
    ReceiverWindow,
    /// Data outstanding, the flight more than one MSS below the window: the network and the
    /// sender's congestion control set the pace (growth, loss and recovery included).
    Network,
    /// Nothing outstanding, the window open, and the next data comes from the same endpoint
    /// that sent the last: its application had nothing to send (idle or writing slowly).
    SenderApplication,
    /// Nothing outstanding after one endpoint's data, and the next data comes from the other:
    /// a request/response wait for the other's answer (its application, its processing, and
    /// the way there and back).
    AwaitingAnswer,
    /// From the first FIN or RST on, with no data outstanding.
    Close,
    /// Nothing outstanding and no data came after: neither the next data nor a close explains
    /// the wait (for example a capture that stops mid-connection).
    Other,
}

impl TimeKind {
    pub const ALL: [TimeKind; 7] = [
        TimeKind::Handshake,
        TimeKind::ReceiverWindow,
        TimeKind::Network,
        TimeKind::SenderApplication,
        TimeKind::AwaitingAnswer,
        TimeKind::Close,
        TimeKind::Other,
    ];

    /// Its name in JSON (`totals` keys and each part's `kind`).
    pub fn key(self) -> &'static str {
        match self {
            TimeKind::Handshake => "handshake",
            TimeKind::ReceiverWindow => "receiver_window",
            TimeKind::Network => "network",
            TimeKind::SenderApplication => "sender_application",
            TimeKind::AwaitingAnswer => "awaiting_answer",
            TimeKind::Close => "close",
            TimeKind::Other => "other",
        }
    }

    /// Words for a label or a legend.
    pub fn label(self) -> &'static str {
        match self {
            TimeKind::Handshake => "handshake",
            TimeKind::ReceiverWindow => "receiver's window",
            TimeKind::Network => "network / congestion",
            TimeKind::SenderApplication => "sending application",
            TimeKind::AwaitingAnswer => "waiting for an answer",
            TimeKind::Close => "close",
            TimeKind::Other => "other",
        }
    }
}

/// One part of the split.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct TimePart {
    pub kind: TimeKind,
    /// Nanoseconds from the connection's first segment.
    pub start_ns: i64,
    pub end_ns: i64,
    /// The first and last segment inside it (the segment at its start; the last one before
    /// the next part starts).
    pub first_frame: u64,
    pub last_frame: u64,
    /// The endpoint it concerns: the data sender (window, network, sending application), the
    /// endpoint answered (awaiting answer); `None` for handshake, close and other.
    pub client: Option<bool>,
}

impl TimePart {
    pub fn duration_ns(&self) -> i64 {
        self.end_ns - self.start_ns
    }
}

/// The whole split.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TimeSplit {
    pub duration_ns: i64,
    /// Per kind, in [`TimeKind::ALL`] order; they sum to `duration_ns`.
    pub totals_ns: [i64; 7],
    pub parts: Vec<TimePart>,
    /// Parts left out past the cap (their time is still in the totals).
    pub parts_left_out: u64,
}

impl TimeSplit {
    pub fn total(&self, kind: TimeKind) -> i64 {
        self.totals_ns[TimeKind::ALL.iter().position(|k| *k == kind).unwrap_or(0)]
    }
}

/// What is known of one direction's data.
#[derive(Debug, Clone, Copy, Default)]
struct Direction {
    /// One past the highest payload byte sent (`None` before any payload).
    next: Option<SeqNumber>,
    /// The highest ACK and the last window the other endpoint sent.
    acked: Option<SeqNumber>,
    window: u32,
    mss: u32,
}

impl Direction {
    fn outstanding(&self) -> u32 {
        match (self.next, self.acked) {
            (Some(n), Some(a)) if n.after(a) => (n - a) as u32,
            (Some(_), None) => 1,
            _ => 0,
        }
    }

    /// Room left in the window for new data (0 when full or beyond).
    fn room(&self) -> u32 {
        match (self.next, self.acked) {
            (Some(n), Some(a)) => {
                let edge = a + self.window;
                if edge.after(n) { (edge - n) as u32 } else { 0 }
            }
            _ => u32::MAX,
        }
    }
}

/// The state the time after a segment is in; `Idle` waits for the next data to be named.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    Known(TimeKind, Option<bool>),
    Idle,
}

/// The walk: feed segments of one connection in capture order, then [`TimeSplitWalk::finish`].
#[derive(Debug, Clone)]
pub struct TimeSplitWalk {
    cap: usize,
    origin: Option<i64>,
    dirs: [Direction; 2],
    handshake_done: bool,
    closing: bool,
    /// Which endpoint sent the last payload.
    last_data_client: Option<bool>,
    /// The open run: its state, start, first and last frame, and when its last segment went by.
    run: Option<(State, i64, u64, u64, i64)>,
    /// The handshake's round trip as the capture point saw it (first segment to the first
    /// without SYN), for the probe timer.
    rtt: Option<i64>,
    /// The open run saw a zero window (then Linux's persist timer, not loss recovery, runs:
    /// the whole run is the window's).
    zero_in_run: bool,
    /// The open run's last segment that moved things forward, and its first segment past the
    /// probe timer after that (for the frames of a stall's parts).
    quiet_frame: u64,
    after_probe: Option<u64>,
    last_time: i64,
    split: TimeSplit,
}

impl TimeSplitWalk {
    /// At most `cap` parts are kept (the rest only in the totals).
    pub fn new(cap: usize) -> Self {
        TimeSplitWalk {
            cap,
            origin: None,
            dirs: [Direction::default(); 2],
            handshake_done: false,
            closing: false,
            last_data_client: None,
            run: None,
            rtt: None,
            zero_in_run: false,
            quiet_frame: 0,
            after_probe: None,
            last_time: 0,
            split: TimeSplit { duration_ns: 0, totals_ns: [0; 7], parts: Vec::new(), parts_left_out: 0 },
        }
    }

    pub fn push(&mut self, p: &TcpPacket) {
        let origin = *self.origin.get_or_insert(p.time_ns);
        let t = (p.time_ns - origin).max(self.last_time);
        self.last_time = t;
        let from_client = p.from_client;
        // Data this segment starts, for naming an idle run.
        let data = p.segment.payload_len > 0;
        if data {
            if let Some((State::Idle, ..)) = self.run {
                let kind = match self.last_data_client {
                    Some(last) if last != from_client => TimeKind::AwaitingAnswer,
                    _ => TimeKind::SenderApplication,
                };
                // Either way it concerns the endpoint whose data ends the wait.
                if let Some(run) = self.run.as_mut() {
                    run.0 = State::Known(kind, Some(from_client));
                }
            }
        }
        if !self.handshake_done && !p.segment.flags.syn() && t > 0 {
            self.rtt = Some(t);
        }
        let progress = self.learn(p);
        let state = self.state();
        match self.run {
            Some((s, ..)) if s == state => {
                if let Some(run) = self.run.as_mut() {
                    run.3 = p.frame;
                    if progress {
                        run.4 = t;
                        self.quiet_frame = p.frame;
                        self.after_probe = None;
                    } else if self.after_probe.is_none() && self.rtt.is_some_and(|rtt| t >= run.4.saturating_add(rtt.saturating_mul(2))) {
                        self.after_probe = Some(p.frame);
                    }
                }
            }
            _ => {
                self.close_run(t);
                self.zero_in_run = false;
                self.quiet_frame = p.frame;
                self.after_probe = None;
                self.run = Some((state, t, p.frame, p.frame, t));
            }
        }
        self.zero_in_run |= self.dirs.iter().any(|d| d.next.is_some() && d.acked.is_some() && d.window == 0);
    }

    /// Learns from a segment; true when it moved things forward (new data, or an ACK or a
    /// window beyond what was known), not a resend or a repeated ACK.
    fn learn(&mut self, p: &TcpPacket) -> bool {
        let mut progress = false;
        let f = p.segment.flags;
        let me = usize::from(p.from_client);
        let len = p.segment.payload_len;
        if !f.syn() {
            self.handshake_done = true;
        }
        self.closing |= f.fin() || f.rst();
        if len > 0 {
            let d = &mut self.dirs[me];
            let end = SeqNumber(p.seq) + len;
            progress |= d.next.map_or(true, |n| end.after(n));
            d.next = Some(d.next.map_or(end, |n| n.max(end)));
            d.mss = d.mss.max(len);
            self.last_data_client = Some(p.from_client);
        }
        if f.ack() && !f.rst() {
            let other = &mut self.dirs[1 - me];
            let ack = SeqNumber(p.ack);
            if other.acked.map_or(true, |a| ack.at_or_after(a)) {
                progress |= other.acked.map_or(true, |a| ack.after(a)) || p.window > other.window;
                other.acked = Some(ack);
                other.window = p.window;
            }
        }
        progress
    }

    fn state(&self) -> State {
        if !self.handshake_done {
            return State::Known(TimeKind::Handshake, None);
        }
        // The direction with more outstanding decides; a zero window with data to send counts
        // even with nothing outstanding (the sender waits for the window to open).
        let flights = [self.dirs[0].outstanding(), self.dirs[1].outstanding()];
        let d = if flights[1] >= flights[0] { 1 } else { 0 };
        let dir = &self.dirs[d];
        let client = Some(d == 1);
        if flights[d] > 0 {
            let full = dir.window == 0 || dir.room() < dir.mss.max(536);
            return State::Known(if full { TimeKind::ReceiverWindow } else { TimeKind::Network }, client);
        }
        if let Some(z) = (0..2).find(|&i| self.dirs[i].next.is_some() && self.dirs[i].acked.is_some() && self.dirs[i].window == 0) {
            return State::Known(TimeKind::ReceiverWindow, Some(z == 1));
        }
        if self.closing {
            return State::Known(TimeKind::Close, None);
        }
        State::Idle
    }

    fn close_run(&mut self, end: i64) {
        let Some((state, start, first, last, quiet_from)) = self.run.take() else { return };
        let (kind, client) = match state {
            State::Known(k, c) => (k, c),
            State::Idle => (TimeKind::Other, None),
        };
        // A full window that stays silent past the sender's probe timer (Linux: 2 × SRTT,
        // estimated here from the handshake's round trip) is a stall: from then on the sender
        // waits on its loss-recovery timers, not on the window (Linux stops counting
        // rwnd_limited when its probe fires). Said as estimated.
        if kind == TimeKind::ReceiverWindow && !self.zero_in_run {
            if let Some(rtt) = self.rtt {
                let probe_at = quiet_from.saturating_add(rtt.saturating_mul(2));
                if probe_at > start && probe_at < end {
                    let quiet = self.quiet_frame;
                    // With no segment past the timer, the stall's part points at the segment it began after.
                    let (from, to) = self.after_probe.map_or((quiet, quiet), |f| (f, last));
                    self.add_part(TimePart { kind, start_ns: start, end_ns: probe_at, first_frame: first, last_frame: quiet, client });
                    self.add_part(TimePart { kind: TimeKind::Network, start_ns: probe_at, end_ns: end, first_frame: from, last_frame: to, client });
                    return;
                }
            }
        }
        self.add_part(TimePart { kind, start_ns: start, end_ns: end, first_frame: first, last_frame: last, client });
    }

    fn add_part(&mut self, part: TimePart) {
        let TimePart { kind, start_ns: start, end_ns: end, last_frame: last, client, .. } = part;
        let idx = TimeKind::ALL.iter().position(|k| *k == kind).unwrap_or(0);
        self.split.totals_ns[idx] += end - start;
        let kept = self.split.parts.len();
        match self.split.parts.last_mut() {
            // A named idle run can follow a run of the same kind: one part.
            Some(prev) if self.split.parts_left_out == 0 && prev.kind == kind && prev.client == client && prev.end_ns == start => {
                prev.end_ns = end;
                prev.last_frame = last;
            }
            _ if kept < self.cap => self.split.parts.push(part),
            _ => self.split.parts_left_out += 1,
        }
    }

    /// Heap bytes held (the parts kept).
    pub fn heap_bytes(&self) -> usize {
        self.split.parts.capacity() * std::mem::size_of::<TimePart>()
    }

    /// The split so far, the open run ending at the last segment.
    pub fn finish(mut self) -> TimeSplit {
        let end = self.last_time;
        self.close_run(end);
        // Parts of zero length (a last segment's own run) say nothing.
        self.split.parts.retain(|p| p.end_ns > p.start_ns);
        self.split.duration_ns = end;
        self.split
    }
}

/// The split of a connection's segments (every part kept).
pub fn time_split(packets: &[TcpPacket]) -> TimeSplit {
    let mut walk = TimeSplitWalk::new(usize::MAX);
    for p in packets {
        walk.push(p);
    }
    walk.finish()
}
