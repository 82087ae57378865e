//! The per-segment checks, in the order and with the precedence of Wireshark 4.0's
//! `tcp_analyze_sequence_number`. Each check's comment names the flag it sets.

use crate::tcp::seq::SeqNumber;

use super::flags::AnalysisFlags as F;
use super::flow::{FlowAnalysis, Unacked, MAX_UNACKED, UNSEEN};

/// What the analysis needs to know of one segment.
#[derive(Debug, Clone, Copy)]
pub(crate) struct SegmentInput {
    pub frame: u64,
    pub time_ns: i64,
    /// Raw sequence and acknowledgement numbers.
    pub seq: SeqNumber,
    pub ack: SeqNumber,
    pub len: u32,
    pub syn: bool,
    pub fin: bool,
    pub rst: bool,
    pub ack_flag: bool,
    /// The window as Wireshark compares it: scaled when the scale is known.
    pub window: u32,
    /// The receiver's window-scale state is known (Wireshark: `rev->win_scale != -1`).
    pub rev_scale_known: bool,
    /// Initial RTT of the connection, if the handshake gave one (0 = unknown).
    pub irtt_ns: i64,
    /// Bytes the segment's SACK blocks cover (`None`: no SACK option).
    pub sacked_bytes: Option<u32>,
}

/// What the analysis found for one segment.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SegmentAnalysis {
    pub flags: super::AnalysisFlags,
    /// For a duplicate ACK: its number in the run, and the frame of the ACK it duplicates.
    pub dup_ack_num: u32,
    pub dup_ack_of: u64,
    /// The data segment this segment's ACK acknowledges exactly, and the RTT to it.
    pub acked_frame: u64,
    pub ack_rtt_ns: i64,
    /// Unacknowledged bytes in this direction after this segment (0 = not computed).
    pub bytes_in_flight: u32,
}

/// Wireshark's fast-retransmission window after the last duplicate ACK.
const FAST_RETRANSMIT_WINDOW_NS: i64 = 20_000_000;
/// Out-of-order threshold when the handshake gave no initial RTT.
const DEFAULT_OUT_OF_ORDER_NS: i64 = 3_000_000;

