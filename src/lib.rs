//! tcp-ladder: turns a packet capture into TCP ladder diagrams.
//!
//! The modules depend only on those to their left (ARCHITECTURE.md, checked by
//! `tests/architecture.rs`; the style the house follows is described in the project's shared
//! STYLE.md, outside this repository):
//!
//! ```text
//! capture (pcap-file) → decode (etherparse) → tcp (streams, analysis) → reanalysis → session
//!     → connection → diagram (layout), graph, follow, listing → report (JSON for the CLI),
//!     service → ui (yew)
//! ```
//!
//! `paged` (arrays in fixed-size pages), `timefmt` (times and counts in words) and `draw`
//! (drawing primitives: tick steps, XML escaping, text widths and boxes, numbers in units, text
//! offsets; below both `diagram` and `graph`, importing neither) serve the layers; `view_link`
//! is the URL fragment of a view (the page's); `fuzz_checks` holds the properties the fuzz
//! targets and `tests/fuzz_regressions.rs` check. The binaries
//! (`src/bin/`: the CLI, the page's wasm entry point, the Web Worker) sit on top.
//!
//! [`tcp::track_frame`] is the one path from a frame's bytes to an analysed segment (decoded,
//! placed in its connection, told where its bytes are), for the single pass and for a
//! connection read again. Every view of one connection (the diagram, lesson, explanations,
//! graphs, the followed stream, a segment's detail, its JSON facts) takes a
//! [`connection::Connection`]: its record, its segments in capture order and each endpoint's
//! states, built by [`session::Session::connection`] whatever the session keeps.
//!
//! Everything except `ui` is plain Rust with no DOM: it builds and is tested on the host, and the
//! same code runs in the browser. Every way in reads frames through one path
//! (`session::Session`'s frame by frame analysis), built three ways: [`session::analyze_bytes`]
//! for a whole file in memory (the CLI's `render`, `follow` and `graph`, and most tests),
//! [`session::SessionBuilder`] for a file read a piece at a time (the page's worker, through
//! [`service::Service`]), and its streaming form under `tcp-ladder analyze`
//! ([`report::streaming`]), which writes each segment's row as soon as it is analysed.
//! Unsafe code is forbidden in every target by `[lints.rust]` in `Cargo.toml`.

pub mod app;
pub mod capture;
pub mod connection;
pub mod decode;
pub mod diagram;
pub mod draw;
pub mod filter_complete;
pub mod filter_forms;
#[doc(hidden)]
pub mod follow;
pub mod fuzz_checks;
pub mod graph;
pub mod listing;
pub mod merge;
pub mod messages;
pub mod paged;
pub mod reanalysis;
pub mod report;
pub mod service;
pub mod session;
pub mod tcp;
pub mod timefmt;
pub mod view_link;

#[cfg(target_arch = "wasm32")]
pub mod ui;
