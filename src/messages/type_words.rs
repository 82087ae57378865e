//! The application's messages said by their type and size alone ("hide application data"):
//! "HTTP request, 91 B", "HTTP response, 4 kB", "TLS ClientHello", "DNS query", "SMTP command",
//! "HEADERS stream 1". No method, target, status, name, command or header value: what is left
//! is what an observer learns from the protocol's framing.

use crate::app::{http2::frame_name, What};
use crate::draw::numbers::bytes_text;

use super::Placed;

/// A message's type and size (`None`: unknown data and gaps, which an arrow does not name).
pub fn type_words(p: &Placed) -> Option<String> {
    let size = bytes_text((p.message.end - p.message.start) as f64, "");
    let words = match &p.message.what {
        What::HttpRequest(_) => format!("HTTP request, {size}"),
        What::HttpResponse(_) => format!("HTTP response, {size}"),
        // Record and handshake types, alerts: TLS's own framing, in the clear.
        What::Tls(r) => tls_short(r, p.encrypted_handshake, p.tls13_record),
        What::Dns(d) => format!("DNS {}, {size}", if d.response { "response" } else { "query" }),
        What::Line(l) => format!("{} {}, {size}", protocol_name(l.protocol), if p.message.from_client { "command" } else { "reply" }),
        What::Redis(_) => format!("Redis {}, {size}", if p.message.from_client { "command" } else { "reply" }),
        What::Http2(f) if f.preface => "client preface".to_string(),
        What::Http2(f) if f.stream != 0 => format!("{} stream {}, {size}", frame_name(f.kind), f.stream),
        What::Http2(f) => frame_name(f.kind),
        What::Unknown { .. } | What::Gap => return None,
    };
    Some(words)
}

fn protocol_name(p: crate::app::Protocol) -> String {
    match p {
        crate::app::Protocol::SmtpOrFtp => "SMTP or FTP".to_string(),
        p => p.name().to_uppercase(),
    }
}

/// A TLS record's types on an arrow (its own framing, in the clear: kept with the application's
/// data hidden too).
pub(super) fn tls_short(r: &crate::app::TlsRecord, encrypted_handshake: bool, tls13_record: bool) -> String {
    match r.content_type {
        23 if encrypted_handshake => "TLS encrypted handshake (inferred)".to_string(),
        23 if tls13_record => "TLS encrypted record".to_string(),
        23 => "TLS application data".to_string(),
        20 => "TLS ChangeCipherSpec".to_string(),
        21 => match (r.encrypted, r.alert) {
            (false, Some((level, desc))) => format!("TLS alert {} {}", if level == 2 { "fatal" } else { "warning" }, crate::app::tls::alert_name(desc)),
            _ => "TLS alert (encrypted)".to_string(),
        },
        22 if r.encrypted => "TLS encrypted handshake".to_string(),
        22 if r.handshakes.is_empty() => "TLS handshake (part)".to_string(),
        22 => {
            let names: Vec<&str> = r.handshakes.iter().map(|h| if h.hello.as_ref().is_some_and(|x| x.hello_retry) { "HelloRetryRequest" } else { crate::app::tls::handshake_name(h.kind) }).collect();
            format!("TLS {}", names.join(", "))
        }
        t => format!("TLS {}", crate::app::tls::content_type_name(t)),
    }
}
