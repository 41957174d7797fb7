//! The command line: clap commands, text or `--json` output, documented exit codes.

mod output;
mod profiles;

use std::io::{BufRead, IsTerminal, Write};
use std::process::ExitCode;
use std::time::Duration;

use clap::{Args, Parser, Subcommand};
use secrecy::SecretString;
use zeroize::Zeroizing;

use crate::attempt::Tokens;
use crate::auth::grant::{DEFAULT_BASE_URL, DEFAULT_TIMEOUT};
use crate::auth::{Encoding, Grant, Mode, RequestDraft};
use crate::client::Transport;
use crate::demo::{self, DemoConfig, RateLimit};
use crate::profiles::{KeyringProfiles, Profile, ProfileName, ProfileStore};

pub use profiles::ProfilesCommand;

/// Exit code for bad usage or input: nothing was sent.
pub const EXIT_USAGE: u8 = 2;

/// Exit code when the keyring cannot be used: none running, locked, unlock refused, or an entry
/// this tool cannot read. Nothing was sent.
pub const EXIT_KEYRING: u8 = 5;

#[derive(Debug, Parser)]
#[command(
    name = "cl-login-tester",
    version,
    about = "Test Commerce Layer customer logins: a desktop window, a CLI for scripts and CI, and an offline demo server.",
    long_about = "Test Commerce Layer customer logins (the OAuth2 password grant).\n\n\
                  With no command, opens the window. `--demo` opens it on a built-in demo server, so \
                  nothing reaches Commerce Layer.\n\n\
                  Exit codes: 0 token issued (or profile command done), 1 refused by the server, 2 bad \
                  usage or input (nothing sent), 3 network, timeout, 5xx, redirect or unreadable \
                  answer, 4 rate limited, 5 the keyring cannot be used (none running, locked, unlock \
                  refused, or an entry this tool cannot read)."
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
    /// Saved profiles (base URL, client ID, default scopes, note), kept in the OS keyring.
    Profiles {
        #[command(subcommand)]
        command: ProfilesCommand,
    },
    /// Run the local demo Commerce Layer auth server until Ctrl-C.
    DemoServer(DemoServerArgs),
}

#[derive(Debug, Args)]
pub struct LoginArgs {
    /// Take the client ID, base URL and scopes from this saved profile; flags given here win.
    #[arg(long, value_name = "NAME")]
    pub profile: Option<ProfileName>,

    /// The sales channel's client ID. Required unless --profile is given.
    #[arg(long, value_name = "ID", required_unless_present = "profile")]
    pub client_id: Option<String>,

    /// The customer's email (sent as `username`).
    #[arg(long, value_name = "EMAIL")]
    pub email: String,

    /// Scope, e.g. market:code:europe or stock_location:id:abc. Repeat for several (joined with a
    /// space). Given here, they replace the profile's scopes.
    #[arg(long = "scope", value_name = "SCOPE")]
    pub scopes: Vec<String>,

    /// The auth host, or the full token URL. Plain http only to localhost. [default: the
    /// profile's, else https://auth.commercelayer.io]
    #[arg(long, value_name = "URL")]
    pub base_url: Option<String>,

    /// Read the password from the first line of stdin. Otherwise CL_PASSWORD, else a hidden prompt.
    #[arg(long)]
    pub password_stdin: bool,

    /// Send the body as application/x-www-form-urlencoded instead of JSON (RFC 6749 servers).
    #[arg(long)]
    pub form: bool,

    /// Seconds for the whole request (connecting takes at most 10 of them).
    #[arg(long, value_name = "SECS", default_value_t = DEFAULT_TIMEOUT.as_secs())]
    pub timeout: u64,

    /// Send the scope even if it does not look like a scope (to test how the server reacts).
    #[arg(long)]
    pub no_scope_check: bool,

    /// Print one JSON object (documented in the README) instead of text. It includes the token.
    #[arg(long)]
    pub json: bool,

    /// Also print the access and refresh tokens in the text output.
    #[arg(long)]
    pub show_token: bool,
}

#[derive(Debug, Args)]
pub struct DemoServerArgs {
    /// Port on 127.0.0.1; 0 picks a free one.
    #[arg(long, default_value_t = 0)]
    pub port: u16,

    /// Answer 429 above this many token requests per period, e.g. 30/min or 5/10s.
    #[arg(long, value_name = "N/PERIOD")]
    pub rate_limit: Option<RateLimit>,
}

