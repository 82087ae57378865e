//! How a segment is stored: a packed record of the fields that cannot be derived. The
//! addresses and ports come from the connection (the client's or the server's, by direction),
//! the scaled window from the raw window and the scale factor, options other than timestamps
//! (MSS, window scale, SACK: a few segments per connection) and duplicate-ACK numbers (a few
//! segments in a hundred) live in side tables, and frame numbers are 32-bit. [`TcpPacket`] is
//! the full view, made on demand.

use super::analysis::{AnalysisFlags, SegmentAnalysis};
use super::capture_point::Timed;
use super::lifecycle::Wire;
use super::seq::SeqNumber;
use super::stream::Endpoint;
use super::packet::{ScaleFactor, TcpPacket};
use crate::decode::{TcpFlags, TcpOptions, TcpSegment};

const FROM_CLIENT: u8 = 1;
const TRUNCATED: u8 = 2;
const HAS_TIMESTAMPS: u8 = 4;
/// The options are in the side table.
const OTHER_OPTIONS: u8 = 8;
/// The duplicate-ACK number and frame are in the side table.
const DUP_ACK: u8 = 16;
/// The IP ECN field's two bits sit at this shift of `bits` (bits 5 and 6).
const ECN_SHIFT: u8 = 5;
/// The segment's IPv4 identification is in `ip_id`.
const HAS_IP_ID: u8 = 128;

/// The window scale factor as a shift (0 to 14), or one of these.
const SCALE_NOT_APPLICABLE: u8 = u8::MAX;
const SCALE_UNKNOWN: u8 = u8::MAX - 1;
const SCALE_NONE: u8 = u8::MAX - 2;

/// What a few segments have and most do not, by segment position (rising).
#[derive(Debug, Clone, Default)]
pub struct SideTables {
    options: Vec<(u32, TcpOptions)>,
    /// (position, `tcp.analysis.duplicate_ack_num`, `tcp.analysis.duplicate_ack_frame`).
    dup_acks: Vec<(u32, u32, u64)>,
}

impl SideTables {
    pub fn reserved_bytes(&self) -> usize {
        self.options.capacity() * std::mem::size_of::<(u32, TcpOptions)>() + self.dup_acks.capacity() * std::mem::size_of::<(u32, u32, u64)>()
    }
}

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
    payload_len: u32,
    cap_len: u32,
    acked_frame: u32,
    bytes_in_flight: u32,
    ts_val: u32,
    ts_ecr: u32,
    flags: u16,
    raw_window: u16,
    analysis_flags: u16,
    link_type: u16,
    payload_at: u16,
    header_len: u8,
    bits: u8,
    scale: u8,
    fragments: u8,
    ip_id: u16,
}

// Bits of the record's spare room, so that it stays 88 bytes (R13b-5's zero counts had made it
// 96): the TCP flags take 12 bits of `flags`, a fragment count past 31 says no more than 31.
/// The payload's leading zero bytes, saturated at 7 (only up to 6 matter, `tcp/bytes_not_taken.rs`).
const LEADING_ZEROS_SHIFT: u16 = 12;
/// `payload_len` is the IP header's claim; Wireshark's `tcp.len` is what the frame holds
/// (`TcpSegment::beyond_frame`).
const CLAIMED_LEN: u16 = 0x8000;
const TCP_FLAGS: u16 = 0x0fff;
/// In `fragments`: the fragment count (saturated at 31) and the trailing zero bytes (at 7).
const FRAGMENTS: u8 = 31;
const TRAILING_ZEROS_SHIFT: u8 = 5;

/// Frame numbers past 2³² do not occur in a file a browser can open; saturate rather than wrap.
fn narrow(frame: u64) -> u32 {
    u32::try_from(frame).unwrap_or(u32::MAX)
}

