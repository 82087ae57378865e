//! Segments matched one to one across two captures of one connection: the same direction,
//! sequence and acknowledgement numbers (up to each side's constant offset), length and flags;
//! among copies that agree on all of those (a retransmission, a segment captured twice) the one
//! with the same IP ID and TCP timestamp, the first in order.

use std::collections::HashMap;

use super::seen::Seen;

/// What B's sequence numbers add to A's, per sender (a middlebox that randomises initial
/// sequence numbers adds a constant; most add nothing).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SeqOffsets {
    pub client: u32,
    pub server: u32,
}

impl SeqOffsets {
    /// From the two captures' initial sequence numbers, where both saw the handshake.
    pub fn of(a: (Option<u32>, Option<u32>), b: (Option<u32>, Option<u32>)) -> Self {
        let off = |x: Option<u32>, y: Option<u32>| x.zip(y).map_or(0, |(x, y)| y.wrapping_sub(x));
        SeqOffsets { client: off(a.0, b.0), server: off(a.1, b.1) }
    }
}

/// The segments of A and B matched, and those only one of them holds (indexes, in order).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Matched {
    pub pairs: Vec<(usize, usize)>,
    pub only_a: Vec<usize>,
    pub only_b: Vec<usize>,
    /// Copies were told apart by IP ID and timestamp (0), by timestamp alone (1), or by
    /// neither (2: a middlebox rewrote both, or these are not the same segments).
    pub loosened: u8,
}

type Key = (bool, u32, u32, u32, u8);

fn key(s: &Seen, offsets: SeqOffsets) -> Key {
    let (mine, theirs) = if s.from_client { (offsets.client, offsets.server) } else { (offsets.server, offsets.client) };
    // (An ACK number means nothing without the ACK flag: a SYN's is anything.)
    let ack = if s.flags & 0x10 != 0 { s.ack.wrapping_add(theirs) } else { 0 };
    (s.from_client, s.seq.wrapping_add(mine), ack, s.len, s.flags)
}

/// Matches `a`'s segments with `b`'s (`offsets`: what B adds to A's numbers). Copies that agree
/// on everything else are told apart by their IP ID and TCP timestamp where both points have
/// them: a resend is never matched with its original. A middlebox may rewrite IP IDs or strip
/// timestamps: if matching on them leaves most of the shorter side unmatched, it is done
/// without them.
pub fn match_segments(a: &[Seen], b: &[Seen], offsets: SeqOffsets) -> Matched {
    // (Half of the shorter side: one capture may be cut short, or hold only part of the other.)
    let enough = |m: &Matched| m.pairs.len() * 2 >= a.len().min(b.len());
    let strict = match_with(a, b, offsets, true, true);
    if enough(&strict) {
        return strict;
    }
    let no_id = match_with(a, b, offsets, false, true);
    if enough(&no_id) {
        return Matched { loosened: 1, ..no_id };
    }
    Matched { loosened: 2, ..match_with(a, b, offsets, false, false) }
}

fn match_with(a: &[Seen], b: &[Seen], offsets: SeqOffsets, by_id: bool, by_ts: bool) -> Matched {
    // B's segments by key, each list with where its first copy not yet taken is (thousands of
    // duplicate ACKs share a key: the list is not scanned from its start each time).
    let mut by_key: HashMap<Key, (Vec<usize>, usize)> = HashMap::new();
    for (j, s) in b.iter().enumerate() {
        by_key.entry(key(s, SeqOffsets::default())).or_default().0.push(j);
    }
    let mut taken = vec![false; b.len()];
    let mut matched = Matched::default();
    for (i, s) in a.iter().enumerate() {
        let candidates = match by_key.get_mut(&key(s, offsets)) {
            Some((list, first)) => {
                while *first < list.len() && taken[list[*first]] {
                    *first += 1;
                }
                &list[*first..]
            }
            None => &[][..],
        };
        let agrees = |j: &usize| {
            let o = &b[*j];
            let id = s.ip_id.zip(o.ip_id).is_none_or(|(x, y)| x == y);
            let ts = s.tsval.zip(o.tsval).is_none_or(|(x, y)| x == y);
            !taken[*j] && (!by_id || id) && (!by_ts || ts)
        };
        match candidates.iter().copied().find(agrees) {
            Some(j) => {
                taken[j] = true;
                matched.pairs.push((i, j));
            }
            None => matched.only_a.push(i),
        }
    }
    matched.only_b = (0..b.len()).filter(|&j| !taken[j]).collect();
    matched
}
