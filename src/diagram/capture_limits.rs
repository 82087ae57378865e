//! What the capture itself leaves unknown or shows late, said as such (issue #23; a reviewer's
//! R1 F15, F22, F27, R2 F15, F24): a TCP header cut by the snap length (its fields are not
//! zeros, they are unknown), a window field whose scale factor the capture never saw (a field
//! value, not a byte count), a gap whose bytes pass the capture point a few frames later (not
//! "never captured"), and an ACK of bytes the capture does not hold (they reached the peer, so
//! the capture missed them: not "lost before the capture point").

use crate::tcp::seq::SeqNumber;
use crate::tcp::{ScaleFactor, TcpPacket};

fn who(from_client: bool) -> &'static str {
    if from_client {
        "client"
    } else {
        "server"
    }
}

/// How many bytes of its TCP header the frame holds (all of them unless the snap length cut it).
pub fn tcp_header_bytes(p: &TcpPacket) -> u32 {
    let header_len = u32::from(p.segment.header_len);
    if !p.segment.truncated {
        return header_len;
    }
    let header_at = u32::from(p.segment.payload_at).saturating_sub(header_len);
    p.cap_len.saturating_sub(header_at).min(header_len)
}

/// For a frame whose TCP header the snap length cut before its flags: what is known and what is
/// not, in place of an explanation built from bytes that are not in the file.
pub fn cut_header_sentence(p: &TcpPacket) -> Option<String> {
    let held = tcp_header_bytes(p);
    if p.flags_captured() {
        return None;
    }
    let known = match held {
        0..=3 => "not even both ports",
        4..=7 => "the ports only",
        8..=11 => "the ports and the sequence number only",
        _ => "the ports, the sequence and acknowledgement numbers only",
    };
    Some(format!(
        "The capture kept only {} bytes of this frame, as its snap length allowed: the TCP header is cut after {held} of its bytes — {known}. Its flags, window and options (and whatever follows) were not captured, so what this segment does (SYN, FIN, ACK, data, a window) cannot be told from the file.",
        p.cap_len
    ))
}

/// The window sentence: bytes when the scale is known (or none applies), the raw field when the
/// capture never saw the SYN that set the scale (RFC 7323 §2.2: the field counts in units of
/// 2^shift bytes), nothing when the field was not captured. The window is its sender's (`me`):
/// how much more it can receive, whatever the segment carries.
pub fn window_words(p: &TcpPacket, me: &str) -> Option<String> {
    if !p.window_captured() {
        return Some("Its window field was not captured (snap length).".to_string());
    }
    Some(match p.scale_factor {
        // Zero is zero whatever the scale (R4 F3).
        ScaleFactor::Unknown if p.segment.window == 0 => format!("Window: 0 — the {me} can receive nothing now (a zero window is zero whatever its scale factor, which the capture does not show)."),
        ScaleFactor::Unknown => format!(
            "Window field {} (its scale factor is unknown: the handshake that set it is not in the capture, so the window in bytes — {} × 2^scale — is not known).",
            p.segment.window, p.segment.window
        ),
        // RFC 7323 §2.2: scaling holds once both SYNs went by; a segment without ACK was sent
        // before its sender had the peer's SYN (R6b-F1: zeek_tcp_fin_retransmission frame 2).
        _ if !p.segment.flags.ack() && !p.segment.flags.syn() && p.segment.window != 0 => format!(
            "Window: {} — sent before the {me} had the peer's SYN (no ACK), so window scaling is not yet in force and this is the plain byte count.",
            p.segment.window
        ),
        _ => format!("Window: the {me} can still receive {} bytes.", p.window),
    })
}

/// Bytes missing before a segment flagged "previous segment not captured" that pass the capture
/// point later in the capture (a late original or a resend): the first missing byte, the last,
/// and the frame that brings the first of them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LateGap {
    pub first: u32,
    pub last: u32,
    pub frame: u64,
}

/// The holes [`SeenBytes`] keeps per side.
const HOLES_KEPT: usize = 16;

/// What the capture holds of each side's bytes, walked in capture order.
#[derive(Debug, Default, Clone)]
pub struct SeenBytes {
    /// Each side's (client, server) highest sequence number seen, one past its last byte.
    end: [Option<SeqNumber>; 2],
    /// Each side's bytes below its `end` that no segment held yet (start, one past the end), the
    /// latest [`HOLES_KEPT`] (R20C-12: zeek_tcp_reassembly's 15571–16298, below frame 62's
    /// 19126–19421 and never captured).
    holes: [Vec<(SeqNumber, SeqNumber)>; 2],
    /// The highest ACK of each side's bytes seen so far (from the other side).
    acked: [Option<SeqNumber>; 2],
    /// Each side has sent a SYN the capture holds.
    syn: [bool; 2],
}

impl SeenBytes {
    fn side(from_client: bool) -> usize {
        usize::from(!from_client)
    }

