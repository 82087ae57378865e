//! One resend as the recovery walk ([`super::recovery`]) infers it: its kind, its evidence and
//! whether a later ACK showed it was not needed — the facts every sentence about it is made of.

use serde::Serialize;

use crate::tcp::sender_clock::BySenderClock;

/// What the packets say made the sender send bytes again.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ResendKind {
    /// The receiver reported a hole before it was resent: duplicate ACKs, or SACK blocks above
    /// the resent bytes (RFC 5681 / RFC 6675; Linux's RACK, RFC 8985, acts on the same SACKs).
    FastRetransmit,
    /// The first resend of a stall, of the last segment sent, with no report of a hole: a tail
    /// loss probe (RFC 8985 §7) — or a timeout, which would resend the same segment when it is
    /// the only one outstanding.
    TailLossProbe,
    /// A resend after silence with no report of a hole, of the first unacknowledged bytes (or a
    /// later resend in the same stall: the timer backs off).
    Timeout,
    /// Sooner than any timer (a probe waits ≥ 10 ms, a timeout ≥ 200 ms on Linux) and with no
    /// hole reported: the capture does not show why — within a millisecond, most likely the
    /// same segment captured twice.
    Unexplained,
}

/// How a later ACK shows the resend was not needed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum NotNeeded {
    /// The receiver's D-SACK (RFC 2883) reported these bytes as arriving twice (frame given).
    DSack(u64),
    /// An ACK covering them came back sooner after the resend than any round trip: the
    /// original's ACK was already on its way (frame given).
    AckTooSoon(u64),
    /// The receiver had acknowledged them before this resend passed the capture point (frame
    /// given): the first copy had arrived; the ACK had not reached the sender yet.
    AckedBefore(u64),
    /// An ACK covering them echoes the first copy's TSval, not the resend's (RFC 7323; the
    /// Eifel test, RFC 3522): the first copy had arrived (frame given).
    EchoedOriginal(u64),
}

/// One resend with its inferred cause and the evidence for it.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Resend {
    /// Its index in the connection and its frame.
    pub index: usize,
    pub frame: u64,
    /// Its sender, the sequence numbers it carries (relative) and when it went by.
    pub from_client: bool,
    pub seq: u32,
    pub next_seq: u32,
    pub time_ns: i64,
    pub kind: ResendKind,
    /// The same packets could mean another kind (a tail loss probe of the only segment
    /// outstanding looks like a timeout).
    pub likely: bool,
    /// The latest earlier copy of these bytes: its frame and how long before (`None`: no copy
    /// passed the capture point — lost before it — though later bytes did, so these had been
    /// sent).
    pub earlier_frame: Option<u64>,
    pub since_earlier_ns: Option<i64>,
    /// Silence before it: time since the sender's previous segment (by the sender's own clock
    /// when `by_sender_clock` is set: the path bunched the segments together).
    pub since_last_send_ns: i64,
    pub by_sender_clock: Option<BySenderClock>,
    /// The capture point is away from this sender (by the handshake): when it sent, and what
    /// it had heard by then, is not what passed here; and whether it carries TSval (which dates it).
    pub away_from_sender: bool,
    pub stamped: bool,
    /// Duplicate ACKs of the first unacknowledged byte, and the highest SACKed byte above it,
    /// received before the resend.
    pub dup_acks: u32,
    pub sacked_above: Option<u32>,
    /// Resends earlier in the same stall (0 for the first): a timeout's backoff.
    pub in_stall: u32,
    /// Of those, the ones inferred to be a retransmission timer's.
    pub timeouts_in_stall: u32,
    pub not_needed: Option<NotNeeded>,
    /// Sooner than half the path's round trip after the earlier copy: no answer to anything and
    /// no timer, so most likely the same segment captured twice (seen at two points, or
    /// duplicated on the way). Not a resend of the sender's: it starts no recovery, counts in
    /// no stall and no D-SACK is pinned on it.
    pub captured_twice: bool,
    /// What it carries: "data", or the SYN, SYN-ACK or FIN alone (a handshake's or a close's
    /// copy, not data's).
    pub carries: &'static str,
    /// A FIN alone, sent again on an ACK of the peer's data that passed just before: the FIN is
    /// not yet acknowledged, so each segment the side sends carries it — no timer, no probe.
    pub fin_on_ack: bool,
    /// Sent too soon after the earlier copy for any resend, yet another datagram: the IPv4
    /// identifications of the earlier copy and of this one (they differ), so not one packet
    /// captured twice.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub other_datagram: Option<(u16, u16)>,
    /// Sent while the sender was resending after a timeout (that timeout's resend frame): once
    /// its timer fires a sender resends every unacknowledged segment as ACKs let it, so this
    /// one needs no timer, probe or report of its own.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub after_timeout: Option<u64>,
    /// With `after_timeout`: that frame is an ACK of bytes the capture does not hold, which
    /// ended this long a silence on bytes outstanding — the resending follows a segment the
    /// capture lacks, likely sent by the timer (R26C-3).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub after_unseen: Option<i64>,
    /// A SYN sent again after the peer refused the earlier one with RST: that RST's frame and
    /// the time since it. A retried connect (some stacks retry a refused connect after about
    /// half a second), not a resend of a lost SYN.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub after_refusal: Option<(u64, i64)>,
    /// A SYN-ACK sent again after the peer's SYN came again: that SYN's frame and the time
    /// since it. The answer to the repeated SYN (Linux's listener sends its SYN-ACK again for
    /// each), not a timer's resend (R18-16).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub answers_syn: Option<(u64, i64)>,
    /// No copy captured, and the bytes lie below the first its sender was seen sending in a
    /// capture without its SYN: the first copy was sent before the capture began (R6c F2).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub before_capture: bool,
    /// No copy of its first byte captured, but a later part of it was (the first byte an
    /// earlier segment here carried, and that segment's frame): R23C-10, zeek_tcp_reassembly's
    /// frame 112, whose bytes 32306–33121 had passed in frames 108 and 110.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub passed_from: Option<(u32, u64)>,
    /// It was the only segment outstanding as seen here (unacknowledged, the first and the last
    /// sent): a tail loss probe and a timeout resend the same one. `Some(true)`: the capture is
    /// at the sender, so it was there too; `Some(false)`: what the sender had heard does not
    /// show from here (R23D-2/9, R24-2, R25-1/5).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub alone: Option<bool>,
    /// Sent again after the receiver withdrew its window: the ACK that advertised zero while
    /// these bytes were beyond it, and the one that reopened it. A receiver that shrinks its
    /// window may drop what lay beyond; the sender resends from the first unacknowledged byte.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub after_withdrawn: Option<(u64, u64)>,
    /// With `after_withdrawn`: the receiver never offered a window reaching these bytes (the
    /// furthest ACK + window it had advertised, relative): the sender had sent them beyond
    /// the window, and a receiver drops what lies outside it (RFC 9293 §3.10.7.4).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub beyond_offered: Option<u32>,
    /// Where its bytes never sent before begin, when it carries some after the resent ones
    /// (relative; R20D-20: ndpi_heuristic stream 5's frame 292, 132 bytes again and 423 new).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub new_from: Option<u32>,
    /// The first resend of an episode, away from its sender, after reports of the hole that
    /// passed here too close together to estimate how many had reached the sender (set by the
    /// episode walk, [`crate::tcp::recovery_episodes`]).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub heard_spread: Option<crate::tcp::heard_before_resend::HeardSpread>,
    /// The TSvals of the earlier copy and of this one (for the Eifel test).
    #[serde(skip)]
    pub tsvals: Option<(u32, u32)>,
}

