//! The handshake's times for the congestion walk ([`super::congestion`]): how long after the
//! capture point sees an ACK each side's answer to it can pass the capture point.

use super::TcpPacket;

/// The handshake's times at the capture point, from which each side's round trip from the
/// capture point (to that side and back) is read.
#[derive(Default)]
pub(super) struct HandshakeTimes {
    syn_ns: Option<i64>,
    syn_ack_ns: Option<i64>,
    /// Per side: how long after the capture point sees an ACK for that side's data the side's
    /// answer to it can pass the capture point (0 where the capture point is at that side).
    pub(super) answer_after_ns: [i64; 2],
    measured: bool,
    /// Each side's quickest answer to the other's data since: a side slower to answer the SYN
    /// than data is no further away (R21-14: ndpi_rtsp stream 4's SYN-ACK 0.83 ms after the SYN,
    /// its ACKs of data 0.15 ms: one flight after ACK 333 was counted with the round before).
    answers: super::congestion_no_handshake::WayFromAcks,
}

impl HandshakeTimes {
    pub(super) fn add(&mut self, p: &TcpPacket) {
        let f = p.segment.flags;
        if self.measured {
            self.answers.add(p);
            // (By 0.1 ms or more: a host's scheduling moves answers by tens of microseconds, and
            // on one host, zeek_http_1000-requests' loopback, that split one write's pair of
            // segments into two rounds.)
            for side in 0..2 {
                if let Some(q) = self.answers.quickest(side).map(|q| q / 10 * 9).filter(|q| q.saturating_add(100_000) <= self.answer_after_ns[side]) {
                    self.answer_after_ns[side] = q;
                }
            }
            return;
        }
        // The SYN the SYN-ACK answers is the latest before it (R20D-11: ndpi_rtsp stream 4's
        // first SYN refused, the second 504 ms later: not a 506 ms round trip).
        if f.syn() && !f.ack() && p.from_client && self.syn_ack_ns.is_none() {
            self.syn_ns = Some(p.time_ns);
        } else if f.syn() && f.ack() && !p.from_client && self.syn_ns.is_some() {
            self.syn_ack_ns.get_or_insert(p.time_ns);
        } else if p.from_client && f.ack() && !f.syn() {
            let (Some(syn), Some(syn_ack)) = (self.syn_ns, self.syn_ack_ns) else { return };
            let client_side = p.time_ns.saturating_sub(syn_ack).max(0);
            let server_side = syn_ack.saturating_sub(syn).max(0);
            let rtt = client_side.saturating_add(server_side);
            // A side's part under a quarter of the round trip: the capture point is at that
            // side (its part is the stack's own time), and ACKs count at once as before.
            let part = |ns: i64| if ns.saturating_mul(4) < rtt { 0 } else { ns / 10 * 9 };
            self.answer_after_ns = [part(client_side), part(server_side)];
            self.measured = true;
        }
    }
}