pub(crate) fn analyze_segment(s: &SegmentInput, fwd: &mut FlowAnalysis, rev: &mut FlowAnalysis) -> SegmentAnalysis {
    let mut out = SegmentAnalysis::default();
    let f = &mut out.flags;
    let control = s.syn || s.fin || s.rst;
    if s.ack_flag {
        rev.valid_bif = true;
    }

    'fwd: {
        // zero_window_probe: one byte at the next expected sequence number into a zero window.
        if s.len == 1 && s.seq == fwd.nextseq && rev.window == 0 {
            f.set(F::ZERO_WINDOW_PROBE);
            break 'fwd;
        }
        // zero_window: the sender advertises no room (control segments excepted).
        if s.window == 0 && !control {
            f.set(F::ZERO_WINDOW);
        }
        // lost_segment: this segment starts beyond everything seen so far.
        if fwd.nextseq != UNSEEN && s.seq.after(fwd.nextseq) && !s.rst {
            f.set(F::LOST_SEGMENT);
            fwd.valid_bif = false;
        }
        // keep_alive: zero or one byte, one before the next expected sequence number.
        if s.len <= 1 && s.seq == fwd.nextseq - 1 && !control {
            f.set(F::KEEP_ALIVE);
            if rev.window == 0 && rev.nextseq != UNSEEN {
                f.set(F::INTO_CLOSED_WINDOW);
            }
        }
        // window_update: no data, same seq/ack as before, a new non-zero window.
        if s.len == 0 && s.window != 0 && s.window != fwd.window && s.seq == fwd.nextseq && s.ack == fwd.lastack && !control {
            f.set(F::WINDOW_UPDATE);
        }
        // window_full: the data reaches exactly the edge of the receiver's window.
        if s.len > 0 && s.rev_scale_known && s.seq + s.len == rev.lastack + rev.window && !control {
            f.set(F::WINDOW_FULL);
        }
        let repeats_ack = s.len == 0 && s.seq == fwd.nextseq && !control;
        // keep_alive_ack: repeats the previous ACK right after the peer's keep-alive.
        if repeats_ack && s.window != 0 && s.window == fwd.window && s.ack == fwd.lastack && rev.last_segment_flags & F::KEEP_ALIVE != 0 {
            f.set(F::KEEP_ALIVE_ACK);
            break 'fwd;
        }
        // zero_window_probe_ack: repeats the zero window right after the peer's probe.
        if repeats_ack
            && s.window == 0
            && s.window == fwd.window
            && (s.ack == fwd.lastack || s.ack == fwd.lastack + 1)
            && rev.last_segment_flags & F::ZERO_WINDOW_PROBE != 0
        {
            f.set(F::ZERO_WINDOW_PROBE_ACK);
            break 'fwd;
        }
        // duplicate_ack: nothing new at all: no data, same seq, ack and window.
        if repeats_ack && s.window != 0 && s.window == fwd.window && s.ack == fwd.lastack {
            fwd.dupacknum += 1;
            f.set(F::DUPLICATE_ACK);
            out.dup_ack_num = fwd.dupacknum;
            out.dup_ack_of = fwd.lastnondupack;
        }
    }

    // A new acknowledgement number ends a run of duplicate ACKs.
    if s.ack != fwd.lastack {
        fwd.lastnondupack = s.frame;
        fwd.dupacknum = 0;
    }

    // ack_lost_segment: acknowledges data the other direction was never seen sending.
    if rev.maxseqtobeacked != UNSEEN && s.ack.after(rev.maxseqtobeacked) && s.ack_flag {
        f.set(F::ACK_LOST_SEGMENT);
        rev.maxseqtobeacked = rev.nextseq;
    }

    if s.len > 0 || s.syn || s.fin {
        classify_retransmission(s, fwd, rev, f);
    }

    // Remember the segment until it is acknowledged.
    let nextseq = s.seq + s.len + u32::from(s.syn || s.fin);
    if (s.len > 0 || s.syn || s.fin) && fwd.unacked.len() < MAX_UNACKED {
        fwd.unacked.push(Unacked { frame: s.frame, seq: s.seq, nextseq, time_ns: s.time_ns });
        fwd.unacked_span = Some(match fwd.unacked_span {
            None => (s.seq, nextseq),
            Some(span) => extend_span(span, s.seq, nextseq),
        });
    }
    let probe = f.has(F::ZERO_WINDOW_PROBE);
    // A zero-window probe does not advance the next expected sequence number.
    if (nextseq.after(fwd.nextseq) || fwd.nextseq == UNSEEN) && !probe {
        fwd.nextseq = nextseq;
        fwd.nextseq_frame = s.frame;
        fwd.nextseq_time_ns = s.time_ns;
    }
    if (s.seq == fwd.maxseqtobeacked || fwd.maxseqtobeacked == UNSEEN) && !probe {
        fwd.maxseqtobeacked = fwd.nextseq;
    }
    if s.fin && fwd.first_fin_time_ns.is_none() {
        fwd.first_fin_time_ns = Some(s.time_ns);
    }
    fwd.last_len = s.len;
    fwd.window = s.window;
    fwd.lastack = s.ack;
    fwd.lastack_time_ns = s.time_ns;
    fwd.last_segment_flags = f.0;

    acknowledge(s, rev, &mut out);
    out.bytes_in_flight = bytes_in_flight(s, fwd, rev.sacked_bytes);
    // Wireshark reads the SACK option after the analysis: this segment's blocks (or none)
    // count for the other side's segments until this side's next segment.
    fwd.sacked_bytes = s.sacked_bytes.unwrap_or(0);
    out
}

/// Retransmission family, in tshark 4.0's order: spurious, fast, out-of-order, plain.
/// (Measured against the oracle: older 3.x code checked spurious after out-of-order.)
fn classify_retransmission(s: &SegmentInput, fwd: &FlowAnalysis, rev: &FlowAnalysis, f: &mut super::AnalysisFlags) {
    if f.has(F::KEEP_ALIVE) {
        return;
    }
    let mut seq_not_advanced = fwd.nextseq != UNSEEN && s.seq.before(fwd.nextseq);
    // New data right after a one-byte probe is not a retransmission.
    if s.len > 1 && fwd.nextseq - 1 == s.seq {
        seq_not_advanced = false;
    }
    // spurious_retransmission: everything in it was already acknowledged.
    if s.len > 0 && rev.lastack != UNSEEN && (s.seq + s.len).at_or_before(rev.lastack) {
        f.set(F::SPURIOUS_RETRANSMISSION);
        return;
    }
    if !seq_not_advanced {
        return;
    }
    // fast_retransmission: answers two or more duplicate ACKs within 20 ms.
    let since_ack = (s.time_ns - rev.lastack_time_ns).max(0);
    // tshark 4.0.17 also calls a repeated bare FIN fast when, after the first FIN, the peer
    // sent data that still did not acknowledge it (found by deleting frames from
    // zeek_tcp_reassembly.pcap and re-running tshark 4.0.17).
    let fin_ignored_by_data = s.len == 0
        && s.fin
        && rev.last_len > 0
        && fwd.first_fin_time_ns.is_some_and(|t| rev.lastack_time_ns > t);
    let dup_acks_seen = rev.dupacknum >= 2 || fin_ignored_by_data;
    if dup_acks_seen && rev.lastack == s.seq && since_ack < FAST_RETRANSMIT_WINDOW_NS {
        f.set(F::FAST_RETRANSMISSION);
        return;
    }
    // out_of_order: arrives soon after the highest segment and does not end where it ends.
    let since_highest = s.time_ns - fwd.nextseq_time_ns;
    let threshold = if s.irtt_ns > 0 { s.irtt_ns } else { DEFAULT_OUT_OF_ORDER_NS };
    let end = s.seq + s.len + u32::from(s.syn || s.fin);
    if since_highest < threshold && fwd.nextseq != end {
        f.set(F::OUT_OF_ORDER);
        return;
    }
    f.set(F::RETRANSMISSION);
}

