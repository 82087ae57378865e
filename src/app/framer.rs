//! One direction's bytes cut into messages, as they come: a protocol's reader says how many
//! bytes its next step takes (a header it must see, a body it may skip), and the framer keeps
//! only what the reader still has to look at. A body of a gigabyte is skipped by count, never
//! held; a gap in the capture inside a body it skips costs nothing, elsewhere it cuts the
//! message under way (a gap is a gap: what follows is read only if it starts a message).

use super::{Message, What};

/// Bytes a reader may ask to see at once before its message is called unreadable (an HTTP
/// header block, a TLS record: both far smaller in practice).
pub const MAX_LOOK: usize = 256 * 1024;

/// What a reader does with the bytes in front of it.
#[derive(Debug)]
pub enum Step {
    /// Not enough bytes to decide: wait for more.
    More,
    /// The first `n` bytes belong to the message under way, which goes on.
    Take(usize),
    /// The next `n` bytes belong to the message under way and need not be seen (a body).
    Skip(u64),
    /// The message ends after the first `n` bytes.
    Done(usize, What),
    /// The message ends after the next `n` bytes, which need not be seen (the rest of a body):
    /// it is complete, and counted from the frame that brings its last byte.
    Finish(u64, What),
    /// These bytes are not this protocol's: the rest of the direction is unknown data.
    Lost,
}

/// A protocol's reader of one direction.
pub trait Reader {
    /// The next step over `buf`, the bytes not yet taken (at least one byte).
    fn step(&mut self, buf: &[u8]) -> Step;
    /// The direction ended (or a gap cut it) with a message under way: what it was, if the
    /// reader can say (an HTTP body read until the close is complete at the close).
    fn cut(&mut self, _ended: bool) -> Option<What> {
        None
    }
    /// Whether a gap of the capture that falls inside a skipped body leaves the reader in step.
    fn survives_gap_in_skip(&self) -> bool {
        true
    }
    /// Whether `bytes`, the start of a segment after bytes that were not read (a gap, or
    /// bytes that broke the protocol's rules), begin a message of this protocol: where the
    /// reader starts again, as Wireshark's dissectors do at a segment's start.
    fn starts_message(&self, _bytes: &[u8]) -> bool {
        false
    }
    /// Forgets the message under way, to start again at a message's first byte.
    fn restart(&mut self) {}
    /// Whether [`Reader::starts_message`] can ever say yes (a protocol that cannot start again
    /// after lost bytes need not see the rest).
    fn can_restart(&self) -> bool {
        true
    }
}

/// Runs a reader over one direction's pieces.
pub struct Framer<R: Reader> {
    pub reader: R,
    from_client: bool,
    buf: Vec<u8>,
    /// Stream offset of `buf[0]` (bytes of the direction, gaps counted by their length).
    at: u64,
    skip: u64,
    /// Where the message under way began.
    start: u64,
    /// Not this protocol any more: every later byte is unknown data.
    lost: bool,
    /// The message that ends when the bytes being skipped are through.
    pending: Option<What>,
    /// Bytes of the message under way that a gap left out of a skipped body.
    uncaptured: u64,
    pub out: Vec<Message>,
}

impl<R: Reader> Framer<R> {
    pub fn new(reader: R, from_client: bool) -> Self {
        Framer { reader, from_client, buf: Vec::new(), at: 0, skip: 0, start: 0, lost: false, pending: None, uncaptured: 0, out: Vec::new() }
    }

    pub fn bytes(&mut self, mut bytes: &[u8]) {
        if self.lost && !bytes.is_empty() && self.reader.starts_message(bytes) {
            let end = self.at;
            if end > self.start {
                self.push_unknown(end);
            }
            self.lost = false;
            self.reader.restart();
            self.start = self.at;
        }
        if self.lost {
            self.at += bytes.len() as u64;
            return;
        }
        if self.skip > 0 && self.buf.is_empty() {
            let n = self.skip.min(bytes.len() as u64) as usize;
            self.skip -= n as u64;
            self.at += n as u64;
            bytes = &bytes[n..];
            self.skipped();
        }
        self.buf.extend_from_slice(bytes);
        self.run();
    }

