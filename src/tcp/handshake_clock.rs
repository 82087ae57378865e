//! The path's round trip as the capture point saw the handshake: from the first SYN to the
//! first ACK after a SYN-ACK. A resend cannot follow its original sooner than about half of it,
//! so the recovery walk and the ACK timing both ask it whether two copies are one segment
//! captured twice.

use super::TcpPacket;

/// Fed a connection's segments in capture order; knows the round trip once the handshake's
/// ACK went by.
#[derive(Debug, Clone, Copy, Default)]
pub struct HandshakeClock {
    syn_ns: Option<i64>,
    syn_ack_seen: bool,
    path_rtt_ns: Option<i64>,
    /// The SYN to the SYN-ACK: the server's part of the round trip (the rest is the client's).
    server_share_ns: Option<i64>,
    /// The client sent a SYN again after a SYN-ACK had gone by here: that SYN-ACK reached it an
    /// unknown time later (or never), so the handshake times no path (R21-4: ndpi_heuristic
    /// stream 5, whose ACK came 2.07 s after the first SYN and 1.8 ms after the second).
    syn_after_syn_ack: bool,
}

impl HandshakeClock {
    pub fn add(&mut self, p: &TcpPacket) {
        let f = p.segment.flags;
        if f.syn() && !f.ack() {
            self.syn_after_syn_ack |= self.syn_ack_seen && self.path_rtt_ns.is_none();
            self.syn_ns.get_or_insert(p.time_ns);
        } else if f.syn() && self.syn_ns.is_some() {
            self.syn_ack_seen = true;
            self.server_share_ns.get_or_insert(p.time_ns.saturating_sub(self.syn_ns.unwrap_or(p.time_ns)));
        } else if f.ack() && self.syn_ack_seen && self.path_rtt_ns.is_none() {
            self.path_rtt_ns = self.syn_ns.map(|t| p.time_ns.saturating_sub(t));
        }
    }

    /// The first SYN to the handshake's ACK, once both went by.
    pub fn path_rtt_ns(&self) -> Option<i64> {
        self.path_rtt_ns.filter(|_| !self.syn_after_syn_ack)
    }

    /// Whether the capture point is at a side: its part of the round trip under a twentieth of
    /// the whole (R21-4: an eighth left ndpi_heuristic's "between the two, server 4.09 ms" at
    /// the server). Unknown without the handshake: not said to be at it.
    pub fn at(&self, client: bool) -> bool {
        match (self.path_rtt_ns(), self.server_share_ns) {
            (Some(rtt), Some(server)) => (if client { rtt.saturating_sub(server) } else { server }).saturating_mul(20) < rtt && rtt > 0,
            _ => false,
        }
    }

    /// Whether the capture point is away from a side: its part of the round trip (capture
    /// point to it and back) is at least an eighth of the whole, as the episodes' estimate
    /// has it. Unknown without the handshake: not said to be away.
    pub fn away_from(&self, client: bool) -> bool {
        match (self.path_rtt_ns(), self.server_share_ns) {
            // (Saturating: a damaged capture's times can be anything; the fuzzer found one.)
            (Some(rtt), Some(server)) => (if client { rtt.saturating_sub(server) } else { server }).saturating_mul(8) >= rtt && rtt > 0,
            _ => false,
        }
    }
}
