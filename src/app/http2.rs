//! HTTP/2 in the clear (RFC 9113): the client's connection preface, then frames — a 9-byte
//! header (length, type, flags, stream) and a payload — each one message.
//! A connection is told by the client's preface; the server's side is frames from its first
//! byte (h2c with prior knowledge: a server may send its SETTINGS before the preface arrives).
//! Payloads are skipped by their length, except header blocks (HEADERS, PUSH_PROMISE and their
//! CONTINUATIONs), which are decoded in order with the direction's HPACK table: the frame that
//! ends a block says its pseudo-headers. A block that cannot be decoded (too large to see, an
//! HPACK error, a broken frame) leaves the table unknown: no later block of the direction is
//! decoded, each is said as not decoded.

use serde::Serialize;

use super::framer::{Reader, Step, MAX_LOOK};
use super::hpack;
use super::text::inert;
use super::What;

pub const PREFACE: &[u8; 24] = b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n";

/// Characters kept of a pseudo-header's value (a path can be kilobytes).
const VALUE_CHARS: usize = 1024;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Http2Frame {
    /// The client's connection preface, not a frame (its other fields are 0).
    pub preface: bool,
    /// 0 DATA, 1 HEADERS, 2 PRIORITY, 3 RST_STREAM, 4 SETTINGS, 5 PUSH_PROMISE, 6 PING,
    /// 7 GOAWAY, 8 WINDOW_UPDATE, 9 CONTINUATION.
    pub kind: u8,
    pub flags: u8,
    pub stream: u32,
    /// The payload's bytes (the header's 9 not counted).
    pub len: u32,
    pub complete: bool,
    /// The header block this frame ends (END_HEADERS), if it ends one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub headers: Option<HeaderBlock>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum HeaderBlock {
    Decoded(Http2Headers),
    /// Why not: the table is unknown from the first block that could not be decoded on.
    NotDecoded(String),
}

/// A block's pseudo-headers (RFC 9113 §8.3), made inert; no other header is kept (a cookie,
/// an authorization never leaves the decoder).
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Http2Headers {
    pub method: Option<String>,
    pub path: Option<String>,
    pub status: Option<String>,
    pub authority: Option<String>,
    pub scheme: Option<String>,
}

/// Whether a client's first bytes are the preface (or as much of it as came, from its
/// request-like first line on).
pub fn looks_like_preface(b: &[u8]) -> bool {
    b.len() >= 16 && PREFACE.starts_with(&b[..b.len().min(24)])
}

const HEADERS: u8 = 1;
const PUSH_PROMISE: u8 = 5;
const CONTINUATION: u8 = 9;
const END_HEADERS: u8 = 0x4;
const PADDED: u8 = 0x8;
const PRIORITY: u8 = 0x20;

pub struct Http2Reader {
    /// The client's reader before its first bytes: the preface comes first.
    preface: bool,
    /// The direction's HPACK table; `Err(why)` once it is unknown.
    hpack: Result<hpack::Decoder, String>,
    /// The fragments of a block whose END_HEADERS has not come, and its stream.
    block: Vec<u8>,
    open_stream: Option<u32>,
    /// A block's frame whose payload is still coming, as it is if the direction ends first.
    waiting: Option<Http2Frame>,
}

impl Http2Reader {
    pub fn new(from_client: bool) -> Self {
        Http2Reader { preface: from_client, hpack: Ok(hpack::Decoder::default()), block: Vec::new(), open_stream: None, waiting: None }
    }

    fn table_unknown(&mut self, why: impl Into<String>) {
        if self.hpack.is_ok() {
            self.hpack = Err(why.into());
        }
        self.block.clear();
        self.open_stream = None;
    }

