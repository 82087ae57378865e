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
        What::Tls(r) => super::arrow_words::tls_short(r, p.encrypted_handshake, p.tls13_record),
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