/// A problem found before anything was sent: exit 2.
fn usage_error(message: impl std::fmt::Display) -> ExitCode {
    eprintln!("error: {message}");
    ExitCode::from(EXIT_USAGE)
}

fn runtime() -> std::io::Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
}

/// Runs one CLI command and returns the process exit code.
pub fn run(command: Command) -> ExitCode {
    match command {
        Command::Login(args) => {
            with_runtime(|rt| login_with_profile(rt, args, &KeyringProfiles::platform()))
        }
        Command::Profiles { command } => profiles::run(command, &KeyringProfiles::platform()),
        Command::DemoServer(args) => with_runtime(|rt| rt.block_on(demo_server(args))),
    }
}

fn with_runtime(work: impl FnOnce(&tokio::runtime::Runtime) -> ExitCode) -> ExitCode {
    match runtime() {
        Ok(rt) => work(&rt),
        Err(e) => {
            eprintln!("error: could not start the async runtime: {e}");
            ExitCode::from(3)
        }
    }
}

/// What `login` sends: the flags given, else the profile's values, else the defaults.
#[derive(Debug, PartialEq, Eq)]
struct Target {
    client_id: String,
    base_url: String,
    scopes: Vec<String>,
    /// The client ID is the profile's, so the token's mode says something about the profile.
    mode_belongs_to_profile: bool,
}

impl Target {
    fn merge(args: &LoginArgs, profile: Option<&Profile>) -> Self {
        let client_id = args
            .client_id
            .clone()
            .or_else(|| profile.map(|p| p.client_id.clone()))
            .unwrap_or_default();
        let base_url = args
            .base_url
            .clone()
            .or_else(|| profile.map(|p| p.base_url.clone()))
            .unwrap_or_else(|| DEFAULT_BASE_URL.to_owned());
        let scopes = match profile {
            Some(p) if args.scopes.is_empty() => p.scopes.clone(),
            _ => args.scopes.clone(),
        };
        Self {
            client_id,
            base_url,
            scopes,
            mode_belongs_to_profile: profile.is_some() && args.client_id.is_none(),
        }
    }
}

/// `login`: the keyring is touched only with `--profile`, so plain logins stay as fast as curl.
fn login_with_profile(
    rt: &tokio::runtime::Runtime,
    args: LoginArgs,
    store: &dyn ProfileStore,
) -> ExitCode {
    let profile = match &args.profile {
        Some(name) => match store.get(name) {
            Ok(profile) => Some(profile),
            Err(e) => return profiles::failure(&e),
        },
        None => None,
    };
    let target = Target::merge(&args, profile.as_ref());
    let (code, mode) = rt.block_on(login(args, &target));
    if let (Some(profile), Some(mode), true) = (&profile, mode, target.mode_belongs_to_profile) {
        if let Err(e) = store.record_mode(&profile.name, mode) {
            eprintln!(
                "warning: the token's mode ({}) was not saved in profile `{}`: {e}",
                mode.as_str(),
                profile.name
            );
        }
    }
    code
}

/// The password, from the first of: `--password-stdin`, `CL_PASSWORD`, a hidden prompt.
fn read_password(from_stdin: bool, email: &str) -> Result<SecretString, String> {
    if from_stdin {
        let mut line = Zeroizing::new(String::new());
        std::io::stdin()
            .lock()
            .read_line(&mut line)
            .map_err(|e| format!("could not read the password from stdin: {e}"))?;
        let password = line.trim_end_matches(['\n', '\r']);
        return Ok(SecretString::from(password.to_owned()));
    }
    if let Some(value) = std::env::var_os("CL_PASSWORD") {
        return value
            .into_string()
            .map(SecretString::from)
            .map_err(|_| "CL_PASSWORD is not valid UTF-8".to_owned());
    }
    if std::io::stdin().is_terminal() {
        return rpassword::prompt_password(format!("Password for {email}: "))
            .map(SecretString::from)
            .map_err(|e| format!("could not read the password: {e}"));
    }
    Err("no password given: pipe it with --password-stdin, set CL_PASSWORD, or run in a terminal to be prompted (it is never taken as an argument)".to_owned())
}

