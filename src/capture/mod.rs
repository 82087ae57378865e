//! Capture reading: the bytes of a pcap, pcapng or gzip-compressed file become raw frames.
//!
//! Only this module knows about `pcap_file`. A reader never panics on bad input: it hands out
//! every frame it could read and then reports where and why it stopped ([`Damage`]), or, when
//! nothing at all could be read, a [`NotACapture`] that says what the file looks like instead.

pub mod clock;
mod damage;
mod format;
mod frame;
mod gzip;
mod link_type;
mod pcap;
mod pcapng;
mod sniff;

pub use damage::{Damage, NotACapture};
pub use format::{Container, FormatInfo};
pub use frame::RawFrame;
pub use link_type::link_type_name;

use pcap::PcapReader;
use pcapng::PcapNgReader;

/// What reading a whole capture produced, apart from the frames handed to the visitor.
#[derive(Debug, Clone)]
pub struct ReadOutcome {
    pub format: FormatInfo,
    /// Set when the file is damaged part-way; every frame before the damage was delivered.
    pub damage: Option<Damage>,
    /// For a gzip file, the decompressed bytes: frame offsets refer to these.
    pub inflated: Option<Vec<u8>>,
}

/// Reads every frame of `bytes` in file order and hands each to `visit`.
///
/// Returns `Err` only when not a single frame could be read because the file is not a capture
/// we understand; damage after the header is reported in [`ReadOutcome::damage`].
pub fn read_capture(
    bytes: &[u8],
    visit: &mut dyn FnMut(&RawFrame<'_>),
) -> Result<ReadOutcome, NotACapture> {
    let mut reader = CaptureReader::new(Some(bytes.len() as u64));
    reader.step(bytes, true, visit)?;
    reader.outcome()
}

enum Inner {
    /// The container is not known yet.
    Start,
    Pcap(PcapReader),
    PcapNg(PcapNgReader),
    /// gzip: the compressed bytes are collected and inflated at the end (frame offsets then
    /// refer to the inflated bytes, which are kept for the packet detail view).
    Gzip(Vec<u8>),
    /// Damage was found or the end reached: later bytes are not read.
    Stopped,
}

/// Reads a capture handed over a piece at a time (as a browser reads a big `File` in slices):
/// every whole record is read as soon as it has arrived, and only the unread tail of a piece
/// is kept, so memory does not grow with the file.
pub struct CaptureReader {
    inner: Inner,
    format: Option<FormatInfo>,
    damage: Option<Damage>,
    inflated: Option<Vec<u8>>,
    file_len: Option<u64>,
    /// The unread tail of the pieces so far (a record that has not fully arrived).
    pending: Vec<u8>,
    /// File offset of the first byte not yet read as a whole record.
    offset: u64,
}

impl CaptureReader {
    /// `file_len`, when known, lets a corrupt record length be told from a cut-off file early.
    pub fn new(file_len: Option<u64>) -> Self {
        CaptureReader {
            inner: Inner::Start,
            format: None,
            damage: None,
            inflated: None,
            file_len,
            pending: Vec::new(),
            offset: 0,
        }
    }

    /// Bytes of the file read as whole records (or taken in, for gzip) so far.
    pub fn bytes_read(&self) -> u64 {
        self.offset
    }

    /// Frame numbers handed out so far (packets and numbered non-packet records).
    pub fn frames(&self) -> u64 {
        self.format.as_ref().map_or(0, FormatInfo::frames)
    }

    /// Damage was found: the rest of the file will not be read.
    pub fn stopped(&self) -> bool {
        matches!(self.inner, Inner::Stopped)
    }

    /// Reads the next piece of the file.
    pub fn push(
        &mut self,
        piece: &[u8],
        visit: &mut dyn FnMut(&RawFrame<'_>),
    ) -> Result<(), NotACapture> {
        if self.stopped() {
            return Ok(());
        }
        if self.pending.is_empty() {
            // The common case: read straight from the piece, keep only its unread tail.
            let used = self.step(piece, false, visit)?;
            if !self.stopped() {
                self.pending.extend_from_slice(&piece[used..]);
            }
        } else {
            let mut pending = std::mem::take(&mut self.pending);
            pending.extend_from_slice(piece);
            let used = self.step(&pending, false, visit)?;
            pending.drain(..used);
            if !self.stopped() {
                self.pending = pending;
            }
        }
        Ok(())
    }

    /// The end of the file: reads what is left and says what the file was.
    pub fn finish(
        mut self,
        visit: &mut dyn FnMut(&RawFrame<'_>),
    ) -> Result<ReadOutcome, NotACapture> {
        let pending = std::mem::take(&mut self.pending);
        if !self.stopped() {
            self.step(&pending, true, visit)?;
        }
        self.outcome()
    }

    /// Reading stops before the end (the user cancelled): the unread tail is dropped, not
    /// reported as damage.
    pub fn stop_here(self, visit: &mut dyn FnMut(&RawFrame<'_>)) -> Result<ReadOutcome, NotACapture> {
        // A gzip file is inflated at its end: what arrived so far is inflated now.
        if let Inner::Gzip(collected) = &self.inner {
            return read_gzip(collected, visit);
        }
        match self.format {
            Some(_) => self.outcome(),
            None => Err(NotACapture::new("reading was cancelled before the file header was read")),
        }
    }

    fn outcome(self) -> Result<ReadOutcome, NotACapture> {
        match self.format {
            Some(format) => Ok(ReadOutcome {
                format,
                damage: self.damage,
                inflated: self.inflated,
            }),
            None => Err(NotACapture::new("the file is empty")),
        }
    }

    /// Reads the whole records of `bytes` (which start at `self.offset`); returns how many
    /// bytes were used.
    fn step(
        &mut self,
        bytes: &[u8],
        eof: bool,
        visit: &mut dyn FnMut(&RawFrame<'_>),
    ) -> Result<usize, NotACapture> {
        let mut used = 0;
        if let Inner::Start = self.inner {
            if gzip::is_gzip(bytes) {
                self.inner = Inner::Gzip(Vec::new());
            } else {
                let Some((header_len, inner, format)) = self.start(bytes, eof)? else {
                    return Ok(0);
                };
                self.inner = inner;
                self.format = Some(format);
                used = header_len;
                self.offset += header_len as u64;
            }
        }
        let base = self.offset;
        let rest = &bytes[used..];
        let fed = match (&mut self.inner, self.format.as_mut()) {
            (Inner::Pcap(r), Some(format)) => r.feed(format, rest, base, eof, visit),
            (Inner::PcapNg(r), Some(format)) => r.feed(format, rest, base, eof, visit),
            (Inner::Gzip(collected), _) => {
                if !eof {
                    collected.extend_from_slice(rest);
                    self.offset += rest.len() as u64;
                    return Ok(bytes.len());
                }
                let whole = if collected.is_empty() {
                    rest
                } else {
                    collected.extend_from_slice(rest);
                    &collected[..]
                };
                let outcome = read_gzip(whole, visit)?;
                self.offset += rest.len() as u64;
                self.format = Some(outcome.format);
                self.damage = outcome.damage;
                self.inflated = outcome.inflated;
                self.inner = Inner::Stopped;
                return Ok(bytes.len());
            }
            _ => return Ok(bytes.len()),
        };
        self.offset += fed.consumed as u64;
        if fed.damage.is_some() || eof {
            self.damage = fed.damage;
            self.inner = Inner::Stopped;
        }
        Ok(used + fed.consumed)
    }

    /// Tells the container from the first bytes and reads its header. `Ok(None)`: more bytes
    /// are needed to tell.
    fn start(
        &self,
        bytes: &[u8],
        eof: bool,
    ) -> Result<Option<(usize, Inner, FormatInfo)>, NotACapture> {
        // The description of a non-capture looks at up to 512 bytes.
        const SNIFF_LEN: usize = 512;
        Ok(match sniff::sniff(bytes) {
            sniff::Kind::Pcap => PcapReader::start(bytes, eof)?.map(|(n, mut r, f)| {
                r.file_len = self.file_len;
                (n, Inner::Pcap(r), f)
            }),
            sniff::Kind::PcapNg => {
                PcapNgReader::start(bytes, eof)?.map(|(n, r, f)| (n, Inner::PcapNg(r), f))
            }
            sniff::Kind::Other(_) if !eof && bytes.len() < SNIFF_LEN => None,
            sniff::Kind::Other(what) => return Err(NotACapture::new(what)),
        })
    }
}

/// A whole gzip-compressed capture: inflated, then read like any other.
fn read_gzip(
    bytes: &[u8],
    visit: &mut dyn FnMut(&RawFrame<'_>),
) -> Result<ReadOutcome, NotACapture> {
    let inflated = gzip::inflate(bytes);
    if inflated.data.is_empty() {
        return Err(NotACapture::new(match inflated.error {
            Some(e) => format!("this is a gzip file, but it could not be decompressed: {e}"),
            None => "this is an empty gzip file".to_string(),
        }));
    }
    let mut inner = CaptureReader::new(Some(inflated.data.len() as u64));
    if gzip::is_gzip(&inflated.data) {
        // A gzip file inside a gzip file is not a capture we read; say what it is.
        return Err(NotACapture::new(
            "this is a gzip file that holds another gzip file; decompress it first",
        ));
    }
    inner.step(&inflated.data, true, visit)?;
    let mut outcome = inner.outcome()?;
    outcome.format.gzip = true;
    let inflated_len = inflated.data.len() as u64;
    outcome.inflated = Some(inflated.data);
    // Why decompression stopped is the cause: a record cut short at that point is its effect.
    if let Some(e) = inflated.error {
        outcome.damage = Some(Damage {
            message: format!("{e}; everything before it was read"),
            offset: inflated_len,
            after_frame: outcome.format.frames(),
        });
    } else if let Some(d) = outcome.damage.as_mut() {
        d.message
            .push_str(" (offset counted in the decompressed data)");
    }
    Ok(outcome)
}
