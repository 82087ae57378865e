//! Phases named by the application, inside a connection's data transfer: each HTTP exchange
//! ("request 2: GET /api → 200 OK, 14 kB body"), each DNS query and its answer, TLS's
//! handshake and the encrypted records after it. The ladder adds how long each took, from the
//! capture's own times (`diagram/ladder/app_phases.rs`).

use crate::app::cut_chars;
use crate::app::{self, Protocol, What};
use crate::draw::numbers::bytes_text;

use super::{Messages, Placed};

/// More phases than this are not drawn (a thousand exchanges on one connection would bury the
/// ladder's own phases): the connection's messages and the list say them.
pub const MAX_APP_PHASES: usize = 12;

/// One phase: from segment `first` to segment `last` (indices in the connection).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct AppPhase {
    pub first: usize,
    pub last: usize,
    pub title: String,
    /// An exchange: the segments of the question's last byte and of the answer's first (the
    /// ladder says how long the answer took to begin, apart from how slowly the question came).
    pub asked_then_answered: Option<(usize, usize)>,
    /// The capture ends (or its bytes stop) before the phase's last byte: its time is a least.
    pub cut_short: bool,
    /// A sentence the caption adds.
    pub note: Option<String>,
}

/// What a phase's title may say of the messages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Say {
    All,
    /// No target or name (addresses hidden).
    NoNames,
    /// Types and sizes only (application data hidden).
    Types,
}

/// The phases the application's messages mark; with `hide`, no target or name.
pub fn app_phases(messages: &Messages, hide: bool) -> Vec<AppPhase> {
    phases_saying(messages, if hide { Say::NoNames } else { Say::All })
}

/// The same, saying the messages' types and sizes only ("hide application data").
pub fn app_phase_types(messages: &Messages) -> Vec<AppPhase> {
    phases_saying(messages, Say::Types)
}

