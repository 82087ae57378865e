//! TCP options (RFC 9293 §3.2, RFC 7323, RFC 2018), decoded into a fixed-size, heap-free struct.

/// One SACK block: the left and right edge (raw sequence numbers).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct SackBlock {
    pub left: u32,
    pub right: u32,
}

/// The options of one segment. At most four SACK blocks fit in a TCP header.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct TcpOptions {
    pub mss: Option<u16>,
    /// Window scale shift count as sent (Wireshark caps the shift at 14 when applying it).
    pub window_scale: Option<u8>,
    pub sack_permitted: bool,
    /// (TSval, TSecr)
    pub timestamps: Option<(u32, u32)>,
    pub sack: [SackBlock; 4],
    pub sack_count: u8,
    /// Kinds not decoded above, by number (first four kept).
    pub other_kinds: [u8; 4],
    pub other_count: u8,
    /// The option list ended in the middle of an option.
    pub malformed: bool,
    /// TCP Fast Open (RFC 7413: kind 34, or the experimental kind 254 with magic 0xF989 of
    /// RFC 6994): the cookie's length, 0 for a cookie request. Also kept in `other_kinds`.
    pub fast_open: Option<u8>,
}

const END: u8 = 0;
const NOP: u8 = 1;
const MSS: u8 = 2;
const WINDOW_SCALE: u8 = 3;
const SACK_PERMITTED: u8 = 4;
const SACK: u8 = 5;
const TIMESTAMPS: u8 = 8;
const FAST_OPEN: u8 = 34;
const EXPERIMENTAL: u8 = 254;
const FAST_OPEN_MAGIC: [u8; 2] = [0xF9, 0x89];

impl TcpOptions {
    pub fn parse(mut bytes: &[u8]) -> TcpOptions {
        let mut out = TcpOptions::default();
        while let Some(&kind) = bytes.first() {
            match kind {
                END => break,
                NOP => {
                    bytes = &bytes[1..];
                    continue;
                }
                _ => {}
            }
            let Some(&len) = bytes.get(1) else {
                out.malformed = true;
                break;
            };
            let len = usize::from(len);
            if len < 2 || len > bytes.len() {
                out.malformed = true;
                break;
            }
            let body = &bytes[2..len];
            if kind == FAST_OPEN {
                out.fast_open = Some(body.len() as u8);
            } else if kind == EXPERIMENTAL && body.starts_with(&FAST_OPEN_MAGIC) {
                out.fast_open = Some((body.len() - 2) as u8);
            }
            match (kind, body.len()) {
                (MSS, 2) => out.mss = Some(u16::from_be_bytes([body[0], body[1]])),
                (WINDOW_SCALE, 1) => out.window_scale = Some(body[0]),
                (SACK_PERMITTED, 0) => out.sack_permitted = true,
                (TIMESTAMPS, 8) => {
                    out.timestamps = Some((
                        u32::from_be_bytes([body[0], body[1], body[2], body[3]]),
                        u32::from_be_bytes([body[4], body[5], body[6], body[7]]),
                    ))
                }
                (SACK, n) if n % 8 == 0 => {
                    for edge in body.chunks_exact(8).take(4) {
                        out.sack[usize::from(out.sack_count)] = SackBlock {
                            left: u32::from_be_bytes([edge[0], edge[1], edge[2], edge[3]]),
                            right: u32::from_be_bytes([edge[4], edge[5], edge[6], edge[7]]),
                        };
                        out.sack_count += 1;
                    }
                }
                _ => {
                    // A known option of the wrong length (zeek_tcp_truncated-header: Timestamps
                    // of 8 bytes, not 10): a receiver ignores it.
                    out.malformed |= matches!(kind, MSS | WINDOW_SCALE | SACK_PERMITTED | TIMESTAMPS | SACK);
                    if usize::from(out.other_count) < out.other_kinds.len() {
                        out.other_kinds[usize::from(out.other_count)] = kind;
                        out.other_count += 1;
                    }
                }
            }
            bytes = &bytes[len..];
        }
        out
    }

    pub fn sack_blocks(&self) -> &[SackBlock] {
        &self.sack[..usize::from(self.sack_count)]
    }
}
