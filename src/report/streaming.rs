//! `tcp-ladder analyze` as a stream: the capture is read a piece at a time with the worker's
//! reader and each packet's row is written as soon as its segment is analysed (Wireshark's
//! analysis is one pass, so a row never changes afterwards). Nothing grows with the file but
//! the connections and, per segment of a connection whose summary is asked for, the few words
//! its endpoints' states are replayed from (a `Wire`, 24 bytes). The exception is a
//! gzip-compressed file: the reader inflates it whole at its end, then hands out its rows.
//!
//! The JSON document has the same members as [`super::AnalyzeReport`], in the order they
//! become known: `packets` first, then `streams`, `format`, `summary` and `errors`.
//! NDJSON writes one object per line instead, each with a `record` member (`packet`,
//! `stream`, `format`, `summary`, `error`) before the same fields.
//!
//! `analyze --messages` adds each stream's application messages to its summary
//! ([`write_analysis_with_messages`]): they need the connection's payload, which this pass
//! does not keep, so the command line analyses the whole file once more for them.

use std::io::{Read, Write};

use serde::Serialize;

use super::facts::FactsGatherer;
use super::messages::{MessageJson, StreamMessagesJson};
use super::json::{errors_json, format_json, packet_json, stream_json, summary_json};
use crate::capture::NotACapture;
use crate::session::{memory_limit_damage, Session, SessionBuilder};
use crate::tcp::TcpPacket;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OutputFormat {
    /// One JSON document.
    Json,
    /// One JSON object per line (for jq, DuckDB, pandas …).
    Ndjson,
}

/// What to write.
#[derive(Debug, Clone, Copy)]
pub struct AnalyzeOptions {
    pub format: OutputFormat,
    /// Per-packet rows (`--streams-only` leaves them out).
    pub packets: bool,
    /// Only this connection (`tcp.stream` index): its rows and its summary.
    pub stream: Option<u32>,
    /// Stop reading once the analysis holds this many bytes (`--memory-limit-mb`).
    pub memory_limit: Option<u64>,
    /// Bytes read from the input at a time.
    pub piece: usize,
}

impl Default for AnalyzeOptions {
    fn default() -> Self {
        AnalyzeOptions { format: OutputFormat::Json, packets: true, stream: None, memory_limit: None, piece: 1 << 20 }
    }
}

/// Why nothing (or not everything) could be written.
#[derive(Debug)]
pub enum AnalyzeError {
    /// Not a capture: nothing was written.
    NotACapture(NotACapture),
    /// Writing failed (a closed pipe, a full disk).
    Write(std::io::Error),
}

/// How the read ended.
#[derive(Debug)]
pub struct AnalyzeOutcome {
    pub session: Session,
    /// `--stream N` named a connection the file does not have.
    pub missing_stream: bool,
}

/// A connection's application messages by its `tcp.stream` index (`None`: not at hand).
pub type MessagesOf<'m> = &'m dyn Fn(u32) -> Option<StreamMessagesJson>;

/// What a connection looked like from a second capture point (`analyze --merge-with B`: the
/// merged connection's members, as `tcp-ladder merge` gives them), by its `tcp.stream` index.
pub type MergeOf<'m> = &'m dyn Fn(u32) -> Option<serde_json::Value>;

/// What is added to each stream's summary, when asked.
#[derive(Default, Clone, Copy)]
pub struct Extras<'m> {
    pub messages_of: Option<MessagesOf<'m>>,
    pub merge_of: Option<MergeOf<'m>>,
}

/// A stream's summary with its messages and its merge after its own members.
#[derive(Serialize)]
struct StreamWithExtras<'a> {
    #[serde(flatten)]
    stream: &'a super::json::StreamJson,
    /// The protocol its messages were read as (`unknown` for none).
    #[serde(skip_serializing_if = "Option::is_none")]
    app_protocol: Option<crate::app::Protocol>,
    #[serde(skip_serializing_if = "Option::is_none")]
    messages: Option<&'a [MessageJson]>,
    /// `null` where the second capture holds no such connection.
    #[serde(skip_serializing_if = "Option::is_none")]
    merge: Option<serde_json::Value>,
}

