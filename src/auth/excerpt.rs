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

/// The length of a JWT (`eyJ…` header, two dots) at the start of `text`.
fn jwt_at(text: &str) -> Option<usize> {
    if !text.starts_with("eyJ") {
        return None;
    }
    let len = text
        .char_indices()
        .find(|(_, c)| !(c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.')))
        .map_or(text.len(), |(i, _)| i);
    let candidate = text.get(..len)?;
    (candidate.matches('.').count() >= 2).then_some(len)
}

/// At the start of `text`, a token field name and what separates it from its value
/// (`access_token": "`, `refresh_token=`): how much to keep, and the value's length.
fn token_field_at(text: &str) -> Option<(usize, usize)> {
    let field = TOKEN_FIELDS.iter().find(|f| text.starts_with(**f))?;
    let after = text.get(field.len()..)?;
    let separator = after
        .char_indices()
        .find(|(_, c)| !matches!(c, '"' | '\'' | ' ' | '\t' | ':' | '='))
        .map_or(after.len(), |(i, _)| i);
    let between = after.get(..separator)?;
    if !between.contains([':', '=']) {
        return None;
    }
    let value = after.get(separator..)?;
    let value_len = value
        .char_indices()
        .find(|(_, c)| !is_token_char(*c))
        .map_or(value.len(), |(i, _)| i);
    (value_len > 0).then_some((field.len() + separator, value_len))
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

    #[test]
    fn ordinary_text_is_untouched() {
        assert_eq!(
            redact_tokens("eyJ alone, access_token missing"),
            "eyJ alone, access_token missing"
        );
    }
}