    /// A frame of a header block whose payload is all in `payload`: its fragment joins the
    /// block, and if it ends the block, the block is decoded.
    fn read_block(&mut self, frame: &Http2Frame, payload: &[u8]) -> Option<HeaderBlock> {
        match fragment(frame.kind, frame.flags, payload) {
            Some(f) if self.block.len() + f.len() <= MAX_LOOK => self.block.extend_from_slice(f),
            Some(_) => self.table_unknown(format!("a header block over {MAX_LOOK} bytes")),
            None => self.table_unknown("a header block frame whose padding is longer than it"),
        }
        if frame.flags & END_HEADERS == 0 {
            if self.hpack.is_ok() {
                self.open_stream = Some(frame.stream);
            }
            return None;
        }
        self.open_stream = None;
        let block = std::mem::take(&mut self.block);
        let decoder = match &mut self.hpack {
            Ok(d) => d,
            Err(why) => return Some(HeaderBlock::NotDecoded(why.clone())),
        };
        let mut headers = Http2Headers::default();
        let result = decoder.decode(&block, |name, value| {
            let slot = match name {
                b":method" => &mut headers.method,
                b":path" => &mut headers.path,
                b":status" => &mut headers.status,
                b":authority" => &mut headers.authority,
                b":scheme" => &mut headers.scheme,
                _ => return,
            };
            slot.get_or_insert_with(|| kept(value));
        });
        match result {
            Ok(()) => Some(HeaderBlock::Decoded(headers)),
            Err(e) => {
                self.table_unknown(format!("an HPACK error ({})", e.words()));
                Some(HeaderBlock::NotDecoded(self.hpack.as_ref().err().cloned().unwrap_or_default()))
            }
        }
    }
}

/// A value as shown: inert, cut to [`VALUE_CHARS`].
fn kept(value: &[u8]) -> String {
    super::text::cut_chars(&inert(value), VALUE_CHARS)
}

/// The block fragment of a HEADERS, PUSH_PROMISE or CONTINUATION payload (RFC 9113 §6.2,
/// §6.6, §6.10): after the pad length, a HEADERS' priority fields or a PUSH_PROMISE's promised
/// stream, before the padding. `None` if these do not fit in the payload.
fn fragment(kind: u8, flags: u8, payload: &[u8]) -> Option<&[u8]> {
    if kind == CONTINUATION {
        return Some(payload);
    }
    let padded = flags & PADDED != 0;
    let pad = if padded { usize::from(*payload.first()?) } else { 0 };
    let fields = match kind {
        HEADERS if flags & PRIORITY != 0 => 5,
        PUSH_PROMISE => 4,
        _ => 0,
    };
    let start = usize::from(padded) + fields;
    let end = payload.len().checked_sub(pad)?;
    payload.get(start..end)
}

impl Reader for Http2Reader {
    fn step(&mut self, buf: &[u8]) -> Step {
        if self.preface {
            let n = buf.len().min(24);
            if !PREFACE.starts_with(&buf[..n]) {
                // Frames without a preface: a capture that began after it.
                self.preface = false;
                return self.step(buf);
            }
            if n < 24 {
                return Step::More;
            }
            self.preface = false;
            return Step::Done(24, What::Http2(Http2Frame { preface: true, kind: 0, flags: 0, stream: 0, len: 0, complete: true, headers: None }));
        }
        if buf.len() < 9 {
            return Step::More;
        }
        let len = u32::from_be_bytes([0, buf[0], buf[1], buf[2]]);
        let stream = u32::from_be_bytes([buf[5], buf[6], buf[7], buf[8]]) & 0x7fff_ffff;
        let mut frame = Http2Frame { preface: false, kind: buf[3], flags: buf[4], stream, len, complete: true, headers: None };
        let total = 9 + len as usize;
        // A block's CONTINUATIONs follow it directly, on its stream (RFC 9113 §6.10).
        let broken = match self.open_stream {
            Some(open) => frame.kind != CONTINUATION || stream != open,
            None => frame.kind == CONTINUATION,
        };
        if broken {
            self.table_unknown("a header block broken off");
        }
        let ends_block = frame.flags & END_HEADERS != 0;
        let known_before = self.hpack.is_ok();
        if !matches!(frame.kind, HEADERS | PUSH_PROMISE | CONTINUATION) {
            return Step::Finish(total as u64, What::Http2(frame));
        }
        if total > MAX_LOOK {
            // Too large to be seen at once: skipped, and the table is lost with it.
            self.table_unknown(format!("a header block frame over {MAX_LOOK} bytes"));
        }
        if let Err(why) = &self.hpack {
            // Said of the block that failed, and of each later one with "after".
            let why = if known_before { why.clone() } else { format!("after {why}") };
            frame.headers = ends_block.then_some(HeaderBlock::NotDecoded(why));
            return Step::Finish(total as u64, What::Http2(frame));
        }
        if buf.len() < total {
            self.waiting = Some(Http2Frame { complete: false, ..frame });
            return Step::More;
        }
        self.waiting = None;
        frame.headers = self.read_block(&frame, &buf[9..total]);
        Step::Done(total, What::Http2(frame))
    }

