//! Property tests: sequence-number arithmetic across the 2^32 wrap, and generated connections
//! (any initial sequence numbers, any segment sizes, windows and timing) through the whole
//! path: analysis, states, layout in every view, exports. No panic, no non-finite coordinate,
//! relative numbers that count bytes, and the textbook's close.
#![cfg(not(target_arch = "wasm32"))]

mod common;

use common::synth::{pcap_header, record, tcp_frame_between};
use proptest::prelude::*;
use tcp_ladder::diagram::{layout, mermaid, plantuml, svg, LadderOptions};
use tcp_ladder::session::analyze_bytes;
use tcp_ladder::tcp::seq;

proptest! {
    #[test]
    fn sequence_order_holds_across_the_wrap(base in any::<u32>(), d1 in 0u32..(1 << 31), d2 in 0u32..(1 << 31)) {
        let (a, b) = (base.wrapping_add(d1.min(d2)), base.wrapping_add(d1.max(d2)));
        prop_assert!(seq::le(a, b) && seq::ge(b, a));
        prop_assert_eq!(seq::lt(a, b), d1 != d2);
        prop_assert_eq!(seq::gt(b, a), d1 != d2);
        prop_assert!(!(seq::lt(a, b) && seq::gt(a, b)));
    }
}

const CLIENT: [u8; 4] = [10, 0, 0, 1];
const SERVER: [u8; 4] = [10, 0, 0, 2];
const SYN: u8 = 0x02;
const ACK: u8 = 0x10;
const PSH_ACK: u8 = 0x18;
const FIN_ACK: u8 = 0x11;

