//! Where requests go: the token, revoke and JWKS URLs built from a base URL, the rule that plain
//! http only goes to this machine, and which host publishes a token's signing keys.

use std::net::IpAddr;

use url::Url;

use super::request::{InputError, Required};

pub const DEFAULT_BASE_URL: &str = "https://auth.commercelayer.io";
const TOKEN_PATH: &str = "/oauth/token";
/// The domains Commerce Layer's own CLI knows: production, `.app`, and `.co` (staging).
pub const COMMERCE_LAYER_DOMAINS: [&str; 3] =
    ["commercelayer.io", "commercelayer.app", "commercelayer.co"];

/// Builds the token URL from a base URL: `https://auth.commercelayer.io` and
/// `https://auth.commercelayer.io/oauth/token` both give the latter. Plain http is allowed to
/// loopback hosts only.
pub fn token_url(base: &str) -> Result<Url, InputError> {
    endpoint_url(base, TOKEN_PATH)
}

/// The base URL a token URL was built from (what the form's Base URL field holds): the URL
/// without its `/oauth/token`.
pub fn base_url_of(token_url: &str) -> &str {
    token_url.strip_suffix(TOKEN_PATH).unwrap_or(token_url)
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
        return Err(InputError::Empty(Required::BaseUrl));
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_base_url_of_a_token_url_gives_the_same_token_url() {
        for base in ["https://auth.commercelayer.io", "http://127.0.0.1:4000"] {
            let url = token_url(base).expect("ok");
            assert_eq!(base_url_of(url.as_str()), base);
        }
        assert_eq!(
            base_url_of("https://x.example/other"),
            "https://x.example/other"
        );
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
}
