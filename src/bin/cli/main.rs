//! `tcp-ladder`: the command-line tool, on the same core as the web page.

#[cfg(not(target_arch = "wasm32"))]
mod args;

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    std::process::exit(native::run());
}

// The wasm build of the package compiles every binary; the CLI has nothing to do there.
#[cfg(target_arch = "wasm32")]
fn main() {}

#[cfg(not(target_arch = "wasm32"))]
mod native {
    use std::io::{Read, Write};
    use std::path::Path;

    use clap::{CommandFactory, Parser};

    use super::args::*;
    use tcp_ladder::report::streaming::{write_analysis_with_messages, AnalyzeError, AnalyzeOptions, OutputFormat};
    use tcp_ladder::session::{analyze_bytes, analyze_bytes_within, Session};

    /// A failure worth exit status 2, with what to print.
    struct Fail(String);

    pub fn run() -> i32 {
        let cli = Cli::parse();
        let outcome = match cli.command {
            Command::Analyze(a) => analyze(&a),
            Command::Messages(m) => messages(&m),
            Command::Merge(m) => merge(&m),
            Command::Render(r) => render(&r),
            Command::Follow(f) => follow(&f),
            Command::Graph(g) => graph(&g),
            Command::Explain(e) => explain(&e),
            Command::Completions { shell } => {
                clap_complete::generate(shell, &mut Cli::command(), "tcp-ladder", &mut std::io::stdout());
                Ok(0)
            }
            Command::Man { subcommand } => man(subcommand.as_deref()),
        };
        match outcome {
            Ok(code) => code,
            Err(Fail(message)) => {
                eprintln!("tcp-ladder: {message}");
                2
            }
        }
    }

    fn man(subcommand: Option<&str>) -> Result<i32, Fail> {
        let mut command = Cli::command();
        command.build();
        let page = match subcommand {
            None => command,
            Some(name) => {
                let sub = command.find_subcommand(name).ok_or_else(|| Fail(format!("no subcommand {name} (analyze, render, follow, graph, explain, messages, merge)")))?;
                sub.clone().name(format!("tcp-ladder-{name}"))
            }
        };
        let mut out = Vec::new();
        clap_mangen::Man::new(page).render(&mut out).map_err(|e| Fail(format!("cannot write the manual page: {e}")))?;
        write_out(None, &out)?;
        Ok(0)
    }

    /// `-` is standard input.
    fn is_stdin(path: &Path) -> bool {
        path.as_os_str() == "-"
    }

    /// The whole input, for the commands that need every frame's bytes at hand.
    fn read_all(path: &Path) -> Result<Vec<u8>, Fail> {
        let result = if is_stdin(path) {
            let mut bytes = Vec::new();
            std::io::stdin().lock().read_to_end(&mut bytes).map(|_| bytes)
        } else {
            std::fs::read(path)
        };
        result.map_err(|e| Fail(format!("cannot read {}: {e}", path.display())))
    }

    fn write_out(out: Option<&Path>, bytes: &[u8]) -> Result<(), Fail> {
        let written = match out {
            Some(file) => std::fs::write(file, bytes),
            None => std::io::stdout().lock().write_all(bytes),
        };
        match written {
            // A reader that stops early (`| head`) is not an error of ours.
            Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
            Err(e) => Err(Fail(format!("cannot write {}: {e}", out.map_or("standard output".into(), |p| p.display().to_string())))),
            Ok(()) => Ok(()),
        }
    }

    /// Reads and analyses the whole input (up to `limit` bytes of analysis).
    fn open(path: &Path, limit: Option<u64>) -> Result<(Vec<u8>, Session), Fail> {
        let bytes = read_all(path)?;
        let session = match limit {
            Some(limit) => analyze_bytes_within(&bytes, limit),
            None => analyze_bytes(&bytes),
        };
        let session = session.map_err(|e| Fail(format!("{}: {e}", path.display())))?;
        Ok((bytes, session))
    }

    /// Writes what `render`, `follow` or `graph` produced (`None`: no such stream); the
    /// exit status (1 when the file is damaged part-way, which is also said).
    fn finish(target: &FileAndStream, session: &Session, produced: Option<&[u8]>) -> Result<i32, Fail> {
        let Some(produced) = produced else {
            return Err(Fail(format!("{} has no stream {} (it has {})", target.file.display(), target.stream, session.streams().len())));
        };
        write_out(target.output.as_deref(), produced)?;
        Ok(damage_status(&target.file, session))
    }

    fn damage_status(path: &Path, session: &Session) -> i32 {
        match &session.damage {
            Some(d) => {
                eprintln!("tcp-ladder: {}: {d}", path.display());
                1
            }
            None => 0,
        }
    }

