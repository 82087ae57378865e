//! The properties the fuzz targets (`fuzz/`) check, as plain functions: libFuzzer calls them
//! with generated inputs, and `tests/fuzz_regressions.rs` calls them with every input a fuzz
//! run ever found (`fuzz/regressions/`), so a fixed crash stays fixed without a fuzzer.

use crate::capture::{read_capture, CaptureReader};
use crate::diagram::{explain, layout, mermaid, plantuml, svg, LadderOptions};
use crate::session::analyze_bytes;

/// Any bytes as a whole capture file: frames, damage or "not a capture"; never a panic, and no
/// frame larger than the file (or, gzip-compressed, than what it decompresses to).
pub fn read_whole(data: &[u8]) {
    let gzip = data.starts_with(&[0x1f, 0x8b]);
    let _ = read_capture(data, &mut |f| {
        assert!(gzip || f.data.len() <= data.len(), "a frame larger than the file");
    });
}

/// Any bytes fed to the streaming reader in pieces (the first byte picks the piece size, as a
/// browser's file slices would cut them): the same frames as a whole read.
pub fn read_streamed(input: &[u8]) {
    let Some((&size, data)) = input.split_first() else { return };
    let piece = usize::from(size % 64) + 1;
    let mut whole = Vec::new();
    let whole_ok = read_capture(data, &mut |f| whole.push((f.number, f.data.to_vec()))).is_ok();
    let mut streamed = Vec::new();
    let mut reader = CaptureReader::new(Some(data.len() as u64));
    let mut failed = false;
    for chunk in data.chunks(piece) {
        if reader.push(chunk, &mut |f| streamed.push((f.number, f.data.to_vec()))).is_err() {
            failed = true;
            break;
        }
    }
    if !failed {
        failed = reader.finish(&mut |f| streamed.push((f.number, f.data.to_vec()))).is_err();
    }
    if whole_ok && !failed {
        assert_eq!(whole, streamed, "streamed frames differ from a whole read");
    }
}

/// Any bytes as a frame of a link type (the first two bytes pick it): classified, never a panic.
pub fn decode_frame(input: &[u8]) {
    if input.len() < 2 {
        return;
    }
    let link_type = u32::from(u16::from_le_bytes([input[0], input[1]]) % 300);
    let data = &input[2..];
    let _ = crate::decode::decode(link_type, data, data.len() as u32);
}

/// The whole path, bytes → session → layout (three views) → SVG, Mermaid, PlantUML, the JSON
/// report and explanations: no panic, and every coordinate a finite number.
pub fn capture_to_diagrams(data: &[u8]) {
    let Ok(session) = analyze_bytes(data) else { return };
    let _ = crate::report::to_json(&session);
    for s in session.streams().iter().take(4) {
        for options in [
            LadderOptions::default(),
            LadderOptions { by_time: true, absolute: true, ..Default::default() },
            LadderOptions { timing: true, ..Default::default() },
        ] {
            let Some(ladder) = layout(&session, s.index, &options) else { continue };
            assert!(ladder.height.is_finite() && ladder.width.is_finite());
            for a in &ladder.arrows {
                assert!([a.x1, a.y1, a.x2, a.y2, a.yc, a.label_x, a.label_y].iter().all(|v| v.is_finite()), "a non-finite coordinate at frame {}", a.frame);
            }
            let _ = (svg::render(&ladder), mermaid::render(&ladder), plantuml::render(&ladder));
            for i in 0..ladder.arrows.len().min(8) {
                let _ = explain(&session, s.index, i);
            }
        }
    }
}
