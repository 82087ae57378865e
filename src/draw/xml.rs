//! Text made safe inside XML (the SVG exports of the ladder and of the graphs).

/// `&`, `<`, `>`, `"` and `'` as entities: safe in text and in attributes quoted either way
/// (the ladder's SVG).
pub fn escape(text: &str) -> String {
    escape_with(text, true)
}

/// `&`, `<`, `>` and `"` as entities, `'` kept as it is: safe in text and in double-quoted
/// attributes (the graphs' SVG).
pub fn escape_keeping_apostrophes(text: &str) -> String {
    escape_with(text, false)
}

fn escape_with(text: &str, apostrophe: bool) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' if apostrophe => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;

    #[test]
    fn both_escapes_differ_only_in_the_apostrophe() {
        assert_eq!(escape(r#"a&b<c>"d"'e'"#), "a&amp;b&lt;c&gt;&quot;d&quot;&#39;e&#39;");
        assert_eq!(escape_keeping_apostrophes(r#"a&b<c>"d"'e'"#), "a&amp;b&lt;c&gt;&quot;d&quot;'e'");
        assert_eq!(escape_keeping_apostrophes("&amp;"), "&amp;amp;");
    }
}
