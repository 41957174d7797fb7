//! What is asked of the auth host: token requests (the grant, its body in either encoding),
//! revocations, the URL rule, and where a token's signing keys are published.

use std::net::IpAddr;
use std::time::Duration;

use secrecy::{ExposeSecret, SecretString};
use serde::Serialize;
use thiserror::Error;
use url::Url;
use zeroize::Zeroizing;

use super::scope::{join_scopes, parse_scopes, Scope, ScopeError};
use super::token::Issued;

pub const DEFAULT_BASE_URL: &str = "https://auth.commercelayer.io";
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);
const TOKEN_PATH: &str = "/oauth/token";
/// The domains Commerce Layer's own CLI knows: production, `.app`, and `.co` (staging).
pub const COMMERCE_LAYER_DOMAINS: [&str; 3] =
    ["commercelayer.io", "commercelayer.app", "commercelayer.co"];

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

/// Which endpoint a request went to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Endpoint {
    /// `/oauth/token`: login, refresh, guest.
    Token,
    /// `/oauth/revoke`.
    Revoke,
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

/// Where the keys that signed a token are published. A Commerce Layer issuer
/// (`https://auth.<domain>`) publishes them itself; any other issuer claim is not trusted as a
/// place to fetch from, so a missing or foreign `iss` (old tokens, the demo server, a custom
/// domain) means the configured base URL's host, except that a legacy Commerce Layer host
/// (`https://<slug>.commercelayer.io`) means that domain's auth host.
pub fn keys_url(iss: Option<&str>, base: &str) -> Result<Url, InputError> {
    if let Some(issuer) = iss.and_then(commerce_layer_auth_host) {
        return jwks_url(issuer.as_str());
    }
    let base_url = endpoint_url(base, "")?;
    let domain = base_url.host_str().and_then(|host| {
        COMMERCE_LAYER_DOMAINS
            .into_iter()
            .find(|d| host.strip_suffix(d).is_some_and(|sub| sub.ends_with('.')))
    });
    match domain {
        Some(domain) if base_url.scheme() == "https" => jwks_url(&format!("https://auth.{domain}")),
        _ => jwks_url(base),
    }
}

