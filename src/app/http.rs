//! HTTP/1.x messages (RFC 9112): a request or status line and its header block (read by
//! `httparse`), then the body framed as §6.3 says — none for a response to HEAD, a 1xx, 204 or
//! 304; chunked; Content-Length; otherwise (a response only) until the connection closes.
//! Keep-alive and pipelined exchanges follow one another in the same bytes; the server's reader
//! takes the client's methods in order to know which response has no body.

use std::collections::VecDeque;

use serde::Serialize;

use super::framer::{Reader, Step};
use super::text::inert;
use super::{Context, What};

/// Headers read per message (more is an unreadable message, not a guess).
const MAX_HEADERS: usize = 128;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct HttpRequest {
    pub method: String,
    pub target: String,
    /// 0 or 1 (HTTP/1.0, HTTP/1.1).
    pub version: u8,
    pub host: Option<String>,
    /// Bytes of the request line and headers, the blank line included.
    pub head_bytes: u32,
    pub body: Body,
    pub complete: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct HttpResponse {
    pub version: u8,
    pub status: u16,
    pub reason: String,
    pub content_type: Option<String>,
    pub head_bytes: u32,
    pub body: Body,
    pub complete: bool,
}

/// How a body was framed and how long it was.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(tag = "framing", rename_all = "snake_case")]
pub enum Body {
    None,
    /// Content-Length: `len` bytes.
    Length { len: u64 },
    /// Transfer-Encoding: chunked; `len` is the sum of the chunks' sizes read so far.
    Chunked { len: u64, chunks: u32 },
    /// Neither: the body runs to the close of the connection.
    UntilClose,
}

/// Methods a request is known by while its request line is not whole yet (RFC 9110 §9 and
/// WebDAV's most common).
const METHODS: [&[u8]; 12] = [b"GET", b"POST", b"HEAD", b"PUT", b"DELETE", b"OPTIONS", b"CONNECT", b"PATCH", b"TRACE", b"PROPFIND", b"REPORT", b"MKCOL"];

pub fn looks_like_request(b: &[u8]) -> bool {
    let mut headers = [httparse::EMPTY_HEADER; MAX_HEADERS];
    let mut req = httparse::Request::new(&mut headers);
    // A known method followed by a target's first character (a long target may still be
    // coming, or hold characters `httparse` refuses: read by `read_request`'s lenient line).
    let known_method = METHODS.iter().any(|m| b.len() > m.len() + 1 && b.starts_with(m) && b[m.len()] == b' ' && matches!(b[m.len() + 1], b'/' | b'*' | b'h' | b'H'));
    match req.parse(b) {
        Ok(httparse::Status::Complete(_)) => true,
        Ok(httparse::Status::Partial) => req.version.is_some() || known_method,
        Err(_) => known_method,
    }
}

/// A request's head as read.
struct RequestHead<'b, 'h> {
    method: &'b [u8],
    target: &'b [u8],
    version: u8,
    headers: &'h [httparse::Header<'b>],
    len: usize,
}

