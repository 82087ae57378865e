//! The application's messages in one direction's bytes: HTTP/1.x, TLS records, DNS over TCP,
//! the line protocols (SMTP, FTP, POP3, IMAP, SSH's version line), Redis's RESP and HTTP/2's
//! frames in the clear.
//! Pure parsers of bytes a stranger chose (a leaf: it imports no other module of ours); which
//! protocol a connection speaks is read from its first bytes, never from its ports, and bytes
//! that are no known protocol's are "unknown data", never a guess. `messages` (a floor up)
//! feeds these the followed stream and places each message on its frames.

mod dns;
mod framer;
mod hpack;
mod hpack_huffman;
pub mod http;
pub mod http2;
pub mod lines;
mod opening;
mod resp;
mod text;
pub mod tls;
pub mod tls_hello;

use serde::Serialize;

pub use dns::DnsMessage;
pub use framer::MAX_LOOK;
pub use http::{HttpRequest, HttpResponse};
pub use http2::{HeaderBlock, Http2Frame, Http2Headers};
pub use lines::{LineMessage, Part};
pub use opening::{Opening, HEAD_BYTES};
pub(crate) use opening::{quick_http, QuickHttp};
pub use resp::RespMessage;
pub use text::{cut_chars, inert};
pub use tls::{TlsRecord, TlsHandshake};
pub use tls_hello::Hello;

/// The protocols told apart.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Protocol {
    Http,
    Tls,
    Dns,
    Smtp,
    Ftp,
    /// A `220` greeting, which SMTP and FTP share, and no client command to tell which.
    SmtpOrFtp,
    Pop3,
    Imap,
    Ssh,
    Redis,
    /// HTTP/2 in the clear (h2c with prior knowledge).
    Http2,
    Unknown,
}

impl Protocol {
    pub fn name(self) -> &'static str {
        match self {
            Protocol::Http => "http",
            Protocol::Tls => "tls",
            Protocol::Dns => "dns",
            Protocol::Smtp => "smtp",
            Protocol::Ftp => "ftp",
            Protocol::SmtpOrFtp => "smtp or ftp",
            Protocol::Pop3 => "pop3",
            Protocol::Imap => "imap",
            Protocol::Ssh => "ssh",
            Protocol::Redis => "redis",
            Protocol::Http2 => "http2",
            Protocol::Unknown => "unknown",
        }
    }
}

/// One message of one direction: its place in that direction's bytes (offsets counted from
/// the direction's first byte, the capture's gaps counted by their length) and what it is.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Message {
    pub from_client: bool,
    pub start: u64,
    pub end: u64,
    /// Bytes of the message the capture does not hold (a gap inside a body, which leaves the
    /// reading in step): the message is whole in its framing, not in its bytes.
    #[serde(skip_serializing_if = "is_zero")]
    pub uncaptured: u64,
    pub what: What,
}

