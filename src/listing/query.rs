//! The filter language of the connection list: its terms (`port:80`, `app:tls`, plain words
//! …), read from the query as typed, and whether a connection holds each.

use crate::app::{Opening, Protocol};
use crate::filter_forms::{APP_NAMES, FIELDS};
use crate::tcp::lifecycle::{CloseShape, OpenShape};
use crate::tcp::Stream;

use super::{close_word, open_word};

/// One condition of the filter. The filter is a list of these, all of which must hold:
/// `port:80`, `addr:10.0.0.1` (or a prefix ending in `.` or `:`), `shape:reset`,
/// `flag:retransmission` (Wireshark's analysis names, or TCP flags: `flag:rst`), `frame:1234`,
/// `time:>2.5` / `time:<2.5` / `time:2.5` (seconds from the capture's start: starts after,
/// ends before, is open at), `#12`, and plain words (a port or number matches exactly, other
/// words the start of an address, a shape word, "problems" or "retransmissions").
#[derive(Debug, Clone, PartialEq)]
pub enum Term {
    Port(u16),
    Addr(String),
    Shape(String),
    Flag(String),
    Frame(u64),
    StartsAfter(f64),
    EndsBefore(f64),
    OpenAt(f64),
    Stream(u32),
    /// `app:tls`: the protocol its first bytes speak (`app:none`: it sent none).
    App(String),
    /// `host:example.com`: the name the client asked for (SNI, Host, DNS question), or one of
    /// its subdomains, or a name it starts with.
    Host(String),
    /// `http:404` (a status, `http:4` any 4xx), `http:get` (a method), `http:/api` (a target's
    /// start): the first exchange's.
    Http(String),
    Word(String),
}

/// The filter's terms; a term it cannot read is an error that names it.
pub fn parse_query(query: &str) -> Result<Vec<Term>, String> {
    // Wireshark forms (`tcp.port == 80`) become native terms first; unknown fields are named.
    let query = crate::filter_forms::rewrite(query)?;
    let words: Vec<String> = query.split_whitespace().map(str::to_lowercase).collect();
    let mut terms = Vec::new();
    let mut i = 0;
    while i < words.len() {
        let w = &words[i];
        // "port 80", "addr 10.0.0.1": the field and its value as two words.
        let (field, value) = match (w.split_once(':'), words.get(i + 1)) {
            (Some((f, v)), _) if !v.is_empty() && FIELDS.contains(&f) => (f.to_string(), v.to_string()),
            // "port: 80" reads as "port:80"; a field still without its value (being typed, or
            // just taken from the suggestions) holds for every connection until it has one.
            (Some((f, "")), next) if FIELDS.contains(&f) => match next.filter(|n| !FIELDS.iter().any(|g| n.starts_with(&format!("{g}:")))) {
                Some(next) => {
                    i += 1;
                    (f.to_string(), next.clone())
                }
                None => {
                    i += 1;
                    continue;
                }
            },
            (None, Some(next)) if ["port", "addr", "frame"].contains(&w.as_str()) => {
                i += 1;
                (w.clone(), next.clone())
            }
            _ => (String::new(), w.clone()),
        };
        i += 1;
        let bad = |what: &str| format!("“{field}:{value}”: {what}");
        terms.push(match field.as_str() {
            "port" => Term::Port(value.parse().map_err(|_| bad("a port is a number from 0 to 65535"))?),
            "addr" => Term::Addr(value),
            "shape" | "flag" | "app" if !known_value(&field, &value) => return Err(unknown_value(&field, &value)),
            "app" => Term::App(value),
            "host" => Term::Host(value),
            "http" => Term::Http(value),
            "shape" => Term::Shape(value),
            "flag" => Term::Flag(value),
            "frame" => Term::Frame(value.parse().map_err(|_| bad("a frame is a number"))?),
            "time" => {
                let number = |t: &str| t.parse::<f64>().map_err(|_| bad("a time is seconds, like time:>2.5"));
                match value.strip_prefix('>').or_else(|| value.strip_prefix(">=")) {
                    Some(t) => Term::StartsAfter(number(t.trim_start_matches('='))?),
                    None => match value.strip_prefix('<') {
                        Some(t) => Term::EndsBefore(number(t.trim_start_matches('='))?),
                        None => Term::OpenAt(number(&value)?),
                    },
                }
            }
            _ => match value.strip_prefix('#').and_then(|n| n.parse().ok()) {
                Some(n) => Term::Stream(n),
                None => Term::Word(value),
            },
        });
    }
    Ok(terms)
}

