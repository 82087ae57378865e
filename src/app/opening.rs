//! What a connection speaks, read from the first bytes each way: the connection list's "what"
//! column and the filter's `app:`, `host:` and `http:` come from this, read while the capture is
//! read (a connection's whole stream of messages is read only when it is shown). So it says
//! what the opening says — the first request and the first response — and no more.

use serde::Serialize;

use super::{context_from, detect, read_direction, Context, Message, Part, Piece, Protocol, What};

/// Bytes of each direction's start kept to say what a connection speaks: a ClientHello with
/// a post-quantum key share (X25519MLKEM768) is about 1.8 kB, an HTTP request head with
/// cookies as long.
pub const HEAD_BYTES: usize = 2048;

/// What the first bytes each way say. Every text went through [`super::inert`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Opening {
    pub protocol: Protocol,
    /// The server's name as the client gave it: TLS's SNI, HTTP's Host, HTTP/2's :authority,
    /// DNS's question.
    pub name: Option<Box<str>>,
    /// The first request in short: HTTP's (or HTTP/2's) method and target ("GET /index.html"), a line
    /// protocol's first command's verb, Redis's first command, SSH's version line.
    pub request: Option<Box<str>>,
    /// DNS: the first question's type.
    pub qtype: Option<u16>,
    /// The first response's HTTP (or HTTP/2) status, or DNS rcode.
    pub status: Option<u16>,
    /// TLS: the version the server chose (the ClientHello's highest offer until the ServerHello
    /// is seen).
    pub version: Option<u16>,
    /// The TLS version is the server's choice (a ServerHello was read).
    pub version_chosen: bool,
}

impl Opening {
    /// What `client` and `server` (each direction's first bytes, in order; either may be empty)
    /// say; `None` when neither holds a byte.
    pub fn read(client: &[u8], server: &[u8]) -> Option<Opening> {
        if client.is_empty() && server.is_empty() {
            return None;
        }
        let protocol = detect(client, server);
        let client_messages = read_direction(protocol, true, &Context::default(), std::iter::once(Piece::Bytes(client)));
        let server_messages = read_direction(protocol, false, &context_from(&client_messages), std::iter::once(Piece::Bytes(server)));
        let mut opening = Opening { protocol, name: None, request: None, qtype: None, status: None, version: None, version_chosen: false };
        for m in client_messages.iter().chain(&server_messages) {
            opening.take(m);
        }
        Some(opening)
    }

    /// The same as [`Opening::read`], but the commonest opening — an HTTP/1 request whose head
    /// is whole in `client` — is read by hand, without the readers' machinery: the list's
    /// column is read during the first pass, where every connection's cost counts (a capture
    /// of a million short connections).
    pub fn read_quick(client: &[u8], server: &[u8]) -> Option<Opening> {
        quick_http(client, server).map(|q| q.opening()).or_else(|| Opening::read(client, server))
    }

    /// Takes what one message adds (the first of each kind counts).
    fn take(&mut self, m: &Message) {
        let boxed = |s: &str| Some(Box::<str>::from(s));
        match &m.what {
            What::HttpRequest(r) if self.request.is_none() => {
                self.request = boxed(&format!("{} {}", r.method, r.target));
                self.name = r.host.as_deref().and_then(boxed);
            }
            // The exchange's answer: not an interim 1xx (100 Continue), except 101's switch.
            What::HttpResponse(r) if self.status.is_none() && (!(100..200).contains(&r.status) || r.status == 101) => self.status = Some(r.status),
            What::Tls(r) => {
                for hello in r.handshakes.iter().filter_map(|h| h.hello.as_ref()) {
                    if m.from_client {
                        if self.name.is_none() {
                            self.name = hello.sni.as_deref().and_then(boxed);
                        }
                        if !self.version_chosen {
                            self.version = self.version.or(hello.version);
                        }
                    } else if !hello.hello_retry || hello.version.is_some() {
                        self.version = hello.version.or(self.version);
                        self.version_chosen |= hello.version.is_some();
                    }
                }
            }
            What::Dns(d) if !d.response && self.qtype.is_none() => {
                self.name = d.name.as_deref().and_then(boxed);
                self.qtype = d.qtype;
            }
            What::Dns(d) if d.response && self.status.is_none() => self.status = Some(u16::from(d.rcode)),
            What::Redis(r) if m.from_client && self.request.is_none() => self.request = r.text.as_deref().and_then(boxed),
            // HTTP/2: the first request's pseudo-headers and the first answer's :status.
            What::Http2(f) => {
                if let Some(super::http2::HeaderBlock::Decoded(h)) = &f.headers {
                    if m.from_client && self.request.is_none() {
                        if let (Some(method), Some(path)) = (&h.method, &h.path) {
                            self.request = boxed(&format!("{method} {path}"));
                            self.name = h.authority.as_deref().and_then(boxed);
                        }
                    } else if !m.from_client && self.status.is_none() {
                        self.status = h.status.as_deref().and_then(|s| s.parse().ok());
                    }
                }
            }
            What::Line(l) => match &l.part {
                Part::Command { verb, .. } if self.request.is_none() && m.from_client => self.request = boxed(verb),
                Part::Banner { text } if self.request.is_none() && !m.from_client => self.request = boxed(text),
                _ => {}
            },
            _ => {}
        }
    }

