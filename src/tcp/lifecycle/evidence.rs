//! Each endpoint's RFC 9293 states from what the capture proves, not from capture order.
//!
//! A capture is one observer's view: two segments that cross in the network are in the file in
//! the order they passed the capture point, which need not be the order either endpoint saw
//! them. What an endpoint had received when it sent a segment is in that segment's ACK field
//! (RCV.NXT). So each endpoint is replayed on its own: its own sends happen where the file has
//! them, and a segment of its peer is received no earlier than the file has it and after every
//! segment of its own that shows it had not yet been received (an ACK field short of a SYN or
//! FIN, a SYN sent again, a FIN sent again, any segment sent after an RST). A SYN or FIN that the
//! endpoint's later ACK fields never cover was not processed (out of order, or not acceptable);
//! one that no later segment could confirm (the endpoint fell silent) is inferred.

use serde::Serialize;

use crate::decode::TcpFlags;
use crate::tcp::seq::SeqNumber;
use crate::tcp::TcpPacket;

use super::state::TcpState;

/// The few fields of a segment the replay needs (so a long connection is replayed without
/// making full segments).
#[derive(Debug, Clone, Copy)]
pub struct Wire {
    pub frame: u64,
    pub from_client: bool,
    pub flags: TcpFlags,
    /// Raw sequence and acknowledgement numbers.
    pub seq: SeqNumber,
    pub ack: SeqNumber,
    pub len: u32,
}

impl Wire {
    pub fn of(p: &TcpPacket) -> Self {
        Wire { frame: p.frame, from_client: p.from_client, flags: p.segment.flags, seq: SeqNumber(p.segment.seq), ack: SeqNumber(p.segment.ack), len: p.segment.payload_len }
    }

    /// Sequence number just past this segment (its SYN and FIN count one each).
    pub fn end(&self) -> SeqNumber {
        self.seq + self.len + u32::from(self.flags.syn()) + u32::from(self.flags.fin())
    }

    fn acks(&self, end: SeqNumber) -> bool {
        self.flags.ack() && self.ack.at_or_after(end)
    }

    /// RFC 9293 §3.10.7.3: in SYN-SENT an ACK is acceptable if SND.UNA < SEG.ACK =< SND.NXT,
    /// i.e. it acknowledges the SYN and at most the data the SYN carried (TCP Fast Open).
    fn acks_syn_of(&self, syn: &Wire) -> bool {
        self.flags.ack() && self.ack.at_or_after(syn.seq + 1) && syn.end().at_or_after(self.ack)
    }

    fn pure_syn(&self) -> bool {
        self.flags.syn() && !self.flags.ack()
    }
}

/// Why the capture says an endpoint entered a state.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Evidence {
    /// The endpoint sent the segment that made it so.
    Sent,
    /// It received the segment, and a later segment of its own acknowledges it (`by`).
    Acknowledged,
    /// Caused by an ACK or RST it received: taken to happen on arrival (nothing acknowledges
    /// an ACK, so nothing later can confirm it).
    Arrival,
    /// It answered a SYN, so it was listening before that SYN arrived.
    Answered,
    /// Inferred: the endpoint sent nothing afterwards that could confirm it received the SYN or
    /// FIN (the capture ends, or it fell silent).
    Unconfirmed,
    /// Inferred: the capture starts in the middle of the connection.
    BeforeCapture,
}

/// One state an endpoint entered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StateChange {
    pub state: TcpState,
    /// Where it is drawn: the frame of the cause, or a later frame the endpoint sent before it
    /// can have received the cause (its arrival is then after that frame).
    pub frame: u64,
    /// The segment that caused it.
    pub cause: u64,
    pub evidence: Evidence,
    /// The endpoint's own segment whose ACK field proves the cause was received.
    pub by: Option<u64>,
}

impl StateChange {
    /// The capture cannot decide it; it is shown as inferred.
    pub fn inferred(&self) -> bool {
        matches!(self.evidence, Evidence::Unconfirmed | Evidence::BeforeCapture)
    }

    /// The endpoint entered it by sending (the label goes at the arrow's tail).
    pub fn by_sending(&self) -> bool {
        self.evidence == Evidence::Sent
    }
}

