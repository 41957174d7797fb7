//! Plain words for what went wrong: what a support person tells the customer or checks next.

/// Why the server refused, from its OAuth code.
pub fn refusal(code: &str, grant_type: &str) -> String {
    match code {
        "invalid_grant" if grant_type == "refresh_token" => {
            "The refresh token was rejected: it expired (they live two weeks), was revoked, was already used (a refresh returns a new one), or the scope differs from the original login.".to_owned()
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

pub fn transport(detail: &str) -> String {
    format!("Could not talk to the server: {detail}. Check the base URL, DNS, proxy settings and that the host is reachable.")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrong_password_explains_the_likely_causes() {
        let text = refusal("invalid_grant", "password");
        assert!(text.contains("password is wrong"), "{text}");
        assert!(text.contains("guest"), "{text}");
    }

    #[test]
    fn rate_limit_names_the_wait() {
        assert!(rate_limited(Some(7)).contains("retry after 7 seconds"));
        assert!(rate_limited(None).contains("30 requests a minute"));
    }
}
