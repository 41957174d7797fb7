//! The command line: clap commands, text or `--json` output, documented exit codes.

mod batch;
mod output;
mod profiles;

use std::io::{BufRead, IsTerminal, Write};
use std::process::ExitCode;
use std::time::{Duration, SystemTime};

use clap::{Args, Parser, Subcommand};
use secrecy::{ExposeSecret, SecretString};
use serde_json::json;
use zeroize::Zeroizing;

use crate::attempt::{rfc3339, Attempt, Tokens, CLOCK_SKEW_WARNING};
use crate::auth::grant::{check_timeout, jwks_url, token_url, DEFAULT_BASE_URL, DEFAULT_TIMEOUT};
use crate::auth::token::{bare_token, jwt_expires_at, jwt_valid_from, validity};
use crate::auth::{jwt, Encoding, Grant, Mode, RequestDraft, RevokeDraft};
use crate::client::Transport;
use crate::demo::{self, DemoConfig, RateLimit};
use crate::lifecycle::Lifecycle;
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
    /// Check many customer logins from a CSV, paced at the rate limit; one JSON line per row.
    ///
    /// Exit codes: 0 every row matched its expectation, 1 some row did not, 2 bad usage or file
    /// (nothing sent), 3 the run stopped before the end (rows not run: --resume runs them), 4
    /// rows still rate limited after 5 tries. When several apply, the first of 3, 4, 1.
    Batch(batch::BatchArgs),
    /// Run the local demo Commerce Layer auth server until Ctrl-C.
    DemoServer(DemoServerArgs),
}

/// Where the auth host is and how long to wait for it.
#[derive(Debug, Args)]
pub struct ServerArgs {
    /// The auth host, or the full token URL. Plain http only to localhost. [default: the
    /// profile's, else https://auth.commercelayer.io]
    #[arg(long, value_name = "URL")]
    pub base_url: Option<String>,

    /// Seconds for the whole request (connecting takes at most 10 of them).
    #[arg(long, value_name = "SECS", default_value_t = DEFAULT_TIMEOUT.as_secs())]
    pub timeout: u64,
}

impl ServerArgs {
    /// The base URL given, else the default host.
    pub fn base_url(&self) -> &str {
        self.base_url.as_deref().unwrap_or(DEFAULT_BASE_URL)
    }
}

/// The flags every token request shares (login, refresh, guest).
#[derive(Debug, Args)]
pub struct TokenArgs {
    /// Take the client ID, base URL and scopes from this saved profile; flags given here win.
    #[arg(long, value_name = "NAME")]
    pub profile: Option<ProfileName>,

    /// The sales channel's client ID. Required unless --profile is given.
    #[arg(long, value_name = "ID", required_unless_present = "profile")]
    pub client_id: Option<String>,

    /// Scope, e.g. market:code:europe or stock_location:id:abc. Repeat for several (joined with a
    /// space). Given here, they replace the profile's scopes.
    #[arg(long = "scope", value_name = "SCOPE")]
    pub scopes: Vec<String>,

    #[command(flatten)]
    pub server: ServerArgs,

    /// Send the body as application/x-www-form-urlencoded instead of JSON (RFC 6749 servers).
    #[arg(long)]
    pub form: bool,

    /// Send the scope even if it does not look like a scope (to test how the server reacts).
    #[arg(long)]
    pub no_scope_check: bool,

    /// Print one JSON object (documented in the README) instead of text. It includes the tokens.
    #[arg(long)]
    pub json: bool,

    /// Also print the access and refresh tokens in the text output.
    #[arg(long)]
    pub show_token: bool,
}

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

#[derive(Debug, Args)]
pub struct RefreshArgs {
    /// Read the refresh token from the first line of stdin. Otherwise CL_REFRESH_TOKEN, else a hidden prompt.
    #[arg(long)]
    pub refresh_token_stdin: bool,

    #[command(flatten)]
    pub token: TokenArgs,
}

