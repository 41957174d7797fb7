//! Plain words for what went wrong: what a support person tells the customer or checks next.

/// Why the server refused a token request, from its OAuth code (and, for a refresh, its detail).
pub fn refusal(code: &str, grant_type: &str, detail: Option<&str>) -> String {
    match code {
        "invalid_grant" if grant_type == "refresh_token" => refresh_rejected(detail),
        "invalid_scope" if grant_type == "refresh_token" => {
            "The scope was refused: a refresh must ask for exactly the scope of the original login (unless that was market:all). Pass the same --scope values as the login.".to_owned()
        }
        "invalid_grant" => {
            "The email or password was rejected: the customer does not exist in this organization, the password is wrong, or the customer is a guest without a password. Check the email for typos and have the customer reset the password.".to_owned()
        }
        "invalid_client" | "unauthorized" => {
            "The client ID is not known: it may be mistyped, deleted, or belong to another environment (test vs live credentials) or another domain. Copy it again from the sales channel in the dashboard.".to_owned()
        }
        "invalid_scope" => {
            "The scope was refused: the market, stock location or store does not exist, is disabled, or is not reachable by this sales channel. Check the id or code, and note private markets need a customer in the right customer group.".to_owned()
        }
        "unsupported_grant_type" | "unauthorized_client" if grant_type == "password" => {
            "This client may not log customers in: only sales channel credentials may use the password grant (integrations and webapps cannot).".to_owned()
        }
        "unsupported_grant_type" => format!("The server does not allow the `{grant_type}` grant for this client."),
        "unauthorized_client" => "This client is not allowed to do that (403 unauthorized_client).".to_owned(),
        "invalid_request" => {
            "The server found the request malformed or missing a field. If this is not auth.commercelayer.io, try the other body encoding (JSON vs form).".to_owned()
        }
        "too_many_requests" | "rate_limited" => rate_limited(None),
        "not_found" => "The server has no token endpoint at this URL: check the base URL.".to_owned(),
        "forbidden" => "The server refused access (403). The client may be disabled or blocked for this IP.".to_owned(),
        other => format!("The server refused the request with `{other}`."),
    }
}

/// The refresh causes the server's detail points at, most specific first.
const REFRESH_CAUSES: [(&[&str], &str); 5] = [
    (
        &["used", "reuse"],
        "it was already used: a refresh returns a new refresh token and the old one stops working, so use the newest one",
    ),
    (
        &["revoked"],
        "it was revoked (or never existed): log the customer in again",
    ),
    (
        &["expired"],
        "it expired: refresh tokens live two weeks, so log the customer in again",
    ),
    (
        &["scope"],
        "the scope differs from the original login: refresh with exactly the login's scope",
    ),
    (
        &["client"],
        "it was issued to another client ID: refresh with the client ID that logged in",
    ),
];

fn refresh_rejected(detail: Option<&str>) -> String {
    let detail = detail.unwrap_or_default().to_ascii_lowercase();
    let mut causes = REFRESH_CAUSES
        .iter()
        .filter(|(words, _)| words.iter().any(|w| detail.contains(w)));
    // RFC 6749's stock description names every cause at once: then it says nothing specific.
    match (causes.next(), causes.next()) {
        (Some((_, cause)), None) => format!("The refresh token was rejected: {cause}."),
        _ => "The refresh token was rejected: it expired (they live two weeks), was revoked, was already used (a refresh returns a new one), or the scope differs from the original login.".to_owned(),
    }
}

/// Why the server refused to revoke a token.
pub fn revocation_refusal(code: &str) -> String {
    match code {
        "unauthorized_client" | "forbidden" => {
            "The server refused to revoke this token (403 unauthorized_client): it was issued to another client ID, is already revoked or expired, or is not a token of this organization. Revoke with the client ID that logged in.".to_owned()
        }
        "invalid_client" | "unauthorized" => refusal(code, "", None),
        "invalid_request" => {
            "The server found the revocation malformed or missing a field (it expects JSON with client_id and token).".to_owned()
        }
        "too_many_requests" | "rate_limited" => rate_limited(None),
        "not_found" => "The server has no revoke endpoint at this URL: check the base URL.".to_owned(),
        other => format!("The server refused to revoke the token with `{other}`."),
    }
}

pub fn rate_limited(retry_after_s: Option<u64>) -> String {
    let wait = match retry_after_s {
        Some(s) => format!("retry after {s} seconds"),
        None => "wait a minute before retrying".to_owned(),
    };
    format!("Rate limited: the token endpoint allows 30 requests a minute per IP; {wait}.")
}

pub fn server_error(status: u16) -> String {
    format!("The auth server failed (HTTP {status}). This is not about the credentials: retry later, and check status.commercelayer.io if it persists.")
}

pub fn redirected(status: u16, location: Option<&str>) -> String {
    let target = location.map_or_else(|| "no Location given".to_owned(), |l| format!("to {l}"));
    format!("The server answered with a redirect (HTTP {status}, {target}). Redirects are never followed, so credentials were not re-sent; use the final URL as base URL if you trust it.")
}

pub fn unreadable(status: u16, why: &str) -> String {
    let hint = if (200..300).contains(&status) || status == 404 {
        " The base URL probably does not point at a Commerce Layer auth host."
    } else {
        ""
    };
    format!("The answer (HTTP {status}) could not be read: {why}.{hint}")
}

pub fn timeout(secs: u64) -> String {
    format!("No complete answer within {secs} s. The server is slow or unreachable; raise the timeout or check the network.")
}

pub fn headers_too_large() -> String {
    "The server answered, but its headers were too large to read (over 100 headers, or a head of several hundred KiB). No real auth host sends that: check the base URL and any proxy in between.".to_owned()
}

pub fn transport(detail: &str) -> String {
    format!("Could not talk to the server: {detail}. Check the base URL, DNS, proxy settings and that the host is reachable.")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrong_password_explains_the_likely_causes() {
        let text = refusal("invalid_grant", "password", None);
        assert!(text.contains("password is wrong"), "{text}");
        assert!(text.contains("guest"), "{text}");
    }

    #[test]
    fn a_rejected_refresh_names_the_cause_the_server_gives() {
        let used = refusal(
            "invalid_grant",
            "refresh_token",
            Some("The refresh token is invalid: already used (refresh tokens rotate)."),
        );
        assert!(used.contains("already used"), "{used}");
        assert!(!used.contains("two weeks"), "{used}");
        let stock = refusal("invalid_grant", "refresh_token", Some("The provided authorization grant is invalid, expired, revoked, does not match the redirection URI used in the authorization request, or was issued to another client."));
        let unknown = refusal("invalid_grant", "refresh_token", None);
        assert_eq!(stock, unknown, "the stock RFC text names no single cause");
        for cause in ["two weeks", "revoked", "already used", "scope"] {
            assert!(unknown.contains(cause), "{cause}: {unknown}");
        }
    }

    #[test]
    fn a_refused_revocation_says_which_client_to_use() {
        let text = revocation_refusal("unauthorized_client");
        assert!(text.contains("another client ID"), "{text}");
    }

    #[test]
    fn rate_limit_names_the_wait() {
        assert!(rate_limited(Some(7)).contains("retry after 7 seconds"));
        assert!(rate_limited(None).contains("30 requests a minute"));
    }
}