struct Writer<'m, W: Write> {
    out: W,
    extras: Extras<'m>,
    options: AnalyzeOptions,
    /// Whether the document's opening and the first row have been written.
    opened: bool,
    rows: u64,
    buffer: Vec<u8>,
    /// Per connection whose summary is written (one slot with `--stream N`).
    gathered: Vec<FactsGatherer>,
}

impl<W: Write> Writer<'_, W> {
    /// A JSON document's opening, once there is something to write (a file that turns out not
    /// to be a capture writes nothing).
    fn open(&mut self) -> std::io::Result<()> {
        if !self.opened {
            self.opened = true;
            if self.options.format == OutputFormat::Json {
                self.out.write_all(if self.options.packets { b"{\"packets\":[" } else { b"{" })?;
            }
        }
        Ok(())
    }

    /// One object: a document's array element or an NDJSON line tagged `record`.
    fn object(&mut self, record: &str, value: &impl Serialize, first: bool) -> std::io::Result<()> {
        self.buffer.clear();
        serde_json::to_writer(&mut self.buffer, value).map_err(std::io::Error::other)?;
        match self.options.format {
            OutputFormat::Json => {
                self.out.write_all(if first { b"\n" } else { b",\n" })?;
                self.out.write_all(&self.buffer)
            }
            OutputFormat::Ndjson => {
                write!(self.out, "{{\"record\":\"{record}\"")?;
                // The object's own members follow its opening brace (`{}` has none).
                if self.buffer.len() > 2 {
                    self.out.write_all(b",")?;
                }
                self.out.write_all(&self.buffer[1..])?;
                self.out.write_all(b"\n")
            }
        }
    }

    fn packets(&mut self, packets: &[TcpPacket]) -> std::io::Result<()> {
        for p in packets {
            if self.options.stream.is_some_and(|n| n != p.stream) {
                continue;
            }
            let slot = match self.options.stream {
                Some(_) => 0,
                None => p.stream as usize,
            };
            if self.gathered.len() <= slot {
                self.gathered.resize_with(slot + 1, FactsGatherer::default);
            }
            self.gathered[slot].add(p);
            if self.options.packets {
                self.open()?;
                let first = self.rows == 0;
                self.rows += 1;
                self.object("packet", &packet_json(p), first)?;
            }
        }
        Ok(())
    }

    /// Everything after the rows; says whether `--stream N` found its connection.
    fn finish(&mut self, session: &Session) -> std::io::Result<bool> {
        self.open()?;
        let json = self.options.format == OutputFormat::Json;
        if json {
            let close = if self.options.packets { "\n],\n\"streams\":[" } else { "\n\"streams\":[" };
            self.out.write_all(close.as_bytes())?;
        }
        let streams = session.streams();
        let chosen: Vec<u32> = match self.options.stream {
            Some(n) if (n as usize) < streams.len() => vec![n],
            Some(_) => Vec::new(),
            None => (0..streams.len() as u32).collect(),
        };
        let mut gathered = std::mem::take(&mut self.gathered);
        for (i, &n) in chosen.iter().enumerate() {
            let slot = if self.options.stream.is_some() { 0 } else { n as usize };
            // Taken out, so that each connection's wires are freed once it is written.
            let g = gathered.get_mut(slot).map(std::mem::take).unwrap_or_default();
            let s = &streams[n as usize];
            let json = stream_json(s, &g.finish(s), session.clock.untimed_within(s.first_frame, s.last_frame), session.opening(n).as_deref());
            let messages = self.extras.messages_of.and_then(|of| of(n));
            // (A stream B has not: `merge: null`, said rather than left out.)
            let merge = self.extras.merge_of.map(|of| of(n).unwrap_or(serde_json::Value::Null));
            if messages.is_none() && merge.is_none() {
                self.object("stream", &json, i == 0)?;
            } else {
                let (app_protocol, messages) = match &messages {
                    Some(m) => (Some(m.protocol), Some(&m.messages[..])),
                    None => (None, None),
                };
                self.object("stream", &StreamWithExtras { stream: &json, app_protocol, messages, merge }, i == 0)?;
            }
        }
        if json {
            self.out.write_all(b"\n],\n\"format\":")?;
            serde_json::to_writer(&mut self.out, &format_json(session)).map_err(std::io::Error::other)?;
            self.out.write_all(b",\n\"summary\":")?;
            serde_json::to_writer(&mut self.out, &summary_json(session)).map_err(std::io::Error::other)?;
            self.out.write_all(b",\n\"errors\":")?;
            serde_json::to_writer(&mut self.out, &errors_json(session)).map_err(std::io::Error::other)?;
            self.out.write_all(b"}\n")?;
        } else {
            self.object("format", &format_json(session), false)?;
            self.object("summary", &summary_json(session), false)?;
            for e in errors_json(session) {
                self.object("error", &e, false)?;
            }
        }
        self.out.flush()?;
        Ok(self.options.stream.is_none() || !chosen.is_empty())
    }

    fn gathered_bytes(&self) -> usize {
        self.gathered.iter().map(|g| g.heap_bytes() + std::mem::size_of::<FactsGatherer>()).sum()
    }
}

