//! Bytes a segment's IP length claims but no end took as data (R13b-5): a few zero bytes on
//! an ACK that the receiver never acknowledges and the sender itself does not count — its next
//! segment starts at the same sequence number with other bytes, or its FIN sits where those
//! bytes would be. Wireshark counts them (`tcp.len`), and `analyze` with it; the story of the
//! connection (what was data, what was resent, who waited) must not: both ends' own numbers
//! say they were not data.
//!
//! Only zero bytes, at most [`MAX_LEN`] of them, count, and only on the senders' own evidence:
//! a real payload of zeros that was lost is sent again with the same zeros, which this does
//! not take for "other bytes"; a keep-alive's or a zero-window probe's byte is left alone.

use super::lifecycle::Wire;
use super::seq::SeqNumber;

/// The most bytes an ACK's phantom payload has been seen to carry (Ethernet's minimum frame
/// pads a bare IPv4 TCP header by 6), and the fewest: one zero byte is a keep-alive's or a
/// window probe's, common on long connections, and no end's evidence is looked for there.
const MAX_LEN: u32 = 6;
const MIN_LEN: u32 = 2;
/// Rounds of deciding, and segments found not taken passed over looking for the sender's next:
/// bounds that keep the walk linear on any capture (ndpi_heuristic_tcp_ack_payload is decided
/// within them: its sentences are the same as with no bound).
const MAX_ROUNDS: usize = 4;
const MAX_PASSED_OVER: usize = 8;

/// One segment whose payload no end took as data.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NotTaken {
    pub frame: u64,
    /// How many bytes were not taken: all its IP length claims (`tcp.len`), or its last few.
    pub len: u32,
    /// The bytes before them, taken as data (0 unless only its trailing zeros were not taken:
    /// R18-17, ndpi_heuristic's frame 229: five bytes and a zero its sender overwrote).
    pub kept: u32,
    pub evidence: NotTakenEvidence,
}

/// What shows the bytes were not data.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NotTakenEvidence {
    /// The sender's next segment (this frame) starts within them: it did not count them.
    SenderReused { frame: u64, fin: bool },
    /// The sender's next segment (this frame) carries no data and starts where they do: its
    /// next sequence number never moved past them (R49-7: ndpi_heuristic's frame 57, no data).
    SenderStayed { frame: u64 },
    /// The receiver's ACK (this frame) took the FIN riding on them and not the bytes.
    FinTakenAlone { frame: u64 },
    /// They lie after the sender's FIN (this frame): past the end of its stream.
    AfterFin { fin_frame: u64 },
    /// The same zeros at the same place as a later segment (this frame) whose zeros were not taken.
    SameAsLater { frame: u64 },
    /// The sender's last segment: like its earlier ones (already found not taken), and never
    /// acknowledged.
    LikeItsEarlier,
    /// Most likely: like `count` earlier segments of its sender's (the first in frame `earlier`)
    /// found not taken on their own evidence, and the sender's bytes right after these are not in
    /// the capture, which the peer's ACK (frame `ack_frame`) goes past: a segment the capture
    /// lacks may have put other bytes where these were, as the earlier ones' next did (R48D-1:
    /// ndpi_heuristic_tcp_ack_payload stream 0's frame 54, the pattern of 35/36 and 42/43).
    LikelyLikeItsEarlier { earlier: u64, count: u32, ack_frame: u64 },
}