fn is_zero(n: &u64) -> bool {
    *n == 0
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum What {
    HttpRequest(HttpRequest),
    HttpResponse(HttpResponse),
    Tls(TlsRecord),
    Dns(DnsMessage),
    /// A line protocol's command, reply, mail or SSH's banner and binary data.
    Line(LineMessage),
    Redis(RespMessage),
    Http2(Http2Frame),
    /// Bytes read as no message: a protocol we do not read, or what follows bytes that broke
    /// the protocol's rules. `complete: false` where a gap or the end cut a message under way.
    Unknown { complete: bool },
    /// Bytes the capture does not hold (acknowledged by the receiver, never captured).
    Gap,
}

impl What {
    /// The message as it was when a gap or the capture's end cut its body short.
    pub(crate) fn cut_short(self) -> What {
        match self {
            What::HttpRequest(mut r) => {
                r.complete = false;
                What::HttpRequest(r)
            }
            What::HttpResponse(mut r) => {
                r.complete = false;
                What::HttpResponse(r)
            }
            What::Tls(mut r) => {
                r.complete = false;
                What::Tls(r)
            }
            What::Dns(mut d) => {
                d.complete = false;
                What::Dns(d)
            }
            What::Line(mut m) => {
                m.complete = false;
                What::Line(m)
            }
            What::Redis(mut m) => {
                m.complete = false;
                What::Redis(m)
            }
            What::Http2(mut f) => {
                f.complete = false;
                What::Http2(f)
            }
            What::Unknown { .. } => What::Unknown { complete: false },
            What::Gap => What::Gap,
        }
    }

    pub fn protocol(&self) -> Protocol {
        match self {
            What::HttpRequest(_) | What::HttpResponse(_) => Protocol::Http,
            What::Tls(_) => Protocol::Tls,
            What::Dns(_) => Protocol::Dns,
            What::Line(m) => m.protocol,
            What::Redis(_) => Protocol::Redis,
            What::Http2(_) => Protocol::Http2,
            What::Unknown { .. } | What::Gap => Protocol::Unknown,
        }
    }
}

/// Which protocol a connection speaks, from the first bytes each direction sent (either may be
/// empty: a capture that holds only one direction).
pub fn detect(client_first: &[u8], server_first: &[u8]) -> Protocol {
    if tls::looks_like(client_first) || (client_first.is_empty() && tls::looks_like(server_first)) {
        Protocol::Tls
    } else if http2::looks_like_preface(client_first) {
        // Before HTTP/1.x: the preface reads as a request line with the method PRI.
        Protocol::Http2
    } else if [client_first, server_first].iter().any(|b| http::looks_like_request(b) || http::looks_like_response(b)) {
        Protocol::Http
    } else if dns::looks_like_query(client_first) {
        Protocol::Dns
    } else if resp::looks_like_command(client_first) || resp::looks_like_inline_exchange(client_first, server_first) {
        Protocol::Redis
    } else if let Some(p) = lines::detect(client_first, server_first) {
        p
    } else {
        Protocol::Unknown
    }
}

/// What a direction's reader needs to know of the other direction (HTTP: a response to HEAD
/// has no body; a 2xx to CONNECT starts a tunnel).
#[derive(Debug, Clone, Default)]
pub struct Context {
    /// The client's request methods, in order.
    pub methods: Vec<String>,
    /// A line protocol's client commands (verb, has an argument), in order.
    pub commands: Vec<(String, bool)>,
}

/// One direction's bytes, piece by piece: captured bytes or a gap of known length.
pub enum Piece<'a> {
    Bytes(&'a [u8]),
    Gap(u64),
}

/// Reads one direction of a connection speaking `protocol`, piece by piece.
pub struct DirectionReader(Inner);

enum Inner {
    Http(framer::Framer<http::HttpReader>),
    Tls(framer::Framer<tls::TlsReader>),
    Dns(framer::Framer<dns::DnsReader>),
    Lines(framer::Framer<lines::LineReader>),
    Redis(framer::Framer<resp::RespReader>),
    Http2(framer::Framer<http2::Http2Reader>),
    Unknown(framer::Framer<Nothing>),
}

macro_rules! each {
    ($self:expr, $f:ident => $body:expr) => {
        match $self {
            Inner::Http($f) => $body,
            Inner::Tls($f) => $body,
            Inner::Dns($f) => $body,
            Inner::Lines($f) => $body,
            Inner::Redis($f) => $body,
            Inner::Http2($f) => $body,
            Inner::Unknown($f) => $body,
        }
    };
}

impl DirectionReader {
    /// Messages finished so far (taken: each is handed out once).
    pub fn take_done(&mut self) -> Vec<Message> {
        each!(&mut self.0, f => std::mem::take(&mut f.out))
    }

    pub fn new(protocol: Protocol, from_client: bool, context: &Context) -> Self {
        DirectionReader(match protocol {
            Protocol::Http => Inner::Http(framer::Framer::new(http::HttpReader::new(context), from_client)),
            Protocol::Tls => Inner::Tls(framer::Framer::new(tls::TlsReader::default(), from_client)),
            Protocol::Dns => Inner::Dns(framer::Framer::new(dns::DnsReader, from_client)),
            Protocol::Http2 => Inner::Http2(framer::Framer::new(http2::Http2Reader::new(from_client), from_client)),
            Protocol::Redis => Inner::Redis(framer::Framer::new(resp::RespReader::new(from_client), from_client)),
            p @ (Protocol::Smtp | Protocol::Ftp | Protocol::SmtpOrFtp | Protocol::Pop3 | Protocol::Imap | Protocol::Ssh) => {
                Inner::Lines(framer::Framer::new(lines::LineReader::new(p, from_client, &context.commands), from_client))
            }
            Protocol::Unknown => Inner::Unknown(framer::Framer::new(Nothing, from_client)),
        })
    }

    pub fn piece(&mut self, piece: Piece<'_>) {
        match piece {
            Piece::Bytes(b) => each!(&mut self.0, f => f.bytes(b)),
            Piece::Gap(len) => each!(&mut self.0, f => f.gap(len)),
        }
    }

    /// Whether the next piece's bytes (`len` of them) must be read: not inside a body being
    /// skipped, nor where nothing more can be read. `starts_segment`: the piece begins a
    /// segment's payload (where a reader may start again after lost bytes).
    pub fn wants(&self, len: u64, starts_segment: bool) -> bool {
        each!(&self.0, f => f.wants(len, starts_segment))
    }

    /// A piece [`DirectionReader::wants`] said need not be read.
    pub fn pass(&mut self, len: u64) {
        each!(&mut self.0, f => f.pass(len))
    }

    /// A message the other direction's reader finished that this one needs: a request's
    /// method (the server's HTTP reader takes them in order, for the response to a HEAD or a
    /// CONNECT), a line protocol's command (a POP3 answer to RETR is multi-line).
    pub fn answered(&mut self, what: &What) {
        match (&mut self.0, what) {
            (Inner::Http(f), What::HttpRequest(r)) => f.reader.push_method(&r.method),
            (Inner::Lines(f), What::Line(LineMessage { part: Part::Command { verb, arg, .. }, .. })) => f.reader.push_command(verb, arg.is_some()),
            _ => {}
        }
    }

    /// The direction's messages, the one under way at its end included.
    pub fn finish(mut self) -> Vec<Message> {
        each!(&mut self.0, f => {
            f.end();
            std::mem::take(&mut f.out)
        })
    }
}

/// The messages of one direction of a connection speaking `protocol`.
pub fn read_direction<'a>(protocol: Protocol, from_client: bool, context: &Context, pieces: impl Iterator<Item = Piece<'a>>) -> Vec<Message> {
    let mut reader = DirectionReader::new(protocol, from_client, context);
    for piece in pieces {
        reader.piece(piece);
    }
    reader.finish()
}

/// The context the server's reader needs, from the client's messages.
pub fn context_from(client: &[Message]) -> Context {
    let methods = client
        .iter()
        .filter_map(|m| match &m.what {
            What::HttpRequest(r) => Some(r.method.clone()),
            _ => None,
        })
        .collect();
    let commands = client
        .iter()
        .filter_map(|m| match &m.what {
            What::Line(LineMessage { part: Part::Command { verb, arg, .. }, .. }) => Some((verb.to_ascii_uppercase(), arg.is_some())),
            _ => None,
        })
        .collect();
    Context { methods, commands }
}

/// The reader of a protocol we do not read: every byte is unknown data.
struct Nothing;

impl framer::Reader for Nothing {
    fn step(&mut self, _: &[u8]) -> framer::Step {
        framer::Step::Lost
    }
    fn can_restart(&self) -> bool {
        false
    }
}
