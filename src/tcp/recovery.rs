//! Why each resend happened, inferred from the packets as the capture point saw them (issue #23): a
//! sender's kernel decides fast retransmit, tail loss probe or timeout from what it knows; the
//! capture shows only what went by. Each resend gets the kind its evidence points to, the evidence
//! itself, and whether a later ACK shows it was not needed — said as inferred. Read for one
//! connection, its segments in capture order. A segment is a resend when it carries sequence
//! numbers its sender had already sent (data, a SYN or a FIN) — not a keep-alive or a window probe
//! (a byte repeated on purpose), nor a simultaneous open's SYN-ACK (by design).

use serde::Serialize;

use crate::tcp::analysis::AnalysisFlags;
use crate::tcp::handshake_clock::HandshakeClock;
use crate::tcp::sender_clock::{by_sender_clock, late_copy, silence_hearing_nothing, LateCopy};
pub use crate::tcp::loss_probe::ProbeWithNewData;
use crate::tcp::seq::SeqNumber;
use crate::tcp::recovery_sender::Sender;
use crate::tcp::TcpPacket;

pub use super::resend::{NotNeeded, Resend, ResendKind};

mod ack;

/// Duplicate ACKs that start a fast retransmit (RFC 5681's DupThresh).
const DUP_THRESH: u32 = 3;


/// The shortest wait of a tail loss probe (Linux's minimum probe timeout) and of a
/// retransmission timeout (Linux's `TCP_RTO_MIN`; RFC 6298 says one second).
const MIN_PROBE_NS: i64 = 10_000_000;
const MIN_RTO_NS: i64 = 200_000_000;
/// A D-SACK reports a duplicate that has just arrived; resends older than this are not its.
const DSACK_RECENT_NS: i64 = 10_000_000_000;
/// A first resend after a longer silence (twice the old 3 s initial timeout) is no timer's: a first retransmission timeout is
/// about a second (RFC 6298 §2), 200 ms and up on Linux, and only grows by backing off after
/// resends (none here). What starts again at unacknowledged bytes after so long is new sending
/// (an application's next message), so it is left unexplained, said with its silence.
pub const LONGER_THAN_A_FIRST_TIMEOUT_NS: i64 = 6_000_000_000;

/// What the capture says of a connection's loss recovery.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Recovery {
    pub resends: Vec<Resend>,
    pub probes_with_new_data: Vec<ProbeWithNewData>,
    /// Copies of resent bytes that were sent before the resend (older TSval): late, no resend.
    pub late_copies: Vec<LateCopy>,
}

/// The resends of one connection (its segments in capture order), with their inferred kinds,
/// and its tail loss probes that carried new data.
pub fn recovery(packets: &[TcpPacket]) -> Recovery {
    let mut walk = RecoveryWalk::default();
    for (index, p) in packets.iter().enumerate() {
        walk.add(index, p);
    }
    walk.finish()
}

/// The same, a segment at a time (a connection of millions of segments is never held): what
/// it says of a resend's kind is known when the resend is added; whether it was needed, later.
#[derive(Default)]
pub struct RecoveryWalk {
    sides: [Sender; 2],
    out: Vec<Resend>,
    /// The latest time among `out[..=i]`: an ACK looks only at resends recent enough to be
    /// acknowledged too soon (found by bisection), not at every resend so far.
    latest_ns: Vec<i64>,
    probes: Vec<ProbeWithNewData>,
    late: Vec<LateCopy>,
    /// The whole path's round trip, wherever the capture point is: from the SYN to the ACK of
    /// the SYN-ACK (the SYN-ACK's way back and the ACK's way out add up to the rest).
    handshake: HandshakeClock,
    /// Copies of segments captured again: an ACK copy is no duplicate ACK.
    copies: super::copies::CopyWalk,
    /// The segment added last is a copy of one captured before (for the episode walk, which
    /// needs the same answer and so keeps no copy walk of its own).
    last_was_copy: bool,
}

impl RecoveryWalk {
    /// The resends found so far (their `not_needed` may still change), and the late copies.
    pub fn resends(&self) -> &[Resend] {
        &self.out
    }

