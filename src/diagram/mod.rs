//! Diagram layout: pure data (positions, labels, style classes, explanations) for a ladder
//! diagram of one connection. Drawing only turns this into SVG — the Yew view, and `svg::render`
//! for exports and the CLI — so everything a reader sees is decided, and tested, here.

mod ack_timing;
mod ack_timing_words;
mod captions;
mod dup_ack_words;
mod close_after_repair;
mod ecn_words;
mod capture_limits;
mod episode_captions;
mod explain;
mod explain_context;
mod export_text;
mod fast_open;
mod half_close;
mod ip_fragments;
mod findings;
mod label;
mod option_words;
mod resend_words;
mod late_copy_words;
mod nagle;
mod not_taken_words;
mod port_reuse_words;
mod rst_facts;
mod rst_words;
mod sack_words;
mod segment_copies;
mod vocab;
mod ladder;
pub mod lesson;
mod lesson_figure;
mod lesson_figure_labels;
mod lesson_vars;
pub mod mermaid;
pub mod plantuml;
mod sequence_walk;
mod teacher_notes;
pub mod merged_svg;
pub mod svg;
mod time_bar;
mod time_line;
mod unanswered_syn;
pub use crate::draw::text_box;
mod wrap;

pub use captions::{data_caption, CaptionFacts};
pub use episode_captions::episode_caption;
pub use explain::{explain_segment, SegmentContext};
pub use findings::analysis_notes;
pub use explain_context::{explain, explain_all};
pub use ladder::{gap_text, layout, layout_with_messages, Arrow, ArrowKind, CaptureLine, CongestionBand, EpisodeBracket, Gap, Group, Ladder, LadderOptions, Lifeline, MessageBracket, Phase, StateLabel, Tick, GAP_TEXT, TICK_X};
pub use label::{analysis_tags, segment_label, Tag};
pub use time_bar::{time_bar, TimeBar, TimeBarPart, TimeBarTotal};
pub use time_line::time_line;
