//! Follow TCP Stream against `tshark -q -z follow,tcp,raw,N`, over every capture of the corpus
//! with a `.streams.oracle.json` (scripts/make_stream_oracles.py): for every connection the
//! same records in the same order (which node, how many bytes; a gap is Wireshark's
//! "[N bytes missing in capture file]" marker) and the same bytes per direction (SHA-256).
//! Prints the agreement per capture.
#![cfg(not(target_arch = "wasm32"))]

mod common;

use std::path::Path;

use serde_json::Value;
use sha2::{Digest, Sha256};
use tcp_ladder::follow::follow;
use tcp_ladder::report::follow::chunk_bytes;
use tcp_ladder::session::analyze_bytes;

/// "addr:port" as tshark prints a node, as (address, port); IPv6 may come in brackets.
fn node(text: &str) -> (String, u16) {
    let (addr, port) = text.rsplit_once(':').unwrap();
    (addr.trim_start_matches('[').trim_end_matches(']').to_string(), port.parse().unwrap())
}

/// Connections where a difference is known and explained (none since IP fragments are put back
/// together: ipv4-fragments.pcap follows tshark's 233 bytes, tests/fragments.rs). The test
/// fails if one starts to agree, so the list cannot go stale.
const KNOWN: [(&str, u32); 0] = [];

fn check_folder(which: &str) -> (usize, usize) {
    let mut streams_checked = 0;
    let mut failures = Vec::new();
    for path in common::corpus_files(which) {
        let oracle_path = format!("{}.streams.oracle.json", path.display());
        let Ok(text) = std::fs::read_to_string(&oracle_path) else { continue };
        let oracle: Value = serde_json::from_str(&text).unwrap();
        let bytes = std::fs::read(&path).unwrap();
        let Ok(session) = analyze_bytes(&bytes) else { continue };
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        let (mut agree, mut total) = (0, 0);
        for f in oracle["follow"].as_array().unwrap() {
            let stream = f["stream"].as_u64().unwrap() as u32;
            total += 1;
            let known = KNOWN.contains(&(name.as_str(), stream));
            match (compare(&session, &bytes, stream, f), known) {
                (Ok(()), false) => agree += 1,
                (Err(why), true) => println!("  known difference {name} stream {stream}: {why}"),
                (Ok(()), true) => failures.push(format!("{name} stream {stream}: now agrees; take it off KNOWN")),
                (Err(why), false) => failures.push(format!("{name} stream {stream}: {why}")),
            }
        }
        println!("follow {which}/{name}: {agree}/{total} connections identical to tshark");
        total -= KNOWN.iter().filter(|(n, _)| *n == name).count();
        streams_checked += total;
    }
    for f in failures.iter().take(20) {
        println!("  DIFFERS {f}");
    }
    (streams_checked, failures.len())
}

fn compare(session: &tcp_ladder::session::Session, bytes: &[u8], stream: u32, f: &Value) -> Result<(), String> {
    let Some(s) = session.streams().get(stream as usize) else { return Err("no such stream in ours".into()) };
    let node0 = node(f["node0"].as_str().unwrap());
    let records = f["records"].as_array().unwrap();
    // tshark's node 0 is the source of the connection's first segment.
    let client_is_node0 = node0 == (s.client.addr.to_string(), s.client.port);
    let conn = session.connection(stream).unwrap();
    let plan = follow(&conn);
    let mut ours = Vec::new();
    let mut data = [Sha256::new(), Sha256::new()];
    let mut counts = [0u64; 2];
    for c in &plan.chunks {
        let node = usize::from(c.from_client != client_is_node0);
        let b = chunk_bytes(&conn, session.file_bytes(bytes), c);
        ours.push((node, b.len()));
        counts[node] += b.len() as u64;
        data[node].update(&b);
    }
    let theirs: Vec<(usize, usize)> = records.iter().map(|r| (r[0].as_u64().unwrap() as usize, r[1].as_u64().unwrap() as usize)).collect();
    if records.is_empty() && ours.is_empty() {
        return Ok(());
    }
    if ours != theirs {
        let at = ours.iter().zip(&theirs).position(|(a, b)| a != b).unwrap_or(ours.len().min(theirs.len()));
        return Err(format!("records differ at {at}: ours {:?} tshark {:?} ({} vs {} records)", ours.get(at), theirs.get(at), ours.len(), theirs.len()));
    }
    for n in 0..2 {
        let hash: String = data[n].clone().finalize().iter().map(|b| format!("{b:02x}")).collect();
        if hash != f["sha256"][n].as_str().unwrap() || counts[n] != f["bytes"][n].as_u64().unwrap() {
            return Err(format!("node {n}: bytes differ ({} bytes ours, {} tshark)", counts[n], f["bytes"][n]));
        }
    }
    Ok(())
}

#[test]
fn follow_matches_tshark_on_every_capture() {
    let mut total = 0;
    let mut failed = 0;
    for which in ["public", "generated", "real", "delayed", "hostile"] {
        if !Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/captures").join(which).exists() {
            continue;
        }
        let (n, f) = check_folder(which);
        total += n;
        failed += f;
    }
    println!("follow: {} of {total} connections identical to tshark", total - failed);
    assert!(total > 1000, "only {total} connections had a follow oracle");
    assert_eq!(failed, 0, "{failed} connections differ from tshark's Follow TCP Stream");
}
