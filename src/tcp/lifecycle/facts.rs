//! Per-connection facts gathered segment by segment, in file order: what the shapes of the open
//! and the close and Zeek's summary are read from.

use std::num::NonZeroU32;

use crate::tcp::seq::SeqNumber;
use crate::tcp::TcpPacket;

/// A frame number as the facts keep it, in 4 bytes (`Option<Fr>` too): a record is kept for
/// each of a million connections, and frames of a file a browser can open stay below 2³².
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(super) struct Fr(NonZeroU32);

impl Fr {
    pub(super) fn of(frame: u64) -> Fr {
        Fr(NonZeroU32::new(u32::try_from(frame.saturating_add(1)).unwrap_or(u32::MAX)).unwrap_or(NonZeroU32::MAX))
    }

    pub(super) fn get(self) -> u64 {
        u64::from(self.0.get()) - 1
    }
}


/// A FIN one side sent: where, and what acknowledges it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Fin {
    pub frame: Fr,
    /// Raw sequence number just past the FIN: an ACK at or beyond it acknowledges the FIN.
    pub end: SeqNumber,
    /// First segment of the other side that acknowledged it.
    pub acked_by: Option<Fr>,
}

/// Everything the shapes and states are read from. Index 0 is the client, 1 the server.
#[derive(Debug, Clone, Default)]
pub struct Lifecycle {
    /// Frame of the first pure SYN each side sent, and of the first SYN-ACK.
    pub(super) syn: [Option<Fr>; 2],
    pub(super) syn_ack: [Option<Fr>; 2],
    /// Raw ISN of each side's first SYN (to tell retries from new attempts).
    pub(super) syn_seq: [Option<SeqNumber>; 2],
    /// Raw sequence number just past each side's first SYN (with any data it carried).
    pub(super) syn_end: [SeqNumber; 2],
    pub(super) syn_retries: u32,
    /// Frame of the client's last SYN (the last retry).
    pub(super) last_syn: Option<Fr>,
    /// Frame of the server's last SYN-ACK, and how many it sent.
    pub(super) last_syn_ack: Option<Fr>,
    pub(super) syn_acks: u32,
    /// The ACK that completed the handshake.
    pub(super) handshake_ack: Option<Fr>,
    pub(super) fin: [Option<Fin>; 2],
    /// First RST and its sender.
    pub(super) rst: Option<(Fr, u8)>,
    /// The server refused the client's SYN with this RST, and the client then sent the same SYN
    /// again (frame): a retry of the refused connect, not an end (R4 M10: ndpi_rtsp stream 4).
    pub(super) refused_then_retried: Option<(Fr, Fr)>,
    /// Data sent by a side after its peer's FIN was acknowledged (a half-close).
    pub(super) data_after_peer_fin: [bool; 2],
    pub(super) sent_any: [bool; 2],
    pub(super) sent_data: [bool; 2],
    /// How many zero bytes each side's FIN carried, when a few zeros were all it carried (up
    /// to 6, else 0): a peer that acknowledges the FIN one past its sequence number took the
    /// FIN and not those bytes (R13b-5; `tcp/bytes_not_taken.rs`). In the record's padding.
    pub(super) fin_zeros: [u8; 2],
    /// Zeek history letters, in order of first appearance.
    pub(super) history: String,
}

impl Lifecycle {
    /// The client was inferred from a SYN-ACK (Zeek's `^`).
    pub(crate) fn mark_flipped(&mut self) {
        self.history.push('^');
    }

    /// Zeek's `history` string.
    pub fn history(&self) -> &str {
        &self.history
    }

