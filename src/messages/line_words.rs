//! The words of the line protocols' messages, Redis's and HTTP/2's frames: a summary's line,
//! an arrow's few words. A credential is never here (the readers do not keep it); with the addresses hidden an
//! arrow keeps a command's verb and a reply's code, not what names a person or a host (a MAIL
//! FROM address, a USER name, a greeting's host name).

use crate::app::cut_chars;
use crate::app::http2::frame_name;
use crate::app::{HeaderBlock, Http2Frame, Http2Headers, LineMessage, Part, Protocol, RespMessage};

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
        Part::Command { tag, verb, arg: Some(a), .. } if !hide => format!("{} {}", tagged(tag, verb), cut_chars(a, ARG_CHARS)),
        Part::Command { tag, verb, .. } => tagged(tag, verb),
        Part::AuthData => "AUTH data (hidden)".to_string(),
        Part::Reply { code, .. } if hide => code.clone(),
        Part::Reply { code, text, .. } => format!("{code} {}", cut_chars(text, ARG_CHARS)).trim_end().to_string(),
        Part::MailData { len } => format!("mail data, {len} bytes"),
        Part::Banner { text } => cut_chars(text, ARG_CHARS),
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
        (_, kind) => format!("{kind}{}", cut_chars(text, ARG_CHARS)),
    }
}


/// "HTTP/2 HEADERS stream 1: GET /index.html, authority example.com".
pub fn http2_summary(f: &Http2Frame) -> String {
    let mut s = format!("HTTP/2 {}", http2_short(f, false));
    if let Some(HeaderBlock::Decoded(Http2Headers { authority: Some(a), status: None, .. })) = &f.headers {
        s.push_str(&format!(", authority {a}"));
    }
    if let Some(HeaderBlock::NotDecoded(why)) = &f.headers {
        s.push_str(&format!(": {why}"));
    }
    s
}

/// "HEADERS stream 1: GET /index.html", "HEADERS stream 3: 200", "DATA stream 3, 1024 bytes",
/// "SETTINGS ACK", "client preface". With the addresses hidden, a request's path and
/// authority are not said, as HTTP/1's target is not.
pub fn http2_short(f: &Http2Frame, hide: bool) -> String {
    if f.preface {
        return "client preface".to_string();
    }
    let name = frame_name(f.kind);
    let plain = match f.kind {
        0 => format!("{name} stream {}, {} bytes", f.stream, f.len),
        4 | 6 if f.flags & 1 != 0 => format!("{name} ACK"),
        _ if f.stream != 0 => format!("{name} stream {}", f.stream),
        _ => name,
    };
    let h = match &f.headers {
        None => return plain,
        Some(HeaderBlock::NotDecoded(_)) => return format!("{plain} (headers not decoded)"),
        Some(HeaderBlock::Decoded(h)) => h,
    };
    // CONNECT names its target by :authority alone (RFC 9113 §8.5).
    let target = h.path.as_ref().or(h.authority.as_ref().filter(|_| h.method.as_deref() == Some("CONNECT")));
    match (&h.status, &h.method, target) {
        (Some(status), _, _) => format!("{plain}: {status}"),
        (None, Some(m), Some(_)) if hide => format!("{plain}: {m} (target hidden)"),
        (None, Some(m), Some(t)) => format!("{plain}: {m} {}", cut_chars(t, ARG_CHARS)),
        (None, Some(m), None) => format!("{plain}: {m}"),
        // Trailers: no pseudo-header.
        (None, None, _) => plain,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(kind: u8, h: Option<HeaderBlock>) -> Http2Frame {
        Http2Frame { preface: false, kind, flags: 4, stream: 5, len: 9, complete: true, headers: h }
    }

    fn request(method: &str, path: Option<&str>, authority: &str) -> Option<HeaderBlock> {
        let h = Http2Headers { method: Some(method.into()), path: path.map(Into::into), authority: Some(authority.into()), ..Default::default() };
        Some(HeaderBlock::Decoded(h))
    }

    #[test]
    fn http2_headers_say_their_pseudo_headers_and_hide_the_target() {
        let get = headers(1, request("GET", Some("/index.html"), "example.com"));
        assert_eq!(http2_short(&get, false), "HEADERS stream 5: GET /index.html");
        assert_eq!(http2_short(&get, true), "HEADERS stream 5: GET (target hidden)");
        assert_eq!(http2_summary(&get), "HTTP/2 HEADERS stream 5: GET /index.html, authority example.com");
        let connect = headers(1, request("CONNECT", None, "example.com:443"));
        assert_eq!((http2_short(&connect, false).as_str(), http2_short(&connect, true).as_str()), ("HEADERS stream 5: CONNECT example.com:443", "HEADERS stream 5: CONNECT (target hidden)"));
        let ok = headers(1, Some(HeaderBlock::Decoded(Http2Headers { status: Some("200".into()), ..Default::default() })));
        assert_eq!(http2_short(&ok, true), "HEADERS stream 5: 200");
        let trailers = headers(1, Some(HeaderBlock::Decoded(Http2Headers::default())));
        assert_eq!(http2_short(&trailers, false), "HEADERS stream 5");
        let lost = headers(9, Some(HeaderBlock::NotDecoded("HPACK error (BadIndex)".into())));
        assert_eq!(http2_short(&lost, false), "CONTINUATION stream 5 (headers not decoded)");
        assert_eq!(http2_summary(&lost), "HTTP/2 CONTINUATION stream 5 (headers not decoded): HPACK error (BadIndex)");
    }
}