/// Reads a capture from `input` a piece at a time and writes its analysis to `out` as it goes.
/// `file_len` (when known) lets a damaged record length be told from a cut-off file early.
pub fn write_analysis(input: &mut dyn Read, file_len: Option<u64>, out: impl Write, options: AnalyzeOptions) -> Result<AnalyzeOutcome, AnalyzeError> {
    write_analysis_with_messages(input, file_len, out, options, Extras::default())
}

/// The same, each stream's summary followed by `app_protocol` and `messages` (as `tcp-ladder
/// messages` gives them) where `extras.messages_of` has them, and by `merge` where
/// `extras.merge_of` is given.
pub fn write_analysis_with_messages(input: &mut dyn Read, file_len: Option<u64>, out: impl Write, options: AnalyzeOptions, extras: Extras<'_>) -> Result<AnalyzeOutcome, AnalyzeError> {
    let mut builder = SessionBuilder::streaming(file_len);
    let mut writer = Writer { out, extras, options, opened: false, rows: 0, buffer: Vec::with_capacity(1024), gathered: Vec::new() };
    let mut piece = vec![0u8; options.piece.max(4096)];
    let mut read_error = None;
    loop {
        let n = match input.read(&mut piece) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => {
                read_error = Some(e);
                break;
            }
        };
        builder.push(&piece[..n]).map_err(AnalyzeError::NotACapture)?;
        writer.packets(&builder.take_new_packets()).map_err(AnalyzeError::Write)?;
        if builder.stopped() {
            break;
        }
        if let Some(limit) = options.memory_limit {
            let held = builder.session().memory_bytes() + writer.gathered_bytes();
            if held as u64 >= limit {
                let at = builder.bytes_read();
                let mut session = builder.stop_here().map_err(AnalyzeError::NotACapture)?;
                writer.packets(&session.take_new_packets()).map_err(AnalyzeError::Write)?;
                let total = file_len.unwrap_or(at);
                session.damage = Some(memory_limit_damage(&session, at, total, limit));
                let found = writer.finish(&session).map_err(AnalyzeError::Write)?;
                return Ok(AnalyzeOutcome { session, missing_stream: !found });
            }
        }
    }
    let at = builder.bytes_read();
    let mut session = match read_error {
        // A read that fails part-way (a device error, a pipe that broke) is damage like any
        // other: what was read before it is written, and the error says where.
        Some(e) => {
            let mut session = builder.stop_here().map_err(AnalyzeError::NotACapture)?;
            session.damage.get_or_insert(crate::capture::Damage { message: format!("reading stopped at byte {at}: {e}"), offset: at, after_frame: session.format.frames() });
            session
        }
        None => builder.finish().map_err(AnalyzeError::NotACapture)?,
    };
    writer.packets(&session.take_new_packets()).map_err(AnalyzeError::Write)?;
    let found = writer.finish(&session).map_err(AnalyzeError::Write)?;
    Ok(AnalyzeOutcome { session, missing_stream: !found })
}