const TCP_FLAGS: [&str; 7] = ["syn", "fin", "rst", "psh", "urg", "ece", "cwr"];
const OPEN_SHAPES: [OpenShape; 5] = [OpenShape::Handshake, OpenShape::Refused, OpenShape::Unanswered, OpenShape::SimultaneousOpen, OpenShape::BeforeCapture];
const CLOSE_SHAPES: [CloseShape; 5] = [CloseShape::FourWay, CloseShape::ThreeSegment, CloseShape::Simultaneous, CloseShape::Reset, CloseShape::OpenAtEnd];

/// The names `shape:` or `flag:` matches a value against (by its start, as `holds` does).
fn value_names(field: &str) -> Vec<String> {
    match field {
        "shape" => {
            let ids = OPEN_SHAPES.iter().map(|s| s.id()).chain(CLOSE_SHAPES.iter().map(|s| s.id())).chain(["never_opened"]);
            let words = OPEN_SHAPES.iter().map(|s| open_word(*s)).chain(CLOSE_SHAPES.iter().map(|s| close_word(Some(*s)))).chain([close_word(None)]);
            ids.flat_map(|id| [id.to_string(), id.replace('_', "-")]).chain(words.flat_map(str::split_whitespace).map(str::to_string)).collect()
        }
        "flag" => TCP_FLAGS.iter().map(|f| f.to_string()).chain(crate::tcp::analysis::AnalysisFlags::NAMES.iter().map(|(_, n)| n.to_string())).collect(),
        "app" => APP_NAMES.iter().map(|n| n.to_string()).collect(),
        _ => Vec::new(),
    }
}

/// The names a connection's protocol is found by with `app:` (an SMTP or FTP greeting with no
/// command to tell which is found by both).
fn app_names(o: Option<&Opening>) -> &'static [&'static str] {
    match o.map(|o| o.protocol) {
        None => &["none"],
        Some(Protocol::SmtpOrFtp) => &["smtp", "ftp"],
        Some(p) => match APP_NAMES.iter().find(|n| **n == p.name()) {
            Some(n) => std::slice::from_ref(n),
            None => &[],
        },
    }
}

fn host_matches(o: Option<&Opening>, value: &str) -> bool {
    o.and_then(|o| o.name.as_deref()).is_some_and(|name| {
        let name = name.to_lowercase();
        // A Host header's port is no part of the name ("app.test:8080", "[::1]:8080").
        let name = match name.rsplit_once(':') {
            Some((host, port)) if port.chars().all(|c| c.is_ascii_digit()) && (!host.contains(':') || host.ends_with(']')) => host.to_string(),
            _ => name,
        };
        name.starts_with(value) || name.ends_with(&format!(".{value}"))
    })
}

fn http_matches(o: Option<&Opening>, value: &str) -> bool {
    let Some(o) = o.filter(|o| matches!(o.protocol, Protocol::Http | Protocol::Http2)) else { return false };
    if value.chars().all(|c| c.is_ascii_digit()) {
        o.status.is_some_and(|s| s.to_string().starts_with(value))
    } else {
        let request = o.request.as_deref().unwrap_or("").to_lowercase();
        let (method, target) = request.split_once(' ').unwrap_or((&request, ""));
        if value.starts_with('/') { target.starts_with(value) } else { method.starts_with(value) }
    }
}

/// Whether a value of `shape:` or `flag:` can match anything: the start of a name it knows.
fn known_value(field: &str, value: &str) -> bool {
    value_names(field).iter().any(|n| n.starts_with(value))
}

/// The message for a value `shape:` or `flag:` does not know (#24: `flag:zzz` said only "No
/// connection matches"), with the values it does.
fn unknown_value(field: &str, value: &str) -> String {
    match field {
        "app" => format!("unknown protocol '{value}': app: knows {}", APP_NAMES.join(", ")),
        "shape" => format!("unknown shape '{value}': shapes are {}", OPEN_SHAPES.iter().map(|s| s.id()).chain(CLOSE_SHAPES.iter().map(|s| s.id())).map(|id| id.replace('_', "-")).collect::<Vec<_>>().join(", ")),
        _ => format!(
            "unknown flag '{value}': flags are the TCP flags {} or Wireshark's findings {}",
            TCP_FLAGS.join(", "),
            crate::tcp::analysis::AnalysisFlags::NAMES.iter().map(|(_, n)| *n).collect::<Vec<_>>().join(", ")
        ),
    }
}

