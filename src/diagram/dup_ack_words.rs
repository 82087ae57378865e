//! A duplicate ACK among many (R8a-04: drop_mid at the sender, frame 370 "Duplicate ACK #4 …
//! three duplicates usually trigger a fast retransmission", the 104th ACK asking for byte 143353,
//! 31.8 ms after that byte was resent in frame 269). Wireshark numbers only the ACKs with an
//! unchanged window; the words count every ACK that asked for the byte, and say when the byte was
//! already sent again.

use crate::tcp::seq::SeqNumber;
use crate::tcp::TcpPacket;

/// What went by before a duplicate ACK: how many ACKs of its side asked for the same byte, since
/// which frame, and the peer's segment that already sent that byte again.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Asking {
    pub since_frame: u64,
    /// ACKs before this one asking for the byte (the first included).
    pub before: u32,
    pub resent_in: Option<u64>,
    /// The first of the ACKs asking that was the same ACK captured twice (counted by
    /// Wireshark, not here), and how many such copies.
    pub copies: Option<(u64, u32)>,
}

/// Fed a connection's segments in capture order.
#[derive(Debug, Clone, Default)]
pub struct AskingWalk {
    /// Per side (1: the client's ACKs): the ACK asked for, its first frame, how many asked.
    asking: [Option<(u32, u64, u32)>; 2],
    /// Per side: copies of those ACKs captured twice (the first's frame, how many).
    copies: [Option<(u64, u32)>; 2],
    /// Per side (1: the client's data): one past its highest byte, and its latest segments sent
    /// below that (resends), by starting byte.
    highest: [Option<SeqNumber>; 2],
    resent: [Vec<(u32, u64)>; 2],
}

impl AskingWalk {
    /// For an ACK `p` (before [`AskingWalk::add`] takes it): what asked before it.
    pub fn asking(&self, p: &TcpPacket) -> Option<Asking> {
        let me = usize::from(p.from_client);
        let (ack, since, before) = self.asking[me]?;
        (ack == p.ack && p.segment.flags.ack()).then(|| Asking { since_frame: since, before, resent_in: self.resent[1 - me].iter().rev().find(|(seq, _)| *seq == ack).map(|(_, f)| *f), copies: self.copies[me] })
    }

    /// `copy`: `p` is a segment captured twice (`tcp::copies`): no second ACK asking, no resend
    /// (R26C-6: ctu-64702-888's frame 8 is frame 7 again, same IP identification, same time —
    /// "already sent again in frame 8" was false; frame 4 is frame 3 again).
    pub fn add(&mut self, p: &TcpPacket, copy: bool) {
        let me = usize::from(p.from_client);
        if copy {
            if self.asking[me].is_some_and(|(ack, ..)| ack == p.ack) {
                let c = &mut self.copies[me];
                *c = Some(c.map_or((p.frame, 1), |(f, n)| (f, n + 1)));
            }
            return;
        }
        if p.segment.flags.ack() && !p.segment.flags.syn() && !p.segment.flags.rst() {
            self.asking[me] = match self.asking[me] {
                Some((ack, since, n)) if ack == p.ack => Some((ack, since, n + 1)),
                _ => {
                    self.copies[me] = None;
                    Some((p.ack, p.frame, 1))
                }
            };
        }
        let len = p.segment.payload_len;
        if len > 0 {
            let (seq, end) = (SeqNumber(p.seq), SeqNumber(p.seq) + len);
            match self.highest[me] {
                Some(h) if !end.after(h) || !seq.after(h) && seq != h => {
                    if self.resent[me].len() >= 64 {
                        self.resent[me].remove(0);
                    }
                    self.resent[me].push((p.seq, p.frame));
                }
                _ => {}
            }
            self.highest[me] = Some(self.highest[me].map_or(end, |h| if end.after(h) { end } else { h }));
        }
    }
}

/// The words when they say more than Wireshark's number: the count differs from it, or the byte
/// was already resent.
pub fn sentence(p: &TcpPacket, a: &Asking) -> Option<String> {
    let num = p.analysis.dup_ack_num;
    let nth = a.before + 1;
    // (R21-5, R23D-15: ACKs whose SACK blocks are all D-SACKs answer a copy, not a hole.)
    let blocks = p.segment.options.sack_blocks();
    let dsack_only = !blocks.is_empty() && blocks.iter().all(|b| !SeqNumber(b.right).after(SeqNumber(p.segment.ack)));
    if a.resent_in.is_none() && nth == num + 1 && !dsack_only {
        return None;
    }
    let count = if let Some((copy, n)) = a.copies.filter(|&(_, n)| nth + n == num + 1) {
        let and = if n == 1 { format!("frame {copy}") } else { format!("{n} copies, the first frame {copy}") };
        format!(" (Wireshark also counts {and}, the same ACK captured twice): the {} ACK asking for byte {}, counting frame {}", ordinal(nth), p.ack, a.since_frame)
    } else if nth != num + 1 {
        format!(" (Wireshark numbers only those with an unchanged window): the {} ACK asking for byte {}, counting frame {}", ordinal(nth), p.ack, a.since_frame)
    } else {
        format!(": the receiver still asks for byte {}", p.ack)
    };
    let state = match a.resent_in {
        _ if dsack_only => ": its SACK blocks are D-SACKs, below the ACK — it reports a copy that arrived twice, not a hole, and RFC 6675 counts no such ACK toward a fast retransmit".to_string(),
        Some(f) => format!(", which was already sent again in frame {f}: the repair is on its way, and ACKs sent before it arrived keep asking"),
        None if nth <= 4 => ", so the receiver is still waiting for it; three duplicates usually trigger a fast retransmission".to_string(),
        // Far past three: a sender resends once the first reach it, so its resend may be on the way.
        None => ", so the receiver is still waiting for it; a sender resends once the first three reach it (a fast retransmit), so that resend may already be on its way".to_string(),
    };
    Some(format!("Duplicate ACK #{num} of frame {}{count}{state}.", p.analysis.dup_ack_of))
}

fn ordinal(n: u32) -> String {
    let suffix = match (n % 10, n % 100) {
        (_, 11..=13) => "th",
        (1, _) => "st",
        (2, _) => "nd",
        (3, _) => "rd",
        _ => "th",
    };
    format!("{n}{suffix}")
}
