//! DNS over TCP (RFC 1035 §4.2.2, RFC 7766): each message follows its two-byte length. The
//! header and the first question are read: the name, its type, and for a response the rcode
//! and the answer count.

use serde::Serialize;

use super::framer::{Reader, Step};
use super::text::inert;
use super::What;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DnsMessage {
    pub id: u16,
    pub response: bool,
    pub rcode: u8,
    pub questions: u16,
    pub answers: u16,
    /// The first question's name and type, where it reads.
    pub name: Option<String>,
    pub qtype: Option<u16>,
    pub len: u16,
    pub complete: bool,
}

/// A query as the first bytes of a connection: a length that the message's header fits, with
/// one question, no answers, and the standard query opcode.
pub fn looks_like_query(b: &[u8]) -> bool {
    if b.len() < 14 {
        return false;
    }
    let len = u16::from_be_bytes([b[0], b[1]]) as usize;
    let h = &b[2..];
    let qr = h[2] & 0x80 != 0;
    let opcode = (h[2] >> 3) & 0x0f;
    len >= 17 && !qr && opcode == 0 && u16::from_be_bytes([h[4], h[5]]) == 1 && u16::from_be_bytes([h[6], h[7]]) == 0 && question(&h[..h.len().min(len)]).is_some()
}

pub struct DnsReader;

impl Reader for DnsReader {
    fn step(&mut self, buf: &[u8]) -> Step {
        if buf.len() < 2 {
            return Step::More;
        }
        let len = u16::from_be_bytes([buf[0], buf[1]]) as usize;
        if len < 12 {
            return Step::Lost;
        }
        if buf.len() < 2 + len {
            return Step::More;
        }
        let h = &buf[2..2 + len];
        let (name, qtype) = question(h).map_or((None, None), |(n, t)| (Some(n), Some(t)));
        Step::Done(
            2 + len,
            What::Dns(DnsMessage {
                id: u16::from_be_bytes([h[0], h[1]]),
                response: h[2] & 0x80 != 0,
                rcode: h[3] & 0x0f,
                questions: u16::from_be_bytes([h[4], h[5]]),
                answers: u16::from_be_bytes([h[6], h[7]]),
                name,
                qtype,
                len: len as u16,
                complete: true,
            }),
        )
    }

    /// A DNS message's start shows nothing to know it by (a length, then an id): after a gap
    /// the rest of the direction stays unknown.
    fn can_restart(&self) -> bool {
        false
    }
}

/// The first question's name (dotted, no compression: a question comes first, before anything
/// to point at) and type.
fn question(msg: &[u8]) -> Option<(String, u16)> {
    if u16::from_be_bytes([*msg.get(4)?, *msg.get(5)?]) == 0 {
        return None;
    }
    let mut at = 12;
    let mut labels: Vec<String> = Vec::new();
    loop {
        let n = *msg.get(at)? as usize;
        at += 1;
        if n == 0 {
            break;
        }
        if n > 63 || labels.len() > 127 {
            return None;
        }
        labels.push(inert(msg.get(at..at + n)?));
        at += n;
    }
    let qtype = u16::from_be_bytes([*msg.get(at)?, *msg.get(at + 1)?]);
    let name = if labels.is_empty() { "<Root>".to_string() } else { labels.join(".") };
    Some((name, qtype))
}
