//! The explanation of one segment in its connection: what the segments before it (and, for a
//! resend, after it) and the endpoints' states say about it (`SegmentContext`), then
//! `explain_segment`'s words. One walk over the connection gives every segment's context in
//! turn, so explaining them all costs one pass, not one pass per segment.

use crate::connection::Connection;
use crate::tcp::bytes_not_taken::not_taken_at;
use crate::tcp::lifecycle::{EndpointStates, TcpState, Wire};
use crate::tcp::recovery::Resend;
use crate::tcp::recovery_episodes::EpisodeWalk;
use crate::tcp::sender_clock::LateCopy;
use crate::tcp::seq::SeqNumber;
use crate::tcp::TcpPacket;

use super::ack_timing::AckWalk;
use super::rst_facts::RstWalk;
use super::capture_limits::{late_gaps, SeenBytes};
use super::explain::{explain_segment, SegmentContext};

/// What segment `index` of the connection does, in words (`None`: it has no such segment).
/// Computed on demand (for the selected arrow): one walk over the connection.
pub fn explain(conn: &Connection<'_>, index: usize) -> Option<String> {
    let packet = conn.packet(index)?;
    let mut walk = ContextWalk::new(conn.states());
    walk.acks.untimed = conn.untimed_frames();
    walk.acks.payload_only = conn.payload_only();
    let packets: Vec<TcpPacket> = conn.packets().collect();
    walk.unseen = crate::tcp::ip_id::unseen_datagrams(&packets);
    walk.drops = super::capture_limits::capture_drops(&packets);
    drop(packets);
    // The episode walk: a first resend's words say what its episode estimated (R7a-1).
    let mut episodes = EpisodeWalk::default();
    let (mut cx, mut resent, mut first_fin) = (None, false, false);
    for (i, p) in conn.packets().enumerate() {
        episodes.add(i, &p);
        if i == index {
            cx = Some(walk.context(&p));
            first_fin = walk.fin[ContextWalk::side(p.from_client)].is_none();
            let recovery = episodes.recovery();
            resent = recovery.resends().last().is_some_and(|r| r.index == index) || recovery.late_copies().last().is_some_and(|l| l.index == index);
        }
        if i >= index && !resent {
            break; // Only a resend's context looks past it (was it needed?).
        }
        walk.add(&p);
    }
    let mut cx = cx?;
    let recovery = episodes.finish().0;
    cx.reassembled = conn.reassembly(&packet).map(|r| super::ip_fragments::reassembled_sentence(&packet, r));
    cx.resend = recovery.resends.iter().find(|r| r.index == index).copied();
    cx.late_copy = late_copy_of(index, &recovery.resends, &recovery.late_copies);
    cx.original_later = recovery.late_copies.iter().find(|l| l.earlier_frame == packet.frame).map(|l| l.frame);
    cx.port_reuse = conn.port_reuse().filter(|r| r.syn_frame == packet.frame);
    cx.ack_timing = cx.ack_timing.filter(|t| timed_both(conn, packet.frame, t.frame()));
    if packet.analysis.flags.has(crate::tcp::analysis::AnalysisFlags::LOST_SEGMENT) {
        let packets: Vec<TcpPacket> = conn.packets().collect();
        cx.late_gap = late_gaps(&packets).into_iter().find(|(i, _)| *i == index).map(|(_, g)| g);
    }
    cx.not_taken = not_taken_at(conn.not_taken(), packet.frame).copied();
    cx.refused_after_fin = if first_fin { refused_after_fin(conn, &packet) } else { None };
    Some(explain_segment(&packet, &cx))
}

/// For a FIN (a few a connection), whether its sender later refused the peer's data with an RST.
fn refused_after_fin(conn: &Connection<'_>, p: &TcpPacket) -> Option<(u64, u64, u64)> {
    let f = p.segment.flags;
    (f.fin() && !f.rst()).then(|| super::rst_facts::refused_after_fin(conn.wires(), p.frame, p.from_client)).flatten()
}