/// The request's head in `buf`: by `httparse`, or, where it refuses the request line (a
/// target with characters RFC 3986 does not allow, as attackers and some clients send), by a
/// lenient reading of that line as Wireshark reads it — a token, a space, anything but spaces
/// and line ends, a space, HTTP/1.0 or HTTP/1.1 — with the headers still read by `httparse`.
/// `Ok(None)`: not whole yet; `Err`: not an HTTP request.
fn read_request<'b, 'h>(buf: &'b [u8], headers: &'h mut [httparse::Header<'b>]) -> Result<Option<RequestHead<'b, 'h>>, ()> {
    let mut scratch = [httparse::EMPTY_HEADER; MAX_HEADERS];
    match httparse::Request::new(&mut scratch).parse(buf) {
        Ok(httparse::Status::Partial) => return Ok(None),
        Ok(httparse::Status::Complete(_)) => {
            // Read again into the caller's headers (a borrow returned from one arm of a match
            // would hold them for the lenient reading too).
            let mut req = httparse::Request::new(headers);
            let Ok(httparse::Status::Complete(len)) = req.parse(buf) else { return Err(()) };
            let (method, target) = (req.method.unwrap_or("").as_bytes(), req.path.unwrap_or("").as_bytes());
            return Ok(Some(RequestHead { method, target, version: req.version.unwrap_or(1), headers: req.headers, len }));
        }
        Err(_) => {}
    }
    // Only a line that starts as a request does: a method token (at most 16 characters) and
    // a space; a request line longer than 64 KiB is not waited for.
    let token = |b: &u8| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(b);
    match buf.iter().position(|&b| b == b' ') {
        Some(sp) if sp > 0 && sp <= 16 && buf[..sp].iter().all(token) => {}
        None if buf.len() <= 16 && buf.iter().all(token) => return Ok(None),
        _ => return Err(()),
    }
    let Some(eol) = find_crlf(buf) else {
        return if buf.len() > 64 * 1024 { Err(()) } else { Ok(None) };
    };
    let line = &buf[..eol];
    let mut parts = line.splitn(3, |&b| b == b' ');
    let (method, target, version) = (parts.next().ok_or(())?, parts.next().ok_or(())?, parts.next().ok_or(())?);
    let version = match version {
        b"HTTP/1.1" => 1,
        b"HTTP/1.0" => 0,
        _ => return Err(()),
    };
    if target.is_empty() || target.contains(&b' ') {
        return Err(());
    }
    match httparse::parse_headers(&buf[eol + 2..], headers) {
        Ok(httparse::Status::Complete((n, headers))) => Ok(Some(RequestHead { method, target, version, headers, len: eol + 2 + n })),
        Ok(httparse::Status::Partial) => Ok(None),
        Err(_) => Err(()),
    }
}

pub fn looks_like_response(b: &[u8]) -> bool {
    b.starts_with(b"HTTP/1.")
}

enum State {
    Head,
    /// In a chunked body: reading the next chunk-size line, or the trailers after the last.
    ChunkSize,
    Trailers,
    /// After a 101 or a 2xx to CONNECT the bytes are another protocol's.
    Tunnel,
}

pub struct HttpReader {
    /// Methods of the client's requests not answered yet (server side).
    methods: VecDeque<String>,
    state: State,
    /// The message whose chunked body is being read.
    under_way: Option<What>,
}

impl HttpReader {
    pub fn new(context: &Context) -> Self {
        HttpReader { methods: context.methods.iter().cloned().collect(), state: State::Head, under_way: None }
    }

    pub fn push_method(&mut self, method: &str) {
        self.methods.push_back(method.to_string());
    }

    fn head(&mut self, buf: &[u8]) -> Step {
        let mut headers = [httparse::EMPTY_HEADER; MAX_HEADERS];
        // Which kind of message is read from its first bytes, not from who sent it: a server
        // may send a request (a payload in its SYN-ACK, a reversed protocol).
        if !looks_like_response(buf) {
            let Some(req) = (match read_request(buf, &mut headers) {
                Ok(req) => req,
                Err(()) => return Step::Lost,
            }) else {
                return Step::More;
            };
            let n = req.len;
            let body = match framing(req.headers, false) {
                Framing::Chunked => Body::Chunked { len: 0, chunks: 0 },
                Framing::Length(len) => Body::Length { len },
                Framing::UntilClose | Framing::None => Body::None,
            };
            let what = What::HttpRequest(HttpRequest {
                method: inert(req.method),
                target: inert(req.target),
                version: req.version,
                host: header(req.headers, "host"),
                head_bytes: n as u32,
                body,
                complete: true,
            });
            self.body(n, what, body)
        } else {
            let mut res = httparse::Response::new(&mut headers);
            let n = match res.parse(buf) {
                Ok(httparse::Status::Complete(n)) => n,
                Ok(httparse::Status::Partial) => return Step::More,
                Err(_) => return Step::Lost,
            };
            let status = res.code.unwrap_or(0);
            // A 1xx other than 101 is an interim answer: the request waits for its final one.
            let method = if (100..200).contains(&status) && status != 101 { None } else { self.methods.pop_front() };
            let no_body = method.as_deref() == Some("HEAD") || (100..200).contains(&status) || status == 204 || status == 304;
            let tunnel = status == 101 || (method.as_deref() == Some("CONNECT") && (200..300).contains(&status));
            let body = if no_body || tunnel {
                Body::None
            } else {
                match framing(res.headers, true) {
                    Framing::Chunked => Body::Chunked { len: 0, chunks: 0 },
                    Framing::Length(len) => Body::Length { len },
                    Framing::UntilClose => Body::UntilClose,
                    Framing::None => Body::None,
                }
            };
            let what = What::HttpResponse(HttpResponse {
                version: res.version.unwrap_or(1),
                status,
                reason: inert(res.reason.unwrap_or("").as_bytes()),
                content_type: header(res.headers, "content-type"),
                head_bytes: n as u32,
                body,
                complete: true,
            });
            if tunnel {
                self.state = State::Tunnel;
            }
            self.body(n, what, body)
        }
    }

    fn body(&mut self, head: usize, what: What, body: Body) -> Step {
        match body {
            Body::None => Step::Done(head, what),
            Body::Length { len } => Step::Finish((head as u64).saturating_add(len), what),
            Body::UntilClose => {
                self.under_way = Some(what);
                Step::Skip(u64::MAX / 2)
            }
            Body::Chunked { .. } => {
                self.under_way = Some(what);
                self.state = State::ChunkSize;
                Step::Take(head)
            }
        }
    }

    fn chunk_size(&mut self, buf: &[u8]) -> Step {
        let Some(eol) = find_crlf(buf) else {
            return if buf.len() > 4096 { Step::Lost } else { Step::More };
        };
        let line = &buf[..eol];
        let digits = line.iter().take_while(|b| b.is_ascii_hexdigit()).count();
        if digits == 0 || digits > 15 {
            return Step::Lost;
        }
        let size = u64::from_str_radix(std::str::from_utf8(&line[..digits]).unwrap_or("0"), 16).unwrap_or(0);
        if let Some(What::HttpRequest(HttpRequest { body: Body::Chunked { len, chunks }, .. }) | What::HttpResponse(HttpResponse { body: Body::Chunked { len, chunks }, .. })) = &mut self.under_way {
            *len += size;
            *chunks += u32::from(size > 0);
        }
        if size == 0 {
            self.state = State::Trailers;
            Step::Take(eol + 2)
        } else {
            // The chunk's data and the CRLF after it.
            Step::Skip((eol as u64 + 4).saturating_add(size))
        }
    }

    fn trailers(&mut self, buf: &[u8]) -> Step {
        let Some(eol) = find_crlf(buf) else {
            return if buf.len() > super::MAX_LOOK { Step::Lost } else { Step::More };
        };
        if eol == 0 {
            self.state = State::Head;
            match self.under_way.take() {
                Some(what) => Step::Done(2, what),
                None => Step::Lost,
            }
        } else {
            Step::Take(eol + 2)
        }
    }
}

impl Reader for HttpReader {
    fn step(&mut self, buf: &[u8]) -> Step {
        match self.state {
            State::Head => self.head(buf),
            State::ChunkSize => self.chunk_size(buf),
            State::Trailers => self.trailers(buf),
            State::Tunnel => Step::Lost,
        }
    }

    fn starts_message(&self, bytes: &[u8]) -> bool {
        looks_like_request(bytes) || looks_like_response(bytes)
    }

    fn restart(&mut self) {
        self.state = State::Head;
        self.under_way = None;
    }

    fn cut(&mut self, ended: bool) -> Option<What> {
        let what = self.under_way.take()?;
        let until_close = matches!(&what, What::HttpResponse(HttpResponse { body: Body::UntilClose, .. }));
        Some(if until_close && ended { what } else { what.cut_short() })
    }
}

enum Framing {
    None,
    Chunked,
    Length(u64),
    UntilClose,
}

/// The body's framing from the headers (RFC 9112 §6.3: chunked wins over Content-Length).
fn framing(headers: &[httparse::Header<'_>], response: bool) -> Framing {
    let chunked = headers
        .iter()
        .filter(|h| h.name.eq_ignore_ascii_case("transfer-encoding"))
        .any(|h| String::from_utf8_lossy(h.value).to_ascii_lowercase().split(',').next_back().is_some_and(|t| t.trim() == "chunked"));
    if chunked {
        return Framing::Chunked;
    }
    let length = headers
        .iter()
        .find(|h| h.name.eq_ignore_ascii_case("content-length"))
        .and_then(|h| std::str::from_utf8(h.value).ok()?.trim().parse::<u64>().ok());
    match length {
        Some(0) => Framing::None,
        Some(len) => Framing::Length(len),
        None if response => Framing::UntilClose,
        None => Framing::None,
    }
}

fn header(headers: &[httparse::Header<'_>], name: &str) -> Option<String> {
    headers.iter().find(|h| h.name.eq_ignore_ascii_case(name)).map(|h| inert(h.value))
}

fn find_crlf(buf: &[u8]) -> Option<usize> {
    buf.windows(2).position(|w| w == b"\r\n")
}
