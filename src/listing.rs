//! The connection list as the page shows it: one row per connection, filtered by a query and
//! sorted by a column. Pure data, so the view only draws it.

use serde::{Deserialize, Serialize};

use crate::filter_forms::FIELDS;
use crate::paged::PagedVec;
use crate::session::Session;
use crate::tcp::lifecycle::{CloseShape, OpenShape};
use crate::tcp::Stream;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum SortKey {
    /// By `tcp.stream` index (capture order).
    #[default]
    Stream,
    Packets,
    Bytes,
    Problems,
    Duration,
}

impl SortKey {
    pub const ALL: [(SortKey, &'static str); 5] = [
        (SortKey::Stream, "order in capture"),
        (SortKey::Packets, "most packets"),
        (SortKey::Bytes, "most bytes"),
        (SortKey::Problems, "most problems"),
        (SortKey::Duration, "longest"),
    ];
}

/// One row of the list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Row {
    pub stream: u32,
    pub endpoints: String,
    pub counts: String,
    /// "handshake → four_way" in words.
    pub shape: String,
    pub problems: u64,
    pub retransmissions: u64,
}

fn open_word(o: OpenShape) -> &'static str {
    match o {
        OpenShape::Handshake => "handshake",
        OpenShape::SimultaneousOpen => "simultaneous open",
        OpenShape::Refused => "refused",
        OpenShape::Unanswered => "unanswered SYN",
        OpenShape::BeforeCapture => "started before capture",
    }
}

fn close_word(c: Option<CloseShape>) -> &'static str {
    match c {
        Some(CloseShape::FourWay) => "four-way close",
        Some(CloseShape::ThreeSegment) => "three-segment close",
        Some(CloseShape::Simultaneous) => "simultaneous close",
        Some(CloseShape::Reset) => "reset",
        Some(CloseShape::OpenAtEnd) => "open at end",
        None => "never opened",
    }
}

/// The row of one connection.
pub fn row(s: &Stream) -> Row {
    let shapes = s.lifecycle.shapes();
    Row {
        stream: s.index,
        endpoints: format!("{} → {}", s.client, s.server),
        counts: format!("{} pkts · {} B → · {} B ←", s.packets, s.payload_bytes_c2s, s.payload_bytes_s2c),
        shape: format!("{} · {}", open_word(shapes.open), close_word(shapes.close)),
        problems: s.problem_packets,
        retransmissions: s.retransmissions,
    }
}

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
            "shape" | "flag" if !known_value(&field, &value) => return Err(unknown_value(&field, &value)),
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
        _ => Vec::new(),
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
fn words_of(s: &Stream) -> Vec<String> {
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
    words
}

fn holds(term: &Term, s: &Stream, stream_of_frame: &dyn Fn(u64) -> Option<u32>) -> bool {
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
        Term::Word(w) => {
            let exact = w.trim_start_matches(':').chars().all(|c| c.is_ascii_digit());
            let w = w.trim_start_matches(':');
            words_of(s).iter().any(|x| if exact { x == w } else { x.to_lowercase().starts_with(w) })
        }
    }
}

/// The connections matching `query` (see [`Term`]), by index, sorted (largest first, or
/// smallest first with `reverse`; capture order, or its reverse, by default). `stream_of_frame`
/// tells which connection a frame belongs to (for `frame:N`). A query that cannot be read
/// matches nothing and says why.
pub fn matching(streams: &PagedVec<Stream>, query: &str, sort: SortKey, reverse: bool, stream_of_frame: &dyn Fn(u64) -> Option<u32>) -> Result<Vec<u32>, String> {
    let terms = parse_query(query)?;
    let mut matched: Vec<&Stream> = streams.iter().filter(|s| terms.iter().all(|t| holds(t, s, stream_of_frame))).collect();
    let key = |s: &Stream| -> i128 {
        match sort {
            SortKey::Stream => -i128::from(s.index),
            SortKey::Packets => i128::from(s.packets),
            SortKey::Bytes => i128::from(s.payload_bytes_c2s + s.payload_bytes_s2c),
            SortKey::Problems => i128::from(s.problem_packets),
            SortKey::Duration => i128::from(s.last_time_ns - s.first_time_ns),
        }
    };
    // Largest first; ties (and the default) in capture order.
    if sort != SortKey::Stream {
        matched.sort_by(|a, b| key(b).cmp(&key(a)).then(a.index.cmp(&b.index)));
    }
    if reverse {
        matched.reverse();
    }
    Ok(matched.into_iter().map(|s| s.index).collect())
}