/// The segments of one connection (in capture order) whose payload no end took as data.
pub fn bytes_not_taken(wires: &[Wire]) -> Vec<NotTaken> {
    // Any short payload of or ending in zeros at all? Most connections stop here.
    if !wires.iter().any(maybe_not_taken) {
        return Vec::new();
    }
    let candidate = |i: usize| {
        let s = &wires[i];
        // (A SYN's too: R18-15, ndpi_heuristic's SYN-ACKs claim 2 zero bytes the client never
        // acknowledges and the server's frame 190 puts a ServerHello at.)
        all_zero(s) && !s.flags.rst() && !(s.flags.syn() && s.flags.fin()) && !taken_by_peer(wires, i)
    };
    let mut verdict: Vec<Option<NotTakenEvidence>> = vec![None; wires.len()];
    // Each verdict can make another (a segment found not taken is passed over when looking for
    // its sender's next one): go round until nothing changes — a few rounds at most, so that a
    // hostile capture cannot make this quadratic; what is still undecided then stays data.
    for _ in 0..MAX_ROUNDS {
        let mut changed = false;
        // The sender's first FIN as taken (its sequence number and frame), per side (client, server).
        let mut fin: [Option<(SeqNumber, u64)>; 2] = [None; 2];
        for (i, s) in wires.iter().enumerate() {
            let side = usize::from(!s.from_client);
            if verdict[i].is_none() && candidate(i) {
                verdict[i] = judge(wires, &verdict, i, fin[side]);
                changed |= verdict[i].is_some();
            }
            if s.flags.fin() && fin[side].is_none() {
                let len = if verdict[i].is_some() { 0 } else { s.len };
                fin[side] = Some((s.seq + len, s.frame));
            }
        }
        // The same zeros again at the same place, decided from the last copy back in one sweep.
        for i in (0..wires.len()).rev() {
            if verdict[i].is_none() && candidate(i) {
                let s = &wires[i];
                if let Some(n) = sender_next(wires, i).filter(|&n| verdict[n].is_some() && wires[n].seq == s.seq && wires[n].len == s.len && wires[n].flags.syn() == s.flags.syn()) {
                    verdict[i] = Some(NotTakenEvidence::SameAsLater { frame: wires[n].frame });
                    changed = true;
                }
            }
        }
        if !changed {
            break;
        }
    }
    let mut found: Vec<NotTaken> = wires.iter().zip(&verdict).filter_map(|(w, v)| Some(NotTaken { frame: w.frame, len: w.len, kept: 0, evidence: (*v)? })).collect();
    // Trailing zeros only: their bytes before stay data, so no other verdict rests on them
    // (a segment found all not taken is passed over looking for a sender's next; these are not).
    let before = found.len();
    found.extend((0..wires.len()).filter_map(|i| trailing_not_taken(wires, &verdict, i)));
    if found.len() > before {
        found.sort_by_key(|n| n.frame);
    }
    found
}

/// Segment `i`'s last zeros, when its sender's next segment that counts starts among them and
/// puts other bytes there: a short payload padded with zeros the sender did not count.
fn trailing_not_taken(wires: &[Wire], verdict: &[Option<NotTakenEvidence>], i: usize) -> Option<NotTaken> {
    let s = &wires[i];
    if !trailing_candidate(s) || verdict[i].is_some() || s.flags.rst() || s.flags.syn() || s.flags.fin() {
        return None;
    }
    // The sender's next segment with new bytes from `s` on (resends of older bytes in between
    // say nothing of where its stream stood: frames 230–232 there), a few looked at at most.
    let k = wires[i + 1..].iter().enumerate().filter(|(_, w)| w.from_client == s.from_client && !w.flags.rst()).take(MAX_PASSED_OVER).find(|&(j, w)| verdict[i + 1 + j].is_none() && w.len > 0 && w.seq.after(s.seq))?.0 + i + 1;
    let n = &wires[k];
    let end = s.seq + s.len;
    let zeros_from = end - u32::from(s.trailing_zeros);
    // The peer took the zeros before the sender moved on: data.
    if n.seq.before(zeros_from) || !n.seq.before(end) || wires[i + 1..k].iter().any(|w| w.from_client != s.from_client && w.flags.ack() && w.ack.at_or_after(end)) {
        return None;
    }
    let overlap = end.0.wrapping_sub(n.seq.0);
    // Other bytes where `s` had zeros (the same zeros again would be a resend).
    (u32::from(n.leading_zeros) < overlap.min(n.len)).then(|| NotTaken { frame: s.frame, len: overlap, kept: s.len - overlap, evidence: NotTakenEvidence::SenderReused { frame: n.frame, fin: false } })
}

/// A short payload that ends in zeros but is not all zeros.
fn trailing_candidate(w: &Wire) -> bool {
    (MIN_LEN..=MAX_LEN).contains(&w.len) && w.trailing_zeros > 0 && u32::from(w.leading_zeros) < w.len
}

/// A payload that may hold bytes no end took ([`all_zero`], or short and ending in zeros).
pub fn maybe_not_taken(w: &Wire) -> bool {
    all_zero(w) || trailing_candidate(w)
}