    /// Whether the next `len` bytes must be seen: not if they fall inside a body being
    /// skipped, nor once the direction is lost to a protocol that cannot start again.
    pub fn wants(&self, len: u64, bytes_start_here: bool) -> bool {
        let in_skip = self.buf.is_empty() && self.skip >= len;
        let lost_for_good = self.lost && !self.reader.can_restart();
        !(in_skip || lost_for_good || (self.lost && !bytes_start_here))
    }

    /// `len` bytes that [`Framer::wants`] said need not be seen, taken as they come.
    pub fn pass(&mut self, len: u64) {
        if self.lost {
            self.at += len;
        } else {
            self.skip -= len.min(self.skip);
            self.at += len;
            self.skipped();
        }
    }

    pub fn gap(&mut self, len: u64) {
        if !self.lost && self.buf.is_empty() && self.skip >= len && self.reader.survives_gap_in_skip() {
            self.skip -= len;
            self.at += len;
            self.uncaptured += len;
            self.skipped();
            return;
        }
        self.cut_here(false);
        let from = self.at;
        self.out.push(Message { from_client: self.from_client, start: from, end: from + len, uncaptured: 0, what: What::Gap });
        self.at = from + len;
        self.buf.clear();
        self.skip = 0;
        self.pending = None;
        self.start = self.at;
        // What follows a gap is read again only from a segment that starts a message.
        self.lost = true;
    }

    pub fn end(&mut self) {
        self.cut_here(true);
    }

    /// Closes the message under way at the end of what was seen (a gap or the end).
    fn cut_here(&mut self, ended: bool) {
        let end = self.at + self.buf.len() as u64;
        if self.lost {
            if end > self.start {
                self.push_unknown(end);
            }
            return;
        }
        if end > self.start {
            let what = match self.pending.take() {
                // A body cut short: the message is what it was, not complete.
                Some(what) => what.cut_short(),
                None => self.reader.cut(ended).unwrap_or(What::Unknown { complete: false }),
            };
            self.out.push(Message { from_client: self.from_client, start: self.start, end, uncaptured: std::mem::take(&mut self.uncaptured), what });
        }
        self.uncaptured = 0;
        self.at = end;
        self.buf.clear();
        self.start = end;
    }

    fn push_unknown(&mut self, end: u64) {
        self.out.push(Message { from_client: self.from_client, start: self.start, end, uncaptured: 0, what: What::Unknown { complete: true } });
        self.start = end;
    }

    fn run(&mut self) {
        while !self.buf.is_empty() && self.skip == 0 {
            match self.reader.step(&self.buf) {
                Step::More => {
                    if self.buf.len() > MAX_LOOK {
                        self.lose();
                    }
                    return;
                }
                // A step that takes nothing would never end: a reader's mistake, read as lost.
                Step::Take(0) | Step::Skip(0) | Step::Done(0, _) => {
                    self.lose();
                    return;
                }
                Step::Take(n) => self.take(n.min(self.buf.len())),
                Step::Skip(n) => self.skip_over(n),
                Step::Finish(n, what) => {
                    self.pending = Some(what);
                    self.skip_over(n);
                    self.skipped();
                }
                Step::Done(n, what) => {
                    self.take(n.min(self.buf.len()));
                    self.push_done(what);
                }
                Step::Lost => {
                    self.lose();
                    return;
                }
            }
        }
    }

    fn skip_over(&mut self, n: u64) {
        let here = n.min(self.buf.len() as u64) as usize;
        self.take(here);
        self.skip = n - here as u64;
    }

    /// A skip is through: the message waiting for it ends here.
    fn skipped(&mut self) {
        if self.skip == 0 {
            if let Some(what) = self.pending.take() {
                self.push_done(what);
            }
        }
    }

    fn push_done(&mut self, what: What) {
        self.out.push(Message { from_client: self.from_client, start: self.start, end: self.at, uncaptured: std::mem::take(&mut self.uncaptured), what });
        self.start = self.at;
    }

    fn take(&mut self, n: usize) {
        self.buf.drain(..n);
        self.at += n as u64;
    }

    /// From here on the bytes are not this protocol's: they are unknown data, one message up
    /// to the end or the next gap.
    fn lose(&mut self) {
        self.lost = true;
        self.at += self.buf.len() as u64;
        self.buf.clear();
        self.skip = 0;
        self.pending = None;
    }
}