    pub fn finish(self) -> Recovery {
        Recovery { resends: self.out, probes_with_new_data: self.probes, late_copies: self.late }
    }
    /// Whether the segment added last is a copy of an earlier one ([`super::copies`]).
    pub fn last_was_copy(&self) -> bool {
        self.last_was_copy
    }

    pub fn late_copies(&self) -> &[LateCopy] {
        &self.late
    }

    /// The connection's next segment, `index` from 0.
    pub fn add(&mut self, index: usize, p: &TcpPacket) {
        self.last_was_copy = false;
        if !p.flags_captured() {
            return;
        }
        let me = usize::from(!p.from_client);
        let f = p.segment.flags;
        self.handshake.add(p);
        let copy = self.copies.copy_of(p).is_some();
        self.last_was_copy = copy;
        self.copies.add(p);
        if f.ack() && !f.rst() {
            self.ack(p, me, copy);
        }
        // An RST acknowledging the peer's SYN and nothing more: that connect was refused (R4 M10).
        let peer = &mut self.sides[1 - me];
        if f.rst() && f.ack() && peer.sent_pure_syn && peer.una.is_none() && peer.high == Some(SeqNumber(p.ack)) && peer.refused.is_none() {
            peer.refused = Some((p.frame, p.time_ns));
        }
        peer.syn_again = if f.syn() && !f.ack() && peer.sent_syn_ack { Some((p.frame, p.time_ns)) } else { peer.syn_again };
        // As a send: does it carry sequence numbers sent before?
        let len = p.segment.payload_len + u32::from(f.syn()) + u32::from(f.fin());
        let path_rtt_ns = self.handshake.path_rtt_ns();
        let peer_stamps = self.sides[1 - me].stamps;
        let sender = &mut self.sides[me];
        sender.stamps |= p.segment.options.timestamps.is_some() && !f.syn();
        let start = SeqNumber(p.seq);
        let end = start + len;
        // Keep-alives and window probes repeat a byte on purpose, and a simultaneous open's
        // SYN-ACK repeats its SYN by design (RFC 9293 Figure 7): none recovers a loss.
        let probe = p.analysis.flags.has(AnalysisFlags::KEEP_ALIVE) || p.analysis.flags.has(AnalysisFlags::ZERO_WINDOW_PROBE);
        let simultaneous_syn_ack = f.syn() && f.ack() && sender.sent_pure_syn;
        let tsval = p.segment.options.timestamps.map(|(v, _)| v);
        let mut is_late = false;
        if len > 0 && !f.rst() {
            // A FIN without ACK before the handshake completed is no step of RFC 9293 and
            // repeats nothing (R4b-14).
            let fin_unsynchronized = f.fin() && !f.ack();
            // A FIN at its own SYN's sequence number (relative 0) repeats no byte: it is a FIN
            // in the wrong place, below what the peer expects (R4 M1).
            let own_isn = (sender.sent_pure_syn || sender.sent_syn_ack).then_some(SeqNumber(0));
            let fin_at_syn = f.fin() && p.segment.payload_len == 0 && crate::tcp::seq::below_window_at_own_isn(f.syn(), f.rst(), start, own_isn);
            let resent = sender.high.is_some_and(|high| start.before(high)) && !probe && !simultaneous_syn_ack && !fin_unsynchronized && !fin_at_syn;
            if resent {
                let earlier = sender.sent.iter().rev().find(|&&(_, s, e, ..)| s.at_or_before(start) && start.before(e) || s == start).copied();
                // Sent before the resend captured earlier (an older TSval): the original, late.
                let first_resend = |frame| self.out.iter().rev().find(|r: &&Resend| r.frame == frame).map(|r| r.earlier_frame.is_none() && r.in_stall == 0);
                self.late.extend(earlier.and_then(|(frame, _, _, t, v, _)| late_copy(index, p, (frame, t, v?), first_resend(frame), &sender.clock)));
                is_late = self.late.last().is_some_and(|l| l.index == index);
                let hole_reported = sender.dup_acks >= DUP_THRESH || sender.sacked_above.is_some_and(|s| s.after(start));
                // No copy captured: a resend if it came half a round trip after the bytes
                // beyond it (a resend answering the receiver's report of the hole cannot come
                // sooner); sooner, the network reordered it. With no round trip known, a
                // reported hole decides.
                let passed_at = sender.sent.iter().find(|&&(_, _, e, ..)| e.after(start)).map(|&(_, _, _, t, ..)| t);
                let late = passed_at.zip(path_rtt_ns).is_some_and(|(t, rtt)| p.time_ns.saturating_sub(t) >= rtt / 2);
                if !is_late && (earlier.is_some() || late || (hole_reported && path_rtt_ns.is_none())) {
                    let tail = sender.high.is_some_and(|high| end == high);
                    let head = sender.una.is_none_or(|una| start.at_or_before(una));
                    let capture_silence = sender.last_send_ns.map_or(i64::MAX, |t| p.time_ns.saturating_sub(t));
                    let by_clock = by_sender_clock(&sender.clock, tsval, earlier.and_then(|e| e.4), capture_silence).filter(|_| !sender.sent_unseen);
                    let silence = by_clock.map_or(capture_silence, |b| b.since_last_send_ns);
                    // A copy sooner than half the path's round trip after the earlier one can
                    // answer nothing the receiver said, nor any timer: the same segment captured
                    // twice (seen at two points, or duplicated on the way), even with duplicate
                    // ACKs before it (those are then copies too).
                    // (Before the handshake's round trip is known, within a millisecond.)
                    // A different TSval says the sender stamped it again: a real resend however soon.
                    let soon = earlier.is_some_and(|(_, _, _, t, v, _)| path_rtt_ns.map_or(p.time_ns.saturating_sub(t) < 1_000_000, |rtt| p.time_ns.saturating_sub(t) < (rtt / 2).max(1)) && (v.is_none() || v == tsval));
                    // Another IPv4 identification says it is another datagram, sent again however
                    // soon (R4 F6: zeek_http_206_example_b, ndpi_heuristic_tcp_ack_payload).
                    // The same IPv4 identification (not 0), length and TSval: the same datagram,
                    // however long after (R4b-17: ndpi_rtsp's fourth copy 0.4 ms after the third).
                    let same_datagram = earlier.is_some_and(|(_, s, e, t, v, id)| {
                        id.is_some_and(|id| id != 0) && id == p.segment.ip_id && s == start && e == end && v == tsval && p.time_ns.saturating_sub(t) < 2_000_000_000
                    });
                    let too_soon = same_datagram || (soon && earlier.is_none_or(|e| e.5.is_none() || e.5 == p.segment.ip_id));
                    // Within the resending after a timeout: no timer, probe or report of its own.
                    let after_timeout = sender.after_timeout.filter(|&(_, until)| start.before(until) && silence < MIN_RTO_NS && !soon).map(|(frame, _)| frame);
                    let too_late = sender.timeouts_in_stall == 0 && silence > LONGER_THAN_A_FIRST_TIMEOUT_NS && !hole_reported;
                    // A fast retransmit follows the report within about a round trip (RFC 5681
                    // §3.2); a sender silent past its minimum timer and long after the report
                    // ignored it, and its timer fired (go-back-N resends follow such a timeout).
                    let report_ignored = hole_reported
                        && silence >= MIN_RTO_NS
                        && sender.hole_since_ns.is_some_and(|t| p.time_ns.saturating_sub(t) >= MIN_RTO_NS.max(path_rtt_ns.unwrap_or(0).saturating_mul(2)));
                    let fin_on_ack = f.fin() && p.segment.payload_len == 0 && !f.syn() && sender.peer_data_since_send;
                    // Only the first resend of bytes outstanding at the zero window: a copy of one
                    // sent after it reopened answers something else (R5e F2: timer backoff).
                    let after_withdrawn = sender.withdrawn.and_then(|(zero, reopened, until, _)| {
                        reopened.filter(|&r| start.before(until) && earlier.is_none_or(|e| e.0 < r)).map(|r| (zero, r))
                    });
                    let beyond_offered = sender.withdrawn.and_then(|w| w.3).filter(|_| after_withdrawn.is_some() && !soon).map(|e| e.0);
                    let after_refusal = sender.refused.filter(|_| f.syn() && !f.ack() && !too_soon).map(|(frame, t)| (frame, p.time_ns.saturating_sub(t)));
                    sender.refused = sender.refused.filter(|_| after_refusal.is_none());
                    let answers_syn = sender.syn_again.take().filter(|_| f.syn() && f.ack() && !too_soon).map(|(frame, t)| (frame, p.time_ns.saturating_sub(t)));
                    let fin_alone = f.fin() && p.segment.payload_len == 0; // a timer's, not a probe
                    let (kind, likely) = if after_timeout.is_some() {
                        (ResendKind::Timeout, false)
                    } else if after_withdrawn.is_some() && !soon {
                        // R4b-20: zeek_http_206_example_b, resent from 136936 after frame 216 reopened the window.
                        (ResendKind::Unexplained, false)
                    } else if soon || too_late || fin_on_ack || after_refusal.is_some() || answers_syn.is_some() {
                        (ResendKind::Unexplained, false)
                    } else if report_ignored {
                        (ResendKind::Timeout, true)
                    } else if hole_reported && !f.syn() {
                        (ResendKind::FastRetransmit, earlier.is_none())
                    } else if silence < MIN_PROBE_NS || (silence < MIN_RTO_NS && !(sender.in_stall == 0 && tail && !f.syn() && !fin_alone)) {
                        (ResendKind::Unexplained, false)
                    } else if sender.in_stall == 0 && tail && !f.syn() && !fin_alone {
                        // Only one segment outstanding: a timeout would resend the same one.
                        (ResendKind::TailLossProbe, head || earlier.is_none())
                    } else {
                        (ResendKind::Timeout, !head || earlier.is_none())
                    };
                    self.out.push(Resend {
                        index,
                        frame: p.frame, from_client: p.from_client,
                        seq: p.seq,
                        next_seq: end.0,
                        time_ns: p.time_ns,
                        kind,
                        likely,
                        earlier_frame: earlier.map(|(frame, ..)| frame),
                        since_earlier_ns: earlier.map(|(_, _, _, t, ..)| p.time_ns.saturating_sub(t)),
                        since_last_send_ns: by_clock.map_or(sender.last_send_ns.map_or(0, |t| p.time_ns.saturating_sub(t)), |b| b.since_last_send_ns),
                        by_sender_clock: by_clock,
                        away_from_sender: self.handshake.away_from(p.from_client),
                        stamped: tsval.is_some(),
                        dup_acks: sender.dup_acks,
                        sacked_above: sender.sacked_above.map(|s| s.0),
                        in_stall: sender.in_stall, timeouts_in_stall: sender.timeouts_in_stall,
                        alone: (head && tail && sender.una.is_none_or(|u| end.after(u))).then(|| self.handshake.at(p.from_client)),
                        // Acknowledged before it passed here: the first copy had arrived (R4b-15).
                        not_needed: sender.una.filter(|u| end.at_or_before(*u) && !too_soon).map(|_| NotNeeded::AckedBefore(sender.una_frame)),
                        captured_twice: too_soon,
                        fin_on_ack,
                        // (Only where it came too soon for a resend: every resend is another datagram.)
                        other_datagram: earlier.and_then(|e| e.5).zip(p.segment.ip_id).filter(|(a, b)| soon && a != b),
                        after_timeout, after_unseen: after_timeout.and(sender.after_unseen),
                        after_refusal,
                        answers_syn,
                        before_capture: earlier.is_none() && !sender.sent_pure_syn && !sender.sent_syn_ack && sender.first_seq.is_some_and(|s| start.before(s)),
                        passed_from: earlier.is_none().then(|| sender.sent.iter().filter(|&&(_, s, e, ..)| e.after(start) && s.before(end)).min_by_key(|&&(_, s, ..)| s - start).map(|&(f, s, ..)| (s.0, f))).flatten(),
                        after_withdrawn: after_withdrawn.filter(|_| !soon),
                        beyond_offered, heard_spread: None /* (set by the episode walk) */, new_from: sender.high.filter(|h| h.after(start) && end.after(*h)).map(|h| h.0),
                        tsvals: earlier.and_then(|e| e.4).zip(tsval),
                        carries: match (f.syn(), f.ack(), p.segment.payload_len, f.fin()) {
                            (true, true, 0, _) => "SYN-ACK",
                            (true, false, 0, _) => "SYN",
                            (false, _, 0, true) => "FIN",
                            _ => "data",
                        },
                    });
                    self.latest_ns.push(self.latest_ns.last().map_or(p.time_ns, |&t| t.max(p.time_ns)));
                    // (A resend of what was already acknowledged, a SYN-ACK copy after the ACK, is in no stall: R22-3.)
                    sender.in_stall += u32::from(!too_soon && after_timeout.is_none() && after_refusal.is_none() && after_withdrawn.is_none() && sender.una.is_none_or(|u| end.after(u)));
                    if kind == ResendKind::Timeout && after_timeout.is_none() {
                        sender.timed_out(p.frame, sender.high.unwrap_or(end));
                    }
                }
            }
            let outstanding = sender.una.zip(sender.high).is_some_and(|(una, high)| una.before(high));
            let silent_since = sender.last_send_ns.filter(|&sent| sender.last_ack_ns.is_none_or(|ack| ack < sent));
            if !resent && p.segment.payload_len > 0 && outstanding && sender.in_stall == 0 {
                // Away from the sender, ACKs pass here at other times than they reach it: its own
                // clock tells the wait, an unchanged TSecr that it heard nothing meanwhile.
                // An unchanged TSecr says nothing was heard only if the peer stamps its segments
                // (R4b-23: zeek_tcp_reassembly's server sends none).
                let wait = if self.handshake.away_from(p.from_client) {
                    silence_hearing_nothing(&sender.clock, p.segment.options.timestamps).filter(|_| peer_stamps).zip(path_rtt_ns)
                } else {
                    silent_since.map(|sent| p.time_ns.saturating_sub(sent)).zip(sender.min_rtt_ns)
                };
                // (Saturating: a damaged capture's clock makes absurd round trips.)
                if let Some((silence, _)) = wait.filter(|&(silence, rtt)| silence >= rtt.saturating_mul(2)) {
                    self.probes.push(ProbeWithNewData { index, frame: p.frame, from_client: p.from_client, since_last_send_ns: silence });
                }
            }
            sender.first_seq.get_or_insert(start);
            sender.sent_pure_syn |= f.syn() && !f.ack();
            sender.sent_syn_ack |= f.syn() && f.ack();
            // (A copy captured again is no send: a later resend names the first copy, R30-5.)
            if !is_late && !copy {
                sender.sent.push((p.frame, start, end, p.time_ns, tsval, p.segment.ip_id));
            }
            sender.high = Some(sender.high.map_or(end, |h| h.max(end)));
            sender.forget_long_acknowledged();
        }
        (sender.last_send_ns, sender.sent_unseen) = (Some(p.time_ns), false);
        if !is_late {
            sender.clock.add(p.time_ns, p.segment.options.timestamps);
        }
        sender.peer_data_since_send = false;
        // The peer's data, or its SYN (it too takes sequence space and asks for an ACK).
        if p.segment.payload_len > 0 || f.syn() {
            self.sides[1 - me].peer_data_since_send = true;
        }
    }
}

/// Whether the bytes of resend `i` were sent yet again before the ACK `p` (which may then be
/// that later copy's ACK).
fn resent_again_before(out: &[Resend], i: usize, p: &TcpPacket) -> bool {
    out[i + 1..].iter().any(|r| r.from_client == out[i].from_client && r.seq == out[i].seq && r.time_ns < p.time_ns)
}

/// An ACK's SACK blocks in the relative numbers of the direction it acknowledges.
pub(crate) fn sack_blocks(p: &TcpPacket) -> Vec<(SeqNumber, SeqNumber)> {
    let base = SeqNumber(p.segment.ack) - p.ack;
    p.segment.options.sack_blocks().iter().map(|b| (SeqNumber(SeqNumber(b.left) - base), SeqNumber(SeqNumber(b.right) - base))).collect()
}
