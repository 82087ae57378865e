//! Wireshark's `tcp.analysis.*` flags, as a compact bit set.

/// One bit per flag; names are those of the oracle and of Wireshark's display filters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct AnalysisFlags(pub u16);

impl AnalysisFlags {
    pub const RETRANSMISSION: u16 = 1 << 0;
    pub const FAST_RETRANSMISSION: u16 = 1 << 1;
    pub const SPURIOUS_RETRANSMISSION: u16 = 1 << 2;
    pub const OUT_OF_ORDER: u16 = 1 << 3;
    pub const LOST_SEGMENT: u16 = 1 << 4;
    pub const ACK_LOST_SEGMENT: u16 = 1 << 5;
    pub const DUPLICATE_ACK: u16 = 1 << 6;
    pub const ZERO_WINDOW: u16 = 1 << 7;
    pub const ZERO_WINDOW_PROBE: u16 = 1 << 8;
    pub const ZERO_WINDOW_PROBE_ACK: u16 = 1 << 9;
    pub const WINDOW_FULL: u16 = 1 << 10;
    pub const WINDOW_UPDATE: u16 = 1 << 11;
    pub const KEEP_ALIVE: u16 = 1 << 12;
    pub const KEEP_ALIVE_ACK: u16 = 1 << 13;
    pub const REUSED_PORTS: u16 = 1 << 14;
    /// Not a Wireshark flag (never in `NAMES`): a keep-alive by Wireshark's test, sent while
    /// the receiver's last window was zero — a zero-window probe as Linux sends it (one below
    /// the next sequence number, RFC 9293 §3.8.6.1), which the page names as such.
    pub const INTO_CLOSED_WINDOW: u16 = 1 << 15;
    /// Any kind of retransmission (tshark's `tcp.analysis.retransmission` matches all three).
    pub const ANY_RETRANSMISSION: u16 = Self::RETRANSMISSION | Self::FAST_RETRANSMISSION | Self::SPURIOUS_RETRANSMISSION;

    /// (bit, name) in the oracle's order.
    pub const NAMES: [(u16, &'static str); 15] = [
        (Self::RETRANSMISSION, "retransmission"),
        (Self::FAST_RETRANSMISSION, "fast_retransmission"),
        (Self::SPURIOUS_RETRANSMISSION, "spurious_retransmission"),
        (Self::OUT_OF_ORDER, "out_of_order"),
        (Self::LOST_SEGMENT, "lost_segment"),
        (Self::ACK_LOST_SEGMENT, "ack_lost_segment"),
        (Self::DUPLICATE_ACK, "duplicate_ack"),
        (Self::ZERO_WINDOW, "zero_window"),
        (Self::ZERO_WINDOW_PROBE, "zero_window_probe"),
        (Self::ZERO_WINDOW_PROBE_ACK, "zero_window_probe_ack"),
        (Self::WINDOW_FULL, "window_full"),
        (Self::WINDOW_UPDATE, "window_update"),
        (Self::KEEP_ALIVE, "keep_alive"),
        (Self::KEEP_ALIVE_ACK, "keep_alive_ack"),
        (Self::REUSED_PORTS, "reused_ports"),
    ];

    pub fn has(self, bit: u16) -> bool {
        self.0 & bit != 0
    }

    pub fn set(&mut self, bit: u16) {
        self.0 |= bit;
    }

    pub fn is_empty(self) -> bool {
        self.0 == 0
    }

    /// The flag names as tshark's fields report them: a fast or spurious retransmission also
    /// matches `tcp.analysis.retransmission`.
    pub fn names(self) -> impl Iterator<Item = &'static str> {
        let mut bits = self.0;
        if bits & (Self::FAST_RETRANSMISSION | Self::SPURIOUS_RETRANSMISSION) != 0 {
            bits |= Self::RETRANSMISSION;
        }
        Self::NAMES.into_iter().filter(move |(bit, _)| bits & bit != 0).map(|(_, name)| name)
    }
}
