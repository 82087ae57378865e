//! A connection that reuses the addresses and ports of an earlier one in the capture (issue
//! #23, RFC 6191): the side that closed the earlier connection first holds the pair in TIME-WAIT
//! (2×MSL), and RFC 6191 (after RFC 1122 §4.2.2.13) lets it take a new SYN only if that SYN
//! cannot be mistaken for the old connection: its timestamp newer than the old connection's
//! (when both use timestamps), else its ISN above the old connection's last sequence number.
//! Here the facts to say whether that held: the old connection's last sequence number and
//! TSval of the new SYN's sender, who closed first, and the new SYN's ISN and TSval — all from
//! the packets, as raw (absolute) numbers a reader can find in the capture.

use serde::Serialize;

use super::seq::SeqNumber;
use super::sender_clock::ticks_after;
use super::TcpPacket;

/// The earlier connection on the same pair, against the SYN that reused it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct PortReuse {
    /// The earlier connection (`tcp.stream`) and its last frame.
    pub old_stream: u32,
    pub old_last_frame: u64,
    /// From the old connection's last segment to the new SYN.
    pub since_old_ns: i64,
    /// The new SYN: its frame, and whether its sender is this connection's client.
    pub syn_frame: u64,
    /// Just past the highest sequence number the SYN's sender used in the old connection
    /// (its FIN included), raw; and the new SYN's ISN, raw.
    pub old_next_seq: Option<u32>,
    pub isn: u32,
    /// The highest TSval the SYN's sender used in the old connection, and the new SYN's.
    pub old_tsval: Option<u32>,
    pub tsval: Option<u32>,
    /// Who sent the old connection's first FIN (`Some(true)`: the SYN's sender): that side
    /// closed first and waits in TIME-WAIT. `None`: no FIN (an RST, or still open).
    pub syn_sender_closed_first: Option<bool>,
    /// The old connection ended with an RST (no TIME-WAIT then).
    pub old_reset: bool,
    /// The answer to the new SYN in this connection: a SYN-ACK acknowledging it, or an RST.
    pub answered_by: Option<(u64, bool)>,
}

impl PortReuse {
    /// With timestamps on both: RFC 6191's test is the TSval (strictly newer).
    pub fn tsval_newer(&self) -> Option<bool> {
        Some(ticks_after(self.tsval?, self.old_tsval?) > 0)
    }

    /// The ISN above the old connection's last sequence number (modulo 2³²).
    pub fn isn_above(&self) -> Option<bool> {
        Some(SeqNumber(self.isn).after(SeqNumber(self.old_next_seq?)))
    }

    /// Whether RFC 6191's condition held: by the timestamps when both carry them, else by the ISN.
    pub fn condition_held(&self) -> Option<bool> {
        self.tsval_newer().or_else(|| self.isn_above())
    }
}

/// The facts for `new` (this connection's segments, its first the reusing SYN) against `old`
/// (the earlier connection `old_stream`'s segments). `None` unless `new` starts with a SYN.
pub fn port_reuse(old_stream: u32, old: impl Iterator<Item = TcpPacket>, mut new: impl Iterator<Item = TcpPacket>) -> Option<PortReuse> {
    let syn = new.find(|p| p.segment.flags.syn() && !p.segment.flags.ack())?;
    let sender = (syn.segment.src, syn.segment.src_port);
    let (mut old_next_seq, mut old_tsval, mut first_fin, mut old_reset, mut last) = (None::<SeqNumber>, None::<u32>, None, false, None);
    for p in old {
        let f = p.segment.flags;
        let mine = (p.segment.src, p.segment.src_port) == sender;
        last = Some((p.frame, p.time_ns));
        old_reset |= f.rst();
        if f.fin() && first_fin.is_none() {
            first_fin = Some(mine);
        }
        if mine && !f.rst() {
            let end = SeqNumber(p.segment.seq) + (p.segment.payload_len + u32::from(f.syn()) + u32::from(f.fin()));
            old_next_seq = Some(old_next_seq.map_or(end, |h| h.max(end)));
            if let Some((v, _)) = p.segment.options.timestamps {
                old_tsval = Some(old_tsval.map_or(v, |h| if ticks_after(v, h) > 0 { v } else { h }));
            }
        }
    }
    let (old_last_frame, old_last_ns) = last?;
    let answered_by = new
        .find(|p| (p.segment.dst, p.segment.dst_port) == sender && (p.segment.flags.rst() || p.segment.flags.syn()) && p.segment.flags.ack() && p.segment.ack == syn.segment.seq.wrapping_add(1))
        .map(|p| (p.frame, p.segment.flags.rst()));
    Some(PortReuse {
        old_stream,
        old_last_frame,
        since_old_ns: syn.time_ns - old_last_ns,
        syn_frame: syn.frame,
        old_next_seq: old_next_seq.map(|s| s.0),
        isn: syn.segment.seq,
        old_tsval,
        tsval: syn.segment.options.timestamps.map(|(v, _)| v),
        syn_sender_closed_first: first_fin,
        old_reset,
        answered_by,
    })
}