    /// Takes one segment of this connection, in file order. Only facts are kept here (first
    /// SYNs, FINs and what acknowledged them, the RST that ended it); each endpoint's states
    /// need the whole connection and are replayed by [`super::endpoint_states`].
    pub fn observe(&mut self, p: &TcpPacket) {
        let me = usize::from(!p.from_client);
        let peer = 1 - me;
        let seg = &p.segment;
        let f = seg.flags;
        let frame = Fr::of(p.frame);
        self.record_history(p, me);
        self.sent_any[me] = true;
        if seg.payload_len > 0 {
            self.sent_data[me] = true;
            if self.fin[peer].is_some_and(|fin| fin.acked_by.is_some()) {
                self.data_after_peer_fin[me] = true;
            }
        }

        if f.rst() {
            // An RST to a side still in SYN-SENT counts only if it acknowledges that SYN
            // (RFC 9293 §3.10.7.3); otherwise the SYN-SENT side drops it and goes on.
            let peer_in_syn_sent = self.syn[peer].is_some() && self.syn_ack[me].is_none() && self.syn_ack[peer].is_none();
            let acceptable = !peer_in_syn_sent || (f.ack() && self.syn_seq[peer].is_some_and(|isn| SeqNumber(seg.ack).at_or_after(isn + 1) && self.syn_end[peer].at_or_after(SeqNumber(seg.ack))));
            if self.rst.is_none() && acceptable {
                self.rst = Some((frame, me as u8));
            }
            return;
        }

        if f.syn() && !f.ack() {
            self.on_syn(me, SeqNumber(seg.seq), seg.payload_len, frame);
        } else if f.syn() && f.ack() {
            if me == 1 {
                self.last_syn_ack = Some(frame);
                self.syn_acks += 1;
            }
            if self.syn_ack[me].is_none() {
                self.syn_ack[me] = Some(frame);
                self.syn_seq[me].get_or_insert(SeqNumber(seg.seq));
            }
        }

        // The handshake's third segment: the first non-SYN ACK of the other side's SYN-ACK.
        let acks_peer_syn = self.syn_seq[peer].is_some_and(|isn| SeqNumber(seg.ack).at_or_after(isn + 1));
        // (Not a segment at its sender's own ISN: below the peer's window, not acceptable; R4 M1.)
        let at_own_isn = crate::tcp::seq::below_window_at_own_isn(f.syn(), f.rst(), SeqNumber(seg.seq), self.syn_seq[me]);
        if f.ack() && !f.syn() && self.handshake_ack.is_none() && self.syn_ack[peer].is_some() && acks_peer_syn && !at_own_isn {
            self.handshake_ack = Some(frame);
        }
        if f.ack() {
            if let Some(fin) = self.fin[peer].as_mut() {
                let zeros = u32::from(self.fin_zeros[peer]);
                let took_fin_alone = zeros > 0 && SeqNumber(seg.ack) == fin.end - zeros;
                if fin.acked_by.is_none() && (SeqNumber(seg.ack).at_or_after(fin.end) || took_fin_alone) {
                    fin.acked_by = Some(frame);
                }
            }
        }
        // A FIN counts once its sender could be synchronized (a FIN in SYN-SENT is not one).
        let synchronized = self.syn[me].is_none() || self.syn_ack[0].is_some() || self.syn_ack[1].is_some();
        // Without ACK it is no FIN of a synchronized connection (RFC 9293 §3.10.7.4: a scan probe).
        if f.fin() && f.ack() && self.fin[me].is_none() && synchronized {
            let end = SeqNumber(seg.seq) + seg.payload_len + 1;
            self.fin[me] = Some(Fin { frame, end, acked_by: None });
            if seg.payload_len <= 6 && u32::from(seg.leading_zeros) >= seg.payload_len {
                self.fin_zeros[me] = seg.payload_len as u8;
            }
        }
    }

    fn on_syn(&mut self, me: usize, seq: SeqNumber, len: u32, frame: Fr) {
        if me == 0 {
            self.last_syn = Some(frame);
        }
        match self.syn_seq[me] {
            Some(isn) if isn == seq => {
                if me == 0 && self.syn[me].is_some() {
                    self.syn_retries += 1;
                    // Sent again after the server's RST refused it (before any SYN-ACK): the
                    // RST ended that attempt, not the connection this SYN goes on to open.
                    if let Some((rst, 1)) = self.rst.filter(|_| self.syn_ack == [None, None] && self.refused_then_retried.is_none()) {
                        self.refused_then_retried = Some((rst, frame));
                        self.rst = None;
                    }
                }
                return;
            }
            Some(_) if self.syn[me].is_some() => return,
            _ => {}
        }
        self.syn_seq[me] = Some(seq);
        self.syn[me] = Some(frame);
        self.syn_end[me] = seq + len + 1;
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
