//! What is asked of `/oauth/token`: the grant, its body in either encoding, and the URL rule.

use std::net::IpAddr;
use std::time::Duration;

use secrecy::{ExposeSecret, SecretString};
use serde::Serialize;
use thiserror::Error;
use url::Url;
use zeroize::Zeroizing;

use super::scope::{join_scopes, parse_scopes, Scope, ScopeError};

pub const DEFAULT_BASE_URL: &str = "https://auth.commercelayer.io";
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);
const TOKEN_PATH: &str = "/oauth/token";

/// How the body is encoded. Commerce Layer documents JSON; RFC 6749 servers need a form.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Encoding {
    #[default]
    Json,
    Form,
}

impl Encoding {
    pub fn content_type(self) -> &'static str {
        match self {
            Encoding::Json => "application/json",
            Encoding::Form => "application/x-www-form-urlencoded",
        }
    }
}

/// The grant and its secret parts. Secrets stay wrapped so `Debug` never shows them, and they are
/// zeroized when the request is dropped.
#[derive(Debug)]
pub enum Grant {
    Password {
        username: String,
        password: SecretString,
    },
    RefreshToken {
        refresh_token: SecretString,
    },
    ClientCredentials {
        client_secret: Option<SecretString>,
    },
}

impl Grant {
    pub fn grant_type(&self) -> &'static str {
        match self {
            Grant::Password { .. } => "password",
            Grant::RefreshToken { .. } => "refresh_token",
            Grant::ClientCredentials { .. } => "client_credentials",
        }
    }

    pub fn username(&self) -> Option<&str> {
        match self {
            Grant::Password { username, .. } => Some(username),
            _ => None,
        }
    }
}

/// Everything wrong with a request found before anything is sent.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum InputError {
    #[error("{0} is empty")]
    Empty(&'static str),
    #[error("base URL `{url}` is not a URL: {reason}")]
    BadUrl { url: String, reason: String },
    #[error("base URL `{0}` uses plain http to a host that is not this machine; a password must not cross a network in clear text (use https)")]
    InsecureUrl(String),
    #[error("base URL `{0}` must start with https:// (or http:// to localhost)")]
    UnsupportedScheme(String),
    #[error(transparent)]
    Scope(#[from] ScopeError),
    #[error("timeout must be between 1 and 600 seconds")]
    BadTimeout,
}

/// Builds the token URL from a base URL: `https://auth.commercelayer.io` and
/// `https://auth.commercelayer.io/oauth/token` both give the latter. Plain http is allowed to
/// loopback hosts only.
pub fn token_url(base: &str) -> Result<Url, InputError> {
    endpoint_url(base, TOKEN_PATH)
}

/// The revoke endpoint on the same host as the token endpoint.
pub fn revoke_url(base: &str) -> Result<Url, InputError> {
    endpoint_url(base, "/oauth/revoke")
}

/// The JWKS document on the same host.
pub fn jwks_url(base: &str) -> Result<Url, InputError> {
    endpoint_url(base, "/.well-known/jwks.json")
}

fn endpoint_url(base: &str, path: &str) -> Result<Url, InputError> {
    let base = base.trim();
    if base.is_empty() {
        return Err(InputError::Empty("base URL"));
    }
    let mut url = Url::parse(base).map_err(|e| InputError::BadUrl {
        url: base.to_owned(),
        reason: e.to_string(),
    })?;
    check_transport_rule(&url)?;
    if !url.username().is_empty() || url.password().is_some() {
        return Err(InputError::BadUrl {
            url: base.to_owned(),
            reason: "credentials do not belong in the URL".to_owned(),
        });
    }
    let trimmed = url.path().trim_end_matches('/').to_owned();
    let root = trimmed
        .strip_suffix(TOKEN_PATH)
        .unwrap_or(&trimmed)
        .to_owned();
    url.set_path(&format!("{root}{path}"));
    url.set_query(None);
    url.set_fragment(None);
    Ok(url)
}

/// https anywhere; http only to this machine.
pub fn check_transport_rule(url: &Url) -> Result<(), InputError> {
    match url.scheme() {
        "https" => Ok(()),
        "http" if is_loopback(url) => Ok(()),
        "http" => Err(InputError::InsecureUrl(url.to_string())),
        _ => Err(InputError::UnsupportedScheme(url.to_string())),
    }
}

fn is_loopback(url: &Url) -> bool {
    match url.host() {
        Some(url::Host::Domain(name)) => name.eq_ignore_ascii_case("localhost"),
        Some(url::Host::Ipv4(ip)) => IpAddr::V4(ip).is_loopback(),
        Some(url::Host::Ipv6(ip)) => IpAddr::V6(ip).is_loopback(),
        None => false,
    }
}

/// A checked request to the token endpoint.
#[derive(Debug)]
pub struct TokenRequest {
    pub url: Url,
    pub client_id: String,
    pub grant: Grant,
    /// The wire scope string (space-separated), `None` when no scope is asked.
    pub scope: Option<String>,
    pub encoding: Encoding,
    pub timeout: Duration,
}

/// The parts of a request that may be shown anywhere: no password, no refresh token.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RequestSummary {
    pub url: String,
    pub grant_type: String,
    pub client_id: String,
    pub username: Option<String>,
    pub scope: Option<String>,
    pub encoding: Encoding,
}