    /// Whether more bytes would add nothing: the opening already says all it can (or the
    /// protocol is one whose later bytes add nothing here). `server_done`: the server's head
    /// will take no more bytes (full, or a byte missing).
    pub fn settled(&self, client_len: usize, server_len: usize, server_done: bool) -> bool {
        let both = client_len > 0 && server_len > 0;
        match self.protocol {
            // (An answer that is no HTTP response, or whose head was cut, has no status.)
            Protocol::Http => self.request.is_some() && (self.status.is_some() || server_done),
            Protocol::Tls => self.version_chosen,
            Protocol::Dns => self.qtype.is_some() && self.status.is_some(),
            Protocol::Ssh => self.request.is_some() && both,
            // Which of the two is told by the client's first command.
            Protocol::SmtpOrFtp => false,
            Protocol::Smtp | Protocol::Ftp | Protocol::Pop3 | Protocol::Imap => self.request.is_some(),
            Protocol::Http2 => self.request.is_some() && self.status.is_some(),
            Protocol::Redis => client_len > 0,
            // Bytes we do not read: more of them will not make them readable, but the other
            // direction's first bytes may (a server that speaks first).
            Protocol::Unknown => both || client_len.max(server_len) >= 512,
        }
    }
}

/// An HTTP/1 request whose head (request line and headers) is whole in `client`, and the
/// status of a response whose head is whole in `server`, read by hand as [`Opening::read`]
/// reads them; `None` for anything else (then the readers read it).
pub(crate) fn quick_http<'a>(client: &'a [u8], server: &'a [u8]) -> Option<QuickHttp<'a>> {
    // (Plain loops over the bytes: this runs for every connection of the file as it is read.
    // A TLS record or HTTP/2's preface fails the method's or the version's rule.)
    let line_end = position(client, 0, b'\n')?;
    let line = client[..line_end].strip_suffix(b"\r")?;
    let sp1 = position(line, 0, b' ')?;
    let sp2 = position(line, sp1 + 1, b' ')?;
    let (method, target, version) = (&line[..sp1], &line[sp1 + 1..sp2], &line[sp2 + 1..]);
    if method.is_empty() || method.len() > 16 || !method.iter().all(u8::is_ascii_uppercase) || target.is_empty() || !matches!(version, b"HTTP/1.0" | b"HTTP/1.1") {
        return None;
    }
    // The head ends at the first empty line ("\r\n\r\n", which cannot begin before the
    // request line's "\r"); header lines, each "name: value" (one without a colon, or a folded
    // line, is left to the readers).
    let head_end = find_from(client, line_end - 1, b"\r\n\r\n")? + 2;
    let mut host = None;
    let mut at = line_end + 1;
    while at < head_end {
        let end = position(&client[..head_end], at, b'\n').unwrap_or(head_end);
        let l = &client[at..end];
        let l = l.strip_suffix(b"\r").unwrap_or(l);
        at = end + 1;
        if l.is_empty() {
            continue;
        }
        let colon = position(l, 0, b':')?;
        if l[0] == b' ' || l[0] == b'\t' {
            return None;
        }
        if host.is_none() && l[..colon].eq_ignore_ascii_case(b"host") {
            host = Some(l[colon + 1..].trim_ascii());
        }
    }
    let status = server
        .strip_prefix(b"HTTP/1.")
        .and_then(|r| r.get(1..5))
        .filter(|r| r[0] == b' ' && r[1..].iter().all(u8::is_ascii_digit))
        .filter(|_| find_from(server, 0, b"\r\n\r\n").is_some())
        .map(|r| r[1..].iter().fold(0u16, |n, d| n * 10 + u16::from(d - b'0')));
    // An interim answer (100 Continue): the readers find the final one after it.
    if status.is_some_and(|s| (100..200).contains(&s) && s != 101) {
        return None;
    }
    Some(QuickHttp { method, target, host, status })
}

/// An HTTP/1 opening read by hand ([`quick_http`]), its texts still the bytes they were: the
/// first pass keeps them as bytes and makes them text only when the list asks (a capture of a
/// million short connections would otherwise allocate and escape them all as it is read).
#[derive(Debug, Clone, Copy)]
pub(crate) struct QuickHttp<'a> {
    pub method: &'a [u8],
    pub target: &'a [u8],
    pub host: Option<&'a [u8]>,
    pub status: Option<u16>,
}

impl QuickHttp<'_> {
    /// The same as [`Opening::read`] says.
    pub fn opening(&self) -> Opening {
        let mut request = String::with_capacity(self.method.len() + 1 + self.target.len());
        super::text::inert_into(&mut request, self.method);
        request.push(' ');
        super::text::inert_into(&mut request, self.target);
        Opening { protocol: Protocol::Http, name: self.host.map(|h| super::inert(h).into_boxed_str()), request: Some(request.into_boxed_str()), qtype: None, status: self.status, version: None, version_chosen: false }
    }

    /// [`Opening::settled`] for it: the request is read; the answer's status, or no more of it,
    /// or an answer that does not begin as an HTTP/1 response (no status will be read from it;
    /// its later bytes need not be gathered).
    pub fn settled(&self, server: &[u8], server_done: bool) -> bool {
        self.status.is_some() || server_done || (server.len() >= 7 && !server.starts_with(b"HTTP/1."))
    }
}

