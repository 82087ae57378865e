//! A half-close is its own phase (issue #23), on every capture in the repository: no
//! "four-way close" bracket holds data that the side which had not yet closed sent after the
//! other's FIN, and the half-close phase's title counts exactly those bytes (every copy),
//! counted here from the segments between the two FINs.
#![cfg(not(target_arch = "wasm32"))]

mod common;

use common::{each_connection, every_capture};
use tcp_ladder::diagram::{layout, LadderOptions};

#[test]
fn data_after_a_fin_is_a_half_close_not_part_of_the_close() {
    let (mut closes, mut halves, mut problems) = (0usize, 0usize, Vec::new());
    each_connection(&every_capture(), |_, name, stream, conn| {
        let packets: Vec<_> = conn.packets().collect();
        let ladder = layout(&conn, &LadderOptions::default());
        for phase in ladder.phases.iter().filter(|p| p.kind == "four_way") {
            closes += 1;
            // The first FIN inside the bracket, and data from the other side after it that
            // comes before that side's own FIN.
            let inside: Vec<_> = packets.iter().filter(|p| p.frame >= phase.first_frame && p.frame <= phase.last_frame).collect();
            let Some(first_fin) = inside.iter().find(|p| p.segment.flags.fin()) else { continue };
            let other_fin = inside.iter().find(|p| p.segment.flags.fin() && p.from_client != first_fin.from_client).map(|p| p.frame);
            let data: u64 = inside
                .iter()
                .filter(|p| p.frame > first_fin.frame && p.from_client != first_fin.from_client && p.segment.payload_len > 0 && other_fin.is_none_or(|f| p.frame < f))
                .map(|p| u64::from(p.segment.payload_len))
                .sum();
            if data > 0 {
                problems.push(format!("{name} stream {stream}: {data} bytes after the first FIN inside the four-way bracket {}–{}", phase.first_frame, phase.last_frame));
            }
        }
        // (A lone FIN at the end has its own title: tests/every_fin_has_a_phase.rs.)
        for phase in ladder.phases.iter().filter(|p| p.kind == "half_close" && !p.title.starts_with("Half-closed at the end")) {
            halves += 1;
            let fin = packets.iter().find(|p| p.frame == phase.first_frame).unwrap();
            let other_fin = packets.iter().find(|p| p.segment.flags.fin() && p.from_client != fin.from_client).map(|p| p.frame);
            let data: u64 = packets
                .iter()
                .filter(|p| p.frame > fin.frame && p.from_client != fin.from_client && other_fin.is_none_or(|f| p.frame < f))
                .map(|p| u64::from(p.segment.payload_len))
                .sum();
            let (closer, other) = if fin.from_client { ("client", "server") } else { ("server", "client") };
            let want = format!("Half-close: the {other} kept sending {data} bytes after the {closer}'s FIN");
            if !fin.segment.flags.fin() || phase.title != want {
                problems.push(format!("{name} stream {stream}: {:?}, want {want:?}", phase.title));
            }
        }
    });
    assert!(closes >= 20 && halves >= 2, "only {closes} four-way closes, {halves} half-closes");
    assert!(problems.is_empty(), "{}:\n{}", problems.len(), problems.join("\n"));
}