/// What a face collected, before checking. Flags and fields map onto this one-to-one.
#[derive(Debug)]
pub struct RequestDraft<'a> {
    pub base_url: &'a str,
    pub client_id: &'a str,
    pub grant: Grant,
    pub scopes: &'a [String],
    /// Skip the scope syntax check (QA testing how the server reacts to a bad scope).
    pub check_scopes: bool,
    pub encoding: Encoding,
    pub timeout: Duration,
}

/// A checked request plus what the person should hear about it (legacy scopes, ...).
#[derive(Debug)]
pub struct Checked {
    pub request: TokenRequest,
    pub warnings: Vec<String>,
}

impl RequestDraft<'_> {
    /// Applies the same rules in every face: URL rule, non-empty fields, scope syntax.
    pub fn check(self) -> Result<Checked, InputError> {
        let url = token_url(self.base_url)?;
        let client_id = self.client_id.trim();
        if client_id.is_empty() {
            return Err(InputError::Empty("client ID"));
        }
        match &self.grant {
            Grant::Password { username, password } => {
                if username.trim().is_empty() {
                    return Err(InputError::Empty("customer email"));
                }
                if password.expose_secret().is_empty() {
                    return Err(InputError::Empty("password"));
                }
            }
            Grant::RefreshToken { refresh_token } => {
                if refresh_token.expose_secret().trim().is_empty() {
                    return Err(InputError::Empty("refresh token"));
                }
            }
            Grant::ClientCredentials { .. } => {}
        }
        if self.timeout.is_zero() || self.timeout > Duration::from_secs(600) {
            return Err(InputError::BadTimeout);
        }
        let mut warnings = Vec::new();
        let scope = if self.check_scopes {
            let scopes: Vec<Scope> = parse_scopes(self.scopes)?;
            for legacy in scopes.iter().filter(|s| s.is_legacy()) {
                warnings.push(format!(
                    "scope `{legacy}` uses the legacy numeric form; current organizations expect {}:id:<id> or {}:code:<code>",
                    legacy.kind.as_str(),
                    legacy.kind.as_str()
                ));
            }
            Some(join_scopes(&scopes))
        } else {
            Some(
                self.scopes
                    .iter()
                    .map(|s| s.trim())
                    .filter(|s| !s.is_empty())
                    .collect::<Vec<_>>()
                    .join(" "),
            )
        }
        .filter(|s| !s.is_empty());
        let username_trimmed = match self.grant {
            Grant::Password { username, password } => Grant::Password {
                username: username.trim().to_owned(),
                password,
            },
            other => other,
        };
        Ok(Checked {
            request: TokenRequest {
                url,
                client_id: client_id.to_owned(),
                grant: username_trimmed,
                scope,
                encoding: self.encoding,
                timeout: self.timeout,
            },
            warnings,
        })
    }
}

#[derive(Serialize)]
struct WireBody<'a> {
    grant_type: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    username: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    password: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    refresh_token: Option<&'a str>,
    client_id: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    client_secret: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    scope: Option<&'a str>,
}

impl TokenRequest {
    /// The body bytes, in a buffer that is zeroized when dropped.
    pub fn body(&self) -> Zeroizing<Vec<u8>> {
        let (username, password, refresh_token, client_secret) = match &self.grant {
            Grant::Password { username, password } => (
                Some(username.as_str()),
                Some(password.expose_secret()),
                None,
                None,
            ),
            Grant::RefreshToken { refresh_token } => {
                (None, None, Some(refresh_token.expose_secret()), None)
            }
            Grant::ClientCredentials { client_secret } => (
                None,
                None,
                None,
                client_secret.as_ref().map(|s| s.expose_secret()),
            ),
        };
        let wire = WireBody {
            grant_type: self.grant.grant_type(),
            username,
            password,
            refresh_token,
            client_id: &self.client_id,
            client_secret,
            scope: self.scope.as_deref(),
        };
        match self.encoding {
            Encoding::Json => {
                let mut out = Zeroizing::new(Vec::with_capacity(256));
                // Serializing plain strings into a Vec cannot fail.
                let _ = serde_json::to_writer(&mut *out, &wire);
                out
            }
            Encoding::Form => {
                let mut form = form_urlencoded::Serializer::new(String::new());
                form.append_pair("grant_type", wire.grant_type);
                for (name, value) in [
                    ("username", wire.username),
                    ("password", wire.password),
                    ("refresh_token", wire.refresh_token),
                    ("client_id", Some(wire.client_id)),
                    ("client_secret", wire.client_secret),
                    ("scope", wire.scope),
                ] {
                    if let Some(value) = value {
                        form.append_pair(name, value);
                    }
                }
                Zeroizing::new(form.finish().into_bytes())
            }
        }
    }

