//! The command line: clap commands, text or `--json` output, documented exit codes.

mod output;

use std::io::{BufRead, IsTerminal, Write};
use std::process::ExitCode;
use std::time::Duration;

use clap::{Args, Parser, Subcommand};
use secrecy::SecretString;
use zeroize::Zeroizing;

use crate::attempt::Tokens;
use crate::auth::grant::{DEFAULT_BASE_URL, DEFAULT_TIMEOUT};
use crate::auth::{Encoding, Grant, RequestDraft};
use crate::client::Transport;
use crate::demo::{self, DemoConfig, RateLimit};

/// Exit code for bad usage or input: nothing was sent.
pub const EXIT_USAGE: u8 = 2;

#[derive(Debug, Parser)]
#[command(
    name = "cl-login-tester",
    version,
    about = "Test Commerce Layer customer logins: a desktop window, a CLI for scripts and CI, and an offline demo server.",
    long_about = "Test Commerce Layer customer logins (the OAuth2 password grant).\n\n\
                  With no command, opens the window. `--demo` opens it on a built-in demo server, so \
                  nothing reaches Commerce Layer.\n\n\
                  Exit codes: 0 token issued, 1 refused by the server, 2 bad usage or input (nothing \
                  sent), 3 network, timeout, 5xx, redirect or unreadable answer, 4 rate limited."
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
    /// Run the local demo Commerce Layer auth server until Ctrl-C.
    DemoServer(DemoServerArgs),
}

#[derive(Debug, Args)]
pub struct LoginArgs {
    /// The sales channel's client ID.
    #[arg(long, value_name = "ID")]
    pub client_id: String,

    /// The customer's email (sent as `username`).
    #[arg(long, value_name = "EMAIL")]
    pub email: String,

    /// Scope, e.g. market:code:europe or stock_location:id:abc. Repeat for several (joined with a space).
    #[arg(long = "scope", value_name = "SCOPE")]
    pub scopes: Vec<String>,

    /// The auth host, or the full token URL. Plain http only to localhost.
    #[arg(long, value_name = "URL", default_value = DEFAULT_BASE_URL)]
    pub base_url: String,

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
    let rt = match runtime() {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("error: could not start the async runtime: {e}");
            return ExitCode::from(3);
        }
    };
    match command {
        Command::Login(args) => rt.block_on(login(args)),
        Command::DemoServer(args) => rt.block_on(demo_server(args)),
    }
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

async fn login(args: LoginArgs) -> ExitCode {
    let password = match read_password(args.password_stdin, &args.email) {
        Ok(p) => p,
        Err(message) => return usage_error(message),
    };
    let draft = RequestDraft {
        base_url: &args.base_url,
        client_id: &args.client_id,
        grant: Grant::Password {
            username: args.email.clone(),
            password,
        },
        scopes: &args.scopes,
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
        Err(e) => return usage_error(e),
    };
    for warning in &checked.warnings {
        eprintln!("warning: {warning}");
    }
    let transport = match Transport::new() {
        Ok(t) => t,
        Err(e) => return usage_error(e),
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
    ExitCode::from(attempt.exit_code())
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
