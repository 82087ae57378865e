//! Greedy word wrap by characters, for the phase captions: the layout estimates text width from
//! character counts, so it needs no DOM.

/// Greedy word wrap to at most `width` characters per line (the layout estimates text width by
/// characters, so no DOM is needed).
pub fn wrap_text(text: &str, width: usize) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        if !line.is_empty() && line.chars().count() + 1 + word.chars().count() > width {
            lines.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    #[test]
    fn wraps_at_word_boundaries() {
        assert_eq!(super::wrap_text("aa bb cc dd", 5), ["aa bb", "cc dd"]);
        assert_eq!(super::wrap_text("averyverylongword x", 5), ["averyverylongword", "x"]);
        assert!(super::wrap_text("", 5).is_empty());
    }
}
