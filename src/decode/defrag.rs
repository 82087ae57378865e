//! IP reassembly: the fragments of one IPv4 or IPv6 datagram (RFC 791 §3.2, RFC 8200 §4.5),
//! put back together so the TCP segment they carry is read whole, as tshark does by default
//! (`ip.defragment`, `ipv6.defragment`). Without it a segment split by IP loses every byte after
//! its first fragment, and the views then speak of data "the capture never saw".
//!
//! A datagram is keyed by source, destination, protocol and identification. Its segment is
//! placed at the frame that completed it (tshark's "Reassembled in"). Where two fragments
//! overlap, the bytes that arrived first are kept. Memory is bounded: at most
//! [`MAX_DATAGRAMS`] datagrams and [`MAX_BYTES`] bytes wait for their other fragments, and one
//! that waited [`TIMEOUT_NS`] of capture time is dropped (Linux's `ipfrag_time`), so a hostile
//! capture of endless first fragments cannot grow it; the oldest goes first when full.

use std::net::IpAddr;

use super::ip::Piece;
use super::Decoded;

/// Datagrams waiting for fragments at once.
pub const MAX_DATAGRAMS: usize = 256;
/// Fragment bytes held at once.
pub const MAX_BYTES: usize = 4 << 20;
/// How long (capture time) a datagram waits for its other fragments: Linux's default 30 s.
pub const TIMEOUT_NS: i64 = 30_000_000_000;

/// Where a fragment's frame is, to read it again (the same fields as a frame read).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FragmentFrame {
    pub number: u64,
    pub time_ns: i64,
    pub data_offset: u64,
    pub cap_len: u32,
    pub orig_len: u32,
    pub link_type: u32,
}

/// A datagram put back together: the frames of its fragments, in capture order (the last
/// completed it, and its segment is placed there).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reassembly {
    pub fragments: Vec<FragmentFrame>,
    /// The transport payload (after the TCP header), which no single frame holds.
    pub payload: Vec<u8>,
}

