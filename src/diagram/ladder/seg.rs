//! What the layout keeps of every segment of a connection (`Seg`), so that only the arrows
//! drawn are made from full segments.

use crate::tcp::analysis::AnalysisFlags;
use crate::tcp::{TcpPacket, Timed};

/// What the layout needs of every segment of a connection: 48 bytes (41 of fields, padded to
/// the 8-byte alignment of its 64-bit fields; the same in wasm32; the states are replayed by
/// the connection, `Connection::states`). Full segments are made
/// only for the arrows drawn, so a connection of millions of segments, nearly all of them in
/// collapsed runs, is laid out without making millions of full segments.
#[derive(Debug, Clone, Copy)]
pub(super) struct Seg {
    pub(super) frame: u64,
    pub(super) time_ns: i64,
    pub(super) payload_len: u32,
    pub(super) flags: crate::decode::TcpFlags,
    pub(super) analysis: AnalysisFlags,
    pub(super) from_client: bool,
    /// Wireshark's ACK RTT when it acknowledges a data segment exactly (capture point).
    pub(super) ack_rtt_ns: Option<i64>,
}

impl Seg {
    pub(super) fn of(p: &TcpPacket) -> Self {
        Seg {
            frame: p.frame,
            time_ns: p.time_ns,
            payload_len: p.segment.payload_len,
            flags: p.segment.flags,
            analysis: p.analysis.flags,
            from_client: p.from_client,
            ack_rtt_ns: (p.analysis.acked_frame > 0).then_some(p.analysis.ack_rtt_ns),
        }
    }

    pub(super) fn timed(&self) -> Timed {
        Timed { from_client: self.from_client, flags: self.flags, time_ns: self.time_ns, ack_rtt_ns: self.ack_rtt_ns }
    }

    /// Its arrow carries analysis tags.
    pub(super) fn tagged(&self) -> bool {
        !self.analysis.is_empty()
    }
}

