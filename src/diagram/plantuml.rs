//! The ladder as PlantUML sequence-diagram text.

use super::ladder::Ladder;

pub fn render(ladder: &Ladder) -> String {
    let mut out = String::from("@startuml\n");
    out.push_str(&format!("participant \"client\\n{}\" as C\n", ladder.client.name));
    out.push_str(&format!("participant \"server\\n{}\" as S\n", ladder.server.name));
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
        let (from, to) = if a.from_client { ("C", "S") } else { ("S", "C") };
        let mut msg = a.label.clone();
        for t in &a.tags {
            msg.push_str(&format!(" [{}]", t.text));
        }
        out.push_str(&format!("{from} -> {to} : {msg} (frame {})\n", a.frame));
        for st in ladder.states.iter().filter(|s| s.frame == a.frame) {
            out.push_str(&format!("hnote over {} : {}\n", if st.client { "C" } else { "S" }, st.display()));
        }
    }
    out.push_str("@enduml\n");
    out
}
