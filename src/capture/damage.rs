//! The two ways reading a capture can fail: `Damage`, where and why reading stopped part-way
//! (what was read before it is kept), and `NotACapture`, a file that is no capture at all.

use std::fmt;

/// Where and why reading stopped part-way through a capture.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Damage {
    /// What is wrong, in words a user understands.
    pub message: String,
    /// Byte offset in the file where the bad record or block starts.
    pub offset: u64,
    /// Number of the last frame read correctly before the damage (0 if none).
    pub after_frame: u64,
}

impl fmt::Display for Damage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} (at byte offset {}, after frame {})", self.message, self.offset, self.after_frame)
    }
}

/// The file could not be read as a capture at all.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NotACapture {
    /// What is wrong, naming what the file looks like when that can be told.
    pub message: String,
}

impl NotACapture {
    pub fn new(message: impl Into<String>) -> Self {
        NotACapture { message: message.into() }
    }
}

impl fmt::Display for NotACapture {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}