/// `iss` when it is exactly a Commerce Layer auth host: https, no port, user or path.
fn commerce_layer_auth_host(iss: &str) -> Option<Url> {
    let url = Url::parse(iss.trim()).ok()?;
    let domain = url.host_str()?.strip_prefix("auth.")?;
    let plain = url.scheme() == "https"
        && url.port().is_none()
        && url.username().is_empty()
        && url.password().is_none()
        && url.path().trim_end_matches('/').is_empty()
        && url.query().is_none();
    (plain && COMMERCE_LAYER_DOMAINS.contains(&domain)).then_some(url)
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

/// localhost, 127.0.0.0/8 or ::1: traffic that never leaves this machine.
pub fn is_loopback(url: &Url) -> bool {
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

/// The parts of a request that may be shown anywhere: no password, no token.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RequestSummary {
    pub endpoint: Endpoint,
    pub url: String,
    /// `None` for a revocation.
    pub grant_type: Option<String>,
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

fn checked_client_id(client_id: &str) -> Result<&str, InputError> {
    let client_id = client_id.trim();
    if client_id.is_empty() {
        return Err(InputError::Empty("client ID"));
    }
    Ok(client_id)
}

/// The timeout rule every request follows, in every face: 1 to 600 seconds.
pub fn check_timeout(timeout: Duration) -> Result<(), InputError> {
    if timeout.is_zero() || timeout > Duration::from_secs(600) {
        return Err(InputError::BadTimeout);
    }
    Ok(())
}

impl RequestDraft<'_> {
    /// Applies the same rules in every face: URL rule, non-empty fields, scope syntax.
    pub fn check(self) -> Result<Checked, InputError> {
        let url = token_url(self.base_url)?;
        let client_id = checked_client_id(self.client_id)?;
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
        check_timeout(self.timeout)?;
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
        let grant = match self.grant {
            Grant::Password { username, password } => Grant::Password {
                username: username.trim().to_owned(),
                password,
            },
            Grant::RefreshToken { refresh_token } => Grant::RefreshToken {
                refresh_token: SecretString::from(
                    super::token::bare_token(refresh_token.expose_secret()).to_owned(),
                ),
            },
            other => other,
        };
        Ok(Checked {
            request: TokenRequest {
                url,
                client_id: client_id.to_owned(),
                grant,
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
            endpoint: Endpoint::Token,
            url: self.url.to_string(),
            grant_type: Some(self.grant.grant_type().to_owned()),
            client_id: self.client_id.clone(),
            username: self.grant.username().map(str::to_owned),
            scope: self.scope.clone(),
            encoding: self.encoding,
        }
    }

    /// For a refresh: whether the answer carries a refresh token other than the one sent (the
    /// one sent should then stop working). `None` for other grants or when nothing was issued.
    pub fn refresh_rotated(&self, issued: Option<&Issued>) -> Option<bool> {
        let Grant::RefreshToken { refresh_token } = &self.grant else {
            return None;
        };
        let issued = issued?;
        Some(
            issued
                .refresh_token
                .as_deref()
                .is_some_and(|new| new != refresh_token.expose_secret()),
        )
    }
}

impl RequestSummary {
    /// A token request to the same URL, for the same client, scope and encoding, with another
    /// grant: refresh a shown login with its refresh token (the scope must match the original),
    /// or ask for the guest token to compare with.
    pub fn follow_up(&self, grant: Grant, timeout: Duration) -> Result<TokenRequest, InputError> {
        let scopes: Vec<String> = self.scope.iter().cloned().collect();
        RequestDraft {
            base_url: &self.url,
            client_id: &self.client_id,
            grant,
            scopes: &scopes,
            check_scopes: false,
            encoding: self.encoding,
            timeout,
        }
        .check()
        .map(|checked| checked.request)
    }
}

/// What a face collected to revoke a token, before checking.
#[derive(Debug)]
pub struct RevokeDraft<'a> {
    pub base_url: &'a str,
    pub client_id: &'a str,
    /// The access or the refresh token.
    pub token: SecretString,
    pub timeout: Duration,
}

/// A checked request to `/oauth/revoke`: JSON `{client_id, token}`.
#[derive(Debug)]
pub struct RevokeRequest {
    pub url: Url,
    pub client_id: String,
    pub token: SecretString,
    pub timeout: Duration,
}

impl RevokeDraft<'_> {
    pub fn check(self) -> Result<RevokeRequest, InputError> {
        let url = revoke_url(self.base_url)?;
        let client_id = checked_client_id(self.client_id)?.to_owned();
        let token = super::token::bare_token(self.token.expose_secret());
        if token.is_empty() {
            return Err(InputError::Empty("token"));
        }
        check_timeout(self.timeout)?;
        Ok(RevokeRequest {
            url,
            client_id,
            token: SecretString::from(token.to_owned()),
            timeout: self.timeout,
        })
    }
}

#[derive(Serialize)]
struct RevokeBody<'a> {
    client_id: &'a str,
    token: &'a str,
}

impl RevokeRequest {
    /// The body bytes, in a buffer that is zeroized when dropped.
    pub fn body(&self) -> Zeroizing<Vec<u8>> {
        let mut out = Zeroizing::new(Vec::with_capacity(1024));
        // Serializing plain strings into a Vec cannot fail.
        let _ = serde_json::to_writer(
            &mut *out,
            &RevokeBody {
                client_id: &self.client_id,
                token: self.token.expose_secret(),
            },
        );
        out
    }

    pub fn summary(&self) -> RequestSummary {
        RequestSummary {
            endpoint: Endpoint::Revoke,
            url: self.url.to_string(),
            grant_type: None,
            client_id: self.client_id.clone(),
            username: None,
            scope: None,
            encoding: Encoding::Json,
        }
    }
}

/// What stands in for the password in a copied curl command.
pub const PASSWORD_PLACEHOLDER: &str = "<PASSWORD>";

