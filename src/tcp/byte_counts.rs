//! Payload bytes of a connection as a teacher counts them: each distinct byte once, and the
//! bytes sent again (retransmissions and overlaps) apart. The captions and `analyze` both use
//! these, so words can be checked against data.

use std::collections::BTreeMap;

use super::lifecycle::Wire;

/// Per direction: index 0 client → server, 1 server → client.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ByteCounts {
    /// Payload bytes sent, counting every copy (`payload_bytes_c2s/_s2c`).
    pub sent: [u64; 2],
    /// Distinct sequence numbers carried as payload: each byte once however often it was sent.
    pub distinct: [u64; 2],
    /// `sent - distinct`: bytes that repeat bytes sent before.
    pub retransmitted: [u64; 2],
    /// Distinct bytes carried by a SYN, or by the segment that completed the handshake
    /// (TCP Fast Open and piggy-backed requests).
    pub in_handshake: [u64; 2],
    /// Distinct bytes sent after the other side's FIN had been acknowledged (a half-close).
    pub after_peer_fin: [u64; 2],
}

/// The set of byte ranges seen in one direction, merged as they arrive; sequence numbers are
/// unwrapped to 64 bits so a connection of more than 4 GiB is counted right.
#[derive(Debug, Default)]
struct Ranges {
    ranges: BTreeMap<u64, u64>,
    last: Option<u64>,
}

impl Ranges {
    fn unwrap(&mut self, seq: u32) -> u64 {
        let Some(last) = self.last else {
            self.last = Some(u64::from(seq));
            return u64::from(seq);
        };
        // The candidate nearest to the last value seen.
        let epoch = last >> 32;
        let value = [epoch.wrapping_sub(1), epoch, epoch + 1]
            .into_iter()
            .filter(|e| *e <= (u64::MAX >> 32))
            .map(|e| (e << 32) | u64::from(seq))
            .min_by_key(|v| v.abs_diff(last))
            .unwrap_or(u64::from(seq));
        self.last = Some(value);
        value
    }

    /// Adds [start, end); returns how many of its bytes were new.
    fn add(&mut self, start: u64, end: u64) -> u64 {
        if end <= start {
            return 0;
        }
        let (mut lo, mut hi) = (start, end);
        let mut covered = 0;
        // Ranges that touch or overlap [start, end) merge into it.
        let touching: Vec<(u64, u64)> = self.ranges.range(..=end).rev().take_while(|(_, e)| **e >= start).map(|(s, e)| (*s, *e)).collect();
        for (s, e) in touching {
            covered += e.min(end).saturating_sub(s.max(start));
            lo = lo.min(s);
            hi = hi.max(e);
            self.ranges.remove(&s);
        }
        self.ranges.insert(lo, hi);
        (end - start) - covered
    }
}

/// Counts the payload of one connection's segments (in file order; raw sequence numbers).
pub fn byte_counts<'a>(packets: impl IntoIterator<Item = &'a Wire>) -> ByteCounts {
    let mut out = ByteCounts::default();
    let mut ranges = [Ranges::default(), Ranges::default()];
    // Relative end of each side's FIN, and whether the other side has acknowledged it.
    let mut fin_end: [Option<u32>; 2] = [None, None];
    let mut fin_acked = [false; 2];
    // A side's first segment without SYN after the peer's SYN-ACK completes the handshake.
    let mut handshake_done = [false; 2];
    let mut syn_ack_from = [false; 2];
    for p in packets {
        let me = usize::from(!p.from_client);
        let peer = 1 - me;
        let f = p.flags;
        if f.ack() {
            if let Some(end) = fin_end[peer] {
                fin_acked[peer] |= crate::tcp::seq::ge(p.ack, end);
            }
        }
        let len = u64::from(p.len);
        if len > 0 {
            // A SYN's data starts one past its sequence number.
            let start = ranges[me].unwrap(p.seq.wrapping_add(u32::from(f.syn())));
            let new = ranges[me].add(start, start + len);
            out.sent[me] += len;
            out.distinct[me] += new;
            // The SYN itself, or the first ACK that completes the handshake, carrying data.
            if f.syn() || (!handshake_done[me] && syn_ack_from[peer] && f.ack()) {
                out.in_handshake[me] += new;
            }
            if fin_acked[peer] {
                out.after_peer_fin[me] += new;
            }
        }
        if !f.syn() {
            handshake_done[me] = true;
        } else if f.ack() {
            syn_ack_from[me] = true;
        }
        if f.fin() && fin_end[me].is_none() {
            fin_end[me] = Some(p.end());
        }
    }
    for d in 0..2 {
        out.retransmitted[d] = out.sent[d] - out.distinct[d];
    }
    out
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;

    #[test]
    fn overlapping_ranges_count_once() {
        let mut r = Ranges::default();
        assert_eq!(r.add(10, 20), 10);
        assert_eq!(r.add(15, 25), 5);
        assert_eq!(r.add(0, 30), 15);
        assert_eq!(r.add(0, 30), 0);
        assert_eq!(r.add(40, 50), 10);
        assert_eq!(r.add(30, 40), 10);
        assert_eq!(r.ranges.len(), 1);
    }

    #[test]
    fn sequence_numbers_unwrap_across_2_pow_32() {
        let mut r = Ranges::default();
        let a = r.unwrap(u32::MAX - 10);
        let b = r.unwrap(5);
        assert_eq!(b - a, 16);
    }
}
