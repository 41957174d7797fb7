//! A successful token answer, decoded: the fields as received, the JWT, expiry, validity and
//! mode.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde::Serialize;
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

/// 9999-12-31T23:59:59Z: later times cannot be printed as RFC 3339 and are treated as absent
/// (a hostile `exp` must not crash the window).
const LAST_SECOND: u64 = 253_402_300_799;

fn epoch(secs: i64) -> Option<SystemTime> {
    u64::try_from(secs)
        .ok()
        .filter(|s| *s <= LAST_SECOND)
        .map(|s| UNIX_EPOCH + Duration::from_secs(s))
}

/// A token as people paste it: surrounding blanks, `Bearer ` and a whole
/// `Authorization: Bearer ...` header line are dropped.
pub fn bare_token(text: &str) -> &str {
    let text = text.trim();
    let text = strip_prefix_ignore_case(text, "authorization:").map_or(text, str::trim_start);
    strip_prefix_ignore_case(text, "bearer ").map_or(text, str::trim_start)
}

fn strip_prefix_ignore_case<'a>(text: &'a str, prefix: &str) -> Option<&'a str> {
    let head = text.get(..prefix.len())?;
    head.eq_ignore_ascii_case(prefix)
        .then(|| &text[prefix.len()..])
}

/// Whether a token is usable now, by this machine's clock.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Validity {
    Valid,
    Expired,
    /// `nbf` or `iat` lies in the future by more than the tolerated clock difference.
    NotYetValid,
}

impl Validity {
    pub fn as_str(self) -> &'static str {
        match self {
            Validity::Valid => "valid",
            Validity::Expired => "expired",
            Validity::NotYetValid => "not_yet_valid",
        }
    }

    pub fn describe(self) -> &'static str {
        match self {
            Validity::Valid => "valid now",
            Validity::Expired => "EXPIRED by this machine's clock",
            Validity::NotYetValid => "NOT YET VALID by this machine's clock (issued in the future)",
        }
    }
}

/// Expired once `expires_at` has passed; not yet valid while `valid_from` is more than
/// `tolerance` ahead. `None` when nothing says when the token expires.
pub fn validity(
    expires_at: Option<SystemTime>,
    valid_from: Option<SystemTime>,
    now: SystemTime,
    tolerance: Duration,
) -> Option<Validity> {
    if valid_from.is_some_and(|from| from > now + tolerance) {
        return Some(Validity::NotYetValid);
    }
    let expires_at = expires_at?;
    Some(if expires_at <= now {
        Validity::Expired
    } else {
        Validity::Valid
    })
}

/// When a JWT expires (`exp`).
pub fn jwt_expires_at(jwt: &Jwt) -> Option<SystemTime> {
    jwt.exp().and_then(epoch)
}

/// The later of `nbf` and `iat`: before it, the token is not meant to be used.
pub fn jwt_valid_from(jwt: &Jwt) -> Option<SystemTime> {
    [jwt.nbf(), jwt.iat()]
        .into_iter()
        .flatten()
        .max()
        .and_then(epoch)
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
        let at = base.checked_add(Duration::from_secs(secs))?;
        let since_epoch = at.duration_since(UNIX_EPOCH).ok()?.as_secs();
        epoch(i64::try_from(since_epoch).ok()?)
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

    /// Whether the token is valid at `now`; see [`validity`].
    pub fn validity(&self, now: SystemTime, tolerance: Duration) -> Option<Validity> {
        let valid_from = self.jwt.as_ref().ok().and_then(jwt_valid_from);
        validity(self.expires_at, valid_from, now, tolerance)
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
    fn validity_flags_expired_and_future_tokens() {
        let at = |s| UNIX_EPOCH + Duration::from_secs(s);
        let tolerance = Duration::from_secs(30);
        let now = at(1000);
        assert_eq!(
            validity(Some(at(2000)), Some(at(900)), now, tolerance),
            Some(Validity::Valid)
        );
        assert_eq!(
            validity(Some(at(1000)), None, now, tolerance),
            Some(Validity::Expired)
        );
        assert_eq!(
            validity(Some(at(2000)), Some(at(1020)), now, tolerance),
            Some(Validity::Valid),
            "a clock 20 s ahead is tolerated"
        );
        assert_eq!(
            validity(Some(at(9000)), Some(at(1031)), now, tolerance),
            Some(Validity::NotYetValid)
        );
        assert_eq!(validity(None, None, now, tolerance), None);
    }

    #[test]
    fn pasted_tokens_lose_their_header_and_blanks() {
        assert_eq!(bare_token("  abc.def.ghi\n"), "abc.def.ghi");
        assert_eq!(bare_token("Bearer abc"), "abc");
        assert_eq!(bare_token("authorization: bearer  abc "), "abc");
        assert_eq!(bare_token("Bearerish"), "Bearerish");
    }

    #[test]
    fn absurd_times_from_the_server_are_absent_not_a_crash() {
        let now = SystemTime::now();
        let issued = decode_issued(
            json!({"access_token":"x","expires_in":i64::MAX,"created_at":300_000_000_000_i64}),
            now,
        )
        .expect("issued");
        assert_eq!(issued.expires_at, None);
        let issued =
            decode_issued(json!({"access_token":"x","expires_in":u64::MAX}), now).expect("issued");
        assert_eq!(issued.expires_at, None);
    }

    #[test]
    fn no_access_token_is_not_a_success() {
        assert!(decode_issued(json!({"token":"x"}), SystemTime::now()).is_none());
        assert!(decode_issued(json!({"access_token":""}), SystemTime::now()).is_none());
        assert!(decode_issued(json!({"access_token":12}), SystemTime::now()).is_none());
    }
}
