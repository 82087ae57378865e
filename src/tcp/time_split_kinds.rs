//! The kinds, parts and totals of [`super::time_split`] (types only, so the walk and its state
//! can use them without a circle of imports).

use serde::Serialize;


/// Who or what the connection waited for during a part.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum TimeKind {
    /// From the first segment until the first one without SYN (the handshake's last ACK or
    /// the first data).
    Handshake,
    /// Data outstanding and the sender's flight reached the receiver's advertised window
    /// within one MSS, or the window is zero (zero-window probes included): limited by the
    /// receiver's window (Linux counts this as `rwnd_limited`). It lasts until the update that
    /// opens it has had time to reach the sender. A window whose scale is unknown (the SYNs
    /// were not captured) is never called full unless it is zero.
    ReceiverWindow,
    /// Data outstanding, the flight more than one MSS below the window, and the sender's new
    /// data clocked by the receiver's ACKs: the network and the sender's congestion control set
    /// the pace (growth, loss and recovery included).
    Network,
    /// The sending application set the pace: nothing outstanding and the next data from the
    /// same endpoint (idle, or writing slowly), or data outstanding with room to send more
    /// and the next new data not prompted by an ACK but a pause later (application-limited, as
    /// Linux's `app_limited`).
    SenderApplication,
    /// The answering endpoint's time: nothing outstanding after one endpoint's data (or its
    /// data held unacknowledged past the way there and back) and the next data comes from the
    /// other: its application or processing.
    AwaitingAnswer,
    /// From the first FIN in each direction (or an RST) on, with no data outstanding; idle time
    /// after a single FIN ends in it only when no more data came. Also from a sender's FIN on
    /// while two segments or less of its data go unacknowledged with the ACKs moving (no
    /// duplicate ACK, hole or resend): the FIN's round trip is the close's, wherever the capture
    /// point is (R8a-17).
    Close,
    /// Both sides idle: nothing outstanding and no data came after, neither side sending
    /// (before both applications close, or a capture that stops mid-connection). Its JSON key
    /// stays `other`.
    Other,
    /// Data reached the receiver (past the way there and back) and it neither acknowledged it
    /// nor sent anything until a pure ACK: its delayed-ACK timer (or its processing) held it.
    ReceiverDelay,
    /// As `ReceiverWindow`, but the window had shrunk below its largest by more than a quarter
    /// of it (and a segment) with no hole reported (no SACK blocks): the receiver's buffer held
    /// data its application had not read yet — a slow reader, not a buffer too small for the
    /// path. Linux counts it in `rwnd_limited` too.
    ReceiverReading,
    /// The sender's data was queued while it waited for the ACK of its previous small segment:
    /// its TCP held the small rest of a write (Nagle's algorithm, RFC 896, as Linux applies it:
    /// one small segment unacknowledged at a time), as the ACK's release of it shows
    /// ([`super::nagle_release`]). Likely, not certain: said so.
    SenderNagle,
}

impl TimeKind {
    pub const ALL: [TimeKind; 10] = [
        TimeKind::Handshake,
        TimeKind::ReceiverWindow,
        TimeKind::Network,
        TimeKind::SenderApplication,
        TimeKind::AwaitingAnswer,
        TimeKind::Close,
        TimeKind::Other,
        TimeKind::ReceiverDelay,
        TimeKind::ReceiverReading,
        TimeKind::SenderNagle,
    ];

