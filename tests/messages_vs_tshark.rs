//! The application's messages against Wireshark's dissectors, over every capture with a
//! `.app.oracle.json` (scripts/make_app_oracles.py): the frames where tshark reports an HTTP
//! request (`http.request.method`, `.uri`, `.version`) or response (`http.response.code`),
//! TLS records (`tls.record.content_type` / `opaque_type`), handshake messages
//! (`tls.handshake.type`), a ClientHello's SNI, a DNS question over TCP (`dns.qry.name`), an
//! SMTP, FTP, POP3 or IMAP command's verb (`smtp.req.command`, `ftp.request.command`,
//! `pop.request.command`, `imap.request.command`), an SMTP or FTP reply's code
//! (`smtp.response.code`, `ftp.response.code`) SSH's version line (`ssh.protocol`) or an HTTP/2 frame's type and
//! stream (`http2.type`, `http2.streamid`) and the pseudo-headers of its header block
//! (`http2.headers.method`, `.path`, `.status`) are the
//! frames where our messages complete, with the same values. Every difference is
//! listed in `tests/captures/app_known_differences.txt` with its reason; the test fails on
//! one not listed and on a listed one that no longer happens, so the list cannot go stale.
//! Prints the agreement per capture.
#![cfg(not(target_arch = "wasm32"))]

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use serde_json::Value;
use tcp_ladder::app::{HeaderBlock, Part, Protocol, What};
use tcp_ladder::report::messages::connection_messages;
use tcp_ladder::session::analyze_bytes;

/// What one frame completes, as comparable text per kind of fact.
type Facts = BTreeMap<(u64, &'static str), Vec<String>>;

fn ours(path: &Path) -> Option<Facts> {
    let bytes = std::fs::read(path).unwrap();
    let session = analyze_bytes(&bytes).ok()?;
    let file = session.file_bytes(&bytes);
    let mut facts = Facts::new();
    for n in 0..session.streams().len() as u32 {
        let Ok(conn) = session.connection(n) else { continue };
        for p in connection_messages(&conn, file).messages {
            // tshark reports no message it could not put together whole.
            if p.message.uncaptured > 0 {
                continue;
            }
            let frame = p.last_frame;
            let mut add = |kind: &'static str, value: String| facts.entry((frame, kind)).or_default().push(value);
            match &p.message.what {
                What::HttpRequest(r) if r.complete => {
                    add("http.request", format!("{} {} HTTP/1.{}", r.method, r.target, r.version));
                }
                What::HttpResponse(r) if r.complete => add("http.response", r.status.to_string()),
                What::Tls(r) if r.complete => {
                    add("tls.record", r.content_type.to_string());
                    for h in r.handshakes.iter() {
                        add("tls.handshake", h.kind.to_string());
                        if let Some(sni) = h.hello.as_ref().and_then(|h| h.sni.clone()) {
                            add("tls.sni", sni);
                        }
                    }
                }
                What::Dns(d) if d.complete => add("dns.qry", format!("{} {}", d.name.clone().unwrap_or_default(), d.qtype.unwrap_or(0))),
                // tshark names each frame by its type (the preface is "Magic", no type).
                What::Http2(f) if f.complete && !f.preface => {
                    add("http2.type", format!("{} stream {}", f.kind, f.stream));
                    if let Some(HeaderBlock::Decoded(h)) = &f.headers {
                        for (kind, value) in [("http2.headers.method", &h.method), ("http2.headers.path", &h.path), ("http2.headers.status", &h.status)] {
                            if let Some(v) = value {
                                add(kind, v.clone());
                            }
                        }
                    }
                }
                What::Line(l) if l.complete => {
                    let (command, reply) = match l.protocol {
                        Protocol::Smtp => ("smtp.req.command", "smtp.response.code"),
                        Protocol::Ftp => ("ftp.request.command", "ftp.response.code"),
                        Protocol::Pop3 => ("pop.request.command", ""),
                        Protocol::Imap => ("imap.request.command", ""),
                        _ => ("", ""),
                    };
                    match &l.part {
                        // tshark prints a command's verb as sent (smtplib's "ehlo").
                        Part::Command { verb, .. } if !command.is_empty() => add(command, verb.clone()),
                        Part::Reply { code, .. } if !reply.is_empty() => add(reply, code.clone()),
                        Part::Banner { text } => add("ssh.protocol", text.clone()),
                        _ => {}
                    }
                }
                _ => {}
            }
        }
    }
    for v in facts.values_mut() {
        v.sort();
    }
    Some(facts)
}

fn list(row: &Value, field: &str) -> Vec<String> {
    match &row[field] {
        Value::String(s) => vec![s.clone()],
        Value::Array(a) => a.iter().filter_map(|v| v.as_str().map(str::to_string)).collect(),
        _ => Vec::new(),
    }
}

fn theirs(oracle: &Value) -> Facts {
    let mut facts = Facts::new();
    for row in oracle["frames"].as_array().unwrap() {
        let frame = row["frame"].as_u64().unwrap();
        let mut add = |kind: &'static str, values: Vec<String>| {
            if !values.is_empty() {
                facts.entry((frame, kind)).or_default().extend(values);
            }
        };
        let (methods, uris, versions) = (list(row, "http.request.method"), list(row, "http.request.uri"), list(row, "http.request.version"));
        add("http.request", methods.iter().zip(&uris).zip(&versions).map(|((m, u), v)| format!("{m} {u} {v}")).collect());
        add("http.response", list(row, "http.response.code"));
        let mut records = list(row, "tls.record.content_type");
        records.extend(list(row, "tls.record.opaque_type"));
        add("tls.record", records);
        add("tls.handshake", list(row, "tls.handshake.type"));
        add("tls.sni", list(row, "tls.handshake.extensions_server_name"));
        let (names, types) = (list(row, "dns.qry.name"), list(row, "dns.qry.type"));
        add("dns.qry", names.iter().zip(&types).map(|(n, t)| format!("{n} {t}")).collect());
        let (types, streams) = (list(row, "http2.type"), list(row, "http2.streamid"));
        add("http2.type", types.iter().zip(&streams).map(|(t, s)| format!("{t} stream {s}")).collect());
        for kind in ["smtp.req.command", "smtp.response.code", "ftp.request.command", "ftp.response.code", "pop.request.command", "imap.request.command", "ssh.protocol", "http2.headers.method", "http2.headers.path", "http2.headers.status"] {
            add(kind, list(row, kind));
        }
    }
    for v in facts.values_mut() {
        v.sort();
    }
    facts
}