    pub fn summary(&self) -> RequestSummary {
        RequestSummary {
            url: self.url.to_string(),
            grant_type: self.grant.grant_type().to_owned(),
            client_id: self.client_id.clone(),
            username: self.grant.username().map(str::to_owned),
            scope: self.scope.clone(),
            encoding: self.encoding,
        }
    }
}

/// What stands in for the password in a copied curl command.
pub const PASSWORD_PLACEHOLDER: &str = "<PASSWORD>";

/// A curl command that repeats a password login; the password is a placeholder unless given.
pub fn curl_command(summary: &RequestSummary, password: Option<&str>) -> String {
    let password = password.unwrap_or(PASSWORD_PLACEHOLDER);
    let mut fields: Vec<(&str, &str)> = vec![("grant_type", &summary.grant_type)];
    if let Some(username) = &summary.username {
        fields.push(("username", username));
        fields.push(("password", password));
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

    fn draft<'a>(base: &'a str, scopes: &'a [String]) -> RequestDraft<'a> {
        RequestDraft {
            base_url: base,
            client_id: " abc ",
            grant: Grant::Password {
                username: " a@b.c ".into(),
                password: SecretString::from("p&ss=:+% wörd"),
            },
            scopes,
            check_scopes: true,
            encoding: Encoding::Json,
            timeout: DEFAULT_TIMEOUT,
        }
    }

    #[test]
    fn token_url_adds_path_once() {
        let url = token_url("https://auth.commercelayer.io").expect("ok");
        assert_eq!(url.as_str(), "https://auth.commercelayer.io/oauth/token");
        let url = token_url("https://acme.commercelayer.io/oauth/token/").expect("ok");
        assert_eq!(url.as_str(), "https://acme.commercelayer.io/oauth/token");
        let url = revoke_url("http://127.0.0.1:9/oauth/token").expect("ok");
        assert_eq!(url.as_str(), "http://127.0.0.1:9/oauth/revoke");
    }

    #[test]
    fn plain_http_only_to_loopback() {
        for ok in [
            "http://localhost:1",
            "http://127.0.0.2",
            "http://[::1]:8080",
            "https://example.com",
        ] {
            assert!(token_url(ok).is_ok(), "{ok}");
        }
        for bad in [
            "http://auth.commercelayer.io",
            "http://10.0.0.1",
            "http://localhost.evil.com",
        ] {
            assert!(
                matches!(token_url(bad), Err(InputError::InsecureUrl(_))),
                "{bad}"
            );
        }
        assert!(matches!(
            token_url("ftp://x"),
            Err(InputError::UnsupportedScheme(_))
        ));
        assert!(matches!(
            token_url("auth.commercelayer.io"),
            Err(InputError::BadUrl { .. })
        ));
        assert!(token_url("https://user:pw@host").is_err());
    }

    #[test]
    fn json_body_has_fields_and_escapes() {
        let checked = draft("https://x.io", &[]).check().expect("ok");
        let body = checked.request.body();
        let value: serde_json::Value = serde_json::from_slice(&body).expect("json");
        assert_eq!(value["grant_type"], "password");
        assert_eq!(value["username"], "a@b.c");
        assert_eq!(value["password"], "p&ss=:+% wörd");
        assert_eq!(value["client_id"], "abc");
        assert!(value.get("scope").is_none());
    }

    #[test]
    fn form_body_round_trips() {
        let scopes = vec![
            "market:code:eu".to_owned(),
            "stock_location:id:x".to_owned(),
        ];
        let mut d = draft("https://x.io", &scopes);
        d.encoding = Encoding::Form;
        let body = d.check().expect("ok").request.body();
        let pairs: std::collections::HashMap<String, String> =
            form_urlencoded::parse(&body).into_owned().collect();
        assert_eq!(pairs["password"], "p&ss=:+% wörd");
        assert_eq!(pairs["scope"], "market:code:eu stock_location:id:x");
    }

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

    #[test]
    fn debug_never_shows_the_password() {
        let checked = draft("https://x.io", &[]).check().expect("ok");
        let shown = format!("{checked:?}");
        assert!(!shown.contains("p&ss"), "{shown}");
    }

    #[test]
    fn empty_fields_and_bad_scopes_are_refused() {
        let mut d = draft("https://x.io", &[]);
        d.client_id = "  ";
        assert_eq!(
            d.check().expect_err("empty").to_string(),
            "client ID is empty"
        );
        let scopes = vec!["market:nope".to_owned()];
        assert!(matches!(
            draft("https://x.io", &scopes).check(),
            Err(InputError::Scope(_))
        ));
        let mut d = draft("https://x.io", &scopes);
        d.check_scopes = false;
        assert_eq!(
            d.check().expect("unchecked").request.scope.as_deref(),
            Some("market:nope")
        );
    }
}
