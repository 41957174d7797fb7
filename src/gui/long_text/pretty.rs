//! JSON pretty-printed without building it in memory first: a 1 MiB answer parsed into a
//! `serde_json::Value` takes ten times its size for a moment, and the allocator keeps much of
//! that after it is freed. The text is checked once (serde_json, with its nesting limit), then
//! re-indented in one pass; strings and numbers are kept exactly as the server wrote them.

use serde::de::IgnoredAny;

/// Indentation can make a small, deeply nested answer huge (`[[[[1,1,…]]]]` is two bytes an
/// element and hundreds of spaces a line once indented): past this size it is shown as it came.
const MAX_PRETTY_BYTES: usize = 8 << 20;

/// `text` indented two spaces a level, when it is one JSON document; `None` when it is not JSON
/// (or nested deeper than serde_json reads, 128 levels), or too large once indented.
pub fn pretty_json(text: &str) -> Option<String> {
    serde_json::from_str::<IgnoredAny>(text).ok()?;
    let mut out = String::with_capacity(text.len() + text.len() / 2);
    let mut depth = 0usize;
    let mut in_string = false;
    let mut escaped = false;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if in_string {
            out.push(c);
            match (escaped, c) {
                (true, _) => escaped = false,
                (false, '\\') => escaped = true,
                (false, '"') => in_string = false,
                _ => {}
            }
            continue;
        }
        match c {
            '"' => {
                in_string = true;
                out.push(c);
            }
            '{' | '[' => {
                while chars.next_if(|c| c.is_ascii_whitespace()).is_some() {}
                let close = if c == '{' { '}' } else { ']' };
                out.push(c);
                if chars.next_if_eq(&close).is_some() {
                    out.push(close);
                } else {
                    depth += 1;
                    new_line(&mut out, depth);
                }
            }
            '}' | ']' => {
                depth = depth.saturating_sub(1);
                new_line(&mut out, depth);
                out.push(c);
            }
            ',' => {
                out.push(c);
                new_line(&mut out, depth);
            }
            ':' => out.push_str(": "),
            c if c.is_ascii_whitespace() => {}
            c => out.push(c),
        }
        if out.len() > MAX_PRETTY_BYTES {
            return None;
        }
    }
    Some(out)
}

fn new_line(out: &mut String, depth: usize) {
    out.push('\n');
    for _ in 0..depth {
        out.push_str("  ");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn indents_like_serde_json_does() {
        let text = r#" {"a": [1, 2.50, {"b": null}], "c": {}, "d": [], "e": "x, {y}: \"z\" \\"} "#;
        let value: serde_json::Value = serde_json::from_str(text).expect("json");
        let expected = serde_json::to_string_pretty(&value)
            .expect("pretty")
            .replace("2.5", "2.50");
        assert_eq!(pretty_json(text).as_deref(), Some(expected.as_str()));
    }

    #[test]
    fn keeps_what_the_server_wrote_inside_strings() {
        assert_eq!(
            pretty_json(r#"["\u00e9\/", 1e3]"#).as_deref(),
            Some("[\n  \"\\u00e9\\/\",\n  1e3\n]")
        );
    }

    #[test]
    fn not_json_is_none() {
        assert_eq!(pretty_json("<html>"), None);
        assert_eq!(pretty_json("{\"a\": 1} trailing"), None);
        assert_eq!(pretty_json(""), None);
    }

    #[test]
    fn nesting_past_the_parsers_limit_is_not_json() {
        let deep = format!("{}{}", "[".repeat(10_000), "]".repeat(10_000));
        assert_eq!(pretty_json(&deep), None);
        let fine = format!("{}{}", "[".repeat(100), "]".repeat(100));
        assert!(pretty_json(&fine).is_some_and(|p| p.lines().count() == 199));
    }

    #[test]
    fn an_answer_that_indentation_would_blow_up_is_left_as_it_came() {
        let inner = "1,".repeat(600_000);
        let text = format!("{}[{inner}1]{}", "[".repeat(100), "]".repeat(100));
        assert_eq!(pretty_json(&text), None);
    }
}
