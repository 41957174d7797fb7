//! What is asked of the token endpoint: the grant and its secrets, the draft a face collects, the
//! checks every face applies before anything is sent, and the summary that may be shown anywhere.

use std::time::Duration;

use secrecy::{ExposeSecret, SecretString};
use serde::Serialize;
use thiserror::Error;
use url::Url;

use super::scope::{join_scopes, parse_scopes, Scope, ScopeError};
use super::token::Issued;
use super::url::token_url;

pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);

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

/// A field no request can do without; the faces put the message next to it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Required {
    BaseUrl,
    ClientId,
    Email,
    Password,
    RefreshToken,
    Token,
}

impl std::fmt::Display for Required {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Required::BaseUrl => "base URL",
            Required::ClientId => "client ID",
            Required::Email => "customer email",
            Required::Password => "password",
            Required::RefreshToken => "refresh token",
            Required::Token => "token",
        })
    }
}

/// Everything wrong with a request found before anything is sent.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum InputError {
    #[error("{0} is empty")]
    Empty(Required),
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

pub(super) fn checked_client_id(client_id: &str) -> Result<&str, InputError> {
    let client_id = client_id.trim();
    if client_id.is_empty() {
        return Err(InputError::Empty(Required::ClientId));
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
                    return Err(InputError::Empty(Required::Email));
                }
                if password.expose_secret().is_empty() {
                    return Err(InputError::Empty(Required::Password));
                }
            }
            Grant::RefreshToken { refresh_token } => {
                if refresh_token.expose_secret().trim().is_empty() {
                    return Err(InputError::Empty(Required::RefreshToken));
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

impl TokenRequest {
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

/// A password request with spaces to trim and characters to escape in its fields: the auth
/// module's tests build their requests from it.
#[cfg(test)]
pub(crate) fn sample_draft<'a>(base: &'a str, scopes: &'a [String]) -> RequestDraft<'a> {
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

#[cfg(test)]
mod tests {
    use super::*;
    use sample_draft as draft;

    #[test]
    fn debug_never_shows_the_password() {
        let checked = draft("https://x.io", &[]).check().expect("ok");
        let shown = format!("{checked:?}");
        assert!(!shown.contains("p&ss"), "{shown}");
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