/// A segment that changed nothing for its receiver, and why (for the explanations).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Ignored {
    pub frame: u64,
    /// The endpoint that ignored it (true: the client).
    pub client: bool,
    pub reason: IgnoredReason,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IgnoredReason {
    /// An RST in SYN-SENT whose ACK is not the SYN's ISN + 1 (RFC 9293 §3.10.7.3).
    RstBadAck,
    /// A SYN or FIN its receiver's later ACKs never cover: not processed (out of order, lost
    /// after the capture point, or below the receive window).
    NotAcknowledged,
    /// A FIN sent before the connection was synchronized (not an RFC 9293 transition).
    FinBeforeSynchronized,
    /// Answered with an RST: the receiver had no connection for it.
    AnsweredWithRst,
}

/// Both endpoints' states, and where a received segment arrived later than its row.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EndpointStates {
    /// Client, then server.
    pub sides: [Vec<StateChange>; 2],
    /// (frame, after_frame): the segment `frame` was received after its receiver sent
    /// `after_frame` (crossing segments); the picture draws its head below that send.
    pub late_arrivals: Vec<(u64, u64)>,
    pub ignored: Vec<Ignored>,
}

impl EndpointStates {
    pub fn side(&self, client: bool) -> &[StateChange] {
        &self.sides[usize::from(!client)]
    }

    /// The frame after which segment `frame` was received, when later than its own row.
    pub fn arrives_after(&self, frame: u64) -> Option<u64> {
        self.late_arrivals.iter().find(|(f, _)| *f == frame).map(|(_, a)| *a)
    }

    pub fn ignored_at(&self, frame: u64) -> impl Iterator<Item = &Ignored> {
        self.ignored.iter().filter(move |i| i.frame == frame)
    }
}

/// Replays both endpoints of one connection (its segments in file order). `before_capture`:
/// no SYN of this connection was captured.
pub fn endpoint_states(segments: &[Wire], before_capture: bool) -> EndpointStates {
    let mut out = EndpointStates::default();
    for side in 0..2 {
        let client = side == 0;
        let mut replay = Replay::new(segments, client, before_capture);
        replay.run(&mut out);
        out.sides[side] = replay.changes;
    }
    out.late_arrivals.sort_unstable();
    out.late_arrivals.dedup();
    out
}

/// What one received segment does to its receiver.
#[derive(Debug, Clone, Copy)]
struct Receipt {
    index: usize,
    /// Its SYN or FIN was processed: Some(Some(frame)) acknowledged by that frame,
    /// Some(None) inferred (nothing later could confirm); None not processed (or none).
    control: Option<Option<u64>>,
}

enum Event {
    Send(usize),
    Receive(Receipt),
    /// The endpoint was listening before the peer's SYN (it answered it).
    Listen(u64),
}

struct Replay<'a> {
    segs: &'a [Wire],
    client: bool,
    before_capture: bool,
    state: TcpState,
    /// SYN-RECEIVED was entered from LISTEN (an RST returns it to LISTEN).
    passive: bool,
    isn: Option<SeqNumber>,
    /// Just past this endpoint's own FIN, once it has sent one.
    fin_end: Option<SeqNumber>,
    /// The peer's FIN has been processed (a copy of it later is only an ACK).
    peer_fin_done: bool,
    /// Its first SYN (or SYN-ACK).
    own_syn: Option<Wire>,
    changes: Vec<StateChange>,
}

impl<'a> Replay<'a> {
    fn new(segs: &'a [Wire], client: bool, before_capture: bool) -> Self {
        Replay { segs, client, before_capture, state: TcpState::Unknown, passive: false, isn: None, fin_end: None, peer_fin_done: false, own_syn: None, changes: Vec::new() }
    }

    fn mine(&self, w: &Wire) -> bool {
        w.from_client == self.client
    }

    fn enter(&mut self, state: TcpState, frame: u64, cause: u64, evidence: Evidence, by: Option<u64>) {
        if self.state != state {
            self.state = state;
            self.changes.push(StateChange { state, frame, cause, evidence, by });
        }
    }

    /// The endpoint's own FIN that counts: its first FIN sent once it could be synchronized
    /// (a FIN sent in SYN-SENT is not an RFC 9293 transition).
    fn own_fin(&self) -> Option<usize> {
        let mut syn_ack_seen = false;
        let mut own_pure_syn = false;
        for (i, w) in self.segs.iter().enumerate() {
            if self.mine(w) {
                own_pure_syn |= w.pure_syn();
                syn_ack_seen |= w.flags.syn() && w.flags.ack();
                if w.flags.fin() && !w.flags.rst() && (!own_pure_syn || syn_ack_seen) {
                    return Some(i);
                }
            } else {
                syn_ack_seen |= w.flags.syn() && w.flags.ack();
            }
        }
        None
    }