/// Neither frame lacks a time (a pcapng simple packet block has none): only then is the time
/// between them told.
fn timed_both(conn: &Connection<'_>, a: u64, b: u64) -> bool {
    conn.untimed_frames().is_none_or(|(first, last)| !(first..=last).contains(&a) && !(first..=last).contains(&b))
}

/// Every segment of the connection with its explanation and, for bytes sent again, why (one
/// walk for the resends' verdicts, one for the words).
pub fn explain_all(conn: &Connection<'_>) -> Vec<(TcpPacket, String, Option<Resend>)> {
    let mut episodes = EpisodeWalk::default();
    for (i, p) in conn.packets().enumerate() {
        episodes.add(i, &p);
    }
    let found = episodes.finish().0;
    let resends = found.resends;
    let mut walk = ContextWalk::new(conn.states());
    walk.acks.untimed = conn.untimed_frames();
    walk.acks.payload_only = conn.payload_only();
    let mut next_resend = resends.iter().peekable();
    let packets: Vec<TcpPacket> = conn.packets().collect();
    let gaps = late_gaps(&packets);
    walk.unseen = crate::tcp::ip_id::unseen_datagrams(&packets);
    walk.drops = super::capture_limits::capture_drops(&packets);
    let reuse = conn.port_reuse();
    let mut next_gap = gaps.iter().peekable();
    packets
        .into_iter()
        .enumerate()
        .map(|(i, p)| {
            let mut cx = walk.context(&p);
            // (Its side's first FIN only: a look ahead each, never one per FIN of a flood.)
            let first_fin = walk.fin[ContextWalk::side(p.from_client)].is_none();
            walk.add(&p);
            cx.reassembled = conn.reassembly(&p).map(|r| super::ip_fragments::reassembled_sentence(&p, r));
            if next_resend.peek().is_some_and(|r| r.index == i) {
                cx.resend = next_resend.next().copied();
            }
            cx.late_copy = late_copy_of(i, &resends, &found.late_copies);
            cx.original_later = found.late_copies.iter().find(|l| l.earlier_frame == p.frame).map(|l| l.frame);
            cx.port_reuse = reuse.filter(|r| r.syn_frame == p.frame);
            cx.ack_timing = cx.ack_timing.filter(|t| timed_both(conn, p.frame, t.frame()));
            if next_gap.peek().is_some_and(|(g, _)| *g == i) {
                cx.late_gap = next_gap.next().map(|(_, g)| *g);
            }
            cx.not_taken = not_taken_at(conn.not_taken(), p.frame).copied();
            cx.refused_after_fin = if first_fin { refused_after_fin(conn, &p) } else { None };
            let text = explain_segment(&p, &cx);
            (p, text, cx.resend)
        })
        .collect()
}

/// Segment `index` as a late copy (sent before the resend captured earlier), with the D-SACK
/// frame that resend got.
fn late_copy_of(index: usize, resends: &[Resend], late: &[LateCopy]) -> Option<(LateCopy, Option<u64>)> {
    let l = *late.iter().find(|l| l.index == index)?;
    let dsack = resends.iter().find(|r| r.frame == l.earlier_frame).and_then(|r| match r.not_needed {
        Some(crate::tcp::recovery::NotNeeded::DSack(frame)) => Some(frame),
        _ => None,
    });
    Some((l, dsack))
}

