//! Prints what the ladder of one connection says in words: its phases with their captions,
//! each endpoint's states with why, and every segment's explanation. For reviewing the
//! sentences as a teacher reads them.
//!
//!     cargo run --example explain -- FILE STREAM [MAX_SEGMENTS]

use tcp_ladder::diagram::{explain, layout, LadderOptions};
use tcp_ladder::session::analyze_bytes;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (Some(path), Some(stream)) = (args.first(), args.get(1).and_then(|s| s.parse::<u32>().ok())) else {
        eprintln!("usage: explain FILE STREAM [MAX_SEGMENTS]");
        std::process::exit(2);
    };
    let max: usize = args.get(2).and_then(|s| s.parse().ok()).unwrap_or(40);
    let session = analyze_bytes(&std::fs::read(path).expect("readable file")).expect("a capture");
    let Ok(conn) = session.connection(stream) else {
        eprintln!("no stream {stream}");
        std::process::exit(2);
    };
    let ladder = layout(&conn, &LadderOptions { expand_all: true, ..Default::default() });
    for p in &ladder.phases {
        println!("[{} {}–{}] {}: {}", p.kind, p.first_frame, p.last_frame, p.title, p.caption);
    }
    for s in &ladder.states {
        println!("  {} {} @{}: {}", if s.client { "client" } else { "server" }, s.display(), s.frame, s.why);
    }
    for a in ladder.arrows.iter().take(max) {
        println!("{:>6} {}", a.frame, explain(&conn, a.index).unwrap_or_default());
    }
}
