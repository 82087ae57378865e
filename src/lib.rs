//! tcp-ladder: turns a packet capture into TCP ladder diagrams.
//!
//! The layers depend only downward (see `../shared/STYLE.md`):
//!
//! ```text
//! capture (pcap-file) → decode (etherparse) → tcp (streams, analysis) → diagram (layout) → ui (yew)
//!                                        ↘ report (JSON for the CLI) ↗
//! ```
//!
//! Everything except `ui` is plain Rust with no DOM: it builds and is tested on the host, and the
//! same code runs in the browser. [`session::analyze_bytes`] is the single entry point used by the
//! page, the command-line tool and the tests.
#![forbid(unsafe_code)]

pub mod capture;
pub mod decode;
pub mod diagram;
#[doc(hidden)]
pub mod follow;
pub mod fuzz_checks;
pub mod graph;
pub mod listing;
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
