//! The connection list as the page shows it: one row per connection, filtered by a query and
//! sorted by a column. Pure data, so the view only draws it.

use serde::{Deserialize, Serialize};

use crate::app::Opening;
use crate::messages::{opening_type, opening_words};
use crate::session::Session;
use crate::tcp::lifecycle::{CloseShape, OpenShape};
use crate::tcp::Stream;

mod query;

use query::holds;
pub use query::{parse_query, Term};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum SortKey {
    /// By `tcp.stream` index (capture order).
    #[default]
    Stream,
    Packets,
    Bytes,
    Problems,
    Duration,
    /// By what it speaks (the "what" column, A to Z; connections that sent no byte last).
    What,
}

impl SortKey {
    pub const ALL: [(SortKey, &'static str); 6] = [
        (SortKey::Stream, "order in capture"),
        (SortKey::Packets, "most packets"),
        (SortKey::Bytes, "most bytes"),
        (SortKey::Problems, "most problems"),
        (SortKey::Duration, "longest"),
        (SortKey::What, "what it speaks, A–Z"),
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
    /// What it speaks, from its first bytes each way ("TLS 1.3 · example.com"; empty: it sent
    /// no byte the capture holds), and the same without names and targets (addresses hidden).
    pub what: String,
    pub what_hidden: String,
    /// The protocol alone (the application's data hidden).
    #[serde(default)]
    pub what_type: String,
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

/// The row of one connection (`opening`: what its first bytes say).
pub fn row(s: &Stream, opening: Option<&Opening>) -> Row {
    let shapes = s.lifecycle.shapes();
    Row {
        what: opening.map(|o| opening_words(o, false)).unwrap_or_default(),
        what_hidden: opening.map(|o| opening_words(o, true)).unwrap_or_default(),
        what_type: opening.map(opening_type).unwrap_or_default(),
        stream: s.index,
        endpoints: format!("{} → {}", s.client, s.server),
        counts: format!("{} pkts · {} B → · {} B ←", s.packets, s.payload_bytes_c2s, s.payload_bytes_s2c),
        shape: format!("{} · {}", open_word(shapes.open), close_word(shapes.close)),
        problems: s.problem_packets,
        retransmissions: s.retransmissions,
    }
}

/// The connections of `session` matching `query` (see [`Term`]), by index, sorted (largest
/// first, or smallest first with `reverse`; capture order, or its reverse, by default; what
/// they speak A to Z). A query that cannot be read matches nothing and says why.
pub fn matching(session: &Session, query: &str, sort: SortKey, reverse: bool) -> Result<Vec<u32>, String> {
    let terms = parse_query(query)?;
    let stream_of_frame = |f: u64| session.stream_of_frame(f);
    // What a connection speaks is looked up only when a term or the order needs it.
    let needs_opening = sort == SortKey::What || terms.iter().any(|t| matches!(t, Term::App(_) | Term::Host(_) | Term::Http(_) | Term::Word(_)));
    let opening = |s: &Stream| if needs_opening { session.opening(s.index) } else { None };
    let mut matched: Vec<&Stream> = session.streams().iter().filter(|s| {
        let o = opening(s);
        terms.iter().all(|t| holds(t, s, o.as_deref(), &stream_of_frame))
    }).collect();
    if sort == SortKey::What {
        // A to Z; connections that sent no byte last, each group in capture order.
        let mut keyed: Vec<(Option<String>, &Stream)> = matched.into_iter().map(|s| (opening(s).map(|o| opening_words(&o, false).to_lowercase()), s)).collect();
        keyed.sort_by(|(a, sa), (b, sb)| (a.is_none(), a).cmp(&(b.is_none(), b)).then(sa.index.cmp(&sb.index)));
        matched = keyed.into_iter().map(|(_, s)| s).collect();
        if reverse {
            matched.reverse();
        }
        return Ok(matched.into_iter().map(|s| s.index).collect());
    }
    let key = |s: &Stream| -> i128 {
        match sort {
            SortKey::Stream => -i128::from(s.index),
            SortKey::Packets => i128::from(s.packets),
            SortKey::Bytes => i128::from(s.payload_bytes_c2s + s.payload_bytes_s2c),
            SortKey::Problems => i128::from(s.problem_packets),
            SortKey::Duration => i128::from(s.last_time_ns - s.first_time_ns),
            SortKey::What => 0,
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
    matching(session, query, sort, false).unwrap_or_default().into_iter().map(|i| row(&streams[i as usize], session.opening(i).as_deref())).collect()
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

    fn app_capture(name: &str) -> Session {
        let path = format!("{}/tests/captures/app/{name}", env!("CARGO_MANIFEST_DIR"));
        analyze_bytes(&std::fs::read(path).unwrap()).unwrap()
    }

    #[test]
    fn what_it_speaks_is_listed_filtered_and_sorted() {
        let what = |s: &Session, q: &str, sort: SortKey| rows(s, q, sort).into_iter().map(|r| (r.stream, r.what, r.what_hidden)).collect::<Vec<_>>();
        let http = app_capture("http11_keepalive.pcap");
        assert_eq!(what(&http, "", SortKey::Stream), [(0, "HTTP · app.test:8080 · GET /page → 200".into(), "HTTP · GET → 200".into())]);
        for (q, n) in [("app:http", 1), ("app:h", 1), ("app:tls", 0), ("http", 1), ("host:app.test", 1), ("host:test", 1), ("host:other.test", 0), ("http:200", 1), ("http:2", 1), ("http:404", 0), ("http:get", 1), ("http:post", 0), ("http:/page", 1), ("http:/x", 0), ("http.host == app.test", 1)] {
            assert_eq!(what(&http, q, SortKey::Stream).len(), n, "{q}");
        }
        assert!(parse_query("app:zzz").unwrap_err().starts_with("unknown protocol 'zzz'"));
        // HTTP/2 in the clear: its first request's pseudo-headers (HPACK) and first :status.
        let h2c = app_capture("http2_h2c.pcap");
        assert_eq!(what(&h2c, "app:http2 host:app.test http:200 http:/", SortKey::Stream), [(0, "HTTP/2 · app.test:8080 · GET / → 200".into(), "HTTP/2 · GET → 200".into())]);
        let tls = app_capture("tls13.pcap");
        assert_eq!(what(&tls, "app:tls host:app.test", SortKey::Stream), [(0, "TLS 1.3 · app.test".into(), "TLS 1.3".into())]);
        let dns = app_capture("dns_tcp.pcap");
        assert_eq!(what(&dns, "app:dns", SortKey::Stream)[0].1, "DNS · www.app.test A → NOERROR");
        // (Its later query, answered NXDOMAIN, is past the opening: the list says the first.)
        assert_eq!(what(&dns, "", SortKey::Stream).len(), 1);
        assert!(what(&dns, "", SortKey::Stream).iter().all(|r| !r.2.contains("app.test")));
        // The data connection of an FTP session speaks no protocol we read; sorted by what,
        // "FTP" comes before "unknown data".
        let ftp = app_capture("ftp.pcap");
        let sorted = what(&ftp, "", SortKey::What);
        assert_eq!(sorted.iter().map(|r| r.1.as_str()).collect::<Vec<_>>(), ["FTP · USER", "unknown data"]);
        assert_eq!(what(&ftp, "app:unknown", SortKey::Stream).len(), 1);
        // A connection that sent no byte is `app:none`, listed with an empty "what", and last.
        let synscan = synscan();
        assert_eq!(what(&synscan, "app:none", SortKey::Stream).len(), what(&synscan, "", SortKey::Stream).iter().filter(|r| r.1.is_empty()).count());
        let by_what = what(&synscan, "", SortKey::What);
        let first_empty = by_what.iter().position(|r| r.1.is_empty()).unwrap_or(by_what.len());
        assert!(by_what[first_empty..].iter().all(|r| r.1.is_empty()));
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
