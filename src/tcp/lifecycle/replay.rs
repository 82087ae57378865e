//! The replay itself: each endpoint on its own, its sends where the file has them, its peer's
//! segments received no earlier than the file has them and after every segment of its own that
//! shows they had not yet arrived (see `evidence.rs` for the rule and the types it fills).

use crate::tcp::seq::SeqNumber;

use super::evidence::{EndpointStates, Evidence, Ignored, IgnoredReason, StateChange, Wire};
use super::state::TcpState;

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
            let later = (frame != cause).then(|| super::crossing::why_later(self.segs, self.client, frame, cause));
            self.changes.push(StateChange { state, frame, cause, evidence, by, later });
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
                // A FIN without ACK is no FIN of a synchronized connection (RFC 9293 §3.10.7.4).
                if w.flags.fin() && w.flags.ack() && !w.flags.rst() && (!own_pure_syn || syn_ack_seen) {
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
        let peer_isn = segs.iter().find(|w| !self.mine(w) && w.flags.syn()).map(|w| w.seq);
        self.own_syn = own_syn.copied();
        let own_fin = self.own_fin();
        let own_fin_end = own_fin.map(|i| segs[i].end());
        // Keyed events: (frame, 0 for own sends / 1 for receipts, order).
        let mut events: Vec<((u64, u8, u64), Event)> = Vec::new();
        // Listening: the first SYN-bearing segment it sent is a SYN-ACK answering a peer SYN.
        let first_own_syn = segs.iter().find(|w| self.mine(w) && w.flags.syn());
        if let Some(syn_ack) = first_own_syn.filter(|w| w.flags.ack()) {
            // After its own RST refused an earlier SYN, the SYN it answered is the one after that
            // RST (R4 M10: ndpi_rtsp stream 4 refused frame 289 and accepted its retry, 297).
            let refused_before = segs.iter().filter(|w| self.mine(w) && w.flags.rst() && w.frame < syn_ack.frame).map(|w| w.frame).max().unwrap_or(0);
            // (With no SYN after that RST, the first: zeek's rst-inject, an RST injected by a third party.)
            let answered = |after: u64| segs.iter().find(|w| !self.mine(w) && w.pure_syn() && w.frame < syn_ack.frame && w.frame > after);
            if let Some(peer_syn) = answered(refused_before).or_else(|| answered(0)) {
                events.push(((peer_syn.frame, 0, 0), Event::Listen(peer_syn.frame)));
            }
        }
        let mut first_ack_of_syn = None;
        let mut first_ack_of_fin = None;
        let quickest = super::crossing::quickest_answer(segs, self.client);
        for (i, w) in segs.iter().enumerate() {
            if self.mine(w) {
                if w.flags.syn() || w.flags.fin() || w.flags.rst() {
                    events.push(((w.frame, 0, w.frame), Event::Send(i)));
                }
                continue;
            }
            // R4 M1: zeek_tcp_fin_retransmission frame 4, a FIN,ACK at the client's ISN.
            if crate::tcp::seq::below_window_at_own_isn(w.flags.syn(), w.flags.rst(), w.seq, peer_isn) {
                out.ignored.push(Ignored { frame: w.frame, client: self.client, reason: IgnoredReason::BelowWindow });
                continue;
            }
            if super::crossing::superseded(segs, i, quickest, |o| self.mine(o) && self.confirms(i, o)) {
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
                // Without ACK it belongs to no synchronized connection (RFC 9293 §3.10.7.4: a
                // scan probe such as an "Xmas" FIN+PSH+URG; R1 F21).
                if !first.flags.syn() && !first.flags.rst() && first.flags.ack() {
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
        // Last own segment that shows the SYN/FIN had not been processed yet, and the one
        // whose ACK field shows it had.
        let (mut control_after, mut confirmed_by, mut later_acks, mut answered_with_rst) = (w.frame, None, false, None);
        // Last own segment that shows the ACK or RST in it had not arrived yet.
        let mut other_after = w.frame;
        let mut first_reply = true;
        for own in segs[i + 1..].iter().filter(|o| self.mine(o)) {
            if control && confirmed_by.is_none() {
                if self.confirms(i, own) {
                    confirmed_by = Some(own.frame);
                } else if first_reply && own.flags.rst() {
                    // An RST in answer: the receiver had no connection for it — unless a later
                    // segment of the same side acknowledges it after all (an RST injected by a
                    // third party, zeek's rst-inject: the SYN-ACK follows).
                    answered_with_rst = Some((own.frame, own.flags.ack()));
                } else if answered_with_rst.is_some() {
                    // Only a later ACK of it overrules the RST.
                } else if !own.flags.rst() {
                    later_acks |= own.flags.ack();
                    control_after = own.frame;
                }
            }
            first_reply = false;
            // Still sending its SYN: it had not seen the ACK of it. Sending its FIN again: it
            // had not seen the ACK of that. Anything sent after an RST arrived would not have been.
            // Its SYN sent again after an RST that refused the first: a new attempt once that RST
            // had arrived (a connect retry, R4 M10), so nothing after it says otherwise.
            if w.flags.rst() && own.pure_syn() && w.flags.ack() && segs[..i].iter().any(|o| self.mine(o) && o.pure_syn() && w.acks_syn_of(o)) {
                break;
            }
            if (acks_syn && own.flags.syn()) || (acks_fin && own.flags.fin()) || (w.flags.rst() && !own.flags.rst()) {
                other_after = own.frame;
            }
            let searching_control = control && confirmed_by.is_none();
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
        } else if let Some(rst) = answered_with_rst {
            out.ignored.push(Ignored { frame: w.frame, client: self.client, reason: IgnoredReason::AnsweredWithRst(rst.0, rst.1) });
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
    /// The peer sent this SYN-ACK more than once and this endpoint sent nothing after it: an
    /// endpoint in SYN-SENT answers a SYN-ACK with an ACK at once (RFC 9293 §3.10.7.3), so it
    /// never processed it (a SYN scanner's raw SYN has no connection behind it; R1 F14).
    fn syn_ack_never_answered(&self, i: usize) -> bool {
        let w = &self.segs[i];
        let later = &self.segs[i + 1..];
        let copies = self.segs.iter().filter(|o| !self.mine(o) && o.flags.syn() && o.flags.ack() && o.seq == w.seq).count();
        copies > 1 && !later.iter().any(|o| self.mine(o))
    }

    fn duplicate(&self, i: usize) -> bool {
        let end = self.segs[i].end();
        self.segs[..i].iter().any(|o| self.mine(o) && o.acks(end) && !o.flags.rst())
    }

    /// Why the ACK part of the peer's segment `index` is taken to have arrived (asked only where
    /// a state changes): this endpoint's first later segment acknowledges it — when it occupies
    /// sequence space (a pure ACK or an RST is never acknowledged) and repeats none the peer had
    /// sent before ([`super::shapes::repeats_earlier`]) — or its arrival is assumed.
    fn ack_part_evidence(&self, index: usize) -> (Evidence, Option<u64>) {
        let w = self.segs[index];
        if w.len == 0 && !w.flags.syn() && !w.flags.fin() || w.flags.rst() {
            return (Evidence::Arrival, None);
        } else if super::shapes::repeats_earlier(self.segs, index) {
            return (Evidence::AckOnRepeat, None);
        }
        let by = self.segs[index + 1..].iter().find(|own| self.mine(own) && self.confirms(index, own)).map(|own| own.frame);
        (if by.is_some() { Evidence::Acknowledged } else { Evidence::Arrival }, by)
    }

    /// This endpoint's segment `own` shows peer segment `i` received: its ACK field covers it —
    /// unless `i` is a SYN-ACK repeating the peer's earlier SYN (a simultaneous open, RFC 9293
    /// Figure 7) and `own` carries a SYN: that SYN-ACK answers the earlier SYN, so its ACK field
    /// says nothing of this one (R17a-4: simultaneous_open frame 4 crossed frame 3; frame 5,
    /// with its D-SACK of frame 3's SYN, is the first sent after it).
    fn confirms(&self, i: usize, own: &Wire) -> bool {
        let w = &self.segs[i];
        let repeats_peer_syn = || w.flags.syn() && w.flags.ack() && self.segs[..i].iter().any(|o| !self.mine(o) && o.pure_syn() && o.seq == w.seq);
        own.acks(w.end()) && !(own.flags.syn() && repeats_peer_syn())
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
            // The same ISN again from CLOSED: the connect retried after an RST refused it.
            if (self.isn.is_none_or(|isn| isn != w.seq) || self.state == TcpState::Closed) && matches!(self.state, TcpState::Unknown | TcpState::Closed | TcpState::Listen) {
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
                    // RFC 9293 §3.10.7.3: acceptable only if it acknowledges the SYN (and the SYN not sent again after it).
                    let retried = self.own_syn.and_then(|syn| super::shapes::retried_syn(self.segs, r.index, &syn).filter(|_| w.acks_syn_of(&syn)));
                    if let Some(retry) = retried { out.ignored.push(Ignored { frame: w.frame, client: self.client, reason: IgnoredReason::RetriedSyn(retry) }) } else if self.own_syn.is_some_and(|syn| w.acks_syn_of(&syn)) {
                        self.enter(TcpState::Closed, frame, cause, Evidence::Arrival, None);
                    } else { out.ignored.push(Ignored { frame: w.frame, client: self.client, reason: IgnoredReason::RstBadAck }) }
                }
                TcpState::Listen | TcpState::Closed => {}
                TcpState::SynReceived if self.passive => self.enter(TcpState::Listen, frame, cause, Evidence::Arrival, None),
                _ => self.enter(TcpState::Closed, frame, cause, Evidence::Arrival, None),
            }
            return;
        }
        if out.ignored.iter().any(|g| g.frame == w.frame && matches!(g.reason, IgnoredReason::AnsweredWithRst(..))) { return; } // (reset before it was taken, ACK part too: R23D-16)
        let (control_evidence, by) = match r.control {
            // (R41B-1: heuristic stream 2's FIN sent again, frame 159: the client's ACK covers
            // frame 157's first copy too.)
            Some(Some(_)) if super::shapes::repeats_earlier(self.segs, r.index) => (Evidence::ArrivalOfRepeat, None),
            Some(Some(by)) => (Evidence::Acknowledged, Some(by)),
            _ => (Evidence::Unconfirmed, None),
        };
        let processed = r.control.is_some() && !(f.fin() && self.peer_fin_done);
        let acks_syn = self.isn.is_some_and(|isn| w.acks(isn + 1));
        // The SYN part.
        if f.syn() && processed {
            match (self.state, f.ack()) {
                (TcpState::SynSent, false) => self.enter(TcpState::SynReceived, frame, cause, control_evidence, by),
                (TcpState::SynSent, true) if self.own_syn.is_some_and(|syn| w.acks_syn_of(&syn)) && !(by.is_none() && self.syn_ack_never_answered(r.index)) => {
                    self.enter(TcpState::Established, frame, cause, control_evidence, by)
                }
                // Its SYN was sent before the capture began: it was in SYN-SENT.
                (TcpState::Unknown, true) if self.own_syn.is_none() => {
                    self.enter(TcpState::Established, frame, cause, control_evidence, by)
                }
                _ => {}
            }
        }
        // The ACK part, before the FIN (RFC 9293 §3.10.7.4). A segment that also carried data,
        // a SYN or a FIN is proved to have arrived by the endpoint's own later ACK of it.
        if f.ack() && acks_syn && self.state == TcpState::SynReceived && !(f.syn() && !processed && !self.duplicate(r.index)) {
            let (ack_evidence, ack_by) = self.ack_part_evidence(r.index);
            self.enter(TcpState::Established, frame, cause, ack_evidence, ack_by);
        }
        let acks_fin = self.fin_end.is_some_and(|end| w.acks(end)) && own_fin_end.is_some();
        let next = match self.state { TcpState::FinWait1 => Some(TcpState::FinWait2), TcpState::Closing => Some(TcpState::TimeWait), TcpState::LastAck => Some(TcpState::Closed), _ => None };
        if let Some(next) = next.filter(|_| acks_fin && !(f.fin() && processed)) {
            let (ack_evidence, ack_by) = self.ack_part_evidence(r.index);
            self.enter(next, frame, cause, ack_evidence, ack_by);
        }
        // The FIN part.
        // A synchronized receiver drops a segment without ACK (RFC 9293 §3.10.7.4).
        if f.fin() && f.ack() && processed {
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
