//! The application's words in the diagram and its exports: with the addresses hidden, no
//! request target, Host header, HTTP/2 :path or :authority, server name (SNI) or DNS name of any capture reaches an export
//! (and without hiding they do, so the check can fail); and text a stranger put in a request
//! — markup, a terminal's escapes, Mermaid and PlantUML directives — stays text in every export.
#![cfg(not(target_arch = "wasm32"))]

mod common;

use common::synth::{pcap_header, record, tcp_frame_between};
use tcp_ladder::app::{HeaderBlock, What};
use tcp_ladder::diagram::{layout_with_messages, mermaid, plantuml, svg, LadderOptions};
use tcp_ladder::messages::arrow_labels;
use tcp_ladder::report::messages::connection_messages;
use tcp_ladder::session::analyze_bytes;

/// The identifying strings of a connection's messages.
fn identifying(found: &tcp_ladder::messages::Messages) -> Vec<String> {
    let mut out = Vec::new();
    for p in &found.messages {
        match &p.message.what {
            What::HttpRequest(r) => {
                out.extend(r.host.clone());
                out.push(r.target.clone());
            }
            What::Tls(r) => out.extend(r.handshakes.iter().filter_map(|h| h.hello.as_ref()?.sni.clone())),
            What::Dns(d) => out.extend(d.name.clone()),
            What::Http2(f) => {
                if let Some(HeaderBlock::Decoded(h)) = &f.headers {
                    out.extend(h.path.clone());
                    out.extend(h.authority.clone());
                }
            }
            _ => {}
        }
    }
    // A bare "/" or "*" names nothing.
    out.retain(|s| s.chars().count() >= 3);
    out
}

fn exports(bytes: &[u8], hide: bool) -> Vec<(u32, Vec<String>, String)> {
    let session = analyze_bytes(bytes).unwrap();
    let file = session.file_bytes(bytes);
    let mut all = Vec::new();
    for n in 0..session.streams().len().min(60) as u32 {
        let conn = session.connection(n).unwrap();
        let found = connection_messages(&conn, file);
        let secrets = identifying(&found);
        if secrets.is_empty() {
            continue;
        }
        let options = LadderOptions { hide_addresses: hide, ..Default::default() };
        let ladder = layout_with_messages(&conn, &options, &arrow_labels(&found, hide));
        let text = [svg::render(&ladder), mermaid::render(&ladder), plantuml::render(&ladder)].join("\n");
        all.push((n, secrets, text));
    }
    all
}

#[test]
fn hidden_addresses_hide_every_name_the_messages_hold() {
    let (mut checked, mut shown) = (0, 0);
    for dir in ["public", "app"] {
        let Ok(entries) = std::fs::read_dir(common::corpus_dir(dir)) else { continue };
        for path in entries.map(|e| e.unwrap().path()).filter(|p| p.to_string_lossy().ends_with(".pcap") || p.to_string_lossy().ends_with(".pcapng")) {
            let bytes = std::fs::read(&path).unwrap();
            if analyze_bytes(&bytes).is_err() {
                continue;
            }
            for (n, secrets, text) in exports(&bytes, true) {
                for s in &secrets {
                    assert!(!text.contains(s.as_str()), "{path:?} stream {n}: {s:?} in an export with the addresses hidden");
                }
                checked += 1;
            }
            // Not hidden, the exports name what the arrows carry: the check above can fail.
            shown += exports(&bytes, false).iter().filter(|(_, secrets, text)| secrets.iter().any(|s| text.contains(s.as_str()))).count();
        }
    }
    println!("{checked} connections with names in their messages exported with hidden addresses; {shown} name them when not hidden");
    assert!(checked >= 40 && shown >= 20, "{checked} / {shown}");
}