/// What the segments seen so far say about the next one.
struct ContextWalk<'a> {
    states: &'a EndpointStates,
    /// Each side's first FIN (client, server): its frame and the sequence number just past it.
    fin: [Option<(u64, SeqNumber)>; 2],
    /// Each side has sent a segment acknowledging the other's FIN.
    acked_peer_fin: [bool; 2],
    /// Each side's first SYN without ACK: its payload and whether it asked for ECN.
    syn: [Option<(u32, bool)>; 2],
    /// Why each ACK came when it did.
    acks: AckWalk,
    /// What each side had outstanding, for an RST.
    rsts: RstWalk,
    /// Each side's latest RST's IPv4 identification.
    rst_ip_id: [Option<u16>; 2],
    /// The segments just before (a copy of one is the same segment captured twice).
    copies: crate::tcp::copies::CopyWalk,
    /// What the capture holds of each side's bytes so far.
    seen: SeenBytes,
    /// Each side's latest SYN ISN (raw) and the first frame that carried it.
    syn_isn: [Option<(u64, u32)>; 2],
    /// The connection's skips in its senders' IPv4 identifications (datagrams not seen here).
    unseen: Vec<crate::tcp::ip_id::UnseenDatagrams>,
    /// Per side (as `fin`), the first ACK of bytes of its the capture lacks: it drops datagrams.
    drops: [Option<u64>; 2],
    /// Small segments and the ACKs that released data held behind them.
    nagle: super::nagle::NagleWalk,
    /// Each side's recent timestamps (original or retransmission).
    stamps: crate::tcp::stamp_evidence::StampWalk,
    /// ACKs asking for one byte, and resends (for duplicate ACKs).
    asking: super::dup_ack_words::AskingWalk,
}

impl<'a> ContextWalk<'a> {
    fn new(states: &'a EndpointStates) -> Self {
        ContextWalk { states, fin: [None; 2], acked_peer_fin: [false; 2], syn: [None; 2], acks: AckWalk::default(), rsts: RstWalk::default(), rst_ip_id: [None; 2], copies: Default::default(), seen: SeenBytes::default(), syn_isn: [None; 2], unseen: Vec::new(), drops: [None; 2], nagle: Default::default(), stamps: Default::default(), asking: Default::default() }
    }

    fn side(from_client: bool) -> usize {
        usize::from(!from_client)
    }

    /// Whether `q` acknowledges the FIN its peer sent (if one went by).
    fn covers_peer_fin(&self, q: &TcpPacket) -> bool {
        let peer_fin_end = self.fin[Self::side(!q.from_client)].map(|(_, end)| end);
        q.segment.flags.ack() && peer_fin_end.is_some_and(|end| SeqNumber(q.segment.ack).at_or_after(end))
    }

