//! The command line: clap commands, text or `--json` output, documented exit codes. One file per
//! command; `token` is the flow login, refresh and guest share; `exit` is the exit-code table.

mod args;
mod batch;
mod decode;
mod demo_server;
mod diagnose;
pub mod exit;
mod guest;
mod history;
mod login;
mod output;
mod print;
mod profiles;
mod refresh;
mod revoke;
mod secret;
mod target;
mod token;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

pub use args::{ServerArgs, TokenArgs};
pub use batch::BatchArgs;
pub use decode::DecodeArgs;
pub use demo_server::DemoServerArgs;
pub use diagnose::DiagnoseArgs;
pub use exit::Exit;
pub use guest::GuestArgs;
pub use history::HistoryArgs;
pub use login::LoginArgs;
pub use profiles::ProfilesCommand;
pub use refresh::RefreshArgs;
pub use revoke::RevokeArgs;

use crate::profiles::KeyringProfiles;

#[derive(Debug, Parser)]
#[command(
    name = "cl-login-tester",
    version,
    about = "Test Commerce Layer customer logins: a desktop window, a CLI for scripts and CI, and an offline demo server.",
    long_about = "Test Commerce Layer customer logins (the OAuth2 password grant).\n\n\
                  With no command, opens the window. `--demo` opens it on a built-in demo server, so \
                  nothing reaches Commerce Layer.\n\n\
                  Secrets (password, refresh token, token) are never taken as arguments: they come \
                  from stdin, an environment variable or a hidden prompt.\n\n\
                  Exit codes: 0 token issued (or revoked, or profile command done), 1 refused by the \
                  server, 2 bad usage or input (nothing sent), 3 network, timeout, 5xx, redirect or \
                  unreadable answer, 4 rate limited, 5 the keyring cannot be used (none running, \
                  locked, unlock refused, or an entry this tool cannot read)."
)]
pub struct Cli {
    /// Open the window on an in-process demo server with demo credentials filled in.
    #[arg(long)]
    pub demo: bool,

    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Log a customer in (password grant) and report the answer.
    Login(LoginArgs),
    /// Refresh a customer token (refresh_token grant) and report whether the refresh token rotated.
    ///
    /// Pass the login's --scope values again: a refresh must ask for the same scope as the login
    /// (unless that was market:all). A refresh token lives two weeks; a refresh returns a new one.
    Refresh(RefreshArgs),
    /// Ask for a guest token (client_credentials, no secret) with the same flags as login.
    Guest(GuestArgs),
    /// Diagnose a failed login: the few requests that tell which input is at fault (at most
    /// three after the login: a guest token with and without the scope, and the customer again
    /// without the scope only when the failure was about the scope), and a verdict with what to
    /// do. Takes login's flags.
    Diagnose(DiagnoseArgs),
    /// Revoke an access or refresh token.
    Revoke(RevokeArgs),
    /// Decode a token read from stdin: header, claims, expiry, mode; --verify checks the signature.
    ///
    /// With --verify, the keys come from the token's issuer when it is a Commerce Layer auth host
    /// (https://auth.commercelayer.io, .app, .co), otherwise from --base-url (the demo server, a
    /// custom domain). The token is never printed.
    Decode(DecodeArgs),
    /// Saved profiles (base URL, client ID, default scopes, note), kept in the OS keyring.
    Profiles {
        #[command(subcommand)]
        command: ProfilesCommand,
    },
    /// List the attempts the window kept between sessions (redacted reports; only when "Keep
    /// history" is on in its Settings), or clear them.
    History(HistoryArgs),
    /// Check many customer logins from a CSV, paced at the rate limit; one JSON line per row.
    ///
    /// Exit codes: 0 every row matched its expectation, 1 some row did not, 2 bad usage or file
    /// (nothing sent), 3 the run stopped before the end (rows not run: --resume runs them), 4
    /// rows still rate limited after 5 tries. When several apply, the first of 3, 4, 1.
    Batch(BatchArgs),
    /// Run the local demo Commerce Layer auth server until Ctrl-C.
    DemoServer(DemoServerArgs),
}

fn runtime() -> std::io::Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
}

/// Runs one CLI command and returns the process exit code.
pub fn run(command: Command) -> ExitCode {
    match command {
        Command::Login(args) => with_runtime(|rt| login::run(rt, &args)),
        Command::Refresh(args) => with_runtime(|rt| refresh::run(rt, &args)),
        Command::Guest(args) => with_runtime(|rt| guest::run(rt, &args)),
        Command::Diagnose(args) => with_runtime(|rt| diagnose::run(rt, &args)),
        Command::Revoke(args) => with_runtime(|rt| rt.block_on(revoke::run(args))),
        Command::Decode(args) => with_runtime(|rt| rt.block_on(decode::run(args))),
        Command::Profiles { command } => profiles::run(command, &KeyringProfiles::platform()),
        Command::History(args) => history::run(&args),
        Command::Batch(args) => batch::run(&args),
        Command::DemoServer(args) => with_runtime(|rt| rt.block_on(demo_server::run(args))),
    }
}

/// No command: the window, whose start-up failures get their codes from the same table.
pub fn open_window(demo: bool) -> ExitCode {
    match crate::gui::run(demo) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            Exit::of_window(&e).into()
        }
    }
}

fn with_runtime(work: impl FnOnce(&tokio::runtime::Runtime) -> ExitCode) -> ExitCode {
    match runtime() {
        Ok(rt) => work(&rt),
        Err(e) => print::setup_error(format!("could not start the async runtime: {e}")),
    }
}
