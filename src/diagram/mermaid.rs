//! The ladder as Mermaid `sequenceDiagram` text, for documents that render Mermaid.

use super::ladder::Ladder;

fn clean(text: &str) -> String {
    // Mermaid reads ';' and '#' specially in messages and notes.
    text.replace(';', ",").replace('#', "№")
}

pub fn render(ladder: &Ladder) -> String {
    let mut out = String::from("sequenceDiagram\n");
    out.push_str(&format!("    participant C as client {}\n", clean(&ladder.client.name)));
    out.push_str(&format!("    participant S as server {}\n", clean(&ladder.server.name)));
    if let Some(c) = &ladder.capture {
        // Mermaid draws no slanted arrows: the timing view says where the capture was taken and
        // gives each message its capture time.
        out.push_str(&format!("    Note over C,S: {} (timing view: times are capture times)\n", clean(&c.label)));
    }
    let mut phases = ladder.phases.iter().peekable();
    let mut open_phase: Option<u64> = None;
    let mut groups = ladder.groups.iter().peekable();
    for a in &ladder.arrows {
        while let Some(g) = groups.peek() {
            if g.first_frame > a.frame {
                break;
            }
            out.push_str(&format!("    Note over C,S: {}\n", clean(&g.text.replace(" (click to expand)", ""))));
            groups.next();
        }
        // One phase box at a time: a phase that starts inside another (a reset in an unfinished
        // handshake) closes the open box first, so every `rect` has its `end`.
        while let Some(p) = phases.peek() {
            if p.first_frame > a.frame {
                break;
            }
            if open_phase.take().is_some() {
                out.push_str("    end\n");
            }
            out.push_str(&format!("    rect rgba(127, 127, 127, 0.12)\n    Note over C,S: {}\n", clean(&p.title)));
            open_phase = Some(p.last_frame);
            phases.next();
        }
        for st in ladder.states.iter().filter(|s| s.frame == a.frame && s.state == "LISTEN") {
            out.push_str(&format!("    Note {} {}: {}\n", if st.client { "left of" } else { "right of" }, if st.client { "C" } else { "S" }, st.display()));
        }
        let (from, to) = if a.from_client { ("C", "S") } else { ("S", "C") };
        let mut msg = a.label.clone();
        for t in &a.tags {
            msg.push_str(&format!(" [{}]", t.text));
        }
        if ladder.capture.is_some() {
            msg.push_str(&format!(" @ {} s", a.time_text()));
        }
        out.push_str(&format!("    {from}->>{to}: {} (frame {})\n", clean(&msg), a.frame));
        for st in ladder.states.iter().filter(|s| s.frame == a.frame && s.state != "LISTEN") {
            out.push_str(&format!("    Note {} {}: {}\n", if st.client { "left of" } else { "right of" }, if st.client { "C" } else { "S" }, st.display()));
        }
        if open_phase.is_some_and(|last| last <= a.frame) {
            out.push_str("    end\n");
            open_phase = None;
        }
    }
    if open_phase.is_some() {
        out.push_str("    end\n");
    }
    out
}
