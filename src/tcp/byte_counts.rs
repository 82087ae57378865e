//! Payload bytes of a connection as a teacher counts them: each distinct byte once, and the
//! bytes sent again (retransmissions and overlaps) apart. The captions and `analyze` both use
//! these, so words can be checked against data.

use std::collections::BTreeMap;

use super::lifecycle::Wire;
use super::seq::SeqNumber;

/// Per direction: index 0 client → server, 1 server → client.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ByteCounts {
    /// Payload bytes sent, counting every copy (`payload_bytes_c2s/_s2c`).
    pub sent: [u64; 2],
    /// Distinct sequence numbers carried as payload: each byte once however often it was sent.
    pub distinct: [u64; 2],
    /// `sent - distinct`: bytes that repeat bytes sent before.
    pub retransmitted: [u64; 2],
    /// Of `retransmitted`, the bytes of copies that came too soon after the earlier one to be
    /// sent again (the same segment captured twice: [`crate::tcp::recovery::Resend::captured_twice`]);
    /// set by [`ByteCounts::with_captured_twice`], 0 until then.
    pub captured_twice: [u64; 2],
    /// Distinct bytes carried by a SYN, or by the segment that completed the handshake
    /// (TCP Fast Open and piggy-backed requests).
    pub in_handshake: [u64; 2],
    /// Distinct bytes sent after the other side's FIN had been acknowledged (a half-close).
    pub after_peer_fin: [u64; 2],
}

/// The set of byte ranges seen in one direction, merged as they arrive; sequence numbers are
/// unwrapped to 64 bits so a connection of more than 4 GiB is counted right.
#[derive(Debug, Clone, Default)]
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
    let mut counter = ByteCounter::default();
    for p in packets {
        counter.add(p);
    }
    counter.finish()
}

impl ByteCounts {
    /// With the bytes of the resends that are the same segment captured twice set apart (R6c F7:
    /// ndpi_1kxun's 336 bytes "sent again" were each segment captured twice, 0.036 ms apart).
    /// Adds probes captured twice ([`crate::tcp::copies::ProbeCopies`]), per side.
    pub fn with_probe_copies(mut self, bytes: [u64; 2]) -> Self {
        for d in 0..2 {
            self.captured_twice[d] = (self.captured_twice[d] + bytes[d]).min(self.retransmitted[d]);
        }
        self
    }

    pub fn with_captured_twice(mut self, resends: &[crate::tcp::recovery::Resend]) -> Self {
        for r in resends.iter().filter(|r| r.captured_twice && r.carries == "data") {
            let d = usize::from(!r.from_client);
            self.captured_twice[d] = (self.captured_twice[d] + u64::from(r.next_seq.wrapping_sub(r.seq))).min(self.retransmitted[d]);
        }
        self
    }
}

/// [`byte_counts`]'s state between segments.
#[derive(Debug, Clone, Default)]
struct ByteCounter {
    out: ByteCounts,
    ranges: [Ranges; 2],
    /// Relative end of each side's FIN, and whether the other side has acknowledged it.
    fin_end: [Option<SeqNumber>; 2],
    fin_acked: [bool; 2],
    /// A side's first segment without SYN after the peer's SYN-ACK completes the handshake.
    handshake_done: [bool; 2],
    syn_ack_from: [bool; 2],
}

impl ByteCounter {
    /// The connection's next segment.
    fn add(&mut self, p: &Wire) {
        let me = usize::from(!p.from_client);
        let peer = 1 - me;
        let f = p.flags;
        if f.ack() {
            if let Some(end) = self.fin_end[peer] {
                self.fin_acked[peer] |= p.ack.at_or_after(end);
            }
        }
        let len = u64::from(p.len);
        if len > 0 {
            // A SYN's data starts one past its sequence number.
            let start = self.ranges[me].unwrap((p.seq + u32::from(f.syn())).0);
            let new = self.ranges[me].add(start, start + len);
            self.out.sent[me] += len;
            self.out.distinct[me] += new;
            // The SYN itself, or the first ACK that completes the handshake, carrying data.
            if f.syn() || (!self.handshake_done[me] && self.syn_ack_from[peer] && f.ack()) {
                self.out.in_handshake[me] += new;
            }
            if self.fin_acked[peer] {
                self.out.after_peer_fin[me] += new;
            }
        }
        if !f.syn() {
            self.handshake_done[me] = true;
        } else if f.ack() {
            self.syn_ack_from[me] = true;
        }
        if f.fin() && self.fin_end[me].is_none() {
            self.fin_end[me] = Some(p.end());
        }
    }

    /// The counts of the segments added.
    fn finish(&self) -> ByteCounts {
        let mut out = self.out;
        for d in 0..2 {
            out.retransmitted[d] = out.sent[d] - out.distinct[d];
        }
        out
    }
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
