//! Each endpoint's RFC 9293 states from what the capture proves, not from capture order.
//!
//! A capture is one observer's view: two segments that cross in the network are in the file in
//! the order they passed the capture point, which need not be the order either endpoint saw
//! them. What an endpoint had received when it sent a segment is in that segment's ACK field
//! (RCV.NXT). So each endpoint is replayed on its own: its own sends happen where the file has
//! them, and a segment of its peer is received no earlier than the file has it and after every
//! segment of its own that shows it had not yet been received (an ACK field short of a SYN or
//! FIN, a SYN sent again, a FIN sent again, any segment sent after an RST). A SYN or FIN that the
//! endpoint's later ACK fields never cover was not processed (out of order, or not acceptable);
//! one that no later segment could confirm (the endpoint fell silent) is inferred.

use serde::Serialize;

use crate::decode::TcpFlags;
use crate::tcp::seq::SeqNumber;
use crate::tcp::TcpPacket;

use super::state::TcpState;

/// The few fields of a segment the replay needs (so a long connection is replayed without
/// making full segments).
#[derive(Debug, Clone, Copy)]
pub struct Wire {
    pub frame: u64,
    pub from_client: bool,
    pub flags: TcpFlags,
    /// Raw sequence and acknowledgement numbers.
    pub seq: SeqNumber,
    pub ack: SeqNumber,
    /// Its payload's length by its IP header: with the bytes it claims past a frame recorded
    /// short (`TcpSegment::beyond_frame`), which Wireshark's `tcp.len` leaves out.
    pub len: u32,
    /// When it passed the capture point (whether two segments can have crossed).
    pub time_ns: i64,
    /// How many of its payload's first bytes are zero, as captured (up to 255; 7 or more from a
    /// packed record, which saturates there).
    pub leading_zeros: u8,
    /// How many of its payload's last bytes are zero, as captured in full (0 if cut short; 7 or
    /// more from a packed record).
    pub trailing_zeros: u8,
}

impl Wire {
    pub fn of(p: &TcpPacket) -> Self {
        Wire { frame: p.frame, from_client: p.from_client, flags: p.segment.flags, seq: SeqNumber(p.segment.seq), ack: SeqNumber(p.segment.ack), len: p.segment.payload_len, time_ns: p.time_ns, leading_zeros: p.segment.leading_zeros, trailing_zeros: p.segment.trailing_zeros }
    }

    /// Sequence number just past this segment (its SYN and FIN count one each).
    pub fn end(&self) -> SeqNumber {
        self.seq + self.len + u32::from(self.flags.syn()) + u32::from(self.flags.fin())
    }

    pub(super) fn acks(&self, end: SeqNumber) -> bool {
        self.flags.ack() && self.ack.at_or_after(end)
    }

    /// RFC 9293 §3.10.7.3: in SYN-SENT an ACK is acceptable if SND.UNA < SEG.ACK =< SND.NXT,
    /// i.e. it acknowledges the SYN and at most the data the SYN carried (TCP Fast Open).
    pub(super) fn acks_syn_of(&self, syn: &Wire) -> bool {
        self.flags.ack() && self.ack.at_or_after(syn.seq + 1) && syn.end().at_or_after(self.ack)
    }

    pub(super) fn pure_syn(&self) -> bool {
        self.flags.syn() && !self.flags.ack()
    }
}

/// Why the capture says an endpoint entered a state.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Evidence {
    /// The endpoint sent the segment that made it so.
    Sent,
    /// It received the segment, and a later segment of its own acknowledges it (`by`).
    Acknowledged,
    /// Caused by an ACK or RST it received: taken to happen on arrival (nothing acknowledges
    /// an ACK, so nothing later can confirm it).
    Arrival,
    /// Caused by the FIN of a segment that repeats a FIN (and any bytes) the peer had sent
    /// before: the endpoint's later ACK covers the first copy too, so its arrival is assumed.
    ArrivalOfRepeat,
    /// Caused by the ACK field of a segment whose FIN or bytes repeat what the peer had sent
    /// before (R43-1: zeek_http_get-gzip frame 12, a FIN sent again with the first ACK of the
    /// server's FIN): nothing acknowledges an ACK, and a later ACK of the repeated part covers
    /// its first copy too, so its arrival is assumed.
    AckOnRepeat,
    /// It answered a SYN, so it was listening before that SYN arrived.
    Answered,
    /// Inferred: the endpoint sent nothing afterwards that could confirm it received the SYN or
    /// FIN (the capture ends, or it fell silent).
    Unconfirmed,
    /// Inferred: the capture starts in the middle of the connection.
    BeforeCapture,
}

/// One state an endpoint entered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StateChange {
    pub state: TcpState,
    /// Where it is drawn: the frame of the cause, or a later frame the endpoint sent before it
    /// can have received the cause (its arrival is then after that frame).
    pub frame: u64,
    /// The segment that caused it.
    pub cause: u64,
    pub evidence: Evidence,
    /// The endpoint's own segment whose ACK field proves the cause was received.
    pub by: Option<u64>,
    /// Why it is drawn at a later frame than its cause (`None` when `frame == cause`).
    pub later: Option<Later>,
}

