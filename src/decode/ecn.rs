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

    /// A bare TCP header (20 bytes, ACK) after an IP header, as a raw-IP frame.
    fn tcp() -> Vec<u8> {
        let mut t = vec![0u8; 20];
        t[0..2].copy_from_slice(&1234u16.to_be_bytes());
        t[2..4].copy_from_slice(&80u16.to_be_bytes());
        t[12] = 5 << 4;
        t[13] = 0x10;
        t
    }

    #[test]
    fn decoded_from_ipv4_tos_and_ipv6_traffic_class() {
        const RAW: u32 = 101; // LINKTYPE_RAW
        for ecn in [Ecn::NotEct, Ecn::Ect1, Ecn::Ect0, Ecn::Ce] {
            // IPv4: TOS = DSCP 46 (EF) << 2 | ECN, checksum left 0 (not checked).
            let mut v4 = vec![0x45, (46 << 2) | ecn.bits(), 0, 40, 0, 0, 0x40, 0, 64, 6, 0, 0, 10, 0, 0, 1, 10, 0, 0, 2];
            v4.extend(tcp());
            // IPv6: version 6, traffic class (DSCP 46 << 2 | ECN) across the first 12 bits.
            let tc = (46 << 2) | ecn.bits();
            let mut v6 = vec![0x60 | (tc >> 4), (tc & 0x0f) << 4, 0, 0, 0, 20, 6, 64];
            v6.extend([0u8; 15].iter().chain(&[1u8]).chain(&[0u8; 15]).chain(&[2u8]));
            v6.extend(tcp());
            for frame in [v4, v6] {
                match crate::decode::decode(RAW, &frame, frame.len() as u32) {
                    crate::decode::Decoded::Tcp(seg) => assert_eq!(seg.ecn, ecn, "{frame:02x?}"),
                    other => panic!("{other:?}"),
                }
            }
        }
    }
}