/// Drops the other direction's segments this ACK covers; an exact match gives the ACK's RTT.
/// One pass (Wireshark walks its list newest first, so among several exact matches the oldest
/// one names the acknowledged frame, as here).
fn acknowledge(s: &SegmentInput, rev: &mut FlowAnalysis, out: &mut SegmentAnalysis) {
    let mut exact: Option<Unacked> = None;
    // The span of what is kept, folded in the same pass (see `bytes_in_flight`).
    let mut span: Option<(SeqNumber, SeqNumber)> = None;
    rev.unacked.retain_mut(|u| {
        let keep = if s.ack == u.nextseq {
            if exact.is_none() {
                exact = Some(*u);
            }
            false
        } else if s.ack.after(u.seq) && s.ack.at_or_before(u.nextseq) {
            // Partly acknowledged: keep the rest.
            u.seq = s.ack;
            true
        } else {
            // Acknowledged entirely (remove), or not at all (keep).
            u.nextseq.after(s.ack)
        };
        if keep {
            span = Some(span.map_or((u.seq, u.nextseq), |span| extend_span(span, u.seq, u.nextseq)));
        }
        keep
    });
    rev.unacked_span = span;
    // A side whose FIN is acknowledged rarely sends again: give its list's memory back (a
    // capture of a million short connections keeps a million closed ones).
    if rev.unacked.is_empty() && rev.first_fin_time_ns.is_some() && rev.unacked.capacity() > 0 {
        rev.unacked = Vec::new();
    }
    if let Some(u) = exact {
        out.acked_frame = u.frame;
        out.ack_rtt_ns = s.time_ns - u.time_ns;
    }
}

/// One more segment in the fold that gives the span of unacknowledged data: the lowest `seq`
/// and the highest `nextseq` in sequence space, folded oldest first (as Wireshark's walk).
fn extend_span((first, last): (SeqNumber, SeqNumber), seq: SeqNumber, nextseq: SeqNumber) -> (SeqNumber, SeqNumber) {
    (seq.min(first), nextseq.max(last))
}

/// Span of this direction's unacknowledged data after a segment with payload, less what the
/// other side's latest SACK blocks cover, less one for a SYN or FIN (it occupies a sequence
/// number but is no byte) — Wireshark 4.0's payload-based count.
fn bytes_in_flight(s: &SegmentInput, fwd: &FlowAnalysis, sacked: u32) -> u32 {
    if s.len == 0 || !fwd.valid_bif || fwd.unacked.is_empty() {
        return 0;
    }
    // Kept up to date as segments are added and acknowledged, instead of a walk of the whole
    // list for every data segment (the walk dominated bulk transfers with many in flight).
    let (first, last) = fwd.unacked_span.unwrap_or((UNSEEN, UNSEEN));
    // In debug builds (every `cargo test` over the captures) the kept span is checked against
    // the walk it replaces.
    debug_assert_eq!(
        fwd.unacked_span,
        fwd.unacked.iter().map(|u| (u.seq, u.nextseq)).reduce(|span, (seq, next)| extend_span(span, seq, next)),
        "unacknowledged span out of step with the list"
    );
    let in_flight = (last - first).wrapping_sub(sacked);
    if in_flight > 0 && in_flight < 2_000_000_000 {
        in_flight - u32::from(s.syn || s.fin)
    } else {
        0
    }
}