    /// The receiver's window stopped the sender (Linux's `rwnd_limited`).
    pub fn window_limited(self) -> bool {
        matches!(self, TimeKind::ReceiverWindow | TimeKind::ReceiverReading)
    }

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
            TimeKind::ReceiverDelay => "receiver_delay",
            TimeKind::ReceiverReading => "receiver_reading",
            TimeKind::SenderNagle => "sender_nagle",
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
            TimeKind::Other => "both idle",
            TimeKind::ReceiverDelay => "receiver holding its ACK",
            TimeKind::ReceiverReading => "receiving application reading slowly",
            TimeKind::SenderNagle => "sender's TCP holding data (Nagle)",
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
    /// endpoint answered (awaiting answer) or holding its ACK (receiver delay); `None` for
    /// handshake, close and other.
    pub client: Option<bool>,
    /// Whose data was outstanding (sent, not yet acknowledged as its sender knew) during it:
    /// `Some(true)` the client's. Linux's `busy` time is the sum of its sender's.
    pub outstanding: Option<bool>,
    /// Of a sending application's or the network's part: how long within it its sender had a
    /// small segment unacknowledged as it knew it, and that segment's frame (0: none) — when
    /// Nagle's algorithm may have held the short rest of a write, which the packets cannot
    /// tell from an application not writing ([`super::small_unacked`]; R10 N1/N3).
    pub small_unacked_ns: i64,
    pub small_frame: u64,
    /// Of an [`TimeKind::Other`] part naming an endpoint: the frame of the other endpoint's
    /// segment whose ACK covers bytes of that endpoint's the capture does not hold, the evidence
    /// they went by within it (0: its own sequence number jumped instead). R29-1.
    pub unseen_ack_frame: u64,
}

impl TimePart {
    /// A part joined to this one after it: its small segment's time counts here too.
    fn add_small(&mut self, after: &TimePart) {
        self.small_unacked_ns = self.small_unacked_ns.saturating_add(after.small_unacked_ns);
        if self.small_frame == 0 {
            self.small_frame = after.small_frame;
        }
        if self.unseen_ack_frame == 0 {
            self.unseen_ack_frame = after.unseen_ack_frame;
        }
    }

    pub fn duration_ns(&self) -> i64 {
        self.end_ns - self.start_ns
    }
}

/// The whole split.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TimeSplit {
    pub duration_ns: i64,
    /// Per kind, in [`TimeKind::ALL`] order; they sum to `duration_ns`.
    pub totals_ns: [i64; 10],
    pub parts: Vec<TimePart>,
    /// Parts left out past the cap (their time is still in the totals).
    pub parts_left_out: u64,
    /// The capture point's round trip to the server and to the client, from the handshake
    /// (`None` without one).
    pub path_ns: Option<[i64; 2]>,
    /// The capture holds only segments that carry data (four or more, none without: no ACK
    /// alone, no SYN, FIN or RST): filtered to payload, so when anything was acknowledged, and
    /// so who waited, does not show — no split (R11b-03: ndpi_1kxun streams 30–97, where a
    /// client's 3.8 s think time was "network / congestion (server)").
    pub payload_only: bool,
    /// Per sender (index 1: the client), it sent a small segment while an earlier one was
    /// unacknowledged as it knew it (the first such segment's frame): it does not hold small
    /// data back (Nagle's algorithm off); and the frame from which that holds: its first data,
    /// or that frame where a Nagle-like hold came before it (R26C-1: OpenSSH sets TCP_NODELAY
    /// only after the login).
    #[serde(skip)]
    pub nagle_off: [Option<super::nagle_hold::NagleOff>; 2],
}

