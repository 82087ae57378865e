//! `tcp-ladder analyze --messages`: each stream's summary gains `app_protocol` and `messages`,
//! the same as `tcp-ladder messages` gives, in JSON and NDJSON, with `--stream N` and from
//! standard input; every other member is what `analyze` writes without it.

mod common;

use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};

use serde_json::Value;

fn run(args: &[&str], stdin: Option<&[u8]>) -> Vec<u8> {
    let mut child = Command::new(env!("CARGO_BIN_EXE_tcp-ladder")).args(args).stdin(Stdio::piped()).stdout(Stdio::piped()).spawn().unwrap();
    let mut input = child.stdin.take().unwrap();
    if let Some(bytes) = stdin {
        input.write_all(bytes).unwrap();
    }
    drop(input);
    let out = child.wait_with_output().unwrap();
    assert!(out.status.code().is_some_and(|c| c <= 1), "{args:?} failed: {:?}", out.status);
    out.stdout
}

fn json(args: &[&str]) -> Value {
    serde_json::from_slice(&run(args, None)).unwrap()
}

/// Each stream's `messages` and `app_protocol` as `tcp-ladder messages --format json` gives them.
fn messages_of(file: &str) -> Vec<(Value, Value)> {
    let all = json(&["messages", file, "--format", "json"]);
    all.as_array().unwrap().iter().map(|s| (s["protocol"].clone(), s["messages"].clone())).collect()
}

fn app_captures() -> Vec<String> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/captures/app");
    let mut files: Vec<String> = std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().path()).filter(|p| p.extension().is_some_and(|e| e == "pcap" || e == "pcapng")).map(|p| p.display().to_string()).collect();
    files.sort();
    assert!(files.len() >= 8, "the application captures are missing");
    files
}

#[test]
fn json_streams_carry_the_messages_command_gives() {
    let mut messages_seen = 0;
    for file in app_captures() {
        let with = json(&["analyze", &file, "--messages"]);
        let without = json(&["analyze", &file]);
        let expected = messages_of(&file);
        let streams = with["streams"].as_array().unwrap();
        assert_eq!(streams.len(), expected.len(), "{file}");
        for (s, (protocol, messages)) in streams.iter().zip(&expected) {
            assert_eq!(&s["app_protocol"], protocol, "{file} stream {}", s["stream"]);
            assert_eq!(&s["messages"], messages, "{file} stream {}", s["stream"]);
            messages_seen += messages.as_array().unwrap().len();
        }
        // Nothing else changes: the packets, the other members of each stream, the rest.
        let mut stripped = with.clone();
        for s in stripped["streams"].as_array_mut().unwrap() {
            let s = s.as_object_mut().unwrap();
            assert!(s.remove("messages").is_some() && s.remove("app_protocol").is_some());
        }
        assert_eq!(stripped, without, "{file}: --messages changed another member");
    }
    assert!(messages_seen > 100, "only {messages_seen} messages in the application captures");
}

#[test]
fn ndjson_one_stream_and_standard_input_agree_with_json() {
    let file = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/captures/app/http11_keepalive.pcap").display().to_string();
    let whole = json(&["analyze", &file, "--messages", "--streams-only"]);
    let lines = run(&["analyze", &file, "--messages", "--format", "ndjson"], None);
    let streams: Vec<Value> = lines
        .split(|&b| b == b'\n')
        .filter(|l| !l.is_empty())
        .map(|l| serde_json::from_slice::<Value>(l).unwrap())
        .filter(|v| v["record"] == "stream")
        .map(|mut v| {
            v.as_object_mut().unwrap().remove("record");
            v
        })
        .collect();
    assert_eq!(&streams, whole["streams"].as_array().unwrap());
    // The keep-alive connection's nine exchanges, each request then its answer.
    let first = &streams[0]["messages"];
    let kinds: Vec<&str> = first.as_array().unwrap().iter().map(|m| m["what"]["kind"].as_str().unwrap()).collect();
    assert_eq!(kinds.iter().filter(|k| **k == "http_request").count(), 9, "{kinds:?}");
    assert_eq!(kinds.iter().filter(|k| **k == "http_response").count(), 9, "{kinds:?}");

    let one = json(&["analyze", &file, "--messages", "--streams-only", "--stream", "0"]);
    assert_eq!(one["streams"][0], whole["streams"][0]);
    let bytes = std::fs::read(&file).unwrap();
    let piped: Value = serde_json::from_slice(&run(&["analyze", "-", "--messages", "--streams-only"], Some(&bytes))).unwrap();
    assert_eq!(piped["streams"], whole["streams"]);
}

#[test]
fn a_connection_without_payload_has_no_messages() {
    // A handshake and a teardown with no byte of data, a port scan's seven probes, and a
    // connection that carries HTTP: `messages` is empty, not absent, where no byte was sent.
    let mut empty = 0;
    for name in ["chrissanders_tcp_teardown.pcapng", "ndpi_tcp_scan.pcapng", "zeek_http_get-gzip.pcap"] {
        let file = common::corpus_dir("public").join(name).display().to_string();
        let out = json(&["analyze", &file, "--messages", "--streams-only"]);
        for s in out["streams"].as_array().unwrap() {
            if s["payload_bytes_c2s"] == 0 && s["payload_bytes_s2c"] == 0 {
                assert_eq!(s["messages"], Value::Array(vec![]), "{name} stream {}", s["stream"]);
                empty += 1;
            } else {
                assert_eq!(s["app_protocol"], "http", "{name} stream {}", s["stream"]);
                assert!(s["messages"].as_array().unwrap().len() >= 2, "{name} stream {}", s["stream"]);
            }
        }
    }
    assert_eq!(empty, 8);
}
