//! Redis's protocol, RESP2 and RESP3: a client's command is an array of bulk strings (its
//! name, then its arguments) or an inline line of words; a server's reply is one value, read
//! whole however deep it nests (arrays, maps, sets, pushes, attributes). A bulk string is
//! skipped by its length, except a short first element of an array (a command's name, a pushed
//! message's kind), which is kept.

use serde::Serialize;

use super::framer::{Reader, Step};
use super::lines::MAX_LINE;
use super::text::inert;
use super::What;

/// A first element kept as a name: longer is no command's name.
const NAME_BYTES: u64 = 64;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RespMessage {
    /// The top value's type byte: `*` array, `$` bulk string, `+` simple string, `-` error,
    /// `:` integer, RESP3's `%` map, `~` set, `>` push, `_` null …
    pub kind: char,
    /// An array's elements (a map's pairs) or a bulk string's bytes; -1 for a null.
    pub len: i64,
    /// A simple string's, an error's or a number's text; an array's first element where it is
    /// a short bulk string (a command's name); an inline command's first word.
    pub text: Option<String>,
    /// Values inside the top one, at any depth.
    pub nested: u64,
    /// A command sent as one line of words (`PING`, `PUBLISH ch msg`): `len` counts its words.
    pub inline: bool,
    pub complete: bool,
}

#[derive(Default)]
pub struct RespReader {
    from_client: bool,
    /// Values still to come in each array under way, outermost first.
    stack: Vec<u64>,
    top: Option<RespMessage>,
}

impl RespReader {
    pub fn new(from_client: bool) -> Self {
        RespReader { from_client, ..RespReader::default() }
    }

    /// A value of `n` bytes is through: the message ends with it if it closes every array.
    fn value_done(&mut self, n: u64) -> Step {
        loop {
            match self.stack.last_mut() {
                None => {
                    let what = What::Redis(self.top.take().unwrap_or_else(|| empty('?')));
                    return Step::Finish(n, what);
                }
                Some(left) if *left > 1 => {
                    *left -= 1;
                    return Step::Skip(n);
                }
                Some(_) => {
                    self.stack.pop();
                }
            }
        }
    }

    fn inline(&mut self, n: usize, line: &[u8]) -> Step {
        // Words part at spaces outside double quotes (`PUBLISH ch "a b"`: three words).
        let mut quoted = false;
        let words: Vec<&[u8]> = line
            .split(|&b| {
                quoted ^= b == b'"';
                b.is_ascii_whitespace() && !quoted
            })
            .filter(|w| !w.is_empty())
            .collect();
        let mut m = empty('*');
        m.len = words.len() as i64;
        m.text = words.first().map(|w| inert(w));
        m.inline = true;
        Step::Done(n, What::Redis(m))
    }
}

fn empty(kind: char) -> RespMessage {
    RespMessage { kind, len: 0, text: None, nested: 0, inline: false, complete: true }
}