/// A connection as real stacks make it: handshake, data each way (each segment acknowledged),
/// the client's FIN, the server's ACK and FIN, the last ACK.
fn connection(isn_c: u32, isn_s: u32, sizes: &[(bool, u16)], gap_us: u32) -> Vec<u8> {
    let mut file = pcap_header(1);
    let mut n = 0u32;
    let mut push = |file: &mut Vec<u8>, from_client: bool, seq: u32, ack: u32, flags: u8, payload: &[u8]| {
        let (src, dst, sp, dp) = if from_client { (CLIENT, SERVER, 40000, 80) } else { (SERVER, CLIENT, 80, 40000) };
        let mut frame = tcp_frame_between(src, dst, sp, dp, seq, ack, flags, &[], payload);
        // Record times advance by `gap_us` microseconds per segment.
        let mut rec = Vec::new();
        record(&mut rec, 0, &frame);
        let t = u64::from(n) * u64::from(gap_us);
        rec[0..4].copy_from_slice(&(1_700_000_000 + (t / 1_000_000) as u32).to_le_bytes());
        rec[4..8].copy_from_slice(&((t % 1_000_000) as u32).to_le_bytes());
        file.extend(rec);
        frame.clear();
        n += 1;
    };
    let (mut c, mut s) = (isn_c, isn_s);
    push(&mut file, true, c, 0, SYN, &[]);
    c = c.wrapping_add(1);
    push(&mut file, false, s, c, SYN | ACK, &[]);
    s = s.wrapping_add(1);
    push(&mut file, true, c, s, ACK, &[]);
    for &(from_client, size) in sizes {
        let payload = vec![0x61; usize::from(size)];
        if from_client {
            push(&mut file, true, c, s, PSH_ACK, &payload);
            c = c.wrapping_add(u32::from(size));
            push(&mut file, false, s, c, ACK, &[]);
        } else {
            push(&mut file, false, s, c, PSH_ACK, &payload);
            s = s.wrapping_add(u32::from(size));
            push(&mut file, true, c, s, ACK, &[]);
        }
    }
    push(&mut file, true, c, s, FIN_ACK, &[]);
    c = c.wrapping_add(1);
    push(&mut file, false, s, c, ACK, &[]);
    push(&mut file, false, s, c, FIN_ACK, &[]);
    s = s.wrapping_add(1);
    push(&mut file, true, c, s, ACK, &[]);
    file
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    #[test]
    fn any_generated_connection_goes_through_the_whole_path(
        isn_c in prop_oneof![any::<u32>(), (u32::MAX - 3000)..=u32::MAX],
        isn_s in prop_oneof![any::<u32>(), (u32::MAX - 3000)..=u32::MAX],
        sizes in proptest::collection::vec((any::<bool>(), 1u16..1460), 0..40),
        gap_us in prop_oneof![Just(0u32), 1u32..2_000_000],
    ) {
        let file = connection(isn_c, isn_s, &sizes, gap_us);
        let session = analyze_bytes(&file).unwrap();
        prop_assert_eq!(session.streams().len(), 1);
        // Relative sequence numbers count bytes, whatever the initial numbers.
        let (mut c, mut s) = (1u32, 1u32);
        for p in session.packets().filter(|p| p.segment.payload_len > 0) {
            let next = if p.from_client { &mut c } else { &mut s };
            prop_assert_eq!(p.seq, *next, "frame {}", p.frame);
            *next += p.segment.payload_len;
            prop_assert!(p.analysis.flags.is_empty(), "frame {}: {:?}", p.frame, p.analysis.flags.names().collect::<Vec<_>>());
        }
        // The textbook close: the client ends in TIME-WAIT, the server in CLOSED.
        let states = session.connection(0).unwrap().states().clone();
        let last = |client: bool| states.side(client).last().map(|c| c.state.rfc_name());
        prop_assert_eq!(last(true), Some("TIME-WAIT"));
        prop_assert_eq!(last(false), Some("CLOSED"));
        for options in [
            LadderOptions::default(),
            LadderOptions { by_time: true, ..Default::default() },
            LadderOptions { timing: true, ..Default::default() },
            LadderOptions { expand_all: true, absolute: true, ..Default::default() },
        ] {
            let ladder = layout(&session.connection(0).unwrap(), &options);
            check_ladder(&ladder)?;
            let _ = (svg::render(&ladder), mermaid::render(&ladder), plantuml::render(&ladder));
        }
    }

    /// Arbitrary segment lists: any direction, flags, numbers, lengths and times (steps back
    /// included), as a damaged or hostile capture can hold them.
    #[test]
    fn any_segment_list_lays_out_with_finite_monotonic_rows(
        segments in proptest::collection::vec((any::<bool>(), any::<u8>(), any::<u32>(), any::<u32>(), 0u16..1500, 0u32..3_000_000), 1..60),
    ) {
        let mut file = pcap_header(1);
        let mut t = 0u64;
        for (i, &(from_client, flags, seq, ack, len, dt)) in segments.iter().enumerate() {
            let (src, dst, sp, dp) = if from_client { (CLIENT, SERVER, 40000, 80) } else { (SERVER, CLIENT, 80, 40000) };
            let frame = tcp_frame_between(src, dst, sp, dp, seq, ack, flags, &[], &vec![0x62; usize::from(len)]);
            let mut rec = Vec::new();
            record(&mut rec, i as u32, &frame);
            // Mostly forward in time, sometimes back.
            t = if dt % 7 == 0 { t.saturating_sub(u64::from(dt)) } else { t + u64::from(dt) };
            rec[0..4].copy_from_slice(&(1_700_000_000 + (t / 1_000_000) as u32).to_le_bytes());
            rec[4..8].copy_from_slice(&((t % 1_000_000) as u32).to_le_bytes());
            file.extend(rec);
        }
        let session = analyze_bytes(&file).unwrap();
        for s in session.streams().iter() {
            for options in [
                LadderOptions::default(),
                LadderOptions { by_time: true, ..Default::default() },
                LadderOptions { timing: true, ..Default::default() },
                LadderOptions { expand_all: true, ..Default::default() },
            ] {
                let ladder = layout(&session.connection(s.index).unwrap(), &options);
                check_ladder(&ladder)?;
                if !options.timing {
                    // Rows go down in capture order (the timing view slants by delays instead).
                    prop_assert!(ladder.arrows.windows(2).all(|w| w[0].y1 <= w[1].y1), "rows out of order");
                }
                let _ = (svg::render(&ladder), mermaid::render(&ladder), plantuml::render(&ladder));
            }
        }
    }
}

fn check_ladder(ladder: &tcp_ladder::diagram::Ladder) -> Result<(), TestCaseError> {
    for a in &ladder.arrows {
        prop_assert!([a.x1, a.y1, a.x2, a.y2, a.yc, a.label_x, a.label_y, a.tag_y].iter().all(|v| v.is_finite()), "frame {}", a.frame);
    }
    for p in &ladder.phases {
        prop_assert!([p.y1, p.y2, p.text_y].iter().all(|v| v.is_finite()));
    }
    prop_assert!(ladder.height.is_finite() && ladder.height > 0.0);
    Ok(())
}
