//! The demo's RS512 signing keys (fixed, public demo keys: they prove nothing outside the demo)
//! and their JWKS. The second key is published and used only after a rotation, which is what a
//! client sees when an issuer rotates keys: tokens with a `kid` its cached JWKS lacks.

use std::sync::atomic::{AtomicUsize, Ordering};

use ring::rand::SystemRandom;
use ring::rsa::PublicKeyComponents;
use ring::signature::{RsaKeyPair, RSA_PKCS1_SHA512};
use serde_json::{json, Value};

use crate::auth::jwt::encode_part;

pub const DEMO_KID: &str = "demo-rs512-1";
/// The key the demo signs with after [`Signer::rotate`].
pub const ROTATED_KID: &str = "demo-rs512-2";
const DEMO_KEYS: [(&str, &[u8]); 2] = [
    (
        DEMO_KID,
        include_bytes!("../../assets/demo-signing-key.pk8"),
    ),
    (
        ROTATED_KID,
        include_bytes!("../../assets/demo-signing-key-2.pk8"),
    ),
];

pub struct Signer {
    keys: Vec<(&'static str, RsaKeyPair)>,
    /// Index of the key that signs; it and every key before it are published.
    active: AtomicUsize,
    rng: SystemRandom,
}

#[derive(Debug, thiserror::Error)]
#[error("the demo signing key is unusable: {0}")]
pub struct KeyError(String);

impl Signer {
    pub fn demo() -> Result<Self, KeyError> {
        let keys = DEMO_KEYS
            .into_iter()
            .map(|(kid, der)| {
                RsaKeyPair::from_pkcs8(der)
                    .map(|key| (kid, key))
                    .map_err(|e| KeyError(e.to_string()))
            })
            .collect::<Result<_, _>>()?;
        Ok(Self {
            keys,
            active: AtomicUsize::new(0),
            rng: SystemRandom::new(),
        })
    }

    fn active(&self) -> usize {
        self.active
            .load(Ordering::Relaxed)
            .min(self.keys.len().saturating_sub(1))
    }

    /// Signs with the next key from now on and publishes it next to the old one; returns its
    /// `kid`. The last key stays active once reached.
    pub fn rotate(&self) -> &'static str {
        let next = (self.active() + 1).min(self.keys.len().saturating_sub(1));
        self.active.store(next, Ordering::Relaxed);
        self.keys.get(next).map_or(DEMO_KID, |(kid, _)| kid)
    }

    /// `header.claims.signature`, RS512.
    pub fn sign(&self, claims: &Value) -> Result<String, KeyError> {
        let (kid, key) = self
            .keys
            .get(self.active())
            .ok_or_else(|| KeyError("no key".to_owned()))?;
        let header = json!({"alg": "RS512", "typ": "JWT", "kid": kid});
        let input = format!(
            "{}.{}",
            encode_part(header.to_string().as_bytes()),
            encode_part(claims.to_string().as_bytes())
        );
        let mut signature = vec![0; key.public().modulus_len()];
        key.sign(
            &RSA_PKCS1_SHA512,
            &self.rng,
            input.as_bytes(),
            &mut signature,
        )
        .map_err(|e| KeyError(e.to_string()))?;
        Ok(format!("{input}.{}", encode_part(&signature)))
    }

    pub fn jwks(&self) -> Value {
        let keys: Vec<Value> = self
            .keys
            .iter()
            .take(self.active() + 1)
            .map(|(kid, key)| {
                let parts: PublicKeyComponents<Vec<u8>> = key.public().into();
                json!({
                    "kty": "RSA", "use": "sig", "alg": "RS512", "kid": kid,
                    "n": encode_part(&parts.n), "e": encode_part(&parts.e),
                })
            })
            .collect();
        json!({ "keys": keys })
    }

    /// Random url-safe text for refresh tokens and the `rand` claim.
    pub fn random_token(&self, bytes: usize) -> String {
        let mut buf = vec![0u8; bytes];
        // SystemRandom only fails when the OS has no randomness at all.
        let _ = ring::rand::SecureRandom::fill(&self.rng, &mut buf);
        encode_part(&buf)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::auth::jwt::{decode, find_key, verify_rs512, Signature};

    #[test]
    fn signs_tokens_its_jwks_verifies_and_a_changed_byte_fails() {
        let signer = Signer::demo().expect("key");
        let token = signer.sign(&json!({"scope": "market:all"})).expect("sign");
        let jwt = decode(&token).expect("jwt");
        let jwks = signer.jwks();
        let key = find_key(&jwks, jwt.kid()).expect("key");
        assert_eq!(verify_rs512(&jwt, key), Signature::Verified);

        let parts: Vec<&str> = token.split('.').collect();
        assert_eq!(jwt.kid(), Some(DEMO_KID));
        let forged_claims = encode_part(br#"{"scope":"market:id:other"}"#);
        let tampered =
            decode(&format!("{}.{}.{}", parts[0], forged_claims, parts[2])).expect("jwt");
        assert_eq!(verify_rs512(&tampered, key), Signature::Invalid);
    }

    #[test]
    fn rotation_signs_with_a_new_kid_and_publishes_both() {
        let signer = Signer::demo().expect("key");
        assert_eq!(signer.jwks()["keys"].as_array().map(Vec::len), Some(1));
        assert_eq!(signer.rotate(), ROTATED_KID);
        let jwt = decode(&signer.sign(&json!({})).expect("sign")).expect("jwt");
        assert_eq!(jwt.kid(), Some(ROTATED_KID));
        let jwks = signer.jwks();
        assert!(find_key(&jwks, Some(DEMO_KID)).is_some());
        let key = find_key(&jwks, Some(ROTATED_KID)).expect("new key published");
        assert_eq!(verify_rs512(&jwt, key), Signature::Verified);
    }
}
