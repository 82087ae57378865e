//! Per-connection facts gathered segment by segment, and the state machine that turns them into
//! each endpoint's states (RFC 9293 §3.10.7, seen from the wire: a state changes at the frame
//! that carries the cause, whether the endpoint sent or received it).

use crate::tcp::seq::ge;
use crate::tcp::TcpPacket;

use super::state::{StateChange, TcpState};

/// A FIN one side sent: where, and what acknowledges it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Fin {
    pub frame: u64,
    /// Raw sequence number just past the FIN: an ACK at or beyond it acknowledges the FIN.
    pub end: u32,
    /// First segment of the other side that acknowledged it.
    pub acked_by: Option<u64>,
}

/// Everything the shapes and states are read from. Index 0 is the client, 1 the server.
#[derive(Debug, Clone, Default)]
pub struct Lifecycle {
    pub(super) states: [Vec<StateChange>; 2],
    pub(super) current: [Option<TcpState>; 2],
    /// Frame of the first pure SYN each side sent, and of the first SYN-ACK.
    pub(super) syn: [Option<u64>; 2],
    pub(super) syn_ack: [Option<u64>; 2],
    /// Raw ISN of each side's first SYN (to tell retries from new attempts).
    pub(super) syn_seq: [Option<u32>; 2],
    pub(super) syn_retries: u32,
    /// Frame of the client's last SYN (the last retry).
    pub(super) last_syn: Option<u64>,
    /// The ACK that completed the handshake.
    pub(super) handshake_ack: Option<u64>,
    pub(super) fin: [Option<Fin>; 2],
    /// First RST and its sender.
    pub(super) rst: Option<(u64, usize)>,
    /// Data sent by a side after its peer's FIN was acknowledged (a half-close).
    pub(super) data_after_peer_fin: [bool; 2],
    pub(super) sent_any: [bool; 2],
    pub(super) sent_data: [bool; 2],
    /// Zeek history letters, in order of first appearance.
    pub(super) history: String,
}

impl Lifecycle {
    fn state(&self, side: usize) -> TcpState {
        self.current[side].unwrap_or(TcpState::Unknown)
    }

    fn enter(&mut self, side: usize, state: TcpState, frame: u64) {
        if self.current[side] != Some(state) {
            self.current[side] = Some(state);
            self.states[side].push(StateChange { state, frame });
        }
    }

    /// The states each endpoint went through (client, server).
    pub fn states(&self, client: bool) -> &[StateChange] {
        &self.states[usize::from(!client)]
    }

    /// The client was inferred from a SYN-ACK (Zeek's `^`).
    pub(crate) fn mark_flipped(&mut self) {
        self.history.push('^');
    }

    /// Zeek's `history` string.
    pub fn history(&self) -> &str {
        &self.history
    }

    /// Takes one segment of this connection, in file order.
    pub fn observe(&mut self, p: &TcpPacket) {
        let me = usize::from(!p.from_client);
        let peer = 1 - me;
        let seg = &p.segment;
        let f = seg.flags;
        let frame = p.frame;
        self.record_history(p, me);
        self.sent_any[me] = true;
        if seg.payload_len > 0 {
            self.sent_data[me] = true;
            if self.fin[peer].is_some_and(|fin| fin.acked_by.is_some()) {
                self.data_after_peer_fin[me] = true;
            }
        }

        if f.rst() {
            if self.rst.is_none() {
                self.rst = Some((frame, me));
            }
            self.enter(me, TcpState::Closed, frame);
            self.enter(peer, TcpState::Closed, frame);
            return;
        }

        if f.syn() && !f.ack() {
            self.on_syn(me, peer, seg.seq, frame);
        } else if f.syn() && f.ack() {
            self.on_syn_ack(me, peer, frame);
        }

        // The ACK part of the segment is processed before its FIN (RFC 9293 §3.10.7.4).
        let acks_peer_fin = f.ack() && self.fin[peer].is_some_and(|fin| ge(seg.ack, fin.end));
        if f.ack() && !f.syn() {
            if self.state(peer) == TcpState::SynReceived && self.state(me) != TcpState::SynReceived {
                self.enter(peer, TcpState::Established, frame);
                self.handshake_ack.get_or_insert(frame);
            } else if self.state(peer) == TcpState::SynReceived && self.syn[me].is_some() && self.syn[peer].is_some() {
                // Simultaneous open: each side's SYN-ACK is acknowledged in turn.
                self.enter(peer, TcpState::Established, frame);
            }
        }
        if acks_peer_fin {
            if let Some(fin) = self.fin[peer].as_mut() {
                if fin.acked_by.is_none() {
                    fin.acked_by = Some(frame);
                    let next = match self.state(peer) {
                        TcpState::FinWait1 if f.fin() => None, // handled with the FIN below
                        TcpState::FinWait1 => Some(TcpState::FinWait2),
                        TcpState::Closing => Some(TcpState::TimeWait),
                        TcpState::LastAck => Some(TcpState::Closed),
                        _ => None,
                    };
                    if let Some(state) = next {
                        self.enter(peer, state, frame);
                    }
                }
            }
        }
        if f.fin() && self.fin[me].is_none() {
            let end = seg.seq.wrapping_add(seg.payload_len).wrapping_add(1);
            self.fin[me] = Some(Fin { frame, end, acked_by: None });
            self.on_fin(me, peer, acks_peer_fin, frame);
        }
    }