impl TimeSplit {
    /// Adds the next part (in time order) to the totals, and to the parts while fewer than
    /// `cap` are kept; a part of the same kind and endpoint right after the last joins it (a
    /// run's first instant can differ in what is outstanding: the joined part says the later).
    ///
    /// A flicker is folded into the part around it: a part under 1 ms and under a tenth of the
    /// one before, between two parts of the same kind and endpoint (a window full for 10 µs
    /// between two spells of network time is the same spell; drop_mid at the sender listed 20
    /// such alternations of 0.001–0.15 ms). Its time moves to that kind in the totals too.
    pub(crate) fn add_kept(&mut self, cap: usize, part: TimePart) {
        let index = |k: TimeKind| TimeKind::ALL.iter().position(|x| *x == k).unwrap_or(0);
        self.totals_ns[index(part.kind)] += part.duration_ns();
        if let [.., before, flicker] = self.parts.as_slice() {
            let (before, flicker) = (*before, *flicker);
            let folded = self.parts_left_out == 0
                && before.kind == part.kind
                && before.client == part.client
                && before.end_ns == flicker.start_ns
                && flicker.end_ns == part.start_ns
                && flicker.duration_ns() < 1_000_000
                && flicker.duration_ns() * 10 < before.duration_ns();
            if folded {
                self.totals_ns[index(flicker.kind)] -= flicker.duration_ns();
                self.totals_ns[index(part.kind)] += flicker.duration_ns();
                self.parts.pop();
                if let Some(b) = self.parts.last_mut() {
                    b.end_ns = flicker.end_ns;
                    b.last_frame = flicker.last_frame;
                    b.add_small(&flicker);
                }
            }
        }
        let kept = self.parts.len();
        match self.parts.last_mut() {
            // A wait for an answer while the question was still unacknowledged (its ACK held)
            // stays apart from the wait after its ACK: the sender's busy time is the first only.
            // So too a FIN's wait for its ACK, apart from the rest of the close, and an ACK still
            // to come apart from the idle time after it (R11b-02: ndpi_1kxun stream 1, a 200 ms
            // delayed ACK, then 44.8 s idle, had been one 45 s "ACK not sent yet").
            Some(prev) if self.parts_left_out == 0 && prev.kind == part.kind && prev.client == part.client && prev.end_ns == part.start_ns
                && (!matches!(part.kind, TimeKind::AwaitingAnswer | TimeKind::Close | TimeKind::Other) || prev.outstanding == part.outstanding) => {
                prev.end_ns = part.end_ns;
                prev.last_frame = part.last_frame;
                prev.outstanding = prev.outstanding.or(part.outstanding);
                prev.add_small(&part);
            }
            _ if kept < cap => self.parts.push(part),
            _ => self.parts_left_out += 1,
        }
    }

    /// The kept part of `from` that began at `start` (of that endpoint) is `to` after all (its
    /// time moves in the totals too).
    pub(crate) fn relabel(&mut self, start: i64, (from, client): (TimeKind, Option<bool>), (to, to_client): (TimeKind, Option<bool>)) {
        let Some(i) = self.parts.iter().rposition(|p| p.start_ns == start && p.kind == from && p.client == client) else { return };
        (self.parts[i].kind, self.parts[i].client) = (to, to_client);
        let d = self.parts[i].duration_ns();
        let index = |k: TimeKind| TimeKind::ALL.iter().position(|x| *x == k).unwrap_or(0);
        self.totals_ns[index(from)] -= d;
        self.totals_ns[index(to)] += d;
        // Joined with the same kind's parts on either side, as if it had been named so at once.
        let joins = |a: &TimePart, b: &TimePart| a.kind == b.kind && a.client == b.client && a.end_ns == b.start_ns;
        if self.parts.get(i + 1).is_some_and(|next| joins(&self.parts[i], next)) {
            let next = self.parts.remove(i + 1);
            self.parts[i].end_ns = next.end_ns;
            self.parts[i].last_frame = next.last_frame;
            self.parts[i].add_small(&next);
        }
        if i > 0 && joins(&self.parts[i - 1], &self.parts[i]) {
            let part = self.parts.remove(i);
            self.parts[i - 1].end_ns = part.end_ns;
            self.parts[i - 1].last_frame = part.last_frame;
            self.parts[i - 1].add_small(&part);
        }
    }

    /// The time the receiver's window limited the sender (a full window, a slow reader).
    pub fn window_limited(&self, client: bool) -> i64 {
        self.parts.iter().filter(|p| p.kind.window_limited() && p.client == Some(client)).map(TimePart::duration_ns).sum()
    }

    pub fn total(&self, kind: TimeKind) -> i64 {
        self.totals_ns[TimeKind::ALL.iter().position(|k| *k == kind).unwrap_or(0)]
    }
}

/// A receiver's held ACK (`held`, a [`TimeKind::ReceiverDelay`] part) by the part after it: an
/// answer from the same endpoint makes it part of the wait for that answer, the sender's own
/// pause its application's, nothing before a FIN (or the capture's end) both sides idle; only
/// the sender's data released by the ACK (the network's part that follows, or a window's)
/// leaves it the receiver's delay.
pub(crate) fn held_ack_resolved(held: TimePart, next: &TimePart) -> TimePart {
    match next.kind {
        TimeKind::AwaitingAnswer | TimeKind::SenderApplication => TimePart { kind: next.kind, client: next.client, ..held },
        TimeKind::Other | TimeKind::Close => TimePart { kind: TimeKind::Other, client: None, ..held },
        _ => held,
    }
}
