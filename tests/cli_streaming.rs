//! `tcp-ladder analyze` writes as it reads: the streamed document must hold exactly what the
//! whole-file report holds (which the corpus tests compare with tshark), in every format and
//! selection, for every capture we have, whole, damaged or compressed; and the command line's
//! arguments behave as clap promises.

#![cfg(not(target_arch = "wasm32"))]

mod common;

use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Stdio};

use serde_json::Value;
use tcp_ladder::report::streaming::{write_analysis, AnalyzeOptions, OutputFormat};
use tcp_ladder::report::AnalyzeReport;
use tcp_ladder::session::analyze_bytes;

fn streamed(bytes: &[u8], options: AnalyzeOptions) -> Option<Vec<u8>> {
    let mut out = Vec::new();
    write_analysis(&mut &bytes[..], Some(bytes.len() as u64), &mut out, options).ok()?;
    Some(out)
}

#[test]
fn the_streamed_document_equals_the_whole_file_report_for_every_capture() {
    let mut compared = 0;
    for path in common::every_capture() {
        let bytes = std::fs::read(&path).unwrap();
        // Through text on both sides (serde_json's float parsing is not exact to the last bit).
        let whole = analyze_bytes(&bytes).ok().map(|s| serde_json::from_str::<Value>(&serde_json::to_string(&AnalyzeReport::from_session(&s)).unwrap()).unwrap());
        // Pieces of 4 KiB: records and segments cut at every kind of boundary.
        let out = streamed(&bytes, AnalyzeOptions { piece: 4096, ..AnalyzeOptions::default() });
        match (whole, out) {
            (None, None) => {}
            (Some(whole), Some(out)) => {
                let doc: Value = serde_json::from_slice(&out).unwrap_or_else(|e| panic!("{}: invalid JSON: {e}", path.display()));
                assert_eq!(doc, whole, "{}", path.display());
                compared += 1;
            }
            (w, o) => panic!("{}: whole-file read {}, streamed read {}", path.display(), w.is_some(), o.is_some()),
        }
    }
    assert!(compared > 80, "{compared} captures compared");
}

#[test]
fn ndjson_lines_hold_the_same_records_as_the_document() {
    for name in ["public/ndpi_1kxun.pcap", "public/zeek_http_206_example_b.pcap", "real/bulk_100k.pcap.gz"] {
        let path = common::corpus_dir(name.split('/').next().unwrap()).join(name.split('/').nth(1).unwrap());
        let Ok(bytes) = std::fs::read(&path) else { panic!("{} is missing", path.display()) };
        let doc: Value = serde_json::from_slice(&streamed(&bytes, AnalyzeOptions::default()).unwrap()).unwrap();
        let lines = streamed(&bytes, AnalyzeOptions { format: OutputFormat::Ndjson, ..AnalyzeOptions::default() }).unwrap();
        let mut by_record: std::collections::BTreeMap<String, Vec<Value>> = Default::default();
        for line in lines.split(|&b| b == b'\n').filter(|l| !l.is_empty()) {
            let mut v: Value = serde_json::from_slice(line).unwrap();
            let record = v.as_object_mut().unwrap().remove("record").unwrap();
            by_record.entry(record.as_str().unwrap().to_string()).or_default().push(v);
        }
        assert_eq!(by_record["packet"], doc["packets"].as_array().unwrap().clone(), "{name}");
        assert_eq!(by_record["stream"], doc["streams"].as_array().unwrap().clone(), "{name}");
        assert_eq!(by_record["format"], vec![doc["format"].clone()], "{name}");
        assert_eq!(by_record["summary"], vec![doc["summary"].clone()], "{name}");
        assert_eq!(by_record.get("error").cloned().unwrap_or_default(), doc["errors"].as_array().unwrap().clone(), "{name}");
    }
}

fn cli() -> Command {
    Command::new(env!("CARGO_BIN_EXE_tcp-ladder"))
}

/// Runs the CLI with `stdin` as standard input; status, stdout, stderr.
fn run(args: &[&str], stdin: &[u8]) -> (i32, Vec<u8>, String) {
    let mut child = cli().args(args).stdin(Stdio::piped()).stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().unwrap();
    let mut input = child.stdin.take().unwrap();
    let data = stdin.to_vec();
    let feeder = std::thread::spawn(move || {
        let _ = input.write_all(&data);
    });
    let out = child.wait_with_output().unwrap();
    feeder.join().unwrap();
    (out.status.code().unwrap_or(-1), out.stdout, String::from_utf8_lossy(&out.stderr).into_owned())
}

fn capture(name: &str) -> (PathBuf, Vec<u8>) {
    let path = common::corpus_dir("public").join(name);
    let bytes = std::fs::read(&path).unwrap();
    (path, bytes)
}

