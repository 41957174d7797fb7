//! The bytes sent: token request bodies in JSON or form encoding, and revocation bodies, each in
//! a buffer that is zeroized when dropped (they hold the password or a token).

use secrecy::ExposeSecret;
use serde::Serialize;
use zeroize::Zeroizing;

use super::request::{Encoding, Grant, TokenRequest};
use super::revoke::RevokeRequest;

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
            Encoding::Json => json_bytes(&wire),
            Encoding::Form => {
                let fields = [
                    wire.username,
                    wire.password,
                    wire.refresh_token,
                    Some(wire.client_id),
                    wire.client_secret,
                    wire.scope,
                ];
                // Percent-encoding makes a byte at most 3; names and separators fit in 128.
                // Room for all of it up front: a String that grows leaves its old bytes behind.
                let most = 128 + 3 * fields.iter().flatten().map(|v| v.len()).sum::<usize>();
                let mut form = form_urlencoded::Serializer::new(String::with_capacity(most));
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
}

#[derive(Serialize)]
struct RevokeBody<'a> {
    client_id: &'a str,
    token: &'a str,
}

impl RevokeRequest {
    /// The body bytes, in a buffer that is zeroized when dropped.
    pub fn body(&self) -> Zeroizing<Vec<u8>> {
        json_bytes(&RevokeBody {
            client_id: &self.client_id,
            token: self.token.expose_secret(),
        })
    }
}

/// `value` as JSON in a zeroizing buffer of exactly its size: measured first, so the buffer
/// never grows (growing would leave a copy of the secret in the freed allocation).
fn json_bytes(value: &impl Serialize) -> Zeroizing<Vec<u8>> {
    let mut counted = Counted(0);
    // Serializing plain strings cannot fail, into a counter or a Vec.
    let _ = serde_json::to_writer(&mut counted, value);
    let mut out = Zeroizing::new(Vec::with_capacity(counted.0));
    let _ = serde_json::to_writer(&mut *out, value);
    out
}

/// A writer that only counts bytes: serde_json writes slices of the strings themselves, so
/// counting copies nothing.
struct Counted(usize);

impl std::io::Write for Counted {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0 += buf.len();
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use secrecy::SecretString;

    use super::*;
    use crate::auth::request::sample_draft as draft;

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
        assert_eq!(body.len(), body.capacity(), "measured, never grown");
    }

    #[test]
    fn a_long_password_never_makes_the_body_grow() {
        for encoding in [Encoding::Json, Encoding::Form] {
            let mut d = draft("https://x.io", &[]);
            d.grant = Grant::Password {
                username: "a@b.c".into(),
                password: SecretString::from("\u{1}é%+".repeat(500)),
            };
            d.encoding = encoding;
            let body = d.check().expect("ok").request.body();
            let form_capacity = 128 + 3 * ("a@b.c".len() + 5 * 500 + "abc".len());
            let room = match encoding {
                Encoding::Json => body.len(),
                Encoding::Form => form_capacity,
            };
            assert_eq!(body.capacity(), room, "{encoding:?}");
        }
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
}
