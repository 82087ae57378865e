//! The worker's service on real captures: it answers while a file is still being read, a
//! cancel keeps what was read, and what it sends (through JSON, as the page receives it) is
//! what the analysis computes directly.
#![cfg(not(target_arch = "wasm32"))]

mod common;

use common::{corpus_dir, read};
use tcp_ladder::diagram::{layout, LadderOptions};
use tcp_ladder::listing::{rows, SortKey};
use tcp_ladder::service::protocol::{Reply, Request};
use tcp_ladder::reanalysis::FrameToRead;
use tcp_ladder::service::Service;
use tcp_ladder::session::analyze_bytes;

/// As the page receives it: through JSON.
fn over_the_wire(reply: Reply) -> Reply {
    serde_json::from_str(&serde_json::to_string(&reply).unwrap()).unwrap()
}

#[test]
fn answers_while_reading_and_matches_the_direct_analysis() {
    let bytes = read(&corpus_dir("public").join("chrissanders_synscan.pcapng"));
    let direct = analyze_bytes(&bytes).unwrap();
    let mut service = Service::new();
    service.open(bytes.len() as u64);
    let mut seen = Vec::new();
    for piece in bytes.chunks(16 * 1024) {
        service.push(piece).unwrap();
        let page = service.list("", SortKey::Stream, 0, 50);
        let progress = service.progress();
        assert_eq!(page.total as u64, progress.connections);
        // Rows of a growing capture are the first rows of the finished one.
        for r in &page.rows {
            assert_eq!(r.endpoints, rows(&direct, "", SortKey::Stream)[r.stream as usize].endpoints);
        }
        seen.push(progress.connections);
    }
    assert!(seen.windows(2).all(|w| w[0] <= w[1]) && seen[0] < seen[seen.len() - 1], "{seen:?}");
    let summary = service.finish(false).unwrap();
    assert_eq!((summary.frames, summary.tcp, summary.connections), (direct.format.packets, direct.counts.tcp, direct.streams().len() as u64));
    assert!(!summary.cancelled && summary.damage.is_none());

    // Filtered and sorted windows are windows of the direct list.
    for (query, sort) in [("refused", SortKey::Stream), ("", SortKey::Packets), (":443 handshake", SortKey::Duration)] {
        let all = rows(&direct, query, sort);
        let page = service.list(query, sort, 5, 20);
        assert_eq!(page.matching as usize, all.len(), "{query}");
        assert_eq!(page.rows, all.iter().skip(5).take(20).cloned().collect::<Vec<_>>(), "{query} {sort:?}");
    }

    // A layout crosses as JSON unchanged.
    let options = LadderOptions::default();
    let ladder = service.layout(3, &options);
    assert_eq!(ladder, Some(layout(&direct.connection(3).unwrap(), &options)));
    let reply = Reply::Layout { stream: 3, options: options.clone(), ladder, memory_bytes: 0 };
    assert_eq!(over_the_wire(reply.clone()), reply);
}

#[test]
fn segment_detail_from_the_bytes_read_at_the_frame_offset() {
    let bytes = read(&corpus_dir("real").join("seed_close_delayed.pcap"));
    let mut service = Service::new();
    service.open(bytes.len() as u64);
    service.push(&bytes).unwrap();
    service.finish(false).unwrap();
    let Some(FrameToRead { offset, len, .. }) = service.frame_to_read(0, 0) else { panic!("SYN is in the file") };
    let frame = &bytes[offset as usize..][..len as usize];
    let detail = service.detail(0, 0, Some(frame)).unwrap();
    assert_eq!(detail.frame, 1);
    assert_eq!(detail.bytes, frame);
    assert!(detail.explanation.contains("SYN"), "{}", detail.explanation);
    let tcp = detail.layers.iter().find(|l| l.name.contains("TCP")).expect("a TCP layer");
    assert!(tcp.fields.iter().any(|f| f.name.contains("Flags") && f.value.contains("SYN")), "{tcp:?}");
    let reply = Reply::Detail { stream: 0, index: 0, detail: Some(detail) };
    assert_eq!(over_the_wire(reply.clone()), reply);
    assert!(service.detail(0, 99, None).is_none());
}

#[test]
fn cancel_keeps_what_was_read_and_says_where_it_stopped() {
    let bytes = read(&corpus_dir("public").join("chrissanders_synscan.pcapng"));
    let mut service = Service::new();
    service.open(bytes.len() as u64);
    let half = bytes.len() / 2;
    service.push(&bytes[..half]).unwrap();
    let read_so_far = service.progress();
    let summary = service.finish(true).unwrap();
    assert!(summary.cancelled);
    assert_eq!(summary.connections, read_so_far.connections);
    assert!(summary.connections > 0);
    let damage = summary.damage.unwrap();
    assert!(damage.contains("cancelled") && damage.contains(&format!("of {} bytes", bytes.len())), "{damage}");
    // The list and diagrams still answer.
    assert_eq!(service.list("", SortKey::Stream, 0, 10).rows.len(), 10);
    assert!(service.layout(0, &LadderOptions::default()).is_some());
}