fn addr_matches(addr: &str, value: &str) -> bool {
    let addr = addr.trim_start_matches('[').trim_end_matches(']');
    addr == value || ((value.ends_with('.') || value.ends_with(':')) && addr.starts_with(value))
}

/// The words a connection is found by with plain words.
fn words_of(s: &Stream, opening: Option<&Opening>) -> Vec<String> {
    let shapes = s.lifecycle.shapes();
    let mut words = vec![s.client.addr.to_string(), s.server.addr.to_string(), s.client.port.to_string(), s.server.port.to_string()];
    words.extend(format!("{} {}", open_word(shapes.open), close_word(shapes.close)).split_whitespace().map(str::to_string));
    words.extend([shapes.open.id().to_string()]);
    words.extend(shapes.close.map(|c| c.id().to_string()));
    if s.problem_packets > 0 {
        words.push("problems".into());
    }
    if s.retransmissions > 0 {
        words.push("retransmissions".into());
    }
    if s.tcp_flags_seen & crate::decode::TcpFlags::RST != 0 {
        words.push("rst".into());
    }
    words.extend(s.analysis_seen.names().map(str::to_string));
    words.extend(app_names(opening).iter().filter(|n| **n != "none").map(|n| n.to_string()));
    words.extend(opening.and_then(|o| o.name.as_deref()).map(str::to_lowercase));
    words
}

pub(super) fn holds(term: &Term, s: &Stream, opening: Option<&Opening>, stream_of_frame: &dyn Fn(u64) -> Option<u32>) -> bool {
    let shapes = s.lifecycle.shapes();
    let secs = |ns: i64| ns as f64 / 1e9;
    match term {
        Term::Port(p) => s.client.port == *p || s.server.port == *p,
        Term::Addr(a) => addr_matches(&s.client.addr.to_string(), a) || addr_matches(&s.server.addr.to_string(), a),
        Term::Shape(w) => {
            let ids = [shapes.open.id(), shapes.close.map_or("never_opened", |c| c.id())];
            let said = format!("{} {}", open_word(shapes.open), close_word(shapes.close));
            ids.iter().any(|id| id.starts_with(w.as_str()) || id.replace('_', "-").starts_with(w.as_str())) || said.split_whitespace().any(|x| x.starts_with(w.as_str()))
        }
        Term::Flag(f) => {
            let tcp = match f.as_str() {
                "syn" => Some(crate::decode::TcpFlags::SYN),
                "fin" => Some(crate::decode::TcpFlags::FIN),
                "rst" => Some(crate::decode::TcpFlags::RST),
                "psh" => Some(crate::decode::TcpFlags::PSH),
                "urg" => Some(crate::decode::TcpFlags::URG),
                "ece" => Some(crate::decode::TcpFlags::ECE),
                "cwr" => Some(crate::decode::TcpFlags::CWR),
                _ => None,
            };
            match tcp {
                Some(bit) => s.tcp_flags_seen & bit != 0,
                None => s.analysis_seen.names().any(|n| n.starts_with(f.as_str())),
            }
        }
        Term::Frame(f) => stream_of_frame(*f) == Some(s.index),
        Term::StartsAfter(t) => secs(s.first_time_ns) > *t,
        Term::EndsBefore(t) => secs(s.last_time_ns) < *t,
        Term::OpenAt(t) => secs(s.first_time_ns) <= *t && *t <= secs(s.last_time_ns),
        Term::Stream(n) => s.index == *n,
        Term::App(a) => app_names(opening).iter().any(|n| n.starts_with(a.as_str())),
        Term::Host(h) => host_matches(opening, h),
        Term::Http(v) => http_matches(opening, v),
        Term::Word(w) => {
            let exact = w.trim_start_matches(':').chars().all(|c| c.is_ascii_digit());
            let w = w.trim_start_matches(':');
            words_of(s, opening).iter().any(|x| if exact { x == w } else { x.to_lowercase().starts_with(w) })
        }
    }
}
