//! [`NotAtHand`]: why a session cannot give one connection's segments.

use std::fmt;

/// Why `Session::connection` has no connection to give: asking for one that is not at hand is
/// an error, never an empty connection a view would draw as if it had no segments.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NotAtHand {
    /// There is no connection `stream` (the session has `connections`).
    NoSuchConnection { stream: u32, connections: usize },
    /// The session keeps only where each segment is, and connection `stream` is not the one
    /// re-analysed: its frames must be read again first (`Session::frames_to_reanalyse`, then
    /// `Session::reanalyse`, or `Session::reanalyse_from`).
    NotReanalysed { stream: u32 },
    /// The session hands each segment over once as it reads (`SessionBuilder::streaming`) and
    /// keeps none.
    NotKept,
}

impl fmt::Display for NotAtHand {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            NotAtHand::NoSuchConnection { stream, connections } => write!(f, "there is no connection {stream} (there are {connections})"),
            NotAtHand::NotReanalysed { stream } => write!(
                f,
                "connection {stream} has not been re-analysed: this session keeps only where each segment is, so its frames must be read again first (Session::frames_to_reanalyse)"
            ),
            NotAtHand::NotKept => write!(f, "this session streams its segments and keeps none"),
        }
    }
}

impl std::error::Error for NotAtHand {}
