//! "Copy as curl": a shell command that repeats a request, with the password left out unless
//! asked for.

use super::request::{Encoding, RequestSummary};

/// What stands in for the password in a copied curl command.
pub const PASSWORD_PLACEHOLDER: &str = "<PASSWORD>";

/// What stands in for the refresh token: a command for a ticket never carries one.
pub const REFRESH_TOKEN_PLACEHOLDER: &str = "<REFRESH_TOKEN>";

/// A curl command that repeats a token request; the password is a placeholder unless given,
/// and a refresh token always is.
pub fn curl_command(summary: &RequestSummary, password: Option<&str>) -> String {
    let password = password.unwrap_or(PASSWORD_PLACEHOLDER);
    let mut fields: Vec<(&str, &str)> = Vec::new();
    if let Some(grant_type) = &summary.grant_type {
        fields.push(("grant_type", grant_type));
    }
    if let Some(username) = &summary.username {
        fields.push(("username", username));
        fields.push(("password", password));
    }
    if summary.grant_type.as_deref() == Some("refresh_token") {
        fields.push(("refresh_token", REFRESH_TOKEN_PLACEHOLDER));
    }
    fields.push(("client_id", &summary.client_id));
    if let Some(scope) = &summary.scope {
        fields.push(("scope", scope));
    }
    let body = match summary.encoding {
        Encoding::Json => {
            let map: serde_json::Map<String, serde_json::Value> = fields
                .iter()
                .map(|(k, v)| ((*k).to_owned(), serde_json::Value::from(*v)))
                .collect();
            serde_json::Value::Object(map).to_string()
        }
        Encoding::Form => {
            let mut form = form_urlencoded::Serializer::new(String::new());
            form.extend_pairs(fields);
            form.finish()
        }
    };
    format!(
        "curl -sS -X POST {} -H {} -H {} --data-raw {}",
        shell_quote(&summary.url),
        shell_quote(&format!(
            "Content-Type: {}",
            summary.encoding.content_type()
        )),
        shell_quote("Accept: application/json"),
        shell_quote(&body)
    )
}

/// POSIX single quoting: safe for any text.
fn shell_quote(text: &str) -> String {
    format!("'{}'", text.replace('\'', "'\\''"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::auth::request::sample_draft as draft;

    #[test]
    fn curl_uses_a_placeholder_unless_told() {
        let checked = draft("https://x.io", &[]).check().expect("ok");
        let summary = checked.request.summary();
        let curl = curl_command(&summary, None);
        assert!(curl.contains(PASSWORD_PLACEHOLDER), "{curl}");
        assert!(!curl.contains("wörd"), "{curl}");
        assert!(
            curl.starts_with("curl -sS -X POST 'https://x.io/oauth/token'"),
            "{curl}"
        );
        let with = curl_command(&summary, Some("it's"));
        assert!(with.contains(r#""password":"it'\''s""#), "{with}");
    }
}
