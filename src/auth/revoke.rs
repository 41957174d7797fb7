//! What is asked of the revoke endpoint: one access or refresh token, for the client it was
//! issued to.

use std::time::Duration;

use secrecy::{ExposeSecret, SecretString};
use url::Url;

use super::request::{
    check_timeout, checked_client_id, Encoding, Endpoint, InputError, RequestSummary, Required,
};
use super::url::revoke_url;

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
            return Err(InputError::Empty(Required::Token));
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

impl RevokeRequest {
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::auth::request::DEFAULT_TIMEOUT;

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
}
