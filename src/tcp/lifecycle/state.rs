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

/// An edge of RFC 9293's state diagram (figure 5), with the two it leaves implicit: an
/// abort (RST sent or received) from any state to CLOSED, and a connection first seen in any
/// state (from "unknown").
pub fn valid_transition(from: TcpState, to: TcpState) -> bool {
    use TcpState::*;
    if from == Unknown || to == Closed {
        return true;
    }
    matches!(
        (from, to),
        (Closed, Listen | SynSent)
            | (Listen, SynReceived | SynSent)
            | (SynSent, SynReceived | Established)
            | (SynReceived, Established | FinWait1 | Listen)
            | (Established, FinWait1 | CloseWait)
            | (FinWait1, FinWait2 | Closing | TimeWait)
            | (FinWait2 | Closing, TimeWait)
            | (CloseWait, LastAck)
    )
}

/// The whole path of one endpoint is a path of the diagram.
pub fn valid_path(changes: &[super::evidence::StateChange]) -> bool {
    changes.windows(2).all(|w| valid_transition(w[0].state, w[1].state))
        && changes.first().is_none_or(|c| c.state != TcpState::Unknown)
}
