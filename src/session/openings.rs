//! What each connection speaks (the list's "what" column and its filters), read from the first
//! [`HEAD_BYTES`] bytes each way as the capture is read. A connection's heads are kept only
//! until what they say is settled (the first request and response, the hellos), its
//! connection is closed or reset, or the capture ends; after that it costs one pointer and
//! one bit, and a connection that never sent a byte costs the bit alone.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

use crate::app::{Opening, HEAD_BYTES};
use crate::tcp::TcpPacket;

#[derive(Debug, Clone, Default)]
pub(super) struct Openings {
    /// Connections whose heads are still being gathered, by `tcp.stream`.
    under_way: HashMap<u32, Heads, BuildHasherDefault<StreamHasher>>,
    /// By `tcp.stream`: what its opening says, once settled (`None`: no byte, or still under
    /// way). Grown only as far as the last connection that has one.
    read: Vec<Option<Box<Opening>>>,
    /// By `tcp.stream`, one bit each: its opening is settled (no more bytes are looked at).
    settled: Vec<u64>,
    /// Nothing is read (a benchmark's baseline: what reading the openings costs).
    pub(super) off: bool,
}

/// A `tcp.stream` index hashed by one multiplication (the default hasher's resistance to
/// chosen keys is not needed for indices we number ourselves, and it is looked up for every
/// segment of a connection under way).
#[derive(Default)]
struct StreamHasher(u64);

impl Hasher for StreamHasher {
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0.rotate_left(8) ^ u64::from(b)).wrapping_mul(0x9e37_79b9_7f4a_7c15);
        }
    }

    fn write_u32(&mut self, n: u32) {
        self.0 = (u64::from(n) ^ self.0).wrapping_mul(0x9e37_79b9_7f4a_7c15);
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

/// The first bytes of each direction (client, server) of one connection.
#[derive(Debug, Clone, Default)]
struct Heads {
    bytes: [Vec<u8>; 2],
    /// The relative sequence number of the next byte each head wants.
    next: [Option<u32>; 2],
    /// A byte is missing (a gap, out-of-order data, a snap length): the head ends here.
    ended: [bool; 2],
    /// FINs seen, one bit per direction.
    fins: u8,
}

impl Openings {
    /// Takes one segment (its captured payload, which is in no single frame for a segment put
    /// back together from IP fragments). A SYN's data (TCP Fast Open) starts one past its
    /// sequence number.
    pub(super) fn add(&mut self, p: &TcpPacket, payload: &[u8]) {
        let stream = p.stream;
        if self.off || self.is_settled(stream) {
            return;
        }
        let flags = p.segment.flags;
        if payload.is_empty() && !flags.fin() && !flags.rst() {
            return;
        }
        let dir = usize::from(!p.from_client);
        let grew = !payload.is_empty() && self.under_way.entry(stream).or_default().take(dir, p.seq.wrapping_add(u32::from(flags.syn())), payload, p.segment.payload_len as usize);
        let Some(heads) = self.under_way.get_mut(&stream) else {
            // A FIN or RST before any byte: nothing will be said.
            if flags.rst() {
                self.settle(stream, None);
            }
            return;
        };
        heads.fins |= u8::from(flags.fin()) << dir;
        let full = |d: usize| heads.ended[d] || heads.bytes[d].len() >= HEAD_BYTES;
        if !flags.fin() && !flags.rst() && (!grew || (heads.bytes[1 - dir].is_empty() && !full(dir))) {
            // Nothing new to read (a full head, a copy: a long upload is not read again for
            // each of its segments), or only one side has spoken: what an opening says is
            // settled by the other side's answer (or a full head, or the close), so it is read
            // then, once.
            return;
        }
        let opening = Opening::read_quick(&heads.bytes[0], &heads.bytes[1]);
        let closed = flags.rst() || heads.fins == 3 || (full(0) && full(1));
        if closed || opening.as_ref().is_some_and(|o| o.settled(heads.bytes[0].len(), heads.bytes[1].len(), full(1))) {
            self.under_way.remove(&stream);
            self.settle(stream, opening);
        }
    }

    fn is_settled(&self, stream: u32) -> bool {
        self.settled.get(stream as usize / 64).is_some_and(|w| w & (1 << (stream % 64)) != 0)
    }

    fn settle(&mut self, stream: u32, opening: Option<Opening>) {
        let (word, bit) = (stream as usize / 64, stream % 64);
        if self.settled.len() <= word {
            self.settled.resize(word + 1, 0);
        }
        self.settled[word] |= 1 << bit;
        if let Some(o) = opening {
            let at = stream as usize;
            if self.read.len() <= at {
                self.read.resize(at + 1, None);
            }
            self.read[at] = Some(Box::new(o));
        }
    }

    /// What connection `stream`'s opening says so far (read again from its heads while they are
    /// still gathered: a capture still being read lists connections under way).
    pub(super) fn opening(&self, stream: u32) -> Option<std::borrow::Cow<'_, Opening>> {
        if let Some(heads) = self.under_way.get(&stream) {
            return Opening::read_quick(&heads.bytes[0], &heads.bytes[1]).map(std::borrow::Cow::Owned);
        }
        self.read.get(stream as usize)?.as_deref().map(std::borrow::Cow::Borrowed)
    }

    /// The capture ended: every opening under way is what its heads say.
    pub(super) fn finish(&mut self) {
        let mut under_way: Vec<(u32, Heads)> = std::mem::take(&mut self.under_way).into_iter().collect();
        under_way.sort_unstable_by_key(|(s, _)| *s);
        for (stream, heads) in under_way {
            self.settle(stream, Opening::read_quick(&heads.bytes[0], &heads.bytes[1]));
        }
    }

    /// Bytes held (for the session's memory account).
    pub(super) fn memory_bytes(&self) -> usize {
        let heads: usize = self.under_way.values().map(|h| 64 + h.bytes[0].capacity() + h.bytes[1].capacity()).sum();
        let read: usize = self.read.iter().flatten().map(|o| std::mem::size_of::<Opening>() + o.name.as_ref().map_or(0, |n| n.len()) + o.request.as_ref().map_or(0, |r| r.len())).sum();
        heads + read + self.read.capacity() * 8 + self.settled.capacity() * 8
    }
}

impl Heads {
    /// Adds a segment's bytes where they continue the head of direction `dir`; a segment past
    /// the next byte wanted (a gap, or data out of order) ends the head, and so do bytes the
    /// snap length cut off (`len`: the segment's length on the wire). Whether the head grew.
    fn take(&mut self, dir: usize, seq: u32, payload: &[u8], len: usize) -> bool {
        if self.ended[dir] {
            return false;
        }
        let next = *self.next[dir].get_or_insert(seq);
        // Sequence numbers wrap: the distance, signed, from the next byte wanted.
        let ahead = seq.wrapping_sub(next) as i32;
        if ahead > 0 {
            self.ended[dir] = true;
            return false;
        }
        let skip = ahead.unsigned_abs() as usize;
        if skip >= len {
            return false; // A copy of bytes the head already has.
        }
        let head = &mut self.bytes[dir];
        let room = HEAD_BYTES.saturating_sub(head.len());
        let new = payload.get(skip..).unwrap_or(&[]);
        let taken = new.len().min(room);
        head.extend_from_slice(&new[..taken]);
        self.next[dir] = Some(next.wrapping_add(taken as u32));
        if payload.len() < len && taken == new.len() {
            // The rest of the segment was not captured.
            self.ended[dir] = true;
        }
        taken > 0
    }
}
