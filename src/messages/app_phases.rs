//! Phases named by the application, inside a connection's data transfer: each HTTP exchange
//! ("request 2: GET /api → 200 OK, 14 kB body"), each DNS query and its answer, TLS's
//! handshake and the encrypted records after it. The ladder adds how long each took, from the
//! capture's own times (`diagram/ladder/app_phases.rs`).

use crate::app::{self, Protocol, What};
use crate::draw::numbers::bytes_text;

use super::{Messages, Placed};

/// More phases than this are not drawn (a thousand exchanges on one connection would bury the
/// ladder's own phases): the connection's messages and the list say them.
pub const MAX_APP_PHASES: usize = 12;

/// One phase: from segment `first` to segment `last` (indices in the connection).
#[derive(Debug, Clone, PartialEq)]
pub struct AppPhase {
    pub first: usize,
    pub last: usize,
    pub title: String,
}

/// The phases the application's messages mark; with `hide`, no target or name.
pub fn app_phases(messages: &Messages, hide: bool) -> Vec<AppPhase> {
    let phases = match messages.protocol {
        Protocol::Http => http_exchanges(messages, hide),
        Protocol::Dns => dns_exchanges(messages, hide),
        Protocol::Tls => tls_phases(messages),
        _ => Vec::new(),
    };
    if phases.len() > MAX_APP_PHASES {
        Vec::new()
    } else {
        phases
    }
}

/// One direction's messages of one kind in the order they were sent.
fn in_order<'a>(messages: &'a Messages, from_client: bool, kind: impl Fn(&What) -> bool) -> Vec<&'a Placed> {
    let mut v: Vec<&Placed> = messages.messages.iter().filter(|p| p.message.from_client == from_client && kind(&p.message.what)).collect();
    v.sort_by_key(|p| p.message.start);
    v
}

fn http_exchanges(messages: &Messages, hide: bool) -> Vec<AppPhase> {
    let requests = in_order(messages, true, |w| matches!(w, What::HttpRequest(_)));
    // A 1xx answer (100 Continue) is not the exchange's answer; 101 ends it (a tunnel follows).
    let answers = in_order(messages, false, |w| matches!(w, What::HttpResponse(r) if !(100..200).contains(&r.status) || r.status == 101));
    requests
        .iter()
        .enumerate()
        .map(|(k, q)| {
            let What::HttpRequest(r) = &q.message.what else { unreachable!("requests only") };
            let asked = if hide { r.method.clone() } else { format!("{} {}", r.method, cut(&r.target, 40)) };
            match answers.get(k) {
                Some(a) => {
                    let What::HttpResponse(res) = &a.message.what else { unreachable!("answers only") };
                    // The body's own bytes (a chunked body's without its framing), as `messages` says.
                    let body = match res.body {
                        app::http::Body::Length { len } | app::http::Body::Chunked { len, .. } => len,
                        _ => (a.message.end - a.message.start).saturating_sub(u64::from(res.head_bytes)),
                    };
                    let size = if body > 0 { format!(", {} body", bytes_text(body as f64, "")) } else { String::new() };
                    let answer = format!("{} {}", res.status, res.reason).trim_end().to_string();
                    AppPhase { first: q.first_index as usize, last: a.last_index as usize, title: format!("request {}: {asked} → {answer}{size}", k + 1) }
                }
                None => AppPhase { first: q.first_index as usize, last: q.last_index as usize, title: format!("request {}: {asked}, no answer captured", k + 1) },
            }
        })
        .collect()
}