    pub fn add(&mut self, p: &TcpPacket) {
        let me = Self::side(p.from_client);
        let f = p.segment.flags;
        self.syn[me] |= f.syn();
        let peer = Self::side(!p.from_client);
        if f.ack() && self.acked[peer].is_none_or(|a| SeqNumber(p.ack).after(a)) {
            self.acked[peer] = Some(SeqNumber(p.ack));
        }
        if p.segment.payload_len == 0 && !f.syn() && !f.fin() {
            return;
        }
        let end = SeqNumber(p.next_seq());
        let start = SeqNumber(p.seq);
        let holes = &mut self.holes[me];
        // (Rebuilt only when this segment fills some of a hole: most fill none.)
        if holes.iter().any(|&(a, b)| start.before(b) && end.after(a)) {
            let mut kept = Vec::with_capacity(holes.len() + 1);
            for &(a, b) in holes.iter() {
                if !start.before(b) || !end.after(a) {
                    kept.push((a, b));
                    continue;
                }
                if a.before(start) {
                    kept.push((a, start));
                }
                if end.before(b) {
                    kept.push((end, b));
                }
            }
            *holes = kept;
        }
        if let Some(e) = self.end[me].filter(|e| start.after(*e)) {
            if holes.len() == HOLES_KEPT {
                holes.remove(0);
            }
            holes.push((e, start));
        }
        if self.end[me].is_none_or(|e| end.after(e)) {
            self.end[me] = Some(end);
        }
    }

    /// The peer of `p`'s sender has sent nothing the capture holds beyond `p`'s ACK: a
    /// duplicate of that ACK then reports no hole (R4 M5: the closing side's last ACK).
    pub fn nothing_beyond_ack(&self, p: &TcpPacket) -> bool {
        self.end[Self::side(!p.from_client)].is_some_and(|e| e.at_or_before(SeqNumber(p.ack)))
    }

    /// Where the gap before `p` starts: one past everything seen from its side.
    pub fn gap_start(&self, p: &TcpPacket) -> Option<u32> {
        self.end[Self::side(p.from_client)].filter(|e| SeqNumber(p.seq).after(*e)).map(|e| e.0)
    }

    /// For an ACK Wireshark flags as acknowledging unseen data: which bytes the capture does not
    /// hold, or that it holds them after all (Wireshark also flags ACKs over bytes it saw
    /// only in an unusual order or shape).
    pub fn unseen_ack_sentence(&self, p: &TcpPacket) -> Option<String> {
        if !p.segment.flags.ack() {
            return None;
        }
        let peer = Self::side(!p.from_client);
        let ack = SeqNumber(p.ack);
        let me = who(p.from_client);
        let peer_name = who(!p.from_client);
        let Some(end) = self.end[peer] else {
            return Some(format!(
                "It acknowledges the {peer_name}'s bytes up to {}, none of which the capture holds (the capture started after they were sent, or missed them).",
                (ack - 1).0
            ));
        };
        // The first bytes below the ACK, above the side's previous ACK, that no segment held.
        let before = self.acked[peer];
        let missing = self.holes[peer].iter().filter(|(a, b)| a.before(ack) && before.is_none_or(|x| b.after(x))).max_by_key(|(a, _)| end.0.wrapping_sub(a.0));
        if let (false, Some(&(a, b))) = (ack.after(end), missing) {
            let last = if b.before(ack) { b } else { ack };
            return Some(format!(
                "It acknowledges the {peer_name}'s bytes {} to {} ({} bytes), which the capture does not hold, though it holds later ones: an ACK means they reached the {me}, so they went by without being captured (the capture dropped them, or they took a path it does not see).",
                a.0,
                (last - 1).0,
                last - a
            ));
        }
        if !ack.after(end) {
            return Some(format!(
                "Wireshark marks it as acknowledging a segment it did not see, but the {peer_name}'s sequence numbers up to {} did pass the capture point.",
                (ack - 1).0
            ));
        }
        let late = if self.syn[peer] { "" } else { ", or the capture started after they were sent" };
        Some(format!(
            "It acknowledges the {peer_name}'s bytes {} to {} ({} bytes), which the capture does not hold: an ACK means they reached the {me}, so they went by without being captured (the capture dropped them, or they took a path it does not see{late}).",
            end.0,
            (ack - 1).0,
            ack - end
        ))
    }
}

/// Per side (client, server): the first ACK of the other side that covers bytes of this side's
/// the capture does not hold, above bytes it does — they arrived, so this capture misses
/// datagrams that passed it (or that took a path it does not see): a copy not in the capture
/// need not have been lost before it (R26C-4: zeek_tcp_reassembly's frame 70).
pub fn capture_drops(packets: &[TcpPacket]) -> [Option<u64>; 2] {
    let mut seen = SeenBytes::default();
    let mut out = [None; 2];
    for p in packets {
        if p.analysis.flags.has(crate::tcp::analysis::AnalysisFlags::ACK_LOST_SEGMENT) && p.segment.flags.ack() {
            let peer = SeenBytes::side(!p.from_client);
            let ack = SeqNumber(p.ack);
            let before = seen.acked[peer];
            let hole = seen.holes[peer].iter().any(|(a, b)| a.before(ack) && before.is_none_or(|x| b.after(x)));
            if seen.end[peer].is_some_and(|end| ack.after(end) || hole) {
                out[peer].get_or_insert(p.frame);
            }
        }
        seen.add(p);
    }
    out
}

