//! Text made safe for the diagram languages we export to. Endpoint names are typed by the
//! reader and labels are made from a capture, so any character may arrive; Mermaid and
//! PlantUML give some characters meaning (statement separators, comments, markup, and in
//! PlantUML built-in functions such as `%date()` and images fetched from `<img:URL>`). Each
//! such character is written as the language's own character code, so the picture shows the
//! text exactly as typed and nothing in it is ever read as an instruction.

/// One line of text: line breaks and other control characters become spaces (a line break
/// would end the statement and start another).
fn one_line(text: &str) -> impl Iterator<Item = char> + '_ {
    text.chars().map(|c| if c.is_control() { ' ' } else { c })
}

/// A comment line of either language: it runs to the end of the line and neither language reads
/// character codes, functions or markup inside it, so only the line breaks go (a character code
/// there would be shown to the reader of the source as `#37;` where `%` was meant).
pub fn comment_text(text: &str) -> String {
    one_line(text).collect()
}

/// Mermaid: `#` starts a character code, `;` ends a statement, `<`/`>` would be markup, `%%`
/// a comment and `{`/`}` a directive; each is written as a decimal code (`#59;`), which
/// Mermaid decodes before it parses.
pub fn mermaid_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in one_line(text) {
        match c {
            '#' | ';' | '<' | '>' | '%' | '{' | '}' | '"' => out.push_str(&format!("#{};", c as u32)),
            c => out.push(c),
        }
    }
    out
}

/// PlantUML: quotes end a name (typographic ones too), `%` calls a built-in function, `<`/`>`
/// open markup (including `<img:URL>`, fetched while rendering), `\` escapes, `~` and `$` are
/// the escape and variable signs, and doubled `*`, `_`, `-`, `/`, `^`, `[` and `]` are creole
/// markup or links. Each becomes `<U+XXXX>`, which PlantUML draws as that character.
pub fn plantuml_text(text: &str) -> String {
    const ALWAYS: &[char] = &['"', '%', '<', '>', '\\', '~', '$', '“', '”', '‘', '’', '„', '«', '»'];
    const WHEN_DOUBLED: &[char] = &['*', '_', '-', '/', '^', '[', ']', '=', '.', '|'];
    let chars: Vec<char> = one_line(text).collect();
    let mut out = String::with_capacity(text.len());
    for (i, &c) in chars.iter().enumerate() {
        let doubled = WHEN_DOUBLED.contains(&c) && (chars.get(i + 1) == Some(&c) || (i > 0 && chars[i - 1] == c));
        if ALWAYS.contains(&c) || doubled {
            out.push_str(&format!("<U+{:04X}>", c as u32));
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mermaid_codes_every_meaningful_character_and_keeps_one_line() {
        assert_eq!(mermaid_text("a;b #1 <b>\n%%{x}"), "a#59;b #35;1 #60;b#62; #37;#37;#123;x#125;");
        assert_eq!(mermaid_text("SYN,ACK seq=0 [Port numbers reused]"), "SYN,ACK seq=0 [Port numbers reused]");
    }

    #[test]
    fn comments_keep_their_characters_on_one_line() {
        assert_eq!(comment_text("close 9.3 ms (99 %)\n{x}"), "close 9.3 ms (99 %) {x}");
    }

    #[test]
    fn plantuml_codes_functions_markup_and_quotes() {
        assert_eq!(plantuml_text("%date() <img:http://x> \"q\""), "<U+0025>date() <U+003C>img:http:<U+002F><U+002F>x<U+003E> <U+0022>q<U+0022>");
        assert_eq!(plantuml_text("**b** --s-- SYN-SENT [x]"), "<U+002A><U+002A>b<U+002A><U+002A> <U+002D><U+002D>s<U+002D><U+002D> SYN-SENT [x]");
        assert_eq!(plantuml_text("a\r\nb"), "a  b");
    }
}