/// (file, frame, kind) → why, from the known-differences file.
fn known() -> BTreeMap<(String, u64, String), String> {
    let path = common::corpus_dir("app_known_differences.txt");
    let text = std::fs::read_to_string(path).unwrap_or_default();
    text.lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .map(|l| {
            let mut parts = l.splitn(4, ' ');
            let (file, frame, kind, why) = (parts.next().unwrap(), parts.next().unwrap(), parts.next().unwrap(), parts.next().unwrap_or(""));
            let frame = if frame == "*" { u64::MAX } else { frame.parse().expect("frame number") };
            ((file.to_string(), frame, kind.to_string()), why.to_string())
        })
        .collect()
}

#[test]
fn messages_complete_where_tshark_reports_them() {
    let known = known();
    let mut seen_known = BTreeSet::new();
    let mut unexplained = Vec::new();
    let mut compared = 0;
    for dir in ["public", "generated", "real", "delayed", "lossy", "hostile", "app", "twopoint"] {
        let Ok(entries) = std::fs::read_dir(common::corpus_dir(dir)) else { continue };
        let mut oracles: Vec<_> = entries.map(|e| e.unwrap().path()).filter(|p| p.to_string_lossy().ends_with(".app.oracle.json")).collect();
        oracles.sort();
        for oracle_path in oracles {
            let capture = Path::new(oracle_path.to_str().unwrap().trim_end_matches(".app.oracle.json")).to_path_buf();
            let name = capture.file_name().unwrap().to_string_lossy().to_string();
            let oracle: Value = serde_json::from_str(&std::fs::read_to_string(&oracle_path).unwrap()).unwrap();
            let theirs = theirs(&oracle);
            let Some(ours) = ours(&capture) else { continue };
            let keys: BTreeSet<_> = theirs.keys().chain(ours.keys()).cloned().collect();
            let (mut agree, mut differ) = (0, 0);
            for key in &keys {
                let (a, b) = (ours.get(key), theirs.get(key));
                if a == b {
                    agree += 1;
                    continue;
                }
                differ += 1;
                let id = (name.clone(), key.0, key.1.to_string());
                let whole_file = (name.clone(), u64::MAX, "*".to_string());
                if known.contains_key(&id) {
                    seen_known.insert(id);
                } else if known.contains_key(&whole_file) {
                    seen_known.insert(whole_file);
                } else {
                    unexplained.push(format!("{name} frame {} {}: ours {:?}, tshark {:?}", key.0, key.1, a, b));
                }
            }
            compared += keys.len();
            if !keys.is_empty() {
                println!("messages {name}: {agree} of {} frame facts agree with tshark, {differ} differ", keys.len());
            }
        }
    }
    let stale: Vec<_> = known.keys().filter(|k| !seen_known.contains(*k)).collect();
    assert!(compared > 1000, "only {compared} facts compared: are the .app.oracle.json files there?");
    assert!(unexplained.is_empty(), "{} differences from tshark not in app_known_differences.txt:\n{}", unexplained.len(), unexplained.join("\n"));
    assert!(stale.is_empty(), "listed differences that no longer happen (remove them): {stale:?}");
}