/// A capture larger than the memory the worker may use: reading stops at the limit, says where
/// and why, and everything read before it is listed and drawn (the tab never dies).
#[test]
fn a_capture_larger_than_the_memory_limit_stops_with_a_message_and_stays_usable() {
    let bytes = read(&corpus_dir("public").join("chrissanders_synscan.pcapng"));
    let whole = analyze_bytes(&bytes).unwrap();
    let limit = whole.memory_bytes() as u64 / 3;
    let mut service = Service::with_memory_limit(limit);
    service.open(bytes.len() as u64);
    let mut pieces = 0;
    for piece in bytes.chunks(16 * 1024) {
        service.push(piece).unwrap();
        pieces += 1;
        if !service.wants_more() {
            break;
        }
    }
    assert!(pieces < bytes.len().div_ceil(16 * 1024), "reading went on to the end");
    let summary = service.finish(false).unwrap();
    let damage = summary.damage.expect("a message");
    assert!(damage.contains("memory limit") && damage.contains("connections"), "{damage}");
    assert!(summary.connections > 0 && (summary.connections as usize) < whole.streams().len());
    assert!(!service.list("", SortKey::Stream, 0, 10).rows.is_empty());
    assert!(service.layout(0, &LadderOptions::default()).is_some());
}

#[test]
fn a_file_that_is_not_a_capture_is_refused_at_once() {
    let mut service = Service::new();
    service.open(20);
    // A short file is told at its end; a long one as soon as its first 512 bytes are in.
    service.push(b"<!DOCTYPE html><html><body>not a capture</body></html>").unwrap();
    let err = service.finish(false).unwrap_err();
    assert!(err.contains("HTML"), "{err}");
    service.open(5000);
    let err = service.push("<html><body>not a capture</body></html>".repeat(100).as_bytes()).unwrap_err();
    assert!(err.contains("HTML"), "{err}");
    assert!(!service.wants_more());
}

#[test]
fn requests_read_back_from_json() {
    for request in [
        Request::Cancel,
        Request::List { query: "syn".into(), sort: SortKey::Problems, reverse: false, from: 10, count: 40 },
        Request::Layout { stream: 7, options: LadderOptions { by_time: true, ..LadderOptions::default() } },
        Request::Detail { stream: 1, index: 2 },
    ] {
        let json = serde_json::to_string(&request).unwrap();
        assert_eq!(serde_json::from_str::<Request>(&json).unwrap(), request, "{json}");
    }
}

#[test]
fn follow_pages_through_the_service_match_the_cli_and_reads_are_coalesced() {
    use tcp_ladder::report::follow::follow_raw;
    use tcp_ladder::service::coalesce_reads;
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/captures/public/zeek_http_1000-requests-one-dropped-response.pcap.gz");
    let bytes = std::fs::read(&path).unwrap();
    let session = tcp_ladder::session::analyze_bytes(&bytes).unwrap();
    let stream = (0..session.streams().len() as u32).max_by_key(|&s| session.connection(s).map_or(0, |c| c.len())).unwrap();
    let mut service = Service::new();
    service.open(bytes.len() as u64);
    service.push(&bytes).unwrap();
    service.finish(false).unwrap();
    // Page through the followed stream as the worker does (a gzip file: the bytes are in memory).
    let mut client = Vec::new();
    let mut from = 0;
    loop {
        let places = service.follow_places(stream, from, 150);
        assert!(places.iter().all(Option::is_none), "a gzip capture's bytes are in memory");
        let page = service.follow_page(stream, from, 150, &vec![None; places.len()]).unwrap();
        for c in page.chunks.iter().filter(|c| c.from_client && c.gap.is_none()) {
            client.extend_from_slice(&c.bytes);
        }
        from = page.from + page.chunks.len() as u32;
        if page.chunks.is_empty() || from >= page.total {
            break;
        }
    }
    assert_eq!(client, follow_raw(&session.connection(stream).unwrap(), session.file_bytes(&bytes), Some(true)), "paged client bytes");
    assert!(!client.is_empty());
    // Coalescing: frames within the gap share a read; each place finds its bytes at its offset.
    let place = |offset, len| Some(FrameToRead { frame: 0, offset, len });
    let places = [place(100, 10), None, place(120, 5), place(10_000, 4), place(95, 3)];
    let (ranges, at) = coalesce_reads(&places, 64);
    assert_eq!(ranges, vec![(95, 125), (10_000, 10_004)]);
    assert_eq!(at, vec![Some((0, 5)), None, Some((0, 25)), Some((1, 0)), Some((0, 0))]);
}