    fn run(&mut self, out: &mut EndpointStates) {
        let segs = self.segs;
        let own_syn = segs.iter().find(|w| self.mine(w) && w.flags.syn());
        let own_isn = own_syn.map(|w| w.seq);
        self.own_syn = own_syn.copied();
        let own_fin = self.own_fin();
        let own_fin_end = own_fin.map(|i| segs[i].end());
        // Keyed events: (frame, 0 for own sends / 1 for receipts, order).
        let mut events: Vec<((u64, u8, u64), Event)> = Vec::new();
        // Listening: the first SYN-bearing segment it sent is a SYN-ACK answering a peer SYN.
        let first_own_syn = segs.iter().find(|w| self.mine(w) && w.flags.syn());
        if let Some(syn_ack) = first_own_syn.filter(|w| w.flags.ack()) {
            if let Some(peer_syn) = segs.iter().find(|w| !self.mine(w) && w.pure_syn() && w.frame < syn_ack.frame) {
                events.push(((peer_syn.frame, 0, 0), Event::Listen(peer_syn.frame)));
            }
        }
        let mut first_ack_of_syn = None;
        let mut first_ack_of_fin = None;
        for (i, w) in segs.iter().enumerate() {
            if self.mine(w) {
                if w.flags.syn() || w.flags.fin() || w.flags.rst() {
                    events.push(((w.frame, 0, w.frame), Event::Send(i)));
                }
                continue;
            }
            let acks_syn = own_isn.is_some_and(|isn| w.acks(isn + 1));
            let acks_fin = own_fin.is_some_and(|f| i > f) && own_fin_end.is_some_and(|end| w.acks(end));
            let mut wanted = w.flags.syn() || w.flags.fin() || w.flags.rst();
            if acks_syn && first_ack_of_syn.is_none() {
                first_ack_of_syn = Some(i);
                wanted = true;
            }
            if acks_fin && first_ack_of_fin.is_none() {
                first_ack_of_fin = Some(i);
                wanted = true;
            }
            if !wanted {
                continue;
            }
            // An RST while this side can only be in SYN-SENT counts only if it acknowledges the
            // SYN (RFC 9293 §3.10.7.3); otherwise it is dropped where it arrives.
            let in_syn_sent = own_isn.is_some() && !segs[..i].iter().any(|o| !self.mine(o) && o.flags.syn());
            if w.flags.rst() && in_syn_sent && !own_syn.is_some_and(|syn| w.acks_syn_of(syn)) {
                out.ignored.push(Ignored { frame: w.frame, client: self.client, reason: IgnoredReason::RstBadAck });
                continue;
            }
            let (after, control) = self.place(i, acks_syn, acks_fin, out);
            if after > w.frame && (w.flags.syn() || w.flags.fin() || w.flags.rst()) {
                out.late_arrivals.push((w.frame, after));
            }
            events.push(((after, 1, w.frame), Event::Receive(Receipt { index: i, control })));
        }
        events.sort_by_key(|(key, _)| *key);
        // A connection picked up mid-way: it was synchronized before the capture.
        if self.before_capture {
            if let Some(first) = segs.first() {
                if !first.flags.syn() && !first.flags.rst() {
                    self.enter(TcpState::Established, first.frame, first.frame, Evidence::BeforeCapture, None);
                }
            }
        }
        for ((after, _, _), event) in events {
            match event {
                Event::Listen(frame) => self.enter(TcpState::Listen, frame, frame, Evidence::Answered, None),
                Event::Send(i) => self.send(i, own_fin, out),
                Event::Receive(r) => self.receive(r, after, own_fin_end, out),
            }
        }
    }

