//! How a segment is stored: a packed record of the fields that cannot be derived. The
//! addresses come from the connection (the client's or the server's, by direction), options
//! other than timestamps (MSS, window scale, SACK: a few segments per connection) live in a
//! side table, and frame numbers are 32-bit. [`TcpPacket`] is the full view, made on demand.

use std::net::IpAddr;

use super::analysis::{AnalysisFlags, SegmentAnalysis};
use super::packet::{ScaleFactor, TcpPacket};
use crate::decode::{TcpFlags, TcpOptions, TcpSegment};

const FROM_CLIENT: u8 = 1;
const TRUNCATED: u8 = 2;
const HAS_TIMESTAMPS: u8 = 4;
/// The options are in the side table.
const OTHER_OPTIONS: u8 = 8;

const SCALE_NOT_APPLICABLE: u32 = u32::MAX;
const SCALE_UNKNOWN: u32 = u32::MAX - 1;
const SCALE_NONE: u32 = u32::MAX - 2;

#[derive(Debug, Clone, Copy)]
pub struct PackedPacket {
    time_ns: i64,
    data_offset: u64,
    ack_rtt_ns: i64,
    frame: u32,
    stream: u32,
    raw_seq: u32,
    raw_ack: u32,
    seq: u32,
    ack: u32,
    window: u32,
    payload_len: u32,
    cap_len: u32,
    scale: u32,
    dup_ack_num: u32,
    dup_ack_of: u32,
    acked_frame: u32,
    bytes_in_flight: u32,
    ts_val: u32,
    ts_ecr: u32,
    src_port: u16,
    dst_port: u16,
    flags: u16,
    raw_window: u16,
    analysis_flags: u16,
    link_type: u16,
    payload_at: u16,
    header_len: u8,
    bits: u8,
}

/// Frame numbers past 2³² do not occur in a file a browser can open; saturate rather than wrap.
fn narrow(frame: u64) -> u32 {
    u32::try_from(frame).unwrap_or(u32::MAX)
}

impl PackedPacket {
    /// Packs `p`; its options go to `side` (as the entry for `index`) unless they are only
    /// timestamps or nothing.
    pub fn pack(p: &TcpPacket, index: u32, side: &mut Vec<(u32, TcpOptions)>) -> Self {
        let s = &p.segment;
        let o = &s.options;
        let only_timestamps = *o == TcpOptions { timestamps: o.timestamps, ..TcpOptions::default() };
        let mut bits = 0;
        if p.from_client {
            bits |= FROM_CLIENT;
        }
        if s.truncated {
            bits |= TRUNCATED;
        }
        if o.timestamps.is_some() {
            bits |= HAS_TIMESTAMPS;
        }
        if !only_timestamps {
            bits |= OTHER_OPTIONS;
            side.push((index, *o));
        }
        let (ts_val, ts_ecr) = o.timestamps.unwrap_or((0, 0));
        let a = &p.analysis;
        PackedPacket {
            time_ns: p.time_ns,
            data_offset: p.data_offset,
            ack_rtt_ns: a.ack_rtt_ns,
            frame: narrow(p.frame),
            stream: p.stream,
            raw_seq: s.seq,
            raw_ack: s.ack,
            seq: p.seq,
            ack: p.ack,
            window: p.window,
            payload_len: s.payload_len,
            cap_len: p.cap_len,
            scale: match p.scale_factor {
                ScaleFactor::NotApplicable => SCALE_NOT_APPLICABLE,
                ScaleFactor::Unknown => SCALE_UNKNOWN,
                ScaleFactor::NoScaling => SCALE_NONE,
                ScaleFactor::Factor(f) => f,
            },
            dup_ack_num: a.dup_ack_num,
            dup_ack_of: narrow(a.dup_ack_of),
            acked_frame: narrow(a.acked_frame),
            bytes_in_flight: a.bytes_in_flight,
            ts_val,
            ts_ecr,
            src_port: s.src_port,
            dst_port: s.dst_port,
            flags: s.flags.0,
            raw_window: s.window,
            analysis_flags: a.flags.0,
            link_type: p.link_type,
            payload_at: s.payload_at,
            header_len: s.header_len,
            bits,
        }
    }

    pub fn stream(&self) -> u32 {
        self.stream
    }

    pub fn frame(&self) -> u64 {
        u64::from(self.frame)
    }

    /// The full segment. `addrs` are the connection's (client, server) addresses; `side` is
    /// the options table `pack` filled.
    pub fn unpack(&self, index: u32, addrs: (IpAddr, IpAddr), side: &[(u32, TcpOptions)]) -> TcpPacket {
        let from_client = self.bits & FROM_CLIENT != 0;
        let (src, dst) = if from_client { addrs } else { (addrs.1, addrs.0) };
        let options = if self.bits & OTHER_OPTIONS != 0 {
            side.binary_search_by_key(&index, |(i, _)| *i).map(|at| side[at].1).unwrap_or_default()
        } else {
            TcpOptions {
                timestamps: (self.bits & HAS_TIMESTAMPS != 0).then_some((self.ts_val, self.ts_ecr)),
                ..TcpOptions::default()
            }
        };
        TcpPacket {
            frame: u64::from(self.frame),
            time_ns: self.time_ns,
            stream: self.stream,
            from_client,
            segment: TcpSegment {
                src,
                dst,
                src_port: self.src_port,
                dst_port: self.dst_port,
                seq: self.raw_seq,
                ack: self.raw_ack,
                flags: TcpFlags(self.flags),
                window: self.raw_window,
                payload_len: self.payload_len,
                header_len: self.header_len,
                options,
                truncated: self.bits & TRUNCATED != 0,
                payload_at: self.payload_at,
            },
            seq: self.seq,
            ack: self.ack,
            window: self.window,
            scale_factor: match self.scale {
                SCALE_NOT_APPLICABLE => ScaleFactor::NotApplicable,
                SCALE_UNKNOWN => ScaleFactor::Unknown,
                SCALE_NONE => ScaleFactor::NoScaling,
                f => ScaleFactor::Factor(f),
            },
            analysis: SegmentAnalysis {
                flags: AnalysisFlags(self.analysis_flags),
                dup_ack_num: self.dup_ack_num,
                dup_ack_of: u64::from(self.dup_ack_of),
                acked_frame: u64::from(self.acked_frame),
                ack_rtt_ns: self.ack_rtt_ns,
                bytes_in_flight: self.bytes_in_flight,
            },
            data_offset: self.data_offset,
            cap_len: self.cap_len,
            link_type: self.link_type,
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_packed_record_is_under_half_the_full_segment() {
        let packed = std::mem::size_of::<super::PackedPacket>();
        let full = std::mem::size_of::<super::TcpPacket>();
        println!("packed {packed} B, full {full} B");
        assert!(packed * 2 <= full, "packed {packed} B, full {full} B");
    }
}