/// Why segment `i`'s zeros were not taken, if the packets show it; `fin`: its sender's first
/// FIN before it, as taken.
fn judge(wires: &[Wire], verdict: &[Option<NotTakenEvidence>], i: usize, fin: Option<(SeqNumber, u64)>) -> Option<NotTakenEvidence> {
    let s = &wires[i];
    if let Some((_, fin_frame)) = fin.filter(|(at, _)| s.seq.after(*at)) {
        return Some(NotTakenEvidence::AfterFin { fin_frame });
    }
    if s.flags.fin() {
        // The peer's first ACK past the bytes' start took one sequence number: the FIN.
        match later_of_peer(wires, i).find(|w| w.flags.ack() && w.ack.after(s.seq)) {
            Some(w) if w.ack == s.seq + 1 => return Some(NotTakenEvidence::FinTakenAlone { frame: w.frame }),
            Some(_) => return None,
            // Nothing acknowledges past it (R18-14: ndpi_heuristic stream 3, the server's FIN
            // with its usual 6 zeros, answered by RST at ack=4877): as its other segments say.
            None => {}
        }
    }
    // The sender's next segment that counts (those found not taken are passed over, a few at
    // most: a longer run of them leaves this one undecided).
    let mut next = sender_next(wires, i);
    for _ in 0..MAX_PASSED_OVER {
        match next.filter(|&n| verdict[n].is_some()) {
            Some(n) => next = sender_next(wires, n),
            None => break,
        }
    }
    if next.is_some_and(|n| verdict[n].is_some()) {
        return None;
    }
    if let Some(n) = next.filter(|&n| reused(s, &wires[n])) {
        let (frame, fin) = (wires[n].frame, wires[n].flags.fin());
        return Some(if wires[n].len == 0 && !fin { NotTakenEvidence::SenderStayed { frame } } else { NotTakenEvidence::SenderReused { frame, fin } });
    }
    // Like its earlier ones found not taken on their own evidence, with the bytes after it unseen.
    let like = |j: usize| matches!(verdict[j], Some(NotTakenEvidence::SenderReused { fin: false, .. })) && wires[j].from_client == s.from_client && wires[j].len == s.len && !wires[j].flags.syn();
    let earlier: Vec<usize> = (0..i).filter(|&j| like(j)).collect();
    if let (Some(&first), Some(ack_frame)) = (earlier.first(), acked_past(wires, i)) {
        if earlier.len() >= 2 && !s.flags.syn() && !s.flags.fin() && unseen_after(wires, i) {
            return Some(NotTakenEvidence::LikelyLikeItsEarlier { earlier: wires[first].frame, count: earlier.len() as u32, ack_frame });
        }
    }
    match next {
        Some(_) => None,
        // Its side's last: like one of its own already found not taken.
        // (Never acknowledged: an ACK past it may be of bytes the capture lacks, as above.)
        None => ((0..i).any(|j| verdict[j].is_some() && wires[j].from_client == s.from_client && wires[j].len == s.len) && acked_past(wires, i).is_none()).then_some(NotTakenEvidence::LikeItsEarlier),
    }
}

/// The sender's next segment after `i` (an RST aside).
fn sender_next(wires: &[Wire], i: usize) -> Option<usize> {
    let s = &wires[i];
    wires[i + 1..].iter().position(|w| w.from_client == s.from_client && !w.flags.rst()).map(|n| i + 1 + n)
}

fn later_of_peer(wires: &[Wire], i: usize) -> impl Iterator<Item = &Wire> {
    let from_client = wires[i].from_client;
    wires[i + 1..].iter().filter(move |w| w.from_client != from_client)
}

/// The peer acknowledged all of `i`'s bytes before its sender's next segment: they were data.
/// (Not an ACK past them while the sender's bytes right after them are nowhere in the capture:
/// it may acknowledge a segment the capture lacks that started where these zeros were.)
fn taken_by_peer(wires: &[Wire], i: usize) -> bool {
    let end = data_start(&wires[i]) + wires[i].len;
    let until = sender_next(wires, i).unwrap_or(wires.len());
    let unseen = || unseen_after(wires, i);
    wires[i + 1..until].iter().any(|w| w.from_client != wires[i].from_client && w.flags.ack() && (w.ack == end || (w.ack.after(end) && !unseen())))
}

/// No segment of the sender's in the capture holds the byte right after `i`'s: its bytes from
/// there, if any went, went by uncaptured.
fn unseen_after(wires: &[Wire], i: usize) -> bool {
    let s = &wires[i];
    let end = data_start(s) + s.len;
    !wires.iter().any(|w| w.from_client == s.from_client && w.len > 0 && w.seq.at_or_before(end) && (w.seq + w.len).after(end))
}

