//! The core, run inside headless Chromium (`wasm-pack test --headless --chrome`): the same
//! real capture bytes give the same answers as tshark's oracle, in the browser's wasm.
#![cfg(target_arch = "wasm32")]

use serde_json::Value;
use tcp_ladder::diagram::{layout, LadderOptions};
use tcp_ladder::session::analyze_bytes;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

macro_rules! capture {
    ($dir:literal, $name:literal) => {
        (
            $name,
            include_bytes!(concat!("captures/", $dir, "/", $name)) as &[u8],
            include_str!(concat!("captures/", $dir, "/", $name, ".oracle.json")),
        )
    };
}

/// Captures that cover pcap (both byte orders and timestamp resolutions), pcapng (several
/// sections and interfaces, big-endian, custom blocks), gzip, and several link types.
const CAPTURES: [(&str, &[u8], &str); 11] = [
    capture!("public", "tcpdump_whois.pcap"),
    capture!("public", "tcpdump_tcp-handshake-nano.pcap"),
    capture!("public", "ndpi_anydesk.pcapng"),
    capture!("public", "zeek_http_1000-requests-one-dropped-response.pcap.gz"),
    capture!("public", "lwerdna_simple_http_sll2.pcap"),
    capture!("public", "zeek_redis_pubsub.pcap"),
    capture!("public", "zeek_http-qinq-0.pcap"),
    capture!("generated", "pcapng-3-interfaces-tsresol.pcapng"),
    capture!("generated", "pcapng-2-sections-mixed-order.pcapng"),
    capture!("generated", "pcapng-be-custom-blocks.pcapng"),
    capture!("generated", "pcap-be-nsec.pcap"),
];

#[wasm_bindgen_test]
fn real_captures_match_the_oracle_in_the_browser() {
    for (name, bytes, oracle) in CAPTURES {
        let oracle: Value = serde_json::from_str(oracle).unwrap();
        let session = analyze_bytes(bytes).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert!(session.damage.is_none(), "{name}: unexpected damage");
        assert_eq!(session.format.packets, oracle["summary"]["packets_in_file"].as_u64().unwrap(), "{name}: packets");
        let expected = oracle["packets"].as_array().unwrap();
        assert_eq!(session.packet_count(), expected.len(), "{name}: TCP packets");
        for (ours, theirs) in session.packets().zip(expected) {
            let t = theirs["time_relative"].as_f64().unwrap();
            assert!((ours.time_ns as f64 / 1e9 - t).abs() < 1e-6, "{name} frame {}: time", ours.frame);
        }
        for (ours, theirs) in session.packets().zip(expected) {
            let frame = theirs["frame"].as_u64().unwrap();
            assert_eq!(ours.frame, frame, "{name}: frame order");
            assert_eq!(u64::from(ours.stream), theirs["stream"].as_u64().unwrap(), "{name} frame {frame}: stream");
            assert_eq!(ours.segment.flags.names(), theirs["flags"].as_str().unwrap(), "{name} frame {frame}: flags");
            assert_eq!(u64::from(ours.seq), theirs["seq"].as_u64().unwrap(), "{name} frame {frame}: seq");
            assert_eq!(u64::from(ours.ack), theirs["ack"].as_u64().unwrap(), "{name} frame {frame}: ack");
            assert_eq!(u64::from(ours.segment.payload_len), theirs["len"].as_u64().unwrap(), "{name} frame {frame}: len");
            assert_eq!(u64::from(ours.window), theirs["window_size"].as_u64().unwrap(), "{name} frame {frame}: window");
        }
        let streams = oracle["streams"].as_array().unwrap();
        assert_eq!(session.streams().len(), streams.len(), "{name}: streams");
        for (ours, theirs) in session.streams().iter().zip(streams) {
            assert_eq!(ours.packets, theirs["packets"].as_u64().unwrap(), "{name} stream {}: packets", ours.index);
        }
    }
}

#[wasm_bindgen_test]
fn the_ladder_has_one_arrow_per_segment_in_the_browser() {
    let (name, bytes, _) = CAPTURES[0];
    let session = analyze_bytes(bytes).unwrap();
    let ladder = layout(&session.connection(0).unwrap(), &LadderOptions::default());
    assert_eq!(ladder.arrows.len(), 11, "{name}");
    assert!(ladder.arrows[0].label.starts_with("SYN seq=0"), "{}", ladder.arrows[0].label);
}

