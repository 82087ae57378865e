//! Which connection of B is which connection of A: the same initial sequence numbers (what a
//! NAT that rewrites addresses and ports leaves alone), or else — a middlebox that randomises
//! sequence numbers — the same first segments each way (lengths and flags).

use serde::Serialize;

use super::seen::{fingerprint, isns, Seen};

/// How two connections were paired.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PairedBy {
    /// Both handshakes seen, with the same initial sequence numbers.
    InitialSequenceNumbers,
    /// The same first segments each way (lengths and flags).
    FirstSegments,
}

/// Connection `a` of A is connection `b` of B.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Paired {
    pub a: u32,
    pub b: u32,
    pub by: PairedBy,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Pairing {
    pub pairs: Vec<Paired>,
    pub unmatched_a: Vec<u32>,
    pub unmatched_b: Vec<u32>,
}

/// Segments each way compared to pair connections by their first segments.
const FIRST: usize = 12;

/// Pairs A's connections (each a list of segments, by `tcp.stream`) with B's.
pub fn pair_connections(a: &[Vec<Seen>], b: &[Vec<Seen>]) -> Pairing {
    let mut taken = vec![false; b.len()];
    let mut pairs = Vec::new();
    let mut by_isns = std::collections::HashMap::new();
    for (j, segs) in b.iter().enumerate() {
        if let (Some(c), Some(s)) = isns(segs) {
            by_isns.entry((c, s)).or_insert(j);
        }
    }
    let mut left = Vec::new();
    for (i, segs) in a.iter().enumerate() {
        match isns(segs) {
            (Some(c), Some(s)) if by_isns.get(&(c, s)).is_some_and(|&j| !taken[j]) => {
                let j = by_isns[&(c, s)];
                taken[j] = true;
                pairs.push(Paired { a: i as u32, b: j as u32, by: PairedBy::InitialSequenceNumbers });
            }
            _ => left.push(i),
        }
    }
    // Each connection's look, computed once; B's indexed by it (two captures of 100 000
    // connections each are paired in linear time).
    type Look = (Vec<(u32, u8)>, Vec<(u32, u8)>);
    let look = |segs: &[Seen]| -> Look { (fingerprint(segs, true, FIRST), fingerprint(segs, false, FIRST)) };
    let mut in_a: std::collections::HashMap<Look, usize> = std::collections::HashMap::new();
    for &i in &left {
        *in_a.entry(look(&a[i])).or_default() += 1;
    }
    let mut in_b: std::collections::HashMap<Look, Vec<usize>> = std::collections::HashMap::new();
    for j in (0..b.len()).filter(|&j| !taken[j]) {
        in_b.entry(look(&b[j])).or_default().push(j);
    }
    let mut unmatched_a = Vec::new();
    for i in left {
        let l = look(&a[i]);
        // (Too few segments to tell one connection from another: left unpaired, never guessed.)
        let enough = l.0.len() + l.1.len() >= 4 && l.0.iter().chain(&l.1).any(|(len, _)| *len > 0);
        // Only one connection on each side looking so: identical short connections (a client
        // asking the same thing again and again) are not told apart by their look.
        let found = match in_b.get(&l) {
            Some(js) if enough && js.len() == 1 && in_a.get(&l) == Some(&1) => Some(js[0]),
            _ => None,
        };
        match found {
            Some(j) => {
                taken[j] = true;
                pairs.push(Paired { a: i as u32, b: j as u32, by: PairedBy::FirstSegments });
            }
            None => unmatched_a.push(i as u32),
        }
    }
    pairs.sort_by_key(|p| p.a);
    let unmatched_b = (0..b.len()).filter(|&j| !taken[j]).map(|j| j as u32).collect();
    Pairing { pairs, unmatched_a, unmatched_b }
}