/// The frames the placed service names, read from `file` as the worker reads them from the
/// `File`, a batch at a time; returns the batches.
fn read_again(service: &mut Service, stream: u32, file: &[u8]) -> usize {
    let mut batches = 0;
    loop {
        let frames = service.frames_to_read(stream);
        if frames.is_empty() {
            return batches;
        }
        let bytes: Vec<Option<Vec<u8>>> = frames.iter().map(|f| file.get(f.offset as usize..(f.offset + u64::from(f.len)) as usize).map(<[u8]>::to_vec)).collect();
        service.give_frames(stream, &frames, &bytes);
        batches += 1;
    }
}

/// The worker's service keeps only where each segment is and reads a connection's frames again
/// when it is asked about: every answer about a connection (diagram, lesson, segment detail,
/// graphs, followed bytes) equals the one of a service that kept every segment; asking about
/// another connection and coming back reads it again; a connection asked about while the
/// file is read grows with it.
#[test]
fn a_service_that_keeps_only_places_answers_as_one_that_keeps_every_segment() {
    use tcp_ladder::graph::{GraphKind, GraphRequest};
    let bytes = read(&corpus_dir("public").join("zeek_http_206_example_b.pcap"));
    let mut full = Service::new();
    let mut placed = Service::placed();
    for s in [&mut full, &mut placed] {
        s.open(bytes.len() as u64);
        s.push(&bytes).unwrap();
        s.finish(false).unwrap();
    }
    let streams = full.session().unwrap().streams().len() as u32;
    assert!(streams >= 2);
    for round in 0..2 {
        for stream in 0..streams {
            let batches = read_again(&mut placed, stream, &bytes);
            // The first connection was handed over by the reader (the page shows it first);
            // any other, or the first once another was shown, is read again.
            let expected = if round == 0 && stream == 0 { 0 } else { 1 };
            assert!(batches >= expected, "round {round} stream {stream}: {batches} batches");
            assert_eq!(read_again(&mut placed, stream, &bytes), 0, "all read");
            let options = LadderOptions::default();
            assert_eq!(placed.layout(stream, &options), full.layout(stream, &options), "stream {stream}");
            let n = full.session().unwrap().connection(stream).map_or(0, |c| c.len());
            for index in [0, n / 2, n - 1] {
                assert_eq!(placed.lesson(stream, index), full.lesson(stream, index), "stream {stream} lesson {index}");
                let Some(FrameToRead { offset, len, .. }) = placed.frame_to_read(stream, index) else { panic!("a pcap's frames are in the file") };
                assert_eq!(placed.frame_to_read(stream, index), full.frame_to_read(stream, index));
                let frame = &bytes[offset as usize..(offset + u64::from(len)) as usize];
                assert_eq!(placed.detail(stream, index, Some(frame)), full.detail(stream, index, Some(frame)));
            }
            for kind in [GraphKind::Tseq, GraphKind::Throughput, GraphKind::Rtt, GraphKind::Window] {
                let request = GraphRequest { stream, kind, from_client: None, range: None, y_range: None, columns: 400 };
                assert_eq!(placed.graph(&request), full.graph(&request), "stream {stream} {kind:?}");
            }
            let places = placed.follow_places(stream, 0, 200);
            assert_eq!(places, full.follow_places(stream, 0, 200));
            let frames: Vec<Option<Vec<u8>>> = places.iter().map(|p| p.map(|f| bytes[f.offset as usize..(f.offset + u64::from(f.len)) as usize].to_vec())).collect();
            assert_eq!(placed.follow_page(stream, 0, 200, &frames), full.follow_page(stream, 0, 200, &frames));
        }
    }

    // While reading: the connection grows as it is asked about again.
    let mut growing = Service::placed();
    growing.open(bytes.len() as u64);
    let mut sizes = Vec::new();
    for piece in bytes.chunks(64 * 1024) {
        growing.push(piece).unwrap();
        read_again(&mut growing, 0, &bytes);
        sizes.push(growing.session().unwrap().connection(0).map_or(0, |c| c.len()));
    }
    growing.finish(false).unwrap();
    read_again(&mut growing, 0, &bytes);
    assert!(sizes.windows(2).all(|w| w[0] <= w[1]) && sizes[0] < *sizes.last().unwrap(), "{sizes:?}");
    assert_eq!(growing.layout(0, &LadderOptions::default()), full.layout(0, &LadderOptions::default()));
    assert!(growing.reanalysis_failure(0).is_none());
}
