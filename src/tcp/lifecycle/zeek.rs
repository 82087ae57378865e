//! Zeek's `conn_state` (scripts/base/protocols/conn/main.zeek), from the same facts: each
//! endpoint's Zeek state, then Zeek's decision table.

use super::facts::Lifecycle;

/// One endpoint as Zeek summarises it (its `conn.log` state letters), not an RFC 9293 state.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ZeekEndpoint {
    Inactive,
    SynSent,
    SynAckSent,
    Partial,
    Established,
    Closed,
    Reset,
}

impl Lifecycle {
    fn zeek_endpoint(&self, side: usize) -> ZeekEndpoint {
        let established = self.handshake_ack.is_some() || (self.syn[0].is_some() && self.syn[1].is_some() && self.syn_ack.iter().all(Option::is_some));
        if self.rst.is_some_and(|(_, s)| usize::from(s) == side) {
            ZeekEndpoint::Reset
        } else if self.fin[side].is_some() {
            ZeekEndpoint::Closed
        } else if established && (self.syn[side].is_some() || self.syn_ack[side].is_some()) {
            ZeekEndpoint::Established
        } else if self.syn[side].is_some() {
            ZeekEndpoint::SynSent
        } else if self.syn_ack[side].is_some() {
            ZeekEndpoint::SynAckSent
        } else if self.sent_any[side] {
            ZeekEndpoint::Partial
        } else {
            ZeekEndpoint::Inactive
        }
    }

    /// Zeek's `conn_state`: S0, S1, SF, REJ, S2, S3, RSTO, RSTR, RSTOS0, RSTRH, SH, SHR, OTH.
    pub fn zeek_conn_state(&self) -> &'static str {
        use ZeekEndpoint::*;
        let (os, rs) = (self.zeek_endpoint(0), self.zeek_endpoint(1));
        let o_inactive = matches!(os, Inactive | Partial);
        let r_inactive = matches!(rs, Inactive | Partial);
        let no_data = !self.sent_data[0] && !self.sent_data[1];
        if rs == Reset {
            if matches!(os, SynSent | SynAckSent) || (os == Reset && no_data) {
                "REJ"
            } else if o_inactive {
                "RSTRH"
            } else {
                "RSTR"
            }
        } else if os == Reset {
            if r_inactive {
                if self.syn[0].is_some() && self.syn_ack[1].is_none() {
                    "RSTOS0"
                } else {
                    "RSTO"
                }
            } else {
                "RSTO"
            }
        } else if os == Closed && rs == Closed {
            "SF"
        } else if os == Closed {
            if r_inactive {
                "SH"
            } else {
                "S2"
            }
        } else if rs == Closed {
            if o_inactive {
                "SHR"
            } else {
                "S3"
            }
        } else if os == SynSent && rs == Inactive {
            "S0"
        } else if os == Established && rs == Established {
            "S1"
        } else {
            "OTH"
        }
    }
}