#[test]
fn streams_only_and_one_stream_select_from_the_same_document() {
    let (path, bytes) = capture("ndpi_1kxun.pcap");
    let full: Value = serde_json::from_slice(&run(&["analyze", path.to_str().unwrap()], b"").1).unwrap();
    let streams = full["streams"].as_array().unwrap();
    assert!(streams.len() > 50);

    let (code, out, _) = run(&["analyze", "--streams-only", path.to_str().unwrap()], b"");
    assert_eq!(code, 0);
    let only: Value = serde_json::from_slice(&out).unwrap();
    assert!(only.get("packets").is_none(), "--streams-only wrote packet rows");
    assert_eq!(only["streams"], full["streams"]);
    assert_eq!(only["summary"], full["summary"]);

    // One connection, read from standard input.
    let n = 7u64;
    let (code, out, err) = run(&["analyze", "-", "--stream", "7"], &bytes);
    assert_eq!(code, 0, "{err}");
    let one: Value = serde_json::from_slice(&out).unwrap();
    assert_eq!(one["streams"], Value::Array(vec![streams[n as usize].clone()]));
    let expected: Vec<Value> = full["packets"].as_array().unwrap().iter().filter(|p| p["stream"] == n).cloned().collect();
    assert!(!expected.is_empty());
    assert_eq!(one["packets"], Value::Array(expected));

    // A connection the file does not have: said, exit 2.
    let (code, _, err) = run(&["analyze", path.to_str().unwrap(), "--stream", "100000"], b"");
    assert_eq!(code, 2);
    assert!(err.contains("has no stream 100000 (it has"), "{err}");
}

#[test]
fn standard_input_reads_like_the_file_and_a_cut_file_keeps_what_came_before() {
    let (path, bytes) = capture("zeek_http_206_example_b.pcap");
    let from_file = run(&["analyze", path.to_str().unwrap(), "--format", "ndjson"], b"");
    let from_stdin = run(&["analyze", "-", "--format", "ndjson"], &bytes);
    assert_eq!(from_file.0, 0);
    assert_eq!(from_file.1, from_stdin.1);

    // Cut in the middle of a record: the rows before it, the damage in `errors`, exit 1.
    let cut = &bytes[..bytes.len() * 2 / 3];
    let (code, out, err) = run(&["analyze", "-"], cut);
    assert_eq!(code, 1, "{err}");
    let doc: Value = serde_json::from_slice(&out).unwrap();
    assert!(doc["packets"].as_array().unwrap().len() > 100);
    assert!(doc["errors"][0]["offset"].as_u64().unwrap() > 0);

    // Not a capture: nothing on standard output, the reason on standard error, exit 2.
    let (code, out, err) = run(&["analyze", "-"], b"GET / HTTP/1.1\r\nHost: example\r\n\r\n");
    assert_eq!(code, 2);
    assert!(out.is_empty());
    assert!(err.contains("not a packet capture") || err.contains("not a"), "{err}");
}

#[test]
fn arguments_are_parsed_by_clap_with_named_errors_version_completions_and_a_manual_page() {
    let (code, out, _) = run(&["--version"], b"");
    assert_eq!(code, 0);
    assert_eq!(String::from_utf8(out).unwrap().trim(), format!("tcp-ladder {}", env!("CARGO_PKG_VERSION")));

    let (code, _, err) = run(&["analyze", "x.pcap", "--frobnicate"], b"");
    assert_eq!(code, 2);
    assert!(err.contains("--frobnicate"), "the unknown option is not named: {err}");
    let (code, _, err) = run(&["graph", "x.pcap", "--stream", "0", "--kind", "pie"], b"");
    assert_eq!(code, 2);
    assert!(err.contains("pie") && err.contains("tseq"), "{err}");
    let (code, _, err) = run(&["render", "x.pcap"], b"");
    assert_eq!(code, 2);
    assert!(err.contains("--stream"), "{err}");

    let (code, out, _) = run(&["analyze", "--help"], b"");
    assert_eq!(code, 0);
    let help = String::from_utf8(out).unwrap();
    assert!(help.contains("--streams-only") && help.contains("ndjson"), "{help}");

    for shell in ["bash", "zsh", "fish", "elvish", "powershell"] {
        let (code, out, err) = run(&["completions", shell], b"");
        assert_eq!(code, 0, "{err}");
        let script = String::from_utf8(out).unwrap();
        assert!(script.contains("streams-only") && script.contains("memory-limit-mb"), "{shell} completion lacks analyze's options");
    }

    let (code, out, _) = run(&["man"], b"");
    assert_eq!(code, 0);
    let page = String::from_utf8(out).unwrap();
    assert!(page.starts_with(".ie") || page.contains(".TH tcp-ladder"), "{}", &page[..page.len().min(200)]);
    let (code, out, _) = run(&["man", "analyze"], b"");
    assert_eq!(code, 0);
    assert!(String::from_utf8(out).unwrap().contains("streams\\-only"));
    let (code, _, err) = run(&["man", "nothing"], b"");
    assert_eq!(code, 2);
    assert!(err.contains("no subcommand nothing"), "{err}");
}

#[test]
fn a_streaming_session_keeps_connections_not_segments() {
    let (_, bytes) = capture("ndpi_1kxun.pcap");
    let outcome = write_analysis(&mut &bytes[..], Some(bytes.len() as u64), std::io::sink(), AnalyzeOptions::default()).unwrap();
    let kept = analyze_bytes(&bytes).unwrap();
    assert!(!outcome.session.keeps_packets() && outcome.session.packets().next().is_none(), "no segment is kept");
    assert_eq!(outcome.session.packet_count(), kept.packet_count(), "every segment is counted");
    assert!(outcome.session.streams().len() > 50);
    assert!(outcome.session.memory_bytes() * 3 < kept.memory_bytes(), "{} vs {}", outcome.session.memory_bytes(), kept.memory_bytes());
}
