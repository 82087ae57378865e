//! The documents the command line prints: `analyze`'s JSON (`json.rs`, `streaming.rs`), a
//! followed stream (`follow.rs`), a connection told in words (`story.rs`). In `analyze`'s JSON
//! field names follow Wireshark's wherever one exists, so that the output lines up with
//! tshark's (and with the `.oracle.json` files).

pub mod congestion_json;
pub mod congestion_words;
pub mod ecn_words;
mod facts;
pub mod follow;
pub mod merge_text;
pub mod messages;
mod json;
pub mod recovery_json;
pub mod story;
mod story_roles;
pub mod streaming;
mod time_split_json;
pub mod time_words;
mod unanswered_words;

pub use json::{to_json, AnalyzeReport};
