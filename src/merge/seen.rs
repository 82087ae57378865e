//! One capture's view of one connection's segments, as the merge compares them: what survives
//! the path between two capture points (sequence numbers up to a constant offset, lengths,
//! flags, IP ID and TCP timestamps), and when the segment passed, by that capture's clock.

use crate::connection::Connection;

/// A segment as one capture point saw it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Seen {
    /// Its frame in that capture.
    pub frame: u64,
    /// When it passed, ns since the epoch by that capture's clock.
    pub time_ns: i64,
    pub from_client: bool,
    /// Raw sequence and acknowledgement numbers (the other point's may differ by a constant: a
    /// middlebox that randomises initial sequence numbers).
    pub seq: u32,
    pub ack: u32,
    pub len: u32,
    /// SYN, FIN, RST, ACK (PSH and the ECN bits may be changed on the way).
    pub flags: u8,
    /// PSH, for the diagram's labels (not compared).
    pub psh: bool,
    pub ip_id: Option<u16>,
    pub tsval: Option<u32>,
}

/// SYN, RST, ACK and FIN as one byte.
fn kept_flags(bits: u16) -> u8 {
    (bits & 0x17) as u8
}

/// The connection's segments in capture order; `epoch_ns`: its capture's first frame time
/// (segment times are kept relative to it).
pub fn seen(conn: &Connection<'_>, epoch_ns: i64) -> Vec<Seen> {
    conn.packets()
        .map(|p| Seen {
            frame: p.frame,
            time_ns: epoch_ns.saturating_add(p.time_ns),
            from_client: p.from_client,
            seq: p.segment.seq,
            ack: p.segment.ack,
            len: p.segment.payload_len,
            flags: kept_flags(p.segment.flags.0),
            psh: p.segment.flags.0 & 0x08 != 0,
            ip_id: p.segment.ip_id,
            tsval: p.segment.options.timestamps.map(|(v, _)| v),
        })
        .collect()
}

/// The initial sequence numbers a connection's handshake shows: the client's SYN's and the
/// server's SYN-ACK's.
pub fn isns(segments: &[Seen]) -> (Option<u32>, Option<u32>) {
    let syn = |client: bool, ack: bool| segments.iter().find(|s| s.from_client == client && s.flags & 0x02 != 0 && (s.flags & 0x10 != 0) == ack).map(|s| s.seq);
    (syn(true, false), syn(false, true))
}

/// Each direction's first segments as (length, flags): what a connection looks like whatever
/// addresses, ports and sequence numbers a middlebox rewrote.
pub fn fingerprint(segments: &[Seen], client: bool, n: usize) -> Vec<(u32, u8)> {
    segments.iter().filter(|s| s.from_client == client).take(n).map(|s| (s.len, s.flags)).collect()
}
