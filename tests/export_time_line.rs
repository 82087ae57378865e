//! The SVG export's "Where the time went" sentence under the ladder stays inside the drawing:
//! wrapped to the diagram's width, every line within its height (issue #24: it ran off the
//! right edge, "…(client 0.006 ms, server 0.004 ms: stack time, not a pa").
#![cfg(not(target_arch = "wasm32"))]

mod common;

use common::{corpus_files, each_connection};
use tcp_ladder::diagram::{layout, svg, LadderOptions};

/// 12 px monospace: a character is at most 0.6 em wide.
const CHAR_WIDTH: f32 = 7.2;

#[test]
fn the_time_line_stays_within_the_svg() {
    let mut files = corpus_files("real");
    files.extend(corpus_files("lossy"));
    files.extend(corpus_files("delayed"));
    let (mut lines_checked, mut wrapped) = (0, 0);
    each_connection(&files, |_, name, stream, conn| {
        let ladder = layout(conn, &LadderOptions::default());
        let text = svg::render(&ladder);
        let lines: Vec<&str> = text.split(r#"<text class="time-split" "#).skip(1).collect();
        assert!(!lines.is_empty(), "{name} stream {stream}: no time line");
        wrapped += usize::from(lines.len() > 1);
        for l in &lines {
            let y: f32 = l.split("y=\"").nth(1).and_then(|r| r.split('"').next()).and_then(|v| v.parse().ok()).unwrap();
            let body = l.split('>').nth(1).and_then(|r| r.split("</text").next()).unwrap();
            let chars = body.replace("&#39;", "'").replace("&quot;", "\"").replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">").chars().count();
            assert!(10.0 + chars as f32 * CHAR_WIDTH <= ladder.width, "{name} stream {stream}: {chars} characters run past {}: {body}", ladder.width);
            assert!(y <= ladder.height && y > ladder.height - 16.0 * lines.len() as f32 - 8.0, "{name} stream {stream}: line at y {y} of {}", ladder.height);
            lines_checked += 1;
        }
    });
    assert!(lines_checked > 20 && wrapped > 0, "{lines_checked} lines, {wrapped} wrapped");
}
