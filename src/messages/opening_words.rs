//! The connection list's "what": what a connection speaks, in the words of its opening (see
//! [`crate::app::Opening`]): "TLS 1.3 · example.com", "HTTP · example.com · GET /a → 404",
//! "DNS · example.com A → NXDOMAIN". With addresses hidden, names and targets are left out.

use crate::app::cut_chars;
use crate::app::{tls_hello::version_name, Opening, Protocol};

/// Characters of a request target or name kept in the list (its row is one line).
const CHARS: usize = 60;

pub fn opening_words(o: &Opening, hide: bool) -> String {
    let name = o.name.as_deref().filter(|_| !hide).map(|n| cut_chars(n, CHARS));
    let mut parts: Vec<String> = vec![protocol_words(o)];
    match o.protocol {
        Protocol::Http | Protocol::Http2 => {
            parts.extend(name);
            let request = o.request.as_deref().map(|r| if hide { r.split(' ').next().unwrap_or("").to_string() } else { cut_chars(r, CHARS) });
            let status = o.status.map(|s| format!("→ {s}"));
            let exchange = [request, status].into_iter().flatten().collect::<Vec<_>>().join(" ");
            if !exchange.is_empty() {
                parts.push(exchange);
            }
        }
        Protocol::Dns => {
            let question = [name, o.qtype.map(super::words::qtype_name)].into_iter().flatten().collect::<Vec<_>>().join(" ");
            let answer = o.status.map(|r| if r == 0 { "→ NOERROR".to_string() } else { format!("→ {}", super::words::rcode_name(r as u8)) });
            let exchange = [Some(question).filter(|q| !q.is_empty()), answer].into_iter().flatten().collect::<Vec<_>>().join(" ");
            if !exchange.is_empty() {
                parts.push(exchange);
            }
        }
        Protocol::Tls => parts.extend(name),
        // A command's verb as the protocol spells it ("EHLO", whatever case it was sent in).
        Protocol::Smtp | Protocol::Ftp | Protocol::SmtpOrFtp | Protocol::Pop3 | Protocol::Imap | Protocol::Redis => parts.extend(o.request.as_deref().map(|v| cut_chars(&v.to_uppercase(), CHARS))),
        // SSH: the server's version line (whose, said).
        Protocol::Ssh => parts.extend(o.request.as_deref().map(|b| format!("server {}", cut_chars(b, CHARS)))),
        _ => parts.extend(o.request.as_deref().map(|r| cut_chars(r, CHARS))),
    }
    parts.join(" · ")
}

/// The protocol alone, as the list says it with the application's data hidden ("TLS 1.3",
/// "HTTP", "DNS").
pub fn opening_type(o: &Opening) -> String {
    protocol_words(o)
}

/// The protocol as the list names it: TLS with its version (the ClientHello's offer, said as
/// such, until a ServerHello chose one).
fn protocol_words(o: &Opening) -> String {
    match (o.protocol, o.version) {
        (Protocol::Tls, Some(v)) if o.version_chosen => version_name(v),
        (Protocol::Tls, Some(v)) => format!("TLS (offers up to {})", version_name(v)),
        (Protocol::Tls, None) => "TLS".to_string(),
        (Protocol::Http2, _) => "HTTP/2".to_string(),
        (Protocol::SmtpOrFtp, _) => "SMTP or FTP".to_string(),
        (Protocol::Unknown, _) => "unknown data".to_string(),
        (Protocol::Redis, _) => "Redis".to_string(),
        (p, _) => p.name().to_uppercase(),
    }
}


#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_and_hidden_words() {
        let o = Opening::read(b"GET /secret HTTP/1.1\r\nHost: example.com\r\n\r\n", b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n").unwrap();
        assert_eq!(opening_words(&o, false), "HTTP · example.com · GET /secret → 404");
        assert_eq!(opening_words(&o, true), "HTTP · GET → 404");
        let o = Opening::read(b"\x00\x01\x02hello", b"").unwrap();
        assert_eq!(opening_words(&o, false), "unknown data");
    }
}
