//! A message in one line, for the ladder's arrows, the list, Follow's margin and the exports.
//! Every number is the message's own field; every text from the capture went through
//! `app::inert`.

use crate::app::cut_chars;
use crate::app::{self, What};

use super::Placed;

pub fn summary(p: &Placed) -> String {
    let m = &p.message;
    let bytes = m.end - m.start;
    let text = match &m.what {
        What::HttpRequest(r) => {
            let mut s = format!("{} {} HTTP/1.{}", r.method, cut_chars(&r.target, TARGET_CHARS), r.version);
            if let Some(b) = body_words(&r.body) {
                s.push_str(&format!(", {b}"));
            }
            s
        }
        What::HttpResponse(r) => {
            let mut s = format!("HTTP/1.{} {} {}", r.version, r.status, r.reason).trim_end().to_string();
            if let Some(b) = body_words(&r.body) {
                s.push_str(&format!(", {b}"));
            }
            s
        }
        What::Tls(r) => tls_words(r, p.encrypted_handshake, p.tls13_record),
        What::Dns(d) => {
            let q = match (&d.name, d.qtype) {
                (Some(n), Some(t)) => format!(" {} {n}", qtype_name(t)),
                _ => String::new(),
            };
            if d.response {
                let rcode = if d.rcode == 0 { format!("{} answer{}", d.answers, if d.answers == 1 { "" } else { "s" }) } else { rcode_name(d.rcode) };
                format!("DNS response{q}: {rcode}")
            } else {
                format!("DNS query{q}")
            }
        }
        What::Line(l) => super::line_words::line_summary(l, bytes),
        What::Redis(r) => super::line_words::redis_summary(r, m.from_client),
        What::Http2(f) => super::line_words::http2_summary(f),
        What::Unknown { .. } => format!("{bytes} byte{} of unknown data", if bytes == 1 { "" } else { "s" }),
        What::Gap => format!("{bytes} bytes the capture does not hold"),
    };
    if incomplete(&m.what) && !matches!(m.what, What::Unknown { .. }) {
        // (Its bytes from its first, the head included: a body alone would be fewer.)
        format!("{text} (cut short after {bytes} bytes of the message)")
    } else if m.uncaptured > 0 {
        format!("{text} ({} of its bytes not captured)", m.uncaptured)
    } else {
        text
    }
}

/// Characters of a request target kept in a summary (the JSON keeps it whole).
const TARGET_CHARS: usize = 100;


fn incomplete(w: &What) -> bool {
    match w {
        What::HttpRequest(r) => !r.complete,
        What::HttpResponse(r) => !r.complete,
        What::Tls(r) => !r.complete,
        What::Dns(d) => !d.complete,
        What::Line(l) => !l.complete,
        What::Redis(r) => !r.complete,
        What::Http2(f) => !f.complete,
        What::Unknown { complete } => !complete,
        What::Gap => false,
    }
}

fn body_words(b: &app::http::Body) -> Option<String> {
    match b {
        app::http::Body::None => None,
        app::http::Body::Length { len } => Some(format!("{len}-byte body")),
        app::http::Body::Chunked { len, chunks } => Some(format!("chunked body, {len} bytes in {chunks} chunk{}", if *chunks == 1 { "" } else { "s" })),
        app::http::Body::UntilClose => Some("body to the close".to_string()),
    }
}

fn tls_words(r: &app::TlsRecord, encrypted_handshake: bool, tls13_record: bool) -> String {
    use app::tls::{alert_name, content_type_name, handshake_name};
    match r.content_type {
        23 if encrypted_handshake => format!("TLS 1.3 encrypted handshake (inferred from the order), {} bytes", r.len),
        23 if tls13_record => format!("TLS 1.3 encrypted record, {} bytes (application data or a post-handshake message)", r.len),
        23 => format!("TLS application data, {} bytes", r.len),
        21 if r.encrypted => format!("TLS encrypted alert, {} bytes", r.len),
        21 => match r.alert {
            Some((level, desc)) => format!("TLS alert: {} {}", if level == 2 { "fatal" } else { "warning" }, alert_name(desc)),
            None => format!("TLS alert, {} bytes", r.len),
        },
        22 if r.encrypted => format!("TLS encrypted handshake message, {} bytes", r.len),
        22 if r.handshakes.is_empty() && !r.complete => format!("TLS handshake record, {} bytes", r.len),
        22 if r.handshakes.is_empty() => format!("TLS handshake record, {} bytes (part of a longer message)", r.len),
        22 => {
            let names: Vec<String> = r.handshakes.iter().map(|h| hello_words(h, handshake_name(h.kind))).collect();
            format!("TLS {}", names.join(", "))
        }
        20 => "TLS ChangeCipherSpec".to_string(),
        t => format!("TLS {}, {} bytes", content_type_name(t), r.len),
    }
}

fn hello_words(h: &app::TlsHandshake, name: &str) -> String {
    let Some(hello) = &h.hello else { return name.to_string() };
    let mut parts = Vec::new();
    if h.kind == 2 {
        if let Some(v) = hello.version {
            parts.push(app::tls_hello::version_name(v));
        }
        if let Some(c) = &hello.cipher_name {
            parts.push(c.clone());
        }
    } else {
        if let Some(sni) = &hello.sni {
            parts.push(format!("SNI {sni}"));
        }
        if !hello.alpn.is_empty() {
            parts.push(format!("ALPN {}", hello.alpn.join(", ")));
        }
    }
    let name = if hello.hello_retry { "HelloRetryRequest" } else { name };
    if parts.is_empty() {
        name.to_string()
    } else {
        format!("{name} ({})", parts.join("; "))
    }
}

pub(super) fn qtype_name(t: u16) -> String {
    match t {
        1 => "A".into(),
        2 => "NS".into(),
        5 => "CNAME".into(),
        6 => "SOA".into(),
        12 => "PTR".into(),
        15 => "MX".into(),
        16 => "TXT".into(),
        28 => "AAAA".into(),
        33 => "SRV".into(),
        65 => "HTTPS".into(),
        251 => "IXFR".into(),
        252 => "AXFR".into(),
        255 => "ANY".into(),
        t => format!("TYPE{t}"),
    }
}

pub(super) fn rcode_name(r: u8) -> String {
    match r {
        1 => "FORMERR".into(),
        2 => "SERVFAIL".into(),
        3 => "NXDOMAIN".into(),
        4 => "NOTIMP".into(),
        5 => "REFUSED".into(),
        r => format!("rcode {r}"),
    }
}