#[derive(Debug, Args)]
pub struct GuestArgs {
    #[command(flatten)]
    pub token: TokenArgs,
}

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
        Command::Login(args) => with_runtime(|rt| {
            token_command(rt, &args.token, || {
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
        }),
        Command::Refresh(args) => with_runtime(|rt| {
            token_command(rt, &args.token, || {
                let source = SecretSource {
                    what: "refresh token",
                    stdin_hint: "pipe it with --refresh-token-stdin",
                    env: "CL_REFRESH_TOKEN",
                    prompt: "Refresh token: ".to_owned(),
                };
                let refresh_token = read_secret(args.refresh_token_stdin, &source)?;
                Ok(Grant::RefreshToken { refresh_token })
            })
        }),
        Command::Guest(args) => with_runtime(|rt| {
            token_command(rt, &args.token, || {
                Ok(Grant::ClientCredentials {
                    client_secret: None,
                })
            })
        }),
        Command::Revoke(args) => with_runtime(|rt| rt.block_on(revoke(args))),
        Command::Decode(args) => with_runtime(|rt| rt.block_on(decode(args))),
        Command::Profiles { command } => profiles::run(command, &KeyringProfiles::platform()),
        Command::Batch(args) => batch::run(&args),
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

/// What a token command sends: the flags given, else the profile's values, else the defaults.
#[derive(Debug, PartialEq, Eq)]
struct Target {
    client_id: String,
    base_url: String,
    scopes: Vec<String>,
    /// The client ID is the profile's, so the token's mode says something about the profile.
    mode_belongs_to_profile: bool,
}

impl Target {
    fn merge(args: &TokenArgs, profile: Option<&Profile>) -> Self {
        let client_id = args
            .client_id
            .clone()
            .or_else(|| profile.map(|p| p.client_id.clone()))
            .unwrap_or_default();
        let base_url = args
            .server
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

/// Login, refresh and guest: the profile (the keyring is touched only with `--profile`, so plain
/// logins stay as fast as curl), then the secret, then one path to the printed answer; the
/// token's mode is recorded in the profile it came from.
fn token_command(
    rt: &tokio::runtime::Runtime,
    args: &TokenArgs,
    grant: impl FnOnce() -> Result<Grant, String>,
) -> ExitCode {
    let store = args.profile.as_ref().map(|_| KeyringProfiles::platform());
    let profile = match (&args.profile, &store) {
        (Some(name), Some(store)) => match store.get(name) {
            Ok(profile) => Some(profile),
            Err(e) => return profiles::failure(&e),
        },
        _ => None,
    };
    let target = Target::merge(args, profile.as_ref());
    // A wrong URL is said before anyone types a password for it.
    if let Err(e) = token_url(&target.base_url) {
        return usage_error(e);
    }
    let grant = match grant() {
        Ok(grant) => grant,
        Err(message) => return usage_error(message),
    };
    let (code, mode) = rt.block_on(request_token(args, &target, grant));
    if let (Some(store), Some(profile), Some(mode), true) =
        (&store, &profile, mode, target.mode_belongs_to_profile)
    {
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

/// Where one secret may come from. Never a command-line argument: those show in the process
/// list and the shell history.
struct SecretSource {
    /// "password", "refresh token", ...
    what: &'static str,
    /// How to pipe it: "pipe it with --password-stdin".
    stdin_hint: &'static str,
    env: &'static str,
    prompt: String,
}

/// A secret from the first of: stdin (when `from_stdin`), the environment variable, a hidden
/// prompt on a terminal.
fn read_secret(from_stdin: bool, source: &SecretSource) -> Result<SecretString, String> {
    let what = source.what;
    if from_stdin {
        let mut line = Zeroizing::new(String::new());
        std::io::stdin()
            .lock()
            .read_line(&mut line)
            .map_err(|e| format!("could not read the {what} from stdin: {e}"))?;
        let secret = line.trim_end_matches(['\n', '\r']);
        return Ok(SecretString::from(secret.to_owned()));
    }
    if let Some(value) = std::env::var_os(source.env) {
        return value
            .into_string()
            .map(SecretString::from)
            .map_err(|_| format!("{} is not valid UTF-8", source.env));
    }
    if std::io::stdin().is_terminal() {
        return rpassword::prompt_password(&source.prompt)
            .map(SecretString::from)
            .map_err(|e| format!("could not read the {what}: {e}"));
    }
    Err(format!(
        "no {what} given: {}, set {}, or run in a terminal to be prompted (it is never taken as an argument)",
        source.stdin_hint, source.env
    ))
}

/// Writes what a command prints; a closed pipe (`| head`) is not an error.
fn emit(text: &str) {
    let mut stdout = std::io::stdout().lock();
    if let Err(e) = stdout
        .write_all(text.as_bytes())
        .and_then(|()| stdout.flush())
    {
        if e.kind() != std::io::ErrorKind::BrokenPipe {
            eprintln!("error: could not write the result: {e}");
        }
    }
}

fn lifecycle() -> Result<Lifecycle, ExitCode> {
    Transport::new().map(Lifecycle::new).map_err(usage_error)
}

/// Prints an attempt as text or `--json` and returns its exit code.
fn report(attempt: &Attempt, json: bool, show_token: bool) -> ExitCode {
    if json {
        emit(&format!("{}\n", attempt.to_json(Tokens::Shown)));
    } else {
        let tokens = if show_token {
            Tokens::Shown
        } else {
            Tokens::Redacted
        };
        emit(&output::summary(attempt, tokens, SystemTime::now()));
    }
    ExitCode::from(attempt.exit_code())
}

/// Sends a checked token request; returns the exit code and the mode of an issued token.
async fn request_token(
    args: &TokenArgs,
    target: &Target,
    grant: Grant,
) -> (ExitCode, Option<Mode>) {
    let draft = RequestDraft {
        base_url: &target.base_url,
        client_id: &target.client_id,
        grant,
        scopes: &target.scopes,
        check_scopes: !args.no_scope_check,
        encoding: if args.form {
            Encoding::Form
        } else {
            Encoding::Json
        },
        timeout: Duration::from_secs(args.server.timeout),
    };
    let checked = match draft.check() {
        Ok(c) => c,
        Err(e) => return (usage_error(e), None),
    };
    for warning in &checked.warnings {
        eprintln!("warning: {warning}");
    }
    let lifecycle = match lifecycle() {
        Ok(l) => l,
        Err(code) => return (code, None),
    };
    let attempt = lifecycle.token(&checked.request).await;
    drop(checked);
    let mode = attempt.outcome.token.as_ref().and_then(|t| t.mode());
    (report(&attempt, args.json, args.show_token), mode)
}

async fn revoke(args: RevokeArgs) -> ExitCode {
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
    let lifecycle = match lifecycle() {
        Ok(l) => l,
        Err(code) => return code,
    };
    let attempt = lifecycle.revoke(&request).await;
    drop(request);
    report(&attempt, args.json, false)
}

async fn decode(args: DecodeArgs) -> ExitCode {
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
        let lifecycle = match lifecycle() {
            Ok(l) => l,
            Err(code) => return code,
        };
        Some(
            lifecycle
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
    ExitCode::from(check.map_or(0, |c| c.result.exit_code()))
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
        let target = Target::merge(&login_args(&["--client-id", "typed"]).token, None);
        assert_eq!(target.client_id, "typed");
        assert_eq!(target.base_url, DEFAULT_BASE_URL);
        assert!(target.scopes.is_empty());
        assert!(!target.mode_belongs_to_profile);
    }

    #[test]
    fn the_profile_fills_what_was_not_given() {
        let target = Target::merge(&login_args(&["--profile", "acme"]).token, Some(&saved()));
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
        let target = Target::merge(&args.token, Some(&saved()));
        assert_eq!(target.client_id, "typed");
        assert_eq!(target.base_url, DEFAULT_BASE_URL);
        assert_eq!(target.scopes, ["market:code:usa"]);
        assert!(
            !target.mode_belongs_to_profile,
            "another client ID's token says nothing about the profile"
        );
    }
}