    /// Where the receipt of peer segment `i` goes in this endpoint's order: after the last of
    /// its own segments that shows it had not received it. Also whether its SYN/FIN was
    /// processed, and by which of its own segments that is known.
    fn place(&self, i: usize, acks_syn: bool, acks_fin: bool, out: &mut EndpointStates) -> (u64, Option<Option<u64>>) {
        let segs = self.segs;
        let w = &segs[i];
        let control = (w.flags.syn() || w.flags.fin()) && !self.duplicate(i);
        let end = w.end();
        // Last own segment that shows the SYN/FIN had not been processed yet, and the one
        // whose ACK field shows it had.
        let (mut control_after, mut confirmed_by, mut later_acks, mut answered_with_rst) = (w.frame, None, false, false);
        // Last own segment that shows the ACK or RST in it had not arrived yet.
        let mut other_after = w.frame;
        let mut first_reply = true;
        for own in segs[i + 1..].iter().filter(|o| self.mine(o)) {
            if control && confirmed_by.is_none() {
                if own.acks(end) {
                    confirmed_by = Some(own.frame);
                } else if first_reply && own.flags.rst() {
                    // An RST in answer: the receiver had no connection for it.
                    answered_with_rst = true;
                } else if !own.flags.rst() {
                    later_acks |= own.flags.ack();
                    control_after = own.frame;
                }
            }
            first_reply = false;
            // Still sending its SYN: it had not seen the ACK of it. Sending its FIN again: it
            // had not seen the ACK of that. Anything sent after an RST arrived would not have been.
            if (acks_syn && own.flags.syn()) || (acks_fin && own.flags.fin()) || (w.flags.rst() && !own.flags.rst()) {
                other_after = own.frame;
            }
            let searching_control = control && confirmed_by.is_none() && !answered_with_rst;
            // Later segments can still show it had not arrived only while one of these holds.
            let may_still_block = searching_control || w.flags.rst() || (acks_syn && own.flags.syn()) || (acks_fin && own.flags.fin());
            if !may_still_block {
                break;
            }
        }
        let processed = if !control {
            None
        } else if let Some(by) = confirmed_by {
            Some(Some(by))
        } else if answered_with_rst {
            out.ignored.push(Ignored { frame: w.frame, client: self.client, reason: IgnoredReason::AnsweredWithRst });
            None
        } else if later_acks {
            out.ignored.push(Ignored { frame: w.frame, client: self.client, reason: IgnoredReason::NotAcknowledged });
            None
        } else {
            Some(None)
        };
        let after = if processed.is_some() { other_after.max(control_after) } else { other_after };
        (after, processed)
    }

    /// The SYN/FIN of peer segment `i` had already been acknowledged by this endpoint before
    /// it was sent (a retransmission of something processed, or a FIN overlapping the SYN).
    fn duplicate(&self, i: usize) -> bool {
        let end = self.segs[i].end();
        self.segs[..i].iter().any(|o| self.mine(o) && o.acks(end) && !o.flags.rst())
    }

    fn send(&mut self, i: usize, own_fin: Option<usize>, out: &mut EndpointStates) {
        let w = self.segs[i];
        let f = w.flags;
        if f.rst() {
            if self.state != TcpState::Listen {
                self.enter(TcpState::Closed, w.frame, w.frame, Evidence::Sent, None);
            }
            return;
        }
        if f.syn() && !f.ack() {
            if self.isn.is_none_or(|isn| isn != w.seq) && matches!(self.state, TcpState::Unknown | TcpState::Closed | TcpState::Listen) {
                self.isn = Some(w.seq);
                self.enter(TcpState::SynSent, w.frame, w.frame, Evidence::Sent, None);
            }
        } else if f.syn() {
            self.isn.get_or_insert(w.seq);
            if matches!(self.state, TcpState::Unknown | TcpState::Closed | TcpState::Listen | TcpState::SynSent) {
                self.passive = self.state == TcpState::Listen;
                self.enter(TcpState::SynReceived, w.frame, w.frame, Evidence::Sent, None);
            }
        }
        if f.fin() {
            if own_fin == Some(i) {
                self.fin_end = Some(w.end());
                match self.state {
                    TcpState::CloseWait => self.enter(TcpState::LastAck, w.frame, w.frame, Evidence::Sent, None),
                    TcpState::Established | TcpState::SynReceived | TcpState::Unknown => self.enter(TcpState::FinWait1, w.frame, w.frame, Evidence::Sent, None),
                    _ => {}
                }
            } else if own_fin.is_none_or(|first| i < first) {
                out.ignored.push(Ignored { frame: w.frame, client: !self.client, reason: IgnoredReason::FinBeforeSynchronized });
            }
        }
    }

