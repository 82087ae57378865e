//! Closing the walk's open run into parts: a window-limited run's stall, and a held ACK
//! that waits for the part after it; data that answers the peer's FIN.

use super::super::time_split_kinds::{held_ack_resolved, TimeKind, TimePart};
use super::super::time_split_state::{Run, State};
use super::TimeSplitWalk;
use crate::tcp::seq::SeqNumber;
use crate::tcp::TcpPacket;

impl TimeSplitWalk {
    pub(super) fn close_run(&mut self, end: i64) {
        let Some(run) = self.run.take() else { return };
        let Run { state, start, first, last, quiet_from, mut outstanding, unseen_ack } = run;
        // After a single FIN, until its ACK (the run ends there): that FIN is outstanding (R10
        // F3: ndpi_1kxun stream 19, a FIN resent twice, never acknowledged).
        // (After an RST or both FINs nothing names a FIN waiting: R11b-13, an RST-only close.)
        if matches!(state, State::Idle(true) | State::Known(TimeKind::Close, None)) {
            outstanding = (self.fins[0] != self.fins[1]).then_some(self.fins[1]);
        }
        let (kind, client) = match state {
            State::Known(k, c) => (k, c),
            // A wait no data ended: after a FIN or RST it was the close; else nothing says.
            State::Idle(true) => (TimeKind::Close, None),
            State::Idle(false) => (TimeKind::Other, None),
            State::HalfOpen(open) => (TimeKind::Close, Some(open)),
            // The capture ends while the receiver holds the data: nothing says why.
            State::Holding(r) => (TimeKind::Network, Some(!r)),
        };
        // A full window that stays silent past the sender's probe timer (Linux: 2 × SRTT and at
        // least 10 ms, estimated here from the handshake's round trip) is a stall: from then on the sender
        // waits on its loss-recovery timers, not on the window (Linux stops counting
        // rwnd_limited when its probe fires). Said as estimated.
        // Not with nothing in flight: a window left below a segment then holds the sender as a
        // zero window does, until its persist timer sends what fits (RFC 9293 §3.8.6.2.1; R11b-04:
        // ndpi_ipp stream 1, 168 bytes of window for 208 ms). Not when the receiver's ACK ends it
        // with nothing sent meanwhile: the data had arrived and the window stayed full until that
        // ACK (ndpi_ipp frame 230, 110.7 ms after frame 229 against a 0.7 ms quickest ACK; no
        // timer fired, and Linux's rwnd_limited counts on).
        if kind.window_limited() && !self.zero_in_run && outstanding.is_some() && !self.ended_by_ack {
            if let Some(wait) = self.paths.probe_after() {
                let probe_at = quiet_from.saturating_add(wait);
                if probe_at > start && probe_at < end {
                    let quiet = self.quiet_frame;
                    // With no segment past the timer, the stall's part points at the segment it began after.
                    let (from, to) = self.after_probe.map_or((quiet, quiet), |f| (f, last));
                    self.emit(TimePart { kind, start_ns: start, end_ns: probe_at, first_frame: first, last_frame: quiet, client, outstanding, small_unacked_ns: 0, small_frame: 0, unseen_ack_frame: 0 });
                    self.emit(TimePart { kind: TimeKind::Network, start_ns: probe_at, end_ns: end, first_frame: from, last_frame: to, client, outstanding, small_unacked_ns: 0, small_frame: 0, unseen_ack_frame: 0 });
                    return;
                }
            }
        }
        let unseen_ack_frame = if kind == TimeKind::Other && client.is_some() { unseen_ack } else { 0 };
        self.emit(TimePart { kind, start_ns: start, end_ns: end, first_frame: first, last_frame: last, client, outstanding, small_unacked_ns: 0, small_frame: 0, unseen_ack_frame });
    }

    /// Adds a part to the split. A receiver's held ACK waits for the part after it: it held
    /// something up only if the sender's data came when it arrived (R8a-12: an ACK delayed
    /// while the request's answer was being prepared delayed nothing; the wait was the answer's).
    pub(super) fn emit(&mut self, part: TimePart) {
        let origin = self.origin.unwrap_or(0);
        let part = self.nagle.small_unacked.mark(part, origin);
        if let Some(held) = self.held_ack.take() {
            let resolved = self.nagle.small_unacked.mark(held_ack_resolved(held, &part), origin);
            self.split.add_kept(self.cap, resolved);
        }
        self.nagle.small_unacked.forget_before(origin.saturating_add(part.start_ns));
        if part.kind == TimeKind::ReceiverDelay {
            self.held_ack = Some(part);
        } else {
            self.split.add_kept(self.cap, part);
        }
    }

}

impl TimeSplitWalk {
    /// Data that acknowledges the peer's FIN for the first time, after a quiet run: the
    /// sender's answer to that FIN, the close's time, not data an ACK released (R44C-3:
    /// zeek_tls_irc-starttls frame 17, 31 bytes with ack=915 of the client's FIN 16).
    pub(super) fn answers_peer_fin(&self, p: &TcpPacket) -> bool {
        let from = p.from_client;
        let peer_fin = self.dirs[usize::from(!from)].fin_end;
        let first_ack = self.dirs[usize::from(!from)].acked.is_none_or(|a| peer_fin.is_some_and(|e| a.before(e)));
        !self.fins[usize::from(from)] && p.segment.flags.ack() && peer_fin.is_some_and(|e| SeqNumber(p.ack).at_or_after(e)) && first_ack
    }
}
