//! Helpers shared by the native integration tests: where the corpus is, and how to run the CLI.
#![allow(dead_code)]

pub mod synth;

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

/// A folder of captures with oracles: `public` (the public corpus, copied into the repository
/// so the tests run anywhere) or `generated` (container and link-type variants of it).
pub fn corpus_dir(which: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/captures").join(which)
}

/// Every capture in `tests/captures/<which>` that has an oracle beside it, sorted by name.
pub fn corpus_files(which: &str) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(corpus_dir(which))
        .expect("tests/captures folder is missing")
        .map(|e| e.unwrap().path())
        .filter(|p| {
            let name = p.to_string_lossy();
            !name.ends_with(".oracle.json") && Path::new(&format!("{name}.oracle.json")).exists()
        })
        .collect();
    files.sort();
    files
}

pub fn load_oracle(capture: &Path) -> Value {
    let path = format!("{}.oracle.json", capture.display());
    serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap()
}

/// Runs `tcp-ladder analyze FILE`; returns the exit code and the parsed JSON (None when it
/// printed nothing, i.e. exit 2).
pub fn analyze_cli(path: &Path) -> (i32, Option<Value>) {
    let out = Command::new(env!("CARGO_BIN_EXE_tcp-ladder")).arg("analyze").arg(path).output().unwrap();
    let code = out.status.code().unwrap_or(-1);
    let json = if out.stdout.is_empty() { None } else { Some(serde_json::from_slice(&out.stdout).expect("analyze printed invalid JSON")) };
    (code, json)
}

pub fn read(path: &Path) -> Vec<u8> {
    std::fs::read(path).unwrap()
}

/// Every capture of the repository's test folders (public corpus, variants, real stacks,
/// hostile and damaged files).
pub fn every_capture() -> Vec<PathBuf> {
    let mut files = Vec::new();
    for dir in ["public", "generated", "real", "delayed", "lossy", "hostile", "app", "twopoint"] {
        let Ok(entries) = std::fs::read_dir(corpus_dir(dir)) else { continue };
        for e in entries {
            let p = e.unwrap().path();
            let name = p.to_string_lossy().to_string();
            if p.is_file() && !name.ends_with(".json") && !name.ends_with(".txt") && !name.ends_with(".md") && !name.ends_with(".sh") && !name.ends_with(".py") {
                files.push(p);
            }
        }
    }
    files.sort();
    assert!(files.len() > 80, "only {} captures found", files.len());
    files
}

/// Every capture of [`every_capture`] and the shared public corpus beside the repository
/// (`../shared/captures/public`, where CI puts it), each file name once.
pub fn every_capture_and_shared() -> Vec<PathBuf> {
    let mut files = every_capture();
    let ours: Vec<_> = files.iter().map(|p| p.file_name().unwrap().to_owned()).collect();
    let shared = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/captures/public");
    if let Ok(entries) = std::fs::read_dir(shared) {
        let mut more: Vec<PathBuf> = entries
            .flatten()
            .map(|e| e.path())
            .filter(|p| p.is_file() && !ours.contains(&p.file_name().unwrap().to_owned()))
            .filter(|p| {
                let n = p.to_string_lossy();
                n.ends_with(".pcap") || n.ends_with(".pcapng") || n.ends_with(".pcap.gz")
            })
            .collect();
        more.sort();
        files.extend(more);
    }
    files
}

/// Each connection of each capture that reads: the file, its name, the stream and the
/// connection (the loop every "over every capture" test shares).
pub fn each_connection(files: &[PathBuf], mut check: impl FnMut(&Path, &str, u32, &tcp_ladder::connection::Connection<'_>)) {
    for path in files {
        let Ok(session) = tcp_ladder::session::analyze_bytes(&read(path)) else { continue };
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        for stream in 0..session.streams().len() as u32 {
            let Ok(conn) = session.connection(stream) else { continue };
            check(path, &name, stream, &conn);
        }
    }
}

/// A public capture, from the repository's copy when it has one, else from ../shared.
pub fn shared_session(file: &str) -> tcp_ladder::session::Session {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/captures/public").join(file);
    let local = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/captures/public").join(file);
    tcp_ladder::session::analyze_bytes(&read(if local.exists() { &local } else { &path })).unwrap()
}

/// What the page says of one segment (its explanation in `explain`).
pub fn segment_words(session: &tcp_ladder::session::Session, stream: u32, frame: u64) -> String {
    let conn = session.connection(stream).unwrap();
    tcp_ladder::report::story::story(&conn).segments.into_iter().find(|s| s.frame == frame).map(|s| s.explanation).unwrap_or_default()
}

/// A connection's story as `explain --format text` tells it (phases, states, time, recovery,
/// congestion), for the review tests.
pub fn story_text(session: &tcp_ladder::session::Session, stream: u32) -> String {
    tcp_ladder::report::story::story_text(&tcp_ladder::report::story::story(&session.connection(stream).unwrap()))
}

/// A capture of `tests/captures/<folder>` analysed.
pub fn recorded(folder: &str, file: &str) -> tcp_ladder::session::Session {
    tcp_ladder::session::analyze_bytes(&read(&corpus_dir(folder).join(file))).unwrap()
}
