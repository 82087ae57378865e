//! Whether a connection's capture was filtered to payload: two segments or more, every one
//! carrying data, from both endpoints (R11b-03: ndpi_1kxun's later streams hold no ACK alone).
//! Both: a sender resending into silence has only data segments too, and nothing was filtered
//! there (R13b-8: chrissanders_tcp_retransmissions, 648 bytes sent six times, no answer).

use super::TcpPacket;

/// Fed a connection's segments in any order.
#[derive(Debug, Clone, Copy, Default)]
pub struct PayloadOnly {
    segments: u64,
    bare: bool,
    from: [bool; 2],
}

impl PayloadOnly {
    pub fn add(&mut self, p: &TcpPacket) {
        self.segments = self.segments.saturating_add(1);
        self.bare |= p.segment.payload_len == 0;
        self.from[usize::from(p.from_client)] = true;
    }

    pub fn holds(&self) -> bool {
        // (Two are enough: a request and its answer with no ACK alone between say nothing of
        // who waited either — R13b-7, ndpi_1kxun stream 81's 1.084 s had been "network".)
        self.segments >= 2 && !self.bare && self.from[0] && self.from[1]
    }
}
