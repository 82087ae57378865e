//! What each connection speaks (the list's "what" column and its filters), read from the first
//! [`HEAD_BYTES`] bytes each way as the capture is read. A connection's heads are kept only
//! until what they say is settled (the first request and response, the hellos), its
//! connection is closed or reset, or the capture ends; after that it costs a small record, its
//! texts' bytes and one bit, and a connection that never sent a byte costs the bit alone. Its
//! texts are kept as the bytes they were and made text (`app::inert`) only when asked for: a
//! capture of a million short connections is read with no allocation per connection here.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

use crate::app::{quick_http, Opening, Protocol, QuickHttp, HEAD_BYTES};
use crate::tcp::TcpPacket;

#[derive(Debug, Clone, Default)]
pub(super) struct Openings {
    /// Connections whose heads are still being gathered, by `tcp.stream`.
    under_way: HashMap<u32, Heads, BuildHasherDefault<StreamHasher>>,
    /// What the settled openings say, in the order they settled, side by side.
    read: Vec<Kept>,
    /// By `tcp.stream`: where its opening is in `read` (`NONE`: no byte, or still under way).
    /// Grown only as far as the last connection that has one.
    at: Vec<u32>,
    /// The kept openings' texts, one after the other (`Kept`'s ranges).
    text: Vec<u8>,
    /// Heads' buffers of settled connections, emptied, for the next connections.
    spare: Vec<Vec<u8>>,
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

/// No opening in `Openings::read`.
const NONE: u32 = u32::MAX;
/// Spare buffers kept at most.
const SPARE_MAX: usize = 16;

/// A settled opening as kept: an [`Opening`] whose texts are ranges of `Openings::text`.
#[derive(Debug, Clone, Copy)]
struct Kept {
    protocol: Protocol,
    qtype: Option<u16>,
    status: Option<u16>,
    version: Option<u16>,
    version_chosen: bool,
    name: Option<(u32, u32)>,
    request: Option<(u32, u32)>,
    /// A request read by hand: its method's length (the target follows it after one space;
    /// each is made text on its own, as the readers do). 0: the request is one text.
    method_len: u8,
}

/// What the heads said when they were read.
enum Said<'a> {
    Quick(QuickHttp<'a>),
    Read(Option<Opening>),
}

/// Adds `parts` to `text` as one text; its range (`None` past 4 GiB of texts).
fn put(text: &mut Vec<u8>, parts: &[&[u8]]) -> Option<(u32, u32)> {
    let start = u32::try_from(text.len()).ok()?;
    let len: usize = parts.iter().map(|p| p.len()).sum();
    u32::try_from(text.len() + len).ok()?;
    parts.iter().for_each(|p| text.extend_from_slice(p));
    Some((start, len as u32))
}

impl Said<'_> {
    /// Kept, its texts added to `text` (`None`: no byte was said).
    fn keep(&self, text: &mut Vec<u8>) -> Option<Kept> {
        Some(match self {
            Said::Quick(q) => Kept {
                protocol: Protocol::Http,
                qtype: None,
                status: q.status,
                version: None,
                version_chosen: false,
                request: put(text, &[q.method, b" ", q.target]),
                name: q.host.and_then(|h| put(text, &[h])),
                // (A method is at most 16 bytes: quick_http's rule.)
                method_len: u8::try_from(q.method.len()).unwrap_or(0),
            },
            Said::Read(o) => {
                let o = o.as_ref()?;
                Kept {
                    protocol: o.protocol,
                    qtype: o.qtype,
                    status: o.status,
                    version: o.version,
                    version_chosen: o.version_chosen,
                    name: o.name.as_ref().and_then(|n| put(text, &[n.as_bytes()])),
                    request: o.request.as_ref().and_then(|r| put(text, &[r.as_bytes()])),
                    method_len: 0,
                }
            }
        })
    }
}

/// What `client` and `server` say, if that is settled (or `closed`: no more bytes will come).
/// `server_done`: the server's head will take no more bytes.
fn said_if_settled<'a>(client: &'a [u8], server: &'a [u8], closed: bool, server_done: bool) -> Option<Said<'a>> {
    match quick_http(client, server) {
        Some(q) => (closed || q.settled(server, server_done)).then_some(Said::Quick(q)),
        None => {
            let o = Opening::read(client, server);
            (closed || o.as_ref().is_some_and(|o| o.settled(client.len(), server.len(), server_done))).then_some(Said::Read(o))
        }
    }
}