impl PackedPacket {
    /// Packs `p`; its options go to `side` (as the entry for `index`) unless they are only
    /// timestamps or nothing, and so do its duplicate-ACK number and frame if it has them.
    pub fn pack(p: &TcpPacket, index: u32, side: &mut SideTables) -> Self {
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
        bits |= s.ecn.bits() << ECN_SHIFT;
        if s.ip_id.is_some() {
            bits |= HAS_IP_ID;
        }
        if !only_timestamps {
            bits |= OTHER_OPTIONS;
            side.options.push((index, *o));
        }
        let a = &p.analysis;
        if a.dup_ack_num != 0 || a.dup_ack_of != 0 {
            bits |= DUP_ACK;
            side.dup_acks.push((index, a.dup_ack_num, a.dup_ack_of));
        }
        let (ts_val, ts_ecr) = o.timestamps.unwrap_or((0, 0));
        // The claim is kept only where the frame's own bytes give Wireshark's length back.
        let claimed = s.beyond_frame > 0 && s.fragments == 0 && s.payload_at < u16::MAX && p.cap_len.checked_sub(u32::from(s.payload_at)) == Some(s.payload_len) && s.payload_len.checked_add(s.beyond_frame).is_some();
        debug_assert_eq!(p.window, scaled_window(s.window, scale_code(p.scale_factor)), "the window is the raw window scaled");
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
            payload_len: s.payload_len + if claimed { s.beyond_frame } else { 0 },
            cap_len: p.cap_len,
            scale: scale_code(p.scale_factor),
            acked_frame: narrow(a.acked_frame),
            bytes_in_flight: a.bytes_in_flight,
            ts_val,
            ts_ecr,
            flags: s.flags.0 & TCP_FLAGS | u16::from(s.leading_zeros.min(7)) << LEADING_ZEROS_SHIFT | if claimed { CLAIMED_LEN } else { 0 },
            raw_window: s.window,
            analysis_flags: a.flags.0,
            link_type: p.link_type,
            payload_at: s.payload_at,
            header_len: s.header_len,
            bits,
            fragments: s.fragments.min(FRAGMENTS) | s.trailing_zeros.min(7) << TRAILING_ZEROS_SHIFT,
            ip_id: s.ip_id.unwrap_or(0),
        }
    }

    fn tcp_flags(&self) -> TcpFlags {
        TcpFlags(self.flags & TCP_FLAGS)
    }

    fn leading_zeros(&self) -> u8 {
        (self.flags >> LEADING_ZEROS_SHIFT & 7) as u8
    }

    /// Wireshark's `tcp.len`: the IP header's claim, or what the frame holds where it holds less.
    fn tcp_len(&self) -> u32 {
        if self.flags & CLAIMED_LEN != 0 {
            self.cap_len - u32::from(self.payload_at)
        } else {
            self.payload_len
        }
    }

    /// Its IP header claims payload past the frame's end (`TcpSegment::beyond_frame`).
    pub fn claims_beyond_frame(&self) -> bool {
        self.flags & CLAIMED_LEN != 0
    }

    pub fn stream(&self) -> u32 {
        self.stream
    }

    pub fn frame(&self) -> u64 {
        u64::from(self.frame)
    }

    /// What replaying the endpoints' states needs of it, without unpacking it.
    pub fn wire(&self) -> Wire {
        Wire {
            frame: u64::from(self.frame),
            from_client: self.bits & FROM_CLIENT != 0,
            flags: self.tcp_flags(),
            seq: SeqNumber(self.raw_seq),
            ack: SeqNumber(self.raw_ack),
            // (The IP header's claim: the peer's ACK counts those bytes, R20C-5.)
            len: self.payload_len,
            time_ns: self.time_ns,
            leading_zeros: self.leading_zeros(),
            trailing_zeros: self.fragments >> TRAILING_ZEROS_SHIFT,
        }
    }

    /// What the capture point's estimate needs of it, without unpacking it.
    pub fn timed(&self) -> Timed {
        Timed {
            from_client: self.bits & FROM_CLIENT != 0,
            flags: self.tcp_flags(),
            time_ns: self.time_ns,
            ack_rtt_ns: (self.acked_frame > 0).then_some(self.ack_rtt_ns),
        }
    }

    /// The full segment. `ends` are the connection's (client, server); `side` is the tables
    /// `pack` filled.
    pub fn unpack(&self, index: u32, ends: (Endpoint, Endpoint), side: &SideTables) -> TcpPacket {
        let from_client = self.bits & FROM_CLIENT != 0;
        let (src, dst) = if from_client { ends } else { (ends.1, ends.0) };
        let (dup_ack_num, dup_ack_of) = if self.bits & DUP_ACK != 0 {
            let d = &side.dup_acks;
            d.binary_search_by_key(&index, |e| e.0).map_or((0, 0), |at| (d[at].1, d[at].2))
        } else {
            (0, 0)
        };
        let options = if self.bits & OTHER_OPTIONS != 0 {
            let o = &side.options;
            o.binary_search_by_key(&index, |(i, _)| *i).map(|at| o[at].1).unwrap_or_default()
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
                src: src.addr,
                dst: dst.addr,
                src_port: src.port,
                dst_port: dst.port,
                seq: self.raw_seq,
                ack: self.raw_ack,
                flags: self.tcp_flags(),
                window: self.raw_window,
                payload_len: self.tcp_len(),
                header_len: self.header_len,
                options,
                truncated: self.bits & TRUNCATED != 0,
                payload_at: self.payload_at,
                ecn: crate::decode::Ecn::from_bits(self.bits >> ECN_SHIFT),
                fragments: self.fragments & FRAGMENTS,
                ip_id: (self.bits & HAS_IP_ID != 0).then_some(self.ip_id),
                leading_zeros: self.leading_zeros(),
                trailing_zeros: self.fragments >> TRAILING_ZEROS_SHIFT,
                beyond_frame: self.payload_len - self.tcp_len(),
            },
            seq: self.seq,
            ack: self.ack,
            window: scaled_window(self.raw_window, self.scale),
            scale_factor: match self.scale {
                SCALE_NOT_APPLICABLE => ScaleFactor::NotApplicable,
                SCALE_UNKNOWN => ScaleFactor::Unknown,
                SCALE_NONE => ScaleFactor::NoScaling,
                shift => ScaleFactor::Factor(1 << shift),
            },
            analysis: SegmentAnalysis {
                flags: AnalysisFlags(self.analysis_flags),
                dup_ack_num,
                dup_ack_of,
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

/// The scale factor as stored: its shift (factors are powers of two up to 2¹⁴), or a code.
fn scale_code(f: ScaleFactor) -> u8 {
    match f {
        ScaleFactor::NotApplicable => SCALE_NOT_APPLICABLE,
        ScaleFactor::Unknown => SCALE_UNKNOWN,
        ScaleFactor::NoScaling => SCALE_NONE,
        ScaleFactor::Factor(f) => f.trailing_zeros() as u8,
    }
}

/// `tcp.window_size`: the raw window shifted by the scale, when one applies (as the tracker
/// computes it).
fn scaled_window(raw: u16, scale: u8) -> u32 {
    match scale {
        SCALE_NOT_APPLICABLE | SCALE_UNKNOWN | SCALE_NONE => u32::from(raw),
        shift => u32::from(raw) << shift,
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
        // (BENCHMARKS.md and ARCHITECTURE.md give this size.)
        assert_eq!(packed, 88);
    }
}
