//! HTTP/2 in the clear (RFC 9113): the client's connection preface, then frames — a 9-byte
//! header (length, type, flags, stream) and a payload skipped by its length — each one message.
//! A connection is told by the client's preface; the server's side is frames from its first
//! byte (h2c with prior knowledge: a server may send its SETTINGS before the preface arrives).
//! Header blocks are not decoded (no HPACK): a HEADERS frame is told by its stream alone.

use serde::Serialize;

use super::framer::{Reader, Step};
use super::What;

pub const PREFACE: &[u8; 24] = b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n";

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
}

/// Whether a client's first bytes are the preface (or as much of it as came, from its
/// request-like first line on).
pub fn looks_like_preface(b: &[u8]) -> bool {
    b.len() >= 16 && PREFACE.starts_with(&b[..b.len().min(24)])
}

pub struct Http2Reader {
    /// The client's reader before its first bytes: the preface comes first.
    preface: bool,
}

impl Http2Reader {
    pub fn new(from_client: bool) -> Self {
        Http2Reader { preface: from_client }
    }
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
            return Step::Done(24, What::Http2(Http2Frame { preface: true, kind: 0, flags: 0, stream: 0, len: 0, complete: true }));
        }
        if buf.len() < 9 {
            return Step::More;
        }
        let len = u32::from_be_bytes([0, buf[0], buf[1], buf[2]]);
        let stream = u32::from_be_bytes([buf[5], buf[6], buf[7], buf[8]]) & 0x7fff_ffff;
        let frame = Http2Frame { preface: false, kind: buf[3], flags: buf[4], stream, len, complete: true };
        Step::Finish(9 + u64::from(len), What::Http2(frame))
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
}