/// Forgets connection `stream`'s heads, their buffers kept for the next ones.
fn retire(under_way: &mut HashMap<u32, Heads, BuildHasherDefault<StreamHasher>>, spare: &mut Vec<Vec<u8>>, stream: u32) {
    if let Some(heads) = under_way.remove(&stream) {
        for mut buffer in heads.bytes.into_iter().filter(|b| b.capacity() > 0) {
            if spare.len() < SPARE_MAX {
                buffer.clear();
                spare.push(buffer);
            }
        }
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
        // Most segments are bare ACKs: they say nothing, and are told apart first.
        let flags = p.segment.flags;
        if payload.is_empty() && !flags.fin() && !flags.rst() {
            return;
        }
        let stream = p.stream;
        if self.off || self.is_settled(stream) {
            return;
        }
        let dir = usize::from(!p.from_client);
        let Openings { under_way, spare, text, .. } = self;
        // (One look-up of the connection per segment.)
        let (heads, grew) = if payload.is_empty() {
            match under_way.get_mut(&stream) {
                Some(heads) => (heads, false),
                // A FIN or RST before any byte: nothing to read yet (an injected RST that the
                // endpoints ignore may come before all their bytes).
                None => return,
            }
        } else {
            let heads = under_way.entry(stream).or_default();
            let len = p.segment.payload_len as usize;
            // The answer's first segment is read where it is: what it says is most often
            // settled by it (an HTTP status, a ServerHello), and then it is never copied.
            if heads.bytes[dir].is_empty() && heads.next[dir].is_none() && !heads.bytes[1 - dir].is_empty() && !flags.fin() && !flags.rst() {
                let view = &payload[..payload.len().min(HEAD_BYTES)];
                let done = payload.len() < len || view.len() >= HEAD_BYTES;
                let other = &heads.bytes[1 - dir][..];
                let (client, server, server_done) = if dir == 1 { (other, view, done) } else { (view, other, heads.ended[1] || other.len() >= HEAD_BYTES) };
                if let Some(said) = said_if_settled(client, server, false, server_done) {
                    let kept = said.keep(text);
                    retire(under_way, spare, stream);
                    self.settle(stream, kept);
                    return;
                }
            }
            let grew = heads.take(dir, p.seq.wrapping_add(u32::from(flags.syn())), payload, len, spare);
            (heads, grew)
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
        let closed = flags.rst() || heads.fins == 3 || (full(0) && full(1));
        let Some(said) = said_if_settled(&heads.bytes[0], &heads.bytes[1], closed, full(1)) else { return };
        let kept = said.keep(text);
        retire(under_way, spare, stream);
        self.settle(stream, kept);
    }

    fn is_settled(&self, stream: u32) -> bool {
        self.settled.get(stream as usize / 64).is_some_and(|w| w & (1 << (stream % 64)) != 0)
    }

    fn settle(&mut self, stream: u32, kept: Option<Kept>) {
        let (word, bit) = (stream as usize / 64, stream % 64);
        if self.settled.len() <= word {
            self.settled.resize(word + 1, 0);
        }
        self.settled[word] |= 1 << bit;
        if let Some(k) = kept {
            let at = stream as usize;
            if self.at.len() <= at {
                self.at.resize(at + 1, NONE);
            }
            self.at[at] = self.read.len() as u32;
            self.read.push(k);
        }
    }

    /// What connection `stream`'s opening says so far (read again from its heads while they are
    /// still gathered: a capture still being read lists connections under way).
    pub(super) fn opening(&self, stream: u32) -> Option<std::borrow::Cow<'_, Opening>> {
        if let Some(heads) = self.under_way.get(&stream) {
            return Opening::read_quick(&heads.bytes[0], &heads.bytes[1]).map(std::borrow::Cow::Owned);
        }
        let k = self.read.get(*self.at.get(stream as usize).filter(|&&i| i != NONE)? as usize)?;
        // (Texts the readers made are inert already; making them so again changes nothing.)
        let bytes = |r: Option<(u32, u32)>| r.and_then(|(start, len)| self.text.get(start as usize..(start + len) as usize));
        let name = bytes(k.name).map(|b| crate::app::inert(b).into_boxed_str());
        let request = bytes(k.request).map(|b| match b.split_at_checked(usize::from(k.method_len)) {
            Some((method, rest)) if k.method_len > 0 => QuickHttp { method, target: rest.get(1..).unwrap_or_default(), host: None, status: None }.opening().request.unwrap_or_default(),
            _ => crate::app::inert(b).into_boxed_str(),
        });
        Some(std::borrow::Cow::Owned(Opening { protocol: k.protocol, name, request, qtype: k.qtype, status: k.status, version: k.version, version_chosen: k.version_chosen }))
    }

    /// The capture ended: every opening under way is what its heads say.
    pub(super) fn finish(&mut self) {
        let mut under_way: Vec<(u32, Heads)> = std::mem::take(&mut self.under_way).into_iter().collect();
        under_way.sort_unstable_by_key(|(s, _)| *s);
        for (stream, heads) in under_way {
            let said = match quick_http(&heads.bytes[0], &heads.bytes[1]) {
                Some(q) => Said::Quick(q),
                None => Said::Read(Opening::read(&heads.bytes[0], &heads.bytes[1])),
            };
            let kept = said.keep(&mut self.text);
            self.settle(stream, kept);
        }
        // Nothing more will be read: the spare buffers go, and the records take no more room
        // than they fill (the session keeps them as long as the file is open).
        self.spare = Vec::new();
        self.read.shrink_to_fit();
        self.text.shrink_to_fit();
        self.at.shrink_to_fit();
    }

    /// Bytes held (for the session's memory account).
    pub(super) fn memory_bytes(&self) -> usize {
        let heads: usize = self.under_way.values().map(|h| 64 + h.bytes[0].capacity() + h.bytes[1].capacity()).sum();
        let spare: usize = self.spare.iter().map(Vec::capacity).sum();
        heads + spare + self.text.capacity() + self.read.capacity() * std::mem::size_of::<Kept>() + self.at.capacity() * 4 + self.settled.capacity() * 8
    }
}

impl Heads {
    /// Adds a segment's bytes where they continue the head of direction `dir`; a segment past
    /// the next byte wanted (a gap, or data out of order) ends the head, and so do bytes the
    /// snap length cut off (`len`: the segment's length on the wire). Whether the head grew.
    fn take(&mut self, dir: usize, seq: u32, payload: &[u8], len: usize, spare: &mut Vec<Vec<u8>>) -> bool {
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
        if head.capacity() == 0 {
            if let Some(buffer) = spare.pop() {
                *head = buffer;
            }
        }
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
