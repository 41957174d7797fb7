//! `revoke`: revoke an access or refresh token.

use std::process::ExitCode;
use std::time::Duration;

use clap::Args;

use super::args::ServerArgs;
use super::print::usage_error;
use super::secret::{read_secret, SecretSource};
use super::token::{auth_host, print_attempt};
use crate::auth::RevokeDraft;

#[derive(Debug, Args)]
pub struct RevokeArgs {
    /// The client ID the token was issued to.
    #[arg(long, value_name = "ID")]
    pub client_id: String,

    /// Read the token (access or refresh) from the first line of stdin. Otherwise CL_TOKEN, else a hidden prompt.
    #[arg(long)]
    pub token_stdin: bool,

    #[command(flatten)]
    pub server: ServerArgs,

    /// Print one JSON object (documented in the README) instead of text.
    #[arg(long)]
    pub json: bool,
}

pub async fn run(args: RevokeArgs) -> ExitCode {
    let source = SecretSource {
        what: "token",
        stdin_hint: "pipe it with --token-stdin",
        env: "CL_TOKEN",
        prompt: "Token to revoke: ".to_owned(),
    };
    let token = match read_secret(args.token_stdin, &source) {
        Ok(t) => t,
        Err(message) => return usage_error(message),
    };
    let request = match (RevokeDraft {
        base_url: args.server.base_url(),
        client_id: &args.client_id,
        token,
        timeout: Duration::from_secs(args.server.timeout),
    })
    .check()
    {
        Ok(r) => r,
        Err(e) => return usage_error(e),
    };
    let auth_host = match auth_host() {
        Ok(host) => host,
        Err(code) => return code,
    };
    let attempt = auth_host.revoke(&request).await;
    drop(request);
    print_attempt(&attempt, args.json, false)
}