impl Reassembly {
    /// The frame that completed the datagram.
    pub fn frame(&self) -> u64 {
        self.fragments.last().map_or(0, |f| f.number)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct Key {
    src: IpAddr,
    dst: IpAddr,
    protocol: u8,
    id: u32,
}

#[derive(Debug, Clone)]
struct Waiting {
    key: Key,
    first_ns: i64,
    /// (offset in the datagram's payload, bytes), in arrival order.
    pieces: Vec<(usize, Vec<u8>)>,
    /// The payload's length, once the last fragment (more-fragments clear) came.
    total: Option<usize>,
    frames: Vec<FragmentFrame>,
    held: usize,
}

impl Waiting {
    /// The payload, if every byte up to the end has come: the bytes that came first win.
    fn complete(&self) -> Option<Vec<u8>> {
        let total = self.total?;
        let mut bytes = vec![0; total];
        let mut have = vec![false; total];
        for (offset, data) in &self.pieces {
            for (i, b) in data.iter().enumerate() {
                match have.get_mut(offset + i) {
                    Some(h) if !*h => {
                        *h = true;
                        bytes[offset + i] = *b;
                    }
                    _ => {}
                }
            }
        }
        have.iter().all(|h| *h).then_some(bytes)
    }
}

/// The fragments waiting for the rest of their datagram.
#[derive(Debug, Clone, Default)]
pub struct Defragmenter {
    waiting: Vec<Waiting>,
    held: usize,
}

impl Defragmenter {
    pub fn new() -> Self {
        Self::default()
    }

    /// Decodes one frame as [`super::decode`] does, except that a fragment is held until its
    /// datagram is complete; then the datagram's segment comes out with the frames it was
    /// reassembled from.
    pub fn decode(&mut self, at: FragmentFrame, data: &[u8]) -> (Decoded, Option<Reassembly>) {
        match super::decode_pieces(at.link_type, data, at.orig_len) {
            Ok(decoded) => (decoded, None),
            Err(piece) => self.add(at, piece),
        }
    }

    fn add(&mut self, at: FragmentFrame, piece: Piece<'_>) -> (Decoded, Option<Reassembly>) {
        self.waiting.retain(|w| at.time_ns.saturating_sub(w.first_ns) < TIMEOUT_NS);
        let key = Key { src: piece.src, dst: piece.dst, protocol: piece.protocol, id: piece.id };
        let index = match self.waiting.iter().position(|w| w.key == key) {
            Some(i) => i,
            None => {
                self.waiting.push(Waiting { key, first_ns: at.time_ns, pieces: Vec::new(), total: None, frames: Vec::new(), held: 0 });
                self.waiting.len() - 1
            }
        };
        let w = &mut self.waiting[index];
        if !piece.more {
            w.total = Some(piece.offset + piece.data.len());
        }
        w.pieces.push((piece.offset, piece.data.to_vec()));
        w.frames.push(at);
        w.held += piece.data.len();
        self.held += piece.data.len();
        let done = w.complete();
        match done {
            Some(payload) => {
                let w = self.waiting.remove(index);
                self.held -= w.held;
                let decoded = super::ip::transport_of_reassembled(&piece, &payload, w.frames.len());
                let header_len = match &decoded {
                    Decoded::Tcp(segment) => usize::from(segment.header_len),
                    _ => return (decoded, None),
                };
                let payload = payload.get(header_len..).unwrap_or_default().to_vec();
                (decoded, Some(Reassembly { fragments: w.frames, payload }))
            }
            None => {
                while self.waiting.len() > MAX_DATAGRAMS || self.held > MAX_BYTES {
                    let oldest = self.waiting.remove(0);
                    self.held -= oldest.held;
                }
                (Decoded::Fragment, None)
            }
        }
    }

    /// Bytes held by fragments waiting for their datagram.
    pub fn held_bytes(&self) -> usize {
        self.held
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;

    const RAW_IP: u32 = 101;

    /// An IPv4 packet (raw IP link) carrying `data` at fragment offset `offset` (bytes).
    fn fragment(id: u16, offset: usize, more: bool, data: &[u8]) -> Vec<u8> {
        let mut h = vec![0x45, 0, 0, 0, 0, 0, 0, 0, 64, 6, 0, 0, 10, 0, 0, 1, 10, 0, 0, 2];
        h[2..4].copy_from_slice(&((20 + data.len()) as u16).to_be_bytes());
        h[4..6].copy_from_slice(&id.to_be_bytes());
        h[6..8].copy_from_slice(&((u16::from(more) << 13) | (offset / 8) as u16).to_be_bytes());
        h.extend_from_slice(data);
        h
    }

    /// A TCP header (20 bytes, ACK) and `len` payload bytes counting up.
    fn segment(len: usize) -> Vec<u8> {
        let mut t = vec![0x30, 0x39, 0x00, 0x50, 0, 0, 0, 1, 0, 0, 0, 1, 0x50, 0x10, 0xff, 0xff, 0, 0, 0, 0];
        t.extend((0..len).map(|i| i as u8));
        t
    }

    fn at(number: u64, time_ns: i64, data: &[u8]) -> FragmentFrame {
        FragmentFrame { number, time_ns, data_offset: 0, cap_len: data.len() as u32, orig_len: data.len() as u32, link_type: RAW_IP }
    }

    fn feed(d: &mut Defragmenter, number: u64, time_ns: i64, packet: &[u8]) -> (Decoded, Option<Reassembly>) {
        d.decode(at(number, time_ns, packet), packet)
    }

    #[test]
    fn fragments_in_any_order_make_the_segment_at_the_last_to_come() {
        let tcp = segment(100);
        let mut d = Defragmenter::new();
        assert_eq!(feed(&mut d, 1, 0, &fragment(7, 64, false, &tcp[64..])).0, Decoded::Fragment);
        let (decoded, reassembly) = feed(&mut d, 2, 10, &fragment(7, 0, true, &tcp[..64]));
        let Decoded::Tcp(s) = decoded else { panic!("{decoded:?}") };
        assert_eq!((s.payload_len, s.fragments), (100, 2));
        let r = reassembly.unwrap();
        assert_eq!((r.frame(), r.payload.as_slice()), (2, &tcp[20..]));
        assert_eq!(d.held_bytes(), 0);
    }

    #[test]
    fn where_fragments_overlap_the_bytes_that_came_first_win() {
        let tcp = segment(60);
        let mut other = tcp.clone();
        other[40..56].fill(0xee);
        let mut d = Defragmenter::new();
        feed(&mut d, 1, 0, &fragment(9, 0, true, &tcp[..48]));
        let (_, r) = feed(&mut d, 2, 0, &fragment(9, 40, false, &other[40..]));
        let payload = r.unwrap().payload;
        assert_eq!(&payload[..28], &tcp[20..48], "the first fragment's bytes kept");
        assert_eq!(&payload[28..36], &other[48..56], "the second fills only what was missing");
    }

    #[test]
    fn other_datagrams_and_unfragmented_packets_do_not_mix() {
        let tcp = segment(40);
        let mut d = Defragmenter::new();
        feed(&mut d, 1, 0, &fragment(1, 0, true, &tcp[..32]));
        assert_eq!(feed(&mut d, 2, 0, &fragment(2, 32, false, &tcp[32..])).0, Decoded::Fragment, "another IP ID");
        assert!(matches!(feed(&mut d, 3, 0, &fragment(3, 0, false, &tcp)).0, Decoded::Tcp(s) if s.fragments == 0));
        assert!(matches!(feed(&mut d, 4, 0, &fragment(1, 32, false, &tcp[32..])).0, Decoded::Tcp(s) if s.fragments == 2));
    }

    #[test]
    fn a_hostile_capture_of_first_fragments_holds_bounded_memory() {
        let tcp = segment(1400);
        let mut d = Defragmenter::new();
        for i in 0..10_000u64 {
            feed(&mut d, i, 0, &fragment(i as u16, 0, true, &tcp[..1400]));
            assert!(d.waiting.len() <= MAX_DATAGRAMS && d.held_bytes() <= MAX_BYTES);
        }
        // And one that waits past the timeout is dropped: its last fragment completes nothing.
        let mut d = Defragmenter::new();
        feed(&mut d, 1, 0, &fragment(5, 0, true, &tcp[..64]));
        assert_eq!(feed(&mut d, 2, TIMEOUT_NS + 1, &fragment(5, 64, false, &tcp[64..])).0, Decoded::Fragment);
    }
}
