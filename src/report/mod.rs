//! The JSON document `tcp-ladder analyze` prints. Field names follow Wireshark's wherever one
//! exists, so that the output lines up with tshark's (and with the `.oracle.json` files).

mod facts;
pub mod follow;
mod json;
pub mod streaming;

pub use json::{to_json, AnalyzeReport};
