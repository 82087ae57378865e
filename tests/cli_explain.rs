//! `tcp-ladder explain`: the page's sentences about one connection, as text and as JSON, from
//! the same facts (every segment once, each resend with its inferred kind as a field).
#![cfg(not(target_arch = "wasm32"))]

mod common;

use std::process::Command;

use common::{corpus_dir, read};
use tcp_ladder::diagram::explain;
use tcp_ladder::session::analyze_bytes;

fn run(args: &[&str]) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_tcp-ladder")).args(args).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn explain_prints_the_pages_sentences_with_resends_as_fields() {
    let path = corpus_dir("lossy").join("rto_backoff_at_sender.pcap");
    let file = path.to_str().unwrap();
    let json: serde_json::Value = serde_json::from_str(&run(&["explain", file, "--stream", "0", "--format", "json"])).unwrap();
    let text = run(&["explain", file, "--stream", "0"]);
    let session = analyze_bytes(&read(&path)).unwrap();
    let conn = session.connection(0).unwrap();
    let segments = json["segments"].as_array().unwrap();
    assert_eq!(segments.len(), conn.len());
    for (i, s) in segments.iter().enumerate() {
        let page = explain(&conn, i).unwrap();
        assert_eq!(s["explanation"], page.as_str(), "segment {i}");
        assert!(text.contains(&page), "the text lacks segment {i}");
    }
    // The kernel counted one tail loss probe and two timeouts (tests/captures/lossy/truth).
    let kinds: Vec<&str> = segments.iter().filter_map(|s| s["resend"]["kind"].as_str()).collect();
    assert_eq!(kinds, ["tail_loss_probe", "timeout", "timeout"]);
    assert!(json["phases"].as_array().unwrap().iter().any(|p| p["kind"] == "data"));
    assert!(json["states"]["client"].as_array().unwrap().iter().any(|s| s["state"] == "ESTABLISHED"));
}