#[test]
fn a_hostile_request_stays_text_in_every_export() {
    let (c, s) = ([10, 0, 0, 1], [10, 0, 0, 2]);
    let request = b"GET /a<script>alert(1)</script>%%{init}%%;#x\x1b[31m HTTP/1.1\r\nHost: h\r\n\r\n";
    let response = b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n";
    let mut pcap = pcap_header(1);
    let frames = [
        tcp_frame_between(c, s, 40000, 80, 100, 0, 0x02, &[], b""),
        tcp_frame_between(s, c, 80, 40000, 500, 101, 0x12, &[], b""),
        tcp_frame_between(c, s, 40000, 80, 101, 501, 0x10, &[], b""),
        tcp_frame_between(c, s, 40000, 80, 101, 501, 0x18, &[], request),
        tcp_frame_between(s, c, 80, 40000, 501, 101 + request.len() as u32, 0x18, &[], response),
    ];
    for (n, f) in frames.iter().enumerate() {
        record(&mut pcap, n as u32, f);
    }
    let session = analyze_bytes(&pcap).unwrap();
    let conn = session.connection(0).unwrap();
    let found = connection_messages(&conn, session.file_bytes(&pcap));
    let target = match &found.messages[0].message.what {
        What::HttpRequest(r) => r.target.clone(),
        other => panic!("not read as a request: {other:?}"),
    };
    // The terminal escape is written out; the rest stays the characters they are.
    assert_eq!(target, "/a<script>alert(1)</script>%%{init}%%;#x\\x1b[31m");
    let ladder = layout_with_messages(&conn, &LadderOptions::default(), &arrow_labels(&found, false));
    assert!(ladder.arrows.iter().any(|a| a.label.starts_with("GET /a<script>")), "the request's words are on its arrow");
    let svg = svg::render(&ladder);
    assert!(!svg.contains("<script") && svg.contains("&lt;script&gt;"), "the SVG holds markup from the capture");
    let m = mermaid::render(&ladder);
    assert!(!m.contains("<script") && !m.contains("%%{") && !m.contains('\x1b'), "a Mermaid directive or markup from the capture");
    let p = plantuml::render(&ladder);
    assert!(!p.contains("<script") && !p.contains('\x1b'), "PlantUML markup from the capture");
}

/// The list's "what" column with the addresses hidden names no host, SNI, DNS question or
/// request target of any capture (and shown, it does, so the check can fail).
#[test]
fn the_lists_hidden_words_name_nothing() {
    let (mut checked, mut shown) = (0, 0);
    for dir in ["public", "app"] {
        let Ok(entries) = std::fs::read_dir(common::corpus_dir(dir)) else { continue };
        for path in entries.map(|e| e.unwrap().path()).filter(|p| p.to_string_lossy().ends_with(".pcap") || p.to_string_lossy().ends_with(".pcapng")) {
            let Ok(session) = analyze_bytes(&std::fs::read(&path).unwrap()) else { continue };
            for row in tcp_ladder::listing::rows(&session, "", tcp_ladder::listing::SortKey::Stream) {
                let Some(o) = session.opening(row.stream) else { continue };
                // A bare "/" or "*" names nothing; the method before the target is no secret.
                let target = o.request.as_deref().filter(|_| matches!(o.protocol, tcp_ladder::app::Protocol::Http | tcp_ladder::app::Protocol::Http2)).and_then(|r| r.split_once(' ')).map(|(_, t)| t.to_string());
                let secrets: Vec<String> = o.name.as_deref().map(str::to_string).into_iter().chain(target).filter(|s| s.chars().count() >= 3).collect();
                for s in &secrets {
                    assert!(!row.what_hidden.contains(s.as_str()), "{path:?} stream {}: {s:?} in the hidden words {:?}", row.stream, row.what_hidden);
                    checked += 1;
                }
                shown += usize::from(secrets.iter().any(|s| row.what.contains(s.as_str())));
            }
        }
    }
    println!("{checked} names and targets left out of the list's hidden words; {shown} rows name them when not hidden");
    assert!(checked >= 100 && shown >= 50, "{checked} / {shown}");
}