/// Why a state is drawn at a later frame than its cause ([`super::crossing`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case", tag = "why")]
pub enum Later {
    /// The endpoint's segment left before the cause could reach it: it passed here first.
    Crossed,
    /// The endpoint's segment passed `gap_ns` after the cause, sooner than the quickest it
    /// answered anything from here (`quickest_ns`): it had not acted on the cause, but whether
    /// the two crossed or the cause had arrived and was waiting to be taken in does not show
    /// (R26B-2: ipv6-hop-by-hop's FIN 8 µs behind the data, the ACK of the data 65 µs after it,
    /// captured beside the receiver, whose quickest answer is 73 µs).
    TooSoon { gap_ns: i64, quickest_ns: i64 },
    /// The cause is a FIN and the endpoint's segment still acknowledged below its first byte:
    /// bytes sent before it were missing, and a FIN is processed only after every byte before
    /// it (RFC 9293 §3.10.7.4; R11b-10, ctu-64702-888 frame 5). `filler`: the peer's first
    /// segment captured after the FIN that carries the first missing byte.
    HoleBelow { filler: Option<u64> },
    /// The endpoint's segment passed `gap_ns` after the cause, more than twice the quickest it
    /// acknowledged anything from here (`quickest_ns`) and a millisecond: the cause had reached
    /// it (unless lost after the capture point) and was not taken (R13b-2: zeek_tcp_reassembly's
    /// FIN beyond a hole, 3.25 s; a SYN-ACK lost on the way, its SYN sent again 2 s later).
    NotTaken { gap_ns: i64, quickest_ns: i64 },
    /// Between the two: the endpoint's segment passed `gap_ns` after the cause, longer than its
    /// quickest answer from here (`quickest_ns`): they crossed only if the cause was slower on
    /// its way than that round trip; else the endpoint had it and had not acted on it yet
    /// (R23C-7: zeek_tcp_rst-inject-rae's data 2.253 ms after the RST, quickest 1.625 ms).
    Unprocessed { gap_ns: i64, quickest_ns: i64 },
}

impl StateChange {
    /// The capture cannot decide it; it is shown as inferred.
    pub fn inferred(&self) -> bool {
        matches!(self.evidence, Evidence::Unconfirmed | Evidence::BeforeCapture)
    }

    /// The endpoint entered it by sending (the label goes at the arrow's tail).
    pub fn by_sending(&self) -> bool {
        self.evidence == Evidence::Sent
    }
}

/// A segment that changed nothing for its receiver, and why (for the explanations).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Ignored {
    pub frame: u64,
    /// The endpoint that ignored it (true: the client).
    pub client: bool,
    pub reason: IgnoredReason,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IgnoredReason {
    /// An RST in SYN-SENT whose ACK is not the SYN's ISN + 1 (RFC 9293 §3.10.7.3).
    RstBadAck,
    /// A SYN or FIN its receiver's later ACKs never cover: not processed (out of order, lost
    /// after the capture point, or below the receive window).
    NotAcknowledged,
    /// A FIN sent before the connection was synchronized (not an RFC 9293 transition).
    FinBeforeSynchronized,
    /// Its receiver's next segment was an RST (frame; whether it has the ACK flag) not
    /// covering it: with ACK, reset before it was taken in; without, no connection for it.
    AnsweredWithRst(u64, bool),
    /// A segment without SYN at its sender's ISN: below the receive window (RCV.NXT is at least
    /// ISN + 1), so not acceptable and dropped, its ACK and FIN unprocessed (RFC 9293 §3.10.7.4).
    BelowWindow,
    /// An RST that acknowledges this side's SYN, after which it sent the same SYN again (same
    /// ISN, that frame): the attempt went on in SYN-SENT, not to CLOSED (R27D-2: ndpi_rtsp
    /// stream 4, a Windows client retrying a refused connect 505 ms later).
    RetriedSyn(u64),
}

/// Both endpoints' states, and where a received segment arrived later than its row.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EndpointStates {
    /// Client, then server.
    pub sides: [Vec<StateChange>; 2],
    /// (frame, after_frame): the segment `frame` was received after its receiver sent
    /// `after_frame` (crossing segments); the picture draws its head below that send.
    pub late_arrivals: Vec<(u64, u64)>,
    pub ignored: Vec<Ignored>,
}

impl EndpointStates {
    pub fn side(&self, client: bool) -> &[StateChange] {
        &self.sides[usize::from(!client)]
    }

    /// The frame after which segment `frame` was received, when later than its own row.
    pub fn arrives_after(&self, frame: u64) -> Option<u64> {
        self.late_arrivals.iter().find(|(f, _)| *f == frame).map(|(_, a)| *a)
    }

    pub fn ignored_at(&self, frame: u64) -> impl Iterator<Item = &Ignored> {
        self.ignored.iter().filter(move |i| i.frame == frame)
    }
}
