//! The IP header's ECN field said for one segment (RFC 3168): a data segment that passed the
//! capture point marked Congestion Experienced. ECT on ordinary segments is not said per
//! segment (it is on nearly every one once ECN is negotiated; `explain`'s ECN lines count it).

use crate::decode::Ecn;
use crate::tcp::TcpPacket;

pub fn ip_ecn_note(p: &TcpPacket) -> Option<String> {
    (p.segment.ecn == Ecn::Ce && p.segment.payload_len > 0).then(|| {
        "Its IP header says CE (Congestion Experienced): a router on the path marked this segment instead of dropping it (RFC 3168); it arrives whole, and the receiver will echo the mark to the sender with ECE.".to_string()
    })
}
