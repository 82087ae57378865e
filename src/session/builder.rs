//! [`SessionBuilder`]: a capture analysed as it arrives a piece at a time (the page's worker,
//! the command line's `--memory-limit-mb` and streaming `analyze`); the session so far can be
//! looked at between pieces.

use super::{Segments, Session};
use crate::capture::{CaptureReader, NotACapture, RawFrame};
use crate::paged::PagedVec;
use crate::reanalysis::Reanalysed;
use crate::tcp::TcpPacket;

/// Analyses a capture that arrives a piece at a time (a big file read in slices): the session
/// so far can be looked at between pieces.
pub struct SessionBuilder {
    session: Session,
    reader: CaptureReader,
}

impl SessionBuilder {
    pub fn new(file_len: Option<u64>) -> Self {
        SessionBuilder {
            session: Session::empty(),
            reader: CaptureReader::new(file_len),
        }
    }

    /// A builder whose session does not keep the segments: each is handed over once, through
    /// [`SessionBuilder::take_new_packets`], and only connections are kept (memory then grows
    /// with connections, not with segments).
    pub fn streaming(file_len: Option<u64>) -> Self {
        let mut builder = SessionBuilder::new(file_len);
        builder.session.segments = Segments::Streamed { new_packets: Vec::new() };
        builder
    }

    /// A builder whose session keeps only where each segment is (32 bytes), not the segment
    /// analysed (the page's worker): a connection's segments are read again from the file
    /// and re-analysed when it is shown (see [`crate::reanalysis`]).
    pub fn placed(file_len: Option<u64>) -> Self {
        let mut builder = SessionBuilder::new(file_len);
        // The page shows the first connection as soon as there is one: it is taken from the
        // reader as it comes, never read again.
        builder.session.tracker.forget_syn_options();
        builder.session.segments = Segments::Placed { places: PagedVec::default(), link_types: Vec::new(), open: Some(Box::new(Reanalysed::new(0))) };
        builder
    }

    /// The same builder, reading no connection's opening (the list's "what"): for a benchmark's
    /// baseline, to measure what reading them costs.
    pub fn without_openings(mut self) -> Self {
        self.session.openings.off = true;
        self
    }

    /// The segments read since the last call (a streaming builder's; see
    /// [`Session::take_new_packets`]).
    pub fn take_new_packets(&mut self) -> Vec<TcpPacket> {
        self.session.take_new_packets()
    }

    /// Reads the next piece. `Err`: the file is not a capture (detected at its start).
    pub fn push(&mut self, piece: &[u8]) -> Result<(), NotACapture> {
        let session = &mut self.session;
        self.reader
            .push(piece, &mut |frame: &RawFrame<'_>| session.add_frame(frame))
    }

    /// The end of the file (or of what the user let us read).
    pub fn finish(self) -> Result<Session, NotACapture> {
        let mut session = self.session;
        let outcome = self
            .reader
            .finish(&mut |frame: &RawFrame<'_>| session.add_frame(frame))?;
        Ok(session.complete(outcome))
    }

    /// Stops before the end of the file (the user cancelled): what was read is the session.
    pub fn stop_here(self) -> Result<Session, NotACapture> {
        let mut session = self.session;
        let outcome = self.reader.stop_here(&mut |frame: &RawFrame<'_>| session.add_frame(frame))?;
        Ok(session.complete(outcome))
    }

    /// What has been read so far.
    pub fn session(&self) -> &Session {
        &self.session
    }

    /// The same, to re-analyse a connection in (see [`Session::reanalyse`]).
    pub fn session_mut(&mut self) -> &mut Session {
        &mut self.session
    }

    /// Bytes of the file read so far.
    pub fn bytes_read(&self) -> u64 {
        self.reader.bytes_read()
    }

    /// Frames read so far (the session's own format is filled in only at the end).
    pub fn frames_read(&self) -> u64 {
        self.reader.frames()
    }

    /// Damage was found: the rest of the file would not be read.
    pub fn stopped(&self) -> bool {
        self.reader.stopped()
    }
}