impl Reader for RespReader {
    fn step(&mut self, buf: &[u8]) -> Step {
        let Some(eol) = buf.iter().take(MAX_LINE).position(|&b| b == b'\n') else {
            return if buf.len() >= MAX_LINE { Step::Lost } else { Step::More };
        };
        let line = buf[..eol].strip_suffix(b"\r").unwrap_or(&buf[..eol]);
        let n = eol + 1;
        if self.from_client && self.stack.is_empty() && buf[0] != b'*' {
            return self.inline(n, line);
        }
        let Some((&kind, value)) = line.split_first() else { return Step::Lost };
        let number = std::str::from_utf8(value).ok().and_then(|v| v.parse::<i64>().ok());
        let top = self.stack.is_empty();
        let first_of_top = self.stack.len() == 1 && self.top.as_ref().is_some_and(|t| t.text.is_none() && t.nested == 0);
        if top {
            self.top = Some(empty(kind as char));
        }
        let t = self.top.get_or_insert_with(|| empty(kind as char));
        if !top {
            t.nested += 1;
        }
        match kind {
            b'*' | b'%' | b'~' | b'>' | b'|' => {
                let Some(count) = number.filter(|c| *c >= -1) else { return Step::Lost };
                if top {
                    t.len = count;
                }
                // A map's and an attribute's entries are pairs; an attribute then comes
                // before the value it describes.
                let values = match kind {
                    b'%' => 2 * count.max(0) as u64,
                    b'|' => 2 * count.max(0) as u64 + 1,
                    _ => count.max(0) as u64,
                };
                if values == 0 {
                    return self.value_done(n as u64);
                }
                self.stack.push(values);
                Step::Take(n)
            }
            b'$' | b'!' | b'=' => {
                let Some(len) = number.filter(|l| *l >= -1) else { return Step::Lost };
                if top {
                    t.len = len;
                }
                if len < 0 {
                    return self.value_done(n as u64);
                }
                let whole = n as u64 + len as u64 + 2;
                if (first_of_top || (top && kind != b'$')) && len as u64 <= NAME_BYTES {
                    if (buf.len() as u64) < whole {
                        return Step::More;
                    }
                    t.text = Some(inert(&buf[n..n + len as usize]));
                }
                self.value_done(whole)
            }
            b'+' | b'-' | b':' | b',' | b'#' | b'(' | b'_' => {
                if top {
                    t.text = Some(inert(value));
                }
                self.value_done(n as u64)
            }
            _ => Step::Lost,
        }
    }

    fn cut(&mut self, _: bool) -> Option<What> {
        self.stack.clear();
        self.top.take().map(|t| What::Redis(RespMessage { complete: false, ..t }))
    }

    fn starts_message(&self, b: &[u8]) -> bool {
        if self.from_client {
            looks_like_command(b)
        } else {
            b.len() > 1 && matches!(b[0], b'+' | b'-' | b':' | b'$' | b'*' | b'%' | b'>' | b'_')
        }
    }

    fn restart(&mut self) {
        self.stack.clear();
        self.top = None;
    }
}

/// A client's first bytes: an array of bulk strings (`*<n>\r\n$`).
pub fn looks_like_command(b: &[u8]) -> bool {
    let digits = b.iter().skip(1).take_while(|c| c.is_ascii_digit()).count();
    b.first() == Some(&b'*') && (1..=9).contains(&digits) && b[1 + digits..].starts_with(b"\r\n$")
}

/// A server's first reply to an inline command (`+PONG`, `:1`, `$5`, `*2`, `-ERR …`): one
/// line of a RESP value, after a client's line of printable words.
pub fn looks_like_inline_exchange(client: &[u8], server: &[u8]) -> bool {
    let line = |b: &[u8]| b.iter().position(|&c| c == b'\n').and_then(|i| b[..i].strip_suffix(b"\r").map(<[u8]>::to_vec));
    let (Some(asked), Some(answer)) = (line(client), line(server)) else { return false };
    let words = !asked.is_empty() && asked.iter().all(|&c| (0x20..0x7f).contains(&c)) && asked[0].is_ascii_alphabetic();
    let number = |v: &[u8]| {
        let v = v.strip_prefix(b"-").unwrap_or(v);
        !v.is_empty() && v.iter().all(u8::is_ascii_digit)
    };
    let reply = match answer.split_first() {
        Some((b':' | b'$' | b'*', v)) => number(v),
        Some((b'+', v)) => !v.is_empty() && !v.starts_with(b"OK ") && v.iter().all(|&c| (0x20..0x7f).contains(&c)),
        Some((b'-', v)) => v.starts_with(b"ERR ") || v.starts_with(b"WRONGTYPE") || v.starts_with(b"NOAUTH"),
        _ => false,
    };
    words && reply
}

#[cfg(test)]
#[path = "resp_tests.rs"]
mod tests;
