//! JSON Web Tokens as Commerce Layer issues them: decoding (every claim optional) and the RS512
//! signature check against a JWK.

use base64::engine::general_purpose::{URL_SAFE, URL_SAFE_NO_PAD};
use base64::Engine;
use serde_json::Value;
use thiserror::Error;

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum JwtError {
    #[error("not a JWT: expected three dot-separated parts, found {0}")]
    Parts(usize),
    #[error("not a JWT: the {0} is not base64url")]
    Base64(&'static str),
    #[error("not a JWT: the {0} is not a JSON object")]
    Json(&'static str),
}

/// A decoded token. Decoding checks nothing; see [`verify_rs512`].
#[derive(Clone, PartialEq)]
pub struct Jwt {
    pub header: Value,
    pub claims: Value,
    signing_input: String,
    signature: Vec<u8>,
}

impl std::fmt::Debug for Jwt {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Jwt")
            .field("header", &self.header)
            .field("claims", &self.claims)
            .finish_non_exhaustive()
    }
}

fn b64(part: &str, name: &'static str) -> Result<Vec<u8>, JwtError> {
    URL_SAFE_NO_PAD
        .decode(part)
        .or_else(|_| URL_SAFE.decode(part))
        .map_err(|_| JwtError::Base64(name))
}

fn json_object(bytes: &[u8], name: &'static str) -> Result<Value, JwtError> {
    match serde_json::from_slice::<Value>(bytes) {
        Ok(value @ Value::Object(_)) => Ok(value),
        _ => Err(JwtError::Json(name)),
    }
}

pub fn decode(token: &str) -> Result<Jwt, JwtError> {
    let token = token.trim();
    let parts: Vec<&str> = token.split('.').collect();
    let [header, claims, signature] = parts[..] else {
        return Err(JwtError::Parts(parts.len()));
    };
    Ok(Jwt {
        header: json_object(&b64(header, "header")?, "header")?,
        claims: json_object(&b64(claims, "payload")?, "payload")?,
        signing_input: format!("{header}.{claims}"),
        signature: b64(signature, "signature")?,
    })
}

/// Test or live, from the `test` claim.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Mode {
    Test,
    Live,
}

impl Mode {
    pub fn as_str(self) -> &'static str {
        match self {
            Mode::Test => "test",
            Mode::Live => "live",
        }
    }
}

fn ids(value: Option<&Value>) -> Vec<String> {
    match value {
        Some(Value::Array(items)) => items.iter().filter_map(id_text).collect(),
        Some(other) => id_text(other).into_iter().collect(),
        None => Vec::new(),
    }
}

fn id_text(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

impl Jwt {
    fn header_str(&self, name: &str) -> Option<&str> {
        self.header.get(name)?.as_str()
    }

    fn claim_str(&self, path: &[&str]) -> Option<&str> {
        path.iter()
            .try_fold(&self.claims, |v, key| v.get(key))?
            .as_str()
    }

    pub fn alg(&self) -> Option<&str> {
        self.header_str("alg")
    }

    pub fn kid(&self) -> Option<&str> {
        self.header_str("kid")
    }

    pub fn exp(&self) -> Option<i64> {
        self.claims.get("exp")?.as_i64()
    }

    pub fn iat(&self) -> Option<i64> {
        self.claims.get("iat")?.as_i64()
    }

    pub fn nbf(&self) -> Option<i64> {
        self.claims.get("nbf")?.as_i64()
    }

    pub fn iss(&self) -> Option<&str> {
        self.claim_str(&["iss"])
    }

    pub fn mode(&self) -> Option<Mode> {
        match self.claims.get("test")? {
            Value::Bool(true) => Some(Mode::Test),
            Value::Bool(false) => Some(Mode::Live),
            _ => None,
        }
    }

    pub fn owner_id(&self) -> Option<&str> {
        self.claim_str(&["owner", "id"])
    }

    pub fn owner_type(&self) -> Option<&str> {
        self.claim_str(&["owner", "type"])
    }

    pub fn organization_slug(&self) -> Option<&str> {
        self.claim_str(&["organization", "slug"])
    }

    pub fn application_kind(&self) -> Option<&str> {
        self.claim_str(&["application", "kind"])
    }

    pub fn scope(&self) -> Option<&str> {
        self.claim_str(&["scope"])
    }

    /// Market ids from the `market` claim (present only when a scope was asked).
    pub fn market_ids(&self) -> Vec<String> {
        ids(self.claims.get("market").and_then(|m| m.get("id")))
    }

    pub fn stock_location_ids(&self) -> Vec<String> {
        ids(self
            .claims
            .get("market")
            .and_then(|m| m.get("stock_location_ids")))
    }
}

/// What checking a signature found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Signature {
    Verified,
    Invalid,
    KeyNotFound,
    KeysUnreachable,
    NotAJwt,
    UnsupportedAlgorithm,
}

