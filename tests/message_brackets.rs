//! The ladder brackets each application message that more than one segment brings, beside its
//! sender's lifeline, from the frame of its first byte to the frame of its last: the same
//! frames as `tcp-ladder messages` gives, on the real captures of tests/captures/app.
#![cfg(not(target_arch = "wasm32"))]

mod common;

use common::{corpus_dir, read};
use tcp_ladder::diagram::{layout_with_messages, svg, LadderOptions};
use tcp_ladder::messages::arrow_labels;
use tcp_ladder::report::messages::connection_messages;
use tcp_ladder::session::analyze_bytes;

#[test]
fn each_message_over_several_segments_is_bracketed_at_its_frames() {
    let mut bracketed = 0;
    for name in ["http11_keepalive.pcap", "tls13.pcap", "smtp.pcap", "http2_h2c.pcap", "dns_tcp.pcap"] {
        let bytes = read(&corpus_dir("app").join(name));
        let session = analyze_bytes(&bytes).unwrap();
        let file = session.file_bytes(&bytes);
        for stream in 0..session.streams().len() as u32 {
            let conn = session.connection(stream).unwrap();
            let found = connection_messages(&conn, file);
            let marks = arrow_labels(&found, false);
            // Every segment shown: no run folds a message's ends into one row.
            let options = LadderOptions { expand_all: true, ..LadderOptions::default() };
            let ladder = layout_with_messages(&conn, &options, &marks);
            // What should be bracketed: each labelled message whose first and last bytes came
            // in different segments.
            let mut expected: Vec<(bool, u64, u64, u64)> = found
                .messages
                .iter()
                .filter(|p| p.first_index < p.last_index && marks.labels.contains_key(&(p.last_index as usize)))
                .filter(|p| !matches!(p.message.what, tcp_ladder::app::What::Unknown { .. } | tcp_ladder::app::What::Gap))
                .map(|p| (p.message.from_client, p.first_frame, p.last_frame, p.message.end - p.message.start))
                .collect();
            expected.sort_by_key(|e| (e.1, e.2));
            let got: Vec<(bool, u64, u64, u64)> = ladder
                .message_brackets
                .iter()
                .map(|b| {
                    let size: u64 = b.title.split(": ").nth(1).and_then(|t| t.split(" bytes of the ").next()).and_then(|n| n.parse().ok()).unwrap_or(0);
                    (b.from_client, b.first_frame, b.last_frame, size)
                })
                .collect();
            assert_eq!(got, expected, "{name} stream {stream}");
            for b in &ladder.message_brackets {
                // Beside the sender's lifeline, outside the lane, before a state's text.
                let lifeline = if b.from_client { ladder.client.x } else { ladder.server.x };
                let outside = if b.from_client { lifeline - b.x } else { b.x - lifeline };
                assert!((3.0..8.0).contains(&outside), "{name}: bracket at {} for lifeline {lifeline}", b.x);
                assert!(b.y1 < b.y2, "{name}: {b:?}");
                // At the tails of the arrows of its first and last frames.
                let tail = |frame: u64| ladder.arrows.iter().find(|a| a.frame == frame).map(|a| a.y1);
                assert_eq!((tail(b.first_frame), tail(b.last_frame)), (Some(b.y1), Some(b.y2)), "{name}: {b:?}");
                assert!(b.title.ends_with(&format!("with data, frames {}–{}", b.first_frame, b.last_frame)), "{}", b.title);
            }
            let drawn = svg::render(&ladder);
            assert_eq!(drawn.matches(r#"class="msg-bracket""#).count(), ladder.message_brackets.len(), "{name}");
            bracketed += ladder.message_brackets.len();
            // The application's messages hidden: no bracket.
            let hidden = layout_with_messages(&conn, &LadderOptions { hide_messages: true, ..options.clone() }, &marks);
            assert!(hidden.message_brackets.is_empty());
        }
    }
    // The keep-alive connection alone has 8 answers over several segments.
    assert!(bracketed >= 10, "only {bracketed} brackets");
}

#[test]
fn a_run_inside_a_message_is_titled_by_it_with_its_size() {
    let bytes = read(&corpus_dir("app").join("http11_keepalive.pcap"));
    let session = analyze_bytes(&bytes).unwrap();
    let conn = session.connection(0).unwrap();
    let found = connection_messages(&conn, session.file_bytes(&bytes));
    let ladder = layout_with_messages(&conn, &LadderOptions::default(), &arrow_labels(&found, false));
    // GET /big's answer: 100 000 bytes of body after a 161-byte head, folded into runs.
    let big = found.messages.iter().find(|p| p.message.end - p.message.start == 100_161).expect("the 100 000-byte answer");
    let inside: Vec<_> = ladder.groups.iter().filter(|g| g.first_frame > big.first_frame && g.last_frame < big.last_frame).collect();
    assert!(!inside.is_empty(), "no run inside the big answer");
    for g in inside {
        assert!(g.text.ends_with("part of 200 OK (a message of 100161 B)"), "{}", g.text);
    }
}