/// For each segment flagged "previous segment not captured" whose missing bytes pass the capture
/// point later: its index and the [`LateGap`]. Looks ahead at most `LOOK_AHEAD` segments per gap.
pub fn late_gaps(packets: &[TcpPacket]) -> Vec<(usize, LateGap)> {
    const LOOK_AHEAD: usize = 20_000;
    let mut seen = SeenBytes::default();
    let mut out = Vec::new();
    for (i, p) in packets.iter().enumerate() {
        if p.analysis.flags.has(crate::tcp::analysis::AnalysisFlags::LOST_SEGMENT) {
            if let Some(first) = seen.gap_start(p) {
                let filler = packets[i + 1..].iter().take(LOOK_AHEAD).find(|q| {
                    q.from_client == p.from_client && q.segment.payload_len > 0 && SeqNumber(q.seq).at_or_before(SeqNumber(first)) && (SeqNumber(q.seq) + q.segment.payload_len).after(SeqNumber(first))
                });
                if let Some(q) = filler {
                    out.push((i, LateGap { first, last: (SeqNumber(p.seq) - 1).0, frame: q.frame }));
                }
            }
        }
        seen.add(p);
    }
    out
}

/// The words for a gap whose bytes come later (`drops`: the capture misses datagrams of this
/// sender that arrived, the first ACK that shows it: an earlier copy may have gone by, R26C-4).
pub fn late_gap_sentence(g: &LateGap, drops: Option<u64>) -> String {
    if let Some(ack) = drops {
        return format!(
            "Gap before it: bytes {} to {} are not in the capture yet — they are later, in frame {} (a late original or a resend); a copy may have gone by uncaptured before (this capture misses datagrams of this sender that arrived: frame {ack} acknowledges bytes it does not hold).",
            g.first, g.last, g.frame
        );
    }
    format!(
        "Gap before it: bytes {} to {} have not passed the capture point yet — they do later, in frame {} (a late original or a resend); the capture holds them.",
        g.first, g.last, g.frame
    )
}

/// Per side (client, server): how many more bytes the peer's highest ACK acknowledges than the
/// capture holds from that side (at least: bytes held but not yet acknowledged only lower it),
/// with that ACK as a relative number. The wires hold raw numbers: relative 1 is the byte after
/// the side's SYN, or, without it, its first segment's sequence number or the peer's first ACK,
/// whichever came first (as tshark numbers them); a FIN the ACK covers is one number, no byte.
pub fn delivered_unseen(wires: &[crate::tcp::lifecycle::Wire]) -> [(u64, u32); 2] {
    let mut out = [(0, 0); 2];
    for (side, slot) in out.iter_mut().enumerate() {
        let from_client = side == 0;
        let mine = || wires.iter().filter(|w| w.from_client == from_client);
        if mine().next().is_none() {
            continue;
        }
        // Without its SYN, tshark counts from whichever came first: this side's first segment
        // or the peer's first ACK of it.
        let first = wires.iter().find(|w| w.from_client == from_client || (w.flags.ack() && !w.flags.rst())).map(|w| if w.from_client == from_client { w.seq } else { w.ack });
        let Some(one) = mine().find(|w| w.flags.syn()).map(|syn| syn.seq + 1).or(first) else { continue };
        let top = wires.iter().filter(|w| w.from_client != from_client && w.flags.ack() && !w.flags.rst()).map(|w| w.ack).reduce(|a, b| if b.after(a) { b } else { a });
        let Some(top) = top.filter(|t| t.after(one)) else { continue };
        let fin_covered = mine().any(|w| w.flags.fin() && top.after(w.seq + w.len));
        let span = u64::from((top - one).min(1 << 30)).saturating_sub(u64::from(fin_covered));
        // The captured bytes inside the acknowledged span only (R23C-1: zerowindowrecovery's
        // 2 920 captured bytes lay above ack=8761, and "at least 5 840" was 8 760 exactly).
        let mut inside: Vec<(u32, u32)> = mine()
            // (A SYN's data starts one past its sequence number, R24-3: zeek_tcp_tcp-fast-open.)
            .map(|w| (w.seq + u32::from(w.flags.syn()), w.len))
            .filter(|&(seq, len)| len > 0 && (seq + len).after(one) && seq.before(top))
            .map(|(seq, len)| (if seq.before(one) { 0 } else { seq - one }, if (seq + len).after(top) { top - one } else { (seq + len) - one }))
            .collect();
        inside.sort_unstable();
        let (mut held, mut reach) = (0u64, 0u32);
        for (a, b) in inside {
            let a = a.max(reach);
            if b > a {
                held += u64::from(b - a);
                reach = b;
            }
        }
        let unseen = span.saturating_sub(held);
        if unseen > 0 {
            *slot = (unseen, (top - one).wrapping_add(1));
        }
    }
    out
}