fn phases_saying(messages: &Messages, say: Say) -> Vec<AppPhase> {
    let phases = match messages.protocol {
        Protocol::Http => http_exchanges(messages, say),
        Protocol::Dns => dns_exchanges(messages, say),
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

fn http_exchanges(messages: &Messages, say: Say) -> Vec<AppPhase> {
    let requests = in_order(messages, true, |w| matches!(w, What::HttpRequest(_)));
    // The server's messages in order: answers, and bytes read as no answer (an answer whose
    // start the capture does not hold). A 1xx answer (100 Continue) is not the exchange's
    // answer; 101 ends it (a tunnel follows).
    let server = in_order(messages, false, |w| match w {
        What::HttpResponse(r) => !(100..200).contains(&r.status) || r.status == 101,
        What::Unknown { .. } | What::Gap => true,
        _ => false,
    });
    // Answers come in the order of the requests (HTTP/1.1): each answer, or each unreadable
    // stretch where an answer should begin, answers the next request.
    let mut answers: Vec<Vec<&Placed>> = Vec::new();
    for p in server {
        let readable = matches!(p.message.what, What::HttpResponse(_));
        match answers.last_mut() {
            // The rest of an unreadable stretch belongs to the same lost answer.
            Some(last) if !readable && !matches!(last[0].message.what, What::HttpResponse(_)) => last.push(p),
            _ => answers.push(vec![p]),
        }
    }
    // (Bytes that ended before a request began answer an earlier one the capture missed.)
    let mut next = 0;
    requests
        .iter()
        .enumerate()
        .map(|(k, q)| {
            let What::HttpRequest(r) = &q.message.what else { unreachable!("requests only") };
            let asked = match say {
                Say::All => format!("{} {}", r.method, cut_chars(&r.target, 40)),
                Say::NoNames => r.method.clone(),
                Say::Types => "request".to_string(),
            };
            let label = if say == Say::Types { "exchange" } else { "request" };
            let base = AppPhase { first: q.first_index as usize, last: q.last_index as usize, ..Default::default() };
            while answers.get(next).is_some_and(|a| a[a.len() - 1].last_index < q.first_index) {
                next += 1;
            }
            let Some(answer) = answers.get(next) else {
                return AppPhase { title: format!("{label} {}: {asked}, no answer captured", k + 1), ..base };
            };
            next += 1;
            let (first, last) = (answer[0], answer[answer.len() - 1]);
            let wait = Some((q.last_index as usize, first.first_index as usize));
            let What::HttpResponse(res) = &first.message.what else {
                let bytes: u64 = answer.iter().filter(|p| !matches!(p.message.what, What::Gap)).map(|p| p.message.end - p.message.start).sum();
                return AppPhase {
                    last: last.last_index as usize,
                    title: format!("{label} {}: {asked} → answer's start not captured", k + 1),
                    note: Some(format!(
                        "The capture does not hold the start of the answer (its status line); {} of it follow{}.{}",
                        bytes_text(bytes as f64, ""),
                        if bytes == 1 { "s" } else { "" },
                        if k + 1 < requests.len() { " The requests after it are paired with the answers after it, in order (HTTP/1.1 answers in the order asked)." } else { "" }
                    )),
                    asked_then_answered: wait,
                    ..base
                };
            };
            let answer_words = if say == Say::Types { "answer".to_string() } else { format!("{} {}", res.status, res.reason).trim_end().to_string() };
            let announced = match res.body {
                app::http::Body::Length { len } | app::http::Body::Chunked { len, .. } => len,
                _ => (first.message.end - first.message.start).saturating_sub(u64::from(res.head_bytes)),
            };
            let captured = (first.message.end - first.message.start).saturating_sub(u64::from(res.head_bytes) + first.message.uncaptured);
            let (size, note) = if !res.complete {
                let announced = if matches!(res.body, app::http::Body::Length { .. }) { format!(" of {}", bytes_text(announced as f64, "")) } else { String::new() };
                (format!(", body cut short: {} captured{announced}", bytes_text(captured as f64, "")), Some("The capture ends (or its bytes stop) before the answer's last byte.".to_string()))
            } else if first.message.uncaptured > 0 {
                (format!(", {} body ({} of it not captured)", bytes_text(announced as f64, ""), bytes_text(first.message.uncaptured as f64, "")), None)
            } else if announced > 0 {
                (format!(", {} body", bytes_text(announced as f64, "")), None)
            } else {
                (String::new(), None)
            };
            AppPhase { last: first.last_index as usize, title: format!("{label} {}: {asked} → {answer_words}{size}", k + 1), asked_then_answered: wait, cut_short: !res.complete, note, ..base }
        })
        .collect()
}

fn dns_exchanges(messages: &Messages, say: Say) -> Vec<AppPhase> {
    let queries = in_order(messages, true, |w| matches!(w, What::Dns(d) if !d.response));
    let answers = in_order(messages, false, |w| matches!(w, What::Dns(d) if d.response));
    queries
        .iter()
        .enumerate()
        .map(|(k, q)| {
            let What::Dns(d) = &q.message.what else { unreachable!("queries only") };
            let name = d.name.as_deref().filter(|_| say == Say::All).map(|n| format!(" {}", cut_chars(n, 40))).unwrap_or_default();
            let qtype = d.qtype.filter(|_| say != Say::Types).map(|t| format!(" {}", super::words::qtype_name(t))).unwrap_or_default();
            // An answer is the one with the query's id (over TCP they may come out of order).
            let answer = answers.iter().find(|a| matches!(&a.message.what, What::Dns(r) if r.id == d.id));
            match answer {
                Some(a) => {
                    let What::Dns(r) = &a.message.what else { unreachable!("answers only") };
                    let said = match (say, r.rcode) {
                        (Say::Types, _) => "response".to_string(),
                        (_, 0) => format!("{} answer{}", r.answers, if r.answers == 1 { "" } else { "s" }),
                        (_, rcode) => super::words::rcode_name(rcode),
                    };
                    let wait = Some((q.last_index as usize, a.first_index as usize));
                    AppPhase { first: q.first_index as usize, last: a.last_index as usize, title: format!("query {}:{name}{qtype} → {said}", k + 1), asked_then_answered: wait, ..Default::default() }
                }
                None => AppPhase { first: q.first_index as usize, last: q.last_index as usize, title: format!("query {}:{name}{qtype}, no answer captured", k + 1), ..Default::default() },
            }
        })
        .collect()
}

/// TLS: the handshake (the hellos to the last handshake record, the encrypted handshake of
/// TLS 1.3 included, as inferred from the order), then the encrypted records after it (the
/// alerts that close the session left out of its span: one may come seconds later).
fn tls_phases(messages: &Messages) -> Vec<AppPhase> {
    let records: Vec<&Placed> = messages.messages.iter().filter(|p| matches!(p.message.what, What::Tls(_))).collect();
    fn tls(p: &Placed) -> Option<&app::TlsRecord> {
        match &p.message.what {
            What::Tls(r) => Some(r),
            _ => None,
        }
    }
    let handshake = |p: &Placed| tls(p).is_some_and(|r| matches!(r.content_type, 20 | 22) || p.encrypted_handshake || (r.content_type == 21 && !r.encrypted));
    let shake: Vec<&Placed> = records.iter().copied().filter(|p| handshake(p)).collect();
    let hellos = |kind: u8| shake.iter().filter_map(|p| tls(p)).flat_map(|r| &r.handshakes).filter(move |h| h.kind == kind).filter_map(|h| h.hello.as_ref()).collect::<Vec<_>>();
    let (client_hellos, server_hellos) = (hellos(1), hellos(2));
    let (Some(first), Some(last)) = (shake.iter().map(|p| p.first_index).min(), shake.iter().map(|p| p.last_index).max()) else { return Vec::new() };
    if client_hellos.is_empty() {
        return Vec::new();
    }
    let chosen = server_hellos.iter().find(|h| !h.hello_retry);
    let tls13 = chosen.is_some_and(|h| h.version == Some(0x0304));
    // Finished: TLS 1.3's client's (its first encrypted record, inferred from the order);
    // TLS 1.2's after a ChangeCipherSpec from each side.
    let ccs = |client: bool| shake.iter().any(|p| p.message.from_client == client && tls(p).is_some_and(|r| r.content_type == 20));
    let finished = if tls13 { shake.iter().any(|p| p.message.from_client && p.encrypted_handshake) } else { ccs(true) && ccs(false) };
    let fatal = shake.iter().find_map(|p| tls(p).and_then(|r| r.alert).filter(|(level, _)| *level == 2));
    let mut title = "TLS handshake".to_string();
    if let Some(h) = chosen {
        let parts: Vec<String> = h.version.map(app::tls_hello::version_name).into_iter().chain(h.cipher_name.clone()).collect();
        if !parts.is_empty() {
            title = format!("{title}: {}", parts.join(", "));
        }
    }
    if server_hellos.iter().any(|h| h.hello_retry) {
        title.push_str(", after a HelloRetryRequest");
    }
    let note = match fatal {
        Some((_, desc)) => {
            title.push_str(&format!(", ended by a fatal alert: {}", app::tls::alert_name(desc)));
            None
        }
        None if !finished => {
            title.push_str(", not completed in the capture");
            Some("The capture holds no Finished from the client: the handshake did not complete here.".to_string())
        }
        None if tls13 => Some("Its end, the client's Finished, is encrypted: it is inferred from the order of the records.".to_string()),
        None => None,
    };
    let mut phases = vec![AppPhase { first: first as usize, last: last as usize, title, cut_short: !finished && fatal.is_none(), note, ..Default::default() }];
    let after: Vec<&Placed> = records.iter().copied().filter(|p| !handshake(p) && p.first_index > last).collect();
    let (data, alerts): (Vec<&Placed>, Vec<&Placed>) = after.iter().partition(|p| tls(p).is_some_and(|r| r.content_type != 21));
    if let (Some(a), Some(b)) = (data.iter().map(|p| p.first_index).min(), data.iter().map(|p| p.last_index).max()) {
        let bytes: u64 = data.iter().map(|p| p.message.end - p.message.start).sum();
        let n = data.len();
        let what = if tls13 { "application data, the server's session tickets (NewSessionTicket) and alerts such as close_notify, which TLS 1.3 all sends as records of application data" } else { "application data" };
        let closing = match alerts.len() {
            0 => String::new(),
            k => format!(" Then {k} encrypted alert{} (a close_notify closes the session), left out of this phase.", if k == 1 { "" } else { "s" }),
        };
        phases.push(AppPhase {
            first: a as usize,
            last: b as usize,
            title: format!("encrypted records: {n}, {}", bytes_text(bytes as f64, "")),
            note: Some(format!("What they carry is not readable here: {what}.{closing}")),
            ..Default::default()
        });
    }
    phases
}