/// Every matching row, formatted (for tests and small captures).
pub fn rows(session: &Session, query: &str, sort: SortKey) -> Vec<Row> {
    let streams = session.streams();
    let of_frame = |f: u64| session.stream_of_frame(f);
    matching(streams, query, sort, false, &of_frame).unwrap_or_default().into_iter().map(|i| row(&streams[i as usize])).collect()
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use crate::session::analyze_bytes;

    fn synscan() -> Session {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/captures/public/chrissanders_synscan.pcapng");
        analyze_bytes(&std::fs::read(path).unwrap()).unwrap()
    }

    #[test]
    fn the_filter_language() {
        let session = synscan();
        let streams = session.streams();
        let count = |q: &str| rows(&session, q, SortKey::Stream).len();
        // A port matches exactly: port 80 is not 8080 nor part of an address.
        let port80 = streams.iter().filter(|s| s.client.port == 80 || s.server.port == 80).count();
        assert!(port80 > 0);
        assert_eq!(count("port:80"), port80);
        assert_eq!(count("port 80"), port80);
        assert_eq!(count("80"), port80);
        assert_eq!(count(":80"), port80);
        // Wireshark's forms read the same as the native ones.
        assert_eq!(count("tcp.port == 80"), port80);
        assert_eq!(count(&format!("ip.addr == {} && tcp.port == 80", streams[0].server.addr)), count(&format!("addr:{} port:80", streams[0].server.addr)));
        assert_eq!(count("tcp.stream == 7"), 1);
        assert!(parse_query("bogus:1").unwrap_err().starts_with("unknown field 'bogus'"));
        // A field with its value after a space, or none yet.
        assert_eq!(count("port: 80"), port80);
        assert_eq!(count("port:80 shape:"), port80);
        assert_eq!(count("shape: port:80"), port80);
        let resets = streams.iter().filter(|s| s.lifecycle.shapes().close == Some(CloseShape::Reset) || s.lifecycle.shapes().open == OpenShape::Refused).count();
        assert!(count("shape:reset") + count("shape:refused") >= resets);
        assert_eq!(count("flag:rst"), streams.iter().filter(|s| s.tcp_flags_seen & crate::decode::TcpFlags::RST != 0).count());
        assert_eq!(count("rst"), count("flag:rst"));
        let retrans = streams.iter().filter(|s| s.retransmissions > 0).count();
        assert_eq!(count("flag:retransmission"), retrans);
        assert_eq!(count("retrans"), retrans);
        // frame:N finds the one connection that frame belongs to.
        let p = session.packet(100).unwrap();
        assert_eq!(rows(&session, &format!("frame:{}", p.frame), SortKey::Stream).iter().map(|r| r.stream).collect::<Vec<_>>(), [p.stream]);
        let t = streams[5].first_time_ns as f64 / 1e9;
        assert!(rows(&session, &format!("time:{t}"), SortKey::Stream).iter().any(|r| r.stream == 5));
        assert!(rows(&session, &format!("time:>{t}"), SortKey::Stream).iter().all(|r| streams[r.stream as usize].first_time_ns as f64 / 1e9 > t));
        let addr = streams[0].server.addr.to_string();
        assert!(count(&format!("addr:{addr}")) > 0);
        assert_eq!(count("addr:10.99.99.99"), 0);
        assert!(parse_query("port:http").unwrap_err().contains("port:http"));
        assert_eq!(count("#7"), 1);
        // A value `flag:` or `shape:` does not know is named, with the values it does (#24).
        assert!(parse_query("flag:zzz").unwrap_err().starts_with("unknown flag 'zzz': flags are the TCP flags syn, fin"));
        assert!(parse_query("shape:zzz").unwrap_err().starts_with("unknown shape 'zzz': shapes are handshake, refused"));
        // …while every start of a known one is read (as it is typed).
        for q in ["flag:r", "flag:retr", "flag:zero_window_probe", "shape:three", "shape:three-segment", "shape:three_segment", "shape:close", "shape:never"] {
            assert!(parse_query(q).is_ok(), "{q}");
        }
    }

    #[test]
    fn filters_by_shape_and_port_and_sorts() {
        let session = synscan();
        let all = rows(&session, "", SortKey::Stream);
        assert_eq!(all.len(), 1994);
        assert_eq!(all[0].stream, 0);
        let refused = rows(&session, "refused", SortKey::Stream);
        assert_eq!(refused.len(), session.streams().iter().filter(|s| s.lifecycle.shapes().open == OpenShape::Refused).count());
        assert!(!refused.is_empty() && refused.iter().all(|r| r.shape.starts_with("refused")));
        let port = rows(&session, ":443 handshake", SortKey::Stream);
        assert!(port.iter().all(|r| r.endpoints.contains(":443") && r.shape.contains("handshake")));
        let by_packets = rows(&session, "", SortKey::Packets);
        assert!(by_packets.windows(2).all(|w| {
            let p = |r: &Row| session.streams()[r.stream as usize].packets;
            p(&w[0]) >= p(&w[1])
        }));
    }
}
