//! The list's "what" (`Session::opening`), kept while the file is read with its texts as bytes,
//! says what the readers say of the connection's first bytes each way: on every capture of the
//! repository, each connection's opening equals `Opening::read_quick` (itself tested equal to
//! `Opening::read`) of its followed stream's first `HEAD_BYTES` each way, where the stream has
//! no gap there and every segment was captured whole.
#![cfg(not(target_arch = "wasm32"))]

mod common;

use tcp_ladder::app::{Opening, HEAD_BYTES};
use tcp_ladder::report::follow::{follow_json, follow_raw};
use tcp_ladder::session::SessionBuilder;

#[test]
fn each_opening_is_what_its_first_bytes_say() {
    let (mut compared, mut http, mut differ) = (0, 0, Vec::new());
    for path in common::every_capture() {
        let bytes = std::fs::read(&path).unwrap();
        // As the page's worker reads it: in pieces, keeping only where each segment is.
        let mut builder = SessionBuilder::placed(Some(bytes.len() as u64));
        if bytes.chunks(64 << 10).any(|piece| builder.push(piece).is_err()) {
            continue;
        }
        let Ok(placed) = builder.finish() else { continue };
        let Ok(whole) = tcp_ladder::session::analyze_bytes(&bytes) else { continue };
        let file = whole.file_bytes(&bytes);
        for n in 0..whole.streams().len() as u32 {
            let conn = whole.connection(n).unwrap();
            // Only where the opening's heads are the followed stream's start: no gap, no cut
            // segment, no byte before the SYN lost.
            let followed = follow_json(&conn, file);
            let cut = conn.packets().any(|p| p.segment.truncated || p.segment.fragments > 0);
            if !followed.gaps.is_empty() || cut || !conn.stream().client_from_syn {
                continue;
            }
            let head = |client: bool| {
                let mut b = follow_raw(&conn, file, Some(client));
                b.truncate(HEAD_BYTES);
                b
            };
            let expected = Opening::read_quick(&head(true), &head(false));
            let got = placed.opening(n).map(|o| o.into_owned());
            if got != expected {
                differ.push(format!("{} stream {n}: {got:?} ≠ {expected:?}", path.display()));
            }
            compared += 1;
            http += usize::from(expected.as_ref().is_some_and(|o| o.request.is_some()));
        }
    }
    assert!(differ.is_empty(), "{} of {compared} differ:\n{}", differ.len(), differ[..differ.len().min(10)].join("\n"));
    assert!(compared > 2000 && http > 50, "only {compared} connections compared, {http} with a request");
}