    fn on_syn(&mut self, me: usize, peer: usize, seq: u32, frame: u64) {
        if me == 0 {
            self.last_syn = Some(frame);
        }
        match self.syn_seq[me] {
            Some(isn) if isn == seq => {
                if me == 0 {
                    self.syn_retries += 1;
                }
                return;
            }
            Some(_) => return,
            None => {}
        }
        self.syn_seq[me] = Some(seq);
        self.syn[me] = Some(frame);
        self.enter(me, TcpState::SynSent, frame);
        // A SYN while the other side waits in SYN-SENT: the SYNs crossed (simultaneous open,
        // RFC 9293 figure 8). Each side receives the other's SYN: both are SYN-RECEIVED.
        if self.state(peer) == TcpState::SynSent {
            self.enter(me, TcpState::SynReceived, frame);
            self.enter(peer, TcpState::SynReceived, frame);
        }
    }

    fn on_syn_ack(&mut self, me: usize, peer: usize, frame: u64) {
        if self.syn_ack[me].is_some() {
            return;
        }
        self.syn_ack[me] = Some(frame);
        if self.syn[me].is_none() {
            // A server answering a SYN was listening before it.
            if let Some(syn_frame) = self.syn[peer] {
                self.enter(me, TcpState::Listen, syn_frame);
            }
            self.enter(me, TcpState::SynReceived, frame);
        }
        // The SYN-ACK acknowledges the peer's SYN: the peer is synchronized.
        match self.state(peer) {
            TcpState::SynSent | TcpState::SynReceived | TcpState::Unknown => self.enter(peer, TcpState::Established, frame),
            _ => {}
        }
    }

    fn on_fin(&mut self, me: usize, peer: usize, acks_peer_fin: bool, frame: u64) {
        if self.fin[peer].is_some() {
            // The peer closed first: this FIN answers it.
            match self.state(me) {
                TcpState::CloseWait | TcpState::Unknown | TcpState::Established => self.enter(me, TcpState::LastAck, frame),
                _ => {}
            }
            match self.state(peer) {
                TcpState::FinWait1 if acks_peer_fin => self.enter(peer, TcpState::TimeWait, frame),
                TcpState::FinWait1 => self.enter(peer, TcpState::Closing, frame),
                TcpState::FinWait2 => self.enter(peer, TcpState::TimeWait, frame),
                _ => {}
            }
        } else {
            self.enter(me, TcpState::FinWait1, frame);
            if self.state(peer).is_open() || self.state(peer) == TcpState::Unknown {
                self.enter(peer, TcpState::CloseWait, frame);
            }
        }
    }

    /// Zeek's history letters: upper case for the originator (the client), each once.
    fn record_history(&mut self, p: &TcpPacket, me: usize) {
        use crate::tcp::analysis::AnalysisFlags as A;
        let f = p.segment.flags;
        let a = p.analysis.flags;
        let mut letters: [Option<char>; 6] = [None; 6];
        letters[0] = match (f.syn(), f.ack()) {
            (true, _) if f.fin() || f.rst() => Some('q'),
            (true, false) => Some('s'),
            (true, true) => Some('h'),
            _ => None,
        };
        if !f.syn() && !f.fin() && !f.rst() && f.ack() && p.segment.payload_len == 0 {
            letters[1] = Some('a');
        }
        if p.segment.payload_len > 0 {
            letters[1] = Some('d');
        }
        letters[2] = f.fin().then_some('f');
        letters[3] = f.rst().then_some('r');
        letters[4] = (p.segment.payload_len > 0 && a.has(A::ANY_RETRANSMISSION))
            .then_some('t');
        letters[5] = if a.has(A::ZERO_WINDOW) {
            Some('w')
        } else {
            a.has(A::LOST_SEGMENT).then_some('g')
        };
        for letter in letters.into_iter().flatten() {
            let letter = if me == 0 { letter.to_ascii_uppercase() } else { letter };
            if !self.history.contains(letter) {
                self.history.push(letter);
            }
        }
    }
}
