//! An ACK on its way to the data's sender, as the congestion walk (`congestion.rs`) applies it
//! there once it has arrived: what it says, read once, as it passed the capture point.

use super::seq::SeqNumber;
use super::{ScaleFactor, TcpPacket};

/// An ACK on its way to the data's sender: it counts there from `due_ns` (capture time).
pub(super) struct AckInTransit {
    pub(super) due_ns: i64,
    pub(super) seen_ns: i64,
    pub(super) ack: SeqNumber,
    /// Its window in bytes; `Some(None)`: a window of unknown scale (a field, not bytes: it
    /// limits nothing known, R4b-24), which ends what earlier ones said; `None`: not captured.
    pub(super) window: Option<Option<u32>>,
    /// The bytes its SACK blocks report above its cumulative ACK.
    pub(super) sacked: u64,
    /// It is the first ECE echoing a mark not yet answered (a SYN's ECE negotiates, it echoes
    /// nothing; the echoes after the first repeat it until the sender's CWR).
    pub(super) new_echo: bool,
    pub(super) frame: u64,
    /// Its TSval: once the sender echoes it (or a later one) the ACK had reached it; while the
    /// sender echoes an earlier one, it had not (RFC 7323 §4.3).
    pub(super) tsval: Option<u32>,
    /// Its own raw sequence number, and whether it carried no data: a sender takes a TSval
    /// into its echo only from a segment at or below what it had acknowledged (RFC 7323 §4.3).
    pub(super) raw_seq: u32,
    pub(super) pure: bool,
}

impl AckInTransit {
    /// `p` as an ACK of the other side's data, reaching that side at `due_ns`. An ECE is a new
    /// echo when it acknowledges past the sender's last CWR segment (`cwr_end`) and no echo went
    /// by since that CWR (`echo_since_cwr`) — decided as the capture point saw echo and CWR.
    pub(super) fn of(p: &TcpPacket, due_ns: i64, cwr_end: Option<SeqNumber>, echo_since_cwr: Option<u64>) -> Self {
        let (f, ack) = (p.segment.flags, SeqNumber(p.ack));
        let known_scale = p.scale_factor != ScaleFactor::Unknown || p.window == 0;
        AckInTransit {
            due_ns,
            seen_ns: p.time_ns,
            ack,
            window: p.window_captured().then(|| known_scale.then_some(p.window)),
            sacked: sacked_above(p, ack),
            new_echo: f.has(crate::decode::TcpFlags::ECE) && !f.syn() && cwr_end.is_none_or(|c| ack.after(c)) && echo_since_cwr.is_none(),
            frame: p.frame,
            tsval: p.segment.options.timestamps.map(|(v, _)| v),
            raw_seq: p.segment.seq,
            pure: p.segment.payload_len == 0,
        }
    }

    /// Reached the sender by `now_ns`, whose segment then echoed `echo` (its TSecr): the echo
    /// decides where it can (an echo older than this ACK's TSval: not yet; a newer one:
    /// already — R17b-13, zeek_tcp_timestamp's frames 358 and 359 echo one TSval, 0.1 ms
    /// apart: one round at the sender however the ACKs passed here), the due time elsewhere.
    /// (`echo`: the sender's TSecr and the raw ACK field of that segment; an older echo says
    /// "not yet" only of a pure ACK at the sequence number the sender was acknowledging, whose
    /// TSval it would have taken.)
    pub(super) fn reached_sender(&self, now_ns: i64, echo: Option<(u32, u32)>) -> bool {
        match (echo, self.tsval) {
            (Some((e, acked)), Some(v)) if crate::tcp::seq::lt(e, v) && self.pure && self.raw_seq == acked => false,
            (Some((e, _)), Some(v)) if crate::tcp::seq::lt(v, e) => true,
            _ => self.due_ns <= now_ns,
        }
    }
}

/// The bytes an ACK's SACK blocks report above its cumulative ACK (relative numbers of the
/// direction it acknowledges).
fn sacked_above(p: &TcpPacket, ack: SeqNumber) -> u64 {
    let base = SeqNumber(p.segment.ack) - p.ack;
    let blocks = p.segment.options.sack_blocks();
    blocks.iter().map(|b| (SeqNumber(SeqNumber(b.left) - base), SeqNumber(SeqNumber(b.right) - base))).filter(|&(l, r)| l.after(ack) && r.after(l)).map(|(l, r)| u64::from(r - l)).sum()
}
