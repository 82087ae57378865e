//! The page's worker keeps only where each segment is and analyses a connection again from
//! its frames when it is shown (`src/reanalysis.rs`). Every connection of every capture we
//! have, re-analysed alone, must give exactly the segments the single pass over the whole
//! file gave (which the corpus tests compare with tshark), and the same diagram.

#![cfg(not(target_arch = "wasm32"))]

mod common;

use tcp_ladder::diagram::{layout, LadderOptions};
use tcp_ladder::session::{analyze_bytes, Session, SessionBuilder};
use tcp_ladder::tcp::TcpPacket;

/// `bytes` read as the worker reads them: a piece at a time, keeping only places.
fn placed(bytes: &[u8]) -> Option<Session> {
    let mut builder = SessionBuilder::placed(Some(bytes.len() as u64));
    for piece in bytes.chunks(1 << 20) {
        builder.push(piece).ok()?;
    }
    builder.finish().ok()
}

#[test]
fn every_connection_of_every_capture_reanalysed_alone_equals_the_whole_pass() {
    let mut connections = 0usize;
    let mut segments = 0usize;
    let mut reused = 0usize;
    let mut diagrams = 0usize;
    for path in common::every_capture() {
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        let bytes = common::read(&path);
        let Ok(whole) = analyze_bytes(&bytes) else { continue };
        let mut session = placed(&bytes).expect("read piecewise as whole");
        assert!(!session.keeps_packets());
        assert_eq!(session.packet_count(), whole.packet_count(), "{name}");
        assert_eq!(session.streams().len(), whole.streams().len(), "{name}");
        assert_eq!(session.packets().count(), 0, "{name}: a placed session lists no analysed segment");
        for stream in 0..whole.streams().len() as u32 {
            let expected: Vec<TcpPacket> = whole.connection(stream).unwrap().packets().collect();
            // The first connection (the one the page shows first) was taken from the reader as
            // it came; any other is at hand only once read again.
            let at_hand = if stream == 0 { expected.len() } else { 0 };
            assert_eq!(session.connection(stream).map_or(0, |c| c.packets().count()), at_hand, "{name} stream {stream}");
            session.reanalyse_from(stream, &bytes);
            assert_eq!(session.reanalysis_failure(stream), None, "{name} stream {stream}");
            let got: Vec<TcpPacket> = session.connection(stream).unwrap().packets().collect();
            assert_eq!(got.len(), expected.len(), "{name} stream {stream}: segments");
            for (g, e) in got.iter().zip(&expected) {
                assert_eq!(g, e, "{name} stream {stream} frame {}", e.frame);
            }
            assert_eq!(session.connection(stream).ok().map(|c| c.states().clone()), whole.connection(stream).ok().map(|c| c.states().clone()), "{name} stream {stream}");
            // The diagram of the first connections (laying out all of them would take minutes).
            if stream < 3 {
                let options = LadderOptions::default();
                assert_eq!(layout(&session.connection(stream).unwrap(), &options), layout(&whole.connection(stream).unwrap(), &options), "{name} stream {stream}: diagram");
                diagrams += 1;
            }
            reused += usize::from(session.streams()[stream as usize].opened_by_port_reuse);
            connections += 1;
            segments += got.len();
        }
    }
    println!("{connections} connections, {segments} segments re-analysed; {reused} opened by port reuse; {diagrams} diagrams compared");
    assert!(connections > 2_000 && segments > 100_000, "{connections} connections, {segments} segments");
}