/// The peer's first ACK past `i`'s bytes (its frame).
fn acked_past(wires: &[Wire], i: usize) -> Option<u64> {
    let end = data_start(&wires[i]) + wires[i].len;
    later_of_peer(wires, i).find(|w| w.flags.ack() && w.ack.after(end)).map(|w| w.frame)
}

/// Segments Wireshark takes for resends (or out of order) only because of bytes not taken:
/// their data or FIN starts at or above everything their sender had sent that was taken
/// (`not_taken` from [`bytes_not_taken`]), below the bytes not taken.
pub fn new_despite_not_taken(wires: &[Wire], not_taken: &[NotTaken]) -> Vec<u64> {
    let mut out = Vec::new();
    if not_taken.is_empty() {
        return out;
    }
    // Per side (client, server): the end of what was sent, taken bytes only / with the rest.
    let mut taken: [Option<SeqNumber>; 2] = [None; 2];
    let mut raw: [Option<SeqNumber>; 2] = [None; 2];
    for w in wires {
        let side = usize::from(!w.from_client);
        let kept = not_taken_at(not_taken, w.frame).map(|n| n.kept);
        let skipped = kept == Some(0);
        if (w.len > 0 || w.flags.fin()) && !skipped {
            if let (Some(t), Some(r)) = (taken[side], raw[side]) {
                if w.seq.at_or_after(t) && w.seq.before(r) {
                    out.push(w.frame);
                }
            }
        }
        let own_end = w.seq + kept.unwrap_or(w.len) + u32::from(w.flags.syn()) + u32::from(w.flags.fin());
        taken[side] = Some(taken[side].map_or(own_end, |t| t.max(own_end)));
        raw[side] = Some(raw[side].map_or(w.end(), |r| r.max(w.end())));
    }
    out
}

/// A payload of a few zero bytes (a candidate; `Connection` asks this first of every segment).
pub fn all_zero(w: &Wire) -> bool {
    (MIN_LEN..=MAX_LEN).contains(&w.len) && u32::from(w.leading_zeros) >= w.len
}

/// The sender's next segment `n` starts within `s`'s bytes and puts other bytes there (or its
/// FIN, or nothing at `s`'s own start): the sender did not count them.
fn reused(s: &Wire, n: &Wire) -> bool {
    let start = data_start(s);
    let end = start + s.len;
    if n.seq.before(start) || !n.seq.before(end) {
        return false;
    }
    let overlap = end.0.wrapping_sub(n.seq.0);
    if n.len > 0 {
        // Other bytes where `s` had zeros (the same zeros again would be a resend).
        return u32::from(n.leading_zeros) < overlap.min(n.len);
    }
    // A FIN there ends the stream before those bytes; a bare ACK back at `s`'s own start says
    // the sender's next sequence number never moved (one byte below the next is a keep-alive's).
    n.flags.fin() || (n.seq == start && s.len > 1)
}

/// Where a segment's bytes start: after its SYN's sequence number, if it has one.
fn data_start(w: &Wire) -> SeqNumber {
    w.seq + u32::from(w.flags.syn())
}

