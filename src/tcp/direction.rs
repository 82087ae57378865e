//! What the analysis remembers about one direction of a connection (Wireshark's
//! `tcp_flow_t`), updated segment by segment.

use crate::tcp::seq::SeqNumber;

/// Window-scale knowledge for one direction (Wireshark's `win_scale`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum WindowScale {
    /// This direction's SYN was not seen.
    #[default]
    Unknown,
    /// A SYN was seen and scaling is not in use.
    NotUsed,
    /// Shift count (capped at 14, RFC 7323 §2.3).
    Shift(u8),
}

#[derive(Debug, Clone, Copy, Default)]
pub struct Direction {
    /// Raw sequence number that shows as relative 0; meaningful when `base_set`.
    pub base_seq: SeqNumber,
    pub base_set: bool,
    pub window_scale: WindowScale,
    /// This direction sent a SYN (with or without ACK).
    pub syn_seen: bool,
    pub fin_seen: bool,
    pub rst_seen: bool,
}

impl Direction {
    /// Sets the base from a segment of this direction, unless already known.
    pub fn learn_base_from_own(&mut self, seq: u32, syn: bool) {
        if !self.base_set {
            // A SYN shows as 0; a connection picked up mid-way shows its first segment as 1.
            self.base_seq = if syn { SeqNumber(seq) } else { SeqNumber(seq) - 1 };
            self.base_set = true;
        }
    }

    /// Sets the base from the other direction's acknowledgement number, unless already known.
    pub fn learn_base_from_peer_ack(&mut self, ack: u32) {
        if !self.base_set {
            self.base_seq = SeqNumber(ack) - 1;
            self.base_set = true;
        }
    }

    /// The relative sequence number of a raw one: its distance from the base, modulo 2^32.
    pub fn relative(&self, raw: u32) -> u32 {
        SeqNumber(raw) - self.base_seq
    }
}