    fn receive(&mut self, r: Receipt, after: u64, own_fin_end: Option<SeqNumber>, out: &mut EndpointStates) {
        let w = self.segs[r.index];
        let f = w.flags;
        let (frame, cause) = (after, w.frame);
        if f.rst() {
            match self.state {
                TcpState::SynSent => {
                    // RFC 9293 §3.10.7.3: acceptable only if it acknowledges the SYN.
                    if self.own_syn.is_some_and(|syn| w.acks_syn_of(&syn)) {
                        self.enter(TcpState::Closed, frame, cause, Evidence::Arrival, None);
                    } else {
                        out.ignored.push(Ignored { frame: w.frame, client: self.client, reason: IgnoredReason::RstBadAck });
                    }
                }
                TcpState::Listen | TcpState::Closed => {}
                TcpState::SynReceived if self.passive => self.enter(TcpState::Listen, frame, cause, Evidence::Arrival, None),
                _ => self.enter(TcpState::Closed, frame, cause, Evidence::Arrival, None),
            }
            return;
        }
        let (control_evidence, by) = match r.control {
            Some(Some(by)) => (Evidence::Acknowledged, Some(by)),
            _ => (Evidence::Unconfirmed, None),
        };
        let processed = r.control.is_some() && !(f.fin() && self.peer_fin_done);
        let acks_syn = self.isn.is_some_and(|isn| w.acks(isn + 1));
        // The SYN part.
        if f.syn() && processed {
            match (self.state, f.ack()) {
                (TcpState::SynSent, false) => self.enter(TcpState::SynReceived, frame, cause, control_evidence, by),
                (TcpState::SynSent, true) if self.own_syn.is_some_and(|syn| w.acks_syn_of(&syn)) => {
                    self.enter(TcpState::Established, frame, cause, control_evidence, by)
                }
                // Its SYN was sent before the capture began: it was in SYN-SENT.
                (TcpState::Unknown, true) if self.own_syn.is_none() => {
                    self.enter(TcpState::Established, frame, cause, control_evidence, by)
                }
                _ => {}
            }
        }
        // The ACK part, before the FIN (RFC 9293 §3.10.7.4).
        if f.ack() && acks_syn && self.state == TcpState::SynReceived && !(f.syn() && !processed && !self.duplicate(r.index)) {
            self.enter(TcpState::Established, frame, cause, Evidence::Arrival, None);
        }
        let acks_fin = self.fin_end.is_some_and(|end| w.acks(end)) && own_fin_end.is_some();
        if acks_fin && !(f.fin() && processed) {
            match self.state {
                TcpState::FinWait1 => self.enter(TcpState::FinWait2, frame, cause, Evidence::Arrival, None),
                TcpState::Closing => self.enter(TcpState::TimeWait, frame, cause, Evidence::Arrival, None),
                TcpState::LastAck => self.enter(TcpState::Closed, frame, cause, Evidence::Arrival, None),
                _ => {}
            }
        }
        // The FIN part.
        if f.fin() && processed {
            self.peer_fin_done = true;
            match self.state {
                TcpState::Established | TcpState::SynReceived | TcpState::Unknown => self.enter(TcpState::CloseWait, frame, cause, control_evidence, by),
                TcpState::FinWait1 if acks_fin => self.enter(TcpState::TimeWait, frame, cause, control_evidence, by),
                TcpState::FinWait1 => self.enter(TcpState::Closing, frame, cause, control_evidence, by),
                TcpState::FinWait2 => self.enter(TcpState::TimeWait, frame, cause, control_evidence, by),
                _ => {}
            }
        }
    }
}

/// An edge of RFC 9293's state diagram (figure 5), with the two it leaves implicit: an
/// abort (RST sent or received) from any state to CLOSED, and a connection first seen in any
/// state (from "unknown").
pub fn valid_transition(from: TcpState, to: TcpState) -> bool {
    use TcpState::*;
    if from == Unknown || to == Closed {
        return true;
    }
    matches!(
        (from, to),
        (Closed, Listen | SynSent)
            | (Listen, SynReceived | SynSent)
            | (SynSent, SynReceived | Established)
            | (SynReceived, Established | FinWait1 | Listen)
            | (Established, FinWait1 | CloseWait)
            | (FinWait1, FinWait2 | Closing | TimeWait)
            | (FinWait2 | Closing, TimeWait)
            | (CloseWait, LastAck)
    )
}

/// The whole path of one endpoint is a path of the diagram.
pub fn valid_path(changes: &[StateChange]) -> bool {
    changes.windows(2).all(|w| valid_transition(w[0].state, w[1].state))
        && changes.first().is_none_or(|c| c.state != TcpState::Unknown)
}
