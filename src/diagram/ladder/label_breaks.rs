//! How many lines an arrow's label takes, and where it breaks: in narrow lanes every label may
//! wrap; in wide lanes only one carrying an application's words before its TCP numbers can.

use crate::connection::Connection;
use crate::tcp::TcpPacket;

use super::model::LadderOptions;

/// Per segment, the lines its label takes (empty: one line each, wide lanes without messages
/// or the timing view). `labelled`: segments carrying an application's words.
pub(super) fn label_lines(conn: &Connection<'_>, options: &LadderOptions, side_columns: bool, labelled: &[usize], label_of: &dyn Fn(usize, &TcpPacket) -> String, room: f32) -> Vec<u8> {
    let n = conn.len();
    if options.timing {
        Vec::new()
    } else if !side_columns {
        (0..n).map(|i| conn.packet(i).map_or(1, |p| label_breaks(&label_of(i, &p), room).len() as u8 + 1)).collect()
    } else if labelled.is_empty() || options.hide_messages {
        // Wide lanes: a TCP label fits on one line.
        Vec::new()
    } else {
        let mut lines = vec![1u8; n];
        for &i in labelled.iter().filter(|&&i| i < n) {
            if let Some(p) = conn.packet(i) {
                lines[i] = label_breaks(&label_of(i, &p), room).len() as u8 + 1;
            }
        }
        lines
    }
}

/// Where an arrow's label goes on to another line in `room`: an application's words before
/// its TCP numbers (" · ") end their own line when the whole does not fit on one.
pub(super) fn label_breaks(label: &str, room: f32) -> Vec<usize> {
    let whole = line_breaks(label, 12.0, room);
    match label.find(" · ") {
        Some(at) if !whole.is_empty() => {
            let tcp = at + " · ".len();
            // The words are wrapped without their " ·", which ends their last line (a "·"
            // alone on a line said nothing).
            let mut breaks = line_breaks(&label[..at], 12.0, room);
            breaks.push(tcp);
            breaks.extend(line_breaks(&label[tcp..], 12.0, room).into_iter().map(|b| b + tcp));
            breaks
        }
        _ => whole,
    }
}

/// Where `label` goes on to a new line to fit `room` units at `size` px: after the last space
/// that keeps each line within it (a word longer than the room keeps its line).
pub(super) fn line_breaks(label: &str, size: f32, room: f32) -> Vec<usize> {
    let fits = |a: usize, b: usize| crate::draw::text_width::mono(label[a..b].trim_end(), size) <= room;
    let mut breaks = Vec::new();
    let mut start = 0;
    let mut last_space = None;
    for (i, _) in label.match_indices(' ') {
        if !fits(start, i) {
            if let Some(at) = last_space.filter(|&at| at > start) {
                breaks.push(at);
                start = at;
            }
        }
        last_space = Some(i + 1);
    }
    if !fits(start, label.len()) {
        if let Some(at) = last_space.filter(|&at| at > start) {
            breaks.push(at);
        }
    }
    breaks
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_separator_never_stands_alone_on_a_line() {
        let label = "TLS ChangeCipherSpec, encrypted handshake (inferred) · PSH,ACK seq=258 ack=791 win=64512 len=80";
        for room in (40..400).step_by(5).map(|r| r as f32) {
            let breaks = label_breaks(label, room);
            let mut cuts = vec![0];
            cuts.extend(&breaks);
            cuts.push(label.len());
            for w in cuts.windows(2) {
                let line = label[w[0]..w[1]].trim();
                assert!(line != "·" && !line.starts_with('·'), "room {room}: line {line:?} of {breaks:?}");
            }
        }
    }
}
