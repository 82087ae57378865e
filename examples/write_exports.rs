//! Writes the Mermaid and PlantUML exports of the corpus's connections into a folder, for
//! `tests/exports/render_exports.mjs` to render in the tools they are made for (mermaid-cli in
//! Chromium, Debian's PlantUML). The text is exactly what the page's export buttons save.
//!
//!     cargo run --release --example write_exports -- OUT_DIR [--all] [--svg]
//!
//! Without `--all`, a sample the test command can afford: the first connection of every
//! capture, the connections whose exports were once broken (a phase inside another, a text
//! beyond Mermaid's limit), every connection of the delayed-path captures in the timing view,
//! the lossy-path captures (loss-recovery episodes and the congestion band),
//! and names a teacher might type that mean something to Mermaid or PlantUML. With `--all`:
//! every connection in the collapsed and the timing view, every connection under 1 500
//! segments with every segment shown, and each capture's first connection with hidden
//! addresses. With `--svg`, each view's SVG export (`svg::render`, what the page's button and
//! `tcp-ladder render` save) is written beside them too, for `tests/exports/check_identical.sh`.

use std::path::{Path, PathBuf};

use tcp_ladder::diagram::{layout, mermaid, plantuml, svg, LadderOptions};
use tcp_ladder::session::analyze_bytes;

/// Connections whose exports broke before (issue 11): a reset inside an unfinished handshake
/// (nested phases) and texts far beyond Mermaid's 50 000 characters.
const NAMED: &[(&str, u32)] = &[
    ("zeek_tcp_rst-inject-rae.pcap", 0),
    ("ndpi_rtsp.pcap", 4),
    ("ndpi_1kxun.pcap", 0),
    ("zeek_tcp_reassembly.pcap", 0),
];

/// Endpoint names with characters Mermaid and PlantUML read specially.
const AWKWARD_NAMES: [&str; 2] = ["browser; #1 <b>\"me\"</b> %% x", "web server -> @enduml ==\nend"];

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some(out) = args.iter().find(|a| !a.starts_with("--")).map(PathBuf::from) else {
        eprintln!("usage: write_exports OUT_DIR [--all] [--svg]");
        std::process::exit(2);
    };
    let all = args.iter().any(|a| a == "--all");
    let with_svg = args.iter().any(|a| a == "--svg");
    std::fs::create_dir_all(&out).expect("output folder");
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/captures");
    let mut written = 0usize;
    // (lossy: the loss-recovery episodes and the congestion band, issue #23.)
    for which in ["public", "real", "delayed", "lossy"] {
        for path in captures(&root.join(which)) {
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            let Ok(session) = analyze_bytes(&std::fs::read(&path).unwrap()) else { continue };
            for (i, s) in session.streams().iter().enumerate() {
                let named = NAMED.iter().any(|(n, k)| *n == name && *k == s.index);
                let mut views: Vec<(&str, LadderOptions)> = Vec::new();
                if all || i == 0 || named {
                    views.push(("collapsed", LadderOptions::default()));
                }
                if all || named || which == "delayed" {
                    views.push(("timing", LadderOptions { timing: true, ..Default::default() }));
                }
                if (all && s.packets < 1500) || named {
                    views.push(("every", LadderOptions { expand_all: true, ..Default::default() }));
                }
                if i == 0 && (all || which == "delayed" || named) {
                    views.push((
                        "hidden",
                        LadderOptions { hide_addresses: true, names: AWKWARD_NAMES.map(|n| Some(n.to_string())), ..Default::default() },
                    ));
                }
                for (view, options) in views {
                    let Ok(conn) = session.connection(s.index) else { continue };
                    let ladder = layout(&conn, &options);
                    let stem = format!("{}__s{}__{view}", name.replace('.', "_"), s.index);
                    std::fs::write(out.join(format!("{stem}.mmd")), mermaid::render(&ladder)).unwrap();
                    std::fs::write(out.join(format!("{stem}.puml")), plantuml::render(&ladder)).unwrap();
                    if with_svg {
                        std::fs::write(out.join(format!("{stem}.svg")), svg::render(&ladder)).unwrap();
                    }
                    written += 1;
                }
            }
        }
    }
    println!("{written} connections' exports written to {}", out.display());
}

/// The captures of one corpus folder (those with a tshark oracle beside them), sorted.
fn captures(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|d| d.map(|e| e.unwrap().path()).collect())
        .unwrap_or_default();
    files.retain(|p| !p.to_string_lossy().ends_with(".oracle.json") && Path::new(&format!("{}.oracle.json", p.display())).exists());
    files.sort();
    files
}