/// Sends the login; returns the exit code and the mode of an issued token.
async fn login(args: LoginArgs, target: &Target) -> (ExitCode, Option<Mode>) {
    let password = match read_password(args.password_stdin, &args.email) {
        Ok(p) => p,
        Err(message) => return (usage_error(message), None),
    };
    let draft = RequestDraft {
        base_url: &target.base_url,
        client_id: &target.client_id,
        grant: Grant::Password {
            username: args.email.clone(),
            password,
        },
        scopes: &target.scopes,
        check_scopes: !args.no_scope_check,
        encoding: if args.form {
            Encoding::Form
        } else {
            Encoding::Json
        },
        timeout: Duration::from_secs(args.timeout),
    };
    let checked = match draft.check() {
        Ok(c) => c,
        Err(e) => return (usage_error(e), None),
    };
    for warning in &checked.warnings {
        eprintln!("warning: {warning}");
    }
    let transport = match Transport::new() {
        Ok(t) => t,
        Err(e) => return (usage_error(e), None),
    };
    let attempt = transport.token(&checked.request).await;
    drop(checked);
    let mut stdout = std::io::stdout().lock();
    let written = if args.json {
        writeln!(stdout, "{}", attempt.to_json(Tokens::Shown))
    } else {
        let tokens = if args.show_token {
            Tokens::Shown
        } else {
            Tokens::Redacted
        };
        write!(stdout, "{}", output::summary(&attempt, tokens))
    };
    if let Err(e) = written.and_then(|()| stdout.flush()) {
        if e.kind() != std::io::ErrorKind::BrokenPipe {
            eprintln!("error: could not write the result: {e}");
        }
    }
    let mode = attempt.outcome.token.as_ref().and_then(|t| t.mode());
    (ExitCode::from(attempt.exit_code()), mode)
}

async fn demo_server(args: DemoServerArgs) -> ExitCode {
    let server = match demo::start(DemoConfig {
        port: args.port,
        rate_limit: args.rate_limit,
    })
    .await
    {
        Ok(s) => s,
        Err(e) => return usage_error(e),
    };
    println!("{}", server.credentials_text());
    if let Some(limit) = args.rate_limit {
        println!(
            "rate limit   {} token requests per {:?} (429 with Retry-After above it)",
            limit.max, limit.period
        );
    }
    println!("Press Ctrl-C to stop.");
    let _ = std::io::stdout().flush();
    let _ = tokio::signal::ctrl_c().await;
    drop(server);
    ExitCode::SUCCESS
}

#[cfg(test)]
mod tests {
    use super::*;

    fn login_args(flags: &[&str]) -> LoginArgs {
        let argv = ["cl-login-tester", "login", "--email", "a@b.c"];
        let cli = Cli::try_parse_from(argv.iter().chain(flags)).expect("parses");
        match cli.command {
            Some(Command::Login(args)) => args,
            other => panic!("not a login: {other:?}"),
        }
    }

    fn saved() -> Profile {
        let mut profile = Profile::new(ProfileName::parse("acme").expect("name"), "profile-id");
        profile.base_url = "https://auth.commercelayer.co".to_owned();
        profile.scopes = vec!["market:code:eu".to_owned()];
        profile
    }

    #[test]
    fn without_a_profile_the_flags_and_defaults_apply() {
        let target = Target::merge(&login_args(&["--client-id", "typed"]), None);
        assert_eq!(target.client_id, "typed");
        assert_eq!(target.base_url, DEFAULT_BASE_URL);
        assert!(target.scopes.is_empty());
        assert!(!target.mode_belongs_to_profile);
    }

    #[test]
    fn the_profile_fills_what_was_not_given() {
        let target = Target::merge(&login_args(&["--profile", "acme"]), Some(&saved()));
        assert_eq!(
            target,
            Target {
                client_id: "profile-id".to_owned(),
                base_url: "https://auth.commercelayer.co".to_owned(),
                scopes: vec!["market:code:eu".to_owned()],
                mode_belongs_to_profile: true,
            }
        );
    }

    #[test]
    fn flags_given_win_even_when_they_equal_the_default() {
        let args = login_args(&[
            "--profile",
            "acme",
            "--client-id",
            "typed",
            "--base-url",
            DEFAULT_BASE_URL,
            "--scope",
            "market:code:usa",
        ]);
        let target = Target::merge(&args, Some(&saved()));
        assert_eq!(target.client_id, "typed");
        assert_eq!(target.base_url, DEFAULT_BASE_URL);
        assert_eq!(target.scopes, ["market:code:usa"]);
        assert!(
            !target.mode_belongs_to_profile,
            "another client ID's token says nothing about the profile"
        );
    }
}
