//! `refresh`: the refresh_token grant, reporting whether the refresh token rotated.

use std::process::ExitCode;

use clap::Args;

use super::args::TokenArgs;
use super::secret::{read_secret, SecretSource};
use super::token;
use crate::auth::Grant;

#[derive(Debug, Args)]
pub struct RefreshArgs {
    /// Read the refresh token from the first line of stdin. Otherwise CL_REFRESH_TOKEN, else a hidden prompt.
    #[arg(long)]
    pub refresh_token_stdin: bool,

    #[command(flatten)]
    pub token: TokenArgs,
}

pub fn run(rt: &tokio::runtime::Runtime, args: &RefreshArgs) -> ExitCode {
    token::run(rt, &args.token, || {
        let source = SecretSource {
            what: "refresh token",
            stdin_hint: "pipe it with --refresh-token-stdin",
            env: "CL_REFRESH_TOKEN",
            prompt: "Refresh token: ".to_owned(),
        };
        let refresh_token = read_secret(args.refresh_token_stdin, &source)?;
        Ok(Grant::RefreshToken { refresh_token })
    })
}
