//! The stream toolbox's data in headless Chromium (`wasm-pack test --headless --chrome`): in
//! the browser's wasm, Follow TCP Stream gives tshark's records and bytes, and the RTT, window
//! and bytes-in-flight graphs tshark's values, frame by frame (the `.streams.oracle.json`
//! files); the page's graph data is drawn from the same series.
#![cfg(target_arch = "wasm32")]

use serde_json::Value;
use tcp_ladder::follow::follow;
use tcp_ladder::graph::series::{inflight_samples, rtt_samples, window_samples};
use tcp_ladder::graph::{graph_data, GraphKind, GraphRequest};
use tcp_ladder::report::follow::chunk_bytes;
use tcp_ladder::session::analyze_bytes;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

macro_rules! capture {
    ($dir:literal, $name:literal) => {
        ($name, include_bytes!(concat!("captures/", $dir, "/", $name)) as &[u8], include_str!(concat!("captures/", $dir, "/", $name, ".streams.oracle.json")))
    };
}

/// A bulk transfer with SACK and loss, HTTP, gzip, pcapng, retransmissions, a zero window.
const CAPTURES: [(&str, &[u8], &str); 6] = [
    capture!("delayed", "bulk_middle.pcap"),
    capture!("public", "zeek_http_get.pcap"),
    capture!("public", "zeek_http_206_example_b.pcap"),
    capture!("public", "zeek_http_1000-requests-one-dropped-response.pcap.gz"),
    capture!("public", "chrissanders_tcp_retransmissions.pcapng"),
    capture!("public", "chrissanders_tcp_zerowindowrecovery.pcapng"),
];

/// The oracle keeps a SHA-256 of each direction (checked natively in tests/follow_vs_tshark.rs);
/// here, in the browser, the records' order, directions and lengths and the byte counts.
#[wasm_bindgen_test]
fn follow_records_match_tshark_in_the_browser() {
    for (name, bytes, oracle) in CAPTURES {
        let oracle: Value = serde_json::from_str(oracle).unwrap();
        let session = analyze_bytes(bytes).unwrap();
        for f in oracle["follow"].as_array().unwrap() {
            let stream = f["stream"].as_u64().unwrap() as u32;
            let s = &session.streams()[stream as usize];
            let node0 = f["node0"].as_str().unwrap();
            let client_is_node0 = node0.trim_start_matches('[').starts_with(&s.client.addr.to_string()) && node0.ends_with(&format!(":{}", s.client.port));
            let conn = session.connection(stream).unwrap();
            let plan = follow(&conn);
            let ours: Vec<(u64, u64)> = plan.chunks.iter().map(|c| (u64::from(c.from_client != client_is_node0), chunk_bytes(&conn, session.file_bytes(bytes), c).len() as u64)).collect();
            let theirs: Vec<(u64, u64)> = f["records"].as_array().unwrap().iter().map(|r| (r[0].as_u64().unwrap(), r[1].as_u64().unwrap())).collect();
            assert_eq!(ours, theirs, "{name} stream {stream}: follow records");
            let per_node = |n: u64| ours.iter().filter(|r| r.0 == n).map(|r| r.1).sum::<u64>();
            assert_eq!([per_node(0), per_node(1)], [f["bytes"][0].as_u64().unwrap(), f["bytes"][1].as_u64().unwrap()], "{name} stream {stream}: bytes");
        }
    }
}

#[wasm_bindgen_test]
fn graph_values_match_tshark_in_the_browser() {
    let seconds = |ns: i64| format!("{}.{:09}", ns / 1_000_000_000, ns % 1_000_000_000);
    for (name, bytes, oracle) in CAPTURES {
        let oracle: Value = serde_json::from_str(oracle).unwrap();
        let session = analyze_bytes(bytes).unwrap();
        let mut rtt = std::collections::BTreeMap::new();
        let mut bif = std::collections::BTreeMap::new();
        let mut win = std::collections::BTreeMap::new();
        for s in session.streams().iter() {
            rtt.extend(rtt_samples(&session.connection(s.index).unwrap()).into_iter().map(|x| (x.frame, seconds((x.value * 1e9).round() as i64))));
            bif.extend(inflight_samples(&session.connection(s.index).unwrap()).into_iter().map(|x| (x.frame, x.value as u64)));
            win.extend(window_samples(&session.connection(s.index).unwrap()).into_iter().map(|x| (x.frame, x.value as u64)));
            // The page's graph data: every exact point is one of these samples.
            let data = graph_data(&session.connection(s.index).unwrap(), &GraphRequest { stream: s.index, kind: GraphKind::Rtt, from_client: None, range: None, y_range: None, columns: 900 });
            for p in data.series.iter().flat_map(|s| &s.points).filter(|_| data.exact) {
                assert_eq!(rtt.get(&p.frame), Some(&seconds((p.y * 1e9).round() as i64)), "{name}: RTT point of frame {}", p.frame);
            }
        }
        for r in oracle["frames"].as_array().unwrap() {
            let frame = r[0].as_u64().unwrap();
            assert_eq!(rtt.get(&frame).map(String::as_str), r[1].as_str(), "{name} frame {frame}: ack_rtt");
            assert_eq!(bif.get(&frame).copied(), r[2].as_u64(), "{name} frame {frame}: bytes_in_flight");
            assert_eq!(win.get(&frame).copied(), r[3].as_u64(), "{name} frame {frame}: window_size");
        }
    }
}
