//! A keep-alive probe that opens a capture (R20D-8): a connection caught in the middle, whose
//! first segment from a side is one byte that the peer's next ACK reports, by a D-SACK
//! (RFC 2883), it already had — the last byte sent before the capture began, sent again to
//! ask whether the peer is still there (Windows sends its keep-alive with one byte, RFC 1122
//! §4.2.3.6). Wireshark cannot flag it (it has seen nothing before it); its relative sequence
//! number makes it look like the first byte of new data.

use super::seq::SeqNumber;
use super::TcpPacket;

/// How far past the probe the peer's answer is looked for.
const ANSWER_WITHIN: usize = 64;

/// The frames of such probes among `packets` (a connection's, in capture order, as captured).
pub fn first_probes(packets: &[TcpPacket]) -> Vec<u64> {
    let mut out = Vec::new();
    if packets.first().is_none_or(|p| p.segment.flags.syn()) {
        return out;
    }
    for side in [true, false] {
        let Some(i) = packets.iter().position(|p| p.from_client == side && (p.segment.payload_len > 0 || p.segment.flags.syn())) else { continue };
        let p = &packets[i];
        if p.segment.payload_len != 1 || p.segment.flags.syn() || p.segment.flags.fin() {
            continue;
        }
        let seq = SeqNumber(p.segment.seq);
        let answer = packets[i + 1..].iter().take(ANSWER_WITHIN).find(|q| q.from_client != side && q.segment.flags.ack());
        let dsack = answer.is_some_and(|q| SeqNumber(q.segment.ack) == seq + 1 && q.segment.options.sack_blocks().first().is_some_and(|b| SeqNumber(b.left) == seq && SeqNumber(b.right) == seq + 1));
        if dsack {
            out.push(p.frame);
        }
    }
    out
}
