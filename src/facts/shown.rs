//! Text from a server, made safe to show: a terminal or a window must never run what a server
//! sent. Control characters (ESC, CR, BEL, NUL, newlines...) and the invisible characters that
//! reorder text (bidi controls such as U+202E) are shown escaped, `\u{1b}`, so server text can
//! never clear a screen, set a title, fake a second line or reverse the text around it.

use std::borrow::Cow;

/// Whether a character must not reach a terminal or a label as it is.
fn must_escape(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            // Bidi embeddings, overrides and isolates, and the invisible direction marks.
            '\u{200e}' | '\u{200f}' | '\u{061c}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}'
            // Line and paragraph separators: a second line by another name.
            | '\u{2028}' | '\u{2029}'
        )
}

/// `text` with every control and bidi character escaped (`\n`, `\u{1b}`, `\u{202e}`).
pub fn shown(text: &str) -> Cow<'_, str> {
    if !text.chars().any(must_escape) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\0' => out.push_str("\\0"),
            c if must_escape(c) => out.push_str(&format!("\\u{{{:x}}}", u32::from(c))),
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// Like [`shown`], but keeps line breaks and tabs: for a body shown as a block of lines (the raw
/// answer, pretty-printed JSON), where a newline is the layout itself.
pub fn shown_block(text: &str) -> Cow<'_, str> {
    if !text
        .chars()
        .any(|c| must_escape(c) && c != '\n' && c != '\t')
    {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for line in text.split_inclusive('\n') {
        let (body, end) = match line.strip_suffix('\n') {
            Some(body) => (body, "\n"),
            None => (line, ""),
        };
        for part in body.split_inclusive('\t') {
            let (piece, tab) = match part.strip_suffix('\t') {
                Some(piece) => (piece, "\t"),
                None => (part, ""),
            };
            out.push_str(&shown(piece));
            out.push_str(tab);
        }
        out.push_str(end);
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn terminal_controls_are_escaped_not_sent() {
        assert_eq!(
            shown("\u{1b}[2J\u{1b}]0;pwned\u{7}"),
            "\\u{1b}[2J\\u{1b}]0;pwned\\u{7}"
        );
        assert_eq!(shown("a\r\nb"), "a\\r\\nb");
        assert_eq!(shown("nul\0"), "nul\\0");
    }

    #[test]
    fn bidi_controls_and_line_separators_are_escaped() {
        assert_eq!(shown("abc\u{202e}fed"), "abc\\u{202e}fed");
        assert_eq!(shown("x\u{2066}y\u{2069}"), "x\\u{2066}y\\u{2069}");
        assert_eq!(shown("a\u{2028}b"), "a\\u{2028}b");
        assert_eq!(shown("\u{200f}"), "\\u{200f}");
    }

    #[test]
    fn plain_text_is_left_alone_and_not_copied() {
        assert!(matches!(shown("zoë+qa@example.com — ok"), Cow::Borrowed(_)));
        assert!(matches!(shown_block("{\n\t\"a\": 1\n}"), Cow::Borrowed(_)));
    }

    #[test]
    fn a_block_keeps_its_lines_but_not_the_controls_inside_them() {
        assert_eq!(
            shown_block("a\u{1b}[2J\n\tb\u{202e}\n"),
            "a\\u{1b}[2J\n\tb\\u{202e}\n"
        );
        assert_eq!(shown_block("x\ry"), "x\\ry");
    }
}