fn dns_exchanges(messages: &Messages, hide: bool) -> Vec<AppPhase> {
    let queries = in_order(messages, true, |w| matches!(w, What::Dns(d) if !d.response));
    let answers = in_order(messages, false, |w| matches!(w, What::Dns(d) if d.response));
    queries
        .iter()
        .enumerate()
        .map(|(k, q)| {
            let What::Dns(d) = &q.message.what else { unreachable!("queries only") };
            let name = d.name.as_deref().filter(|_| !hide).map(|n| format!(" {}", cut(n, 40))).unwrap_or_default();
            let qtype = d.qtype.map(|t| format!(" {}", super::words::qtype_name(t))).unwrap_or_default();
            // An answer is the one with the query's id (over TCP they may come out of order).
            let answer = answers.iter().find(|a| matches!(&a.message.what, What::Dns(r) if r.id == d.id));
            match answer {
                Some(a) => {
                    let What::Dns(r) = &a.message.what else { unreachable!("answers only") };
                    let said = if r.rcode == 0 { format!("{} answer{}", r.answers, if r.answers == 1 { "" } else { "s" }) } else { super::words::rcode_name(r.rcode) };
                    AppPhase { first: q.first_index as usize, last: a.last_index as usize, title: format!("query {}:{name}{qtype} → {said}", k + 1) }
                }
                None => AppPhase { first: q.first_index as usize, last: q.last_index as usize, title: format!("query {}:{name}{qtype}, no answer captured", k + 1) },
            }
        })
        .collect()
}

/// TLS: the handshake (the hellos to the last handshake record, the encrypted handshake of
/// TLS 1.3 included, as inferred from the order), then the encrypted records after it.
fn tls_phases(messages: &Messages) -> Vec<AppPhase> {
    let records: Vec<&Placed> = messages.messages.iter().filter(|p| matches!(p.message.what, What::Tls(_))).collect();
    let handshake = |p: &Placed| match &p.message.what {
        What::Tls(r) => matches!(r.content_type, 20 | 22) || p.encrypted_handshake || (r.content_type == 21 && !r.encrypted),
        _ => false,
    };
    let mut phases = Vec::new();
    let shake: Vec<&Placed> = records.iter().copied().filter(|p| handshake(p)).collect();
    let hello = shake.iter().any(|p| matches!(&p.message.what, What::Tls(r) if r.handshakes.iter().any(|h| h.kind == 1)));
    if let (true, Some(first), Some(last)) = (hello, shake.iter().map(|p| p.first_index).min(), shake.iter().map(|p| p.last_index).max()) {
        let chosen = shake.iter().find_map(|p| match &p.message.what {
            What::Tls(r) => r.handshakes.iter().filter(|h| h.kind == 2).find_map(|h| h.hello.as_ref().filter(|x| !x.hello_retry)),
            _ => None,
        });
        let mut title = "TLS handshake".to_string();
        if let Some(h) = chosen {
            let parts: Vec<String> = h.version.map(app::tls_hello::version_name).into_iter().chain(h.cipher_name.clone()).collect();
            if !parts.is_empty() {
                title = format!("{title}: {}", parts.join(", "));
            }
        }
        let alert = shake.iter().find_map(|p| match &p.message.what {
            What::Tls(r) => r.alert.filter(|(level, _)| *level == 2),
            _ => None,
        });
        if let Some((_, desc)) = alert {
            title = format!("{title}, ended by a fatal alert: {}", app::tls::alert_name(desc));
        }
        phases.push(AppPhase { first: first as usize, last: last as usize, title });
        let after: Vec<&Placed> = records.iter().copied().filter(|p| !handshake(p) && p.first_index > last).collect();
        if let (Some(a), Some(b)) = (after.iter().map(|p| p.first_index).min(), after.iter().map(|p| p.last_index).max()) {
            let bytes: u64 = after.iter().map(|p| p.message.end - p.message.start).sum();
            let n = after.len();
            phases.push(AppPhase { first: a as usize, last: b as usize, title: format!("encrypted: {n} record{}, {}", if n == 1 { "" } else { "s" }, bytes_text(bytes as f64, "")) });
        }
    }
    phases
}

fn cut(text: &str, n: usize) -> String {
    match text.char_indices().nth(n) {
        Some((at, _)) => format!("{}…", &text[..at]),
        None => text.to_string(),
    }
}
