//! Naming an idle or holding run by the segment that ends it: whose time it was (the peer's
//! answer, the sender's application, the network's, the close).

use super::super::time_split_kinds::TimeKind;
use super::super::time_split_state::{HandshakePaths, State};
use super::{pauses, AppPause, TimeSplitWalk};
use crate::tcp::seq::SeqNumber;
use crate::tcp::TcpPacket;

impl TimeSplitWalk {
    /// Names an `Idle` or `Holding` run by the segment that ends it.
    pub(super) fn name_open_run(&mut self, p: &TcpPacket, t: i64, new_data: bool) {
        let Some(run) = self.run else { return };
        let from = p.from_client;
        let state = match run.state {
            // An ACK of the peer's bytes this capture never held: the peer's data was on its way
            // (R20C-1: chrissanders_tcp_zerowindowrecovery's first ACKs, 8760 bytes unseen).
            // After the acker's own data it is the peer's answer (zeek_http_1000-requests' first).
            // (R49-3: when the peer's data went within the span the capture does not show — the
            // acker's own data last, the peer's next request uncaptured: ndpi_heuristic stream 0's
            // frame 55 — its sending, the network's time and the acker's ACK delay are not told apart.)
            State::Idle(_) | State::HalfOpen(_) if !new_data && self.acks_unseen(p) => {
                if self.last_data_client == Some(from) {
                    if let Some(run) = self.run.as_mut() {
                        run.unseen_ack = p.frame;
                    }
                    State::Known(TimeKind::Other, Some(!from))
                } else {
                    State::Known(TimeKind::Network, Some(!from))
                }
            }
            // The sender's first data after the update that reopened its zero window, with
            // nothing between: the update's way to it (R20C-1: the path unknown, no handover).
            State::Idle(_) if new_data && self.reopened == Some((from, run.start)) => State::Known(TimeKind::ReceiverWindow, Some(from)),
            State::Idle(_) | State::HalfOpen(_) if new_data => {
                let kind = self.kind_of_new_data(p, t, run.start);
                if kind == TimeKind::SenderApplication {
                    self.app_pause = Some(AppPause { client: from, seq: SeqNumber(p.seq), at: t, start: self.run.map_or(run.start, |r| r.start) });
                }
                // (Both idle names no endpoint: an idle part with one names the sender whose
                // uncaptured data went by in it, R21-1.)
                // (The close names no endpoint: its FIN is the one outstanding, R47-1.)
                State::Known(kind, (!matches!(kind, TimeKind::Other | TimeKind::Close)).then_some(from))
            }
            State::Holding(r) if from == r && p.segment.payload_len > 0 => State::Known(TimeKind::AwaitingAnswer, Some(r)),
            // Its FIN (no data, nothing to acknowledge late): the receiver's application closed
            // after a pause, no ACK was held.
            State::Holding(r) if from == r && (p.segment.flags.fin() || p.segment.flags.rst()) => State::Known(TimeKind::Other, None),
            State::Holding(r) if from == r => State::Known(TimeKind::ReceiverDelay, Some(r)),
            // The sender sent again (a resend, or new data its loss probe carries) before the
            // receiver said anything: its timer ran, the network had the data or the ACKs.
            State::Holding(r) if p.segment.payload_len > 0 => {
                self.resend_in_hold = Some(pauses::HeldResend { sender: !r, seq: SeqNumber(p.seq), start: run.start });
                State::Known(TimeKind::Network, Some(!r))
            }
            other => other,
        };
        if let Some(run) = self.run.as_mut() {
            run.state = state;
        }
    }

    /// A pure ACK that moves past every byte (and FIN) of the peer's this capture holds.
    pub(super) fn acks_unseen(&self, p: &TcpPacket) -> bool {
        let d = &self.dirs[usize::from(!p.from_client)];
        let ack = SeqNumber(p.ack);
        let f = p.segment.flags;
        f.ack() && !f.syn() && !f.rst() && p.segment.payload_len == 0 && d.acked.is_some_and(|a| ack.after(a)) && d.fin_end.or(d.next).is_none_or(|e| ack.after(e))
    }

