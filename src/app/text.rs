//! Text out of bytes a stranger chose, made inert: whatever a URL, a Host header or an SNI
//! holds, it reaches the page, a terminal or a Mermaid/PlantUML export as plain characters.

/// Longest text kept of one field: a URL can be kilobytes (the summaries cut it shorter).
pub const MAX_CHARS: usize = 16 * 1024;

/// `bytes` as text: UTF-8 where valid; every control character (a terminal's escapes) as
/// `\xNN`, every byte that is not valid UTF-8 as `\x??`, every invisible character that turns
/// text around as `\u{N}`; cut to [`MAX_CHARS`] with "…". Markup and an export's directives
/// are each output's to escape (the page's text nodes, `diagram::export`'s label escaping):
/// here they stay the characters they are.
pub fn inert(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len().min(MAX_CHARS));
    inert_into(&mut out, bytes);
    out
}

/// [`inert`], written at the end of `out` (one allocation for several fields).
pub fn inert_into(out: &mut String, bytes: &[u8]) {
    // Printable ASCII, the common case (a request line, a Host header), is itself: copied at
    // once instead of a character at a time (the list's "what" reads every connection's).
    if bytes.len() <= MAX_CHARS && bytes.iter().all(|b| (0x20..0x7f).contains(b)) {
        out.push_str(std::str::from_utf8(bytes).unwrap_or_default());
        return;
    }
    let text = String::from_utf8_lossy(bytes);
    for (n, c) in text.chars().enumerate() {
        if n == MAX_CHARS {
            out.push('…');
            break;
        }
        match c {
            '\u{FFFD}' => out.push_str("\\x??"),
            c if c.is_control() => out.push_str(&format!("\\x{:02x}", c as u32)),
            c if is_invisible(c) => out.push_str(&format!("\\u{{{:x}}}", c as u32)),
            c => out.push(c),
        }
    }
}

/// Characters that change how text around them is shown without showing themselves
/// (direction overrides, zero-width marks).
fn is_invisible(c: char) -> bool {
    matches!(c as u32, 0x200B..=0x200F | 0x202A..=0x202E | 0x2060..=0x2069 | 0xFEFF)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_escapes_and_directives_stay_text() {
        assert_eq!(inert(b"/a<script>"), "/a<script>");
        assert_eq!(inert(b"x\x1b[31m"), "x\\x1b[31m");
        assert_eq!(inert(b"\xff/"), "\\x??/");
        assert_eq!(inert("a\u{202E}b".as_bytes()), "a\\u{202e}b");
        assert_eq!(inert(&[b'a'; MAX_CHARS + 40]).chars().count(), MAX_CHARS + 1);
    }
}

/// `text` cut to its first `n` characters, with "…" where something was cut.
pub fn cut_chars(text: &str, n: usize) -> String {
    match text.char_indices().nth(n) {
        Some((at, _)) => format!("{}…", &text[..at]),
        None => text.to_string(),
    }
}
