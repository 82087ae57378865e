//! What an RST cut off (issue #23): "data in flight is discarded" is true only when bytes were
//! in flight. At the RST, the bytes its sender had sent that the peer had not acknowledged, and
//! the bytes the peer had sent that the RST's sender had not acknowledged before it. An RST
//! whose ACK field covers peer data its sender never acknowledged otherwise is what a socket
//! closed with unread data sends (RFC 9293 §3.6.1, RFC 1122 4.2.2.13): said as likely, since
//! an application that aborts (SO_LINGER 0) or a crash looks the same on the wire.

use crate::tcp::lifecycle::Wire;
use crate::tcp::seq::SeqNumber;

/// What was outstanding when an RST was sent (byte counts from the captured segments).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RstFacts {
    /// Data bytes the RST's sender had sent that the peer had not acknowledged.
    pub own_unacked: u32,
    /// Data bytes the peer had sent that the RST's sender had not acknowledged before the RST.
    pub peer_unacked: u32,
    /// The RST's ACK field covers those peer bytes: its sender had received them.
    pub acks_peer_data: bool,
    /// The RST's sender had sent its FIN before (it had closed).
    pub after_own_fin: bool,
    /// The RST's ACK field covers the peer's FIN: its sender had received the FIN.
    pub acks_peer_fin: bool,
    /// Some side's data was never acknowledged in the capture at all (no ACK of the other side
    /// seen): what was outstanding is not known.
    pub unknown: bool,
    /// An RST without ACK whose sequence number is the ACK of a peer segment before it (that
    /// segment's frame, and whether it carried FIN): the reply of a host with no connection for
    /// it (RFC 9293 §3.10.7.1), not an abort of a connection it still had (R8b-08). The segment
    /// is the first peer data or FIN since the RST's sender last sent anything but an RST that
    /// no earlier RST answered, else the peer's latest segment with ACK (R43-2: ndpi_anydesk
    /// stream 3, the client's RSTs 96 and 97, alike, after the server's data 94 and 95: each
    /// segment that finds the connection gone draws one, so 96 answers 94).
    pub answers: Option<(u64, bool)>,
    /// The frame the same side's previous RST answered, if any: an RST alike to an earlier one
    /// that answers another segment is no copy captured twice.
    pub previous_answer: Option<u64>,
}

/// At most this many peer segments waiting for an RST's answer are kept (a flood into a
/// closed port needs no more to be told).
const UNANSWERED_KEPT: usize = 16;

impl RstFacts {
    /// It answers another segment than its side's previous RST did (R43-2): alike to that RST
    /// in every field, it is still a reply of its own.
    pub fn answers_another(&self) -> bool {
        matches!((self.answers, self.previous_answer), (Some((a, _)), Some(b)) if a != b)
    }
}

/// Each side's data and the ACKs of it, segment by segment.
#[derive(Debug, Clone, Default)]
pub struct RstWalk {
    /// Each side (client 0, server 1): the end of its highest data byte sent.
    data_end: [Option<SeqNumber>; 2],
    /// Each side: the highest ACK it sent (of the other side's bytes), RSTs apart.
    acked: [Option<SeqNumber>; 2],
    fin: [bool; 2],
    /// Each side: the sequence number just past its FIN, once sent.
    fin_end: [Option<SeqNumber>; 2],
    /// Each side's latest segment with ACK: its frame, its ACK, whether it carried FIN (the
    /// first frame of a run of segments alike in sequence number, ACK, length and flags: one
    /// segment captured twice draws one answer).
    last_acking: [Option<(u64, SeqNumber, bool)>; 2],
    /// Each side's latest segment with ACK, as (sequence number, length, flags bits).
    last_acking_shape: [Option<(SeqNumber, u32, u16)>; 2],
    /// Each side's segments with data or FIN (and ACK) sent since the other side last sent
    /// anything but an RST, not yet answered by an RST of it: frame, ACK, FIN.
    unanswered: [Vec<(u64, SeqNumber, bool)>; 2],
    /// Each side's latest RST's answered segment.
    last_answer: [Option<u64>; 2],
}