    /// Whose time an idle run was, ended by new data from `p`'s sender (at `t`, the run begun
    /// at `start`).
    fn kind_of_new_data(&mut self, p: &TcpPacket, t: i64, start: i64) -> TimeKind {
        let from = p.from_client;
        let tsecr = p.segment.options.timestamps.map(|(_, e)| e);
        match self.last_data_client {
            Some(last) if last != from => TimeKind::AwaitingAnswer, // (first: real/half_close's answer after a FIN)
            _ if self.answers_peer_fin(p) => TimeKind::Close,
            // Away from the sender all was acknowledged here, but the sender waited for
            // those ACKs to reach it (or the wait is but one burst's spacing). Not its first
            // data: no ACK of data prompts it, no burst is spaced; its application wrote
            // it after the handshake (R26D-6: ndpi_ocsp's first request, 6.3 ms after).
            _ if self.paths.path.is_some_and(|w| w[usize::from(from)] > 0) && self.dirs[usize::from(from)].last_new.is_some() && (self.clocked(p, t) || (t - start <= self.paths.pacing_gap(from) && !self.dirs[usize::from(from)].sent_apart(p.segment.options.timestamps, self.paths.rtt()))) => TimeKind::Network,
            // Sooner than the ACK that emptied the flight here could reach the sender and its
            // answer come back, from a sender with a whole initial window or more out as it
            // knew: the data had left before, released by earlier ACKs, on its way all along
            // (R13b-16: zeek_tcp_timestamp frame 280, 35.7 ms after ACK 279 against 47.5 ms;
            // not app_limited's writes, 3 segments out of a window of 10).
            _ if self.dirs[usize::from(from)].window_spent_when_sent() && t.saturating_sub(start).saturating_add(1_000_000 + self.paths.to(from) / 10) < self.paths.to(from) => TimeKind::Network,
            // Its own clock says the path held it, or its IPv4 identification skips datagrams lost before here.
            _ if p.segment.options.timestamps.is_some_and(|(v, _)| self.dirs[usize::from(from)].held_on_the_way(t, v)) => TimeKind::Network,
            // (Not at the sender: a datagram missing from a capture beside it was the
            // capture's drop, and had it carried these bytes the receiver would have
            // answered them sooner — R21-3, ndpi_heuristic stream 2's 0x10da, 88 ms.)
            _ if self.dirs[usize::from(from)].ip_ids.skipped_before(p.segment.ip_id).is_some() && self.paths.path.is_none_or(|w| w[usize::from(from)] > 1_000_000) => TimeKind::Network,
            // Without the handshake, a round trip measured on the data after an ACK (R8b-05: each flight of the server one round trip after the ACKs that freed it).
            _ if self.paths.path.is_none() && self.paths.seen[usize::from(from)].is_some_and(|way| self.dirs[usize::from(from)].ack_clocked(t, way, HandshakePaths::slack(way), tsecr, self.short(p))) => TimeKind::Network,
            // Without it, sooner after the ACK that emptied the flight than that ACK could reach the sender, within its spacing: it left before (R36D-2: ndpi_1kxun stream 23's frame 807, 0.33 ms after ACK 806, the client 94 ms away).
            _ if self.paths.path.is_none() && self.dirs[usize::from(from)].last_new.is_some() && self.paths.seen[usize::from(from)].is_some_and(|way| t.saturating_sub(start) < way) && t.saturating_sub(start) <= self.paths.pacing_gap(from) && !self.dirs[usize::from(from)].sent_apart(p.segment.options.timestamps, None) => TimeKind::Network,
            // A capture that starts mid-connection (R3 T9): data after a report of a hole is recovery.
            _ if self.paths.path.is_none() && self.last_data_client.is_none() => if self.dirs[usize::from(from)].hole { TimeKind::Network } else { TimeKind::Other },
            _ if self.dirs[usize::from(from)].last_new.is_none() => self.first_data(p, t, start),
            _ => TimeKind::SenderApplication,
        }
    }
}
