//! The demo's RS512 signing key (a fixed, public demo key: it proves nothing outside the demo)
//! and its JWKS.

use ring::rand::SystemRandom;
use ring::rsa::PublicKeyComponents;
use ring::signature::{RsaKeyPair, RSA_PKCS1_SHA512};
use serde_json::{json, Value};

use crate::auth::jwt::encode_part;

const DEMO_KEY_PKCS8: &[u8] = include_bytes!("../../assets/demo-signing-key.pk8");
pub const DEMO_KID: &str = "demo-rs512-1";

pub struct Signer {
    key: RsaKeyPair,
    rng: SystemRandom,
}

#[derive(Debug, thiserror::Error)]
#[error("the demo signing key is unusable: {0}")]
pub struct KeyError(String);

impl Signer {
    pub fn demo() -> Result<Self, KeyError> {
        let key = RsaKeyPair::from_pkcs8(DEMO_KEY_PKCS8).map_err(|e| KeyError(e.to_string()))?;
        Ok(Self {
            key,
            rng: SystemRandom::new(),
        })
    }

    /// `header.claims.signature`, RS512.
    pub fn sign(&self, claims: &Value) -> Result<String, KeyError> {
        let header = json!({"alg": "RS512", "typ": "JWT", "kid": DEMO_KID});
        let input = format!(
            "{}.{}",
            encode_part(header.to_string().as_bytes()),
            encode_part(claims.to_string().as_bytes())
        );
        let mut signature = vec![0; self.key.public().modulus_len()];
        self.key
            .sign(
                &RSA_PKCS1_SHA512,
                &self.rng,
                input.as_bytes(),
                &mut signature,
            )
            .map_err(|e| KeyError(e.to_string()))?;
        Ok(format!("{input}.{}", encode_part(&signature)))
    }

    pub fn jwks(&self) -> Value {
        let parts: PublicKeyComponents<Vec<u8>> = self.key.public().into();
        json!({"keys": [{
            "kty": "RSA", "use": "sig", "alg": "RS512", "kid": DEMO_KID,
            "n": encode_part(&parts.n), "e": encode_part(&parts.e),
        }]})
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
        let forged_claims = encode_part(br#"{"scope":"market:id:other"}"#);
        let tampered =
            decode(&format!("{}.{}.{}", parts[0], forged_claims, parts[2])).expect("jwt");
        assert_eq!(verify_rs512(&tampered, key), Signature::Invalid);
    }
}