    /// A block's frame cut short: said as far as its header goes; the table is lost.
    fn cut(&mut self, _ended: bool) -> Option<What> {
        self.table_unknown("a header block cut short");
        self.waiting.take().map(What::Http2)
    }

    /// A frame's header shows nothing to know it by: after a gap the rest stays unknown.
    fn can_restart(&self) -> bool {
        false
    }
}

/// A frame type's name as RFC 9113 §6 spells it.
pub fn frame_name(kind: u8) -> String {
    let name = match kind {
        0 => "DATA",
        1 => "HEADERS",
        2 => "PRIORITY",
        3 => "RST_STREAM",
        4 => "SETTINGS",
        5 => "PUSH_PROMISE",
        6 => "PING",
        7 => "GOAWAY",
        8 => "WINDOW_UPDATE",
        9 => "CONTINUATION",
        16 => "PRIORITY_UPDATE",
        k => return format!("frame type {k}"),
    };
    name.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::{read_direction, Context, Piece};

    fn frames(from_client: bool, pieces: &[&[u8]]) -> Vec<(u64, u64, Http2Frame)> {
        let ms = read_direction(crate::app::Protocol::Http2, from_client, &Context::default(), pieces.iter().map(|p| Piece::Bytes(p)));
        ms.into_iter()
            .map(|m| match m.what {
                What::Http2(f) => (m.start, m.end, f),
                other => panic!("not HTTP/2: {other:?}"),
            })
            .collect()
    }

    #[test]
    fn preface_then_frames_a_frame_spanning_segments() {
        let mut bytes = PREFACE.to_vec();
        bytes.extend_from_slice(&[0, 0, 0, 4, 1, 0, 0, 0, 0]); // SETTINGS ACK
        bytes.extend_from_slice(&[0, 0x04, 0x00, 0, 1, 0, 0, 0, 3]); // DATA stream 3, 1024 bytes
        bytes.extend(vec![7; 1024]);
        bytes.extend_from_slice(&[0, 0, 8, 7, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]); // GOAWAY
        for cut in [1, 20, 30, 40, 500, bytes.len() - 3] {
            let f = frames(true, &[&bytes[..cut], &bytes[cut..]]);
            assert_eq!(f.len(), 4, "cut at {cut}");
            assert!(f[0].2.preface);
            assert_eq!((f[1].2.kind, f[1].2.flags), (4, 1));
            assert_eq!((f[2].0, f[2].1, f[2].2.kind, f[2].2.stream, f[2].2.len), (33, 33 + 9 + 1024, 0, 3, 1024));
            assert_eq!(f[3].2.kind, 7);
        }
    }

    #[test]
    fn a_server_speaks_frames_from_its_first_byte() {
        let f = frames(false, &[&[0, 0, 6, 4, 0, 0, 0, 0, 0, 0, 3, 0, 0, 0, 100]]);
        assert_eq!((f.len(), f[0].2.kind, f[0].2.len, f[0].2.preface), (1, 4, 6, false));
        assert!(looks_like_preface(b"PRI * HTTP/2.0\r\n"));
        assert!(!looks_like_preface(b"PRI * HTTP/1.1\r\n\r\n"));
    }

    fn frame(kind: u8, flags: u8, stream: u32, payload: &[u8]) -> Vec<u8> {
        let len = (payload.len() as u32).to_be_bytes();
        let mut out = vec![len[1], len[2], len[3], kind, flags];
        out.extend_from_slice(&stream.to_be_bytes());
        out.extend_from_slice(payload);
        out
    }

    fn said(f: &Http2Frame) -> Option<String> {
        match f.headers.as_ref()? {
            HeaderBlock::Decoded(h) => Some(format!("{:?} {:?} {:?} {:?}", h.method, h.path, h.status, h.authority)),
            HeaderBlock::NotDecoded(_) => Some("not decoded".to_string()),
        }
    }

    /// RFC 7541 C.4's first two requests: padded with priority, then split by a CONTINUATION.
    #[test]
    fn header_blocks_padded_prioritised_and_continued_share_the_table() {
        let c41 = [0x82, 0x86, 0x84, 0x41, 0x8c, 0xf1, 0xe3, 0xc2, 0xe5, 0xf2, 0x3a, 0x6b, 0xa0, 0xab, 0x90, 0xf4, 0xff];
        let c42 = [0x82, 0x86, 0x84, 0xbe, 0x58, 0x86, 0xa8, 0xeb, 0x10, 0x64, 0x9c, 0xbf];
        let mut padded = vec![3, 0, 0, 0, 0, 16];
        padded.extend_from_slice(&c41);
        padded.extend_from_slice(&[0, 0, 0]);
        let mut bytes = PREFACE.to_vec();
        bytes.extend(frame(HEADERS, END_HEADERS | PADDED | PRIORITY, 1, &padded));
        bytes.extend(frame(HEADERS, 0, 3, &c42[..5]));
        bytes.extend(frame(CONTINUATION, END_HEADERS, 3, &c42[5..]));
        bytes.extend(frame(0, 1, 3, b"body"));
        let want = [None, Some(r#"Some("GET") Some("/") None Some("www.example.com")"#.to_string()), None, Some(r#"Some("GET") Some("/") None Some("www.example.com")"#.to_string()), None];
        for cut in 1..bytes.len() {
            let f = frames(true, &[&bytes[..cut], &bytes[cut..]]);
            assert_eq!(f.iter().map(|f| said(&f.2)).collect::<Vec<_>>(), want, "cut at {cut}");
        }
    }

    /// A server's PUSH_PROMISE feeds the table its response's block reads from.
    #[test]
    fn a_push_promise_carries_a_block() {
        let mut promise = vec![0, 0, 0, 2];
        promise.extend_from_slice(&[0x82, 0x87, 0x44, 0x04, b'/', b'a', b'.', b'c']);
        let mut bytes = frame(PUSH_PROMISE, END_HEADERS, 1, &promise);
        bytes.extend(frame(HEADERS, END_HEADERS, 2, &[0x88, 0xbe]));
        let f = frames(false, &[&bytes]);
        assert_eq!(said(&f[0].2).unwrap(), r#"Some("GET") Some("/a.c") None None"#);
        assert_eq!(said(&f[1].2).unwrap(), r#"None Some("/a.c") Some("200") None"#);
    }

    /// After a block that cannot be decoded, or one broken off by another frame, the table is
    /// unknown: later blocks are said as not decoded, the frames still read.
    #[test]
    fn an_unreadable_block_stops_decoding_for_the_direction() {
        for first in [frame(HEADERS, END_HEADERS, 1, &[0x80]), [frame(HEADERS, 0, 1, &[0x82]), frame(0, 0, 1, b"x")].concat(), frame(HEADERS, END_HEADERS | PADDED, 1, &[9, 0x82])] {
            let mut bytes = first;
            bytes.extend(frame(HEADERS, END_HEADERS, 3, &[0x82, 0x84]));
            bytes.extend(frame(4, 1, 0, &[]));
            let f = frames(false, &[&bytes]);
            assert_eq!(f.iter().rev().find(|f| f.2.headers.is_some()).map(|f| said(&f.2)), Some(Some("not decoded".to_string())));
            assert_eq!((f.last().unwrap().2.kind, f.iter().all(|f| f.2.complete)), (4, true));
        }
        let mut bytes = frame(HEADERS, END_HEADERS, 1, &[0x80]);
        bytes.extend(frame(HEADERS, END_HEADERS, 3, &[0x82]));
        let why: Vec<_> = frames(true, &[&bytes]).into_iter().map(|f| f.2.headers).collect();
        let not = |w: &str| Some(HeaderBlock::NotDecoded(w.to_string()));
        assert_eq!(why, [not("an HPACK error (an index past the tables)"), not("after an HPACK error (an index past the tables)")]);
        // A frame larger than the reader may see is skipped, its block not decoded.
        let mut big = frame(HEADERS, END_HEADERS, 1, &vec![0x82; MAX_LOOK]);
        big.extend(frame(HEADERS, END_HEADERS, 3, &[0x82]));
        let f = frames(false, &[&big]);
        assert_eq!((said(&f[0].2), said(&f[1].2), f[1].2.stream), (Some("not decoded".into()), Some("not decoded".into()), 3));
    }
}
