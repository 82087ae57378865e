//! `tcp-ladder`: the command-line tool, on the same core as the web page.

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    std::process::exit(native::run(std::env::args().skip(1).collect()));
}

// The wasm build of the package compiles every binary; the CLI has nothing to do there.
#[cfg(target_arch = "wasm32")]
fn main() {}

#[cfg(not(target_arch = "wasm32"))]
mod native {
    use std::io::Write;

    use tcp_ladder::report;
    use tcp_ladder::session::analyze_bytes;

    const USAGE: &str = "\
tcp-ladder: TCP ladder diagrams from packet captures

USAGE:
    tcp-ladder analyze FILE [--memory-limit-mb N]
                                 print the analysis of FILE as JSON
    tcp-ladder render FILE --stream N [--format svg|mermaid|plantuml] [--absolute] [--by-time]
                      [--expand-all] [--view even|timing] [--client-name NAME]
                      [--server-name NAME] [--hide-addresses] [--memory-limit-mb N] [-o OUT]
                                 draw connection N (its tcp.stream index) as a ladder diagram;
                                 long runs of plain data/ACK segments collapse into one row
                                 unless --expand-all,
                                 with the same layout as the web page (SVG is byte-identical to
                                 the page's export); OUT defaults to standard output.
                                 --view timing draws each arrow from its estimated send time
                                 to its estimated arrival, through the capture point;
                                 --hide-addresses leaves every address and port out (the
                                 endpoints are named client/server, or as --*-name says)
    tcp-ladder follow FILE --stream N [--format json|text|raw] [--dir c2s|s2c] [-o OUT]
                                 connection N's payload as Wireshark's Follow TCP Stream gives
                                 it: each byte once, in capture order, gaps where the capture
                                 missed bytes the receiver acknowledged. json: {stream, client,
                                 server, chunks: [{frame, dir, hex}], gaps: [{dir, seq, len,
                                 before_frame}]}; text: readable characters, other bytes as
                                 dots, the server's lines indented by a tab; raw: the bytes
                                 (--dir: one direction only)
    tcp-ladder graph FILE --stream N --kind tseq|throughput|goodput|rtt|window|inflight
                      [--format csv|svg] [-o OUT]
                                 a stream graph of connection N as CSV (one row per segment;
                                 time is seconds since the capture's first frame, dir is c2s or
                                 s2c) or as an SVG picture. CSV columns: tseq time,frame,dir,
                                 seq,len,ack,win; rtt time,frame,rtt (tcp.analysis.ack_rtt);
                                 window time,frame,dir,window (tcp.window_size, scaled);
                                 inflight time,frame,dir,bytes_in_flight; throughput and
                                 goodput time,dir,bytes_per_s (over a sliding window of 1 s)
    tcp-ladder --help            this text

--memory-limit-mb N (analyze and render) stops reading once the analysis holds N MiB, as the
page's worker does at 3 GiB: what was read is kept and the damage says where (exit status 1).

FILE is a pcap or pcapng capture, optionally gzip-compressed.

analyze prints one JSON object:
  format    container (pcap|pcapng), gzip, byte_order, nanosecond, link_types
            (LINKTYPE_ names), packets (every frame in the file), truncated_packets
  summary   frame counts per protocol (tcp, udp, icmp, other_ip, ip_fragments, non_ip,
            undecodable with the frame numbers and reasons), first/last time, duration
  streams   one per TCP connection, by tcp.stream index: client/server {addr, port},
            packets (and _c2s/_s2c), payload_bytes_c2s/_s2c (every copy),
            distinct_payload_bytes_c2s/_s2c (each sequence number once),
            retransmitted_bytes_c2s/_s2c (payload - distinct), first_frame, last_frame,
            completeness (Wireshark's tcp.completeness bits), started_before_capture,
            open/close shapes, states {client, server}: [{state, frame, cause, evidence,
            by, inferred}] (each endpoint's RFC 9293 states from the ACK-field evidence),
            capture_point {near: client|server|between, client_ms, server_ms} (estimated
            one-way delays from the capture point to each endpoint) or null
  packets   one per TCP frame: frame, stream, time_relative, src, srcport, dst, dstport,
            flags (FIN,SYN,RST,PSH,ACK,URG,ECE,CWR,AE), seq/ack (relative), seq_raw/ack_raw,
            nxtseq, len, window_size (scaled), window_size_value, window_scale, truncated,
            analysis (tcp.analysis.* flag names)
  errors    where the file is damaged: message, offset (bytes), frame (last good frame)
Names follow Wireshark's fields (tcp.stream, tcp.seq, ...).

EXIT STATUS:
    0  the whole file was read
    1  the file is damaged part-way; the JSON holds everything before the damage
    2  nothing could be read (the reason is printed on stderr)
";

    pub fn run(args: Vec<String>) -> i32 {
        match args.iter().map(String::as_str).collect::<Vec<_>>().as_slice() {
            ["analyze", "--help"] | ["--help"] | ["-h"] | ["help"] => {
                print!("{USAGE}");
                0
            }
            ["analyze", path] => analyze(path, None),
            ["analyze", path, "--memory-limit-mb", n] | ["analyze", "--memory-limit-mb", n, path] => match n.parse::<u64>() {
                Ok(mb) if mb > 0 => analyze(path, Some(mb << 20)),
                _ => {
                    eprintln!("tcp-ladder analyze: --memory-limit-mb takes a number of MiB, not {n}");
                    2
                }
            },
            ["render", rest @ ..] => render(rest),
            ["follow", rest @ ..] => follow(rest),
            ["graph", rest @ ..] => graph(rest),
            _ => {
                eprint!("{USAGE}");
                2
            }
        }
    }

    fn render(args: &[&str]) -> i32 {
        use tcp_ladder::diagram::{layout, mermaid, plantuml, svg, LadderOptions};
        let mut path = None;
        let mut stream = None;
        let mut format = "svg";
        let mut out = None;
        let mut options = LadderOptions::default();
        let mut limit = None;
        let mut it = args.iter();
        while let Some(&arg) = it.next() {
            match arg {
                "--stream" => stream = it.next().and_then(|s| s.parse::<u32>().ok()),
                "--format" => format = it.next().copied().unwrap_or(""),
                "-o" | "--output" => out = it.next().copied(),
                "--absolute" => options.absolute = true,
                "--by-time" => options.by_time = true,
                "--expand-all" => options.expand_all = true,
                "--hide-addresses" => options.hide_addresses = true,
                "--memory-limit-mb" => match it.next().and_then(|n| n.parse::<u64>().ok()).filter(|n| *n > 0) {
                    Some(mb) => limit = Some(mb << 20),
                    None => {
                        eprintln!("tcp-ladder render: --memory-limit-mb takes a number of MiB");
                        return 2;
                    }
                },
                "--client-name" => options.names[0] = it.next().map(|s| s.to_string()),
                "--server-name" => options.names[1] = it.next().map(|s| s.to_string()),
                "--view" => match it.next().copied() {
                    Some("timing") => options.timing = true,
                    Some("even") => options.timing = false,
                    other => {
                        eprintln!("tcp-ladder render: --view takes even or timing, not {}", other.unwrap_or("nothing"));
                        return 2;
                    }
                },
                other if path.is_none() && !other.starts_with('-') => path = Some(other),
                other => {
                    eprintln!("tcp-ladder render: unexpected argument {other}\n\n{USAGE}");
                    return 2;
                }
            }
        }
        let (Some(path), Some(stream)) = (path, stream) else {
            eprintln!("tcp-ladder render: needs FILE and --stream N\n\n{USAGE}");
            return 2;
        };
        let bytes = match std::fs::read(path) {
            Ok(b) => b,
            Err(e) => {
                eprintln!("tcp-ladder: cannot read {path}: {e}");
                return 2;
            }
        };
        let session = match read_session(&bytes, limit) {
            Ok(s) => s,
            Err(e) => {
                eprintln!("tcp-ladder: {path}: {e}");
                return 2;
            }
        };
        let Some(ladder) = layout(&session, stream, &options) else {
            eprintln!("tcp-ladder: {path} has no stream {stream} (it has {})", session.streams().len());
            return 2;
        };
        let text = match format {
            "svg" => svg::render(&ladder),
            "mermaid" => mermaid::render(&ladder),
            "plantuml" => plantuml::render(&ladder),
            other => {
                eprintln!("tcp-ladder render: unknown format {other} (svg, mermaid, plantuml)");
                return 2;
            }
        };
        let written = match out {
            Some(file) => std::fs::write(file, text),
            None => std::io::stdout().lock().write_all(text.as_bytes()),
        };
        if let Err(e) = written {
            eprintln!("tcp-ladder: cannot write: {e}");
            return 2;
        }
        i32::from(session.damage.is_some())
    }

    /// FILE, --stream N and the options `take` accepts (it gets each option and the
    /// argument iterator, and says whether it knew the option).
    fn file_and_stream<'a>(command: &str, args: &[&'a str], mut take: impl FnMut(&'a str, &mut std::slice::Iter<'_, &'a str>) -> Result<bool, String>) -> Result<(&'a str, u32), String> {
        let mut path = None;
        let mut stream = None;
        let mut it = args.iter();
        while let Some(&arg) = it.next() {
            if arg == "--stream" {
                stream = Some(it.next().and_then(|s| s.parse::<u32>().ok()).ok_or("--stream takes a connection number (its tcp.stream index)")?);
            } else if take(arg, &mut it)? {
            } else if path.is_none() && !arg.starts_with('-') {
                path = Some(arg);
            } else {
                return Err(format!("unexpected argument {arg}"));
            }
        }
        match (path, stream) {
            (Some(p), Some(s)) => Ok((p, s)),
            _ => Err(format!("{command} needs FILE and --stream N")),
        }
    }

    /// Reads and analyses FILE; prints why not.
    fn open(path: &str) -> Option<(Vec<u8>, tcp_ladder::session::Session)> {
        let bytes = match std::fs::read(path) {
            Ok(b) => b,
            Err(e) => {
                eprintln!("tcp-ladder: cannot read {path}: {e}");
                return None;
            }
        };
        match analyze_bytes(&bytes) {
            Ok(session) => Some((bytes, session)),
            Err(e) => {
                eprintln!("tcp-ladder: {path}: {e}");
                None
            }
        }
    }

    fn write_out(out: Option<&str>, bytes: &[u8]) -> Result<(), String> {
        match out {
            Some(file) => std::fs::write(file, bytes).map_err(|e| format!("cannot write {file}: {e}")),
            None => std::io::stdout().lock().write_all(bytes).map_err(|e| format!("cannot write: {e}")),
        }
    }

    /// Writes what `follow` or `graph` produced (`None`: no such stream); the exit status.
    fn finish(path: &str, stream: u32, session: &tcp_ladder::session::Session, produced: Option<&[u8]>, out: Option<&str>) -> i32 {
        let Some(produced) = produced else {
            eprintln!("tcp-ladder: {path} has no stream {stream} (it has {})", session.streams().len());
            return 2;
        };
        if let Err(e) = write_out(out, produced) {
            eprintln!("tcp-ladder: {e}");
            return 2;
        }
        i32::from(session.damage.is_some())
    }

    fn follow(args: &[&str]) -> i32 {
        use tcp_ladder::report::follow::{follow_json, follow_raw, follow_text};
        let mut format = "json";
        let mut only = None;
        let mut out = None;
        let parsed = file_and_stream("follow", args, |arg, it| {
            match arg {
                "--format" => format = it.next().copied().unwrap_or(""),
                "-o" | "--output" => out = it.next().copied(),
                "--dir" => {
                    only = Some(match it.next().copied() {
                        Some("c2s") => true,
                        Some("s2c") => false,
                        other => return Err(format!("--dir takes c2s or s2c, not {}", other.unwrap_or("nothing"))),
                    })
                }
                _ => return Ok(false),
            }
            Ok(true)
        });
        let (path, stream) = match parsed {
            Ok(p) => p,
            Err(e) => {
                eprintln!("tcp-ladder follow: {e} (tcp-ladder --help shows every option)");
                return 2;
            }
        };
        if !matches!(format, "json" | "text" | "raw") {
            eprintln!("tcp-ladder follow: unknown format {format} (json, text, raw)");
            return 2;
        }
        let Some((bytes, session)) = open(path) else { return 2 };
        let produced = match format {
            "json" => follow_json(&session, &bytes, stream).map(|j| format!("{}\n", serde_json::to_string(&j).unwrap_or_default()).into_bytes()),
            "text" => follow_text(&session, &bytes, stream).map(String::into_bytes),
            _ => follow_raw(&session, &bytes, stream, only),
        };
        finish(path, stream, &session, produced.as_deref(), out)
    }

    fn graph(args: &[&str]) -> i32 {
        use tcp_ladder::graph::{csv::graph_csv, graph_data, plot, GraphKind, GraphRequest};
        let mut format = "csv";
        let mut kind = None;
        let mut out = None;
        let parsed = file_and_stream("graph", args, |arg, it| {
            match arg {
                "--format" => format = it.next().copied().unwrap_or(""),
                "-o" | "--output" => out = it.next().copied(),
                "--kind" => {
                    let name = it.next().copied().unwrap_or("");
                    kind = Some(GraphKind::parse(name).ok_or(format!("--kind takes tseq, throughput, goodput, rtt, window or inflight, not {name}"))?);
                }
                _ => return Ok(false),
            }
            Ok(true)
        });
        let (path, stream) = match (parsed, kind) {
            (Ok(p), Some(_)) => p,
            (Ok(_), None) => {
                eprintln!("tcp-ladder graph: needs --kind tseq|throughput|goodput|rtt|window|inflight (tcp-ladder --help shows every option)");
                return 2;
            }
            (Err(e), _) => {
                eprintln!("tcp-ladder graph: {e} (tcp-ladder --help shows every option)");
                return 2;
            }
        };
        let kind = kind.unwrap_or(GraphKind::Tseq);
        if !matches!(format, "csv" | "svg") {
            eprintln!("tcp-ladder graph: unknown format {format} (csv, svg)");
            return 2;
        }
        let Some((_, session)) = open(path) else { return 2 };
        let produced = match format {
            "csv" => graph_csv(&session, stream, kind, None),
            _ => graph_data(&session, &GraphRequest { stream, kind, from_client: None, range: None, columns: 900 })
                .map(|data| plot::to_svg(&plot::plot(&data, 960.0, 480.0))),
        };
        finish(path, stream, &session, produced.as_deref().map(str::as_bytes), out)
    }

    /// The whole file, or up to the memory limit.
    fn read_session(bytes: &[u8], limit: Option<u64>) -> Result<tcp_ladder::session::Session, tcp_ladder::capture::NotACapture> {
        match limit {
            Some(limit) => tcp_ladder::session::analyze_bytes_within(bytes, limit),
            None => analyze_bytes(bytes),
        }
    }

    fn analyze(path: &str, limit: Option<u64>) -> i32 {
        let bytes = match std::fs::read(path) {
            Ok(b) => b,
            Err(e) => {
                eprintln!("tcp-ladder: cannot read {path}: {e}");
                return 2;
            }
        };
        match read_session(&bytes, limit) {
            Ok(session) => {
                let mut out = std::io::stdout().lock();
                let _ = writeln!(out, "{}", report::to_json(&session));
                if let Some(d) = &session.damage {
                    eprintln!("tcp-ladder: {path}: {d}");
                    1
                } else {
                    0
                }
            }
            Err(e) => {
                eprintln!("tcp-ladder: {path}: {e}");
                2
            }
        }
    }
}
