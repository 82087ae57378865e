//! `tcp-ladder analyze A --merge-with B` (issue #26's "in analyze"): each stream of A seen in B
//! gains `merge`, the same object `tcp-ladder merge A B --format json` gives for it (offset_ns,
//! drift_ppm, uncertainty_ns, path_ms, lost_between, only_in_a/b, turns …); a stream B lacks
//! has `merge: null`; every other member is what `analyze` writes without it; NDJSON agrees.

use std::path::Path;
use std::process::Command;

use serde_json::Value;

fn run(args: &[&str]) -> Vec<u8> {
    let out = Command::new(env!("CARGO_BIN_EXE_tcp-ladder")).args(args).output().unwrap();
    assert!(out.status.code().is_some_and(|c| c <= 1), "{args:?} failed: {:?} {}", out.status, String::from_utf8_lossy(&out.stderr));
    out.stdout
}

fn json(args: &[&str]) -> Value {
    serde_json::from_slice(&run(args)).unwrap()
}

fn capture(path: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(path).display().to_string()
}

#[test]
fn each_stream_gains_what_merge_says_of_it_and_nothing_else_changes() {
    for (a, b) in [
        ("tests/captures/lossy/drop_mid_at_sender.pcap", "tests/captures/lossy/drop_mid_at_receiver.pcap"),
        ("tests/captures/lossy/delayed_ack_at_receiver.pcap", "tests/captures/lossy/delayed_ack_at_sender.pcap"),
        ("tests/captures/twopoint/nat_at_client.pcap", "tests/captures/twopoint/nat_at_server.pcap"),
    ] {
        let (a, b) = (capture(a), capture(b));
        let merged = json(&["merge", &a, &b, "--format", "json"]);
        let with = json(&["analyze", &a, "--merge-with", &b]);
        let without = json(&["analyze", &a]);
        let streams = with["streams"].as_array().unwrap();
        assert!(!streams.is_empty());
        for s in streams {
            let n = s["stream"].as_u64().unwrap();
            let expected = merged["connections"].as_array().unwrap().iter().find(|c| c["stream_a"].as_u64() == Some(n)).cloned().unwrap_or(Value::Null);
            assert_eq!(s["merge"], expected, "{a} stream {n}");
            assert!(!s["merge"].is_null(), "{a} stream {n}: these captures share every connection");
        }
        // Everything else is analyze's own.
        let mut stripped = with.clone();
        for s in stripped["streams"].as_array_mut().unwrap() {
            s.as_object_mut().unwrap().remove("merge");
        }
        assert_eq!(stripped, without, "{a}");
        // NDJSON: the same stream records.
        let lines: Vec<Value> = String::from_utf8(run(&["analyze", &a, "--merge-with", &b, "--format", "ndjson", "--streams-only"])).unwrap().lines().map(|l| serde_json::from_str(l).unwrap()).collect();
        let ndjson_merges: Vec<&Value> = lines.iter().filter(|l| l["record"] == "stream").map(|l| &l["merge"]).collect();
        assert_eq!(ndjson_merges, streams.iter().map(|s| &s["merge"]).collect::<Vec<_>>(), "{a}");
    }
}

#[test]
fn a_stream_the_other_capture_lacks_has_merge_null() {
    let a = capture("tests/captures/lossy/drop_mid_at_sender.pcap");
    let other = capture("static/samples/seed_close_immediately.pcap");
    let with = json(&["analyze", &other, "--merge-with", &a, "--streams-only"]);
    for s in with["streams"].as_array().unwrap() {
        assert!(s.as_object().unwrap().contains_key("merge") && s["merge"].is_null(), "{s}");
    }
}