fn side(from_client: bool) -> usize {
    usize::from(!from_client)
}

/// Bytes from `acked` to `end` (0 if `end` is not beyond it, or either is unknown).
fn beyond(end: Option<SeqNumber>, acked: Option<SeqNumber>) -> u32 {
    match (end, acked) {
        (Some(end), Some(acked)) if end.after(acked) => end - acked,
        _ => 0,
    }
}

impl RstWalk {
    /// What the RST `w` (from the segments seen before it) cut off.
    pub fn facts(&self, w: &Wire) -> RstFacts {
        let (me, peer) = (side(w.from_client), 1 - side(w.from_client));
        let peer_unacked = beyond(self.data_end[peer], self.acked[me]);
        RstFacts {
            own_unacked: beyond(self.data_end[me], self.acked[peer]),
            peer_unacked,
            acks_peer_data: peer_unacked > 0 && w.flags.ack() && self.data_end[peer].is_some_and(|end| w.ack.at_or_after(end)),
            after_own_fin: self.fin[me],
            acks_peer_fin: w.flags.ack() && self.fin_end[peer].is_some_and(|end| w.ack.at_or_after(end)),
            unknown: (0..2).any(|s| self.data_end[s].is_some() && self.acked[1 - s].is_none()),
            answers: self.answered(w),
            previous_answer: self.last_answer[me],
        }
    }

    /// The peer segment the RST `w` answers (`RstFacts::answers`).
    fn answered(&self, w: &Wire) -> Option<(u64, bool)> {
        if w.flags.ack() {
            return None;
        }
        let peer = 1 - side(w.from_client);
        let waiting = self.unanswered[peer].iter().find(|&&(_, ack, _)| ack == w.seq).copied();
        waiting.or(self.last_acking[peer].filter(|&(_, ack, _)| ack == w.seq)).map(|(frame, _, fin)| (frame, fin))
    }

    /// Takes `w` into account for the segments after it.
    pub fn add(&mut self, w: &Wire) {
        let me = side(w.from_client);
        if w.flags.rst() {
            if let Some((frame, _)) = self.answered(w) {
                self.unanswered[1 - me].retain(|&(f, ..)| f != frame);
                self.last_answer[me] = Some(frame);
            }
        } else {
            self.unanswered[1 - me].clear();
            // (zeek_tcp_ctu-64702-888 holds every frame twice: its FIN 13 and 14 are one.)
            let again = self.last_acking_shape[me] == Some((w.seq, w.len, w.flags.0)) && self.last_acking[me].is_some_and(|(_, ack, _)| ack == w.ack);
            if w.flags.ack() && (w.len > 0 || w.flags.fin()) && !again && self.unanswered[me].len() < UNANSWERED_KEPT {
                self.unanswered[me].push((w.frame, w.ack, w.flags.fin()));
            }
            if w.flags.ack() && !again {
                self.last_acking[me] = Some((w.frame, w.ack, w.flags.fin()));
                self.last_acking_shape[me] = Some((w.seq, w.len, w.flags.0));
            }
        }
        if w.len > 0 {
            let end = w.seq + u32::from(w.flags.syn()) + w.len;
            self.data_end[me] = Some(self.data_end[me].map_or(end, |e| e.max(end)));
        }
        if w.flags.ack() && !w.flags.rst() {
            self.acked[me] = Some(self.acked[me].map_or(w.ack, |a| a.max(w.ack)));
        }
        self.fin[me] |= w.flags.fin();
        if w.flags.fin() && !w.flags.rst() {
            self.fin_end[me] = Some(w.seq + u32::from(w.flags.syn()) + w.len + 1);
        }
    }
}