/// The one fact a connection's analysis takes from outside it: its first SYN reused the ports
/// of an earlier connection. No capture of the corpus has a SYN that does (its port-reuse
/// flags come from SYN-ACKs with a new ISN), so three connections on the same ports are built
/// here: the second and third are opened by port reuse.
#[test]
fn a_connection_opened_by_port_reuse_keeps_its_flag_when_reanalysed_alone() {
    use common::synth::{pcap_header, record, tcp_frame_between};
    let (c, s) = ([10, 0, 0, 1], [10, 0, 0, 2]);
    let mut file = pcap_header(1);
    let mut n = 0;
    let mut add = |file: &mut Vec<u8>, from_client: bool, seq: u32, ack: u32, flags: u8, payload: &[u8]| {
        n += 1;
        let frame = if from_client { tcp_frame_between(c, s, 40000, 80, seq, ack, flags, &[], payload) } else { tcp_frame_between(s, c, 80, 40000, seq, ack, flags, &[], payload) };
        record(file, n, &frame);
    };
    for isn in [1_000u32, 90_000, 500_000] {
        let srv = isn * 3;
        add(&mut file, true, isn, 0, 0x02, b"");
        add(&mut file, false, srv, isn + 1, 0x12, b"");
        add(&mut file, true, isn + 1, srv + 1, 0x10, b"");
        add(&mut file, true, isn + 1, srv + 1, 0x18, b"GET /");
        add(&mut file, false, srv + 1, isn + 6, 0x11, b"");
        add(&mut file, true, isn + 6, srv + 2, 0x11, b"");
        add(&mut file, false, srv + 2, isn + 7, 0x10, b"");
    }
    let whole = analyze_bytes(&file).unwrap();
    assert_eq!(whole.streams().len(), 3);
    let mut session = placed(&file).unwrap();
    for stream in 0..3u32 {
        let record = &session.streams()[stream as usize];
        assert_eq!(record.opened_by_port_reuse, stream > 0);
        assert_eq!(record.can_receive(), stream == 2, "only the newest connection on the ports keeps its analysis state");
        let first = whole.connection(stream).unwrap().packets().next().unwrap();
        assert_eq!(first.analysis.flags.has(tcp_ladder::tcp::analysis::AnalysisFlags::REUSED_PORTS), stream > 0);
        session.reanalyse_from(stream, &file);
        let expected: Vec<TcpPacket> = whole.connection(stream).unwrap().packets().collect();
        assert_eq!(session.connection(stream).unwrap().packets().collect::<Vec<_>>(), expected, "stream {stream}");
    }
}

/// The real bulk transfer of 113 892 segments after one SYN of another connection: the
/// transfer is then the second connection, not the first (which the reader hands over from
/// the start, as the page shows it first).
fn bulk_after_a_syn() -> Vec<u8> {
    let path = common::corpus_dir("real").join("bulk_100k.pcap.gz");
    let inflated = analyze_bytes(&common::read(&path)).unwrap().inflated.expect("a gzip file is inflated");
    let mut bytes = inflated[..24].to_vec();
    common::synth::record(&mut bytes, 1, &common::synth::tcp_frame_between([10, 9, 9, 1], [10, 9, 9, 2], 1234, 80, 7, 0, 0x02, &[], b""));
    bytes.extend_from_slice(&inflated[24..]);
    bytes
}

#[test]
fn reanalysis_in_small_batches_and_while_the_file_grows_gives_the_same_segments() {
    let bytes = bulk_after_a_syn();
    let whole = analyze_bytes(&bytes).unwrap();
    let expected: Vec<TcpPacket> = whole.connection(1).unwrap().packets().collect();
    assert!(expected.len() > 100_000);

    // While reading, as the worker does when a diagram is asked for: the connection is asked
    // about after the first piece, its frames are read again only after two more pieces came
    // (in batches of at most 64 KiB of the file); the segments that came meanwhile, and all
    // after, are handed over by the reader: nothing after the first piece is read twice.
    let mut builder = SessionBuilder::placed(Some(bytes.len() as u64));
    let mut batches_per_piece = Vec::new();
    let mut asked_until = 0;
    for (i, piece) in bytes.chunks(1 << 20).enumerate() {
        builder.push(piece).unwrap();
        let session = builder.session_mut();
        if i == 0 {
            // Asked about: what was read until now is what will be read again.
            asked_until = session.streams()[1].last_frame;
            assert!(!session.frames_to_reanalyse(1, 64 << 10).is_empty());
        }
        if i < 3 {
            batches_per_piece.push(0);
            continue;
        }
        let mut batches = 0;
        loop {
            let frames = session.frames_to_reanalyse(1, 64 << 10);
            if frames.is_empty() {
                break;
            }
            assert!(frames.iter().all(|f| f.frame <= asked_until), "only frames read before it was asked about are read again");
            let span = frames.last().unwrap().offset + u64::from(frames.last().unwrap().len) - frames[0].offset;
            assert!(span <= 64 << 10 || frames.len() == 1, "a batch spans {span} bytes");
            let data: Vec<Option<&[u8]>> = frames.iter().map(|f| Some(&bytes[f.offset as usize..f.offset as usize + f.len as usize])).collect();
            // Handing the same frames twice (two requests that read them) changes nothing.
            session.reanalyse(1, &frames, &data);
            session.reanalyse(1, &frames, &data);
            batches += 1;
        }
        batches_per_piece.push(batches);
        assert_eq!(session.connection(1).map_or(0, |c| c.len()) as u64, session.streams()[1].packets, "piece {i}: all that has arrived is at hand");
    }
    let session = builder.finish().unwrap();
    let got: Vec<TcpPacket> = session.connection(1).unwrap().packets().collect();
    assert_eq!(got, expected);
    println!("batches read per piece of the file: {batches_per_piece:?}");
    assert!(batches_per_piece[3] > 5, "{batches_per_piece:?}");
    assert!(batches_per_piece[4..].iter().all(|&b| b == 0), "caught up, nothing is read twice: {batches_per_piece:?}");
}

