//! The messages of a connection built a batch of chunks at a time, for a reader of bytes that
//! must fetch them (the page's worker reads frames from the `File`): it says which chunks of
//! the followed stream it needs next, and passes over those it need not see — a body skipped
//! by its length, a direction no reader can read any more — so a gigabyte's transfer is read
//! only where its messages begin.

use std::collections::BTreeMap;

use crate::app::{self, DirectionReader, Message, Piece, Protocol};
use crate::follow::{ChunkKind, FollowPlan};

/// Bytes of each direction's start read to tell the protocol (an HTTP request line can be
/// long).
const DETECT_BYTES: usize = 2048;

pub struct MessagesBuild {
    /// Per chunk, bytes of its segment after it that the capture cut off (a snap length):
    /// a gap the followed stream does not mark, as the next chunk's sequence number shows.
    tails: Vec<u32>,
    /// Chunks of the plan fed so far.
    next: usize,
    /// While the protocol is not told yet: the first chunks' bytes (kept, to be fed after).
    first: BTreeMap<usize, Vec<u8>>,
    reading: Option<Reading>,
    pub(super) done: Vec<Message>,
}

struct Reading {
    protocol: Protocol,
    readers: [DirectionReader; 2],
}

impl MessagesBuild {
    pub fn new() -> Self {
        MessagesBuild { tails: Vec::new(), next: 0, first: BTreeMap::new(), reading: None, done: Vec::new() }
    }

    /// The chunks (indices into `plan.chunks`) whose bytes are needed next, at most `max`;
    /// empty when every chunk has been fed.
    pub fn needs(&mut self, plan: &FollowPlan, max: usize) -> Vec<usize> {
        if self.tails.len() != plan.chunks.len() {
            self.tails = cut_tails(plan);
        }
        if self.reading.is_none() {
            let wanted = detection_chunks(plan, &self.first);
            if !wanted.is_empty() {
                return wanted;
            }
            self.start_reading(plan);
        }
        self.pass_unwanted(plan);
        (self.next..plan.chunks.len()).filter(|&i| matches!(plan.chunks[i].kind, ChunkKind::Bytes { .. })).take(max).collect()
    }

    /// The bytes of chunks [`MessagesBuild::needs`] named (in any order; a chunk missing is
    /// read as a gap of its length, never as other bytes).
    pub fn give(&mut self, plan: &FollowPlan, mut bytes: BTreeMap<usize, Vec<u8>>) {
        let Some(reading) = &mut self.reading else {
            self.first.append(&mut bytes);
            return;
        };
        let last = bytes.keys().next_back().copied().unwrap_or(0);
        while self.next <= last && self.next < plan.chunks.len() {
            let c = &plan.chunks[self.next];
            let side = usize::from(!c.from_client);
            let given = self.first.remove(&self.next).or_else(|| bytes.remove(&self.next));
            feed(reading, &mut self.done, side, c, given, self.tails.get(self.next).copied().unwrap_or(0));
            self.next += 1;
        }
    }

    /// Every chunk fed: the messages in the order their last bytes came.
    pub fn finish(mut self) -> (Protocol, Vec<Message>) {
        let Some(reading) = self.reading.take() else { return (Protocol::Unknown, self.done) };
        let [client, server] = reading.readers;
        self.done.extend(client.finish());
        self.done.extend(server.finish());
        (reading.protocol, self.done)
    }

    fn start_reading(&mut self, plan: &FollowPlan) {
        let head = |from_client: bool| {
            let mut b = Vec::new();
            for (i, c) in plan.chunks.iter().enumerate().filter(|(_, c)| c.from_client == from_client) {
                match (c.kind, self.first.get(&i)) {
                    (ChunkKind::Bytes { .. }, Some(bytes)) if b.len() < DETECT_BYTES => b.extend_from_slice(bytes),
                    _ => break,
                }
            }
            b
        };
        let protocol = app::detect(&head(true), &head(false));
        let context = app::Context::default();
        self.reading = Some(Reading { protocol, readers: [DirectionReader::new(protocol, true, &context), DirectionReader::new(protocol, false, &context)] });
    }

    /// Feeds the gaps and the chunks no reader needs to see, up to the first one it needs.
    fn pass_unwanted(&mut self, plan: &FollowPlan) {
        let Some(reading) = &mut self.reading else { return };
        while let Some(c) = plan.chunks.get(self.next) {
            let side = usize::from(!c.from_client);
            let needed = match c.kind {
                ChunkKind::Gap { .. } => false,
                ChunkKind::Bytes { offset, len } => self.first.contains_key(&self.next) || reading.readers[side].wants(u64::from(len), offset == 0),
            };
            if needed && !self.first.contains_key(&self.next) {
                return;
            }
            let given = self.first.remove(&self.next);
            feed(reading, &mut self.done, side, c, given, self.tails.get(self.next).copied().unwrap_or(0));
            self.next += 1;
        }
    }
}

impl Default for MessagesBuild {
    fn default() -> Self {
        Self::new()
    }
}

/// One chunk to its direction's reader: its bytes, a gap, or passed unseen.
fn feed(reading: &mut Reading, done: &mut Vec<Message>, side: usize, c: &crate::follow::FollowChunk, given: Option<Vec<u8>>, tail: u32) {
    let reader = &mut reading.readers[side];
    match (c.kind, given) {
        (ChunkKind::Gap { len, .. }, _) => reader.piece(Piece::Gap(u64::from(len))),
        (ChunkKind::Bytes { len, offset }, None) if !reader.wants(u64::from(len), offset == 0) => reader.pass(u64::from(len)),
        (ChunkKind::Bytes { len, .. }, None) => reader.piece(Piece::Gap(u64::from(len))),
        (ChunkKind::Bytes { .. }, Some(bytes)) => reader.piece(Piece::Bytes(&bytes)),
    }
    if tail > 0 {
        reader.piece(Piece::Gap(u64::from(tail)));
    }
    let finished = reader.take_done();
    if side == 0 {
        for m in &finished {
            reading.readers[1].answered(&m.what);
        }
    }
    done.extend(finished);
}

/// The first chunks of each direction not read yet, up to [`DETECT_BYTES`] or a gap.
fn detection_chunks(plan: &FollowPlan, first: &BTreeMap<usize, Vec<u8>>) -> Vec<usize> {
    let mut wanted = Vec::new();
    for from_client in [true, false] {
        let mut have = 0;
        for (i, c) in plan.chunks.iter().enumerate().filter(|(_, c)| c.from_client == from_client) {
            if matches!(c.kind, ChunkKind::Gap { .. }) || have >= DETECT_BYTES {
                break;
            }
            match first.get(&i) {
                Some(b) => have += b.len(),
                None => {
                    wanted.push(i);
                    have += c.len() as usize;
                }
            }
        }
    }
    wanted.sort_unstable();
    wanted
}

/// Per chunk, the bytes of its segment the capture cut off after it: the distance to the next
/// chunk of its direction in sequence space, beyond its own length (0 for the last).
pub(super) fn cut_tails(plan: &FollowPlan) -> Vec<u32> {
    let mut tails = vec![0; plan.chunks.len()];
    let mut last: [Option<usize>; 2] = [None, None];
    for (i, c) in plan.chunks.iter().enumerate() {
        let side = usize::from(!c.from_client);
        if let Some(p) = last[side] {
            let before = &plan.chunks[p];
            if matches!(before.kind, ChunkKind::Bytes { .. }) {
                let distance = c.seq.wrapping_sub(before.seq.wrapping_add(before.len())) as i32;
                tails[p] = distance.max(0) as u32;
            }
        }
        last[side] = Some(i);
    }
    tails
}
