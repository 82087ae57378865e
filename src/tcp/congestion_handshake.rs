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
}

impl HandshakeTimes {
    pub(super) fn add(&mut self, p: &TcpPacket) {
        let f = p.segment.flags;
        // The SYN the SYN-ACK answers is the latest before it (R20D-11: ndpi_rtsp stream 4's
        // first SYN refused, the second 504 ms later: not a 506 ms round trip).
        if f.syn() && !f.ack() && p.from_client && self.syn_ack_ns.is_none() {
            self.syn_ns = Some(p.time_ns);
        } else if f.syn() && f.ack() && !p.from_client && self.syn_ns.is_some() {
            self.syn_ack_ns.get_or_insert(p.time_ns);
        } else if p.from_client && f.ack() && !f.syn() && !self.measured {
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
