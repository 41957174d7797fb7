//! `decode`: a token read from stdin, decoded (header, claims, expiry, mode) and, with
//! `--verify`, its signature checked. The token itself is never printed.

use std::io::IsTerminal;
use std::process::ExitCode;
use std::time::{Duration, SystemTime};

use clap::Args;
use secrecy::ExposeSecret;
use serde_json::json;

use super::args::ServerArgs;
use super::exit::Exit;
use super::output;
use super::print::{emit, usage_error};
use super::secret::{read_secret, SecretSource};
use super::token::auth_host;
use crate::attempt::{rfc3339, CLOCK_SKEW_WARNING};
use crate::auth::jwt;
use crate::auth::request::check_timeout;
use crate::auth::token::{bare_token, jwt_expires_at, jwt_valid_from, validity};
use crate::auth::url::jwks_url;

#[derive(Debug, Args)]
pub struct DecodeArgs {
    /// Check the RS512 signature against the issuer's published key (fetches the JWKS).
    #[arg(long)]
    pub verify: bool,

    #[command(flatten)]
    pub server: ServerArgs,

    /// Print one JSON object (documented in the README) instead of text. It never includes the token.
    #[arg(long)]
    pub json: bool,
}

pub async fn run(args: DecodeArgs) -> ExitCode {
    let timeout = Duration::from_secs(args.server.timeout);
    if let Err(e) = check_timeout(timeout) {
        return usage_error(e);
    }
    let source = SecretSource {
        what: "token",
        stdin_hint: "pipe it on stdin",
        env: "CL_TOKEN",
        prompt: "Token to decode: ".to_owned(),
    };
    let token = match read_secret(!std::io::stdin().is_terminal(), &source) {
        Ok(t) => t,
        Err(message) => return usage_error(message),
    };
    let token = bare_token(token.expose_secret());
    let decoded = match jwt::decode(token) {
        Ok(d) => d,
        Err(e) => return usage_error(e),
    };
    if args.verify {
        if let Err(e) = jwks_url(args.server.base_url()) {
            return usage_error(e);
        }
    }
    let check = if args.verify {
        let auth_host = match auth_host() {
            Ok(host) => host,
            Err(code) => return code,
        };
        Some(
            auth_host
                .keys()
                .check(token, args.server.base_url(), timeout)
                .await,
        )
    } else {
        None
    };
    let now = SystemTime::now();
    let expires_at = jwt_expires_at(&decoded);
    let validity = validity(
        expires_at,
        jwt_valid_from(&decoded),
        now,
        CLOCK_SKEW_WARNING,
    );
    if args.json {
        let value = json!({
            "jwt": {"header": decoded.header, "claims": decoded.claims},
            "expires_at": expires_at.map(rfc3339),
            "mode": decoded.mode().map(|m| m.as_str()),
            "validity": validity.map(|v| v.as_str()),
            "signature": check,
        });
        emit(&format!("{value}\n"));
    } else {
        emit(&output::decoded(&decoded, validity, check.as_ref(), now));
    }
    check
        .map_or(Exit::Success, |c| Exit::of_signature(c.result))
        .into()
}
