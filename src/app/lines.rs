//! Line protocols, one reader for all, told which it reads: SMTP (RFC 5321), FTP's control
//! connection (RFC 959), POP3 (RFC 1939), IMAP (RFC 9051) and SSH's version exchange
//! (RFC 4253 §4.2). A client's line is a command (IMAP: a tag, then the command); a server's
//! is a reply — SMTP's and FTP's `NNN text`, several `NNN-` lines ending at `NNN `; POP3's
//! `+OK`/`-ERR`, the answer to RETR, TOP, CAPA, LIST or UIDL without argument running to a
//! line `.`; IMAP's untagged `*`, continuation `+` and tagged replies. An SMTP client's mail
//! after its DATA command, up to the line `.`, is one message; an IMAP literal `{N}` is skipped
//! by its count inside the line's message. SSH: the version line, then the binary packets, one
//! message to the end (not read). Credentials are never kept: PASS's, APOP's and IMAP LOGIN's
//! arguments, AUTH's initial response and the lines of an AUTH exchange.

use std::collections::VecDeque;

use serde::Serialize;

use super::framer::{Reader, Step};
use super::text::inert;
use super::{Protocol, What};

/// A line longer than this is not a line protocol's.
pub const MAX_LINE: usize = 64 * 1024;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LineMessage {
    pub protocol: Protocol,
    pub part: Part,
    pub complete: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Part {
    /// A command as sent (the verb's case kept); `hidden`: an argument that was a credential,
    /// not kept.
    Command { tag: Option<String>, verb: String, arg: Option<String>, hidden: bool },
    /// A line of an AUTH exchange (base64 credentials): not kept.
    AuthData,
    /// `code`: SMTP/FTP's three digits, POP3's `+OK`/`-ERR`, IMAP's `*`, `+` or tag; `text`: the
    /// rest of the first line; `lines` of the reply, a POP3 multi-line body's included.
    Reply { code: String, text: String, lines: u32 },
    /// An SMTP client's mail after DATA: its bytes up to the line `.` (dot-stuffed as sent).
    MailData { len: u64 },
    /// SSH's version line (`SSH-2.0-…`), with any lines the server sent before it.
    Banner { text: String },
    /// SSH's binary packets after the version line (not read: encrypted after the key exchange).
    Binary,
}

enum State {
    Line,
    /// In an SMTP/FTP multi-line reply with this code.
    Multi([u8; 3]),
    /// In a body ending at the line `.` (SMTP DATA, a POP3 multi-line answer); `mid`: inside a
    /// line.
    Dot { mid: bool, len: u64 },
    /// SSH after the version line.
    Binary,
}

pub struct LineReader {
    protocol: Protocol,
    from_client: bool,
    state: State,
    /// The message whose lines or body are being read.
    under_way: Option<Part>,
    /// POP3 server: the client's commands not answered yet (verb uppercase, has an argument).
    asked: VecDeque<(String, bool)>,
    greeted: bool,
    /// Client: an AUTH command was sent; lines that are no command are its credentials.
    auth: bool,
}

impl LineReader {
    pub fn new(protocol: Protocol, from_client: bool, commands: &[(String, bool)]) -> Self {
        LineReader { protocol, from_client, state: State::Line, under_way: None, asked: commands.iter().cloned().collect(), greeted: false, auth: false }
    }

    /// A command the client's reader finished (a POP3 server's answer to RETR is multi-line).
    pub fn push_command(&mut self, verb: &str, has_arg: bool) {
        self.asked.push_back((verb.to_ascii_uppercase(), has_arg));
    }

    fn message(&self, part: Part) -> What {
        What::Line(LineMessage { protocol: self.protocol, part, complete: true })
    }

    fn command(&mut self, n: usize, line: &[u8]) -> Step {
        let (tag, rest) = match self.protocol {
            Protocol::Imap if !self.auth || line.contains(&b' ') => match split(line) {
                (tag, Some(rest)) => (Some(inert(tag)), rest),
                (word, None) => (None, word),
            },
            _ => (None, line),
        };
        let (verb, arg) = split(rest);
        let upper = verb.to_ascii_uppercase();
        if self.auth && (upper == b"*" || !known(self.protocol, &upper)) {
            return Step::Done(n, self.message(Part::AuthData));
        }
        self.auth = false;
        let secret = matches!(&upper[..], b"PASS" | b"APOP" | b"LOGIN" | b"ACCT" | b"ADAT");
        let mut arg = arg.filter(|a| !a.is_empty()).map(inert);
        let mut hidden = secret && arg.is_some();
        if secret {
            arg = None;
        }
        if matches!(&upper[..], b"AUTH" | b"AUTHENTICATE") && self.protocol != Protocol::Ftp {
            self.auth = true;
            // The mechanism stays; an initial response after it is a credential.
            if let Some(a) = arg.take() {
                let mechanism = a.split(' ').next().unwrap_or("").to_string();
                hidden = mechanism.len() < a.len();
                arg = Some(mechanism);
            }
        }
        let what = self.message(Part::Command { tag, verb: inert(verb), arg, hidden });
        let smtp = matches!(self.protocol, Protocol::Smtp | Protocol::SmtpOrFtp);
        if smtp && upper == b"DATA" {
            self.state = State::Dot { mid: false, len: 0 };
            return Step::Done(n, what);
        }
        if smtp && upper == b"BDAT" {
            // BDAT <size> [LAST]: the chunk's bytes follow the line.
            if let Some(size) = rest.split(|&b| b == b' ').nth(1).and_then(|s| std::str::from_utf8(s).ok()?.parse::<u64>().ok()) {
                return Step::Finish(n as u64 + size, what);
            }
        }
        self.literal(n, line, what)
    }

    /// IMAP: a line ending in a literal `{N}` goes on after its N bytes.
    fn literal(&mut self, n: usize, line: &[u8], what: What) -> Step {
        if self.protocol == Protocol::Imap {
            if let Some(len) = literal_len(line) {
                if self.under_way.is_none() {
                    self.under_way = Some(match what {
                        What::Line(m) => m.part,
                        _ => Part::AuthData,
                    });
                }
                return Step::Skip(n as u64 + len);
            }
        }
        match self.under_way.take() {
            Some(part) => Step::Done(n, self.message(part)),
            None => Step::Done(n, what),
        }
    }

    fn reply(&mut self, n: usize, line: &[u8]) -> Step {
        match self.protocol {
            Protocol::Smtp | Protocol::Ftp | Protocol::SmtpOrFtp => {
                if line.len() < 3 || !line[..3].iter().all(u8::is_ascii_digit) || !matches!(line.get(3), None | Some(b' ' | b'-')) {
                    return Step::Lost;
                }
                let part = Part::Reply { code: inert(&line[..3]), text: inert(line.get(4..).unwrap_or(b"")), lines: 1 };
                if line.get(3) == Some(&b'-') {
                    self.under_way = Some(part);
                    self.state = State::Multi([line[0], line[1], line[2]]);
                    return Step::Take(n);
                }
                Step::Done(n, self.message(part))
            }
            Protocol::Pop3 => {
                let (code, text) = split(line);
                if !matches!(code, b"+OK" | b"-ERR" | b"+") {
                    return Step::Lost;
                }
                let part = Part::Reply { code: inert(code), text: text.map(inert).unwrap_or_default(), lines: 1 };
                let asked = if code == b"+" || !std::mem::replace(&mut self.greeted, true) { None } else { self.asked.pop_front() };
                let multi = code == b"+OK"
                    && asked.is_some_and(|(verb, arg)| matches!(&verb[..], "RETR" | "TOP" | "CAPA") || (matches!(&verb[..], "LIST" | "UIDL") && !arg));
                if multi {
                    self.under_way = Some(part);
                    self.state = State::Dot { mid: false, len: 0 };
                    return Step::Take(n);
                }
                Step::Done(n, self.message(part))
            }
            Protocol::Imap => {
                let (code, text) = split(line);
                let part = Part::Reply { code: inert(code), text: text.map(inert).unwrap_or_default(), lines: 1 };
                let what = self.message(part);
                self.literal(n, line, what)
            }
            _ => Step::Lost,
        }
    }

    /// SSH: lines before the version line belong to it; the binary packets follow it.
    fn banner(&mut self, n: usize, line: &[u8]) -> Step {
        if !line.starts_with(b"SSH-") {
            return Step::Take(n);
        }
        self.state = State::Binary;
        Step::Done(n, self.message(Part::Banner { text: inert(line) }))
    }

    fn multi(&mut self, n: usize, line: &[u8], code: [u8; 3]) -> Step {
        if let Some(Part::Reply { lines, .. }) = &mut self.under_way {
            *lines += 1;
        }
        if line.starts_with(&code) && matches!(line.get(3), None | Some(b' ')) {
            self.state = State::Line;
            let part = self.under_way.take().unwrap_or(Part::AuthData);
            return Step::Done(n, self.message(part));
        }
        Step::Take(n)
    }

    /// A body up to the line `.` (a line starting with a dot is dot-stuffed and goes on).
    fn dot(&mut self, buf: &[u8], mut mid: bool, len: u64) -> Step {
        let mut at = 0;
        let mut lines = 0;
        while at < buf.len() {
            let rest = &buf[at..];
            if mid {
                match rest.iter().position(|&b| b == b'\n') {
                    Some(i) => {
                        at += i + 1;
                        mid = false;
                    }
                    None => at = buf.len(),
                }
                continue;
            }
            let end = if rest.starts_with(b".\r\n") { 3 } else if rest.starts_with(b".\n") { 2 } else { 0 };
            if end > 0 {
                self.state = State::Line;
                let body = len + at as u64;
                let part = match self.under_way.take() {
                    Some(Part::Reply { code, text, lines: l }) => Part::Reply { code, text, lines: l + lines + 1 },
                    _ => Part::MailData { len: body },
                };
                return Step::Done(at + end, self.message(part));
            }
            if matches!(rest, b"." | b".\r") {
                break;
            }
            mid = true;
            lines += 1;
        }
        if let Some(Part::Reply { lines: l, .. }) = &mut self.under_way {
            *l += lines;
        }
        self.state = State::Dot { mid, len: len + at as u64 };
        if at == 0 {
            Step::More
        } else {
            Step::Take(at)
        }
    }
}

impl Reader for LineReader {
    fn step(&mut self, buf: &[u8]) -> Step {
        match self.state {
            State::Binary => {
                self.under_way = Some(Part::Binary);
                return Step::Skip(u64::MAX / 2);
            }
            State::Dot { mid, len } => return self.dot(buf, mid, len),
            _ => {}
        }
        let Some(eol) = buf.iter().take(MAX_LINE).position(|&b| b == b'\n') else {
            return if buf.len() >= MAX_LINE { Step::Lost } else { Step::More };
        };
        let line = buf[..eol].strip_suffix(b"\r").unwrap_or(&buf[..eol]);
        if line.iter().any(|&b| (b < 0x20 && b != b'\t') || b == 0x7f) {
            return Step::Lost;
        }
        let n = eol + 1;
        match self.state {
            State::Multi(code) => self.multi(n, line, code),
            // The line after an IMAP literal goes on with the message.
            _ if self.under_way.is_some() => self.literal(n, line, What::Gap),
            _ if self.protocol == Protocol::Ssh => self.banner(n, line),
            _ if self.from_client => self.command(n, line),
            _ => self.reply(n, line),
        }
    }

    fn cut(&mut self, ended: bool) -> Option<What> {
        let mail = match self.state {
            State::Dot { len, .. } if self.from_client => Some(Part::MailData { len }),
            _ => None,
        };
        let part = self.under_way.take().or(mail)?;
        let complete = ended && part == Part::Binary;
        Some(What::Line(LineMessage { protocol: self.protocol, part, complete }))
    }

    fn starts_message(&self, b: &[u8]) -> bool {
        match self.protocol {
            Protocol::Ssh => false,
            _ if self.from_client => b.iter().take_while(|c| c.is_ascii_alphanumeric()).count() > 0 && b.iter().all(|&c| c >= 0x20 || c == b'\r' || c == b'\n'),
            Protocol::Pop3 => b.starts_with(b"+OK") || b.starts_with(b"-ERR"),
            Protocol::Imap => b.starts_with(b"* ") || b.starts_with(b"+ "),
            _ => b.len() >= 4 && b[..3].iter().all(u8::is_ascii_digit) && matches!(b[3], b' ' | b'-'),
        }
    }

    fn restart(&mut self) {
        self.state = State::Line;
        self.under_way = None;
        self.auth = false;
    }

    fn can_restart(&self) -> bool {
        self.protocol != Protocol::Ssh
    }
}

/// The first word and the rest after one space.
fn split(line: &[u8]) -> (&[u8], Option<&[u8]>) {
    match line.iter().position(|&b| b == b' ') {
        Some(i) => (&line[..i], Some(&line[i + 1..])),
        None => (line, None),
    }
}

/// `{N}` or `{N+}` at a line's end: N.
fn literal_len(line: &[u8]) -> Option<u64> {
    let inner = line.strip_suffix(b"}")?;
    let open = inner.iter().rposition(|&b| b == b'{')?;
    let digits = inner[open + 1..].strip_suffix(b"+").unwrap_or(&inner[open + 1..]);
    if digits.is_empty() || digits.len() > 12 || !digits.iter().all(u8::is_ascii_digit) {
        return None;
    }
    std::str::from_utf8(digits).ok()?.parse().ok()
}

/// A verb a client may send after AUTH's exchange (anything else there is a credential).
fn known(protocol: Protocol, verb: &[u8]) -> bool {
    const SMTP: &[&[u8]] = &[b"HELO", b"EHLO", b"LHLO", b"MAIL", b"RCPT", b"DATA", b"BDAT", b"RSET", b"VRFY", b"EXPN", b"HELP", b"NOOP", b"QUIT", b"AUTH", b"STARTTLS"];
    const POP3: &[&[u8]] = &[b"USER", b"PASS", b"APOP", b"STAT", b"LIST", b"RETR", b"DELE", b"NOOP", b"RSET", b"QUIT", b"TOP", b"UIDL", b"CAPA", b"STLS", b"AUTH", b"UTF8"];
    match protocol {
        Protocol::Pop3 => POP3.contains(&verb),
        // IMAP: a tagged command (a credential line is one word).
        Protocol::Imap => verb.iter().all(u8::is_ascii_alphabetic) && !verb.is_empty(),
        _ => SMTP.contains(&verb),
    }
}

/// Which line protocol a connection speaks, from its first bytes: the server's greeting (all
/// but SSH speak first), and for a `220` greeting, which SMTP and FTP share, the client's
/// first command.
pub fn detect(client: &[u8], server: &[u8]) -> Option<Protocol> {
    if client.starts_with(b"SSH-") || server.starts_with(b"SSH-") {
        return Some(Protocol::Ssh);
    }
    if server.starts_with(b"220 ") || server.starts_with(b"220-") {
        let verb: Vec<u8> = client.iter().take_while(|b| b.is_ascii_alphabetic()).map(u8::to_ascii_uppercase).collect();
        let ends = matches!(client.get(verb.len()), Some(b' ' | b'\r' | b'\n'));
        return Some(match &verb[..] {
            b"EHLO" | b"HELO" | b"LHLO" if ends => Protocol::Smtp,
            b"USER" | b"AUTH" | b"FEAT" | b"SYST" | b"OPTS" | b"HOST" | b"CLNT" | b"PBSZ" if ends => Protocol::Ftp,
            _ => Protocol::SmtpOrFtp,
        });
    }
    if server.starts_with(b"+OK") && !client.starts_with(b"*") {
        return Some(Protocol::Pop3);
    }
    if server.starts_with(b"* OK") || server.starts_with(b"* PREAUTH") || server.starts_with(b"* BYE") {
        return Some(Protocol::Imap);
    }
    None
}

#[cfg(test)]
#[path = "lines_tests.rs"]
mod tests;
