//! Per-direction state of the sequence analysis (Wireshark's `tcp_analyze_seq_flow_info_t` and
//! the analysis fields of `tcp_flow_t`).

use crate::tcp::seq::SeqNumber;

/// A segment sent but not yet acknowledged (Wireshark's `tcp_unacked_t`).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Unacked {
    pub frame: u64,
    pub seq: SeqNumber,
    pub nextseq: SeqNumber,
    pub time_ns: i64,
}

/// "Not seen yet" for `nextseq`, `maxseqtobeacked` and `lastack` (see [`FlowAnalysis`]).
pub(crate) const UNSEEN: SeqNumber = SeqNumber(0);

/// Wireshark tracks at most this many unacknowledged segments per direction.
pub(crate) const MAX_UNACKED: usize = 10_000;

/// Invariant, as in Wireshark: a sequence number of 0 means "not seen yet" (Wireshark uses the
/// same sentinel, and matching it keeps our flags identical on the rare ISN of 0). The sequence
/// and acknowledgement numbers here are raw.
#[derive(Debug, Clone, Default)]
pub(crate) struct FlowAnalysis {
    /// Highest next sequence number sent (seq + len, + 1 for SYN/FIN).
    pub nextseq: SeqNumber,
    pub nextseq_frame: u64,
    pub nextseq_time_ns: i64,
    /// Highest sequence number of contiguous data, to detect ACKs of unseen segments.
    pub maxseqtobeacked: SeqNumber,
    /// Last acknowledgement number this direction sent, and when.
    pub lastack: SeqNumber,
    pub lastack_time_ns: i64,
    /// Frame of the last ACK that was not a duplicate, and how many duplicates followed it.
    pub lastnondupack: u64,
    pub dupacknum: u32,
    /// Last window this direction advertised (scaled).
    pub window: u32,
    /// Analysis flags of this direction's last segment (for keep-alive and probe ACKs).
    pub last_segment_flags: u16,
    /// Payload length of this direction's last segment.
    pub last_len: u32,
    /// When this direction first sent a FIN.
    pub first_fin_time_ns: Option<i64>,
    /// Unacknowledged segments, oldest first.
    pub unacked: Vec<Unacked>,
    /// Lowest `seq` and highest `nextseq` of `unacked` (None when it is empty), kept in step
    /// with it.
    pub unacked_span: Option<(SeqNumber, SeqNumber)>,
    /// Bytes in flight can be computed (no segment lost since the last ACK from the peer).
    pub valid_bif: bool,
    /// Bytes the SACK blocks of this direction's latest segment cover (Wireshark subtracts
    /// them from the other side's bytes in flight).
    pub sacked_bytes: u32,
}

impl FlowAnalysis {
    /// A direction before its first segment. Bytes in flight count from the start (Wireshark
    /// sets `valid_bif` when it creates the conversation; a lost segment clears it until the
    /// peer's next ACK).
    pub fn new() -> Self {
        FlowAnalysis { valid_bif: true, ..Default::default() }
    }
}
