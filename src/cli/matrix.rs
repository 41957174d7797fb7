//! `matrix`: which scopes (markets, stock locations, stores) a customer login and a guest token
//! reach, side by side, with a verdict per row. The run is `crate::matrix`; this face reads the
//! flags, the scope file and the password, and prints the table or the JSON.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::{Duration, SystemTime};

use clap::Args;

use super::args::{ClientArgs, ServerArgs};
use super::batch::stop_on_ctrl_c;
use super::exit::Exit;
use super::output::table;
use super::print::{emit, usage_error};
use super::secret::{read_secret, SecretSource};
use super::target::Target;
use super::token::auth_host;
use super::{profiles, with_runtime};
use crate::auth::request::check_timeout;
use crate::auth::url::token_url;
use crate::auth::{Encoding, OutcomeKind};
use crate::batch::Controls;
use crate::facts::{shown, AttemptFacts};
use crate::matrix::{parse_scope_rows, run, Cell, Column, Customer, Matrix, Plan};
use crate::pacing::{Pacer, RateLimit};

#[derive(Debug, Args)]
pub struct MatrixArgs {
    #[command(flatten)]
    pub client: ClientArgs,

    /// The customer whose login fills the customer column (sent as `username`).
    #[arg(long, value_name = "EMAIL")]
    pub email: Option<String>,

    /// Read the password from the first line of stdin. Otherwise CL_PASSWORD, else a hidden
    /// prompt; asked once for every row.
    #[arg(long, requires = "email")]
    pub password_stdin: bool,

    /// One row: a scope, or several space-separated in one argument. Repeat for more rows.
    #[arg(long = "scope", value_name = "SCOPE")]
    pub scopes: Vec<String>,

    /// More rows from a file: one per line, `#` comments and blank lines allowed.
    #[arg(long, value_name = "FILE")]
    pub scopes_from: Option<PathBuf>,

    /// Leave out the guest column (a `client_credentials` token with the same scope).
    #[arg(long)]
    pub no_guest: bool,

    #[command(flatten)]
    pub server: ServerArgs,

    /// Requests per sliding window at most, as for `batch`, e.g. 30/min (Commerce Layer's limit).
    #[arg(long, value_name = "N/PERIOD", default_value = "30/min")]
    pub rate: RateLimit,

    /// Revoke each issued token right after its cell, through the same pacing.
    #[arg(long)]
    pub revoke: bool,

    /// One JSON object with every row and cell (never a password or a token).
    #[arg(long)]
    pub json: bool,
}

pub fn run_command(args: &MatrixArgs) -> ExitCode {
    if args.email.is_none() && args.no_guest {
        return usage_error(
            "nothing to check: give --email for the customer column, or drop --no-guest",
        );
    }
    let profile = match profiles::named(args.client.profile.as_ref()) {
        Ok(profile) => profile,
        Err(code) => return code,
    };
    let target = Target::merge(&args.client, &args.server, &[], profile.as_ref());
    if let Err(e) = token_url(&target.base_url) {
        return usage_error(e);
    }
    let timeout = Duration::from_secs(args.server.timeout);
    if let Err(e) = check_timeout(timeout) {
        return usage_error(e);
    }
    let file = match &args.scopes_from {
        Some(path) => match std::fs::read_to_string(path) {
            Ok(text) => Some((path.display().to_string(), text)),
            Err(e) => {
                return usage_error(format!("could not read {}: {e}", path.display()));
            }
        },
        None => None,
    };
    // Without rows of its own the matrix checks the profile's saved scopes, one row each.
    let flags = match &profile {
        Some(p) if args.scopes.is_empty() && file.is_none() => p.scopes.clone(),
        _ => args.scopes.clone(),
    };
    let rows = match parse_scope_rows(&flags, file.as_ref().map(|(n, t)| (n.as_str(), t.as_str())))
    {
        Ok(rows) => rows,
        Err(e) => return usage_error(e),
    };
    let customer = match &args.email {
        Some(email) => {
            let source = SecretSource {
                what: "password",
                stdin_hint: "pipe it with --password-stdin",
                env: "CL_PASSWORD",
                prompt: format!("Password for {email}: "),
            };
            match read_secret(args.password_stdin, &source) {
                Ok(password) => Some(Customer {
                    email: email.clone(),
                    password,
                }),
                Err(message) => return usage_error(message),
            }
        }
        None => None,
    };
    let plan = Plan {
        base_url: target.base_url,
        client_id: target.client_id,
        customer,
        guest: !args.no_guest,
        rows,
        encoding: Encoding::Json,
        timeout,
        revoke: args.revoke,
    };
    if let Err(e) = plan.check() {
        return usage_error(e);
    }
    let host = match auth_host() {
        Ok(host) => host,
        Err(code) => return code,
    };
    let pacer = Pacer::new(args.rate);
    with_runtime(|rt| {
        let matrix = rt.block_on(async {
            let (controls, listener) = Controls::new();
            let interrupt = tokio::spawn(stop_on_ctrl_c(controls));
            let matrix = run(&plan, &host, &pacer, listener, |_, _, _| {}).await;
            interrupt.abort();
            matrix
        });
        // The plan holds the password: gone before anything is printed.
        drop(plan);
        let matrix = match matrix {
            Ok(matrix) => matrix,
            Err(e) => return usage_error(e),
        };
        if args.json {
            emit(&format!("{}\n", matrix.to_json()));
        } else {
            emit(&text(&matrix, SystemTime::now()));
        }
        if let Some(reason) = &matrix.stopped {
            eprintln!("stopped: {}", reason.explanation());
        }
        if matrix.not_revoked > 0 {
            eprintln!(
                "warning: {} issued tokens could not be revoked",
                matrix.not_revoked
            );
        }
        Exit::of_matrix(&matrix).into()
    })
}

/// The table, then why each cell that did not get a token was refused.
fn text(matrix: &Matrix, now: SystemTime) -> String {
    let rows: Vec<[String; 5]> = matrix
        .rows
        .iter()
        .map(|row| {
            [
                shown(&row.scope).into_owned(),
                shown(&row.customer.word()).into_owned(),
                shown(&row.guest.word()).into_owned(),
                row.granted()
                    .map_or_else(|| "-".to_owned(), |g| shown(&g).into_owned()),
                row.verdict().1,
            ]
        })
        .collect();
    let mut out = table(["SCOPE", "CUSTOMER", "GUEST", "GRANTED", "VERDICT"], &rows);
    let mut why = Vec::new();
    for row in &matrix.rows {
        // A cell's words: the server's own when it refused, else what went wrong.
        let said = |column| match row.cell(column) {
            Cell::Answered(attempt) => {
                AttemptFacts::of(attempt, now)
                    .problem
                    .map(|p| match attempt.kind() {
                        OutcomeKind::Refused => p.server_said(),
                        _ => p.explanation,
                    })
            }
            _ => None,
        };
        let scope = shown(&row.scope);
        match (said(Column::Customer), said(Column::Guest)) {
            (Some(customer), Some(guest)) if customer == guest => {
                why.push(format!("  {scope} · both: {customer}"));
            }
            (customer, guest) => {
                if let Some(said) = customer {
                    why.push(format!("  {scope} · customer: {said}"));
                }
                if let Some(said) = guest {
                    why.push(format!("  {scope} · guest: {said}"));
                }
            }
        }
    }
    if !why.is_empty() {
        out.push_str("\nwhy\n");
        out.push_str(&why.join("\n"));
        out.push('\n');
    }
    out
}
