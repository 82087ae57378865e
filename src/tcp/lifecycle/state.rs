//! RFC 9293 §3.3.2's eleven states, plus "unknown" for what a capture cannot tell.

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TcpState {
    /// Nothing in the capture tells (a connection picked up mid-way).
    Unknown,
    Closed,
    Listen,
    SynSent,
    SynReceived,
    Established,
    FinWait1,
    FinWait2,
    CloseWait,
    Closing,
    LastAck,
    TimeWait,
}

impl TcpState {
    /// The RFC name, hyphenated, as the textbook figures print it.
    pub fn rfc_name(self) -> &'static str {
        match self {
            TcpState::Unknown => "unknown",
            TcpState::Closed => "CLOSED",
            TcpState::Listen => "LISTEN",
            TcpState::SynSent => "SYN-SENT",
            TcpState::SynReceived => "SYN-RECEIVED",
            TcpState::Established => "ESTABLISHED",
            TcpState::FinWait1 => "FIN-WAIT-1",
            TcpState::FinWait2 => "FIN-WAIT-2",
            TcpState::CloseWait => "CLOSE-WAIT",
            TcpState::Closing => "CLOSING",
            TcpState::LastAck => "LAST-ACK",
            TcpState::TimeWait => "TIME-WAIT",
        }
    }
}