/// The facts of the RST of frame `frame` among a connection's segments.
pub fn rst_facts(wires: &[Wire], frame: u64) -> Option<RstFacts> {
    let mut walk = RstWalk::default();
    for w in wires {
        if w.frame == frame {
            return w.flags.rst().then(|| walk.facts(w));
        }
        walk.add(w);
    }
    None
}

/// After the FIN of frame `fin_frame` (sent by the client if `from_client`), the first RST of
/// the same side, when it is a reply without ACK to the peer's data sent after that FIN: the
/// RST's frame and that data's first and last frames before it. A FIN closes only its sender's
/// sending side by TCP; that reply shows it received no more by then (R40C-2).
pub fn refused_after_fin(wires: &[Wire], fin_frame: u64, from_client: bool) -> Option<(u64, u64, u64)> {
    let mut walk = RstWalk::default();
    let (mut after_fin, mut peer_data) = (false, None);
    for w in wires {
        if after_fin && w.from_client != from_client && w.len > 0 && !w.flags.rst() {
            peer_data = Some(peer_data.map_or((w.frame, w.frame), |(first, _)| (first, w.frame)));
        }
        if after_fin && w.from_client == from_client && w.flags.rst() {
            return peer_data.filter(|_| walk.facts(w).answers.is_some()).map(|(first, last)| (w.frame, first, last));
        }
        after_fin |= w.frame == fin_frame;
        walk.add(w);
    }
    None
}

fn bytes(n: u32) -> String {
    if n == 1 {
        "1 byte".to_string()
    } else {
        format!("{n} bytes")
    }
}

/// What the RST of the `me` side cut off, in words (a clause after "…aborts with RST: ").
pub fn rst_cut_off(f: &RstFacts, me: &str, peer: &str) -> String {
    let mut parts = Vec::new();
    if f.own_unacked > 0 {
        // (Not "discarded in flight": they may have arrived — zeek_http_get-to-ssh-server's 21
        // bytes were acknowledged after the RST, R23C-3.)
        parts.push(format!("the {me} will not send again what the {peer} had not acknowledged yet: its last {} (lost if they had not arrived; a later ACK of them would show they had)", bytes(f.own_unacked)));
    }
    if f.peer_unacked > 0 && f.acks_peer_data {
        // (Read or unread does not show: R36D-5, ndpi_rtsp stream 2's server.)
        parts.push(format!(
            "its application closed the socket (or exited) with the {peer}'s last {} unread, or read them and aborted it: the RST's ACK field covers them but no ACK of them had gone out before; a socket closed with data still unread is reset instead of closed with FIN (RFC 9293 §3.6.1, RFC 1122 4.2.2.13){}, and so is one aborted with SO_LINGER at 0: the packets do not tell the two apart",
            bytes(f.peer_unacked),
            if f.after_own_fin { ", even after its own FIN" } else { "" }
        ));
    } else if f.peer_unacked > 0 {
        parts.push(format!("nothing had acknowledged the {peer}'s last {}: discarded", bytes(f.peer_unacked)));
    }
    if parts.is_empty() && f.unknown {
        "the capture holds no ACK of some data sent, so whether any was in flight is not known".to_string()
    } else if parts.is_empty() {
        "no data was in flight either way (every data byte captured had been acknowledged)".to_string()
    } else {
        parts.join("; ")
    }
}

/// An RST refusing a SYN whose sender then sent the same SYN again (frame `retry`): the attempt
/// went on (R27D-2: ndpi_rtsp stream 4's Windows client, 505 ms later).
pub fn refused_then_retried(me: &str, peer: &str, retry: u64) -> String {
    format!("The {me} refuses the connection with RST (it acknowledges the SYN: nothing was listening, or no room was left). The {peer} does not give up: frame {retry} is the same SYN again, with the same ISN — a retry of the refused connect (some stacks, Windows among them, retry after about half a second) — so it stayed in SYN-SENT, where RFC 9293 §3.10.7.3 would have it go to CLOSED.")
}
