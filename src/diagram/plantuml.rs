//! The ladder as PlantUML sequence-diagram text.

use super::export_text::plantuml_text as text;
use super::ladder::Ladder;

pub fn render(ladder: &Ladder) -> String {
    let mut out = String::from("@startuml\n");
    out.push_str(&format!("participant \"client\\n{}\" as C\n", text(&ladder.client.name)));
    out.push_str(&format!("participant \"server\\n{}\" as S\n", text(&ladder.server.name)));
    if let Some(c) = &ladder.capture {
        // Slanted arrows (teoz `->(N)`) need PlantUML 1.2021 or later; the PlantUML most
        // systems ship (Debian's 1.2020) rejects them. So, as in Mermaid, the timing view says
        // where the capture was taken and gives each message its capture time.
        out.push_str(&format!("note across : {} (timing view: times are capture times)\n", text(&c.label)));
    }
    let mut groups = ladder.groups.iter().peekable();
    for a in &ladder.arrows {
        while let Some(g) = groups.peek() {
            if g.first_frame > a.frame {
                break;
            }
            out.push_str(&format!("... {} ...\n", text(&g.text)));
            groups.next();
        }
        if let Some(p) = ladder.phases.iter().find(|p| p.first_frame == a.frame) {
            out.push_str(&format!("== {} ==\n", text(&p.title)));
        }
        // LISTEN held before the SYN arrived: its note goes above the arrow.
        for st in ladder.states.iter().filter(|s| s.frame == a.frame && s.state == "LISTEN") {
            out.push_str(&format!("hnote over {} : {}\n", if st.client { "C" } else { "S" }, text(&st.display())));
        }
        let (from, to) = if a.from_client { ("C", "S") } else { ("S", "C") };
        let mut msg = a.label.clone();
        for t in &a.tags {
            msg.push_str(&format!(" [{}]", t.text));
        }
        if ladder.capture.is_some() {
            msg.push_str(&format!(" @ {} s", a.time));
        }
        out.push_str(&format!("{from} -> {to} : {} (frame {})\n", text(&msg), a.frame));
        for st in ladder.states.iter().filter(|s| s.frame == a.frame && s.state != "LISTEN") {
            out.push_str(&format!("hnote over {} : {}\n", if st.client { "C" } else { "S" }, text(&st.display())));
        }
    }
    out.push_str("@enduml\n");
    out
}