#[test]
fn http2_paths_are_on_the_arrows_unless_hidden() {
    let bytes = std::fs::read(common::corpus_dir("app").join("http2_h2c.pcap")).unwrap();
    let session = analyze_bytes(&bytes).unwrap();
    let conn = session.connection(0).unwrap();
    let found = connection_messages(&conn, session.file_bytes(&bytes));
    let words = |hide| arrow_labels(&found, hide).labels.values().cloned().collect::<Vec<_>>().join(" | ");
    let (shown, hidden) = (words(false), words(true));
    // Four frames end in the client's segment 6: its words are cut at 80 characters before
    // stream 3's request.
    assert!(shown.contains("HEADERS stream 1: GET /,") && shown.contains("HEADERS stream 3: 200"), "{shown}");
    assert!(hidden.contains("HEADERS stream 1: GET (target hidden)") && !hidden.contains("GET /"), "{hidden}");
    assert!(!exports(&bytes, true).iter().any(|(_, _, text)| text.contains("/items") || text.contains("app.test")));
}

/// "Hide application data": the exports say each message's type and size only — no request
/// target, Host, server name, DNS name, HTTP reason phrase or line protocol command argument of
/// any capture, though the addresses are not hidden.
#[test]
fn hidden_application_data_leaves_only_types_and_sizes_in_every_export() {
    let mut checked = 0;
    for dir in ["public", "app"] {
        let Ok(entries) = std::fs::read_dir(common::corpus_dir(dir)) else { continue };
        for path in entries.map(|e| e.unwrap().path()).filter(|p| p.to_string_lossy().ends_with(".pcap") || p.to_string_lossy().ends_with(".pcapng")) {
            let bytes = std::fs::read(&path).unwrap();
            let Ok(session) = analyze_bytes(&bytes) else { continue };
            let file = session.file_bytes(&bytes);
            for n in 0..session.streams().len().min(60) as u32 {
                let conn = session.connection(n).unwrap();
                let found = connection_messages(&conn, file);
                let mut secrets = identifying(&found);
                for p in &found.messages {
                    match &p.message.what {
                        What::HttpResponse(r) if r.reason.chars().count() >= 3 => secrets.push(r.reason.clone()),
                        What::Line(l) => {
                            // A command's argument (a mailbox, a file name) is the data; its verb is the protocol's.
                            if let tcp_ladder::app::Part::Command { arg: Some(arg), .. } = &l.part {
                                secrets.extend(Some(arg.clone()).filter(|a| a.chars().count() >= 4));
                            }
                        }
                        _ => {}
                    }
                }
                // (A Host that is the server's address is on the lanes anyway: addresses are not hidden here.)
                let (client, server) = (conn.stream().client.addr.to_string(), conn.stream().server.addr.to_string());
                secrets.retain(|s| !s.contains(&server) && !s.contains(&client));
                if secrets.is_empty() {
                    continue;
                }
                let options = LadderOptions { hide_app_data: true, ..Default::default() };
                let ladder = layout_with_messages(&conn, &options, &tcp_ladder::messages::arrow_types(&found));
                let text = [svg::render(&ladder), mermaid::render(&ladder), plantuml::render(&ladder)].join("\n");
                for s in &secrets {
                    let escaped = s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;");
                    assert!(!has_word(&text, s) && !has_word(&text, &escaped), "{path:?} stream {n}: {s:?} in an export with the application's data hidden");
                }
                checked += 1;
            }
        }
    }
    println!("{checked} connections with messages exported with the application's data hidden");
    assert!(checked >= 60, "{checked}");
}

/// Whether `word` is in `text` as a word of its own (not "LIST" in the state LISTEN).
fn has_word(text: &str, word: &str) -> bool {
    let alnum = |c: Option<char>| c.is_some_and(|c| c.is_alphanumeric());
    text.match_indices(word).any(|(at, _)| !alnum(text[..at].chars().next_back()) && !alnum(text[at + word.len()..].chars().next()))
}
