//! The IP header's ECN field (RFC 3168 §5): the two low bits of IPv4's TOS byte or IPv6's
//! traffic class. A sender that negotiated ECN marks its data segments ECN-capable (ECT); a
//! router under congestion may then set Congestion Experienced (CE) instead of dropping the
//! packet, and the receiver tells the sender with the TCP ECE flag.

use serde::Serialize;

/// The ECN codepoint of one packet.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub enum Ecn {
    /// 00: the sender did not mark the packet ECN-capable.
    #[default]
    #[serde(rename = "not_ect")]
    NotEct,
    /// 01: ECN-capable transport, codepoint 1 (L4S uses it, RFC 9331).
    #[serde(rename = "ect1")]
    Ect1,
    /// 10: ECN-capable transport, codepoint 0 (what classic ECN senders, Linux included, set).
    #[serde(rename = "ect0")]
    Ect0,
    /// 11: Congestion Experienced, set on the way by a router (never by the sender).
    #[serde(rename = "ce")]
    Ce,
}

impl Ecn {
    /// From the two ECN bits (the low bits of the TOS / traffic class byte).
    pub fn from_bits(bits: u8) -> Self {
        match bits & 0b11 {
            0b01 => Ecn::Ect1,
            0b10 => Ecn::Ect0,
            0b11 => Ecn::Ce,
            _ => Ecn::NotEct,
        }
    }

    pub fn bits(self) -> u8 {
        match self {
            Ecn::NotEct => 0b00,
            Ecn::Ect1 => 0b01,
            Ecn::Ect0 => 0b10,
            Ecn::Ce => 0b11,
        }
    }

    /// As Wireshark names it (`ip.dsfield.ecn`).
    pub fn name(self) -> &'static str {
        match self {
            Ecn::NotEct => "Not-ECT",
            Ecn::Ect1 => "ECT(1)",
            Ecn::Ect0 => "ECT(0)",
            Ecn::Ce => "CE",
        }
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::Ecn;

    #[test]
    fn the_two_bits_round_trip() {
        for bits in 0..4 {
            assert_eq!(Ecn::from_bits(bits).bits(), bits);
        }
        // Only the low two bits of the TOS byte count: DSCP above them is ignored.
        assert_eq!(Ecn::from_bits(0xb8 | 0b11), Ecn::Ce);
        assert_eq!(Ecn::from_bits(0x02).name(), "ECT(0)");
    }
}