#[wasm_bindgen_test]
fn a_damaged_capture_keeps_what_was_read_in_the_browser() {
    let (_, bytes, _) = CAPTURES[0];
    let cut = &bytes[..bytes.len() - 30];
    let session = analyze_bytes(cut).unwrap();
    let damage = session.damage.expect("damage reported");
    assert_eq!(damage.after_frame, 10);
    assert_eq!(session.format.packets, 11, "the partial last frame is kept");
    assert!(analyze_bytes(b"<!DOCTYPE html><html>").unwrap_err().message.contains("HTML"));
}

/// The worker's core in the browser's wasm: every capture read in slices through the service
/// gives the connections, rows and layouts of a whole read, and a cancel keeps what was read.
#[wasm_bindgen_test]
fn the_worker_service_reads_in_slices_in_the_browser() {
    use tcp_ladder::listing::{rows, SortKey};
    use tcp_ladder::service::Service;
    for (name, bytes, _) in CAPTURES {
        let whole = analyze_bytes(bytes).unwrap();
        // Keeping every segment, and (as the worker does) keeping only their places and
        // reading a connection's frames again when it is shown.
        for mut service in [Service::new(), Service::placed()] {
            service.open(bytes.len() as u64);
            for piece in bytes.chunks(1000) {
                service.push(piece).unwrap();
            }
            let summary = service.finish(false).unwrap();
            assert_eq!(summary.connections as usize, whole.streams().len(), "{name}");
            assert_eq!(summary.frames, whole.format.packets, "{name}");
            let page = service.list("", SortKey::Stream, 0, 1000);
            assert_eq!(page.rows, rows(&whole, "", SortKey::Stream).into_iter().take(1000).collect::<Vec<_>>(), "{name}");
            for stream in 0..whole.streams().len().min(3) as u32 {
                loop {
                    let frames = service.frames_to_read(stream);
                    if frames.is_empty() {
                        break;
                    }
                    let read: Vec<Option<Vec<u8>>> = frames.iter().map(|f| bytes.get(f.offset as usize..(f.offset + u64::from(f.len)) as usize).map(<[u8]>::to_vec)).collect();
                    service.give_frames(stream, &frames, &read);
                }
                assert_eq!(service.layout(stream, &LadderOptions::default()), Some(layout(&whole.connection(stream).unwrap(), &LadderOptions::default())), "{name} stream {stream}");
            }
        }
    }
    let (_, bytes, _) = CAPTURES[3];
    let mut service = Service::new();
    service.open(bytes.len() as u64);
    service.push(&bytes[..bytes.len() / 2]).unwrap();
    let summary = service.finish(true).unwrap();
    assert!(summary.cancelled && summary.damage.is_some_and(|d| d.contains("cancelled")));
}

/// The evidence-based states, the capture point, the timing view and the lesson, in the
/// browser's wasm, on the real delayed-path capture of crossing FINs (captured in the middle).
#[wasm_bindgen_test]
fn textbook_ladder_in_the_browser() {
    use tcp_ladder::diagram::lesson::lesson_step;
    use tcp_ladder::tcp::{capture_point, Near, Timed};
    let bytes = include_bytes!("captures/delayed/crossing_middle.pcap");
    let session = analyze_bytes(bytes).unwrap();
    let states = session.connection(0).unwrap().states().clone();
    for client in [true, false] {
        let path: Vec<&str> = states.side(client).iter().map(|c| c.state.rfc_name()).collect();
        assert!(path.ends_with(&["FIN-WAIT-1", "CLOSING", "TIME-WAIT"]), "{path:?}");
    }
    let point = capture_point(session.connection(0).unwrap().packets().map(|p| Timed::of(&p))).unwrap();
    assert_eq!(point.near, Near::Between);
    assert!((10.0..11.5).contains(&point.client_ms) && (15.0..16.5).contains(&point.server_ms), "{point:?}");
    let timing = layout(&session.connection(0).unwrap(), &LadderOptions { timing: true, ..Default::default() });
    assert!(timing.capture.is_some());
    assert!(timing.arrows.iter().all(|a| a.y2 > a.y1 && a.y1 <= a.yc && a.yc <= a.y2), "slanted through the capture point");
    assert!(tcp_ladder::diagram::text_box::overlapping_pairs(&timing.text_boxes()).is_empty());
    let last = lesson_step(&session.connection(0).unwrap(), 10).unwrap();
    assert_eq!((last.sides[0].state, last.sides[1].state), ("TIME-WAIT", "TIME-WAIT"));
}
