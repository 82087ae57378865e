//! One direction's sending as the recovery walk ([`super::recovery`]) keeps it: what it sent,
//! what came back, and the state of its current stall.

use crate::tcp::sender_clock::SenderClock;
use crate::tcp::seq::SeqNumber;

/// Acknowledged segments kept per side to find the first copy of a needless resend: a walk over
/// millions of segments keeps this many, not all.
const KEEP_ACKED: usize = 4096;
/// Linux's shortest retransmission timeout: a silence on bytes outstanding this long or longer
/// may be a timer's.
const MIN_RTO_NS: i64 = 200_000_000;

/// One direction's sending, as seen so far.
#[derive(Default)]
pub(super) struct Sender {
    /// Segments that took sequence space: (frame, start, end, time, TSval, IPv4 ID); those long acknowledged
    /// are dropped (see [`KEEP_ACKED`]).
    pub(super) sent: Vec<(u64, SeqNumber, SeqNumber, i64, Option<u32>, Option<u16>)>,
    /// Just past the highest byte sent, and the highest cumulative ACK received.
    pub(super) high: Option<SeqNumber>,
    pub(super) una: Option<SeqNumber>,
    pub(super) last_send_ns: Option<i64>,
    /// Since its last segment captured, an ACK showed it sent bytes the capture does not hold:
    /// its clock's last TSval here is not its last send's ([`Sender::delivered_unseen`]).
    pub(super) sent_unseen: bool,
    pub(super) dup_acks: u32,
    pub(super) sacked_above: Option<SeqNumber>,
    /// When the receiver first reported the current hole (the third duplicate ACK, or the
    /// first SACK block above the cumulative ACK).
    pub(super) hole_since_ns: Option<i64>,
    pub(super) in_stall: u32,
    /// Of those, the ones inferred to be a timer's (R5e F2: "resend 51" counted fast retransmits);
    /// a long silence is a timer's backoff only after one (R6c M2: equal 18 s gaps were not).
    pub(super) timeouts_in_stall: u32,
    /// The first sequence number it was seen sending (bytes below it, with no SYN captured,
    /// were first sent before the capture began).
    pub(super) first_seq: Option<SeqNumber>,
    /// After a timeout's resend: its frame and the highest byte sent then (the recovery lasts
    /// until that is acknowledged).
    pub(super) after_timeout: Option<(u64, SeqNumber)>,
    /// `after_timeout`'s frame is an ACK of bytes no captured segment carried, which ended a
    /// silence this long on bytes outstanding: the resending after it followed a segment the
    /// capture lacks, likely a timer's (R26C-3: zeek_tcp_reassembly's ACK 76, 590 ms after the
    /// client's last captured send).
    pub(super) after_unseen: Option<i64>,
    /// The frame whose ACK moved `una` last.
    pub(super) una_frame: u64,
    /// Shortest round trip seen (ACK time minus the time of the segment it acknowledged).
    pub(super) min_rtt_ns: Option<i64>,
    /// When the last ACK from the receiver went by.
    pub(super) last_ack_ns: Option<i64>,
    /// Its TCP timestamp clock (see [`crate::tcp::sender_clock`]).
    pub(super) clock: SenderClock,
    /// It sent a SYN without ACK (its SYN-ACK is then a simultaneous open's), or a SYN-ACK.
    pub(super) sent_pure_syn: bool,
    pub(super) sent_syn_ack: bool,
    /// Its segments carry TCP timestamps (its TSvals are what the peer's TSecr echoes).
    pub(super) stamps: bool,
    /// The peer's data arrived since this side last sent: its next segment answers it.
    pub(super) peer_data_since_send: bool,
    /// The peer refused this side's SYN with an RST that acknowledges it (its frame and time):
    /// the same SYN sent after it is a retried connect, not a resend of a lost SYN.
    pub(super) refused: Option<(u64, i64)>,
    /// The peer's SYN came again after this side's SYN-ACK (its frame and time): this side's
    /// next SYN-ACK answers it (R18-16: a listener answers a repeated SYN with its SYN-ACK).
    pub(super) syn_again: Option<(u64, i64)>,
    /// The receiver advertised a zero window while bytes beyond its ACK were outstanding (that
    /// ACK's frame), the frame that reopened it, the highest byte sent then, and — when those
    /// bytes lay past every window the receiver had offered — the furthest edge it offered:
    /// then the sender sent beyond the window (R5e F1); else the receiver withdrew (shrank,
    /// RFC 9293 §3.8.6.2.2 discourages it) a window it had offered. Either way it may have
    /// dropped those bytes.
    pub(super) withdrawn: Option<(u64, Option<u64>, SeqNumber, Option<SeqNumber>)>,
    /// The furthest right edge (ACK + window, in bytes) the receiver has offered.
    pub(super) offered_edge: Option<SeqNumber>,
}

impl Sender {
    /// An ACK (passing here at `at`) that moves to `ack`, where none of the segments captured
    /// from this sender ends: bytes it sent that the capture does not hold reached the receiver
    /// before it, so the sender was not silent until then (R23C-6: zeek_tcp_reassembly's ACK 76
    /// of 1 448 unseen bytes, 30 ms before frame 77, whose "620 ms of silence" was no timer's).
    pub(super) fn delivered_unseen(&mut self, ack: SeqNumber, at: i64, frame: u64) {
        if !self.sent.iter().any(|&(_, _, e, ..)| e == ack) {
            let silence = self.last_send_ns.map_or(0, |t| at.saturating_sub(t));
            if let Some(high) = self.high.filter(|h| ack.before(*h) && silence >= MIN_RTO_NS) {
                (self.after_timeout, self.after_unseen) = (Some((frame, high)), Some(silence));
            }
            self.last_send_ns = Some(self.last_send_ns.map_or(at, |t| t.max(at)));
            self.sent_unseen = true;
        }
    }

    /// Its timer fired (`frame` the resend): what follows up to `high` is the resending after it.
    pub(super) fn timed_out(&mut self, frame: u64, high: SeqNumber) {
        (self.after_timeout, self.after_unseen) = (Some((frame, high)), None);
        self.timeouts_in_stall += 1;
    }

    /// Drops the oldest acknowledged segments beyond [`KEEP_ACKED`] (unacknowledged ones stay).
    pub(super) fn forget_long_acknowledged(&mut self) {
        if self.sent.len() > 2 * KEEP_ACKED {
            let una = self.una;
            let acked = self.sent.iter().take_while(|&&(_, _, e, ..)| una.is_some_and(|u| e.at_or_before(u))).count();
            let drop = acked.saturating_sub(KEEP_ACKED);
            self.sent.drain(..drop);
        }
    }
}