impl Signature {
    pub fn as_str(self) -> &'static str {
        match self {
            Signature::Verified => "verified",
            Signature::Invalid => "invalid",
            Signature::KeyNotFound => "key_not_found",
            Signature::KeysUnreachable => "keys_unreachable",
            Signature::NotAJwt => "not_a_jwt",
            Signature::UnsupportedAlgorithm => "unsupported_algorithm",
        }
    }

    pub fn describe(self) -> &'static str {
        match self {
            Signature::Verified => "signature verified with the issuer's public key",
            Signature::Invalid => {
                "signature does NOT match: the token was altered or not issued by this host"
            }
            Signature::KeyNotFound => "the issuer publishes no key with this token's kid",
            Signature::KeysUnreachable => {
                "the issuer's public keys could not be fetched (offline?)"
            }
            Signature::NotAJwt => "the token is not a JWT, so it has no signature to check",
            Signature::UnsupportedAlgorithm => {
                "the token is signed with an algorithm other than RS512"
            }
        }
    }
}

/// A signature check as every face shows it: the result, which key it looked for and where.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct SignatureCheck {
    pub result: Signature,
    /// [`Signature::describe`], for people.
    pub explanation: String,
    pub kid: Option<String>,
    /// The JWKS document the key came from (or was looked for in).
    pub keys_url: Option<String>,
    /// What went wrong fetching the keys, or that a cached copy was used because refetching
    /// failed.
    pub detail: Option<String>,
}

impl SignatureCheck {
    pub fn new(result: Signature, kid: Option<&str>) -> Self {
        Self {
            result,
            explanation: result.describe().to_owned(),
            kid: kid.map(str::to_owned),
            keys_url: None,
            detail: None,
        }
    }
}

/// Checks an RS512 signature with a JWK (`{"kty":"RSA","n":..,"e":..}`).
pub fn verify_rs512(jwt: &Jwt, jwk: &Value) -> Signature {
    if jwt.alg() != Some("RS512") {
        return Signature::UnsupportedAlgorithm;
    }
    let part = |name| {
        jwk.get(name)
            .and_then(Value::as_str)
            .and_then(|s| b64(s, "key").ok())
    };
    let (Some(n), Some(e)) = (part("n"), part("e")) else {
        return Signature::KeyNotFound;
    };
    let key = ring::signature::RsaPublicKeyComponents { n, e };
    match key.verify(
        &ring::signature::RSA_PKCS1_2048_8192_SHA512,
        jwt.signing_input.as_bytes(),
        &jwt.signature,
    ) {
        Ok(()) => Signature::Verified,
        Err(_) => Signature::Invalid,
    }
}

/// Picks the key for `kid` from a JWKS document (`{"keys":[...]}`).
pub fn find_key<'a>(jwks: &'a Value, kid: Option<&str>) -> Option<&'a Value> {
    let keys = jwks.get("keys")?.as_array()?;
    match kid {
        Some(kid) => keys
            .iter()
            .find(|k| k.get("kid").and_then(Value::as_str) == Some(kid)),
        None if keys.len() == 1 => keys.first(),
        None => None,
    }
}

/// base64url without padding, the JWT alphabet.
pub fn encode_part(bytes: &[u8]) -> String {
    URL_SAFE_NO_PAD.encode(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn token(header: &Value, claims: &Value) -> String {
        format!(
            "{}.{}.{}",
            encode_part(header.to_string().as_bytes()),
            encode_part(claims.to_string().as_bytes()),
            encode_part(b"sig")
        )
    }

    #[test]
    fn decodes_claims_commerce_layer_style() {
        let t = token(
            &json!({"alg":"RS512","typ":"JWT","kid":"k1"}),
            &json!({"owner":{"id":"cust1","type":"Customer"},"market":{"id":["m1"],"stock_location_ids":["s1","s2"]},
                    "organization":{"slug":"acme"},"application":{"kind":"sales_channel"},"test":true,"exp":100}),
        );
        let jwt = decode(&t).expect("jwt");
        assert_eq!(jwt.kid(), Some("k1"));
        assert_eq!(jwt.owner_id(), Some("cust1"));
        assert_eq!(jwt.market_ids(), vec!["m1"]);
        assert_eq!(jwt.stock_location_ids(), vec!["s1", "s2"]);
        assert_eq!(jwt.mode(), Some(Mode::Test));
        assert_eq!(jwt.exp(), Some(100));
    }

    #[test]
    fn missing_claims_are_none_not_errors() {
        let jwt = decode(&token(&json!({"alg":"HS512"}), &json!({}))).expect("jwt");
        assert_eq!(jwt.owner_id(), None);
        assert!(jwt.market_ids().is_empty());
        assert_eq!(jwt.mode(), None);
        assert_eq!(
            verify_rs512(&jwt, &json!({})),
            Signature::UnsupportedAlgorithm
        );
    }

    #[test]
    fn opaque_tokens_are_not_jwts() {
        assert_eq!(decode("abc"), Err(JwtError::Parts(1)));
        assert_eq!(decode("bnVsbA.e30.c2ln"), Err(JwtError::Json("header")));
        assert_eq!(decode("!!.b.c"), Err(JwtError::Base64("header")));
    }
}
