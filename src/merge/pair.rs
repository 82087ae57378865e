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
    let print = |segs: &[Seen]| (fingerprint(segs, true, FIRST), fingerprint(segs, false, FIRST));
    let mut unmatched_a = Vec::new();
    for i in left {
        let (fa, ga) = print(&a[i]);
        // (Too few segments to tell one connection from another: left unpaired, never guessed.)
        let enough = fa.len() + ga.len() >= 4 && fa.iter().chain(&ga).any(|(len, _)| *len > 0);
        // Only one connection on each side looking so: identical short connections (a client
        // asking the same thing again and again) are not told apart by their look.
        let alike_in_a = a.iter().filter(|o| print(o) == (fa.clone(), ga.clone())).count();
        let mut alike_in_b = (0..b.len()).filter(|&j| !taken[j] && print(&b[j]) == (fa.clone(), ga.clone()));
        let found = (enough && alike_in_a == 1).then(|| alike_in_b.next().filter(|_| alike_in_b.next().is_none())).flatten();
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
