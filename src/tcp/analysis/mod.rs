//! Wireshark's TCP sequence analysis (`tcp_analyze_sequence_number` in `packet-tcp.c`, 4.0
//! branch, which made the oracles): one pass, each segment judged against what this direction
//! and the other have sent so far. Absolute sequence numbers, compared modulo 2^32.

mod flags;
mod flow;
mod sequence;

pub use flags::AnalysisFlags;
pub(crate) use flow::FlowAnalysis;
pub use sequence::SegmentAnalysis;
pub(crate) use sequence::{analyze_segment, SegmentInput};
