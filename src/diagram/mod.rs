//! Diagram layout (filled in below).
