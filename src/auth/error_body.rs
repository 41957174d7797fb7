//! Error bodies in every shape seen: `{"errors":[{title,detail,code,status}]}`, `errors` as a
//! single object, and RFC 6749 `{"error","error_description"}`.

use serde_json::Value;

/// An error the server put in its body, normalized.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ErrorBody {
    /// An OAuth-style code: `invalid_grant`, `invalid_client`, `too_many_requests`, ...
    pub code: String,
    pub title: Option<String>,
    pub detail: Option<String>,
}

fn text(value: &Value, key: &str) -> Option<String> {
    match value.get(key)? {
        Value::String(s) if !s.trim().is_empty() => Some(s.trim().to_owned()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

fn is_oauth_code(s: &str) -> bool {
    !s.is_empty()
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b == b'_' || b.is_ascii_digit())
}

/// `Too Many Requests` -> `too_many_requests`; `UNAUTHORIZED` -> `unauthorized`.
fn snake(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('_') && !out.is_empty() {
            out.push('_');
        }
    }
    out.trim_end_matches('_').to_owned()
}

fn from_object(item: &Value) -> Option<ErrorBody> {
    if !item.is_object() {
        return None;
    }
    let title = text(item, "title");
    let code_field = text(item, "code");
    let detail = text(item, "detail").or_else(|| text(item, "message"));
    // Commerce Layer puts the OAuth code in `title` (`invalid_client`) and an HTTP-ish word in
    // `code` (`UNAUTHORIZED`); prefer whichever reads like an OAuth code.
    let code = [title.as_deref(), code_field.as_deref()]
        .into_iter()
        .flatten()
        .find(|s| is_oauth_code(s))
        .map(str::to_owned)
        .or_else(|| code_field.as_deref().or(title.as_deref()).map(snake))
        .filter(|c| !c.is_empty())?;
    Some(ErrorBody {
        code,
        title,
        detail,
    })
}

/// Finds the first error a body reports, whatever its shape.
pub fn decode_error(body: &Value) -> Option<ErrorBody> {
    match body.get("errors") {
        Some(Value::Array(items)) => return items.iter().find_map(from_object),
        Some(item @ Value::Object(_)) => return from_object(item),
        _ => {}
    }
    match body.get("error") {
        // Like an item of `errors`: no code can be read from text without a letter or digit.
        Some(Value::String(code)) if !snake(code).is_empty() => Some(ErrorBody {
            code: snake(code),
            title: Some(code.trim().to_owned()),
            detail: text(body, "error_description"),
        }),
        Some(item @ Value::Object(_)) => from_object(item),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn commerce_layer_array() {
        let e = decode_error(&json!({"errors":[{"title":"invalid_client","detail":"Client authentication failed","code":"UNAUTHORIZED","status":401}]})).expect("err");
        assert_eq!(e.code, "invalid_client");
        assert_eq!(e.detail.as_deref(), Some("Client authentication failed"));
    }

    #[test]
    fn single_object_and_string_status() {
        let e =
            decode_error(&json!({"errors":{"title":"invalid_grant","status":"400"}})).expect("err");
        assert_eq!(e.code, "invalid_grant");
    }

    #[test]
    fn rfc6749_shape() {
        let e = decode_error(&json!({"error":"invalid_grant","error_description":"bad creds"}))
            .expect("err");
        assert_eq!(e.code, "invalid_grant");
        assert_eq!(e.detail.as_deref(), Some("bad creds"));
    }

    #[test]
    fn human_titles_become_codes() {
        let e = decode_error(
            &json!({"errors":[{"title":"Too Many Requests","code":"TOO_MANY_REQUESTS"}]}),
        )
        .expect("err");
        assert_eq!(e.code, "too_many_requests");
    }

    /// Found by the property tests (tests/properties.rs): an empty code reached the faces.
    #[test]
    fn an_error_string_without_a_letter_or_digit_is_no_code() {
        assert_eq!(decode_error(&json!({"error": ":"})), None);
        assert_eq!(decode_error(&json!({"error": "Ошибка"})), None);
        assert_eq!(decode_error(&json!({"errors": [{"title": "—"}]})), None);
    }

    #[test]
    fn no_error_means_none() {
        assert_eq!(decode_error(&json!({"errors":[]})), None);
        assert_eq!(decode_error(&json!({"access_token":"x"})), None);
        assert_eq!(decode_error(&json!([1, 2])), None);
    }
}
