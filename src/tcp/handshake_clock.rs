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
}

impl HandshakeClock {
    pub fn add(&mut self, p: &TcpPacket) {
        let f = p.segment.flags;
        if f.syn() && !f.ack() {
            self.syn_ns.get_or_insert(p.time_ns);
        } else if f.syn() && self.syn_ns.is_some() {
            self.syn_ack_seen = true;
        } else if f.ack() && self.syn_ack_seen && self.path_rtt_ns.is_none() {
            self.path_rtt_ns = self.syn_ns.map(|t| p.time_ns.saturating_sub(t));
        }
    }

    /// The first SYN to the handshake's ACK, once both went by.
    pub fn path_rtt_ns(&self) -> Option<i64> {
        self.path_rtt_ns
    }
}
