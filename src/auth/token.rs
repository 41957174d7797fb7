//! A successful token answer, decoded: the fields as received, the JWT, expiry and mode.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde_json::Value;

use super::jwt::{self, Jwt, JwtError, Mode};

/// A token the server issued. `Debug` never shows the tokens themselves.
#[derive(Clone)]
pub struct Issued {
    /// The response object exactly as received.
    pub response: Value,
    pub access_token: String,
    pub refresh_token: Option<String>,
    pub token_type: Option<String>,
    pub scope: Option<String>,
    pub expires_in: Option<i64>,
    pub created_at: Option<i64>,
    pub owner_id: Option<String>,
    pub owner_type: Option<String>,
    /// The decoded access token, or why it is opaque.
    pub jwt: Result<Jwt, JwtError>,
    pub issued_at: Option<SystemTime>,
    pub expires_at: Option<SystemTime>,
}

impl std::fmt::Debug for Issued {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Issued")
            .field("access_token", &"[redacted]")
            .field(
                "refresh_token",
                &self.refresh_token.as_ref().map(|_| "[redacted]"),
            )
            .field("scope", &self.scope)
            .field("owner_id", &self.owner_id)
            .field("expires_at", &self.expires_at)
            .finish_non_exhaustive()
    }
}

fn string(value: &Value, key: &str) -> Option<String> {
    match value.get(key)? {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

fn integer(value: &Value, key: &str) -> Option<i64> {
    match value.get(key)? {
        Value::Number(n) => n.as_i64().or_else(|| n.as_f64().map(|f| f as i64)),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

fn epoch(secs: i64) -> Option<SystemTime> {
    u64::try_from(secs)
        .ok()
        .map(|s| UNIX_EPOCH + Duration::from_secs(s))
}

/// Decodes a success body; `None` when it has no `access_token` string.
pub fn decode_issued(response: Value, received_at: SystemTime) -> Option<Issued> {
    let access_token = response.get("access_token")?.as_str()?.to_owned();
    if access_token.is_empty() {
        return None;
    }
    let jwt = jwt::decode(&access_token);
    let expires_in = integer(&response, "expires_in");
    let created_at = integer(&response, "created_at");
    let claims = jwt.as_ref().ok();
    let issued_at = claims
        .and_then(Jwt::iat)
        .or(created_at)
        .and_then(epoch)
        .or(Some(received_at));
    let expires_at = claims.and_then(Jwt::exp).and_then(epoch).or_else(|| {
        let secs = u64::try_from(expires_in?).ok()?;
        let base = created_at.and_then(epoch).unwrap_or(received_at);
        Some(base + Duration::from_secs(secs))
    });
    Some(Issued {
        refresh_token: string(&response, "refresh_token"),
        token_type: string(&response, "token_type"),
        scope: string(&response, "scope"),
        owner_id: string(&response, "owner_id")
            .or_else(|| claims.and_then(Jwt::owner_id).map(str::to_owned)),
        owner_type: string(&response, "owner_type")
            .or_else(|| claims.and_then(Jwt::owner_type).map(str::to_owned)),
        access_token,
        expires_in,
        created_at,
        jwt,
        issued_at,
        expires_at,
        response,
    })
}

impl Issued {
    pub fn mode(&self) -> Option<Mode> {
        self.jwt.as_ref().ok().and_then(Jwt::mode)
    }

    /// The scope the server granted: the response field, else the JWT claim.
    pub fn granted_scope(&self) -> Option<&str> {
        self.scope
            .as_deref()
            .or_else(|| self.jwt.as_ref().ok().and_then(Jwt::scope))
    }

    /// Seconds left before expiry (negative once expired).
    pub fn seconds_left(&self, now: SystemTime) -> Option<i64> {
        let expires_at = self.expires_at?;
        Some(match expires_at.duration_since(now) {
            Ok(left) => i64::try_from(left.as_secs()).unwrap_or(i64::MAX),
            Err(past) => -i64::try_from(past.duration().as_secs()).unwrap_or(i64::MAX),
        })
    }

    pub fn bearer_header(&self) -> String {
        format!("Authorization: Bearer {}", self.access_token)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn opaque_token_is_still_a_success() {
        let now = UNIX_EPOCH + Duration::from_secs(1000);
        let issued = decode_issued(json!({"access_token":"opaque","expires_in":7200,"created_at":500,"scope":"market:all"}), now).expect("issued");
        assert!(issued.jwt.is_err());
        assert_eq!(
            issued.expires_at,
            Some(UNIX_EPOCH + Duration::from_secs(7700))
        );
        assert_eq!(issued.granted_scope(), Some("market:all"));
        assert!(!format!("{issued:?}").contains("opaque"));
    }

    #[test]
    fn no_access_token_is_not_a_success() {
        assert!(decode_issued(json!({"token":"x"}), SystemTime::now()).is_none());
        assert!(decode_issued(json!({"access_token":""}), SystemTime::now()).is_none());
        assert!(decode_issued(json!({"access_token":12}), SystemTime::now()).is_none());
    }
}
