//! The ladder as PlantUML sequence-diagram text.

use super::ladder::Ladder;

pub fn render(ladder: &Ladder) -> String {
    let mut out = String::from("@startuml\n");
    if ladder.capture.is_some() {
        // teoz draws slanted arrows: `->(N)` descends N pixels, the one-way delay to scale.
        out.push_str("!pragma teoz true\n");
    }
    out.push_str(&format!("participant \"client\\n{}\" as C\n", ladder.client.name));
    out.push_str(&format!("participant \"server\\n{}\" as S\n", ladder.server.name));
    if let Some(c) = &ladder.capture {
        out.push_str(&format!("note across : {}\n", c.label));
    }
    let mut groups = ladder.groups.iter().peekable();
    for a in &ladder.arrows {
        while let Some(g) = groups.peek() {
            if g.first_frame > a.frame {
                break;
            }
            out.push_str(&format!("... {} ...\n", g.text.replace(" (click to expand)", "")));
            groups.next();
        }
        if let Some(p) = ladder.phases.iter().find(|p| p.first_frame == a.frame) {
            out.push_str(&format!("== {} ==\n", p.title));
        }
        // LISTEN held before the SYN arrived: its note goes above the arrow.
        for st in ladder.states.iter().filter(|s| s.frame == a.frame && s.state == "LISTEN") {
            out.push_str(&format!("hnote over {} : {}\n", if st.client { "C" } else { "S" }, st.display()));
        }
        let (from, to) = if a.from_client { ("C", "S") } else { ("S", "C") };
        let mut msg = a.label.clone();
        for t in &a.tags {
            msg.push_str(&format!(" [{}]", t.text));
        }
        let slant = if ladder.capture.is_some() { format!("({})", ((a.y2 - a.y1).max(0.0).round() as u32).min(80)) } else { String::new() };
        out.push_str(&format!("{from} ->{slant} {to} : {msg} (frame {})\n", a.frame));
        for st in ladder.states.iter().filter(|s| s.frame == a.frame && s.state != "LISTEN") {
            out.push_str(&format!("hnote over {} : {}\n", if st.client { "C" } else { "S" }, st.display()));
        }
    }
    out.push_str("@enduml\n");
    out
}
