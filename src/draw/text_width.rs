//! How wide a text is drawn, without a DOM: one advance per character for each font the
//! drawings use.
//!
//! The ladder's fonts are monospace (`ui-monospace`, `Menlo`, `Consolas`, `DejaVu Sans Mono`,
//! `Liberation Mono`), whose every character advances 0.60–0.62 em, so its table is one
//! number. The graphs' legend is in the 12 px sans-serif of the graph SVG, for which an
//! average advance of 6.5 px per character is enough to set the entries apart.

/// Advance of one character of the ladder's monospace fonts, in em, rounded up over the fonts
/// the diagram names.
pub const CHAR_EM: f32 = 0.62;

/// Average advance of one character of the graphs' 12 px sans-serif, in px.
pub const SANS_12_CHAR_PX: f32 = 6.5;

/// Width of `text` in the ladder's monospace font of `size` px.
pub fn mono(text: &str, size: f32) -> f32 {
    text.chars().count() as f32 * CHAR_EM * size
}

/// Width of `text` in the graphs' 12 px sans-serif (about).
pub fn sans_12(text: &str) -> f32 {
    SANS_12_CHAR_PX * text.chars().count() as f32
}
