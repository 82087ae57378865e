//! The words of the line protocols' messages, Redis's and HTTP/2's frames: a summary's line,
//! an arrow's few words. A credential is never here (the readers do not keep it); with the addresses hidden an
//! arrow keeps a command's verb and a reply's code, not what names a person or a host (a MAIL
//! FROM address, a USER name, a greeting's host name).

use crate::app::http2::frame_name;
use crate::app::{Http2Frame, LineMessage, Part, Protocol, RespMessage};

/// Characters of an argument or a reply's text kept on an arrow.
const ARG_CHARS: usize = 32;

fn name(p: Protocol) -> &'static str {
    match p {
        Protocol::Smtp => "SMTP",
        Protocol::Ftp => "FTP",
        Protocol::SmtpOrFtp => "SMTP/FTP",
        Protocol::Pop3 => "POP3",
        Protocol::Imap => "IMAP",
        Protocol::Ssh => "SSH",
        _ => "line protocol",
    }
}

fn tagged(tag: &Option<String>, verb: &str) -> String {
    match tag {
        Some(t) => format!("{t} {}", verb.to_ascii_uppercase()),
        None => verb.to_ascii_uppercase(),
    }
}

pub fn line_summary(l: &LineMessage, bytes: u64) -> String {
    let p = name(l.protocol);
    match &l.part {
        Part::Command { tag, verb, arg, hidden } => {
            let arg = arg.as_deref().map_or(String::new(), |a| format!(" {a}"));
            let hidden = if *hidden { " (credentials hidden)" } else { "" };
            format!("{p} command {}{arg}{hidden}", tagged(tag, verb))
        }
        Part::AuthData => format!("{p} authentication data (hidden)"),
        Part::Reply { code, text, lines } => {
            let more = if *lines > 1 { format!(" ({lines} lines)") } else { String::new() };
            format!("{p} reply {code} {text}{more}").trim_end().to_string()
        }
        Part::MailData { len } => format!("{p} mail data, {len} bytes"),
        Part::Banner { text } => format!("{p} version {text}"),
        Part::Binary => format!("{p} binary packets, {bytes} bytes (not read)"),
    }
}

pub fn line_short(l: &LineMessage, hide: bool) -> String {
    match &l.part {
        Part::Command { tag, verb, hidden: true, .. } => format!("{} (hidden)", tagged(tag, verb)),
        Part::Command { tag, verb, arg: Some(a), .. } if !hide => format!("{} {}", tagged(tag, verb), cut(a)),
        Part::Command { tag, verb, .. } => tagged(tag, verb),
        Part::AuthData => "AUTH data (hidden)".to_string(),
        Part::Reply { code, .. } if hide => code.clone(),
        Part::Reply { code, text, .. } => format!("{code} {}", cut(text)).trim_end().to_string(),
        Part::MailData { len } => format!("mail data, {len} bytes"),
        Part::Banner { text } => cut(text),
        Part::Binary => "SSH encrypted/binary data".to_string(),
    }
}

fn args(r: &RespMessage) -> String {
    let n = r.len.max(1) - 1;
    format!("({n} arg{})", if n == 1 { "" } else { "s" })
}

pub fn redis_summary(r: &RespMessage, from_client: bool) -> String {
    let text = r.text.as_deref().unwrap_or("");
    match (from_client, r.kind) {
        (true, '*') if r.inline => format!("Redis inline command {} {}", text.to_ascii_uppercase(), args(r)),
        (true, '*') => format!("Redis command {} {}", text.to_ascii_uppercase(), args(r)),
        (_, '$' | '!' | '=' | '*' | '%' | '~' | '>') if r.len < 0 => "Redis null".to_string(),
        (_, '$') => format!("Redis bulk string, {} bytes", r.len),
        (_, '*' | '~' | '>' | '%') => {
            let what = match r.kind {
                '*' => "array",
                '~' => "set",
                '>' => "push",
                _ => "map",
            };
            let first = if text.is_empty() { String::new() } else { format!(" ({text} …)") };
            format!("Redis {what} of {}{first}, {} values in all", r.len, r.nested)
        }
        (_, '-') => format!("Redis error -{text}"),
        (_, kind) => format!("Redis reply {kind}{text}"),
    }
}

pub fn redis_short(r: &RespMessage, from_client: bool, hide: bool) -> String {
    let text = r.text.as_deref().unwrap_or("");
    match (from_client, r.kind) {
        (true, '*') => format!("{} {}", text.to_ascii_uppercase(), args(r)),
        (_, '$' | '*' | '%' | '~' | '>') if r.len < 0 => "null".to_string(),
        (_, '$') => format!("bulk string, {} bytes", r.len),
        (_, '*' | '~' | '>' | '%') if !text.is_empty() => format!("{}{} ({text} …)", r.kind, r.len),
        (_, '*' | '~' | '>' | '%') => format!("{}{}", r.kind, r.len),
        (_, '+') if hide && !matches!(text, "OK" | "PONG" | "QUEUED") => "+…".to_string(),
        (_, kind) => format!("{kind}{}", cut(text)),
    }
}

fn cut(text: &str) -> String {
    match text.char_indices().nth(ARG_CHARS) {
        Some((at, _)) => format!("{}…", &text[..at]),
        None => text.to_string(),
    }
}

pub fn http2_summary(f: &Http2Frame) -> String {
    format!("HTTP/2 {}", http2_short(f))
}

/// "HEADERS stream 1", "DATA stream 3, 1024 bytes", "SETTINGS ACK", "client preface".
pub fn http2_short(f: &Http2Frame) -> String {
    if f.preface {
        return "client preface".to_string();
    }
    let name = frame_name(f.kind);
    match f.kind {
        0 => format!("{name} stream {}, {} bytes", f.stream, f.len),
        4 | 6 if f.flags & 1 != 0 => format!("{name} ACK"),
        _ if f.stream != 0 => format!("{name} stream {}", f.stream),
        _ => name,
    }
}