/// The entry for `frame`, if its payload was not taken (`list` in frame order).
pub fn not_taken_at(list: &[NotTaken], frame: u64) -> Option<&NotTaken> {
    list.binary_search_by_key(&frame, |n| n.frame).ok().map(|i| &list[i])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::decode::TcpFlags;

    fn wire(frame: u64, from_client: bool, flags: u16, seq: u32, ack: u32, len: u32, zeros: u8) -> Wire {
        Wire { frame, from_client, flags: TcpFlags(flags), seq: SeqNumber(seq), ack: SeqNumber(ack), len, time_ns: frame as i64, leading_zeros: zeros, trailing_zeros: 0 }
    }
    const ACK: u16 = TcpFlags::ACK;

    #[test]
    fn zeros_sent_again_as_the_same_zeros_are_data() {
        // A 2-byte payload of zeros, lost, then sent again as the same zeros with more after
        // them: a resend, its bytes data.
        let w = [wire(1, true, ACK, 100, 1, 2, 2), wire(2, false, ACK, 1, 100, 0, 0), wire(3, true, ACK, 100, 1, 10, 4), wire(4, false, ACK, 1, 110, 0, 0)];
        assert!(bytes_not_taken(&w).is_empty());
    }

    #[test]
    fn a_probe_byte_of_zero_is_data() {
        // A zero-window probe's one byte (a zero), answered at the same ack; later sent again
        // at the head of a full segment: the same zero, so the byte was data.
        let w = [wire(1, true, ACK, 100, 1, 1, 1), wire(2, false, ACK, 1, 100, 0, 0), wire(3, true, ACK, 100, 1, 1000, 1), wire(4, false, ACK, 1, 1100, 0, 0)];
        assert!(bytes_not_taken(&w).is_empty());
    }

    #[test]
    fn zeros_the_peer_acknowledges_are_data() {
        let w = [wire(1, true, ACK, 100, 1, 2, 2), wire(2, false, ACK, 1, 102, 0, 0), wire(3, true, ACK, 102, 1, 10, 0)];
        assert!(bytes_not_taken(&w).is_empty());
    }

    #[test]
    fn zeros_overwritten_by_other_bytes_are_not_taken() {
        let w = [wire(1, true, ACK, 100, 1, 2, 2), wire(2, true, ACK, 100, 1, 46, 0), wire(3, false, ACK, 1, 146, 0, 0)];
        assert_eq!(bytes_not_taken(&w), vec![NotTaken { frame: 1, len: 2, kept: 0, evidence: NotTakenEvidence::SenderReused { frame: 2, fin: false } }]);
        assert!(new_despite_not_taken(&w, &bytes_not_taken(&w)) == vec![2]);
    }

    #[test]
    fn trailing_zeros_overwritten_are_not_taken_the_bytes_before_are() {
        // Five bytes and a zero (seq 100–105), then the sender's next segment at 105 with other
        // bytes: the zero was padding; a resend of the same zero keeps it data.
        let mut padded = wire(1, false, ACK, 100, 1, 6, 0);
        padded.trailing_zeros = 1;
        let w = [padded, wire(2, true, ACK, 1, 100, 0, 0), wire(3, false, ACK, 105, 1, 271, 0), wire(4, true, ACK, 1, 376, 0, 0)];
        assert_eq!(bytes_not_taken(&w), vec![NotTaken { frame: 1, len: 1, kept: 5, evidence: NotTakenEvidence::SenderReused { frame: 3, fin: false } }]);
        assert_eq!(new_despite_not_taken(&w, &bytes_not_taken(&w)), vec![3]);
        let mut again = w;
        again[2].leading_zeros = 1;
        assert!(bytes_not_taken(&again).is_empty());
        // The peer acknowledged the zero before the sender moved on: data.
        let mut taken = w;
        taken[1].ack = SeqNumber(106);
        assert!(bytes_not_taken(&taken).is_empty());
    }

    #[test]
    fn zeros_like_the_senders_earlier_padding_before_unseen_bytes_are_most_likely_not_taken() {
        // Two pads overwritten by 42-byte records (1/2, 4/5), then a third pad (7) whose record
        // the capture lacks: the peer's ACK goes past both (ack=228).
        let w = [wire(1, true, ACK, 100, 1, 2, 2), wire(2, true, ACK, 100, 1, 42, 0), wire(3, false, ACK, 1, 142, 0, 0), wire(4, true, ACK, 142, 1, 2, 2), wire(5, true, ACK, 142, 1, 42, 0), wire(6, false, ACK, 1, 184, 0, 0), wire(7, true, ACK, 186, 1, 2, 2), wire(8, false, ACK, 1, 228, 0, 0)];
        let mut padded = w;
        padded[6].seq = SeqNumber(184);
        let found = bytes_not_taken(&padded);
        assert_eq!(found.last(), Some(&NotTaken { frame: 7, len: 2, kept: 0, evidence: NotTakenEvidence::LikelyLikeItsEarlier { earlier: 1, count: 2, ack_frame: 8 } }));
        // The bytes after it captured (they start at its end): data.
        let mut seen = padded.to_vec();
        seen.insert(7, wire(9, true, ACK, 186, 1, 42, 0));
        assert!(!bytes_not_taken(&seen).iter().any(|n| n.frame == 7));
        // Only one earlier pad: no habit, data.
        let once = [&padded[3..]].concat();
        assert!(!bytes_not_taken(&once).iter().any(|n| n.frame == 7), "{:?}", bytes_not_taken(&once));
        // The peer's ACK exactly at its end: taken.
        let mut exact = padded;
        exact[7].ack = SeqNumber(186);
        assert!(!bytes_not_taken(&exact).iter().any(|n| n.frame == 7));
    }
}
