//! `guest`: a client_credentials token (no secret) with the same client ID and scope as a login.

use std::process::ExitCode;

use clap::Args;

use super::args::TokenArgs;
use super::token;
use crate::auth::Grant;

#[derive(Debug, Args)]
pub struct GuestArgs {
    #[command(flatten)]
    pub token: TokenArgs,
}

pub fn run(rt: &tokio::runtime::Runtime, args: &GuestArgs) -> ExitCode {
    token::run(rt, &args.token, || {
        Ok(Grant::ClientCredentials {
            client_secret: None,
        })
    })
}