/// Where `byte` first is in `hay` from `from` on.
fn position(hay: &[u8], from: usize, byte: u8) -> Option<usize> {
    hay.get(from..)?.iter().position(|&b| b == byte).map(|i| i + from)
}

/// Where `needle` first begins in `hay` from `from` on.
fn find_from(hay: &[u8], from: usize, needle: &[u8; 4]) -> Option<usize> {
    let mut at = from;
    loop {
        let i = position(hay, at, needle[0])?;
        if hay.get(i..i + 4)? == needle {
            return Some(i);
        }
        at = i + 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn http_request_and_response() {
        let o = Opening::read(b"GET /a?b HTTP/1.1\r\nHost: example.com\r\n\r\n", b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n").unwrap();
        assert_eq!((o.protocol, o.name.as_deref(), o.request.as_deref(), o.status), (Protocol::Http, Some("example.com"), Some("GET /a?b"), Some(404)));
        assert!(o.settled(1, 1, false));
        // The request alone is not settled: the response's status is still to come.
        let o = Opening::read(b"GET / HTTP/1.1\r\nHost: h\r\n\r\n", b"").unwrap();
        assert!(!o.settled(1, 0, false));
        assert_eq!(Opening::read(b"", b""), None);
    }

    /// The quick reading says what the readers say, on every HTTP opening of the test
    /// captures' kind and on odd ones (which it leaves to them).
    #[test]
    fn the_quick_reading_agrees_with_the_readers() {
        let cases: [(&[u8], &[u8]); 7] = [
            (b"GET /a?b HTTP/1.1\r\nHost: example.com\r\nUser-Agent: x\r\n\r\n", b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n"),
            (b"GET / HTTP/1.0\r\n\r\n", b"yyyyyyyy"),
            (b"POST /submit HTTP/1.1\r\nhost:  a.test:8080 \r\nContent-Length: 3\r\n\r\nabc", b"HTTP/1.1 201 Created\r\n\r\n"),
            (b"GET /x HTTP/1.1\r\nHost: cut", b""),
            (b"GET /\x1b[31m HTTP/1.1\r\nHost: <b>\r\n\r\n", b"HTTP/1.1 200 OK\r\n"),
            (b"get / HTTP/1.1\r\n\r\n", b""),
            (b"\x16\x03\x01\x00\x05\x01\x00\x00\x01\x00", b""),
        ];
        // An interim 100 Continue is not the answer: the final status is.
        let o = Opening::read_quick(b"POST /p HTTP/1.1\r\nHost: h\r\nExpect: 100-continue\r\nContent-Length: 1\r\n\r\nx", b"HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n").unwrap();
        assert_eq!(o.status, Some(200));
        for (c, s) in cases {
            assert_eq!(Opening::read_quick(c, s), Opening::read(c, s), "{:?}", String::from_utf8_lossy(c));
        }
        assert!(quick_http(cases[0].0, cases[0].1).is_some() && quick_http(cases[1].0, cases[1].1).is_some());
    }

    #[test]
    fn a_request_cut_by_the_head_still_has_its_line() {
        let mut head = b"GET /x HTTP/1.1\r\nHost: cut.example\r\nCookie: ".to_vec();
        head.resize(HEAD_BYTES, b'a');
        let o = Opening::read(&head, b"").unwrap();
        assert_eq!(o.protocol, Protocol::Http);
        // httparse needs the whole head: a head cut short names nothing rather than guess.
        assert!(o.name.is_none() || o.name.as_deref() == Some("cut.example"));
    }

    #[test]
    fn dns_query_and_answer() {
        // Query for example.com A, id 0x1234, and its NXDOMAIN answer.
        let mut q = vec![0x12, 0x34, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0];
        q.extend_from_slice(b"\x07example\x03com\x00\x00\x01\x00\x01");
        let mut r = q.clone();
        r[2] = 0x81;
        r[3] = 0x83;
        let framed = |m: &[u8]| [&(m.len() as u16).to_be_bytes()[..], m].concat();
        let o = Opening::read(&framed(&q), &framed(&r)).unwrap();
        assert_eq!((o.protocol, o.name.as_deref(), o.qtype, o.status), (Protocol::Dns, Some("example.com"), Some(1), Some(3)));
        assert!(o.settled(1, 1, false));
    }

    #[test]
    fn unknown_bytes_settle_once_both_sides_spoke() {
        let o = Opening::read(b"\x00\x01\x02hello", b"").unwrap();
        assert_eq!(o.protocol, Protocol::Unknown);
        assert!(!o.settled(8, 0, false));
        assert!(o.settled(8, 3, false));
        assert!(o.settled(600, 0, false));
    }
}