    fn analyze(a: &AnalyzeArgs) -> Result<i32, Fail> {
        let options = AnalyzeOptions {
            format: match a.format {
                AnalyzeFormat::Json => OutputFormat::Json,
                AnalyzeFormat::Ndjson => OutputFormat::Ndjson,
            },
            packets: !a.streams_only,
            stream: a.stream,
            memory_limit: a.memory_limit_mb.map(|mb| mb << 20),
            ..AnalyzeOptions::default()
        };
        // --messages: each connection's payload is needed, which the streaming pass does not
        // keep; the file is read whole and analysed once more, keeping its segments.
        // --merge-with B: the same, and B read whole too, to be merged with it.
        let whole = if a.messages || a.merge_with.is_some() { Some(open(&a.file, options.memory_limit)?) } else { None };
        let messages_of = whole.as_ref().filter(|_| a.messages).map(|(bytes, session)| {
            let file = session.file_bytes(bytes);
            move |n: u32| session.connection(n).ok().map(|conn| tcp_ladder::report::messages::messages_json(&conn, file))
        });
        // (B damaged part-way: said, and the exit status is 1 as for A.)
        let (merged, status_b) = match (&a.merge_with, &whole) {
            (Some(b), Some((_, session_a))) => {
                let (_, session_b) = open(b, options.memory_limit)?;
                (Some(tcp_ladder::merge::merge(session_a, &session_b)), damage_status(b, &session_b))
            }
            _ => (None, 0),
        };
        let merge_of = merged.as_ref().map(|m| move |n: u32| m.connections.iter().find(|c| c.stream_a == n).and_then(|c| serde_json::to_value(c).ok()));
        let (mut input, file_len): (Box<dyn Read>, Option<u64>) = if let Some((bytes, _)) = &whole {
            (Box::new(&bytes[..]), Some(bytes.len() as u64))
        } else if is_stdin(&a.file) {
            (Box::new(std::io::stdin().lock()), None)
        } else {
            let file = std::fs::File::open(&a.file).map_err(|e| Fail(format!("cannot read {}: {e}", a.file.display())))?;
            let len = file.metadata().ok().map(|m| m.len());
            (Box::new(file), len)
        };
        let out: Box<dyn Write> = match &a.output {
            Some(path) => Box::new(std::fs::File::create(path).map_err(|e| Fail(format!("cannot write {}: {e}", path.display())))?),
            None => Box::new(std::io::stdout().lock()),
        };
        let out = std::io::BufWriter::with_capacity(256 << 10, out);
        let extras = tcp_ladder::report::streaming::Extras {
            messages_of: messages_of.as_ref().map(|f| f as tcp_ladder::report::streaming::MessagesOf<'_>),
            merge_of: merge_of.as_ref().map(|f| f as tcp_ladder::report::streaming::MergeOf<'_>),
        };
        match write_analysis_with_messages(&mut input, file_len, out, options, extras) {
            Ok(outcome) if outcome.missing_stream => Err(Fail(format!("{} has no stream {} (it has {})", a.file.display(), a.stream.unwrap_or(0), outcome.session.streams().len()))),
            Ok(outcome) => Ok(damage_status(&a.file, &outcome.session).max(status_b)),
            Err(AnalyzeError::NotACapture(e)) => Err(Fail(format!("{}: {e}", a.file.display()))),
            Err(AnalyzeError::Write(e)) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(0),
            Err(AnalyzeError::Write(e)) => Err(Fail(format!("cannot write: {e}"))),
        }
    }

    fn render(r: &RenderArgs) -> Result<i32, Fail> {
        use tcp_ladder::diagram::{layout_with_messages, mermaid, plantuml, svg, LadderOptions};
        let options = LadderOptions {
            absolute: r.absolute,
            by_time: r.by_time,
            expand_all: r.expand_all,
            hide_addresses: r.hide_addresses,
            hide_messages: r.hide_messages,
            hide_app_data: r.hide_app_data,
            timing: r.view == View::Timing,
            names: [r.client_name.clone(), r.server_name.clone()],
            ..LadderOptions::default()
        };
        let (bytes, session) = open(&r.target.file, r.memory_limit_mb.map(|mb| mb << 20))?;
        let file = session.file_bytes(&bytes);
        let text = session
            .connection(r.target.stream)
            .ok()
            .map(|conn| {
                // The application's messages on their arrows (their identifying words left out
                // with the addresses, all but their types and sizes with the application's data).
                let found = tcp_ladder::report::messages::connection_messages(&conn, file);
                let marks = if r.hide_app_data { tcp_ladder::messages::arrow_types(&found) } else { tcp_ladder::messages::arrow_labels(&found, r.hide_addresses) };
                layout_with_messages(&conn, &options, &marks)
            })
            .map(|ladder| match r.format {
            RenderFormat::Svg => svg::render(&ladder),
            RenderFormat::Mermaid => mermaid::render(&ladder),
            RenderFormat::Plantuml => plantuml::render(&ladder),
        });
        finish(&r.target, &session, text.as_deref().map(str::as_bytes))
    }

    fn follow(f: &FollowArgs) -> Result<i32, Fail> {
        use tcp_ladder::report::follow::{follow_json, follow_raw, follow_text};
        let (bytes, session) = open(&f.target.file, None)?;
        let file = session.file_bytes(&bytes);
        let produced = session.connection(f.target.stream).ok().map(|conn| match f.format {
            FollowFormat::Json => format!("{}\n", serde_json::to_string(&follow_json(&conn, file)).unwrap_or_default()).into_bytes(),
            FollowFormat::Text => follow_text(&conn, file).into_bytes(),
            FollowFormat::Raw => follow_raw(&conn, file, f.dir.map(|d| d == FollowDirection::C2s)),
        });
        finish(&f.target, &session, produced.as_deref())
    }

    fn messages(m: &MessagesArgs) -> Result<i32, Fail> {
        use tcp_ladder::report::messages::{messages_json, messages_text};
        let (bytes, session) = open(&m.file, None)?;
        let file = session.file_bytes(&bytes);
        let streams: Vec<u32> = match m.stream {
            Some(n) if (n as usize) < session.streams().len() => vec![n],
            Some(n) => return Err(Fail(format!("{} has no stream {n} (it has {})", m.file.display(), session.streams().len()))),
            None => (0..session.streams().len() as u32).collect(),
        };
        let all: Vec<_> = streams.iter().filter_map(|&n| session.connection(n).ok()).map(|conn| messages_json(&conn, file)).collect();
        let text = match m.format {
            MessagesFormat::Json => format!("{}\n", serde_json::to_string(&all).unwrap_or_default()),
            MessagesFormat::Ndjson => all.iter().map(|s| format!("{}\n", serde_json::to_string(s).unwrap_or_default())).collect(),
            MessagesFormat::Text => messages_text(&all),
        };
        write_out(m.output.as_deref(), text.as_bytes())?;
        Ok(damage_status(&m.file, &session))
    }

    fn merge(m: &MergeArgs) -> Result<i32, Fail> {
        let (_, a) = open(&m.a, None)?;
        let (_, b) = open(&m.b, None)?;
        let offset_ns = match m.offset_ms {
            Some(ms) if ms.is_finite() && ms.abs() < 1e12 => Some((ms * 1e6).round() as i64),
            Some(ms) => return Err(Fail(format!("--offset-ms {ms}: a number of milliseconds, under 10^12 either way"))),
            None => None,
        };
        let merged = tcp_ladder::merge::merge_with(&a, &b, &tcp_ladder::merge::MergeOptions { offset_ns });
        if let Some(n) = m.svg {
            let Some(c) = merged.connections.iter().find(|c| c.stream_a == n) else {
                return Err(Fail(format!("{} has no stream {n} seen in {} too (paired: {:?})", m.a.display(), m.b.display(), merged.connections.iter().map(|c| c.stream_a).collect::<Vec<_>>())));
            };
            let name = |p: &std::path::Path| p.file_name().map_or(String::new(), |f| f.to_string_lossy().into_owned());
            write_out(m.output.as_deref(), tcp_ladder::diagram::merged_svg::render(c, (&name(&m.a), &name(&m.b))).as_bytes())?;
            return Ok(damage_status(&m.a, &a).max(damage_status(&m.b, &b)));
        }
        let text = match m.format {
            MergeFormat::Json => format!("{}\n", serde_json::to_string(&merged).unwrap_or_default()),
            MergeFormat::Ndjson => tcp_ladder::report::merge_text::merge_ndjson(&merged),
            MergeFormat::Csv => tcp_ladder::report::merge_text::merge_csv(&merged),
            MergeFormat::Text => tcp_ladder::report::merge_text::merge_text(&merged),
        };
        write_out(m.output.as_deref(), text.as_bytes())?;
        Ok(damage_status(&m.a, &a).max(damage_status(&m.b, &b)))
    }

    fn explain(e: &ExplainArgs) -> Result<i32, Fail> {
        use tcp_ladder::report::story::{story, story_text};
        let (_, session) = open(&e.target.file, None)?;
        let produced = session.connection(e.target.stream).ok().map(|conn| {
            let told = story(&conn);
            match e.format {
                ExplainFormat::Text => story_text(&told),
                ExplainFormat::Json => format!("{}\n", serde_json::to_string(&told).unwrap_or_default()),
            }
        });
        finish(&e.target, &session, produced.as_deref().map(str::as_bytes))
    }

    fn graph(g: &GraphArgs) -> Result<i32, Fail> {
        use tcp_ladder::graph::{csv::graph_csv, graph_data, plot, GraphRequest};
        let kind = g.kind;
        let (_, session) = open(&g.target.file, None)?;
        let stream = g.target.stream;
        let produced = session.connection(stream).ok().map(|conn| match g.format {
            GraphFormat::Csv => graph_csv(&conn, kind, None),
            GraphFormat::Svg => plot::to_svg(&plot::plot(&graph_data(&conn, &GraphRequest { stream, kind, from_client: None, range: None, y_range: None, columns: 900 }), 960.0, 480.0)),
        });
        finish(&g.target, &session, produced.as_deref().map(str::as_bytes))
    }
}