    /// The context of `p`, the next segment (the walk has seen those before it).
    fn context(&self, p: &TcpPacket) -> SegmentContext {
        let f = p.segment.flags;
        let me = Self::side(p.from_client);
        let covers = self.covers_peer_fin(p);
        let states = self.states.side(p.from_client);
        // This FIN is the first segment of its side to acknowledge the peer's FIN: ACK and FIN merged.
        let first_peer_fin_ack = f.fin() && covers && !self.acked_peer_fin[me];
        // Its own FIN went out before: this is that FIN again, now with the ACK of the peer's.
        let fin_again_acking_peer_fin = self.fin[me].filter(|_| first_peer_fin_ack).map(|(frame, _)| frame);
        let acks_peer_fin = first_peer_fin_ack && fin_again_acking_peer_fin.is_none();
        let reused = p.analysis.flags.has(crate::tcp::analysis::AnalysisFlags::REUSED_PORTS);
        let same_attempt_syn = if !reused || !f.syn() {
            None
        } else if f.ack() {
            self.syn_isn[1 - me].filter(|(_, isn)| p.segment.ack == isn.wrapping_add(1)).map(|(frame, _)| frame)
        } else {
            self.syn_isn[me].filter(|(_, isn)| p.segment.seq == *isn).map(|(frame, _)| frame)
        };
        let passive_fin = f.fin() && states.iter().any(|c| c.state == TcpState::LastAck && c.cause == p.frame);
        // A FIN sent while the peer's earlier-captured FIN was still on its way (it sends FIN-WAIT-1).
        let crosses_peer_fin = self.fin[1 - me]
            .filter(|_| f.fin() && !covers && states.iter().any(|c| c.state == TcpState::FinWait1 && c.cause == p.frame))
            .map(|(frame, _)| frame);
        let peer_syn = self.syn[1 - me].filter(|_| f.syn() && f.ack());
        let rst = f.rst().then(|| self.rsts.facts(&Wire::of(p)));
        let numbered = self.copies.numbered(p);
        SegmentContext {
            acks_peer_fin,
            passive_fin,
            crosses_peer_fin,
            own_syn_before: f.syn() && f.ack() && self.syn[me].is_some(),
            peer_syn_data: peer_syn.map_or(0, |(data, _)| data),
            peer_syn_ecn: peer_syn.is_some_and(|(_, ecn)| ecn),
            ignored: self.states.ignored_at(p.frame).map(|i| i.reason).collect(),
            resend: None,
            late_copy: None,
            original_later: None,
            port_reuse: None,
            ack_timing: self.acks.timing(p),
            rst,
            rst_other_datagram: f.rst() && matches!((self.rst_ip_id[me], p.segment.ip_id), (Some(a), Some(b)) if a != b),
            // An RST alike to the one before that answers another segment is no copy (R43-2).
            // (The same IPv4 identification from a sender that numbers each datagram settles it.)
            copy_of: self.copies.copy_of(p).filter(|_| !f.rst() || numbered || !rst.is_some_and(|r| r.answers_another())),
            copy_numbered: numbered,
            fin_again_acking_peer_fin,
            syn_seen: self.syn_isn.iter().any(Option::is_some) || f.syn(),
            // R4 M1: zeek_tcp_fin_retransmission frame 4, FIN,ACK at the SYN's own number.
            fin_at_own_syn: self.syn_isn[me].filter(|&(_, isn)| f.fin() && f.ack() && crate::tcp::seq::below_window_at_own_isn(f.syn(), f.rst(), crate::tcp::seq::SeqNumber(p.segment.seq), Some(crate::tcp::seq::SeqNumber(isn)))).map(|(frame, _)| frame),
            same_attempt_syn,
            late_gap: None,
            reassembled: None,
            nothing_beyond_ack: f.ack() && self.seen.nothing_beyond_ack(p),
            after_peer_fin: covers,
            refused_after_fin: None,
            // Its latest state before this RST, if CLOSED (R5e F4: not a refusal a retry reopened).
            closed_since: states.iter().rev().find(|c| c.frame < p.frame && c.cause < p.frame).filter(|c| f.rst() && c.state == TcpState::Closed).map(|c| c.cause),
            nagle: self.nagle.held(p),
            stamps: self.stamps.verdict(p),
            asking: self.asking.asking(p),
            unseen: self.unseen.binary_search_by_key(&p.frame, |u| u.frame).ok().map(|i| self.unseen[i]),
            capture_drops: self.drops[me],
            not_taken: None,
            unseen_ack: p.analysis.flags.has(crate::tcp::analysis::AnalysisFlags::ACK_LOST_SEGMENT).then(|| self.seen.unseen_ack_sentence(p)).flatten(),
        }
    }

    /// Takes `p` into account for the segments after it.
    fn add(&mut self, p: &TcpPacket) {
        // (A copy of the previous segment, by the one rule for copies, changes no hold.)
        let copy = self.copies.copy_of(p).is_some();
        self.nagle.add(p, copy);
        self.copies.add(p);
        self.stamps.add(p);
        self.asking.add(p, copy);
        self.acks.add(p);
        self.seen.add(p);
        if p.segment.flags.syn() {
            let me = Self::side(p.from_client);
            if self.syn_isn[me].is_none_or(|(_, isn)| isn != p.segment.seq) {
                self.syn_isn[me] = Some((p.frame, p.segment.seq));
            }
        }
        self.rsts.add(&Wire::of(p));
        if p.segment.flags.rst() {
            self.rst_ip_id[Self::side(p.from_client)] = p.segment.ip_id;
        }
        let f = p.segment.flags;
        let me = Self::side(p.from_client);
        if self.covers_peer_fin(p) {
            self.acked_peer_fin[me] = true;
        }
        if f.fin() && self.fin[me].is_none() {
            self.fin[me] = Some((p.frame, Wire::of(p).end()));
        }
        if f.syn() && !f.ack() && self.syn[me].is_none() {
            let ecn = f.has(crate::decode::TcpFlags::ECE) && f.has(crate::decode::TcpFlags::CWR);
            self.syn[me] = Some((p.segment.payload_len, ecn));
        }
    }
}
