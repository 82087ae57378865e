//! Diagram layout: pure data (positions, labels, style classes) for a ladder diagram of one
//! connection. Drawing only turns this into SVG (the Yew view, and later the CLI renderer), so
//! everything a reader sees is decided, and tested, here.

mod label;
mod ladder;

pub use ladder::{layout, Arrow, ArrowKind, Ladder, LadderOptions, Lifeline};
pub use label::segment_label;
