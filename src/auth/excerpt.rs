//! A short look at a body that could not be read, safe to print: token-shaped values redacted
//! (an unreadable answer can still carry a token, and an excerpt is shown without
//! `--show-token`), control characters and invalid UTF-8 escaped, at most [`MAX_CHARS`].

/// How much of the body an excerpt shows.
pub const MAX_CHARS: usize = 160;

/// What stands in for a token in an excerpt.
const REDACTED: &str = "[redacted]";

/// The fields whose values are tokens, in JSON or form bodies.
const TOKEN_FIELDS: [&str; 3] = ["access_token", "refresh_token", "id_token"];

/// The first [`MAX_CHARS`] characters of `body`, tokens redacted and controls escaped.
pub fn excerpt(body: &[u8]) -> String {
    // Tokens are found in more than is shown, so one cut at the edge is still recognized.
    let window = body.get(..MAX_CHARS * 16).unwrap_or(body);
    let text = redact_tokens(&String::from_utf8_lossy(window));
    let mut out: String = text
        .chars()
        .take(MAX_CHARS)
        .flat_map(char::escape_debug)
        .collect();
    if text.chars().count() > MAX_CHARS || body.len() > window.len() {
        out.push('…');
    }
    out
}

fn is_token_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | '~' | '+' | '/' | '=')
}

/// `text` with JWTs and the values of token fields replaced by `[redacted]`.
pub fn redact_tokens(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while !rest.is_empty() {
        if let Some(len) = jwt_at(rest) {
            out.push_str(REDACTED);
            rest = rest.get(len..).unwrap_or_default();
        } else if let Some((kept, value_len)) = token_field_at(rest) {
            out.push_str(rest.get(..kept).unwrap_or_default());
            out.push_str(REDACTED);
            rest = rest.get(kept + value_len..).unwrap_or_default();
        } else {
            let Some(c) = rest.chars().next() else { break };
            out.push(c);
            rest = rest.get(c.len_utf8()..).unwrap_or_default();
        }
    }
    out
}

/// The length of a JWT at the start of `text`: three or more dot-separated base64url parts
/// whose first is a JSON object (`eyJ…` for `{"`, but `{}` or `{ "alg"` encode otherwise).
fn jwt_at(text: &str) -> Option<usize> {
    // Every base64url text of a JSON object starts with `e`, the encoding of `{`'s first bits.
    if !text.starts_with('e') {
        return None;
    }
    let len = text
        .char_indices()
        .find(|(_, c)| !(c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.')))
        .map_or(text.len(), |(i, _)| i);
    let candidate = text.get(..len)?;
    if candidate.matches('.').count() < 2 {
        return None;
    }
    let header = candidate.split('.').next()?;
    (header.starts_with("eyJ") || is_json_object(header)).then_some(len)
}

/// Whether a base64url part decodes to a JSON object's opening brace.
fn is_json_object(part: &str) -> bool {
    use base64::Engine;
    // The first four characters hold the first three bytes; more is not needed to see a `{`.
    let quantum = part.get(..4).unwrap_or(part);
    base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(quantum)
        .ok()
        .and_then(|bytes| bytes.into_iter().find(|b| !b.is_ascii_whitespace()))
        == Some(b'{')
}

/// At the start of `text`, a token field name and what separates it from its value
/// (`access_token": "`, `refresh_token=`, a line break in pretty-printed JSON): how much to
/// keep, and the value's length. A quoted value runs to its closing quote, escapes and all.
fn token_field_at(text: &str) -> Option<(usize, usize)> {
    let field = TOKEN_FIELDS.iter().find(|f| text.starts_with(**f))?;
    let after = text.get(field.len()..)?;
    let rest = after.trim_start_matches(['"', '\'']).trim_start();
    let rest = rest.strip_prefix([':', '='])?.trim_start();
    let (value, value_len) = match rest.strip_prefix(['"', '\'']) {
        Some(value) => {
            let quote = rest.chars().next()?;
            (value, quoted_len(value, quote))
        }
        None => (
            rest,
            rest.char_indices()
                .find(|(_, c)| !is_token_char(*c))
                .map_or(rest.len(), |(i, _)| i),
        ),
    };
    (value_len > 0).then_some((text.len() - value.len(), value_len))
}

/// The length of a quoted value up to (not including) its closing `quote`; a backslash escapes
/// the character after it. Without a closing quote, all of `value`.
fn quoted_len(value: &str, quote: char) -> usize {
    let mut escaped = false;
    for (i, c) in value.char_indices() {
        match c {
            _ if escaped => escaped = false,
            '\\' => escaped = true,
            c if c == quote => return i,
            _ => {}
        }
    }
    value.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn excerpt_escapes_controls() {
        assert_eq!(excerpt(b"a\nb\x1b"), "a\\nb\\u{1b}");
    }

    #[test]
    fn jwts_and_token_fields_are_redacted() {
        let body = br#"{"access_token": "eyJhbGciOiJSUzUxMiJ9.eyJzdWIiOiIxIn0.c2ln", "refresh_token":"rt-SECRET_1", "scope":"market:all"}"#;
        let shown = excerpt(body);
        assert!(!shown.contains("eyJhbG"), "{shown}");
        assert!(!shown.contains("rt-SECRET_1"), "{shown}");
        assert!(shown.contains("market:all"), "{shown}");
        let form = redact_tokens("error=x&access_token=abc.def&token_type=bearer");
        assert_eq!(form, "error=x&access_token=[redacted]&token_type=bearer");
        let bare = redact_tokens("<p>eyJa.eyJb.sig expired</p>");
        assert_eq!(bare, "<p>[redacted] expired</p>");
    }

    #[test]
    fn a_token_cut_at_the_excerpt_edge_is_still_redacted() {
        let mut body = "x".repeat(MAX_CHARS - 10).into_bytes();
        body.extend_from_slice(b"eyJhbGciOiJSUzUxMiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl");
        let shown = excerpt(&body);
        assert!(!shown.contains("eyJhbGci"), "{shown}");
    }

    /// Found by the property tests (tests/properties.rs): tokens the first redaction missed.
    #[test]
    fn tokens_in_pretty_json_with_escapes_or_an_unusual_header_are_redacted() {
        let pretty = "{\n  \"access_token\":\n    \"SECRET-1\",\n  \"scope\": \"market:all\"\n}";
        assert!(!excerpt(pretty.as_bytes()).contains("SECRET-1"));
        let escaped = r#"{"refresh_token":"ab\"c\u002fSECRET-2","scope":"x"}"#;
        let shown = redact_tokens(escaped);
        assert_eq!(shown, r#"{"refresh_token":"[redacted]","scope":"x"}"#);
        // `{}` encodes as `e30`, `{ "alg"` as `eyAi`: JWTs all the same.
        assert_eq!(redact_tokens("t e30.e30.SECRET-3 t"), "t [redacted] t");
        assert_eq!(redact_tokens("eyAiYSI6MX0.e30.SECRET-4"), "[redacted]");
        assert_eq!(redact_tokens("www.example.com"), "www.example.com");
    }

    #[test]
    fn ordinary_text_is_untouched() {
        assert_eq!(
            redact_tokens("eyJ alone, access_token missing"),
            "eyJ alone, access_token missing"
        );
    }
}
