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

/// The whole path, bytes → session → layout → SVG, Mermaid, PlantUML, the JSON report and
/// explanations: no panic, and every coordinate a finite number. The input's last byte picks
/// the view's options (by time, absolute numbers, timing, every segment, hidden addresses,
/// given names, a window), so the fuzzer explores the views too, one view per run — three per
/// run made each run three times slower for the same coverage.
pub fn capture_to_diagrams(data: &[u8]) {
    check_views(data, &[options_from(data.last().copied().unwrap_or(0))]);
}

/// The same property in every view bit by bit (regression inputs are replayed this way: the
/// view that failed is not recorded with them).
pub fn capture_to_diagrams_every_view(data: &[u8]) {
    let views: Vec<LadderOptions> = (0..7).map(|bit| options_from(1 << bit)).chain([options_from(0)]).collect();
    check_views(data, &views);
}

fn check_views(data: &[u8], views: &[LadderOptions]) {
    let Ok(session) = analyze_bytes(data) else { return };
    let _ = crate::report::to_json(&session);
    for (s, options) in session.streams().iter().take(4).flat_map(|s| views.iter().map(move |o| (s, o))) {
        let Ok(conn) = session.connection(s.index) else { continue };
        let ladder = layout(&conn, options);
        assert!(ladder.height.is_finite() && ladder.width.is_finite());
        for a in &ladder.arrows {
            assert!([a.x1, a.y1, a.x2, a.y2, a.yc, a.label_x, a.label_y].iter().all(|v| v.is_finite()), "a non-finite coordinate at frame {}", a.frame);
        }
        let _ = (svg::render(&ladder), mermaid::render(&ladder), plantuml::render(&ladder));
        for i in 0..ladder.arrows.len().min(8) {
            let _ = explain(&conn, i);
        }
        stream_tools(&conn, session.file_bytes(data), options);
    }
}

/// Follow TCP Stream and a stream graph of the connection: every chunk's bytes within its
/// frame's payload, a plot with finite coordinates, its SVG and CSV (`file`: the bytes the
/// session read, decompressed).
/// The application's readers over bytes a stranger chose: the first byte picks the protocol,
/// the next ones cut the rest into pieces (some of them gaps), as a followed stream comes. No
/// panic, no hang, and each direction's messages lie end to end over every byte given, each
/// at least one byte long.
pub fn app_messages(data: &[u8]) {
    use crate::app::{self, Piece, Protocol};
    let Some((&pick, mut rest)) = data.split_first() else { return };
    let mut protocol = [Protocol::Http, Protocol::Tls, Protocol::Dns, Protocol::Unknown][usize::from(pick & 3)];
    // The fourth choice takes the next byte to choose among the others.
    if protocol == Protocol::Unknown {
        let Some((&more, after)) = rest.split_first() else { return };
        const MORE: [Protocol; 9] = [Protocol::Unknown, Protocol::Smtp, Protocol::Ftp, Protocol::SmtpOrFtp, Protocol::Pop3, Protocol::Imap, Protocol::Ssh, Protocol::Redis, Protocol::Http2];
        protocol = MORE[usize::from(more) % MORE.len()];
        rest = after;
    }
    let from_client = pick & 4 == 0;
    let commands = ["RETR", "LIST", "USER", "CAPA"].iter().map(|v| (v.to_string(), false)).collect();
    let context = app::Context { methods: vec!["HEAD".into(), "GET".into(), "CONNECT".into()], commands };
    let mut pieces = Vec::new();
    let mut total = 0u64;
    let mut at = 0;
    let mut cut = u64::from(pick >> 3) + 1;
    while at < rest.len() {
        let len = (cut as usize % 97 + 1).min(rest.len() - at);
        if cut % 11 == 0 {
            pieces.push(Piece::Gap(len as u64));
        } else {
            pieces.push(Piece::Bytes(&rest[at..at + len]));
        }
        total += len as u64;
        cut = cut.wrapping_mul(6364136223846793005).wrapping_add(u64::from(rest[at]));
        at += len;
    }
    let messages = app::read_direction(protocol, from_client, &context, pieces.into_iter());
    let mut end = 0;
    for m in &messages {
        assert_eq!(m.start, end, "a message does not start where the one before ended: {m:?}");
        assert!(m.end > m.start, "an empty message: {m:?}");
        end = m.end;
    }
    assert_eq!(end, total, "the messages do not cover every byte given");
}

