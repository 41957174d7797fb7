//! `login`: the password grant for one customer.

use std::process::ExitCode;

use clap::Args;

use super::args::TokenArgs;
use super::secret::{read_secret, SecretSource};
use super::token;
use crate::auth::Grant;

#[derive(Debug, Args)]
pub struct LoginArgs {
    /// The customer's email (sent as `username`).
    #[arg(long, value_name = "EMAIL")]
    pub email: String,

    /// Read the password from the first line of stdin. Otherwise CL_PASSWORD, else a hidden prompt.
    #[arg(long)]
    pub password_stdin: bool,

    #[command(flatten)]
    pub token: TokenArgs,
}

pub fn run(rt: &tokio::runtime::Runtime, args: &LoginArgs) -> ExitCode {
    token::run(rt, &args.token, || {
        let source = SecretSource {
            what: "password",
            stdin_hint: "pipe it with --password-stdin",
            env: "CL_PASSWORD",
            prompt: format!("Password for {}: ", args.email),
        };
        let password = read_secret(args.password_stdin, &source)?;
        Ok(Grant::Password {
            username: args.email.clone(),
            password,
        })
    })
}