/// A curl command that repeats a password login; the password is a placeholder unless given.
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
    fn keys_come_from_a_commerce_layer_issuer_else_from_the_base_url() {
        let keys = |iss: Option<&str>, base: &str| keys_url(iss, base).expect("url").to_string();
        let demo = "http://127.0.0.1:4000";
        assert_eq!(
            keys(Some("https://auth.commercelayer.app"), demo),
            "https://auth.commercelayer.app/.well-known/jwks.json"
        );
        assert_eq!(
            keys(Some(demo), demo),
            "http://127.0.0.1:4000/.well-known/jwks.json"
        );
        assert_eq!(
            keys(None, "https://login.example.com/oauth/token"),
            "https://login.example.com/.well-known/jwks.json"
        );
        assert_eq!(
            keys(None, "https://acme.commercelayer.io"),
            "https://auth.commercelayer.io/.well-known/jwks.json",
            "a legacy organization host publishes no keys of its own"
        );
        for foreign in [
            "https://auth.evil.example",
            "https://auth.commercelayer.io.evil.example",
            "http://auth.commercelayer.io",
            "https://auth.commercelayer.io:8443",
            "https://auth.commercelayer.io/elsewhere",
            "https://user@auth.commercelayer.io",
        ] {
            assert_eq!(
                keys(Some(foreign), demo),
                "http://127.0.0.1:4000/.well-known/jwks.json",
                "{foreign} is not a Commerce Layer issuer"
            );
        }
    }

    #[test]
    fn a_follow_up_keeps_url_client_scope_and_encoding() {
        let scopes = vec!["market:code:eu".to_owned()];
        let mut d = draft("http://127.0.0.1:9", &scopes);
        d.encoding = Encoding::Form;
        let login = d.check().expect("ok").request.summary();
        let refresh = login
            .follow_up(
                Grant::RefreshToken {
                    refresh_token: SecretString::from(" Bearer rt-1\n".to_owned()),
                },
                DEFAULT_TIMEOUT,
            )
            .expect("refresh");
        let summary = refresh.summary();
        assert_eq!(summary.url, "http://127.0.0.1:9/oauth/token");
        assert_eq!(summary.grant_type.as_deref(), Some("refresh_token"));
        assert_eq!(summary.client_id, "abc");
        assert_eq!(summary.scope.as_deref(), Some("market:code:eu"));
        assert_eq!(summary.encoding, Encoding::Form);
        let pairs: std::collections::HashMap<String, String> =
            form_urlencoded::parse(&refresh.body())
                .into_owned()
                .collect();
        assert_eq!(pairs["refresh_token"], "rt-1", "pasted blanks are dropped");
    }

    #[test]
    fn rotation_means_a_different_refresh_token_came_back() {
        let request = |sent: &str| TokenRequest {
            url: token_url("https://x.io").expect("url"),
            client_id: "abc".into(),
            grant: Grant::RefreshToken {
                refresh_token: SecretString::from(sent.to_owned()),
            },
            scope: None,
            encoding: Encoding::Json,
            timeout: DEFAULT_TIMEOUT,
        };
        let issued = |refresh: Option<&str>| {
            let mut body = serde_json::json!({"access_token": "a"});
            if let Some(r) = refresh {
                body["refresh_token"] = r.into();
            }
            crate::auth::token::decode_issued(body, std::time::SystemTime::now()).expect("issued")
        };
        let rt = request("old");
        assert_eq!(rt.refresh_rotated(Some(&issued(Some("new")))), Some(true));
        assert_eq!(rt.refresh_rotated(Some(&issued(Some("old")))), Some(false));
        assert_eq!(rt.refresh_rotated(Some(&issued(None))), Some(false));
        assert_eq!(rt.refresh_rotated(None), None);
        let login = draft("https://x.io", &[]).check().expect("ok").request;
        assert_eq!(login.refresh_rotated(Some(&issued(Some("new")))), None);
    }

    #[test]
    fn a_revocation_sends_client_and_token_as_json() {
        let request = RevokeDraft {
            base_url: "https://auth.commercelayer.io/oauth/token",
            client_id: " abc ",
            token: SecretString::from("Bearer tok.en.x\n".to_owned()),
            timeout: DEFAULT_TIMEOUT,
        }
        .check()
        .expect("ok");
        assert_eq!(
            request.url.as_str(),
            "https://auth.commercelayer.io/oauth/revoke"
        );
        let body: serde_json::Value = serde_json::from_slice(&request.body()).expect("json");
        assert_eq!(
            body,
            serde_json::json!({"client_id": "abc", "token": "tok.en.x"})
        );
        assert_eq!(request.summary().endpoint, Endpoint::Revoke);
        assert!(!format!("{request:?}").contains("tok.en.x"));
        let empty = RevokeDraft {
            base_url: "https://x.io",
            client_id: "abc",
            token: SecretString::from(" \n".to_owned()),
            timeout: DEFAULT_TIMEOUT,
        };
        assert_eq!(
            empty.check().expect_err("empty").to_string(),
            "token is empty"
        );
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
