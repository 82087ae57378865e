//! The TCP header (RFC 9293 §3.1), read leniently: a header cut short by the snap length still
//! yields the fields it has, and the segment length comes from the IP length fields, not from
//! the captured bytes (Wireshark's rule).

use std::net::IpAddr;

use etherparse::TcpHeaderSlice;

use super::tcp_options::TcpOptions;

/// TCP flag bits in Wireshark's order and values (`tcp.flags`): FIN is bit 0, AE bit 8.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct TcpFlags(pub u16);

impl TcpFlags {
    pub const FIN: u16 = 0x001;
    pub const SYN: u16 = 0x002;
    pub const RST: u16 = 0x004;
    pub const PSH: u16 = 0x008;
    pub const ACK: u16 = 0x010;
    pub const URG: u16 = 0x020;
    pub const ECE: u16 = 0x040;
    pub const CWR: u16 = 0x080;
    pub const AE: u16 = 0x100;
    /// The three reserved bits (RFC 9293 §3.1), shown by Wireshark as "Reserved".
    pub const RESERVED: u16 = 0xe00;
    const NAMES: [(u16, &'static str); 10] = [
        (Self::FIN, "FIN"),
        (Self::SYN, "SYN"),
        (Self::RST, "RST"),
        (Self::PSH, "PSH"),
        (Self::ACK, "ACK"),
        (Self::URG, "URG"),
        (Self::ECE, "ECE"),
        (Self::CWR, "CWR"),
        (Self::AE, "AE"),
        (Self::RESERVED, "Reserved"),
    ];

    pub fn has(self, bit: u16) -> bool {
        self.0 & bit != 0
    }
    pub fn syn(self) -> bool {
        self.has(Self::SYN)
    }
    pub fn ack(self) -> bool {
        self.has(Self::ACK)
    }
    pub fn fin(self) -> bool {
        self.has(Self::FIN)
    }
    pub fn rst(self) -> bool {
        self.has(Self::RST)
    }

    /// The set flags joined by commas in bit order ("SYN,ACK"), as the oracle writes them.
    pub fn names(self) -> String {
        let mut out = String::new();
        for (bit, name) in Self::NAMES {
            if self.has(bit) {
                if !out.is_empty() {
                    out.push(',');
                }
                out.push_str(name);
            }
        }
        out
    }
}

/// One TCP segment as decoded from a frame. `Copy` and heap-free, so the analysis can keep
/// millions of them.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TcpSegment {
    pub src: IpAddr,
    pub dst: IpAddr,
    pub src_port: u16,
    pub dst_port: u16,
    pub seq: u32,
    pub ack: u32,
    pub flags: TcpFlags,
    /// The raw window field (before any scaling).
    pub window: u16,
    /// Payload length from the IP length fields (`tcp.len`).
    pub payload_len: u32,
    /// Header length from the data offset field, in bytes.
    pub header_len: u8,
    pub options: TcpOptions,
    /// The header was cut short by the snap length; fields past the cut are zero.
    pub truncated: bool,
    /// Where the payload starts in the frame's bytes (saturating at 65 535): with the captured
    /// length it gives the captured payload, which Follow TCP Stream shows.
    pub payload_at: u16,
    /// The IP header's ECN field (set by the IP layer; Not-ECT until then).
    pub ecn: super::Ecn,
    /// How many IP fragments it was put back together from (0: it came in one packet). Its
    /// frame is the one that completed the datagram; its payload is in no single frame.
    pub fragments: u8,
    /// The IPv4 header's identification (set by the IP layer; `None` for IPv6 and for a segment
    /// put back together from fragments): a second datagram has another one, the same datagram
    /// captured twice the same.
    pub ip_id: Option<u16>,
    /// How many of the payload's first bytes are zero, as captured (up to 255; set by the IP
    /// layer): a short payload all of zeros that its receiver never takes is no data of the
    /// stream (see `tcp/bytes_not_taken.rs`).
    pub leading_zeros: u8,
    /// How many of the payload's last bytes are zero, as captured (up to 255; 0 when the
    /// capture cut the payload short): a segment padded with zeros its sender then overwrote
    /// (R18-17, `tcp/bytes_not_taken.rs`).
    pub trailing_zeros: u8,
    /// Payload bytes the IP header claims past the frame's end on the wire (set by the IP
    /// layer; 0 but in a recording that cut a frame and wrote the cut length as its length:
    /// zeek_tcp_reassembly's frame 7, 1440 of 1448 bytes, R20C-5). Wireshark's `tcp.len` and
    /// `payload_len` leave them out; the peer's ACK counts them.
    pub beyond_frame: u32,
}

/// Parses the TCP header at the start of `bytes` (the captured IP payload); `declared_len` is
/// the IP payload length the IP header states. Needs at least the two ports.
pub(super) fn parse(src: IpAddr, dst: IpAddr, bytes: &[u8], declared_len: usize) -> Option<TcpSegment> {
    if let Ok(h) = TcpHeaderSlice::from_slice(bytes) {
        let header_len = usize::from(h.data_offset()) * 4;
        return Some(TcpSegment {
            src,
            dst,
            src_port: h.source_port(),
            dst_port: h.destination_port(),
            seq: h.sequence_number(),
            ack: h.acknowledgment_number(),
            flags: flags_of(bytes[12], bytes[13]),
            window: h.window_size(),
            payload_len: declared_len.saturating_sub(header_len) as u32,
            header_len: header_len as u8,
            options: TcpOptions::parse(h.options()),
            truncated: false,
            payload_at: 0,
            ecn: super::Ecn::NotEct,
            ip_id: None,
            fragments: 0,
            leading_zeros: 0,
            trailing_zeros: 0,
            beyond_frame: 0,
        });
    }
    partial(src, dst, bytes, declared_len)
}

/// A header cut short: keep every whole field that was captured.
fn partial(src: IpAddr, dst: IpAddr, bytes: &[u8], declared_len: usize) -> Option<TcpSegment> {
    let be16 = |at: usize| bytes.get(at..at + 2).map(|b| u16::from_be_bytes([b[0], b[1]]));
    let be32 = |at: usize| bytes.get(at..at + 4).map(|b| u32::from_be_bytes([b[0], b[1], b[2], b[3]]));
    let header_len = bytes.get(12).map_or(20, |b| usize::from(b >> 4) * 4).max(20);
    Some(TcpSegment {
        src,
        dst,
        src_port: be16(0)?,
        dst_port: be16(2)?,
        seq: be32(4).unwrap_or(0),
        ack: be32(8).unwrap_or(0),
        flags: match (bytes.get(12), bytes.get(13)) {
            (Some(&hi), Some(&lo)) => flags_of(hi, lo),
            _ => TcpFlags(0),
        },
        window: be16(14).unwrap_or(0),
        payload_len: declared_len.saturating_sub(header_len) as u32,
        header_len: header_len as u8,
        // The options captured before the cut (a SYN's MSS and SACK permitted may be there; the
        // option the cut runs through reads as malformed: R4 M3).
        options: bytes.get(20..header_len.min(bytes.len())).map(TcpOptions::parse).unwrap_or_default(),
        truncated: true,
        payload_at: 0,
        ecn: super::Ecn::NotEct,
        fragments: 0,
        ip_id: None,
        leading_zeros: 0,
        trailing_zeros: 0,
        beyond_frame: 0,
    })
}

fn flags_of(offset_byte: u8, flag_byte: u8) -> TcpFlags {
    TcpFlags(u16::from(flag_byte) | (u16::from(offset_byte & 0x0f) << 8))
}