#[test]
fn a_file_changed_since_it_was_read_stops_the_reanalysis_with_a_reason() {
    let path = common::corpus_dir("public").join("ndpi_1kxun.pcap");
    let bytes = common::read(&path);
    let whole = analyze_bytes(&bytes).unwrap();
    // The connection with the most segments but the first (which is never read again).
    let stream = (1..whole.streams().len() as u32).max_by_key(|&s| whole.streams()[s as usize].packets).unwrap();
    let mut session = placed(&bytes).unwrap();
    let frames = session.frames_to_reanalyse(stream, u64::MAX);
    assert!(frames.len() > 10);
    // The fifth frame's bytes are now zeros; the sixth could not be read.
    let zeros = vec![0u8; frames[4].len as usize];
    let data: Vec<Option<&[u8]>> = frames
        .iter()
        .enumerate()
        .map(|(i, f)| match i {
            4 => Some(&zeros[..]),
            _ => Some(&bytes[f.offset as usize..f.offset as usize + f.len as usize]),
        })
        .collect();
    session.reanalyse(stream, &frames, &data);
    let why = session.reanalysis_failure(stream).expect("stopped");
    assert!(why.contains(&format!("frame {}", frames[4].frame)) && why.contains("changed"), "{why}");
    assert_eq!(session.connection(stream).map_or(0, |c| c.len()), 4, "the segments before it are kept");
    // Nothing more is asked for: the connection shows what could be analysed.
    assert!(session.frames_to_reanalyse(stream, u64::MAX).is_empty());

    let mut session = placed(&bytes).unwrap();
    let frames = session.frames_to_reanalyse(stream, u64::MAX);
    let data: Vec<Option<&[u8]>> = frames.iter().enumerate().map(|(i, f)| (i != 5).then(|| &bytes[f.offset as usize..f.offset as usize + f.len as usize])).collect();
    session.reanalyse(stream, &frames, &data);
    assert!(session.reanalysis_failure(stream).unwrap().contains("could not be read"));
    assert_eq!(session.connection(stream).map_or(0, |c| c.len()), 5);
}

#[test]
fn a_placed_session_holds_a_third_of_a_packed_one_per_segment() {
    let bytes = bulk_after_a_syn();
    let whole = analyze_bytes(&bytes).unwrap();
    let mut session = placed(&bytes).unwrap();
    let per = |b: usize| b as f64 / whole.packet_count() as f64;
    let (packed, kept) = (whole.memory_bytes(), session.memory_bytes());
    session.reanalyse_from(1, &bytes);
    let shown = session.memory_bytes();
    println!("per segment: packed {:.1} B; placed {:.1} B, {:.1} B with the transfer shown", per(packed), per(kept), per(shown));
    assert!(kept * 5 / 2 < packed, "placed {kept} B, packed {packed} B");
    assert!(shown > kept + 80 * whole.packet_count() && shown < packed * 3 / 2, "the connection shown holds its segments packed: {shown} B");
    assert_eq!(std::mem::size_of::<tcp_ladder::reanalysis::SegmentPlace>(), 32);
}