fn stream_tools(conn: &crate::connection::Connection<'_>, file: &[u8], options: &LadderOptions) {
    // The application's messages of the connection, over the followed stream.
    let found = crate::report::messages::connection_messages(conn, file);
    for m in &found.messages {
        assert!(m.message.end > m.message.start && m.first_frame <= m.last_frame, "a misplaced message at frame {}", m.first_frame);
        let _ = crate::messages::summary(m);
    }
    use crate::graph::{csv::graph_csv, graph_data, plot, GraphKind, GraphRequest};
    let plan = crate::follow::follow(conn);
    for c in &plan.chunks {
        let bytes = crate::report::follow::chunk_bytes(conn, file, c);
        if let crate::follow::ChunkKind::Bytes { len, .. } = c.kind {
            assert!(bytes.len() <= len as usize, "a follow chunk longer than its length at frame {}", c.frame);
        }
    }
    // The view bits pick the graph too (by time, absolute, timing: 3 bits, 6 kinds).
    let bits = usize::from(options.by_time) | (usize::from(options.absolute) << 1) | (usize::from(options.timing) << 2);
    let kind = GraphKind::ALL[bits % GraphKind::ALL.len()];
    let range = options.window.map(|(a, b)| (f64::from(a) / 1e3, f64::from(b) / 1e3));
    let request = GraphRequest { stream: conn.index(), kind, from_client: options.hide_addresses.then_some(options.expand_all), range, y_range: range.map(|(a, b)| (a * 1e3, b * 1e6)), columns: 300 };
    let data = graph_data(conn, &request);
    let p = plot::plot(&data, 640.0, 300.0);
    assert!(p.marks.iter().all(|m| [m.x, m.y1, m.y2].iter().all(|v| v.is_finite())), "a non-finite graph mark");
    let _ = plot::to_svg(&p);
    let _ = graph_csv(conn, kind, range);
}

/// A view's options from one byte, a bit each.
fn options_from(bits: u8) -> LadderOptions {
    let on = |bit: u8| bits & (1 << bit) != 0;
    LadderOptions {
        by_time: on(0),
        absolute: on(1),
        timing: on(2),
        expand_all: on(3),
        hide_addresses: on(4),
        names: if on(5) { [Some("<b>&\"client\"".into()), Some("server\n%date()".into())] } else { [None, None] },
        window: on(6).then_some((0, 400)),
        ..Default::default()
    }
}

/// Any bytes as two captures (the first four bytes, little-endian, give the first's length;
/// the rest is the second) merged as two capture points (`tcp-ladder merge`), and the first
/// merged with itself and with its first half: never a panic; every segment of each side is
/// matched, lost between the points or seen only at that side; a capture with itself loses
/// nothing; every number finite.
pub fn merge_captures(data: &[u8]) {
    let Some((len, rest)) = data.split_first_chunk::<4>() else { return };
    let cut = (u32::from_le_bytes(*len) as usize).min(rest.len());
    let (a, b) = rest.split_at(cut);
    let (Ok(sa), Ok(sb)) = (analyze_bytes(a), analyze_bytes(b)) else { return };
    let half = analyze_bytes(&a[..a.len() / 2]).ok();
    for (x, y) in [(&sa, &sb), (&sa, &sa)].into_iter().chain(half.as_ref().map(|h| (&sa, h))) {
        let m = crate::merge::merge(x, y);
        for c in &m.connections {
            let only = |side: &str| c.lost_between.iter().filter(|l| l.capture == side).count();
            assert_eq!(c.segments_matched + only("a") + c.only_in_a.len(), c.segments_a, "A's segments each accounted for once");
            assert_eq!(c.segments_matched + only("b") + c.only_in_b.len(), c.segments_b, "B's segments each accounted for once");
            assert!(c.drift_ppm.is_none_or(f64::is_finite));
            for d in [c.path_ms.a_to_b, c.path_ms.b_to_a].into_iter().flatten() {
                assert!(d.min.is_finite() && d.median.is_finite() && d.max.is_finite() && d.min <= d.median && d.median <= d.max);
            }
        }
        if std::ptr::eq(x, y) {
            assert!(m.connections.iter().all(|c| c.lost_between.is_empty() && c.segments_matched == c.segments_a), "a capture with itself lost something");
        }
        let _ = crate::report::merge_text::merge_text(&m);
        let _ = serde_json::to_string(&m);
        // What the page draws of each pair: the ladder's rows are the pair's, the plot inside
        // its frame.
        for c in &m.connections {
            let l = crate::diagram::merged_layout::layout(c, ("a", "b"), 0, 50);
            assert_eq!(l.rows.len(), c.rows.len().min(50));
            if let Some(p) = crate::diagram::merged_delays::delay_plot(c) {
                assert!(p.ways.iter().flat_map(|w| &w.points).all(|&(x, y)| x.is_finite() && y.is_finite()));
            }
        }
    }
    // An offset set by hand, from the input's own bytes (any i64 the page's box could give,
    // and beyond): never a panic, the same segments matched.
    let hand = i64::from_le_bytes(data.get(..8).and_then(|b| b.try_into().ok()).unwrap_or_default()) >> 4;
    let by_hand = crate::merge::merge_with(&sa, &sb, &crate::merge::MergeOptions { offset_ns: Some(hand) });
    let estimated = crate::merge::merge(&sa, &sb);
    assert_eq!(by_hand.connections.iter().map(|c| c.segments_matched).collect::<Vec<_>>(), estimated.connections.iter().map(|c| c.segments_matched).collect::<Vec<_>>());
    for c in &by_hand.connections {
        let _ = crate::diagram::merged_words::connection_lines(c);
        let _ = crate::diagram::merged_delays::delay_plot(c);
    }
}
