//! What an ACK's SACK blocks report, in words (RFC 2018, RFC 2883): the bytes that arrived
//! beyond the cumulative ACK, the holes before them, and a D-SACK's duplicate.

use crate::tcp::seq::SeqNumber;
use crate::tcp::TcpPacket;

/// Its first SACK block lies below its ACK (or inside its second): a D-SACK (RFC 2883).
pub(super) fn has_dsack(p: &TcpPacket) -> bool {
    let blocks = p.segment.options.sack_blocks();
    let ack = SeqNumber(p.segment.ack);
    blocks.first().is_some_and(|b| SeqNumber(b.left).before(ack) || blocks.get(1).is_some_and(|c| SeqNumber(b.left).at_or_after(SeqNumber(c.left)) && SeqNumber(b.right).at_or_before(SeqNumber(c.right))))
}

/// What the SACK blocks of an ACK report (RFC 2018), in the peer's relative numbers: the bytes
/// that arrived beyond the cumulative ACK and the holes before them, or, for a first block
/// below the ACK or inside the second (RFC 2883's D-SACK), bytes that arrived twice.
pub(super) fn sack_report(p: &TcpPacket) -> Option<String> {
    let blocks = p.segment.options.sack_blocks();
    if blocks.is_empty() || !p.segment.flags.ack() || p.segment.flags.rst() {
        return None;
    }
    // The peer's base: raw minus relative acknowledgement number.
    let base = SeqNumber(p.segment.ack) - p.ack;
    let ack = SeqNumber(p.ack);
    let relative = |b: &crate::decode::SackBlock| (SeqNumber(SeqNumber(b.left) - base), SeqNumber(SeqNumber(b.right) - base));
    let mut ranges: Vec<(SeqNumber, SeqNumber)> = blocks.iter().map(relative).collect();
    let range = |(l, r): (SeqNumber, SeqNumber)| match (r - l, l.0) {
        (1, 0) => "sequence number 0 (the SYN)".to_string(),
        (1, n) => format!("sequence number {n}"),
        _ => format!("bytes {} to {}", l.0, (r - 1).0),
    };
    let mut sentences = Vec::new();
    let (first_l, first_r) = ranges[0];
    let dsack = first_l.before(ack) || ranges.get(1).is_some_and(|&(l, r)| first_l.at_or_after(l) && first_r.at_or_before(r));
    if dsack {
        sentences.push(format!(
            "Its first SACK block is a D-SACK (RFC 2883): {} had already arrived, so this copy was not needed.",
            range(ranges[0])
        ));
        ranges.remove(0);
    }
    ranges.retain(|&(l, _)| l.after(ack));
    if !ranges.is_empty() {
        // Relative to the ACK (the blocks lie within 2^31 of it), so plain order is sequence order.
        ranges.sort_by_key(|&(l, _)| l - ack);
        let arrived: Vec<String> = ranges.iter().map(|&r| range(r)).collect();
        let mut holes = Vec::new();
        let mut edge = ack;
        for &(l, r) in &ranges {
            if l.after(edge) {
                holes.push(range((edge, l)));
            }
            edge = SeqNumber::max(edge, r);
        }
        let missing = match holes.len() {
            0 => String::new(),
            1 => format!(", so {} {} missing: the hole the sender must fill", holes[0], if holes[0].starts_with("bytes") { "are" } else { "is" }),
            _ => format!(", so {} are missing: the holes the sender must fill", holes.join(" and ")),
        };
        sentences.push(format!("With SACK (RFC 2018) it reports that {} arrived beyond that{missing}.", arrived.join(" and ")));
    }
    (!sentences.is_empty()).then(|| sentences.join(" "))
}
