//! Where a capture was taken, estimated per connection (`capture_point` of `analyze`), checked
//! on real stacks over a path with known one-way delays (10 ms client ↔ middle, 15 ms middle ↔
//! server: tests/captures/delayed/record.sh), each connection captured at three places at once.
#![cfg(not(target_arch = "wasm32"))]

mod common;

use common::{analyze_cli, corpus_dir, corpus_files};
use serde_json::Value;

fn point(name: &str) -> Value {
    let (_, json) = analyze_cli(&corpus_dir("delayed").join(name));
    json.unwrap()["streams"][0]["capture_point"].clone()
}

#[test]
fn the_estimate_finds_where_each_capture_was_taken() {
    for scenario in ["seed", "crossing", "bulk"] {
        let client = point(&format!("{scenario}_at_client.pcap"));
        let middle = point(&format!("{scenario}_middle.pcap"));
        let server = point(&format!("{scenario}_at_server.pcap"));
        println!("{scenario}: at client {client}, middle {middle}, at server {server}");
        assert_eq!(client["near"], "client", "{scenario}");
        assert_eq!(server["near"], "server", "{scenario}");
        assert_eq!(middle["near"], "between", "{scenario}");
        // The relays hold each frame 10 ms and 15 ms; the hosts add a little.
        let (c, s) = (middle["client_ms"].as_f64().unwrap(), middle["server_ms"].as_f64().unwrap());
        assert!((10.0..11.5).contains(&c) && (15.0..16.5).contains(&s), "{scenario}: {c} {s}");
        // The whole path is the same seen from either end.
        let total = |v: &Value| v["client_ms"].as_f64().unwrap() + v["server_ms"].as_f64().unwrap();
        for v in [&client, &server] {
            assert!((25.0..28.0).contains(&total(v)), "{scenario}: {v}");
        }
    }
}

#[test]
fn crossing_fins_are_a_simultaneous_close_wherever_the_capture_was_taken() {
    // The capture points see the two FINs in different orders; the states must not change.
    for place in ["at_client", "middle", "at_server"] {
        let (_, json) = analyze_cli(&corpus_dir("delayed").join(format!("crossing_{place}.pcap")));
        let s = &json.unwrap()["streams"][0];
        assert_eq!(s["close"], "simultaneous", "{place}");
        for side in ["client", "server"] {
            let path: Vec<&str> = s["states"][side].as_array().unwrap().iter().map(|c| c["state"].as_str().unwrap()).collect();
            assert!(path.ends_with(&["FIN-WAIT-1", "CLOSING", "TIME-WAIT"]), "{place} {side}: {path:?}");
        }
    }
}

#[test]
fn every_estimate_in_the_corpus_is_consistent_or_null() {
    let (mut estimates, mut nulls) = (0, 0);
    for which in ["public", "real", "delayed"] {
        for path in corpus_files(which) {
            let (_, Some(json)) = analyze_cli(&path) else { continue };
            for s in json["streams"].as_array().unwrap() {
                let cp = &s["capture_point"];
                if cp.is_null() {
                    nulls += 1;
                    continue;
                }
                estimates += 1;
                let (c, v) = (cp["client_ms"].as_f64().unwrap(), cp["server_ms"].as_f64().unwrap());
                assert!(c >= 0.0 && v >= 0.0, "{path:?}: {cp}");
                let total = c + v;
                // Both ends on one host (loopback, or one address): said so, whatever the split.
                let addr = |end: &str| s[end]["addr"].as_str().unwrap().parse::<std::net::IpAddr>().unwrap();
                let (client, server) = (addr("client"), addr("server"));
                let one_host = client == server || (client.is_loopback() && server.is_loopback());
                let near = if one_host {
                    "one_host"
                } else if total > 0.0 && c < 0.1 * total {
                    "client"
                } else if total > 0.0 && v < 0.1 * total {
                    "server"
                } else {
                    "between"
                };
                assert_eq!(cp["near"], near, "{path:?}: {cp}");
            }
        }
    }
    println!("{estimates} connections with an estimate, {nulls} without (no round trip on one side)");
    assert!(estimates > 100 && nulls > 0);
}
